"""Access rows of the read-only HSDS API (``apps/directory/api.py``): public, for every role the same."""

from __future__ import annotations

from tests.apps.access.access_rows import Rows, everyone

ROWS: Rows = {
    "api:hsds_info": ({}, everyone(200)),
    "api:list_services": ({}, everyone(200)),
    "api:get_service": ({"id": "@service"}, everyone(200)),
    "api:list_organizations": ({}, everyone(200)),
    "api:get_organization": ({"id": "@organization"}, everyone(200)),
    "api:list_service_at_locations": ({}, everyone(200)),
    "api:get_service_at_location": ({"id": "@service_at_location"}, everyone(200)),
    "api:list_taxonomies": ({}, everyone(200)),
    "api:get_taxonomy": ({"id": "@taxonomy"}, everyone(200)),
    "api:list_taxonomy_terms": ({}, everyone(200)),
    "api:get_taxonomy_term": ({"id": "@taxonomy_term"}, everyone(200)),
}
