"""What screening (issue 17, item 2) adds to the wellbeing capability (``capability.py`` joins it in): the
coordinator's button and section on a person's page, and the resident's "My wellbeing" in the menu."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import MenuEntry, PersonAction, PersonSection

from .views_screening import person_section

PERSON_ACTIONS = (
    PersonAction(_("Loneliness screening"), "wellbeing:screen_person", "wellbeing.screen_person", order=40),
)
PERSON_SECTIONS = (
    PersonSection("wellbeing-screening", "wellbeing/screening/person_section.html", "wellbeing.screen_person",
                  person_section, order=30),
)  # fmt: skip
MENU = (
    MenuEntry(
        _("My wellbeing"), "wellbeing:my_screenings", rule="wellbeing.screen_self", group="mine", order=25,
        current=("wellbeing:screen_me", "wellbeing:screening"),
    ),
)  # fmt: skip
