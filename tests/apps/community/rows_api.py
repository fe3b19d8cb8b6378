"""The community API (issue 18, item 5): its rows of the URL × role access table (merged by ``access_table.py``).

Published initiatives, events, materials and grant calls are for everyone; the draft initiative for its starter and
the district's reviewers (404 for anyone else, as an id that does not exist); support requests need an account
(401 without), one request is for who asked it and who answers it.  What is POST only answers 405.
"""

from __future__ import annotations

from tests.apps.access.access_rows import ROLES, Rows, everyone, signed_in

REVIEWERS = {"coordinator", "city_staff"}

ROWS: Rows = {
    "api:community_initiatives": ({}, everyone(200)),
    "api:community_initiative": (
        {"initiative_id": "@initiative_draft"},
        {**dict.fromkeys(ROLES, 404), **dict.fromkeys({"initiative_starter"} | REVIEWERS, 200)},
    ),
    "api:community_events": ({}, everyone(200)),
    "api:community_event": ({"event_id": "@event"}, everyone(200)),
    "api:community_materials": ({}, everyone(200)),
    "api:community_grant_calls": ({}, everyone(200)),
    "api:community_support_requests": ({}, signed_in(200, anonymous=401)),
    "api:community_support_request": (
        {"request_id": "@support_request"},
        {**signed_in(404, anonymous=401), **dict.fromkeys({"initiative_starter"} | REVIEWERS, 200)},
    ),
    "api:community_support_withdraw": ({"request_id": "@support_request"}, everyone(405)),
}  # fmt: skip
