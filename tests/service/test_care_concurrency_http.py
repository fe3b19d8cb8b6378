"""Never twice over HTTP (issue 6, item 6): twenty helpers tap "I can help" on the same request at once.

The platform as it runs in production (gunicorn with several workers and threads, production settings,
PostgreSQL, the demo city), talked to over HTTP on 127.0.0.1 by twenty helpers at the same moment, each
signed in with their own session: exactly one gets the request (redirected to their match page), each
of the others sees the clear "already accepted" message, and the database holds one accepted match.
"""

from __future__ import annotations

import http.client
import json
import re
import secrets
import string
import threading
import urllib.parse
from collections.abc import Iterator
from http.cookies import SimpleCookie

import psycopg
import pytest

from tests.service.production import production_service, stop

pytestmark = pytest.mark.postgres
HELPERS = 20
TAKEN = "Another helper has already accepted this request. Thank you all the same!"

# Run in the service's own database with the production settings: a request of the demo resident
# tomorrow morning, and twenty new helpers next door who fit it, each with a fresh signed-in session.
SETUP = """
import json
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from apps.access.actors import actor_for_user
from apps.care import services
from apps.care.models import CareCategory
from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Person, Role, RoleAssignment

rosa = Person.objects.get(user__username=DEMO_ACCOUNTS[0].email)
day = timezone.localdate() + timedelta(days=1)
start = timezone.make_aware(datetime.combine(day, time(10)))
request = services.care_request_create(
    actor=actor_for_user(rosa.user), person=rosa, category=CareCategory.objects.get(code="shopping"),
    windows=[services.Window(start, start + timedelta(hours=2))], description="Race: boodschappen.",
)
sessions = []
for n in range(HELPERS):
    email = f"race-helper-{n}@care.example"
    user = get_user_model().objects.create_user(username=email, email=email, password="not-used-" + "x" * 12)
    person = Person.objects.create(
        user=user, first_name=f"Racer{n}", last_name="Test", email=email, lat=rosa.lat + 0.0004 * (n + 1),
        lon=rosa.lon, district=rosa.district, languages=["nl"],
    )
    RoleAssignment.objects.create(person=person, role=Role.RESIDENT)
    services.offer_save(
        actor=actor_for_user(user), person=person, kind="neighbour",
        categories=[CareCategory.objects.get(code="shopping")],
        slots=[services.Slot(weekday=d, start=time(8), end=time(20)) for d in range(7)],
        max_distance_km=Decimal("3"), requests_per_week=1, languages=["nl"],
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions.append(session.session_key)
print("RESULT " + json.dumps({"request": request.pk, "sessions": sessions}))
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """gunicorn (3 workers × 4 threads) on its own PostgreSQL database with the demo city."""
    with production_service(tmp_path_factory, "care_race", COP_ALLOW_DEMO="true") as platform:
        for command in (
            ["migrate", "--noinput", "-v", "0"],
            ["createcachetable"],
            ["collectstatic", "--noinput", "-v", "0"],
            ["load_demo"],
        ):
            platform.manage(*command)
        made = platform.manage("shell", "-c", f"HELPERS = {HELPERS}\n{SETUP}")
        result = json.loads(next(line for line in made.splitlines() if line.startswith("RESULT "))[7:])
        web = platform.start_gunicorn(workers=3, threads=4)
        try:
            yield {"port": platform.port, "dsn": platform.dsn, **result}
        finally:
            stop(web)


class Browser:
    """One helper's phone: their cookies, talking HTTPS to the proxy in front of gunicorn."""

    def __init__(self, port: int, session: str) -> None:
        self.port = port
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.cookies = {settings_cookie("SESSION"): session, settings_cookie("CSRF"): self.csrf}

    def send(self, method: str, path: str, form: dict[str, str] | None = None) -> http.client.HTTPResponse:
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Origin": origin,
            "Referer": origin + path,
        }
        body = ""
        if form is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf, **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response


def settings_cookie(kind: str) -> str:
    """The production cookie names (``__Host-`` bound to the exact host)."""
    return {"SESSION": "__Host-sessionid", "CSRF": "__Host-csrftoken"}[kind]


def test_twenty_helpers_tapping_i_can_help_at_once_over_http(service: dict[str, object]) -> None:
    port, request_pk = int(str(service["port"])), int(str(service["request"]))
    sessions = list(service["sessions"])  # type: ignore[call-overload]
    assert len(sessions) == HELPERS
    browsers = [Browser(port, session) for session in sessions]
    page = browsers[0].send("GET", f"/en/help/requests/{request_pk}/")
    assert page.status == 200, "the helper sees the request before taking it"
    page.read()
    barrier = threading.Barrier(HELPERS, timeout=60)
    answers: list[tuple[int, str, str] | None] = [None] * HELPERS

    def tap(index: int) -> None:
        barrier.wait()
        response = browsers[index].send("POST", f"/en/help/requests/{request_pk}/take/", {})
        answers[index] = (response.status, response.getheader("Location") or "", response.read().decode())

    threads = [threading.Thread(target=tap, args=(i,)) for i in range(HELPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(answer is not None for answer in answers), "every helper got an answer"
    done = [a for a in answers if a is not None]
    won = [i for i, (status, where, _) in enumerate(done) if status == 302 and re.search(r"/help/matches/\d+/$", where)]
    assert len(won) == 1, [(status, where) for status, where, _ in done]
    for index, (status, where, body) in enumerate(done):
        if index in won:
            continue
        if status == 302:  # the message is shown on the page the helper is sent to
            assert not re.search(r"/help/matches/\d+/", where)
            follow = browsers[index].send("GET", urllib.parse.urlsplit(where).path)
            assert follow.status == 200
            body = follow.read().decode()
        else:
            assert status == 200, (status, where)
        assert TAKEN in body, f"helper {index} sees the clear message ({status} {where})"

    with psycopg.connect(**service["dsn"]) as connection:  # type: ignore[arg-type]
        holding = connection.execute(
            "SELECT status, count(*) FROM care_match WHERE request_id = %s GROUP BY status", [request_pk]
        ).fetchall()
        status = connection.execute("SELECT status FROM care_carerequest WHERE id = %s", [request_pk]).fetchone()
    assert holding == [("accepted", 1)], "one accepted match, and nothing left behind by the others"
    assert status == ("matched",)
