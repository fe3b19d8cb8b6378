"""``cityofpeople instruments score INSTRUMENT ANSWERS.json`` exactly as docs/specs/instruments.md fixes it:
one JSON object on stdout and exit 0, or exit 2 with one line on stderr naming the first offending item and
nothing on stdout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from domain.instruments.cli import MAX_BYTES, main

ROOT = Path(__file__).resolve().parents[3]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(folder: Path, content: str | bytes, name: str = "answers.json") -> str:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must be refused: exit 2, nothing on stdout, exactly one line on stderr."""
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, ""), (code, out, err)
    assert err.endswith("\n") and err.count("\n") == 1, err
    return err


# ---- scoring


def test_the_example_of_the_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, '{"3": "yes", "9": "no", "10": "no", "4": "no", "7": "more_or_less", "8": "yes"}')
    code, out, err = run(capsys, "score", "djg6", path)
    assert (code, err) == (0, "")
    assert out.endswith("\n") and out.count("\n") == 1
    assert json.loads(out) == {
        "instrument": "djg6", "total": 3, "emotional": 1, "social": 2, "category": "moderately_lonely",
        "emotional_category": "lonely", "social_category": "lonely",
    }  # fmt: skip


def test_missing_answers_as_absent_keys_and_null(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 4 is null, 8 is absent: two missing items, no total (the manual allows one)
    path = write(tmp_path, '{"3": "yes", "4": null, "7": "no", "9": "no", "10": "no"}')
    code, out, _ = run(capsys, "score", "djg6", path)
    assert code == 0
    assert json.loads(out) == {
        "instrument": "djg6", "total": None, "emotional": 1, "social": None, "category": None,
        "emotional_category": "lonely", "social_category": None,
    }  # fmt: skip


def test_djg11_and_ucla3_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    neutral = write(tmp_path, json.dumps({str(n): "more_or_less" for n in range(1, 12)}), "neutral.json")
    assert json.loads(run(capsys, "score", "djg11", neutral)[1]) == {
        "instrument": "djg11", "total": 11, "emotional": 6, "social": 5, "category": "very_severely_lonely",
    }  # fmt: skip
    ucla = write(tmp_path, '{"1": "some_of_the_time", "2": "some_of_the_time", "3": "some_of_the_time"}', "u.json")
    assert json.loads(run(capsys, "score", "ucla3", ucla)[1]) == {
        "instrument": "ucla3",
        "total": 6,
        "category": "lonely",
    }


def test_the_five_point_format_is_inferred_or_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    strong = write(tmp_path, '{"3": "strong_yes", "4": "strong_no", "7": "yes", "8": "yes", "9": "no", "10": "no"}')
    code, out, _ = run(capsys, "score", "djg6", strong)
    assert code == 0 and json.loads(out)["total"] == 2
    code, out, _ = run(capsys, "score", "djg6", strong, "--format", "5")
    assert code == 0 and json.loads(out)["total"] == 2
    err = refused(capsys, "score", "djg6", strong, "--format", "3")
    assert err == ("cityofpeople instruments: item 3: 'strong_yes' is not an answer of the 3-point format of djg6\n")


def test_a_bom_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, b'\xef\xbb\xbf{"1": "often", "2": "often", "3": "often"}')
    assert run(capsys, "score", "ucla3", path)[0] == 0


def test_through_the_console_command(tmp_path: Path) -> None:
    path = write(tmp_path, '{"1": "often", "2": "hardly_ever", "3": "hardly_ever"}')
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from cityofpeople.cli import main; sys.exit(main())",
         "instruments", "score", "ucla3", path],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout) == {"instrument": "ucla3", "total": 5, "category": "not_lonely"}
    bad = write(tmp_path, '{"1": "often", "2": "sometimes"}', "bad.json")
    done = subprocess.run(
        [sys.executable, "-m", "domain.instruments", "score", "ucla3", bad],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "cityofpeople instruments: item 2: 'sometimes' is not an answer code of ucla3 "
        "(hardly_ever, often, some_of_the_time)\n"
    )


# ---- every refusal: exit 2, one line naming what is wrong, nothing on stdout


