"""Fixtures shared by every suite."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from tests.demo_snapshot import DemoCity


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Every database test starts with the 25 real districts of Ghent loaded."""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            # the access log refuses TRUNCATE, which Django uses to empty the test database between tests
            with connection.cursor() as cursor:
                cursor.execute(
                    f"ALTER DATABASE {connection.settings_dict['NAME']} SET cityofpeople.allow_truncate = 'on'"
                )
                cursor.execute("SET cityofpeople.allow_truncate = 'on'")
        call_command("load_districts", verbosity=0)


@pytest.fixture(scope="session")
def demo_rows() -> DemoCity:
    return DemoCity()


@pytest.fixture
def demo_city(db: None, demo_rows: DemoCity) -> None:
    """The full demo city (places and people), for tests that need realistic data: what ``load_demo``
    writes, loaded once per process and copied in for each test (``tests/demo_snapshot.py``)."""
    demo_rows.load()
