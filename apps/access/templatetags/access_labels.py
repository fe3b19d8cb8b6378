"""``{% load access_labels %}``: an access-log code as words (``{{ entry.actor_role|role_label }}``)."""

from __future__ import annotations

from django import template

from apps.access import labels

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    return labels.role_label(code)


@register.filter
def purpose_label(code: str) -> str:
    return labels.purpose_label(code)
