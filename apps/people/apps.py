from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """People, roles and consent (PRODUCT capability 2).

    A ``Person`` is a resident, with or without an account: many of the
    people who most need help are known only to a coordinator.
    """

    name = "apps.people"
    label = "people"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from . import oidc, places, signals
        from .privacy import declare_special_category

        declare_special_category()
        places.register_activity()  # own changes of home and reach in the auditor's activity view
        signals.connect()
        oidc.install()
