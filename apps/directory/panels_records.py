"""Placeholder until this part is written (issue 16)."""

from typing import Any


def records_to_check(request: Any, actor: Any) -> None:
    return None


def changes_to_review(request: Any, actor: Any) -> None:
    return None
