"""Checks of the menus, home panels and person actions the apps declare, run by ``manage.py check`` and at start.

A menu entry whose URL does not exist would break every page (the menu is on all of them); a rule nobody
declares would be refused at the first visit; a group nobody declares or a panel template that is not
there would go unnoticed until someone opened the page.  Each says so here, naming the app.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.core.checks import Error, register
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import translation

from apps.access.rules import RULES, rules_loaded

from . import capabilities as registry

URL = "cityofpeople.E201"
RULE = "cityofpeople.E202"
GROUP = "cityofpeople.E203"
TEMPLATE = "cityofpeople.E204"
PANEL_KEY = "cityofpeople.E205"


def url_name_exists(name: str) -> bool:
    """Whether a (namespaced) URL name is declared, whatever arguments its pattern takes."""
    resolver = get_resolver()
    *namespaces, view = name.split(":")
    for namespace in namespaces:
        found = resolver.namespace_dict.get(namespace)
        if found is None:
            return False
        resolver = found[1]
    return view in resolver.reverse_dict


def reverses_without_arguments(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def _problems(app: str) -> tuple[list[Error], Any]:
    errors: list[Error] = []

    def say(where: str, problem: str, check_id: str) -> None:
        errors.append(Error(f"{app}: {where} {problem}", hint=f"Fix it in apps/{app}/capability.py.", id=check_id))

    return errors, say


def _rule_missing(rule: str) -> bool:
    """A rule no app declares (only once every app's rules are loaded: before, any rule may still come)."""
    return rules_loaded() and rule not in RULES


def _check_page(say: Any, where: str, url_name: str, rule: str) -> None:
    """A page the frame links to on its own (a menu entry, a landing): it opens without arguments, behind a rule."""
    if not reverses_without_arguments(url_name):
        say(where, "names a URL that does not reverse without arguments.", URL)
    if _rule_missing(rule):
        say(where, f"names the rule {rule!r}, which no app declares.", RULE)


def _template_problem(name: str) -> str | None:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return f"names the template {name!r}, which does not exist."
    except TemplateSyntaxError as error:
        return f"names the template {name!r}, which does not compile: {error}"
    return None


@register()
def navigation_is_declared_well(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Every menu entry, home panel, person action and person section names a URL, a rule, a group and a template
    that exist."""
    found: list[Error] = []
    groups = registry.menu_groups()
    panel_keys: set[str] = set()
    with translation.override(settings.LANGUAGE_CODE):
        for declared in registry.capabilities():
            errors, say = _problems(declared.app)
            for entry in declared.menu:
                where = f"menu entry {entry.url_name!r}"
                _check_page(say, where, entry.url_name, entry.rule)
                if entry.group not in groups:
                    say(where, f"names the menu group {entry.group!r}, which no app declares.", GROUP)
            for landing in declared.landing:
                _check_page(say, f"landing {landing.url_name!r}", landing.url_name, landing.rule)
            for item in declared.admin_models:
                try:
                    django_apps.get_model(item.model)
                except (LookupError, ValueError):
                    say(f"admin model {item.model!r}", "names a model that is not installed.", URL)
            for action in declared.person_actions:
                where = f"person action {action.url_name!r}"
                if not url_name_exists(action.url_name):
                    say(where, "names a URL that does not exist.", URL)
                if _rule_missing(action.rule):
                    say(where, f"names the rule {action.rule!r}, which no app declares.", RULE)
            for panel in declared.home_panels:
                where = f"home panel {panel.key!r}"
                if _rule_missing(panel.rule):
                    say(where, f"names the rule {panel.rule!r}, which no app declares.", RULE)
                problem = _template_problem(panel.template)
                if problem:
                    say(where, problem, TEMPLATE)
                if panel.key in panel_keys:
                    say(where, "has the key of another panel (it names the panel's section on the page).", PANEL_KEY)
                panel_keys.add(panel.key)
            for section in declared.person_sections:
                where = f"person section {section.key!r}"
                if _rule_missing(section.rule):
                    say(where, f"names the rule {section.rule!r}, which no app declares.", RULE)
                problem = _template_problem(section.template)
                if problem:
                    say(where, problem, TEMPLATE)
            found += errors
    return found
