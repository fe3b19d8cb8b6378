"""What a Belgian types, the same in every language: day before month, Monday first (the format modules
of nl, en and fr import these; only how a date is written differs per language)."""

# ISO first: the browsers date fields send it; then day first, never month first (7/12/2026 is 7 December)
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%d-%m-%y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M", "%Hu%M", "%Hh%M"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y %H:%M",
]
FIRST_DAY_OF_WEEK = 1  # Monday
