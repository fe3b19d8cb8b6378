from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """Who may do what (the rules, declared once) and the log of who read special-category data."""

    name = "apps.access"
    label = "access"
    verbose_name = _("Access and audit")

    def ready(self) -> None:
        from django.core import checks

        from . import activity, signals
        from .admin_site import check_special_category

        checks.register(check_special_category, checks.Tags.admin)

        signals.connect()
        activity.register_own_sources()
