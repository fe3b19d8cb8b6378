"""What the places app shows on the home page (declared in ``capability.py``): the districts and the address finder."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .forms import AddressSearchForm
from .selectors import district_count


def districts(request: HttpRequest, actor: Any) -> dict[str, Any]:
    """How many districts the city has (one count), with the link to them."""
    return {"district_count": district_count()}


def address(request: HttpRequest, actor: Any) -> dict[str, Any]:
    """The address finder's empty form (no query): drawn by the design system like every field."""
    return {"form": AddressSearchForm()}
