"""Community life (issue 18): what the app adds to the frame.

Initiatives (item 1): the public list in "Discover", "My initiatives" for a resident's account, the reviewers'
worklist in "Coordination" with a home panel that counts what waits; the themes in the admin.  Support requests
(item 2): the city's worklist in "Coordination" with its home panel, the grant calls and the materials to borrow in
"Discover"; teams, materials and calls with their jury in the admin.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import Capability, Demo, HomePanel, MenuEntry, Setting

from . import coordination, demo, panels
from .privacy import SOURCE as PERSONAL_DATA

MENU = (
    MenuEntry(_("Neighbourhood initiatives"), "community:initiatives", rule="public",
              group="discover", order=40, current=("community:initiative",)),
    MenuEntry(_("What's on in the neighbourhood"), "community:whats_on", rule="public", group="discover", order=41,
              current=("community:event", "community:event_new_city", "community:programme_district",
                       "community:programme_place")),
    MenuEntry(_("My registrations"), "community:my_registrations", rule="community.my_registrations", group="mine",
              order=41),
    MenuEntry(_("My initiatives"), "community:mine", rule="community.start_initiative", group="mine", order=40,
              current=("community:initiative_new", "community:initiative_step", "community:initiative_send")),
    MenuEntry(_("Initiatives to review"), "community:review_list", rule="community.review_initiatives",
              group="coordination", order=40),
    MenuEntry(_("Support requests"), "community:support_worklist", rule="community.support_worklist",
              group="coordination", order=41, current=("community:support_request",)),
    MenuEntry(_("Grant calls"), "community:grant_calls", rule="public", group="discover", order=42,
              current=("community:grant_call", "community:jury", "community:jury_score")),
    MenuEntry(_("Materials to borrow"), "community:materials", rule="public", group="discover", order=43),
    MenuEntry(_("District coordination"), "community:coordination_index", rule="community.coordinate",
              group="coordination", order=42, current=("community:coordination",)),
)  # fmt: skip

HOME_PANEL = HomePanel(
    "community-review", "community/panels/review.html", "community.review_initiatives", panels.to_review, order=40
)
SUPPORT_PANEL = HomePanel(
    "community-support", "community/panels/support.html", "community.support_worklist", panels.support_waiting,
    order=41,
)
FOLLOW_UPS_PANEL = HomePanel(
    "community-follow-ups", "community/panels/follow_ups.html", "community.coordinate", coordination.my_follow_ups,
    order=42,
)  # fmt: skip

SETTINGS = (
    Setting("COMMUNITY_CALENDAR_DOMAIN", "cityofpeople.gent.be", env="COP_COMMUNITY_CALENDAR_DOMAIN", parse=str,
            help="The domain in the identifiers (UID) of events in calendar feeds: the site's own domain, so they "
                 "are unique worldwide. Never change it once feeds are subscribed to."),
    Setting("COMMUNITY_REMINDER_HOURS", 24, env="COP_COMMUNITY_REMINDER_HOURS",
            help="Reminders of event registrations leave this many hours before the event starts (checked every "
                 "hour)."),
    Setting("COMMUNITY_WALKING_METRES", 800, env="COP_COMMUNITY_WALKING_METRES",
            help="Two events for the same group at the same time closer than this (metres, as the crow flies) are "
                 "an overlap on the district's coordination view."),
    Setting("COMMUNITY_SUPPORT_ANSWER_DAYS", 10, env="COP_COMMUNITY_SUPPORT_ANSWER_DAYS",
            help="Working days (Monday to Friday) within which the city promises a first answer to a support "
                 "request for materials, a permit or help; shown to the applicant when they send it."),
    Setting("COMMUNITY_PERMIT_LEAD_DAYS", 42, env="COP_COMMUNITY_PERMIT_LEAD_DAYS",
            help="Days the events service needs before a street party or neighbourhood meal. Ghent's own lead time "
                 "for small events is not published (DOMAIN.md A4, NOT CONFIRMED): set it to the service's."),
    Setting("COMMUNITY_MATERIAL_LEAD_DAYS", 5, env="COP_COMMUNITY_MATERIAL_LEAD_DAYS",
            help="Days the lending service needs to prepare materials: the first day of a loan is at least this "
                 "many days after the request."),
    Setting("COMMUNITY_MATERIAL_MAX_DAYS", 14, env="COP_COMMUNITY_MATERIAL_MAX_DAYS",
            help="The longest loan of materials, in days (the first and the last day included)."),
    Setting("COMMUNITY_GRANT_CEILING_EUR", 2500, env="COP_COMMUNITY_GRANT_CEILING_EUR",
            help="The most a grant call may give one application (Ghent's Wijk aan Zet: 2,500 euro, DOMAIN.md A3); "
                 "the admin refuses a call with a higher ceiling."),
    Setting("COMMUNITY_GRANT_DECISION_DAYS", 60, env="COP_COMMUNITY_GRANT_DECISION_DAYS",
            help="Days after a call's deadline by which the city promises its decision on the applications."),
)  # fmt: skip

CAPABILITY = Capability(
    app="community",
    description=_("Community life"),
    urls="apps.community.urls",
    api="apps.community.api:router",
    personal_data=PERSONAL_DATA,
    menu=MENU,
    home_panels=(HOME_PANEL, SUPPORT_PANEL, FOLLOW_UPS_PANEL),
    settings=SETTINGS,
    demo=Demo(load=demo.load, noun="neighbourhood initiatives", after=("places", "people", "wellbeing")),
)
