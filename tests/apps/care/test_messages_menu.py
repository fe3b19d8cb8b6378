"""The messages page keeps the menu of the person reading it: a helper reads them among the helper's pages
("Help a neighbour" marked, the helper's sub-menu), a resident among their requests."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client

from tests.apps.core.test_menus_and_panels import read_menu


def sub_menu(html: str) -> tuple[list[str], list[str]]:
    """The links of the page's sub-menu, and those marked as the current page."""
    nav = re.search(r'<nav class="sub-nav"[^>]*>(.*?)</nav>', html, re.S)
    assert nav is not None, "a sub-menu"
    links = re.findall(r"<a [^>]*>(.*?)</a>", nav.group(1))
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>(.*?)</a>', nav.group(1))
    return links, current


def test_a_helper_reads_messages_among_the_helpers_pages(client_as: Callable[[str], Client]) -> None:
    client = client_as("helper")
    near_me = client.get("/en/help/").content.decode()
    links, _current = sub_menu(near_me)
    assert "My messages" in links
    href = re.search(r'class="sub-nav".*?<a [^>]*href="([^"]+)"[^>]*>My messages</a>', near_me, re.S)
    assert href is not None
    page = client.get(href.group(1), follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>My messages</h1>" in html
    links, current = sub_menu(html)
    assert "Requests near me" in links and "Ask for help" not in links
    assert current == ["My messages"]
    assert read_menu(html).current == ["Help a neighbour"]


def test_a_helper_who_follows_the_residents_link_still_gets_the_helpers_menu(
    client_as: Callable[[str], Client],
) -> None:
    """A link in a message or an email points at the messages: a helper who asks nothing for herself reads them
    in her own frame."""
    page = client_as("helper").get("/en/care/messages/", follow=True)
    assert page.redirect_chain and page.redirect_chain[-1][0] == "/en/help/messages/"
    assert read_menu(page.content.decode()).current == ["Help a neighbour"]


def test_a_resident_reads_messages_among_their_requests(client_as: Callable[[str], Client]) -> None:
    html = client_as("resident").get("/en/care/messages/").content.decode()
    links, current = sub_menu(html)
    assert "Ask for help" in links and "Requests near me" not in links
    assert current == ["My messages"]
    assert read_menu(html).current == ["My requests"]
