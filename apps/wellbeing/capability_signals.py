"""What structural signals (issue 17, item 5) add to the wellbeing capability (``capability.py`` joins it in):
their settings and menu entries.  The categories' setting (``WELLBEING_SIGNAL_CATEGORIES``) is in
``capability.py`` with the app's other settings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import MenuEntry, Setting

SETTINGS = (
    Setting("WELLBEING_SIGNALS_PER_DAY", 5, env="COP_WELLBEING_SIGNALS_PER_DAY",
            help="Signals one person may send in 24 hours; the next one is refused with a message and nothing is "
                 "stored."),
    Setting("WELLBEING_SIGNAL_PHOTO_MAX_BYTES", 8 * 1024 * 1024, env="COP_WELLBEING_SIGNAL_PHOTO_MAX_BYTES",
            help="The largest photo of a signal, in bytes (JPEG or PNG; it is stored without its metadata)."),
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
