"""The records part of the directory in the URL × role access table: "Our services" (organisation staff, their
own organisation only) and the city's review (city staff and administrators).

Placeholders from ``access_table.samples``: ``@service``/``@location`` are the demo organisation's (the
organisation-staff login's), ``@revision_own`` its change under review, ``@revision_other`` another
organisation's change, which the demo organisation's staff must not tell apart from a missing one (404).
"""

from tests.apps.access.access_rows import Rows, everyone, only

OWN = {"organisation_staff"}
REVIEWERS = {"city_staff", "administrator"}

ROWS: Rows = {
    "directory:manage": ({}, only(OWN)),
    "directory:manage_service": ({"pk": "@service"}, only(OWN)),
    "directory:manage_location": ({"pk": "@location"}, only(OWN)),
    "directory:manage_profile": ({}, only(OWN)),
    "directory:revision": ({"pk": "@revision_other"}, only(OWN, allowed=404)),
    "directory:confirm": ({}, everyone(405)),  # POST only
    "directory:review": ({}, only(REVIEWERS)),
    "directory:review_revision": ({"pk": "@revision_own"}, only(REVIEWERS)),
}
