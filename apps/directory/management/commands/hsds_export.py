"""``cityofpeople manage hsds_export [-o FILE] [--format json|ndjson]``: the whole published directory as
HSDS 3.0 (a JSON array of fully nested services, the HSDS "service package", or one service per line)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.directory import hsds


class Command(BaseCommand):
    help = "Write the published directory as HSDS 3.0: fully nested services, as a JSON array or NDJSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", help="File to write (default: standard output)")
        parser.add_argument("--format", choices=["json", "ndjson"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"]
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                count = self._write(handle.write, options["format"])
            self.stderr.write(f"{count} services written to {output}.")
        else:
            self._write(lambda text: self.stdout.write(text, ending=""), options["format"])

    def _write(self, write: Callable[[str], Any], fmt: str) -> int:
        """Write every service; one document a line (NDJSON) or one JSON array.  Returns how many."""
        count = 0
        if fmt == "ndjson":
            for document in hsds.export_services():
                write(hsds.dumps(document) + "\n")
                count += 1
            return count
        documents = list(hsds.export_services())
        write(hsds.dumps(documents) + "\n")
        return len(documents)
