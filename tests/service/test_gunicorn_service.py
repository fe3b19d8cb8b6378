"""The platform as a real service: gunicorn with two workers and a task worker on PostgreSQL.

Started from the production settings, talked to over HTTP on 127.0.0.1: pages and
the API are served, and an email queued by a web process is delivered by the
separate task-worker process.
"""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.production import MANAGE, production_service, stop

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    with production_service(tmp_path_factory, "service") as platform:
        for command in (
            ["migrate", "--noinput", "-v", "0"],
            ["createcachetable"],
            ["collectstatic", "--noinput", "-v", "0"],
            ["load_districts"],
            ["schedule_retention"],
        ):
            platform.manage(*command)
        web = platform.start_gunicorn(workers=2)
        worker = platform.start([*MANAGE, "db_worker", "--interval", "0.2"])
        try:
            yield {"port": platform.port, "mail": platform.folder / "mail", "web": web}
        finally:
            stop(web, worker)


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
