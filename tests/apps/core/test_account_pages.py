"""allauth's pages (sign in, sign up, password reset, email, second factor, sessions...) in the site's frame, with the
design system's buttons and fields, and in Dutch with "u": allauth's own Dutch says "je", the project's catalogue
(``locale/``, first in LOCALE_PATHS, so it wins over allauth's) says it again with "u"."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import allauth
import polib
import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, ngettext

INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.I)
ALLAUTH_DUTCH = Path(allauth.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"

PAGES = {
    "anonymous": [
        "/nl/accounts/login/",
        "/nl/accounts/signup/",
        "/nl/accounts/password/reset/",
        "/nl/accounts/password/reset/done/",
        "/nl/accounts/login/code/",
        "/nl/accounts/confirm-email/",
        "/nl/accounts/inactive/",
        "/nl/accounts/password/reset/key/done/",
        "/nl/accounts/3rdparty/login/cancelled/",
        "/nl/accounts/3rdparty/login/error/",
    ],
    "resident": [
        "/nl/accounts/logout/",
        "/nl/accounts/email/",
        "/nl/accounts/password/change/",
        "/nl/accounts/2fa/",
        "/nl/accounts/3rdparty/",
        "/nl/accounts/reauthenticate/",
    ],
}
"""The allauth pages a person can open without a code or a link from an email (those need a key: their templates are
the same elements)."""


def main_text(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def test_every_allauth_text_that_says_je_says_u_in_our_dutch() -> None:
    informal = [
        entry
        for entry in polib.pofile(str(ALLAUTH_DUTCH))
        if not entry.obsolete
        and (INFORMAL.search(entry.msgstr) or any(INFORMAL.search(v) for v in entry.msgstr_plural.values()))
    ]
    assert len(informal) > 50  # allauth's Dutch is informal throughout
    with translation.override("nl"):
        for entry in informal:
            said = ngettext(entry.msgid, entry.msgid_plural, 2) if entry.msgid_plural else gettext(entry.msgid)
            assert not INFORMAL.search(said), (entry.msgid, said)
            assert said != entry.msgid, f"not translated: {entry.msgid!r}"


@pytest.mark.parametrize("role", PAGES)
def test_allauths_pages_are_in_the_sites_frame_and_say_u(client_as: Callable[[str], Client], role: str) -> None:
    client = client_as(role)
    for path in PAGES[role]:
        response = client.get(path, follow=True)
        assert response.status_code in (200, 401), path  # 401: the outside provider's sign-in failed
        html = response.content.decode()
        assert 'class="site-header"' in html and 'class="site-nav"' in html, f"{path}: outside the site's frame"
        text = main_text(html)
        assert not INFORMAL.search(text), f"{path}: {INFORMAL.search(text)} in {text!r}"
        main = html[html.index("<main") :]
        for button in re.findall(r"<button[^>]*>", main):
            assert 'class="button ' in button or "link-button" in button, f"{path}: a bare button {button}"
        for field in re.findall(r"<input (?![^>]*type=\"(?:hidden|checkbox|radio)\")[^>]*>", main):
            assert re.search(r'id="([^"]+)"', field), f"{path}: a field without an id {field}"


TITLE_CASE = re.compile(
    r"\b(Sign In|Sign Up|Sign Out|Password Reset|Change Password|Set Password|Email Addresses|Add Email|Make Primary)\b"
)


def test_allauths_english_titles_say_what_the_menu_says(client_as: Callable[[str], Client]) -> None:
    """The menu says "Log in" and "Log out"; allauth's own English said "Sign In" and "Sign Out" in title case on the
    page the menu opens, so a resident read two words for one thing."""
    pages = {
        "anonymous": ["/en/accounts/login/", "/en/accounts/signup/", "/en/accounts/password/reset/"],
        "resident": ["/en/accounts/logout/", "/en/accounts/email/", "/en/accounts/password/change/"],
    }
    for role, paths in pages.items():
        client = client_as(role)
        for path in paths:
            text = main_text(client.get(path).content.decode())
            assert not TITLE_CASE.search(text), f"{path}: {TITLE_CASE.search(text)}"
    html = client_as("anonymous").get("/en/accounts/login/").content.decode()
    assert re.search(r"<h1[^>]*>\s*Log in\s*</h1>", html)


def test_the_dutch_signs_out_as_the_menu_does() -> None:
    """allauth's Dutch said "Elders uitloggen" and "Zet wachtwoord"; the site says "afmelden" and plain Dutch."""
    with translation.override("nl"):
        assert gettext("Sign Out Other Sessions") == "Op andere toestellen afmelden"
        assert gettext("Set Password") == "Wachtwoord instellen"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "said"), [("nl", "te kort"), ("fr", "trop court")])
def test_a_too_short_password_is_refused_in_the_pages_language(client: Client, language: str, said: str) -> None:
    """Django 5.2 says "at least %d characters" where its Dutch and French catalogues still hold the old
    "%(min_length)d" text: the Dutch sign-up page answered in English."""
    html = client.post(
        f"/{language}/accounts/signup/", {"email": "nieuw@example.org", "password1": "kort", "password2": "kort"}
    ).content.decode()
    assert "too short" not in html
    assert said in html


def test_a_password_like_the_email_address_is_refused_in_plain_dutch() -> None:
    """Django's Dutch said "lijkt te veel op de e-mailadres" (het e-mailadres)."""
    with translation.override("nl"):
        said = gettext("The password is too similar to the %(verbose_name)s.") % {"verbose_name": "e-mailadres"}
    assert said == "Het wachtwoord lijkt te veel op uw e-mailadres."


def test_where_you_are_signed_in_reads_with_its_moments() -> None:
    """The sessions page shows "6 hours ago" after each label: allauth's Dutch said "Gestart op 6 uur geleden",
    "Laatst gezien op ...", "IP adres", and the English "Started At", "IP Address" in title case."""
    expected = {
        "nl": ["Waar u aangemeld bent", "Begonnen", "IP-adres", "Laatst gezien", "Dit toestel"],
        "en": ["Where you are signed in", "Started", "IP address", "Last seen", "This device"],
        "fr": ["Où vous êtes connecté", "Commencée", "Adresse IP", "Vue pour la dernière fois", "Cet appareil"],
    }
    for language, words in expected.items():
        with translation.override(language):
            said = [gettext(m) for m in ("Sessions", "Started At", "IP Address", "Last seen at", "Current")]
        assert said == words, language
