"""The auditor's activity view (issue 12, item 7): what no rule stops is still seen the same day.

Each attack of the issue is played, and the auditor's page (and its API) must show its actor on that day,
flagged: a helper who takes and calls off ten requests, twelve wrong passwords on one account, a
coordinator who opens eighty persons' files, refused attempts on persons outside one's district.  Only
the auditor sees the page, every visit is in the access log, and failed sign-ins are kept durably (never
the password or the typed address) and purged with the log.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from apps.access.activity import Report, Row, activity_report
from apps.access.models import AccessLogEntry, AccessLogIsAppendOnly, SecurityEvent
from apps.access.retention import apply_retention
from apps.access.services import security_events_purge
from apps.care import services
from apps.care.models import CareRequest, Match, MatchEvent
from apps.people.consent_texts import current_version
from apps.people.models import Consent, Person, Purpose, Role
from tests.apps.care import conftest as care
from tests.apps.care.conftest import CareWorld, grant, make_person

# the care world's fixtures (a district with a resident, a helper and coordinators), found by name
care_categories = care.care_categories
care_world = care.care_world
care_request = care.care_request
client_for = care.client_for
make_helper = care.make_helper
make_request = care.make_request

pytestmark = pytest.mark.django_db

PAGE = "/en/audit/activity/"
API = "/api/v1/access-log/activity"
PASSWORD = "not-used-here-123"  # the care world's accounts' password
SIX_DIGITS = re.compile(r"\b(\d{6})\b")
EMAIL_CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")


@pytest.fixture
def auditor(care_world: CareWorld) -> Person:
    person = make_person("Aude", care_world.other_district)
    grant(person, Role.AUDITOR)
    return person


@pytest.fixture
def auditor_client(auditor: Person, client_for: Callable[[Person], Client]) -> Client:
    return client_for(auditor)  # with a second factor, as the staff middleware requires


def today_report() -> Report:
    today = timezone.localdate()
    return activity_report(since=today - timedelta(days=13), until=today)


def row_of(report: Report, user_id: int | None, network: str = "") -> Row:
    rows = [row for row in report.rows if row.user_id == user_id and (user_id or row.network == network)]
    assert len(rows) == 1, rows
    return rows[0]


def cell(row: Row, kind: str) -> tuple[int, list[str]]:
    found = next(c for c in row.cells if c.kind == kind)
    return found.count, found.reasons


def page_row(html: str, user_id: int) -> str:
    """The table row of an account on the auditor's page."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S)
    mine = [row for row in rows if f"?actor={user_id}&amp;" in row]
    assert len(mine) == 1, f"one row for account {user_id}"
    return mine[0]


# --- takes and cancellations ---------------------------------------------------------------------------


def test_a_helper_who_takes_and_calls_off_ten_requests_in_a_day_stands_out(
    care_world: CareWorld, make_request: Callable[..., CareRequest], auditor_client: Client
) -> None:
    """The harvest of the issue: "I can help" and cancel, ten times.  The daily limits of takes may stop it
    earlier; history written as the services write it shows what the view makes of ten, whatever the limit."""
    helper = care_world.helper
    for n in range(10):
        request = make_request(description=f"Boodschappen {n}")
        match = Match.objects.create(request=request, helper=care_world.offer, status=Match.Status.CANCELLED)
        MatchEvent.objects.create(match=match, from_status="", to_status="accepted", actor=helper, note="taken")
        MatchEvent.objects.create(match=match, from_status="accepted", to_status="cancelled", actor=helper)
    row = row_of(today_report(), helper.user_id)
    assert row.day == timezone.localdate() and row.role == "helper"
    assert cell(row, "takes") == (10, ["limit"])
    assert cell(row, "cancellations") == (10, ["limit"])

    html = auditor_client.get(PAGE).content.decode()
    shown = page_row(html, helper.user_id)
    assert "stands out" in shown
    assert "Requests taken: 10, the limit is 5 a day." in shown
    assert "Called off: 10, the limit is 3 a day." in shown
    day = timezone.localdate().isoformat()
    link = f'href="/en/audit/?actor={helper.user_id}&amp;since={day}&amp;until={day}"'
    assert link in shown, "the row opens the access log of that account on that day"
    first = re.search(r"<tbody>\s*<tr[^>]*>(.*?)</tr>", html, flags=re.S)
    assert first is not None and f"?actor={helper.user_id}&amp;" in first.group(1), "what stands out comes first"


