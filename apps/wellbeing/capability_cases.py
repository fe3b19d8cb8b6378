"""What outreach cases (issue 17, item 4) add to the wellbeing capability (``capability.py`` joins it in): the
setting of "not reached after N tries", the coordinator's menu entries and the button on a person's page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import MenuEntry, PersonAction, Setting


def tries(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 20:
        raise ValueError("give a number from 1 to 20")
    return value


SETTINGS = (
    Setting("WELLBEING_CASE_TRIES_BEFORE_NOT_REACHED", 3, env="COP_WELLBEING_CASE_TRIES_BEFORE_NOT_REACHED",
            parse=tries,
            help="How many contact attempts must be logged before an outreach case may be closed as "
                 "'not reached after several tries'."),
)  # fmt: skip

CASE_PAGES = ("wellbeing:case", "wellbeing:case_new", "wellbeing:case_new_for_person")
MENU = (
    MenuEntry(_("Outreach cases"), "wellbeing:cases", rule="wellbeing.view_cases", group="coordination", order=42,
              current=(*CASE_PAGES, "wellbeing:case_calls")),
    MenuEntry(_("Team leads of outreach"), "wellbeing:team_leads", rule="wellbeing.manage_team_leads", group="city",
              order=45),
)  # fmt: skip
PERSON_ACTIONS = (
    PersonAction(_("Open an outreach case"), "wellbeing:case_new_for_person", "wellbeing.open_case_for_person",
                 order=45),
)  # fmt: skip
