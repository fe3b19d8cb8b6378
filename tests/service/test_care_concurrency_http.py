"""Never twice over HTTP (issue 6, item 6): twenty helpers at once, through gunicorn.

The platform as it runs in production (gunicorn with several workers and threads, production settings,
PostgreSQL, the demo city), talked to over HTTP on 127.0.0.1, each phone signed in with its own session.
One service, and one test that runs three races one after the other:

* twenty helpers tap "I can help" on the same request at the same moment: exactly one gets the request
  (redirected to their match page), each of the others sees the clear "already accepted" message;
* twenty helpers, each proposed for the same request, accept at the same moment: one accepted match,
  nineteen helpers see the "already accepted" message and their proposals end as cancelled;
* one helper with one place, proposed for twenty requests, accepts them all at once (twenty phones or
  tabs): one accepted match, nineteen "as many as you offered" messages, the nineteen proposals and
  requests untouched.
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
ACCEPTED = "Thank you! Here is what you need to know to go there."
FULL = "You already help with 1 request, as many as you offered."

# Run in the service's own database with the production settings: requests of the demo resident, a
# coordinator of her district, and new helpers next door who fit them, each with fresh signed-in sessions.
# "take": one request and twenty helpers.  "accept": one request the day after tomorrow proposed to
# twenty other helpers.  "full": one helper with one place, proposed for twenty requests, with twenty sessions.
SETUP = """
import json
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from apps.access.actors import actor_for_user
from apps.care import services
from apps.care.models import CareCategory, HelperOffer
from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Person, Role, RoleAssignment

rosa = Person.objects.get(user__username=DEMO_ACCOUNTS[0].email)
shopping = CareCategory.objects.get(code="shopping")
counter = iter(range(10_000))


def at(days, hour):
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour)))


def ask(days, hour, text):
    return services.care_request_create(
        actor=actor_for_user(rosa.user), person=rosa, category=shopping,
        windows=[services.Window(at(days, hour), at(days, hour + 2))], description=text,
    )


def person(label, role):
    n = next(counter)
    email = f"race-{label}-{n}@care.example"
    user = get_user_model().objects.create_user(username=email, email=email, password="not-used-" + "x" * 12)
    who = Person.objects.create(
        user=user, first_name=f"Racer{n}", last_name="Test", email=email, lat=rosa.lat + 0.0002 * (n + 1),
        lon=rosa.lon, district=rosa.district, languages=["nl"],
    )
    RoleAssignment.objects.create(person=who, role=role, district=rosa.district if role == Role.COORDINATOR else None)
    return who


def helper(label, places=1):
    who = person(label, Role.RESIDENT)
    return services.offer_save(
        actor=actor_for_user(who.user), person=who, kind="neighbour", categories=[shopping],
        slots=[services.Slot(weekday=d, start=time(8), end=time(20)) for d in range(7)],
        max_distance_km=Decimal("3"), requests_per_week=places, languages=["nl"],
    )


