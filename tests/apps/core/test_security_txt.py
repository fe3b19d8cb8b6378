"""RFC 9116 security.txt: where to report a vulnerability, from the deployment's settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client, override_settings


def fields(text: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in text.strip().splitlines())


def test_security_txt_names_the_configured_contact_and_a_future_expiry() -> None:
    response = Client().get("/.well-known/security.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    found = fields(response.content.decode())
    assert found["Contact"] == "mailto:security@cityofpeople.gent.example"
    expires = datetime.fromisoformat(found["Expires"].replace("Z", "+00:00"))
    assert timedelta(days=30) < expires - datetime.now(UTC) < timedelta(days=366), "RFC 9116: under a year"
    assert found["Canonical"] == "http://testserver/.well-known/security.txt"
    assert found["Preferred-Languages"] == "nl, en, fr"


@pytest.mark.parametrize(
    ("configured", "published"),
    [
        ("security@stad.gent.example", "mailto:security@stad.gent.example"),
        ("https://stad.gent/meld", "https://stad.gent/meld"),
    ],
)
def test_a_bare_address_becomes_a_mailto_link(configured: str, published: str) -> None:
    with override_settings(SECURITY_CONTACT=configured):
        assert fields(Client().get("/.well-known/security.txt").content.decode())["Contact"] == published


@override_settings(SECURITY_CONTACT="")
def test_without_a_contact_there_is_no_file() -> None:
    assert Client().get("/.well-known/security.txt").status_code == 404
