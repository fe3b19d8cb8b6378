"""The triggers that give the search a new token on every write to a table "Find help" reads.

``search_index.py`` says why the search needs the token.  Triggers, not Django signals: they see every way of
writing (a form, an import, the admin, a bulk ``update()``, plain SQL).  They are (re)installed after every
``migrate`` and ``flush`` (``post_migrate``), not only by a migration: SQLite drops a table's triggers when a later
migration rebuilds the table to change a column, and a search that silently stopped seeing changes would show
residents services that no longer exist.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

TABLES = (
    "organisations_organisation",  # ``active`` decides what is published
    "directory_service",
    "directory_location",
    "directory_serviceatlocation",
    "directory_servicearea",
    "directory_schedule",
    "directory_language",
    "directory_attribute",
    "directory_taxonomyterm",
)
STATE = "directory_searchstate"
_SQLITE_RENEW = "INSERT OR REPLACE INTO directory_searchstate (id, token) VALUES (1, lower(hex(randomblob(16))))"
_POSTGRES_RENEW = (
    "INSERT INTO directory_searchstate (id, token) VALUES (1, md5(random()::text || clock_timestamp()::text)) "
    "ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token"
)
_POSTGRES_FUNCTION = (
    "CREATE OR REPLACE FUNCTION directory_new_search_token() RETURNS trigger AS $$ BEGIN "
    + _POSTGRES_RENEW
    + "; RETURN NULL; END $$ LANGUAGE plpgsql"
)


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers where they are missing and give the search a new token (idempotent)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_FUNCTION)
            for table in TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_search_token ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER {table}_search_token AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION directory_new_search_token()"
                )
            cursor.execute(_POSTGRES_RENEW)
        elif connection.vendor == "sqlite":
            for table in TABLES:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {table}_search_token_{event.lower()} AFTER {event} ON {table} "
                        f"BEGIN {_SQLITE_RENEW}; END"
                    )
            cursor.execute(_SQLITE_RENEW)
        else:
            raise NotImplementedError(f"The directory search has no triggers for {connection.vendor}.")


def _names(table: str, vendor: str) -> set[str]:
    if vendor == "postgresql":
        return {f"{table}_search_token"}
    return {f"{table}_search_token_{event}" for event in ("insert", "update", "delete")}


def installed(connection: BaseDatabaseWrapper) -> set[str]:
    """The tables that have all of the search's triggers (for the tests)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    return {table for table in TABLES if _names(table, connection.vendor) <= present}


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if STATE in tables and set(TABLES) <= tables:
        install(connection)
