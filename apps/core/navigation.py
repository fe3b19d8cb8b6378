"""The main menu, the home page's panels and the actions and sections of a person's page, built from what the apps
declare.

Each app says in ``apps/<app>/capability.py`` which links it adds to the menu, which panels to the home page
and which buttons to a person's page, each behind a rule.  Here they are put together for one person: only
what their rules allow (a link the menu shows never answers "forbidden"), in the declared order, the menu
once per request.  The frame names no app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from apps.access.actors import ANONYMOUS, Actor, actor_for
from apps.access.decorators import page_opens
from apps.access.rules import can

from . import capabilities as registry
from .capabilities import HomePanel, Landing, MenuEntry, PersonAction, PersonSection, Text


@dataclass(frozen=True)
class MenuLink:
    label: Text
    url: str
    current: bool = False


@dataclass(frozen=True)
class MenuSection:
    """One group of the menu as a person sees it (never without links): those that stand in the menu bar,
    then those behind the group's heading."""

    key: str
    label: Text
    in_bar: tuple[MenuLink, ...]
    folded: tuple[MenuLink, ...]

    @property
    def links(self) -> tuple[MenuLink, ...]:
        return self.in_bar + self.folded

    @property
    def is_current(self) -> bool:
        """The page shown is behind this group's heading: the heading says so while the group is closed."""
        return any(link.current for link in self.folded)


@dataclass(frozen=True)
class ActionLink:
    label: Text
    url: str


def _actor(request: HttpRequest | None) -> Actor:
    return actor_for(request) if request is not None else ANONYMOUS


def declared_entries() -> list[tuple[str, MenuEntry]]:
    """Every menu entry of every installed app with its app, in the apps' order (``INSTALLED_APPS``)."""
    return [(declared.app, entry) for declared in registry.capabilities() for entry in declared.menu]


def _current_entry(entries: list[MenuEntry], request: HttpRequest | None) -> MenuEntry | None:
    """The entry of the page shown: its own URL name first, then a name it lists, then a namespace ("ns:*")."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return None
    view_name, namespace = match.view_name, match.namespace
    for found in (
        (e for e in entries if e.url_name == view_name),
        (e for e in entries if view_name in e.current),
        (e for e in entries if namespace and f"{namespace}:*" in e.current),
    ):
        entry = next(found, None)
        if entry is not None:
            return entry
    return None


def build_menu(actor: Actor, request: HttpRequest | None = None) -> tuple[MenuSection, ...]:
    """The menu for this actor: groups in their order, each with the entries the actor's rules allow."""
    groups = registry.menu_groups()
    shown = [entry for _app, entry in declared_entries() if page_opens(actor, entry.rule)]  # as @requires decides
    current = _current_entry(shown, request)
    by_group: dict[str, list[MenuEntry]] = {}
    for entry in sorted(shown, key=lambda e: e.order):  # stable: the apps' order breaks a tie
        by_group.setdefault(entry.group, []).append(entry)
    position = {key: index for index, key in enumerate(groups)}
    sections = []
    for key in sorted(by_group, key=lambda k: (groups[k].order, position[k])):
        links = tuple(MenuLink(e.label, reverse(e.url_name), e is current) for e in by_group[key])
        in_bar = max(groups[key].in_bar, 0)
        sections.append(MenuSection(key, groups[key].label, links[:in_bar], links[in_bar:]))
    return tuple(sections)


def menu_for(request: HttpRequest | None) -> tuple[MenuSection, ...]:
    """The menu of the person behind this request, built once per request (every template may ask)."""
    if request is None:
        return build_menu(ANONYMOUS)
    cached: tuple[MenuSection, ...] | None = getattr(request, "_cop_menu", None)
    if cached is None:
        cached = build_menu(_actor(request), request)
        request._cop_menu = cached  # type: ignore[attr-defined]
    return cached


def declared_landings() -> list[Landing]:
    """Every app's landings, by priority (the apps' order breaks a tie)."""
    return sorted((landing for declared in registry.capabilities() for landing in declared.landing),
                  key=lambda landing: landing.priority)  # fmt: skip


def landing_url(actor: Actor) -> str:
    """The page this person lands on after signing in: the first declared landing whose rule lets them in (as the
    page's ``@requires`` decides), else the home page."""
    for landing in declared_landings():
        if page_opens(actor, landing.rule):
            return reverse(landing.url_name)
    return reverse("core:home")


def declared_panels() -> list[HomePanel]:
    """Every app's home panels, by their order (the apps' order breaks a tie)."""
    return sorted(
        (panel for declared in registry.capabilities() for panel in declared.home_panels), key=lambda p: p.order
    )


@dataclass(frozen=True)
class ShownPanel:
    key: str
    html: SafeString


def home_panels(request: HttpRequest) -> list[ShownPanel]:
    """The home page's panels this person may see, each rendered with the context its app gives."""
    actor = _actor(request)
    shown = []
    for panel in declared_panels():
        if not page_opens(actor, panel.rule):
            continue
        context: Mapping[str, Any] | None = panel.context(request, actor) if panel.context else {}
        if context is None:
            continue
        html = render_to_string(panel.template, {**context, "heading_id": f"{panel.key}-heading"}, request=request)
        shown.append(ShownPanel(panel.key, SafeString(html)))
    return shown


def declared_person_actions() -> list[PersonAction]:
    return sorted(
        (action for declared in registry.capabilities() for action in declared.person_actions), key=lambda a: a.order
    )


def person_actions(request: HttpRequest | None, person: Any) -> list[ActionLink]:
    """The buttons other apps add to this person's page, for whoever the rule allows on that person."""
    actor = _actor(request)
    found = []
    for action in declared_person_actions():
        target = action.target(person) if action.target else person
        if target is None or not can(actor, action.rule, target):
            continue
        kwargs = action.kwargs(target) if action.kwargs else {"person_pk": target.pk}
        found.append(ActionLink(action.label, reverse(action.url_name, kwargs=kwargs)))
    return found


def declared_person_sections() -> list[PersonSection]:
    return sorted(
        (section for declared in registry.capabilities() for section in declared.person_sections),
        key=lambda s: s.order,
    )


def person_sections(request: HttpRequest | None, person: Any) -> list[ShownPanel]:
    """The sections other apps add to this person's page (their requests for help...), each behind its rule
    asked about that person, rendered with the context its app reads (and logs)."""
    if request is None:
        return []
    actor = _actor(request)
    shown = []
    for section in declared_person_sections():
        if not can(actor, section.rule, person):
            continue
        context = section.context(request, actor, person)
        if context is None:
            continue
        values = {**context, "person": person, "heading_id": f"{section.key}-section-heading"}
        shown.append(ShownPanel(section.key, SafeString(render_to_string(section.template, values, request=request))))
    return shown
