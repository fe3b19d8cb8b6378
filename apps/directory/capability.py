"""What the service directory adds to the frame (``apps/core/capabilities.py``): its pages and HSDS API, menu,
home panels, the coordinator's "Refer to a service", demo, retention, open data, settings and personal data."""

from __future__ import annotations

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

SETTINGS = (
    Setting("DIRECTORY_CHECK_AFTER_DAYS", 180, env="COP_DIRECTORY_CHECK_AFTER_DAYS",
            help="A published service, location or organisation profile not checked for this many days is shown as "
                 "\"to check\" and its organisation is reminded."),
    Setting("DIRECTORY_REMIND_EVERY_DAYS", 30, env="COP_DIRECTORY_REMIND_EVERY_DAYS",
            help="An organisation is reminded of the same unchecked record at most once in this many days."),
    Setting("REFERRAL_ANSWER_WORKING_DAYS", 5, env="COP_REFERRAL_ANSWER_WORKING_DAYS",
            help="A referral without an answer after this many working days (Monday to Friday, Belgian public "
                 "holidays excepted) is on the coordinator's list of referrals to follow up."),
    Setting("REFERRAL_RETENTION_CLOSED_DAYS", 2 * 365, env="COP_RETENTION_REFERRAL_CLOSED_DAYS",
            help="A closed referral's texts (what the person needs, what was passed on, reasons and notes) are "
                 "emptied after this many days; the referral's steps stay for the statistics."),
)  # fmt: skip

SEARCH_PAGES = ("directory:search", "directory:service", "directory:print")
MANAGE_PAGES = (
    "directory:manage_service",
    "directory:manage_location",
    "directory:manage_profile",
    "directory:revision",
)
REVIEW_PAGES = ("directory:review_revision",)
REFERRAL_PAGES = ("directory:refer", "directory:referral")
INCOMING_PAGES = ("directory:incoming_referral",)

MENU = (
    MenuEntry(_("Find help"), "directory:search", rule="public", group="discover", order=20, current=SEARCH_PAGES),
    MenuEntry(
        _("Referrals"), "directory:referrals", rule="directory.follow_referrals", group="coordination", order=30,
        current=REFERRAL_PAGES,
    ),
    MenuEntry(
        _("Our services"), "directory:manage", rule="directory.manage_own_records", group="mine", order=45,
        current=MANAGE_PAGES,
    ),
    MenuEntry(
        _("Referrals received"), "directory:incoming", rule="directory.incoming_referrals", group="mine", order=46,
        current=INCOMING_PAGES,
    ),
    MenuEntry(
        _("Directory: changes to review"), "directory:review", rule="directory.review", group="city", order=30,
        current=REVIEW_PAGES,
    ),
)  # fmt: skip

HOME_PANELS = (
    HomePanel("directory-referrals-followup", "directory/panels/followup.html", "directory.follow_referrals",
              panels.referrals_to_follow_up, order=15),
    HomePanel("directory-incoming", "directory/panels/incoming.html", "directory.incoming_referrals",
              panels.referrals_to_answer, order=41),
    HomePanel("directory-records", "directory/panels/records.html", "directory.manage_own_records",
              panels.records_to_check, order=42),
    HomePanel("directory-review", "directory/panels/review.html", "directory.review", panels.changes_to_review,
              order=50),
    HomePanel("directory-mine", "directory/panels/my_referrals.html", "directory.view_my_referrals",
              panels.my_referrals, order=35),
)  # fmt: skip

LANDING = (Landing("directory:incoming", rule="directory.incoming_referrals", priority=45),)

PERSON_ACTIONS = (PersonAction(_("Refer to a service"), "directory:refer", "directory.refer", order=30),)
PERSON_SECTIONS = (
    PersonSection("directory", "directory/person_section.html", "directory.refer", panels.person_referrals, order=20),
)


def open_referrals_in_district(actor: Any, district: Any) -> int | None:
    from .referral_selectors import open_in_district

    return open_in_district(actor, district)


DISTRICT_FACTS = (
    DistrictFact("directory-referrals", _("Open referrals to a service"), "directory.follow_referrals",
                 open_referrals_in_district, url_name="directory:referrals", district_query="district", order=30),
)  # fmt: skip
"""On the district's coordination view (issue 18, item 4), for the coordinators of the district."""


CAPABILITY = Capability(
    app="directory",
    description=_("Services and referrals"),
    urls="apps.directory.urls",
    api="apps.directory.api:router",
    personal_data=PERSONAL_DATA,
    demo=Demo(load=demo.load, noun="services", after=("places", "organisations", "people", "care")),
    open_data=OPEN_DATA,
    retention=RETENTION,
    settings=SETTINGS,
    menu=MENU,
    home_panels=HOME_PANELS,
    landing=LANDING,
    person_actions=PERSON_ACTIONS,
    person_sections=PERSON_SECTIONS,
    district_facts=DISTRICT_FACTS,
)
