"""Checks of what the apps declare (``apps/<app>/capability.py``), run by ``manage.py check`` and at start.

A mistake in a declaration should stop the server with a sentence that names the app, not surface later
as a demo that loads people before their places or an open-data link that answers 404.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register
from django.utils.text import slugify

from .capabilities import capabilities
from .demos import DemoOrderError, demo_order
from .open_data import CONTENT_TYPES


@register()
def demos_can_be_ordered(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """``cityofpeople demo`` runs every app's demo after the ones it names: those must exist, without a cycle."""
    try:
        demo_order(capabilities())
    except DemoOrderError as error:
        return [
            Error(
                f"The demos cannot be ordered: {error}.",
                hint="Fix Demo(after=...) in apps/<app>/capability.py: name installed apps, without a cycle.",
                id="cityofpeople.E101",
            )
        ]
    return []


@register()
def open_datasets_are_well_formed(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Each dataset has a slug of its own within its app and only formats the download knows how to serve."""
    errors = []
    for declared in capabilities():
        seen: set[str] = set()
        for dataset in declared.open_data:
            where = f"{declared.app}: open dataset {dataset.slug!r}"
            if dataset.slug in seen or slugify(dataset.slug) != dataset.slug:
                errors.append(Error(f"{where} is declared twice or is not a slug.", id="cityofpeople.E102"))
            seen.add(dataset.slug)
            unknown = sorted(set(dataset.formats) - set(CONTENT_TYPES))
            if unknown or not dataset.formats:
                errors.append(
                    Error(
                        f"{where} has no format or formats the download cannot serve: {unknown}.",
                        hint=f"Use one or more of {sorted(CONTENT_TYPES)}.",
                        id="cityofpeople.E103",
                    )
                )
    return errors
