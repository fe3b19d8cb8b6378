"""The directory's home panels and its section on a person's page (see ``capability.py``).

Records and review: ``panels_records.py``; referrals: ``panels_referrals.py``.
"""

from .panels_records import changes_to_review, records_to_check
from .panels_referrals import my_referrals, person_referrals, referrals_to_answer, referrals_to_follow_up

__all__ = [
    "changes_to_review",
    "my_referrals",
    "person_referrals",
    "records_to_check",
    "referrals_to_answer",
    "referrals_to_follow_up",
]  # fmt: skip