def signed_in(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


coordinator = actor_for_user(person("coordinator", Role.COORDINATOR).user)

# "I can help": one request, twenty helpers
take = ask(1, 10, "Race: boodschappen.")
take_sessions = [signed_in(helper("take").person.user) for _ in range(HELPERS)]

# twenty proposals for the same request, to twenty helpers
wanted = ask(2, 10, "Race: twintig voorstellen.")
accept = []
for _ in range(HELPERS):
    offer = helper("accept")
    match = services.match_propose(actor=coordinator, request=wanted, offer=offer)
    accept.append([signed_in(offer.person.user), match.pk])

# one helper with one place, proposed for twenty requests (asked while they still had room)
busy = helper("full", places=HELPERS)
full = []
for n in range(HELPERS):
    match = services.match_propose(actor=coordinator, request=ask(3, 9, f"Race {n}."), offer=busy)
    full.append([signed_in(busy.person.user), match.pk])
HelperOffer.objects.filter(pk=busy.pk).update(requests_per_week=1)
print("RESULT " + json.dumps({
    "request": take.pk, "sessions": take_sessions, "wanted": wanted.pk, "accept": accept,
    "busy": busy.pk, "full": full,
}))
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """gunicorn (3 workers × 4 threads) on its own PostgreSQL database with the demo city: one for the module."""
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


def at_once(browsers: list[Browser], paths: list[str]) -> list[tuple[int, str, str]]:
    """Each browser posts to its path at the same moment: (status, Location, body) of each answer."""
    barrier = threading.Barrier(len(browsers), timeout=60)
    answers: list[tuple[int, str, str] | None] = [None] * len(browsers)

    def post(index: int) -> None:
        barrier.wait()
        response = browsers[index].send("POST", paths[index], {})
        answers[index] = (response.status, response.getheader("Location") or "", response.read().decode())

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(answer is not None for answer in answers), "every helper got an answer"
    return [a for a in answers if a is not None]


def shown_after(browser: Browser, status: int, where: str) -> str:
    """The page the helper lands on after a redirect (where the message is shown)."""
    assert status == 302, (status, where)
    follow = browser.send("GET", urllib.parse.urlsplit(where).path)
    assert follow.status == 200, (follow.status, where)
    return follow.read().decode()


def rows(service: dict[str, object], query: str, parameters: list[object]) -> list[tuple[object, ...]]:
    with psycopg.connect(**service["dsn"]) as connection:  # type: ignore[arg-type]
        return connection.execute(query, parameters).fetchall()  # type: ignore[arg-type]


def twenty_helpers_tapping_i_can_help_at_once(service: dict[str, object]) -> None:
    port, request_pk = int(str(service["port"])), int(str(service["request"]))
    sessions = list(service["sessions"])  # type: ignore[call-overload]
    assert len(sessions) == HELPERS
    browsers = [Browser(port, session) for session in sessions]
    page = browsers[0].send("GET", f"/en/help/requests/{request_pk}/")
    assert page.status == 200, "the helper sees the request before taking it"
    page.read()
    done = at_once(browsers, [f"/en/help/requests/{request_pk}/take/"] * HELPERS)
    won = [i for i, (status, where, _) in enumerate(done) if status == 302 and re.search(r"/help/matches/\d+/$", where)]
    assert len(won) == 1, [(status, where) for status, where, _ in done]
    for index, (status, where, body) in enumerate(done):
        if index in won:
            continue
        if status == 302:  # the message is shown on the page the helper is sent to
            assert not re.search(r"/help/matches/\d+/", where)
            body = shown_after(browsers[index], status, where)
        else:
            assert status == 200, (status, where)
        assert TAKEN in body, f"helper {index} sees the clear message ({status} {where})"

    holding = rows(
        service, "SELECT status, count(*) FROM care_match WHERE request_id = %s GROUP BY status", [request_pk]
    )
    status = rows(service, "SELECT status FROM care_carerequest WHERE id = %s", [request_pk])
    assert holding == [("accepted", 1)], "one accepted match, and nothing left behind by the others"
    assert status == [("matched",)]


def twenty_helpers_accepting_proposals_for_the_same_request_at_once(service: dict[str, object]) -> None:
    port, request_pk = int(str(service["port"])), int(str(service["wanted"]))
    pairs = list(service["accept"])  # type: ignore[call-overload]
    assert len(pairs) == HELPERS
    browsers = [Browser(port, session) for session, _ in pairs]
    done = at_once(browsers, [f"/en/help/matches/{match}/accept/" for _, match in pairs])
    # winner and losers alike are sent back to their own match page, where the message says which they are
    pages = [shown_after(browsers[i], status, where) for i, (status, where, _) in enumerate(done)]
    for (_, where, _), (_, match) in zip(done, pairs, strict=True):
        assert urllib.parse.urlsplit(where).path == f"/en/help/matches/{match}/"
    won = [i for i, body in enumerate(pages) if ACCEPTED in body]
    assert len(won) == 1, "exactly one helper is thanked"
    lost = [i for i, body in enumerate(pages) if TAKEN in body]
    assert sorted(won + lost) == list(range(HELPERS)), "each of the others sees the clear message"

    statuses = dict(
        rows(service, "SELECT id, status FROM care_match WHERE request_id = %s", [request_pk])  # type: ignore[arg-type]
    )
    winner = pairs[won[0]][1]
    assert statuses.pop(winner) == "accepted"
    assert sorted(statuses) == sorted(match for i, (_, match) in enumerate(pairs) if i != won[0])
    assert set(statuses.values()) == {"cancelled"}, "the other proposals end, none is left waiting"
    assert rows(service, "SELECT status FROM care_carerequest WHERE id = %s", [request_pk]) == [("matched",)]
    events = rows(
        service,
        "SELECT count(*) FROM care_matchevent e JOIN care_match m ON m.id = e.match_id "
        "WHERE m.request_id = %s AND e.to_status = 'accepted'",
        [request_pk],
    )
    assert events == [(1,)]


def a_helper_with_one_place_accepting_twenty_requests_at_once(service: dict[str, object]) -> None:
    port, offer_pk = int(str(service["port"])), int(str(service["busy"]))
    pairs = list(service["full"])  # type: ignore[call-overload]
    assert len(pairs) == HELPERS
    browsers = [Browser(port, session) for session, _ in pairs]  # the same helper on twenty phones or tabs
    done = at_once(browsers, [f"/en/help/matches/{match}/accept/" for _, match in pairs])
    pages = [shown_after(browsers[i], status, where) for i, (status, where, _) in enumerate(done)]
    won = [i for i, body in enumerate(pages) if ACCEPTED in body]
    assert len(won) == 1, "one acceptance goes through"
    refused = [i for i, body in enumerate(pages) if FULL in body]
    assert sorted(won + refused) == list(range(HELPERS)), "each other one says the helper is full"

    matches = dict(
        rows(service, "SELECT id, status FROM care_match WHERE helper_id = %s", [offer_pk])  # type: ignore[arg-type]
    )
    winner = pairs[won[0]][1]
    assert matches.pop(winner) == "accepted"
    assert set(matches.values()) == {"proposed"}, "a refused acceptance leaves the proposal as it was"
    assert len(matches) == HELPERS - 1
    requests = rows(
        service,
        "SELECT r.status, count(*) FROM care_carerequest r JOIN care_match m ON m.request_id = r.id "
        "WHERE m.helper_id = %s GROUP BY r.status ORDER BY r.status",
        [offer_pk],
    )
    assert requests == [("matched", 1), ("open", HELPERS - 1)], "the other requests still look for a helper"


def test_twenty_at_once_over_http_one_wins(service: dict[str, object]) -> None:
    """The three races, one after the other, in one test: the test suite runs in two pytest-xdist
    processes, and separate tests of this module could each start this (slow) service of their own."""
    twenty_helpers_tapping_i_can_help_at_once(service)
    twenty_helpers_accepting_proposals_for_the_same_request_at_once(service)
    a_helper_with_one_place_accepting_twenty_requests_at_once(service)
