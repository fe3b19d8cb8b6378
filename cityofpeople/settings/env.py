"""Read configuration from the environment.

Twelve-factor style: a city's operations team configures the platform with
environment variables only, so the same code runs on a laptop and on a
cluster.  Kept dependency-free on purpose.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse


class ConfigurationError(RuntimeError):
    """A required setting is missing or malformed; the message says which."""


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ConfigurationError(f"Environment variable {name} is required but not set.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigurationError(f"Environment variable {name} must be true or false, not {raw!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str, base_dir: Path) -> dict[str, Any]:
    """Turn ``sqlite:///path`` or ``postgres://user:pw@host:port/name`` into a DATABASES entry.

    A relative SQLite path is taken relative to the project folder, so the
    embedded database always lands in the same place whatever the working
    directory.  ``?host=/path/to/socket`` selects a Unix socket for PostgreSQL.
    """
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///var/db.sqlite3 is relative, sqlite:////srv/db.sqlite3 absolute
        path = Path(unquote(parsed.path)[1:])
        if not path.is_absolute():
            path = base_dir / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                # IMMEDIATE: a writer takes the lock at BEGIN, so two requests never
                # both read-then-write and deadlock; WAL lets readers run meanwhile.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        query = dict(part.split("=", 1) for part in parsed.query.split("&") if "=" in part)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": unquote(query.get("host", parsed.hostname or "")),
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # Parameters sent apart from the query text, so that psycopg prepares a query the connection
            # has run five times: PostgreSQL then plans it once, not on every page (a fifth of a page's
            # time with suggestions, measured by bench/care/run.py), and no Python quotes each value.
            "OPTIONS": {"server_side_binding": True},
        }
    raise ConfigurationError(f"DATABASE_URL must start with sqlite:// or postgres://, not {url.split(':', 1)[0]!r}.")


def env_int_or(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"Environment variable {name} must be a whole number, not {raw!r}.") from None
