"""What the care app adds to the frame (``apps/core/capabilities.py``): its pages, API, menu, home panels,
demo, retention, open data and settings."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import (
    Capability,
    Demo,
    DistrictFact,
    HomePanel,
    Landing,
    MenuEntry,
    PersonAction,
    PersonSection,
    Setting,
)

from . import demo, panels
from .open_data import DATASETS as OPEN_DATA
from .privacy import SOURCE as PERSONAL_DATA
from .retention import RETENTION


def refresh_eligibility() -> None:
    """After the demo: each open request's count of helpers who fit it, as the worklist shows it."""
    from .services import eligibility_refresh

    eligibility_refresh()


def hours_between(text: str) -> tuple[time, time]:
    """A part of the day as the environment writes it, ``"09:00-12:00"``: its start and end (the end later)."""
    start, _sep, end = text.replace("–", "-").partition("-")
    found = (time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))
    if not found[0] < found[1]:
        raise ValueError("the end must come after the start, as in 09:00-12:00")
    return found


SETTINGS = (
    Setting("CARE_HORIZON_DAYS", 14, env="COP_CARE_HORIZON_DAYS",
            help="How far ahead matching rounds and suggestions look for common free time (days)."),
    # the resident's form asks "when" as parts of days (apps/care/forms_resident.py); each part is a time window
    Setting("CARE_MORNING", (time(9), time(12)), env="COP_CARE_MORNING", parse=hours_between,
            help="The hours a resident means by \"morning\" on the request form (environment: 09:00-12:00)."),
    Setting("CARE_AFTERNOON", (time(12), time(17)), env="COP_CARE_AFTERNOON", parse=hours_between,
            help="The hours of \"afternoon\" (environment: 12:00-17:00). Parts that touch make one longer window."),
    Setting("CARE_EVENING", (time(17), time(20)), env="COP_CARE_EVENING", parse=hours_between,
            help="The hours of \"evening\" (environment: 17:00-20:00)."),
    Setting("CARE_ASK_DAYS", 7, env="COP_CARE_ASK_DAYS",
            help="How many days, from today, the resident's request form offers to choose from."),
    # what a new helper may do (docs/security.md, "Harvesting details with legitimate actions")
    Setting("CARE_NEW_HELPER_CHECKS", 1, env="COP_CARE_NEW_HELPER_CHECKS",
            help="A helper is new until a coordinator has confirmed this many of their \"I can help\" takes (a done "
                 "visit or a vetting valid today also counts); a new helper's take holds the request but shows no "
                 "name, phone, address or description until a coordinator confirms it. 0 turns the check off."),
    Setting("CARE_CHECK_WITHIN_HOURS", 48, env="COP_CARE_CHECK_WITHIN_HOURS",
            help="When the helper is told they will hear from the coordinator (hours), and when an unchecked "
                 "take lets the request go."),
    Setting("CARE_TAKES_PER_DAY", 5, env="COP_CARE_TAKES_PER_DAY",
            help="Every helper: takes in any 24 hours (counted in the database under a lock)."),
    Setting("CARE_CANCELS_PER_DAY", 3, env="COP_CARE_CANCELS_PER_DAY",
            help="Every helper: own cancellations in any 24 hours (counted in the database under a lock)."),
    Setting("CARE_CANCEL_FLAG_COUNT", 3, env="COP_CARE_CANCEL_FLAG_COUNT",
            help="The worklist flags a helper who cancelled this many visits after seeing the details, within "
                 "CARE_CANCEL_FLAG_DAYS days."),
    Setting("CARE_CANCEL_FLAG_DAYS", 30, env="COP_CARE_CANCEL_FLAG_DAYS",
            help="The days over which CARE_CANCEL_FLAG_COUNT cancellations are counted."),
    # what a helper sees of a request's place before accepting (domain/geo/shown.py, docs/security.md)
    Setting("CARE_SHOWN_OFFSET_MIN_M", 250, env="COP_CARE_SHOWN_OFFSET_MIN_M",
            help="The shown position is the house moved by a random offset of at least this many metres, drawn "
                 "once per request (for new requests)."),
    Setting("CARE_SHOWN_OFFSET_MAX_M", 500, env="COP_CARE_SHOWN_OFFSET_MAX_M",
            help="The shown position's random offset is at most this many metres."),
    Setting("CARE_SHOWN_GRID_M", 100, env="COP_CARE_SHOWN_GRID_M",
            help="The moved position is then snapped to a grid of this many metres; distances shown to helpers "
                 "are rounded to half a km."),
    # retention (apps/care/retention.py): the rows stay for the statistics, the words go
    Setting("CARE_RETENTION_CLOSED_DAYS", 2 * 365, env="COP_RETENTION_CARE_CLOSED_DAYS",
            help="A closed request's description, feedback and reasons are emptied after this many days."),
    # the attestation of volunteer hours a helper prints (issue 14)
    Setting("CARE_ATTESTATION_ORGANISATION", "", env="COP_CARE_ATTESTATION_ORGANISATION", parse=str,
            help="The organisation named on a helper's attestation of volunteer hours (the city's volunteer "
                 "service, say); empty: \"City of People\" and the city's name (COP_CITY_NAME)."),
)  # fmt: skip

