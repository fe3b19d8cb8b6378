"""The platform started as it runs in production, for the service tests.

Each service gets a database of its own, named after a random token: the suite runs in
several pytest-xdist processes, and a module-scoped fixture may be set up in more than one
of them at the same moment, so a fixed name would let one process drop the other's tables.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MANAGE = (sys.executable, str(ROOT / "manage.py"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Service:
    """A production-settings environment on its own PostgreSQL database."""

    env: dict[str, str]
    dsn: dict[str, Any]
    port: int
    folder: Path

    def manage(self, *arguments: str, timeout: int = 600) -> str:
        """Run a management command; a failure shows the command's own error, not just its exit status."""
        done = subprocess.run(
            [*MANAGE, *arguments], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            pytest.fail(f"manage.py {' '.join(arguments)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self, command: Sequence[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(list(command), env=self.env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def start_gunicorn(self, workers: int, threads: int = 1) -> subprocess.Popen[bytes]:
        """gunicorn on 127.0.0.1, returned once it accepts connections."""
        web = self.start(
            [str(BIN / "gunicorn"), "cityofpeople.wsgi", "--workers", str(workers), "--threads", str(threads),
             "--bind", f"127.0.0.1:{self.port}"]
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if web.poll() is not None:
                output = web.stdout.read().decode() if web.stdout else ""
                pytest.fail(f"gunicorn stopped at start-up (exit {web.returncode}):\n{output}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return web
            except OSError:
                time.sleep(0.2)
        web.terminate()
        pytest.fail("gunicorn did not accept connections within 60 s")


@contextmanager
def production_service(tmp_path_factory: pytest.TempPathFactory, label: str, **extra_env: str) -> Iterator[Service]:
    """A fresh database and var folder with the production settings; both are removed afterwards."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs the PostgreSQL server of the database suite")
    name = f"cop_{label}_{secrets.token_hex(4)}"
    folder = tmp_path_factory.mktemp(label)
    server = dict(user=database["USER"], host=database["HOST"], port=database["PORT"], dbname=database["NAME"])
    with psycopg.connect(**server, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "cityofpeople.settings.prod",
        "COP_SECRET_KEY": f"{label}-test-" + "k" * 60,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{name}",
        "COP_ALLOWED_HOSTS": "127.0.0.1",
        "COP_VAR_DIR": str(folder),
        "COP_EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "COP_EMAIL_FILE_PATH": str(folder / "mail"),
        **extra_env,
    }
    try:
        yield Service(env=env, dsn={**server, "dbname": name}, port=free_port(), folder=folder)
    finally:
        with psycopg.connect(**server, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def stop(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        process.terminate()
        process.wait(timeout=30)
