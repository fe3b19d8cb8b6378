"""Placeholder until this part is written (issue 16)."""

from ninja import Router

router = Router(tags=["HSDS 3.0"])