def test_a_real_take_and_cancellation_are_counted_and_a_coordinators_proposal_is_no_take(
    care_world: CareWorld, care_request: CareRequest, make_request: Callable[..., CareRequest]
) -> None:
    match = services.request_take(actor=care_world.helper_actor, request=care_request)
    services.match_cancel(actor=care_world.helper_actor, match=match, reason="Ik ben ziek.")
    other = make_request(description="Gezelschap", category="company")
    services.match_propose(actor=care_world.coordinator_actor, request=other, offer=care_world.offer)
    report = today_report()
    helper = row_of(report, care_world.helper.user_id)
    assert cell(helper, "takes") == (1, []) and cell(helper, "cancellations") == (1, [])
    coordinator = [row for row in report.rows if row.user_id == care_world.coordinator.user_id]
    assert all(cell(row, "takes")[0] == 0 for row in coordinator)


# --- failed sign-ins -----------------------------------------------------------------------------------


def wrong_password(client: Client, login: str, times: int) -> None:
    for n in range(times):
        if n % 4 == 0:
            cache.clear()  # the attempts are spread over the day: allauth's 5 minutes lock-out has passed
        response = client.post("/en/accounts/login/", {"login": login, "password": f"Guess-{n}-wrong!"})
        assert response.status_code == 200


def test_twelve_wrong_passwords_on_one_account_stand_out_and_keep_no_password(
    care_world: CareWorld, auditor_client: Client
) -> None:
    helper = care_world.helper
    wrong_password(Client(), helper.email, 12)
    events = SecurityEvent.objects.filter(user_id=helper.user_id, kind="failed_login", method="password")
    assert events.count() == 12
    for values in SecurityEvent.objects.values():
        text = " ".join(str(value) for value in values.values())
        assert "Guess-" not in text and helper.email not in text, "never what was typed"
        assert "127.0.0" not in text, "the network as a keyed hash only"
    row = row_of(today_report(), helper.user_id)
    assert cell(row, "failed_logins") == (12, ["limit"])
    shown = page_row(auditor_client.get(PAGE).content.decode(), helper.user_id)
    assert "Failed sign-ins: 12, the limit is 10 a day." in shown


def test_wrong_passwords_for_addresses_without_an_account_stand_out_per_network(care_world: CareWorld) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(12):
        if n % 4 == 0:
            cache.clear()
        client.post("/en/accounts/login/", {"login": f"nobody{n}@nowhere.example", "password": "Guess-wrong-1!"})
    events = SecurityEvent.objects.filter(user_id__isnull=True)
    assert events.count() == 12
    networks = set(events.values_list("client_network", flat=True))
    assert len(networks) == 1 and "" not in networks
    row = row_of(today_report(), None, networks.pop())
    assert cell(row, "failed_logins") == (12, ["limit"]) and row.role == "anonymous"


def test_a_wrong_second_factor_is_a_failed_sign_in_of_that_account(
    care_world: CareWorld, client_for: Callable[[Person], Client]
) -> None:
    coordinator = care_world.coordinator
    client_for(coordinator)  # gives the coordinator an authenticator app
    assert Authenticator.objects.filter(user=coordinator.user).exists()
    EmailAddress.objects.create(user=coordinator.user, email=coordinator.email, verified=True, primary=True)
    client = Client()
    response = client.post("/en/accounts/login/", {"login": coordinator.email, "password": PASSWORD})
    assert response.status_code == 302 and "/2fa/authenticate/" in response["Location"]
    client.post(response["Location"], {"code": "000000"})
    events = SecurityEvent.objects.filter(user_id=coordinator.user_id)
    assert list(events.values_list("method", flat=True)) == ["second_factor"]


def test_a_wrong_sign_in_code_by_email_is_a_failed_sign_in_of_that_account(care_world: CareWorld) -> None:
    helper = care_world.helper
    EmailAddress.objects.create(user=helper.user, email=helper.email, verified=True, primary=True)
    client = Client()
    client.post("/en/accounts/login/code/", {"email": helper.email})
    assert EMAIL_CODE.search(mail.outbox[-1].body), "a code was sent"
    client.post("/en/accounts/login/code/confirm/", {"code": "AAAA-AAAA"})
    assert list(SecurityEvent.objects.values_list("user_id", "method")) == [(helper.user_id, "code")]


