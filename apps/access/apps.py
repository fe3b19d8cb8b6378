from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """Who may do what (the one registry of the rules each app declares) and the log of who read special-category
    data."""

    name = "apps.access"
    label = "access"
    verbose_name = _("Access and audit")

    def ready(self) -> None:
        from django.core import checks

        from . import activity, signals
        from .admin_site import check_special_category
        from .checks import check_activity_limits, check_rules_in_code, check_view_rules
        from .retention import check_retention_kinds
        from .rules import load_rules

        load_rules()  # every installed app's rules.py: access names no app, each declares its own
        checks.register(check_special_category, checks.Tags.admin)
        checks.register(check_view_rules, checks.Tags.urls)
        checks.register(check_rules_in_code)
        checks.register(check_retention_kinds)
        checks.register(check_activity_limits)

        signals.connect()
        activity.register_own_sources()
