from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    """Care matching (PRODUCT capability 3): requests, helpers, matching rounds and matches.

    The engine that decides who may help whom is ``domain/matching``; this app builds its problem from
    the database and keeps the lifecycle from a phone call to a done visit.
    """

    name = "apps.care"
    label = "care"
    verbose_name = _("Care matching")

    def ready(self) -> None:
        from .activity import register_sources
        from .privacy import declare_special_category

        declare_special_category()  # the fields the admin, the API, exports and erasure treat as art. 9/10 data
        register_sources()  # takes and cancellations in the auditor's activity view
        from .directory_hooks import connect

        connect()  # a directory referral made from a professional request keeps care's referral row in step
