"""A newcomer adds a capability as docs/architecture.md says, and only its own folders and one line change.

On a copy of the project: ``startcapability`` writes ``apps/probe`` and ``tests/apps/probe`` from the
skeleton, one line installs it, and then the app's own tests, the URL × role access table, the translation
tests, the import contract, the menu tests and axe over a resident's home page and menu (which now lead
to the new page) pass as they are.  The copy is compared with the project afterwards: nothing else changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser

ROOT = Path(settings.BASE_DIR)
INSTALL_AFTER = '    "apps.care",\n'
LINKED = (".venv", "node_modules")
GENERATED = (".ruff_cache/", ".hypothesis/", ".mypy_cache/", "var/", "staticfiles/")
"""What running the checks writes (ignored by git, as the compiled .mo catalogues)."""


def project_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def copy_project(target: Path) -> list[str]:
    files = project_files()
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    for name in LINKED:
        if (ROOT / name).exists():
            (target / name).symlink_to(ROOT / name)
    shared = ROOT.parent / "shared"
    if shared.exists():
        (target.parent / "shared").symlink_to(shared)
    return files


def run(copy: Path, *command: str, **env: str) -> str:
    result = subprocess.run(
        command,
        cwd=copy,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cityofpeople.settings.test", "PYTHONPATH": str(copy), **env},
        timeout=900,
    )
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def test_a_new_capability_touches_its_folders_and_one_line(tmp_path: Path) -> None:
    copy = tmp_path / "main"
    files = copy_project(copy)
    python = sys.executable
    run(
        copy, python, "manage.py", "startcapability", "probe",
        "--title", "Probe", "--title-nl", "Proefstuk", "--title-fr", "Essai",
    )  # fmt: skip
    base = copy / "cityofpeople/settings/base.py"
    text = base.read_text(encoding="utf-8")
    assert INSTALL_AFTER in text
    base.write_text(text.replace(INSTALL_AFTER, INSTALL_AFTER + '    "apps.probe",\n', 1), encoding="utf-8")

    run(copy, python, "manage.py", "compile_translations")
    run(copy, python, "manage.py", "check", "--fail-level", "WARNING")
    run(copy, python, "-m", "ruff", "check", "apps/probe", "tests/apps/probe")
    run(
        copy, python, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "2", "-m", "not postgres and not browser",
        "tests/apps/probe", "tests/apps/access/test_access_table.py", "tests/apps/core/test_languages.py",
        "tests/test_import_contracts.py", "tests/apps/core/test_menus_and_panels.py",
    )  # fmt: skip
    run(
        copy, python, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-m", "browser",
        "tests/e2e/test_menus_and_home_panels.py", "-k", "pass_axe and resident", DJANGO_ALLOW_ASYNC_UNSAFE="true",
    )  # fmt: skip

    changed = [name for name in files if (copy / name).read_bytes() != (ROOT / name).read_bytes()]
    assert changed == ["cityofpeople/settings/base.py"]
    added = {
        str(path.relative_to(copy))
        for path in copy.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and not any(part in LINKED for part in path.parts)
    } - set(files)
    outside = sorted(
        name
        for name in added
        if not name.startswith(("apps/probe/", "tests/apps/probe/", *GENERATED)) and not name.endswith(".mo")
    )
    assert outside == []
