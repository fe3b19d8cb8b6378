"""``cityofpeople manage hsds_export`` and ``hsds_import``: the whole directory out and back in, and a bad file
refused with exit status 2, one line on standard error, and nothing changed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.directory import hsds
from apps.directory.models import Service
from tests.apps.directory.hsds_fixtures import assert_valid, build_directory, empty_directory

pytestmark = pytest.mark.django_db


def test_export_then_import_into_an_empty_directory(tmp_path: Path) -> None:
    build_directory()
    target = tmp_path / "directory.json"
    call_command("hsds_export", "-o", str(target), stderr=io.StringIO())
    documents = json.loads(target.read_text(encoding="utf-8"))
    assert len(documents) == 3
    for document in documents:
        assert_valid("service", document)
    lines = io.StringIO()
    call_command("hsds_export", "--format", "ndjson", stdout=lines)
    assert [json.loads(line) for line in lines.getvalue().splitlines()] == documents
    empty_directory()
    out = io.StringIO()
    call_command("hsds_import", str(target), "--dry-run", stdout=out)
    assert out.getvalue().startswith("Dry run, nothing written:") and "service: 3 added" in out.getvalue()
    assert not Service.objects.exists()
    call_command("hsds_import", str(target), stdout=out)
    assert hsds.dumps(list(hsds.export_services())) + "\n" == target.read_text(encoding="utf-8")
    again = io.StringIO()
    call_command("hsds_import", str(target), stdout=again)
    assert "service: 0 added, 0 changed, 3 unchanged" in again.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[{", "not JSON"),
        (b'[{"id": "x", "name": "A", "status": "active"}]', "record 1 (service x).id:"),
        (None, "No such file"),
    ],
)
def test_a_bad_file_exits_2_with_one_line_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    build_directory()
    before = hsds.dumps(list(hsds.export_services()))
    source = tmp_path / "bad.json"
    if content is not None:
        source.write_bytes(content)
    with pytest.raises(SystemExit) as exit_:
        call_command("hsds_import", str(source))
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert message in error and error.strip().count("\n") == 0, error
    assert hsds.dumps(list(hsds.export_services())) == before


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "big.json"
    source.write_bytes(b"[" + b" " * (1024 * 1024 + 10) + b"]")
    with pytest.raises(SystemExit) as exit_:
        call_command("hsds_import", str(source), "--max-megabytes", "1")
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert "larger than 1 MB" in error and "--max-megabytes" in error
