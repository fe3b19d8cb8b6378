"""The platform as a real service: gunicorn with two workers and a task worker on PostgreSQL.

Started from the production settings, talked to over HTTP on 127.0.0.1: pages and
the API are served, and an email queued by a web process is delivered by the
separate task-worker process.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs the PostgreSQL server of the database suite")
    folder = tmp_path_factory.mktemp("service")
    dsn = dict(user=database["USER"], host=database["HOST"], port=database["PORT"], dbname=database["NAME"])
    with psycopg.connect(**dsn, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS cop_service")
        connection.execute("CREATE DATABASE cop_service")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "cityofpeople.settings.prod",
        "COP_SECRET_KEY": "service-test-" + "k" * 60,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/cop_service",
        "COP_ALLOWED_HOSTS": "127.0.0.1",
        "COP_VAR_DIR": str(folder),
        "COP_EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "COP_EMAIL_FILE_PATH": str(folder / "mail"),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    commands = (
        ["migrate", "--noinput", "-v", "0"],
        ["createcachetable"],
        ["collectstatic", "--noinput", "-v", "0"],
        ["load_districts"],
        ["schedule_retention"],
    )
    for command in commands:
        subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, capture_output=True, timeout=300)
    web = subprocess.Popen(
        [str(BIN / "gunicorn"), "cityofpeople.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [*manage, "db_worker", "--interval", "0.2"], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield {"port": port, "mail": folder / "mail", "web": web}
    finally:
        for process in (web, worker):
            process.terminate()
            process.wait(timeout=30)
        with psycopg.connect(**dsn, autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS cop_service WITH (FORCE)")


def request(
    service: dict[str, object], method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> http.client.HTTPResponse:
    """An HTTP request as the TLS-terminating proxy in front of gunicorn would pass it on."""
    connection = http.client.HTTPConnection("127.0.0.1", int(str(service["port"])), timeout=30)
    connection.request(method, path, body=body, headers={"X-Forwarded-Proto": "https", **(headers or {})})
    return connection.getresponse()


def test_pages_and_api_are_served_by_gunicorn(service: dict[str, object]) -> None:
    page = request(service, "GET", "/nl/districts/")
    assert page.status == 200
    assert "Binnenstad" in page.read().decode()
    assert "max-age=31536000" in (page.getheader("Strict-Transport-Security") or "")
    assert "default-src 'self'" in (page.getheader("Content-Security-Policy") or "")
    api = request(service, "GET", "/api/v1/districts")
    assert len(json.loads(api.read())) == 25
    css = request(service, "GET", "/static/vendor/gent_styleguide/css/main.css")
    assert css.status in {200, 302}


def test_plain_http_is_redirected_to_https(service: dict[str, object]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", int(str(service["port"])), timeout=30)
    connection.request("GET", "/nl/")
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location", "").startswith("https://")


def test_a_task_queued_by_the_web_process_is_run_by_the_worker(service: dict[str, object]) -> None:
    form = request(service, "GET", "/nl/accounts/password/reset/")
    cookie = re.search(r"(__Host-csrftoken=[^;]+)", form.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.read().decode())
    assert cookie and token
    origin = f"https://127.0.0.1:{service['port']}"
    answer = request(
        service,
        "POST",
        "/nl/accounts/password/reset/",
        body=urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "email": "someone@example.org"}),
        headers={
            "Cookie": cookie.group(1),
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + "/nl/accounts/password/reset/",
        },
    )
    assert answer.status == 302, answer.read().decode()[:500]
    mail_folder = Path(str(service["mail"]))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (mail_folder.exists() and any(mail_folder.iterdir())):
        time.sleep(0.2)
    messages = list(mail_folder.iterdir()) if mail_folder.exists() else []
    assert len(messages) == 1, "the worker delivered the queued email"
    assert "someone@example.org" in messages[0].read_text()
