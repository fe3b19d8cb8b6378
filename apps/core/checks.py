"""Deployment checks of our own, run by ``manage.py check --deploy``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def security_contact_is_set(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Without an address, finders of a vulnerability have nowhere private to report it."""
    if settings.SECURITY_CONTACT:
        return []
    return [
        Warning(
            "COP_SECURITY_CONTACT is not set: /.well-known/security.txt answers 404 and SECURITY.md's "
            "reporting route has no address for this deployment.",
            hint="Set COP_SECURITY_CONTACT to the city's security mailbox (mailto:…) or reporting page (https://…).",
            id="cityofpeople.W001",
        )
    ]
