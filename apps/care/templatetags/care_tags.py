"""``{% load care_tags %}``: a care request's or a match's status as the design system's status tag."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from apps.care import tables
from apps.care.wording import short_name
from apps.core.components import Tag

register = template.Library()


@register.simple_tag
def request_status(care_request: Any) -> SafeString:
    """Looking for a helper (warning), helper found (info), done (success), referred or cancelled (neutral)."""
    tag = tables.request_tag(care_request)
    return render_to_string("components/status_tag.html", {"label": tag.label, "variant": tag.variant})


@register.simple_tag
def match_status(match: Any) -> SafeString:
    """Proposed (warning), accepted or planned (info), done (success), declined or cancelled (neutral)."""
    tag = tables.match_tag(match)
    return render_to_string("components/status_tag.html", {"label": tag.label, "variant": tag.variant})


@register.simple_tag
def match_tag(match: Any) -> Tag:
    """The match's status as a ``Tag`` for a card: ``{% match_tag match as tag %}``."""
    return tables.match_tag(match)


@register.simple_tag
def request_tag(care_request: Any) -> Tag:
    """The request's status as a ``Tag`` for a card: ``{% request_tag care_request as tag %}``."""
    return tables.request_tag(care_request)


@register.simple_tag
def helper_label(offer: Any) -> str:
    """A helper as the coordinator names them: first name, initial and number, "Yasmine H. (#3)"."""
    return f"{short_name(offer.person)} (#{offer.pk})"