COORDINATOR_PAGES = (
    "worklist_section", "take_by_phone", "request_detail", "propose", "cancel_request", "coordinator_match",
    "rounds", "round", "round_confirm", "call_list", "vetting",
)  # fmt: skip
RESIDENT_PAGES = ("ask", "my_request", "cancel_my_request", "resident_feedback", "messages")
HELPER_PAGES = (
    "offer", "away", "away_remove", "helper_messages", "request_summary", "take", "helper_matches", "helper_match",
    "match_accept", "match_decline", "match_plan", "match_done", "match_cancel", "attestation",
)  # fmt: skip

MENU = (
    MenuEntry(
        _("Worklist"), "care:worklist", rule="care.view_worklist", group="coordination", order=10,
        current=tuple(f"care:{name}" for name in COORDINATOR_PAGES),
    ),
    # a resident's account may ask for help or offer it (not one that holds only staff roles: care.view_my_requests)
    MenuEntry(
        _("My requests"), "care:my_requests", rule="care.view_my_requests", group="mine", order=20,
        current=tuple(f"care:{name}" for name in RESIDENT_PAGES),
    ),
    MenuEntry(
        _("Help a neighbour"), "care:helper_home", rule="care.view_my_requests", group="mine", order=30,
        current=tuple(f"care:{name}" for name in HELPER_PAGES),
    ),
)  # fmt: skip
HOME_PANELS = (
    HomePanel("care-worklist", "care/panels/worklist.html", "care.view_worklist", panels.worklist_summary, order=10),
    HomePanel("care-visits", "care/panels/visits.html", "care.helper_pages", panels.visits_this_week, order=20),
    HomePanel("care-requests", "care/panels/requests.html", "care.view_my_requests", panels.open_requests, order=30),
)
"""The coordinator's worklist, the helper's week and the resident's open requests, first on their home page."""
LANDING = (
    Landing("care:worklist", rule="care.view_worklist", priority=10),
    Landing("care:helper_home", rule="care.helper_pages", priority=60),
    Landing("care:my_requests", rule="care.resident_home", priority=70),
)
"""After signing in: the coordinator on the worklist, the helper on the requests near them, the resident on their
requests and visits."""
PERSON_ACTIONS = (
    PersonAction(_("Take a request for help by phone"), "care:take_by_phone", "care.take_request_by_phone", order=10),
    PersonAction(
        _("Helper's checks (vetting)"), "care:vetting", "care.record_vetting", order=20,
        target=panels.helper_offer_of, kwargs=lambda offer: {"pk": offer.pk},
    ),
)  # fmt: skip
"""On the page of a person they coordinate: take a request by phone; check a helper (only someone who offers help)."""

PERSON_SECTIONS = (
    PersonSection("care", "care/person_section.html", "care.view_care_of_person", panels.person_care, order=10),
)
"""On a person's page: their requests for help and visits (for a coordinator only while consent holds)."""


def open_requests_in_district(actor: Any, district: Any) -> int | None:
    from .selectors import open_requests_in_district as count

    return count(actor, district)


DISTRICT_FACTS = (
    DistrictFact("care-open", _("Open requests for help"), "care.view_worklist", open_requests_in_district,
                 url_name="care:worklist", order=20),
)  # fmt: skip
"""On the district's coordination view (issue 18, item 4), for the coordinators of the district."""


CAPABILITY = Capability(
    app="care",
    personal_data=PERSONAL_DATA,
    urls="apps.care.urls",
    api="apps.care.api:router",
    demo=Demo(
        load=demo.load, noun="care requests", after=("places", "organisations", "people"), finish=refresh_eligibility
    ),
    open_data=OPEN_DATA,
    retention=RETENTION,
    settings=SETTINGS,
    menu=MENU,
    home_panels=HOME_PANELS,
    person_actions=PERSON_ACTIONS,
    landing=LANDING,
    person_sections=PERSON_SECTIONS,
    district_facts=DISTRICT_FACTS,
)