def test_a_wrong_sms_code_is_a_failed_sign_in_of_the_numbers_account(
    care_world: CareWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sign-up by mobile number signs the number's account in: a wrong code there is a failed sign-in."""
    helper = care_world.helper
    Person.objects.filter(pk=helper.pk).update(phone="+32470998877", phone_verified=True)
    sent: list[str] = []
    monkeypatch.setattr("apps.people.phone_signup.send_sms", lambda *, to, text: sent.append(text))
    for number, account in (("0470 99 88 77", helper.user_id), ("0470 11 22 33", None)):
        client = Client()
        client.post("/en/signup/phone/", {"phone": number})
        code = SIX_DIGITS.search(sent[-1]).group(1)  # type: ignore[union-attr]
        client.post("/en/signup/phone/code/", {"code": f"{(int(code) + 1) % 1_000_000:06d}"})
        assert SecurityEvent.objects.filter(method="code").order_by("-pk").values_list("user_id")[0] == (account,)
    assert SecurityEvent.objects.count() == 2


# --- reads and refusals --------------------------------------------------------------------------------


def residents(district: object, count: int) -> list[Person]:
    """Residents without an account who consented to care matching, with care needs."""
    people = [
        Person.objects.create(
            first_name=f"Bewoner{n}", last_name="Test", district=district, support_needs="Slecht te been",
            street="Teststraat", house_number=str(n), postcode="9000",
        )
        for n in range(count)
    ]
    Consent.objects.bulk_create(
        Consent(person=p, purpose=Purpose.CARE_MATCHING, method=Consent.Method.PHONE,
                text_version=current_version(Purpose.CARE_MATCHING), given_at=timezone.now())
        for p in people
    )  # fmt: skip
    return people


def test_a_coordinator_who_opens_eighty_persons_files_in_a_day_stands_out(
    care_world: CareWorld,
    client_for: Callable[[Person], Client],
    auditor_client: Client,
) -> None:
    client = client_for(care_world.coordinator)
    for person in residents(care_world.district, 80):
        assert client.get(f"/en/persons/{person.pk}/").status_code == 200
    row = row_of(today_report(), care_world.coordinator.user_id)
    assert row.role == "coordinator"
    assert cell(row, "reads") == (80, ["limit"])
    shown = page_row(auditor_client.get(PAGE).content.decode(), care_world.coordinator.user_id)
    assert "Persons read: 80, the limit is 50 a day." in shown


def test_refused_attempts_on_persons_outside_ones_district_stand_out(
    care_world: CareWorld,
    client_for: Callable[[Person], Client],
    auditor_client: Client,
) -> None:
    client = client_for(care_world.other_coordinator)
    for person in residents(care_world.district, 4):
        assert client.get(f"/en/persons/{person.pk}/").status_code == 404
    row = row_of(today_report(), care_world.other_coordinator.user_id)
    assert cell(row, "refused") == (4, ["limit"])
    shown = page_row(auditor_client.get(PAGE).content.decode(), care_world.other_coordinator.user_id)
    assert "Refused: 4, the limit is 3 a day." in shown


def test_far_above_the_accounts_own_usual_day_stands_out_below_the_limit(care_world: CareWorld) -> None:
    """30 reads is under the limit of 50, but ten times what this coordinator reads on a usual day."""
    coordinator = care_world.coordinator
    now = timezone.now()
    people = residents(care_world.district, 30)
    entries = [
        AccessLogEntry(
            at=now - timedelta(days=days_ago), actor_user_id=coordinator.user_id, actor_person_id=coordinator.pk,
            actor_role="coordinator", subject_person_id=person.pk, record_type="people.Person.support_needs",
            record_id=str(person.pk), action="read", purpose="care_matching", outcome="allowed", via="test",
        )
        for days_ago in range(1, 8)
        for person in people[:3]
    ]
    entries += [
        AccessLogEntry(
            at=now, actor_user_id=coordinator.user_id, actor_person_id=coordinator.pk, actor_role="coordinator",
            subject_person_id=person.pk, record_type="people.Person.support_needs", record_id=str(person.pk),
            action="read", purpose="care_matching", outcome="allowed", via="test",
        )
        for person in people
    ]
    AccessLogEntry.objects.bulk_create(entries)
    report = today_report()
    today = [row for row in report.rows if row.user_id == coordinator.user_id and row.day == timezone.localdate()]
    assert cell(today[0], "reads") == (30, ["own"])
    usual = [row for row in report.rows if row.user_id == coordinator.user_id and row.day != timezone.localdate()]
    assert len(usual) == 7 and not any(row.unusual for row in usual), "3 a day, as usual: nothing stands out"


# --- who sees it, and that seeing it is written down ------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    ["resident", "helper", "coordinator", "organisation_staff", "initiative_starter", "centre_committee",
     "city_staff", "administrator"],
)  # fmt: skip
def test_only_the_auditor_sees_the_activity(client_as: Callable[[str], Client], role: str) -> None:
    client = client_as(role)
    assert client.get(PAGE).status_code == 403
    response = client.get(API)
    assert response.status_code == 403
    assert response.json() == {"detail": "Alleen auditors mogen de activiteit van accounts zien."}, "JSON, Dutch first"
    assert 'href="/en/audit/activity/"' not in client.get("/en/").content.decode(), "not in their menu"


