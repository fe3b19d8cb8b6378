"""French (Belgium): `8 décembre 2026`, `8 décembre 2026 à 14:57`, `8 déc. 2026`; decimal comma."""

from cityofpeople.formats.reading import (  # noqa: F401 - read by Django's format localisation
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    FIRST_DAY_OF_WEEK,
    TIME_INPUT_FORMATS,
)

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y \\à H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j N Y"
SHORT_DATETIME_FORMAT = "j N Y \\à H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # a space that does not break
NUMBER_GROUPING = 3
