"""Configuration from the environment, and the ``cityofpeople`` console command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cityofpeople.settings.env import ConfigurationError, database_from_url, env_bool

ROOT = Path(__file__).resolve().parents[3]
CLI = [sys.executable, "-m", "cityofpeople.cli"]


def test_sqlite_url_relative_and_absolute() -> None:
    assert database_from_url("sqlite:///var/db.sqlite3", Path("/srv/app"))["NAME"] == "/srv/app/var/db.sqlite3"
    assert database_from_url("sqlite:////data/db.sqlite3", Path("/srv/app"))["NAME"] == "/data/db.sqlite3"


def test_postgres_url_over_tcp_and_socket() -> None:
    tcp = database_from_url("postgres://cop:s%40cret@db.internal:5433/cityofpeople", Path("/"))
    assert (tcp["USER"], tcp["PASSWORD"], tcp["HOST"], tcp["PORT"], tcp["NAME"]) == (
        "cop",
        "s@cret",
        "db.internal",
        "5433",
        "cityofpeople",
    )
    socket = database_from_url("postgresql://cop@/cityofpeople?host=/run/postgresql", Path("/"))
    assert socket["HOST"] == "/run/postgresql"


def test_unknown_database_scheme_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="DATABASE_URL must start with"):
        database_from_url("mysql://x@y/z", Path("/"))


def test_boolean_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COP_FLAG", "yes")
    assert env_bool("COP_FLAG") is True
    monkeypatch.setenv("COP_FLAG", "maybe")
    with pytest.raises(ConfigurationError, match="COP_FLAG must be true or false"):
        env_bool("COP_FLAG")


def test_cli_help_lists_the_commands() -> None:
    result = subprocess.run([*CLI, "--help"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0
    for command in ("match", "address", "demo", "districts", "manage"):
        assert f"  {command}" in result.stdout


def test_cli_unknown_command_exits_2_with_one_line() -> None:
    result = subprocess.run([*CLI, "frobnicate"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "unknown command 'frobnicate'" in result.stderr


def test_cli_districts_with_a_bad_file_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.geojson"
    bad.write_text("{ not json", encoding="utf-8")
    env = {
        "DJANGO_SETTINGS_MODULE": "cityofpeople.settings.test",
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3",
    }
    result = subprocess.run(
        [*CLI, "districts", str(bad)], cwd=ROOT, capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "broken.geojson" in lines[0]