def test_anonymous_visitors_are_sent_to_sign_in(db: None) -> None:
    assert Client().get(PAGE).status_code == 302
    assert Client().get(API).status_code == 401


def test_each_visit_of_the_auditor_is_in_the_access_log(
    auditor: Person, auditor_client: Client, care_world: CareWorld
) -> None:
    home = auditor_client.get("/en/").content.decode()
    assert 'href="/en/audit/activity/"' in home, "in the auditor's menu"
    today = timezone.localdate()
    auditor_client.get(PAGE, {"since": (today - timedelta(days=29)).isoformat(), "until": today.isoformat()})
    auditor_client.get(API, {"days": 7})
    auditor_client.get("/en/audit/", {"actor": care_world.helper.user_id})
    logged = AccessLogEntry.objects.filter(actor_user_id=auditor.user_id).order_by("pk")
    assert list(logged.values_list("purpose", "record_type", "record_id", "outcome")) == [
        ("access.view_activity", "access.activity", f"{today - timedelta(days=29)}..{today}", "allowed"),
        ("access.view_activity", "access.activity", f"{today - timedelta(days=6)}..{today}", "allowed"),
        ("access.search_log", "access.log", f"actor={care_world.helper.user_id}", "allowed"),
    ]


def test_the_api_gives_the_same_rows_and_the_rules(
    care_world: CareWorld, auditor_client: Client, client_for: Callable[[Person], Client]
) -> None:
    client = client_for(care_world.other_coordinator)
    for person in residents(care_world.district, 3):
        client.get(f"/en/persons/{person.pk}/")
    body = auditor_client.get(API, {"unusual_only": True}).json()
    kinds = [k["kind"] for k in body["kinds"]]  # other apps may register more kinds
    assert body["factor"] == 3 and {"reads", "takes", "cancellations", "refused", "failed_logins"} <= set(kinds)
    assert {k["kind"]: k["limit"] for k in body["kinds"]}["refused"] == 3
    (row,) = [r for r in body["rows"] if r["account"] == care_world.other_coordinator.user_id]
    assert row["unusual"] and row["counts"]["refused"] == {
        "count": 3, "unusual": True, "reasons": ["limit"], "usual": None, "peer_median": None
    }  # fmt: skip
    assert all(r["unusual"] for r in body["rows"])
    assert auditor_client.get(API, {"since": "2026-01-02"}).status_code == 422


def test_the_period_can_be_chosen_and_a_wrong_one_is_explained(auditor_client: Client) -> None:
    html = auditor_client.get(PAGE, {"since": "2026-03-10", "until": "2026-03-01"}).content.decode()
    assert "The end date is before the start date." in html
    html = auditor_client.get(PAGE, {"since": "2024-01-01", "until": "2026-03-01"}).content.decode()
    assert "Choose a period of at most 92 days." in html
    html = auditor_client.get(PAGE, {"days": "30"}).content.decode()
    start = timezone.localdate() - timedelta(days=29)
    with translation.override("en"):
        assert f"From {date_format(start, 'DATE_FORMAT')} to {date_format(timezone.localdate(), 'DATE_FORMAT')}" in html
    assert "How this page decides what stands out" in html


