"""``cityofpeople directory`` (or ``python -m domain.directory``): the directory's text matching and opening hours
on the command line, to try how a query is understood without a database.

    cityofpeople directory normalise "Thuisverpléging, 24/7!"
    cityofpeople directory match "thuisverplegin" "Thuisverpleging voor ouderen"
    cityofpeople directory open 2026-12-07T10:30 "hours MO,TU 09:00 17:00" "closed - - - 2026-12-24 2026-12-26"
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time

from . import opening
from .text import Query, normalise


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"cityofpeople directory: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cityofpeople directory", description="The directory's text matching and opening hours.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("normalise", help="the searchable form of a text").add_argument("text")
    match = commands.add_parser("match", help="how a query matches a text, word by word, and its score")
    match.add_argument("query")
    match.add_argument("text")
    open_ = commands.add_parser(
        "open", help='open at a moment? schedules as "KIND BYDAY OPENS CLOSES [FROM TO]", "-" for empty'
    )
    open_.add_argument("moment", help="2026-12-07T10:30")
    open_.add_argument("schedules", nargs="+")
    return parser


def _optional(value: str) -> str | None:
    return None if value in {"", "-"} else value


def schedule_from_words(words: str) -> opening.ScheduleTuple:
    """ "hours MO,TU 09:00 17:00" or "closed - - - 2026-12-24 2026-12-26" → a schedule tuple."""
    parts = [*words.split(), "-", "-", "-", "-", "-"][:6]
    kind, byday, opens, closes, since, until = (_optional(part) for part in parts)
    return (
        kind or "",
        byday or "",
        time.fromisoformat(opens) if opens else None,
        time.fromisoformat(closes) if closes else None,
        date.fromisoformat(since) if since else None,
        date.fromisoformat(until) if until else None,
    )


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.command == "normalise":
        print(normalise(args.text))
        return 0
    if args.command == "match":
        query = Query(args.query)
        found = query.match(normalise(args.text))
        for typed, word in zip(query.words, found.words, strict=True):
            print(f"{typed}: {f'{word.how.value} {word.found!r} {word.score}' if word else 'not found'}")
        print(f"score {found.score:.2f}, {found.matched} of {len(query.words)} words")
        return 0 if found.matched else 1
    try:
        moment = datetime.fromisoformat(args.moment)
        rules = opening.read(schedule_from_words(words) for words in args.schedules)
    except ValueError as error:
        print(f"cityofpeople directory: {error}", file=sys.stderr)
        return 2
    state = opening.status(rules, moment)
    if state.state is opening.State.OPEN:
        print(f"open until {state.until:%H:%M}" if state.until else "open")
    elif state.state is opening.State.CLOSED:
        print(f"closed{' (closure)' if state.closure else ''}; opens {state.next:%Y-%m-%d %H:%M}" if state.next
              else "closed")  # fmt: skip
    else:
        print(state.state.value)
    return 0
