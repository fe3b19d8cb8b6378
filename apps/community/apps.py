from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Community life.

    Say here what this capability does, for whom, and which capability of PRODUCT.md it is.
    """

    name = "apps.community"
    label = "community"
    verbose_name = _("Community life")

    def ready(self) -> None:
        # Personal data: when the app stores some, declare its export and erasure as ``personal_data=`` in
        # capability.py (a ``PersonalDataSource`` of apps/access/privacy.py); here, its special-category fields
        # (apps/access/special_category.py ``declare``) and what the auditor's activity view counts
        # (apps/access/activity.py ``register``).
        # Rules (rules.py) and the declaration (capability.py) are found without a line here.
        from . import occurrences  # noqa: F401  the signal that keeps the dates of events beside them