@pytest.mark.parametrize(
    ("content", "instrument", "expected"),
    [
        ("", "djg11", "is not valid JSON: Expecting value (line 1, column 1)"),
        ('{"1": "yes",}', "djg11", "is not valid JSON: "),
        ("{'1': 'yes'}", "djg11", "is not valid JSON: "),
        ("[]", "djg11", "must hold one JSON object keyed by item number, not an array"),
        ('"yes"', "djg11", "must hold one JSON object keyed by item number, not a str"),
        ("3", "djg11", "must hold one JSON object keyed by item number, not a int"),
        ("null", "djg11", "must hold one JSON object keyed by item number, not null"),
        ('{"12": "yes"}', "djg11", "item '12' is not part of djg11"),
        ('{"3": "yes", "1": "yes"}', "djg6", "item '1' is not part of djg6"),
        ('{"one": "yes"}', "djg11", "item 'one' is not part of djg11"),
        ('{"3": "maybe"}', "djg11", "item 3: 'maybe' is not an answer code of djg11"),
        ('{"3": 1}', "djg6", "item 3: 1 is not an answer code of djg6"),
        ('{"3": 2.5}', "djg6", "item 3: 2.5 is not an answer code of djg6"),
        ('{"3": NaN}', "djg6", "item 3: nan is not an answer code of djg6"),
        ('{"3": {"answer": "yes"}}', "djg6", "item 3: an object is not an answer code of djg6"),
        ('{"3": "yes", "3": "no"}', "djg6", "item '3' is given twice"),
        ('{"1": "often", "2": "yes"}', "ucla3", "item 2: 'yes' is not an answer code of ucla3"),
        ('{"1\\u0000": "yes"}', "djg11", "item '1\\x00' is not part of djg11"),
        ('{"1": "yes\\u0000"}', "djg11", "item 1: 'yes\\x00' is not an answer code"),
    ],
)
def test_answers_it_cannot_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, instrument: str, expected: str
) -> None:
    err = refused(capsys, "score", instrument, write(tmp_path, content))
    assert err.startswith("cityofpeople instruments: ")
    assert expected in err, err


def test_the_first_offending_item_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(capsys, "score", "djg11", write(tmp_path, '{"1": "yes", "2": "perhaps", "13": "yes", "4": "x"}'))
    assert err == (
        "cityofpeople instruments: item 2: 'perhaps' is not an answer code of djg11 "
        "(more_or_less, no, strong_no, strong_yes, yes)\n"
    )


def test_raw_nul_bytes_and_bad_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(capsys, "score", "djg11", write(tmp_path, b'{"1": "yes\x00"}'))
    assert "is not valid JSON: Invalid control character" in err
    err = refused(capsys, "score", "djg11", write(tmp_path, b"\x00\x00\x00\x00", "nul.json"))
    assert "is not valid JSON" in err
    err = refused(capsys, "score", "djg11", write(tmp_path, b'{"1": "\xff"}', "latin.json"))
    assert "is not UTF-8 text (byte 8)" in err


def test_a_huge_file_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = '{"1": "yes", "pad": "' + "x" * MAX_BYTES + '"}'
    err = refused(capsys, "score", "djg11", write(tmp_path, huge))
    assert "is larger than 64 KiB: not an answers file" in err


def test_deep_nesting_and_huge_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = '{"1": ' + "[" * 20000 + "]" * 20000 + "}"
    err = refused(capsys, "score", "djg11", write(tmp_path, deep[:MAX_BYTES] if len(deep) > MAX_BYTES else deep))
    assert "is not valid JSON" in err or "is not an answer code" in err
    err = refused(capsys, "score", "djg11", write(tmp_path, '{"1": ' + "9" * 5000 + "}", "big.json"))
    assert "is not valid JSON" in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["score", "djg10", "{answers}"], "unknown instrument 'djg10' (known: djg11, djg6, ucla3)"),
        (["score", "DJG11", "{answers}"], "unknown instrument 'DJG11'"),
        (["score", "djg11", "{missing}"], "cannot read "),
        (["score", "djg11", "{folder}"], "cannot read "),
        (["score", "djg6", "{answers}", "--format", "7"], "djg6 has no answer format '7' (it has 3-point or 5-point)"),
        (["score", "ucla3", "{answers}", "--format", "3"], "--format applies to the De Jong Gierveld scales only"),
    ],
)
def test_commands_it_cannot_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    answers = write(tmp_path, "{}")
    names = {"answers": answers, "missing": str(tmp_path / "none.json"), "folder": str(tmp_path)}
    err = refused(capsys, *(arg.format(**names) for arg in argv))
    assert expected in err, err


@pytest.mark.parametrize("argv", [[], ["score"], ["score", "djg11"], ["rate", "djg11", "a.json"]])
def test_usage_errors_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("cityofpeople instruments: ") and err.count("\n") == 1, err


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    listing: dict[str, Any] = json.loads(out)
    assert code == 0
    assert listing["djg6"]["languages"] == ["nl", "en"]
    assert listing["ucla3"]["languages"] == ["en"]
    assert listing["djg6"]["subscale_categories"] is True
    assert listing["djg11"]["subscale_categories"] is False
