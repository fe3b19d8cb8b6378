"""``cityofpeople instruments`` (or ``python -m domain.instruments``): score a loneliness instrument from a
file of answers, exactly as ``docs/specs/instruments.md`` fixes it, with the code the platform uses.

    cityofpeople instruments score djg11 answers.json
    cityofpeople instruments score djg6 answers.json --format 5
    cityofpeople instruments list

``score`` prints one JSON object on stdout and exits 0.  Input it cannot score (a file it cannot read, bad
JSON, not a JSON object, an unknown instrument, an item that is not part of the instrument, an unknown answer
code, an answer given twice) exits 2 with one line on stderr naming the first offending item, and prints
nothing on stdout.

The answer format of the De Jong Gierveld scales: ``--format 3`` or ``--format 5``; without it, the answers
are in the 5-point format when any ``strong_`` code occurs (those codes only exist there), else in the
3-point format.  With ``--format 3`` a ``strong_`` code is refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .scales import INSTRUMENTS, InstrumentError, instrument
from .scoring import RULES, score

PROG = "cityofpeople instruments"
MAX_BYTES = 64 * 1024
"""Largest answers file read: an 11-item answer file is a few hundred bytes."""
MAX_DEPTH_MESSAGE = "nested too deeply"


class UsageError(Exception):
    """Input the command refuses: the message is the one line printed on stderr."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{PROG}: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Loneliness screening instruments, scored as published.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    score_cmd = commands.add_parser("score", help="score a file of answers (docs/specs/instruments.md)")
    score_cmd.add_argument("instrument", metavar="INSTRUMENT", help=", ".join(INSTRUMENTS))
    score_cmd.add_argument("answers", metavar="ANSWERS.json")
    score_cmd.add_argument(
        "--format",
        dest="answer_format",
        metavar="3|5",
        help="answer format of a De Jong Gierveld scale (default: 5 when a strong_ code occurs, else 3)",
    )
    commands.add_parser("list", help="the instruments, their items, formats and languages")
    return parser


class _Object(dict[str, Any]):
    """A JSON object that remembers the first key it was given twice."""

    duplicate: str | None = None


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    found = _Object()
    for key, value in pairs:
        if key in found and found.duplicate is None:
            found.duplicate = key
        found[key] = value
    return found


def _shown_path(path: str) -> str:
    return path.encode("unicode_escape").decode("ascii")


def read_answers_file(path: str) -> dict[str, Any]:
    """The JSON object in ``path``; :class:`UsageError` with one line for anything else."""
    name = _shown_path(path)
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise UsageError(f"cannot read {name}: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise UsageError(f"{name} is larger than {MAX_BYTES // 1024} KiB: not an answers file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(f"{name} is not UTF-8 text (byte {error.start + 1})") from None
    try:
        answers = json.loads(text, object_pairs_hook=_object)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise UsageError(f"{name} is not valid JSON: {error.msg} ({where})") from None
    except RecursionError:
        raise UsageError(f"{name} is not valid JSON: {MAX_DEPTH_MESSAGE}") from None
    except ValueError as error:  # e.g. an integer with thousands of digits
        raise UsageError(f"{name} is not valid JSON: {str(error).splitlines()[0][:120]}") from None
    if not isinstance(answers, _Object):
        kind = "an array" if isinstance(answers, list) else "null" if answers is None else f"a {type(answers).__name__}"
        raise UsageError(f"{name} must hold one JSON object keyed by item number, not {kind}")
    if answers.duplicate is not None:
        raise UsageError(f"item {answers.duplicate!r} is given twice in {name}")
    return answers


def _score(instrument_key: str, path: str, answer_format: str | None) -> dict[str, Any]:
    scale = instrument(instrument_key)
    if answer_format is not None and scale.key == "ucla3":
        raise UsageError("--format applies to the De Jong Gierveld scales only (ucla3 has one answer format)")
    answers = read_answers_file(path)
    return score(scale.key, answers, answer_format).to_dict()


def _listing() -> dict[str, Any]:
    return {
        key: {
            "name": scale.name,
            "version": scale.version,
            "items": [{"number": item.number, "kind": item.kind.value} for item in scale.items],
            "formats": {name: list(codes) for name, codes in scale.formats.items()},
            "languages": list(scale.languages),
            "subscale_categories": RULES[key].subscale_bands is not None,
        }
        for key, scale in INSTRUMENTS.items()
    }


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        result = _listing() if args.command == "list" else _score(args.instrument, args.answers, args.answer_format)
    except (UsageError, InstrumentError) as error:
        sys.stderr.write(f"{PROG}: {error}\n")
        return 2
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0
