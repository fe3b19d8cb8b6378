"""Community life (issue 18): what the app adds to the frame.

Initiatives (item 1): the public list in "Discover", "My initiatives" for a resident's account, the reviewers'
worklist in "Coordination" with a home panel that counts what waits; the themes in the admin.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import Capability, Demo, HomePanel, MenuEntry, Setting

from . import demo, panels

MENU = (
    MenuEntry(_("Neighbourhood initiatives"), "community:initiatives", rule="public",
              group="discover", order=40, current=("community:initiative",)),
    MenuEntry(_("What's on in the neighbourhood"), "community:whats_on", rule="public", group="discover", order=41,
              current=("community:event",)),
    MenuEntry(_("My initiatives"), "community:mine", rule="community.start_initiative", group="mine", order=40,
              current=("community:initiative_new", "community:initiative_step", "community:initiative_send")),
    MenuEntry(_("Initiatives to review"), "community:review_list", rule="community.review_initiatives",
              group="coordination", order=40),
)  # fmt: skip

HOME_PANEL = HomePanel(
    "community-review", "community/panels/review.html", "community.review_initiatives", panels.to_review, order=40
)

SETTINGS = (
    Setting("COMMUNITY_CALENDAR_DOMAIN", "cityofpeople.gent.be", env="COP_COMMUNITY_CALENDAR_DOMAIN", parse=str,
            help="The domain in the identifiers (UID) of events in calendar feeds: the site's own domain, so they "
                 "are unique worldwide. Never change it once feeds are subscribed to."),
)  # fmt: skip

CAPABILITY = Capability(
    app="community",
    description=_("Community life"),
    urls="apps.community.urls",
    menu=MENU,
    home_panels=(HOME_PANEL,),
    settings=SETTINGS,
    demo=Demo(load=demo.load, noun="neighbourhood initiatives", after=("places", "people", "wellbeing")),
)
