from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The frame: base pages, languages, messages (email and SMS) and background work."""

    name = "apps.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django_tasks_db.models import DBTaskResult

        from apps.access import special_category
        from apps.core import checks_navigation  # noqa: F401  (checks the declared menus, home panels, person actions)

        from . import checks, checks_capabilities  # noqa: F401  (register deployment checks, checks of declarations)
        from .capabilities import apply_settings

        # The worker's queue holds every email and SMS as sent: "a helper will come for your request" to a
        # resident's number says they receive care (art. 9), and sign-in codes travel the same way.  The
        # admin lists tasks (state, times) but never shows, searches or filters what they carry.
        special_category.declare(
            DBTaskResult, fields=["args_kwargs", "return_value"], rule="",
            why="GDPR art. 9: the texts of messages about a person's help, to their address or number",
            kept={"args_kwargs": "no person is the row's subject: the worker's queue, read by no page",
                  "return_value": "no person is the row's subject: the worker's queue, read by no page"},
        )  # fmt: skip
        apply_settings()  # each app's declared settings (apps/<app>/capability.py), unless set already
