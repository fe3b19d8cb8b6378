"""Statistical disclosure control: small counts hidden so they cannot be worked out again (``suppression.py``)."""

from .suppression import THRESHOLD, Cell, Protected, Why, protect, share

__all__ = ["THRESHOLD", "Cell", "Protected", "Why", "protect", "share"]
