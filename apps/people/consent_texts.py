"""The consent texts people agree to, versioned: a consent records the version it was given on.

Change a text → raise its version, so earlier consents keep pointing at what was shown then.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Purpose

CONSENT_TEXTS: dict[str, tuple[str, Promise]] = {
    Purpose.CARE_MATCHING: (
        "2026-11",
        _(
            "My request for help and what I need may be used to find a helper near me. Only the coordinator of my "
            "district sees what I need; a helper sees my name and address only after saying yes."
        ),
    ),
    Purpose.WELLBEING_SCREENING: (
        "2026-12",
        _(
            "I answer questions about how I feel. Only the coordinator who asks me the questions or follows me up, "
            "and their team lead, see my answers, to offer help."
        ),
    ),
    Purpose.CONTACT_PHONE: ("2026-11", _("The city and my coordinator may call me about my requests and activities.")),
    Purpose.CONTACT_SMS: ("2026-11", _("The city and my coordinator may send me text messages about my requests.")),
    Purpose.CONTACT_EMAIL: ("2026-11", _("The city and my coordinator may email me about my requests.")),
    Purpose.LISTED_AS_HELPER: (
        "2026-11",
        _("I may be shown as a possible helper to coordinators, with my district, languages and availability."),
    ),
    Purpose.SHARE_WITH_SERVICE: (
        "2026-11",
        _("My request may be shared with the care or welfare service I am referred to."),
    ),
}


def current_version(purpose: str) -> str:
    return CONSENT_TEXTS[purpose][0]
