"""``startcapability`` refuses a name or title it cannot turn into a clean app, and then writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

TITLES = {"title": "Probe", "title_nl": "Proefstuk", "title_fr": "Essai"}


@pytest.mark.parametrize(
    "name", ["care", "admin", "Probe", "probe\n", "pro-be", "../probe", "class", "p", "9probe", ""]
)
def test_a_name_that_is_no_new_app_label_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(CommandError):
        call_command("startcapability", name, root=str(tmp_path), **TITLES)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("title", ['Say "hi"', "a {{ b }}", "back\\slash", "two\nlines", "", "x" * 81])
def test_a_title_that_would_break_the_code_is_refused(tmp_path: Path, title: str) -> None:
    with pytest.raises(CommandError):
        call_command("startcapability", "probe", root=str(tmp_path), **{**TITLES, "title": title})
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "apps" / "probe").mkdir(parents=True)
    with pytest.raises(CommandError, match="exists already"):
        call_command("startcapability", "probe", root=str(tmp_path), **TITLES)
    assert list((tmp_path / "apps" / "probe").iterdir()) == []


def test_the_skeleton_is_written_with_its_three_catalogues(tmp_path: Path) -> None:
    call_command("startcapability", "probe", root=str(tmp_path), **TITLES)
    app = tmp_path / "apps" / "probe"
    assert (app / "capability.py").read_text(encoding="utf-8").count('app="probe"') == 1
    assert "{{" not in (app / "rules.py").read_text(encoding="utf-8")
    for language, title in (("nl", "Proefstuk"), ("en", "Probe"), ("fr", "Essai")):
        assert (app / "locale" / language / "LC_MESSAGES" / "django.mo").is_file()
        assert f'msgstr "{title}"' in (app / "locale" / language / "LC_MESSAGES" / "django.po").read_text("utf-8")
    assert (tmp_path / "tests" / "apps" / "probe" / "access_table.py").is_file()
