"""``cityofpeople manage hsds_import FILE [--dry-run]``: read another system's HSDS 3.0 dataset into the
directory, all or nothing.  A bad file exits with status 2 and one line on standard error; nothing changes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.directory import hsds


class Command(BaseCommand):
    help = (
        "Import an HSDS 3.0 dataset (a JSON array of services or organizations, a page of an HSDS API, or "
        "NDJSON). Matched by id: importing again changes nothing. Refused as a whole at the first fault."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The dataset ('-' for standard input)")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, but write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = sys.stdin.buffer.read() if options["file"] == "-" else Path(options["file"]).read_bytes()
            report = hsds.import_dataset(data, dry_run=options["dry_run"])
        except OSError as error:
            self._refuse(f"{options['file']}: {error.strerror or error}")
        except hsds.HsdsError as error:
            self._refuse(f"{options['file']}: {error}")
        prefix = "Dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{report.summary()}.")

    def _refuse(self, message: str) -> None:
        self.stderr.write(" ".join(message.split()))
        sys.exit(2)
