"""``{% main_menu as menu %}``, ``{% person_actions person as actions %}`` and ``{% person_sections person as
sections %}``: what the apps declare, per person."""

from __future__ import annotations

from typing import Any

from django import template

from apps.core import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context: template.Context) -> tuple[navigation.MenuSection, ...]:
    """The groups of the main menu (a page rendered without a request gets the anonymous visitor's)."""
    return navigation.menu_for(context.get("request"))


@register.simple_tag(takes_context=True)
def person_actions(context: template.Context, person: Any) -> list[navigation.ActionLink]:
    return navigation.person_actions(context.get("request"), person)


@register.simple_tag(takes_context=True)
def person_sections(context: template.Context, person: Any) -> list[navigation.ShownPanel]:
    """What other apps add to a person's page, rendered (each behind its rule, asked about that person)."""
    return navigation.person_sections(context.get("request"), person)
