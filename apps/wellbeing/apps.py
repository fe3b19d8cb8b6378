from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    """Wellbeing and loneliness (PRODUCT.md capability 5, issue 17): find lonely residents, reach them, act on what
    isolates them.

    Screenings with the instruments of ``domain/instruments``, the report of a worried neighbour, outreach cases,
    structural signals of what makes isolation worse.  The platform's most sensitive data: every special-category
    field is declared (``privacy.py``) and every read of one goes through ``selectors.py`` and the access log.
    """

    name = "apps.wellbeing"
    label = "wellbeing"
    verbose_name = _("Wellbeing and loneliness")

    def ready(self) -> None:
        from .privacy import declare_special_category

        declare_special_category()  # the fields the admin, the API, exports and erasure treat as art. 9 data
        from . import models_cases  # noqa: F401  (the team lead of outreach cases: its model, table in 0002)
