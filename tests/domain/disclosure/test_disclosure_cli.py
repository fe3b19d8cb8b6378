"""``cityofpeople disclosure protect``: a table in, what a page would show out; bad input exits 2 with one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from domain.disclosure.cli import main


def run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, *options: str
) -> tuple[int, str, str]:
    path = tmp_path / "table.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    code = main(["protect", str(path), *options])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_table_comes_out_as_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(tmp_path, capsys, '{"counts": [[5, 20, 31]]}', "--no-column-totals")
    assert code == 0 and err == ""
    assert json.loads(out) == {"cells": [["<10", "x", "31"]], "row_totals": ["56"], "column_totals": None,
                               "total": None}  # fmt: skip


def test_another_threshold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(tmp_path, capsys, '{"counts": [[5, 20, 31]]}', "--no-column-totals", "--threshold", "5")
    assert code == 0 and json.loads(out)["cells"] == [["5", "20", "31"]]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "Expecting value"),
        ("[1, 2]", "expected"),
        ('{"counts": []}', "expected"),
        ('{"counts": [[1, 2], [3]]}', "same number"),
        ('{"counts": [[1, -2]]}', "counts[0][1]"),
        ('{"counts": [[1, 2.5]]}', "counts[0][1]"),
        ('{"counts": [[true]]}', "counts[0][0]"),
        ('{"counts": [[NaN]]}', "counts[0][0]"),
        (b'{"counts": [[1\x00]]}', "line 1"),
        (b"\xff\xfe", "utf-8"),
        ('{"counts": [' + ",".join(["[1]"] * 10_001) + "]}", "more than"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, message: str
) -> None:
    code, out, err = run(tmp_path, capsys, content)
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1


def test_a_missing_file_and_a_bad_threshold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["protect", str(tmp_path / "nothing.json")]) == 2
    assert "No such file" in capsys.readouterr().err
    (tmp_path / "t.json").write_text('{"counts": [[1]]}')
    assert main(["protect", str(tmp_path / "t.json"), "--threshold", "0"]) == 2
