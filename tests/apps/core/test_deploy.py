"""Production settings pass Django's deployment checks with no warning at all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def check_deploy(**changes: str | None) -> subprocess.CompletedProcess[str]:
    """``manage.py check --deploy`` with the production settings and a complete environment, changed as asked."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "cityofpeople.settings.prod",
        "COP_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-for-the-check-" + "y" * 20,
        "DATABASE_URL": "sqlite:///var/check-deploy.sqlite3",
        "COP_ALLOWED_HOSTS": "cityofpeople.gent.example",
        "COP_SECURITY_CONTACT": "mailto:security@cityofpeople.gent.example",
    }
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy() -> None:
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "COP_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "cityofpeople.settings.prod"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "COP_SECRET_KEY is required" in result.stderr


def test_a_deployment_without_a_security_contact_is_warned() -> None:
    result = check_deploy(COP_SECURITY_CONTACT=None)
    assert result.returncode != 0
    assert "cityofpeople.W001" in result.stdout + result.stderr
