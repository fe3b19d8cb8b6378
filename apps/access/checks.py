"""System checks of access (``manage.py check``, run before the server and the worker start).

Rules are declared in each app's ``rules.py`` and loaded when access is ready, so a view module may be
imported (and decorated) before the rule it names exists; ``@requires`` cannot tell a typo from a rule
not loaded yet.  These checks run once everything is loaded and fail for any rule a page, an API route or
a declaration names that no app declares, so a misspelt rule stops the start instead of answering 500.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.apps import AppConfig, apps
from django.core import checks
from django.urls import URLPattern, URLResolver, get_resolver

from .rules import RULES


def _views(patterns: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def check_view_rules(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """access.E001: a view in the URL configuration requires (``@requires``) a rule no app declares."""
    errors: list[checks.CheckMessage] = []
    for route, view in _views(get_resolver().url_patterns):
        name = getattr(view, "access_rule", None)
        if name is not None and name not in RULES:
            where = f"{view.__module__}.{view.__qualname__}"
            errors.append(
                checks.Error(
                    f"{where} (/{route}) requires the rule {name!r}, which no installed app declares",
                    hint=f'Declare it with @rule("{name}") in the app\'s rules.py, or correct the name.',
                    obj=view,
                    id="access.E001",
                )
            )
    return errors


def _asked(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Rule names written out in the code: ``can(actor, "x", ...)``, ``requires("x")`` and ``rule="x"``."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        position = {"can": 1, "requires": 0}.get(func)
        arguments = [node.args[position]] if position is not None and len(node.args) > position else []
        arguments += [keyword.value for keyword in node.keywords if keyword.arg == "rule"]
        for argument in arguments:
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and argument.value:
                yield argument.value, argument.lineno


APPS_DIR = Path(__file__).resolve().parent.parent
"""Where the project's apps live (beside access), run from a checkout or installed from a wheel."""


def _own(app_configs: Iterable[AppConfig] | None) -> list[AppConfig]:
    """The project's apps (not the libraries'): their code is what asks for our rules."""
    configs = app_configs or apps.get_app_configs()
    return [config for config in configs if Path(config.path).resolve().is_relative_to(APPS_DIR)]


def check_rules_in_code(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """access.E002: code of an installed app asks for a rule by a name no app declares (API routes included:
    they call ``can`` in their body, where no decorator records the rule)."""
    errors: list[checks.CheckMessage] = []
    for config in _own(app_configs):
        for path in sorted(Path(config.path).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            if "can(" not in source and "requires(" not in source and "rule=" not in source:
                continue
            for name, line in _asked(ast.parse(source, filename=str(path))):
                if name not in RULES:
                    errors.append(
                        checks.Error(
                            f"{path}:{line} asks for the rule {name!r}, which no installed app declares",
                            hint=f'Declare it with @rule("{name}") in the app\'s rules.py, or correct the name.',
                            id="access.E002",
                        )
                    )
    return errors


def check_activity_limits(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """access.E004: a limit of the auditor's activity view that is not a whole number (``COP_ACTIVITY_TAKES=abc``)
    would only show as a server error on the auditor's page; the start says so instead."""
    from .activity import sources

    errors: list[checks.CheckMessage] = []
    for source in sources():
        try:
            source.limit()
        except (TypeError, ValueError) as error:
            errors.append(
                checks.Error(
                    f"the limit of the activity kind {source.kind!r} is not a whole number: {error}",
                    hint=f"Set ACTIVITY_THRESHOLDS[{source.kind!r}] or {source.env} to a whole number.",
                    id="access.E004",
                )
            )
    return errors
