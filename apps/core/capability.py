"""What the core app adds to the frame (``apps/core/capabilities.py``): its pages, API, menu, home panels,
demo, retention, open data and settings."""

from __future__ import annotations

from apps.core.capabilities import Capability

CAPABILITY = Capability(app="core", urls="apps.core.urls")
