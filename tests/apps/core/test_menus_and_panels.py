"""The menu, the home page and a person's page are built from what the apps declare (``apps/<app>/capability.py``).

Each role's menu lists exactly what its rules allow, in groups, and never a page that refuses it; the home
page shows each role its own panels, cheaply and without more than the pages they link to; a coordinator's
page of a person carries the actions care declares; and a broken declaration stops the start-up check.
The tables below hold what the apps of this project add; a capability installed later adds its own links
and panels, which must follow the same rules (the tests check those against the declarations).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from apps.access.actors import actor_for_user
from apps.access.decorators import page_opens
from apps.access.models import AccessLogEntry
from apps.access.rules import can
from apps.care import selectors as care_selectors
from apps.care.models import HelperOffer, Match
from apps.core import capabilities as registry
from apps.core import navigation
from apps.core.capabilities import Capability, HomePanel, MenuEntry, PersonAction
from apps.core.checks_navigation import navigation_is_declared_well
from apps.organisations.demo import DEMO_ORGANISATION
from apps.organisations.models import Organisation
from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Person
from tests.apps.conftest import ROLES

EVERYONE = ["anonymous", *ROLES]
KNOWN_APPS = ("core", "places", "people", "organisations", "access", "care")
"""The apps the tables below describe."""
PUBLIC = ("", ["Districts", "Find an address"])
FOR_ME = ("For me", ["My requests", "Help a neighbour", "My profile"])

WORK_ONLY = ("For me", ["My profile"])
MENUS: dict[str, list[tuple[str, list[str]]]] = {
    "anonymous": [PUBLIC],
    "resident": [PUBLIC, FOR_ME],
    "helper": [PUBLIC, FOR_ME],
    "coordinator": [PUBLIC, WORK_ONLY, ("Coordination", ["Worklist", "Residents"])],
    "organisation_staff": [PUBLIC, ("For me", ["My organisation", "My profile"])],
    "initiative_starter": [PUBLIC, FOR_ME],
    "centre_committee": [PUBLIC, FOR_ME],
    "city_staff": [PUBLIC, WORK_ONLY, ("City", ["Organisations"])],
    "administrator": [PUBLIC, WORK_ONLY, ("City", ["Organisations", "Administration"])],  # back to the admin
    "auditor": [PUBLIC, WORK_ONLY, ("Audit", ["Access log", "Unusual activity"])],
}
"""What each demo role finds in the menu (English): the links in the bar, then each group's heading and links.
An account that holds only staff roles is a work account: no "My requests", no "Help a neighbour"
(``care.view_my_requests``, ``apps.people.rules.acts_as_resident``)."""

EVERYONES_PANELS = ["places-districts", "places-address"]
PANELS = {
    "anonymous": EVERYONES_PANELS,
    "resident": ["care-requests", *EVERYONES_PANELS],
    "helper": ["care-visits", *EVERYONES_PANELS],
    "coordinator": ["care-worklist", *EVERYONES_PANELS],
    "organisation_staff": ["organisations-mine", *EVERYONES_PANELS],
    "initiative_starter": EVERYONES_PANELS,
    "centre_committee": EVERYONES_PANELS,
    "city_staff": EVERYONES_PANELS,
    "administrator": EVERYONES_PANELS,
    "auditor": ["access-audit", *EVERYONES_PANELS],
}
"""The home page's panels per role, in their order: each role's own first, then the districts for everyone."""

PANEL_QUERIES = {
    "anonymous": 1,  # the number of districts
    "resident": 6,  # + the open requests, with their times, matches, helpers and the helpers' names (5)
    "helper": 5,  # + the offer, the week's visits, the proposals waiting (3), whether she asked for help herself
    "coordinator": 5,  # + the few lists the worklist's sections are built from (3) and their counts in one query
    # (a work account: no "My requests" panel, so no query whether he asked for help himself)
    "organisation_staff": 2,  # + the organisations she works for
    "initiative_starter": 2,  # + whether they asked for help (no open request: their panel is left out)
    "centre_committee": 2,
    "city_staff": 1,
    "administrator": 1,
    "auditor": 1,  # + her two links, which need no query
}
"""Queries the home page's panels make per role, besides who is signed in: a few, whatever the city's size."""


class MenuReader(HTMLParser):
    """The main menu of a page as a person reads it: links in the bar, then each group's heading and links."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[tuple[str, list[str]]] = []
        self.hrefs: dict[str, str] = {}
        self.current: list[str] = []
        self.current_groups: list[str] = []
        self._in_nav = self._in_summary = self._in_link = False
        self._href = ""
        self._current_link = False
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "nav" and "site-nav" in (found.get("class") or ""):
            self._in_nav = True
            self.sections.append(("", []))
        if not self._in_nav:
            return
        if tag == "details":
            self.sections.append(("", []))
            if "is-current" in (found.get("class") or ""):
                self.current_groups.append("?")
        elif tag == "summary":
            self._in_summary, self._text = True, ""
        elif tag == "a":
            self._in_link, self._text = True, ""
            self._href = found.get("href") or ""
            self._current_link = found.get("aria-current") == "page"

    def handle_data(self, data: str) -> None:
        if self._in_summary or self._in_link:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if not self._in_nav:
            return
        if tag == "nav":
            self._in_nav = False
        elif tag == "summary":
            self._in_summary = False
            heading = self._text.strip()
            self.sections[-1] = (heading, self.sections[-1][1])
            if self.current_groups and self.current_groups[-1] == "?":
                self.current_groups[-1] = heading
        elif tag == "details":
            self.sections.append(("", []))
        elif tag == "a" and self._in_link:
            self._in_link = False
            label = self._text.strip()
            self.sections[-1][1].append(label)
            self.hrefs[label] = self._href
            if self._current_link:
                self.current.append(label)

    def menu(self) -> list[tuple[str, list[str]]]:
        """Sections with links, the bar's links before and after the groups joined (log in and out aside)."""
        found: list[tuple[str, list[str]]] = []
        for heading, links in self.sections:
            links = [link for link in links if link not in {"Log in", "Sign up with your mobile number"}]
            if not links:
                continue
            if not heading and found and not found[-1][0]:
                found[-1][1].extend(links)
            else:
                found.append((heading, links))
        return found