def test_the_period_shown_in_the_form_is_the_period_of_the_list(auditor_client: Client) -> None:
    """Opened without a choice, the list covers the last 14 days, and the form says so (not its first option)."""
    html = auditor_client.get(PAGE).content.decode()
    assert '<option value="14" selected>' in html
    start = timezone.localdate() - timedelta(days=13)
    with translation.override("en"):
        assert f"From {date_format(start, 'DATE_FORMAT')} to" in html


def test_the_page_works_in_dutch_and_french(auditor_client: Client) -> None:
    assert "Opvallende activiteit" in auditor_client.get("/nl/audit/activity/").content.decode()
    assert "Activité inhabituelle" in auditor_client.get("/fr/audit/activity/").content.decode()


# --- keeping and purging --------------------------------------------------------------------------------


def test_failed_sign_ins_are_append_only_and_purged_with_the_access_log(care_world: CareWorld) -> None:
    wrong_password(Client(), care_world.helper.email, 2)
    event = SecurityEvent.objects.first()
    assert event is not None
    with pytest.raises(AccessLogIsAppendOnly):
        event.save()
    with pytest.raises(AccessLogIsAppendOnly):
        event.delete()
    with pytest.raises(AccessLogIsAppendOnly):
        SecurityEvent.objects.all().delete()
    with pytest.raises(AccessLogIsAppendOnly):
        SecurityEvent.objects.update(user_id=None)
    now = timezone.now()
    assert security_events_purge(now=now + timedelta(days=364)) == 0
    assert apply_retention(now=now + timedelta(days=366))["security_events"] == 2
    assert not SecurityEvent.objects.exists()


@pytest.mark.postgres
def test_postgresql_itself_refuses_to_change_or_delete_failed_sign_ins(care_world: CareWorld) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    wrong_password(Client(), care_world.helper.email, 1)
    event = SecurityEvent.objects.get()
    for statement in (
        "UPDATE access_securityevent SET user_id = NULL WHERE id = %s",
        "DELETE FROM access_securityevent WHERE id = %s",
    ):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert SecurityEvent.objects.get(pk=event.pk).user_id == care_world.helper.user_id


def test_days_are_the_citys_days_also_across_daylight_saving_changes(db: None) -> None:
    """SQLite moves times by the zone's offset in SQL; the days must be those PostgreSQL's AT TIME ZONE gives."""
    from datetime import UTC, datetime

    from django.db.models import Count

    from apps.access.activity import per_day

    instants = [
        datetime(2026, 3, 28, 22, 59, tzinfo=UTC), datetime(2026, 3, 28, 23, 0, tzinfo=UTC),  # midnight, winter
        datetime(2026, 3, 29, 0, 59, tzinfo=UTC), datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # the change
        datetime(2026, 3, 29, 21, 59, tzinfo=UTC), datetime(2026, 3, 29, 22, 0, tzinfo=UTC),  # midnight, summer
        datetime(2026, 10, 24, 21, 59, tzinfo=UTC), datetime(2026, 10, 24, 22, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 59, tzinfo=UTC), datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 22, 59, tzinfo=UTC), datetime(2026, 10, 25, 23, 0, tzinfo=UTC),
    ]  # fmt: skip
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(at=at, actor_user_id=n, actor_role="coordinator", subject_person_id=1, record_type="t",
                       record_id="1", action="read", purpose="p", outcome="allowed", via="t")
        for n, at in enumerate(instants)
    )  # fmt: skip
    start, end = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)
    entries = AccessLogEntry.objects.all()
    in_sql = sorted(per_day(entries, "actor_user_id", Count("id"), start=start, end=end))
    in_python = sorted(
        ((n, ""), timezone.localtime(at).date(), 1) for n, at in enumerate(instants)
    )
    assert in_sql == in_python
    assert sorted(per_day(entries, "actor_user_id", Count("id"))) == in_python
