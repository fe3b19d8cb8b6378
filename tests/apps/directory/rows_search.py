"""The public "Find help" pages in the URL × role access table: open to everyone, signed in or not.

``@service`` (from ``access_table.samples``) is a published service of the demo organisation; a service
that is not published answers 404 to everyone (``test_search_pages.py``).
"""

from tests.apps.access.access_rows import Rows, everyone

ROWS: Rows = {
    "directory:search": ({}, everyone(200)),
    "directory:print": ({}, everyone(200)),
    "directory:service": ({"pk": "@service"}, everyone(200)),
}
