"""Placeholder until this part is written (issue 16)."""

from typing import Any


def referrals_to_follow_up(request: Any, actor: Any) -> None:
    return None


def referrals_to_answer(request: Any, actor: Any) -> None:
    return None


def my_referrals(request: Any, actor: Any) -> None:
    return None


def person_referrals(request: Any, actor: Any, person: Any) -> None:
    return None
