"""The people app's rows of the URL × role access table (``tests/apps/access/test_access_table.py``).

Object pages use a resident of the coordinator's district ("@resident", given by the central test): for
everyone but that coordinator, the id must answer exactly like an id that does not exist (404).
"""

from __future__ import annotations

from tests.apps.access.access_rows import STAFF, Rows, everyone, only, signed_in

ROWS: Rows = {
    "people:my_profile": ({}, signed_in(200)),
    "people:my_roles": ({}, signed_in(200)),
    "people:my_consents": ({}, signed_in(200)),
    "people:my_reads": ({}, signed_in(200)),
    "people:my_data": ({}, signed_in(200)),
    "people:my_export": ({}, signed_in(200)),
    "people:person_search": ({}, only({"coordinator"})),
    "people:person_register": ({}, only({"coordinator"})),
    "people:person_detail": ({"person_id": "@resident"}, only({"coordinator"}, others=404)),
    "people:person_export": ({"person_id": "@resident"}, only({"coordinator"}, others=404)),
    "people:person_erase": ({"person_id": "@resident"}, only({"coordinator"}, others=404)),
    "people:place_changes": ({}, only({"auditor"})),  # changes of home and reach, one by one
    # our hashed recovery codes (allauth's are switched off): they go with an authenticator app
    "people:recovery_codes": ({}, {**signed_in(302), **dict.fromkeys(STAFF, 200)}),
    # the code step is only for accounts without password and authenticator: others are sent to their step
    "people:reauthenticate_code": ({}, everyone(302)),
    "people:phone_signup": ({}, everyone(200)),
    "people:phone_signup_confirm": ({}, everyone(302)),  # no code asked for yet
    "api:me": ({}, signed_in(200, anonymous=401)),
    "api:my_roles": ({}, signed_in(200, anonymous=401)),
    "api:my_consents": ({}, signed_in(200, anonymous=401)),
    "api:withdraw_my_consent": ({"purpose": "contact_email"}, signed_in(405, anonymous=405)),
    "api:my_reads": ({}, signed_in(200, anonymous=401)),
    "api:my_export": ({}, signed_in(200, anonymous=401)),
    "api:my_export_csv": ({}, signed_in(200, anonymous=401)),
    "api:erase_me": ({}, everyone(405)),  # POST only
    "api:search_persons": ({}, only({"coordinator"}, anonymous=401)),
    "api:get_person": ({"person_id": "@resident"}, only({"coordinator"}, others=404, anonymous=401)),
    "api:person_consents": ({"person_id": "@resident"}, only({"coordinator"}, others=404, anonymous=401)),
    "api:withdraw_consent": ({"person_id": "@resident", "purpose": "contact_email"}, everyone(405)),
    "api:person_export": ({"person_id": "@resident"}, only({"coordinator"}, others=404, anonymous=401)),
    "api:person_export_csv": ({"person_id": "@resident"}, only({"coordinator"}, others=404, anonymous=401)),
    "api:person_erase": ({"person_id": "@resident"}, everyone(405)),  # POST only
    # POST operations sharing a path with a GET one: the GET answer is checked here, writes in their own tests
    "api:give_my_consent": ({}, signed_in(200, anonymous=401)),
    "api:register_person": ({}, only({"coordinator"}, anonymous=401)),
    "api:record_consent": ({"person_id": "@resident"}, only({"coordinator"}, others=404, anonymous=401)),
    "api:update_me": ({}, signed_in(200, anonymous=401)),
    "api:grant_role": ({"person_id": "@resident"}, everyone(405)),
    "api:withdraw_role": ({"person_id": "@resident", "assignment_id": 1}, everyone(405)),  # DELETE only
}
