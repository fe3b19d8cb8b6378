from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """Services and referrals.

    PRODUCT.md capability 4: the city's care and welfare offer, kept by the organisations and reviewed by the
    city, found by residents, families and coordinators, exchanged as HSDS 3.0; and referrals of a person to a
    service with their consent, followed until the service answered.
    """

    name = "apps.directory"
    label = "directory"
    verbose_name = _("Services and referrals")

    def ready(self) -> None:
        # Personal data: when the app stores some, declare its export and erasure as ``personal_data=`` in
        # capability.py (a ``PersonalDataSource`` of apps/access/privacy.py); here, its special-category fields
        # (apps/access/special_category.py ``declare``) and what the auditor's activity view counts
        # (apps/access/activity.py ``register``).
        # Rules (rules.py) and the declaration (capability.py) are found without a line here.
        from django.db.models.signals import post_migrate

        from apps.people.services import consent_withdrawn

        from .privacy import declare_special_category
        from .referrals import on_consent_withdrawn

        declare_special_category()  # Referral.need/shared/status_reason, ReferralEvent.note (art. 9)
        consent_withdrawn.connect(on_consent_withdrawn, dispatch_uid="directory.referrals_withdraw")
        from .search_triggers import on_post_migrate

        # the search's triggers, again after every migrate and flush (search_triggers.py says why)
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="directory.search_triggers")
