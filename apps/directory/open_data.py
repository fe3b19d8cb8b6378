"""Placeholder until this part is written (issue 16)."""

DATASETS = ()
