"""``cityofpeople manage hsds_import FILE [--dry-run]``: read another system's HSDS 3.0 dataset into the
directory, all or nothing.  A bad file exits with status 2 and one line on standard error; nothing changes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.directory import hsds

MAX_MEGABYTES = 200
"""Larger files are refused unless ``--max-megabytes`` says more: the whole file is read and checked in memory
(a 52 MB dataset took 77 s and about 1.5 GB), so a wrong file must not take the machine down."""


class Command(BaseCommand):
    help = (
        "Import an HSDS 3.0 dataset (a JSON array of services or organizations, a page of an HSDS API, or "
        "NDJSON). Matched by id: importing again changes nothing. Refused as a whole at the first fault."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The dataset ('-' for standard input)")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, but write nothing")
        parser.add_argument("--max-megabytes", type=int, default=MAX_MEGABYTES,
                            help=f"Refuse a larger file (default {MAX_MEGABYTES} MB)")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        limit = max(1, options["max_megabytes"]) * 1024 * 1024
        try:
            data = self._read(options["file"], limit)
            report = hsds.import_dataset(data, dry_run=options["dry_run"])
        except OSError as error:
            self._refuse(f"{options['file']}: {error.strerror or error}")
        except hsds.HsdsError as error:
            self._refuse(f"{options['file']}: {error}")
        prefix = "Dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{report.summary()}.")

    def _read(self, name: str, limit: int) -> bytes:
        """The file, read up to one byte past the limit (so a larger one is refused without reading it all)."""
        if name == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with Path(name).open("rb") as handle:
                data = handle.read(limit + 1)
        if len(data) > limit:
            self._refuse(f"{name}: larger than {limit // (1024 * 1024)} MB; give --max-megabytes to read it anyway")
        return data

    def _refuse(self, message: str) -> None:
        self.stderr.write(" ".join(message.split()))
        sys.exit(2)
