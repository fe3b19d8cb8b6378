"""What the wellbeing app adds to the frame (``apps/core/capabilities.py``): its pages, menu entries, home panel,
retention, settings and personal data.

Issue 17 builds the capability in parts; this declaration grows with them (the API router, the demo, the
person's sections and actions, the open data of the signals' public page).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import Capability, Demo, DistrictFact, HomePanel, MenuEntry, Setting
from domain.disclosure import THRESHOLD

from . import capability_cases as outreach
from . import capability_screening as screening
from . import capability_signals as signals
from . import demo, panels
from .privacy import SOURCE as PERSONAL_DATA
from .retention import RETENTION


def codes(text: str) -> tuple[str, ...]:
    """A list of codes as the environment writes it: ``shop_closed,no_bench``."""
    found = tuple(code.strip() for code in text.split(",") if code.strip())
    if not found:
        raise ValueError("give at least one code, separated by commas")
    return found


SETTINGS = (
    # the report of a worried neighbour (anyone, no account): limits counted in the database (services.rate_take)
    Setting("WELLBEING_REPORTS_PER_NETWORK", 5, env="COP_WELLBEING_REPORTS_PER_NETWORK",
            help="Reports of worried neighbours accepted from one network (IPv4 /24, IPv6 /48) in a window of 24 "
                 "hours; the next one is refused with a message and nothing is stored."),
    Setting("WELLBEING_REPORTS_PER_ADDRESS", 3, env="COP_WELLBEING_REPORTS_PER_ADDRESS",
            help="Reports about one address accepted in WELLBEING_REPORT_ADDRESS_WINDOW_DAYS; more are not stored, "
                 "and the sender sees the usual thank-you (telling them would say something about the person)."),
    Setting("WELLBEING_REPORT_ADDRESS_WINDOW_DAYS", 7, env="COP_WELLBEING_REPORT_ADDRESS_WINDOW_DAYS",
            help="The window (days) of WELLBEING_REPORTS_PER_ADDRESS."),
    # retention (apps/wellbeing/retention.py): the rows stay for the statistics, what identifies someone goes
    Setting("WELLBEING_REPORT_RETENTION_DAYS", 365, env="COP_RETENTION_WELLBEING_REPORT_DAYS",
            help="A neighbour's report loses its words, the address and the reporter's contact after this many "
                 "days from when it was sent."),
    Setting("WELLBEING_CASE_RETENTION_DAYS", 2 * 365, env="COP_RETENTION_WELLBEING_CASE_DAYS",
            help="A closed outreach case loses the person, its notes and links after this many days from closing."),
    Setting("WELLBEING_SCREENING_RETENTION_DAYS", 3 * 365, env="COP_RETENTION_WELLBEING_SCREENING_DAYS",
            help="A screening loses the person and the answers after this many days (the scores stay)."),
    # structural signals (item 5): the categories a resident chooses from
    Setting("WELLBEING_SIGNAL_CATEGORIES",
            ("shop_closed", "post_office_closed", "no_bench", "bus_stop_removed", "dark_street", "no_lift",
             "broken_pavement", "other"),
            env="COP_WELLBEING_SIGNAL_CATEGORIES", parse=codes,
            help="The categories of a signal of what makes isolation worse, as codes separated by commas."),
)  # fmt: skip

REPORT_PAGES = ("wellbeing:report", "wellbeing:report_pick_up", "wellbeing:report_open_case")

MENU = (
    MenuEntry(
        _("Worried about a neighbour?"), "wellbeing:worried", rule="public", group="discover", order=40,
        current=("wellbeing:worried_thanks",),
    ),
    MenuEntry(
        _("Neighbours' reports"), "wellbeing:reports", rule="wellbeing.view_reports", group="coordination",
        order=40, current=REPORT_PAGES,
    ),
)  # fmt: skip
DISTRICT_MENU = (
    MenuEntry(_("Wellbeing in the district"), "wellbeing:district", rule="wellbeing.view_district",
              group="coordination", order=45),
)  # fmt: skip
"""Item 6: counts per district, small ones hidden (district_view.py)."""

HOME_PANELS = (
    HomePanel("wellbeing-reports", "wellbeing/panels/reports.html", "wellbeing.view_reports", panels.new_reports,
              order=15),
)  # fmt: skip
"""The coordinator's count of new reports of their districts."""


def open_cases_in_district(actor: Any, district: Any) -> int | None:
    from .district_view import open_cases_count

    return open_cases_count(district)


DISTRICT_FACTS = (
    DistrictFact("wellbeing-cases", _("Open outreach cases"), "wellbeing.view_district", open_cases_in_district,
                 url_name="wellbeing:district", district_query="district", suppress_below=THRESHOLD, order=40),
)  # fmt: skip
"""On the district's coordination view (issue 18, item 4): for who may open the wellbeing district view, with its
small-count suppression (a count from 1 to 9 is "fewer than 10"; none when it would tell a hidden count)."""


CAPABILITY = Capability(
    app="wellbeing",
    description=_("Wellbeing and loneliness"),
    personal_data=PERSONAL_DATA,
    demo=Demo(load=demo.load, noun="reports of worried neighbours", after=("places", "people", "care", "directory")),
    urls="apps.wellbeing.urls",
    api="apps.wellbeing.api:router",
    retention=RETENTION,
    settings=SETTINGS + signals.SETTINGS + outreach.SETTINGS,
    menu=MENU + screening.MENU + signals.MENU + DISTRICT_MENU + outreach.MENU,
    home_panels=HOME_PANELS,
    open_data=signals.OPEN_DATA,
    person_actions=screening.PERSON_ACTIONS + outreach.PERSON_ACTIONS,
    person_sections=screening.PERSON_SECTIONS,
    district_facts=DISTRICT_FACTS,
)
