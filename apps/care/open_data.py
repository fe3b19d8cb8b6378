"""Care's open data (``Capability.open_data``): the categories of help, the list a resident chooses from.

The list only: never a request, an offer or a count of them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import OpenDataset
from apps.core.open_data import csv_text

from .selectors import care_categories


def categories_csv() -> str:
    header = ["code", "label_nl", "label_en", "label_fr", "professional"]
    rows = care_categories().values_list("code", "name_nl", "name_en", "name_fr", "professional")
    return csv_text(header, ([code, nl, en, fr, "true" if pro else "false"] for code, nl, en, fr, pro in rows))


DATASETS = (
    OpenDataset(
        slug="categories",
        title=_("Categories of help"),
        description=_(
            "What residents can ask help for, with its name in Dutch, English and French. “professional” is "
            "“true” for care only professionals give (such as nursing): volunteers are never asked for it."
        ),
        formats={"csv": categories_csv},
        source=_("City of People: the categories the city uses for care matching."),
    ),
)
