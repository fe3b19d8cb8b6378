"""What each app adds to the frame, declared in its own folder: ``apps/<app>/capability.py``.

One declaration per app, read by the frame, so that a new capability touches only its own folder and the
one line in ``INSTALLED_APPS`` that installs it (Decidim calls this a component manifest)::

    # apps/care/capability.py
    CAPABILITY = Capability(
        app="care",
        urls="apps.care.urls",                  # mounted under the language prefix (/nl/, /en/, /fr/)
        api="apps.care.api:router",             # mounted on /api/v1/
        menu=(MenuEntry(_("Worklist"), "care:worklist", rule="care.view_worklist", group="coordination"),),
        landing=(Landing("care:worklist", rule="care.view_worklist", priority=10),),  # where they land on signing in
        home_panels=(HomePanel("care-visits", "care/panels/visits.html", rule="care.helper_pages",
                               context=visits_this_week),),
        person_sections=(PersonSection("care", "care/person_section.html", rule="care.view_care_of_person",
                                       context=person_care),),
        demo=Demo(load=demo.load, noun="care requests", after=("places", "organisations", "people")),
        retention=(Retention("care_closed_requests", days=closed_request_days, apply=closed_requests_clear),),
        settings=(Setting("CARE_TAKES_PER_DAY", 5, env="COP_CARE_TAKES_PER_DAY"),),
    )

Who may do what is declared beside it, in ``apps/<app>/rules.py`` (``apps/access/rules.py`` keeps the
mechanism).  Personal data for export and erasure is the ``personal_data=`` field (read by
``apps/access/privacy.py``); special-category fields and activity sources are registered in the app's
``AppConfig.ready`` (``apps/access/special_category.py``, ``activity.py``).  This module imports no app:
it only reads what the installed apps declare.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Text = str | Promise


@dataclass(frozen=True)
class MenuGroup:
    """A heading of the main menu: entries of every app that share a group are shown together.

    A group is a disclosure (its heading opens its list of links), so that ten capabilities still fit a
    phone's header.  The first ``in_bar`` links of a group stand straight in the menu bar instead: only
    ``discover`` has them, the few public pages anyone comes for (its further links fold as any group's).
    """

    key: str
    label: Text
    order: int = 100
    in_bar: int = 0


@dataclass(frozen=True)
class MenuEntry:
    """A link in the main menu, shown to whoever the rule (asked without an object) allows.

    ``current`` lists more URL names (``"care:request_detail"``) or whole namespaces (``"care:*"``) under
    which the entry is marked as the current page; its own ``url_name`` always is.
    """

    label: Text
    url_name: str
    rule: str
    group: str
    order: int = 100
    current: tuple[str, ...] = ()


@dataclass(frozen=True)
class HomePanel:
    """A section of the home page for whoever the rule allows: ``template`` gets ``context(request, actor)``.

    The template writes the whole section, ``<section class="home-panel" aria-labelledby="{{ heading_id }}">``
    with a heading of that id; a context of ``None`` leaves the panel out for this person (nothing to say).
    Panels are read on every visit to the home page: a few queries each, and only what the app's own pages
    show the same person.
    """

    key: str
    template: str
    rule: str
    context: Callable[[HttpRequest, Any], Mapping[str, Any] | None] | None = None
    order: int = 100


@dataclass(frozen=True)
class PersonAction:
    """A button on the coordinator's page of a person, when ``rule`` allows it for that person.

    ``target(person)`` gives what the rule is asked about and the URL is made from (default: the person;
    ``None`` hides the action, as for a vetting page of someone who offered no help); ``kwargs(target)``
    gives the URL's arguments (default: ``{"person_pk": target.pk}``).
    """

    label: Text
    url_name: str
    rule: str
    kwargs: Callable[[Any], Mapping[str, Any]] | None = None
    order: int = 100
    target: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class PersonSection:
    """A section of a person's page (``people:person_detail``) that another app writes, such as care's "Requests
    for help and visits", shown when ``rule`` allows it for that person.

    ``context(request, actor, person)`` reads what the section shows (and writes the access-log entries for
    what it reads, as the app's own pages do); ``None`` leaves the section out for this person.  The template
    writes the whole section, ``<section aria-labelledby="{{ heading_id }}">`` with an ``<h2>`` of that id.
    A few queries each, whatever the person's history: the section shows the most recent rows and links to
    the app's pages for the rest.
    """

    key: str
    template: str
    rule: str
    context: Callable[[HttpRequest, Any, Any], Mapping[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class DistrictFact:
    """A count another capability tells about a district on the district's coordination view (issue 18, item 4):
    open care requests, referrals, outreach cases, rooms, volunteering, as the capabilities arrive.

    Shown when ``rule`` allows it for the district (asked with the ``District``); ``count(actor, district)`` gives
    the number, or ``None`` to say nothing (the actor's scope does not reach it, or the number may not be shown).
    A count from 1 to ``suppress_below - 1`` is shown as "fewer than N" (small-count disclosure control, as the
    capability's own pages apply it).  ``url_name`` (without arguments) links to the capability's page, with
    ``?<district_query>=<district id>`` when the page chooses a district that way.  One or two queries each.
    """

    key: str
    label: Text
    rule: str
    count: Callable[[Any, Any], int | None]
    url_name: str = ""
    district_query: str = ""
    suppress_below: int = 0
    order: int = 100


@dataclass(frozen=True)
class Landing:
    """Where a person lands after signing in: the page ``url_name`` (without arguments), for whoever ``rule``
    (asked without an object, as ``@requires`` asks it) allows.

    Every app may declare landings; of those whose rule allows a person, the lowest ``priority`` wins, so a
    coordinator who also asked for help lands on the worklist, not on their own requests.  Nobody's rule: the
    home page.  An explicit, safe ``?next=`` on the login page still wins (``apps/core/views.py``, ``landing``).
    """

    url_name: str
    rule: str
    priority: int = 100


@dataclass(frozen=True)
class AdminModel:
    """A model of another app (Django's accounts, allauth's addresses, second factors, sessions) that this capability
    shows in the admin, under its own title (the app's ``verbose_name``), with the name the city uses for it.

    ``model`` is ``"app_label.ModelName"``; ``label`` and ``label_plural`` replace the model's own names everywhere in
    the admin (empty: keep them).  The admin's index is grouped by capability (``apps/access/admin_site.py``): each
    app's own models, then those it declares here.
    """

    model: str
    label: Text = ""
    label_plural: Text = ""


@dataclass(frozen=True)
class Demo:
    """The app's part of ``cityofpeople demo``: ``load(random)`` returns how many ``noun`` it made.

    ``after`` names the apps whose demo must be loaded first; ``finish`` runs once every app's demo is in
    (outside the demo's transaction: a cache to build, a task to queue).
    """

    load: Callable[[random.Random], int]
    noun: str
    after: tuple[str, ...] = ()
    finish: Callable[[], None] | None = None


@dataclass(frozen=True)
class Retention:
    """How long one kind of data is kept: ``apply(now)`` removes what is older than ``days()`` and returns
    how many rows it removed or emptied.  The daily retention task runs every app's rules."""

    kind: str
    days: Callable[[], int]
    apply: Callable[[datetime], int]
    what: Text = ""


@dataclass(frozen=True)
class OpenDataset:
    """A dataset anyone may download (``/open-data/``): ``formats`` maps an extension (``csv``, ``geojson``,
    ``json``) to a function returning the file's text.  Never a figure about fewer people than the
    disclosure rules allow: an app declares here only what is public by nature (places, districts, lists).
    ``licence`` is an SPDX identifier (``apps/core/open_data.py`` names the known ones) or, for a licence
    without one, its name in words; ``source`` says where the data comes from."""

    slug: str
    title: Text
    description: Text
    formats: Mapping[str, Callable[[], str]]
    licence: Text = "CC0-1.0"
    source: Text = ""


@dataclass(frozen=True)
class Setting:
    """A setting the app reads as ``settings.NAME``: the deployment's settings module wins, then the
    environment variable ``env``, then ``default``.  ``parse`` turns the environment's text into a value."""

    name: str
    default: Any
    env: str | None = None
    parse: Callable[[str], Any] = int
    help: str = ""


@dataclass(frozen=True)
class Capability:
    """Everything one app adds to the frame (see the module's docstring)."""

    app: str
    urls: str | None = None
    url_prefix: str = ""
    api: str | None = None
    menu_groups: tuple[MenuGroup, ...] = ()
    menu: tuple[MenuEntry, ...] = ()
    home_panels: tuple[HomePanel, ...] = ()
    person_actions: tuple[PersonAction, ...] = ()
    landing: tuple[Landing, ...] = ()
    admin_models: tuple[AdminModel, ...] = ()
    """Other apps' models the admin shows under this capability's title (``AdminModel``)."""
    """The app's pages a person lands on after signing in, each behind its rule (``Landing``)."""
    person_sections: tuple[PersonSection, ...] = ()
    district_facts: tuple[DistrictFact, ...] = ()
    """Counts about a district on its coordination view (``DistrictFact``)."""
    demo: Demo | None = None
    retention: tuple[Retention, ...] = ()
    open_data: tuple[OpenDataset, ...] = ()
    settings: tuple[Setting, ...] = ()
    personal_data: Any = None
    """What the app holds about a person, for export and erasure (``apps.access.privacy.PersonalDataSource``)."""
    description: Text = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


MODULE = "capability"
"""The module of an installed app that holds its ``CAPABILITY``."""

STANDARD_GROUPS = (
    MenuGroup("discover", _("Discover"), order=10, in_bar=2),
    MenuGroup("mine", _("For me"), order=20),
    MenuGroup("coordination", _("Coordination"), order=30),
    MenuGroup("city", _("City"), order=40),
    MenuGroup("audit", _("Audit"), order=50),
)
"""Groups every app may use; an app that needs another declares it in ``menu_groups``."""


@cache
def capabilities() -> tuple[Capability, ...]:
    """Every installed app's declaration, in the order of ``INSTALLED_APPS``."""
    found = []
    for config in django_apps.get_app_configs():
        name = f"{config.name}.{MODULE}"
        if importlib.util.find_spec(name) is None:
            continue
        declaration = getattr(importlib.import_module(name), "CAPABILITY", None)
        if not isinstance(declaration, Capability):
            raise TypeError(f"{name} must define CAPABILITY = Capability(...)")
        if declaration.app != config.label:
            raise ValueError(f"{name}: Capability(app={declaration.app!r}) is installed as {config.label!r}")
        found.append(declaration)
    return tuple(found)


def _forget_capabilities(*, setting: str, **kwargs: Any) -> None:
    """A test that changes ``INSTALLED_APPS`` sees the declarations of the apps it installs."""
    if setting == "INSTALLED_APPS":
        capabilities.cache_clear()


setting_changed.connect(_forget_capabilities)


def capability(app: str) -> Capability | None:
    return next((c for c in capabilities() if c.app == app), None)


def district_facts() -> list[DistrictFact]:
    """Every installed capability's facts about a district, by ``order``."""
    return sorted((fact for declared in capabilities() for fact in declared.district_facts), key=lambda f: f.order)


def menu_groups() -> dict[str, MenuGroup]:
    groups = {group.key: group for group in STANDARD_GROUPS}
    for declared in capabilities():
        for group in declared.menu_groups:
            groups[group.key] = group
    return groups


def setting_value(declared: Setting) -> Any:
    """The value a declared setting takes when the settings module does not set it; a value the environment
    gives that does not parse stops the start, naming the variable."""
    if declared.env and declared.env in os.environ:
        text = os.environ[declared.env]
        try:
            return declared.parse(text)
        except (TypeError, ValueError) as error:
            raise ImproperlyConfigured(f"{declared.env}={text!r} is not a valid {declared.name}: {error}") from error
    return declared.default


def apply_settings() -> None:
    """Give every declared setting its value, unless the deployment's settings module already did."""
    for declared in capabilities():
        for item in declared.settings:
            if not hasattr(django_settings, item.name):
                setattr(django_settings, item.name, setting_value(item))
