"""Each role lands on its own start page after signing in, and its menu shows only what it can use.

The start page is what the apps declare (``Capability.landing`` in ``apps/<app>/capability.py``): the
coordinator's worklist, the helper's requests near them, the resident's requests and visits, the auditor's
access log, the administrator's admin, an organisation's staff their organisation, city staff the
organisations.  A safe ``?next=`` still wins; an unsafe one is ignored.  Signing in goes through the real
login form, and through the second factor for staff.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from apps.access.actors import Actor
from apps.core import navigation
from apps.people.demo import DEMO_ACCOUNTS, demo_password, demo_totp_code, needs_second_factor
from apps.people.models import Role
from tests.apps.conftest import ROLES
from tests.apps.core.test_menus_and_panels import KNOWN_APPS, read_menu

LANDS_ON = {
    "resident": "/en/care/",  # my requests and my visits
    "helper": "/en/help/",  # requests near me
    "coordinator": "/en/coordinate/",  # the worklist
    "organisation_staff": "/en/my-organisation/",
    "initiative_starter": "/en/",  # nothing of their own yet: the home page
    "centre_committee": "/en/",
    "city_staff": "/en/organisations/",
    "administrator": "/en/admin/",
    "auditor": "/en/audit/",  # the access log
}
"""Where each demo role lands after signing in without asking for a page."""

FOR_ME = ["My requests", "Help a neighbour", "My profile"]
MENU_LINKS = {
    "resident": FOR_ME,
    "helper": FOR_ME,
    "coordinator": ["My profile", "Worklist", "Residents"],
    "organisation_staff": ["My organisation", "My profile"],
    "initiative_starter": FOR_ME,
    "centre_committee": FOR_ME,
    "city_staff": ["My profile", "Organisations"],
    "administrator": ["My profile", "Organisations", "Administration"],
    "auditor": ["My profile", "Access log", "Unusual activity"],
}
"""The links of each role's menu besides the public ones (Districts, Find an address): a work account (staff
roles only) has no "My requests" nor "Help a neighbour"."""


def sign_in(client: Client, role: str, query: str = "") -> list[str]:
    """Sign in through the login form (and the authenticator code for staff); the addresses it leads through."""
    account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
    response = client.post(
        f"/en/accounts/login/{query}", {"login": account.email, "password": demo_password(account)}, follow=True
    )
    chain = [url for url, _status in response.redirect_chain]
    if needs_second_factor(account):
        cache.clear()  # a code is taken once per 30 seconds (allauth remembers it): a test before may have used it
        assert response.request["PATH_INFO"] == "/en/accounts/2fa/authenticate/", chain
        response = client.post("/en/accounts/2fa/authenticate/", {"code": demo_totp_code(account)}, follow=True)
        chain += [url for url, _status in response.redirect_chain]
    assert response.status_code == 200, (role, chain, response.status_code)
    return chain


def ours(links: list[str]) -> list[str]:
    """The links the apps of this project add (a capability installed later adds its own)."""
    labels = {str(e.label) for app, e in navigation.declared_entries() if app in KNOWN_APPS and e.rule != "public"}
    return [link for link in links if link in labels]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lands_on_its_own_page_and_sees_only_what_it_can_use(
    client_as: Callable[[str], Client], role: str
) -> None:
    client = Client()
    chain = sign_in(client, role)
    assert chain[-1] == LANDS_ON[role], chain
    menu_page = client.get(chain[-1] if role != "administrator" else "/en/")  # the admin has its own menu
    links = [link for _heading, group in read_menu(menu_page.content.decode()).menu() for link in group]
    assert ours(links) == MENU_LINKS[role]
    for label, href in read_menu(menu_page.content.decode()).hrefs.items():
        if label in MENU_LINKS[role]:
            assert client.get(href).status_code == 200, f"{role}: {label} ({href})"


@pytest.mark.parametrize("role", ["auditor", "administrator", "coordinator", "city_staff", "organisation_staff"])
def test_a_work_account_has_no_my_requests_and_cannot_open_them(
    client_as: Callable[[str], Client], role: str
) -> None:
    client = client_as(role)
    for path in ("/en/care/", "/en/care/ask/", "/en/help/", "/en/help/offer/", "/en/care/messages/"):
        assert client.get(path).status_code == 403, path


def test_a_safe_next_wins_and_an_unsafe_one_is_ignored(demo_city: None) -> None:
    assert sign_in(Client(), "coordinator", "?next=/en/districts/")[-1] == "/en/districts/"
    assert sign_in(Client(), "resident", "?next=/en/about/")[-1] == "/en/about/"
    assert sign_in(Client(), "resident", "?next=https://evil.example/")[-1] == LANDS_ON["resident"]


def test_the_lowest_priority_wins_for_someone_with_several_roles(demo_city: None) -> None:
    """A coordinator who also lives in the city and asked for help lands on the worklist; a resident who also
    helps lands on the requests near them."""
    from apps.access.actors import Grant
    from apps.people.rules import acts_as_resident

    with translation.override("nl"):
        both = Actor(user_id=1, person_id=1, grants=(Grant(Role.RESIDENT), Grant(Role.COORDINATOR, district_id=1)))
        assert navigation.landing_url(both) == "/nl/coordinate/"
        helping = Actor(user_id=1, person_id=1, grants=(Grant(Role.RESIDENT), Grant(Role.HELPER)))
        assert navigation.landing_url(helping) == "/nl/help/"
        assert acts_as_resident(both) and acts_as_resident(helping)
        auditor = Actor(user_id=1, person_id=1, grants=(Grant(Role.AUDITOR),))
        assert not acts_as_resident(auditor)
        assert navigation.landing_url(Actor()) == "/nl/"
