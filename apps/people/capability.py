"""What the people app adds to the frame (``apps/core/capabilities.py``): its pages, API, menu, home panels,
demo, retention, open data and settings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import AdminModel, Capability, Demo, MenuEntry

from . import demo
from .privacy import SOURCE as PERSONAL_DATA
from .retention import RETENTION

MENU = (
    MenuEntry(
        _("Residents"), "people:person_search", rule="people.search_persons", group="coordination", order=20,
        current=("people:person_register", "people:person_detail", "people:person_export", "people:person_erase"),
    ),
    MenuEntry(
        _("My profile"), "people:my_profile", rule="authenticated", group="mine", order=90,
        current=("people:my_roles", "people:my_consents", "people:my_reads", "people:my_data", "people:recovery_codes"),
    ),
)  # fmt: skip

ADMIN_MODELS = (
    AdminModel("auth.User", _("account"), _("accounts")),
    AdminModel("account.EmailAddress"),
    AdminModel("mfa.Authenticator", _("second factor"), _("second factors")),
    AdminModel("usersessions.UserSession", _("sign-in session"), _("sign-in sessions")),
    AdminModel("socialaccount.SocialAccount", _("sign-in through an outside service"),
               _("sign-ins through an outside service")),
)  # fmt: skip
"""Accounts and how people sign in: in the admin under "People and roles", in the city's words."""

CAPABILITY = Capability(
    app="people",
    personal_data=PERSONAL_DATA,
    urls="apps.people.urls",
    api="apps.people.api:router",
    demo=Demo(load=demo.load, noun="people", after=("places", "organisations")),
    retention=RETENTION,
    menu=MENU,
    admin_models=ADMIN_MODELS,
)