def read_menu(html: str) -> MenuReader:
    reader = MenuReader()
    reader.feed(html)
    return reader


def account_of(role: str) -> Any:
    account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
    return get_user_model().objects.get(username=account.email)


def actor_of(role: str) -> Any:
    return actor_for_user(None if role == "anonymous" else account_of(role))


def panel_keys(html: str) -> list[str]:
    main = html[html.index("<main") :]
    keys = []
    for part in main.split('data-panel="')[1:]:
        keys.append(part.split('"', 1)[0])
    return keys


def panel_html(html: str, key: str) -> str:
    start = html.index(f'data-panel="{key}"')
    return html[start : html.index("</section>", start)]


def known(capabilities: tuple[Capability, ...]) -> tuple[Capability, ...]:
    return tuple(c for c in capabilities if c.app in KNOWN_APPS)


def known_labels() -> set[str]:
    return {str(entry.label) for capability in known(registry.capabilities()) for entry in capability.menu}


def known_panels() -> set[str]:
    return {panel.key for capability in known(registry.capabilities()) for panel in capability.home_panels}


# --- the menu ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE)
def test_each_role_finds_in_the_menu_exactly_what_its_rules_allow(
    client_as: Callable[[str], Client], role: str
) -> None:
    html = client_as(role).get("/en/").content.decode()
    menu = read_menu(html).menu()
    ours = [(heading, [link for link in links if link in known_labels()]) for heading, links in menu]
    assert [(heading, links) for heading, links in ours if links] == MENUS[role]
    actor = actor_of(role)
    allowed = {str(entry.label) for _app, entry in navigation.declared_entries() if can(actor, entry.rule)}
    if role == "anonymous":  # a page behind any rule but "public" asks a visitor to log in first
        allowed = {str(e.label) for _app, e in navigation.declared_entries() if e.rule == "public"}
    assert {label for _heading, links in menu for label in links} == allowed
    assert ("Log out" in html) == (role != "anonymous")
    assert ("Sign up with your mobile number" in html) == (role == "anonymous")


@pytest.mark.parametrize("role", EVERYONE)
def test_every_link_of_a_roles_menu_opens_and_is_marked_as_the_current_page(
    client_as: Callable[[str], Client], role: str
) -> None:
    """The menu never links to a page that refuses this role; on the page, its link says "current page"."""
    client = client_as(role)
    hrefs = read_menu(client.get("/en/").content.decode()).hrefs
    for label, href in hrefs.items():
        if label in {"Log in", "Sign up with your mobile number"}:
            continue
        response = client.get(href)
        assert response.status_code == 200, f"{role}: {label} ({href}) answered {response.status_code}"
        if href == "/en/admin/":
            continue  # the admin has its own frame, without the site's menu
        assert read_menu(response.content.decode()).current == [label], f"{role}: {label}"


