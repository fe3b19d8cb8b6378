"""Referrals' rows of the URL × role access table (``tests/apps/access/test_access_table.py``).

The placeholders come from ``access_table.samples`` (the demo directory): ``@referral_own`` is a referral to
the demo organisation (Ingrid's, ``ldc-het-punt``) still waiting for an answer, of a resident the demo
coordinator (Tom) coordinates, with the consent for sharing; ``@person`` is that resident.

Object pages answer 404 to a signed-in role that may use the page but not that referral, 403 to a role
without the page at all (the page rule), and send a visitor who is not signed in to log in.  Another
organisation's staff get 404 on the organisation's page of a referral (``test_referral_loop.py``).
"""

from __future__ import annotations

from tests.apps.access.access_rows import Rows, only

RESIDENTS = {"resident", "helper", "initiative_starter", "centre_committee"}
"""The demo roles whose accounts are residents' (``apps.people.rules.acts_as_resident``)."""

ROWS: Rows = {
    # the coordinator's pages: a referral of a person they coordinate
    "directory:referrals": ({}, only({"coordinator"})),
    "directory:referral": ({"pk": "@referral_own"}, only({"coordinator"}, others=404)),
    "directory:refer": ({"person_pk": "@person"}, only({"coordinator"}, others=404)),
    # the receiving organisation's staff: referrals to their own organisation's services
    "directory:incoming": ({}, only({"organisation_staff"})),
    "directory:incoming_referral": ({"pk": "@referral_own"}, only({"organisation_staff"})),
    # the person: their own referrals (a work account has none)
    "directory:my_referrals": ({}, only(RESIDENTS)),
}
