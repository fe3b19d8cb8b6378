"""What structural signals (issue 17, item 5) add to the wellbeing capability (``capability.py`` joins it in):
their settings, menu entries and open dataset.  The categories' setting (``WELLBEING_SIGNAL_CATEGORIES``) is in
``capability.py`` with the app's other settings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import MenuEntry, OpenDataset, Setting

SETTINGS = (
    Setting("WELLBEING_SIGNALS_PER_DAY", 5, env="COP_WELLBEING_SIGNALS_PER_DAY",
            help="Signals one person may send in 24 hours; the next one is refused with a message and nothing is "
                 "stored."),
    Setting("WELLBEING_SIGNAL_PHOTO_MAX_BYTES", 8 * 1024 * 1024, env="COP_WELLBEING_SIGNAL_PHOTO_MAX_BYTES",
            help="The largest photo of a signal, in bytes (JPEG or PNG; it is stored without its metadata)."),
    Setting("WELLBEING_SIGNAL_PHOTO_TRIES_PER_DAY", 20, env="COP_WELLBEING_SIGNAL_PHOTO_TRIES_PER_DAY",
            help="Photos one person may send in 24 hours, accepted or refused (checking a photo takes work, so "
                 "refused ones count too); over it, a photo is not looked at and the form says so."),
    Setting("WELLBEING_SIGNAL_PHOTO_DIR", "", env="COP_WELLBEING_SIGNAL_PHOTO_DIR", parse=str,
            help="Where the photos of signals are stored (a folder the web server does not serve; empty: "
                 "VAR_DIR/uploads/signal-photos). Only city staff see them, through the triage page."),
)  # fmt: skip

MENU = (
    MenuEntry(
        _("What isolates people, per district"), "wellbeing:signals_public", rule="public", group="discover",
        order=50, current=("wellbeing:signals_district",),
    ),
    MenuEntry(
        _("Report what isolates people"), "wellbeing:signal_new", rule="wellbeing.report_signal", group="mine",
        order=60, current=("wellbeing:signals_mine",),
    ),
    MenuEntry(
        _("Signals to triage"), "wellbeing:signals", rule="wellbeing.triage_signals", group="city", order=40,
        current=("wellbeing:signal",),
    ),
)  # fmt: skip


def _signals_csv() -> str:
    from .signals_service import open_data_csv  # not at import time: capability.py is read before the models

    return open_data_csv()


OPEN_DATA = (
    OpenDataset(
        slug="signals",
        title=_("What isolates people, per district"),
        description=_(
            "What residents, helpers and the city's staff reported as making isolation worse in a place, and what "
            "the city did with it: per signal the district, the category (code and name in Dutch, English and "
            "French), the street without a house number, the month (YYYY-MM) and the status (new, forwarded, "
            "solved). Never who reported it, what they wrote, a photo, a house number or a day. Signals the city "
            "found not applicable are left out."
        ),
        formats={"csv": _signals_csv},
        source=_("City of People: signals reported by the city's residents, helpers and staff."),
    ),
)