def test_a_page_behind_a_menu_link_marks_that_link_and_its_group(client_as: Callable[[str], Client]) -> None:
    client = client_as("coordinator")
    section = read_menu(client.get("/en/coordinate/worklist/new/").content.decode())
    assert section.current == ["Worklist"] and section.current_groups == ["Coordination"]
    district = read_menu(client.get("/en/districts/binnenstad/").content.decode())
    assert district.current == ["Districts"] and district.current_groups == []  # in the bar, not in a group
    home = read_menu(client.get("/en/").content.decode())
    assert home.current == [] and home.current_groups == []


def test_the_menu_is_built_once_per_request(demo_city: None) -> None:
    request = RequestFactory().get("/en/")
    request.user = account_of("coordinator")
    assert navigation.menu_for(request) is navigation.menu_for(request)


def test_a_group_with_no_entry_for_the_person_is_not_shown(client_as: Callable[[str], Client]) -> None:
    html = client_as("resident").get("/en/").content.decode()
    assert "<summary>Coordination" not in html and "<summary>Audit" not in html and "<summary>City" not in html
    assert "<details" in html  # the resident's own group is there


# --- the home page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE)
def test_each_role_sees_its_own_panels_on_the_home_page(client_as: Callable[[str], Client], role: str) -> None:
    response = client_as(role).get("/en/")
    assert response.status_code == 200
    shown = panel_keys(response.content.decode())
    assert [key for key in shown if key in known_panels()] == PANELS[role]
    actor = actor_of(role)
    for panel in navigation.declared_panels():
        if panel.key in shown:
            assert page_opens(actor, panel.rule), panel.key
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize("role", EVERYONE)
def test_the_panels_of_the_home_page_make_a_few_queries(
    demo_city: None, role: str, django_assert_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = known(registry.capabilities())  # a capability installed later counts its own panel's queries
    monkeypatch.setattr(registry, "capabilities", lambda: ours)
    request = RequestFactory().get("/en/")
    request.user = account_of(role) if role != "anonymous" else None
    request._actor = actor_of(role)  # type: ignore[attr-defined]  # who is signed in: read once per request anyway
    with django_assert_num_queries(PANEL_QUERIES[role]):
        shown = navigation.home_panels(request)
    assert [panel.key for panel in shown] == PANELS[role]


def test_the_coordinators_worklist_panel_counts_each_section_and_names_nobody(
    client_as: Callable[[str], Client],
) -> None:
    """Numbers only: the rows, with names, are on the worklist's pages, which log what they show."""
    client = client_as("coordinator")
    actor = actor_for_user(account_of("coordinator"))
    logged = AccessLogEntry.objects.count()
    panel = panel_html(client.get("/en/").content.decode(), "care-worklist")
    assert AccessLogEntry.objects.count() == logged
    sections = care_selectors.worklist_sections(actor)
    counts = {key: rows.count() for key, rows in sections.items()}
    assert care_selectors.worklist_counts(actor) == counts
    assert sum(counts.values()) > 0
    for key, count in counts.items():
        link = reverse("care:worklist_section", args=[key])
        assert (link in panel) == (count > 0), key
        if count:
            assert f'{link}">' in panel and f'<span class="panel-count">{count}</span>' in panel
            assert client.get(link).status_code == 200
    for rows in sections.values():
        for row in rows:
            person = row.request.person if isinstance(row, Match) else row.person
            assert person.last_name not in panel


def test_the_helpers_panel_lists_the_visits_of_the_coming_week(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    client = client_as("helper")
    panel = panel_html(client.get("/en/").content.decode(), "care-visits")
    offer = HelperOffer.objects.get(person=person_of("helper"))
    planned = Match.objects.get(helper=offer, status=Match.Status.PLANNED)
    assert reverse("care:helper_match", args=[planned.pk]) in panel
    assert "Planned:" in panel
    done = Match.objects.get(helper=offer, status=Match.Status.DONE)
    assert reverse("care:helper_match", args=[done.pk]) not in panel
    assert "asked you for 1 request" in panel  # the proposal waiting for her answer
    # as "My visits" shows them: what and where, never who
    assert planned.request.person.last_name not in panel and planned.request.person.street not in panel
    assert client.get(reverse("care:helper_match", args=[planned.pk])).status_code == 200


def test_the_residents_panel_lists_their_open_requests_only(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    panel = panel_html(client_as("resident").get("/en/").content.decode(), "care-requests")
    for request in person_of("resident").care_requests.all():
        link = reverse("care:my_request", args=[request.pk])
        assert (link in panel) == (request.status in care_selectors.NOT_CLOSED), request.status
    assert reverse("care:ask") in panel


def test_organisation_staff_find_their_organisation_and_the_auditor_the_log(
    client_as: Callable[[str], Client],
) -> None:
    staff = client_as("organisation_staff")
    panel = panel_html(staff.get("/en/").content.decode(), "organisations-mine")
    organisation = Organisation.objects.get(slug=DEMO_ORGANISATION)
    assert f"You work for {organisation.name}" in panel
    assert staff.get(reverse("organisations:organisation_edit", args=[organisation.slug])).status_code == 200
    auditor = client_as("auditor")
    panel = panel_html(auditor.get("/en/").content.decode(), "access-audit")
    for url in (reverse("access:log_search"), reverse("access:activity")):
        assert f'href="{url}"' in panel and auditor.get(url).status_code == 200


# --- a person's page ----------------------------------------------------------------------------------


@translation.override("en")
def test_a_coordinators_page_of_a_person_carries_the_actions_care_declares(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    client = client_as("coordinator")
    resident = resident_in_coordinators_district
    html = client.get(reverse("people:person_detail", args=[resident.pk])).content.decode()
    take = reverse("care:take_by_phone", args=[resident.pk])
    assert f'href="{take}">Take a request for help by phone</a>' in html
    assert "Helper&#x27;s checks (vetting)" not in html  # she offered no help
    assert client.get(take).status_code == 200

    actor = actor_for_user(account_of("coordinator"))
    offer = next(o for o in care_selectors.offers_in_scope(actor) if can(actor, "care.record_vetting", o))
    html = client.get(reverse("people:person_detail", args=[offer.person.pk])).content.decode()
    vetting = reverse("care:vetting", args=[offer.pk])
    assert f'href="{vetting}">Helper&#x27;s checks (vetting)</a>' in html
    assert html.index("Take a request for help by phone") < html.index("Helper&#x27;s checks (vetting)")
    assert client.get(vetting).status_code == 200


@translation.override("en")
def test_a_person_on_their_own_page_gets_no_coordinators_action(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    me = person_of("helper")
    response = client_as("helper").get(reverse("people:person_detail", args=[me.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Take a request for help by phone" not in html and "vetting" not in html


def test_the_frames_templates_name_no_capabilitys_page() -> None:
    """The base template and the foundation's templates link to care only through its declarations."""
    foundation = ("core", "people", "places", "organisations", "access")
    for app in foundation:
        for template in (Path(settings.BASE_DIR) / "apps" / app / "templates").rglob("*.html"):
            text = template.read_text()
            assert "care:" not in text and "can_view_worklist" not in text, template


# --- the start-up check ------------------------------------------------------------------------------


def test_the_declarations_pass_the_check(db: None) -> None:
    assert navigation_is_declared_well() == []


def test_the_check_names_every_broken_declaration(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    real = registry.capabilities()
    places = next(c for c in real if c.app == "places")
    broken = Capability(
        app="broken",
        menu=(
            MenuEntry("No such page", "broken:nothing", rule="public", group="discover"),
            MenuEntry("Needs an argument", "places:district_detail", rule="public", group="discover"),
            MenuEntry("No such rule", "core:about", rule="broken.no_such_rule", group="discover"),
            MenuEntry("No such group", "core:about", rule="public", group="nowhere"),
        ),
        person_actions=(
            PersonAction("No such page", "care:no_such_page", rule="care.take_request_by_phone"),
            PersonAction("No such rule", "care:take_by_phone", rule="care.no_such_rule"),
        ),
        home_panels=(
            HomePanel("broken-missing", "broken/no_such_panel.html", rule="public"),
            HomePanel("broken-rule", "places/panels/address.html", rule="no.such_rule"),
            replace(places.home_panels[0]),  # the same key as the districts' panel
        ),
    )
    monkeypatch.setattr(registry, "capabilities", lambda: (*real, broken))
    errors = navigation_is_declared_well()
    found = sorted((error.id, error.msg.split("'")[1]) for error in errors)
    assert found == sorted(
        [
            ("cityofpeople.E201", "broken:nothing"),
            ("cityofpeople.E201", "places:district_detail"),
            ("cityofpeople.E202", "core:about"),
            ("cityofpeople.E203", "core:about"),
            ("cityofpeople.E201", "care:no_such_page"),
            ("cityofpeople.E202", "care:take_by_phone"),
            ("cityofpeople.E204", "broken-missing"),
            ("cityofpeople.E202", "broken-rule"),
            ("cityofpeople.E205", "places-districts"),
        ]
    )
    assert all(error.msg.startswith("broken: ") and "apps/broken/capability.py" in error.hint for error in errors)
