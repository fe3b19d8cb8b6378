"""The ``cityofpeople`` console entry point.

Sub-commands that need no database (``match``, ``address``) run plain
Python from ``domain/`` without starting Django, so they stay fast and
usable on a machine with only the package installed.  Everything else
(``demo``, ``serve``, ``manage``) is forwarded to Django's management
commands.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence

# sub-command -> "module:function" taking argv (without the sub-command) and returning an exit code
PLAIN_COMMANDS: dict[str, str] = {
    "match": "domain.matching.cli:main",
    "address": "domain.geo.cli:main",
    "directory": "domain.directory.cli:main",
    "instruments": "domain.instruments.cli:main",
    "disclosure": "domain.disclosure.cli:main",
}

# sub-command -> Django management command it runs
DJANGO_COMMANDS: dict[str, str] = {
    "demo": "load_demo",
    "districts": "load_districts",
}

USAGE = """usage: cityofpeople COMMAND [ARGS...]

commands:
  match     the care-matching engine (solve, suggest, explain): cityofpeople match --help
  address   find an address in the offline address register: cityofpeople address --help
  directory how the service directory reads a search and opening hours: cityofpeople directory --help
  instruments score a loneliness instrument from a file of answers: cityofpeople instruments --help
  disclosure hide small counts of a table so they cannot be worked out: cityofpeople disclosure --help
  demo      load the demo Ghent data (districts, places, people); safe to run again
  districts load district polygons from a GeoJSON file
  manage    any Django management command: cityofpeople manage migrate
"""


def _load(target: str) -> Callable[[list[str]], int]:
    module_name, function_name = target.split(":")
    function: Callable[[list[str]], int] = getattr(importlib.import_module(module_name), function_name)
    return function


def _run_django(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityofpeople.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cityofpeople", *argv])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(USAGE)
        return 0
    command, rest = args[0], args[1:]
    if command in PLAIN_COMMANDS:
        return _load(PLAIN_COMMANDS[command])(rest)
    if command in DJANGO_COMMANDS:
        return _run_django([DJANGO_COMMANDS[command], *rest])
    if command == "manage":
        return _run_django(rest)
    sys.stderr.write(f"cityofpeople: unknown command '{command}'. Run 'cityofpeople --help'.\n")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
