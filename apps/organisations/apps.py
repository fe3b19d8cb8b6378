from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    """Organisations: care and welfare services and associations (PRODUCT capabilities 2 and 4).

    Organisation staff and coordinators can be scoped to one; the service
    directory (HSDS 3 services, locations, schedules) will build on it.
    """

    name = "apps.organisations"
    label = "organisations"
    verbose_name = _("Organisations")
