"""``cityofpeople districts [FILE]``: load district polygons from a GeoJSON file.

Ghent's official districts are the default; another city passes its own
file and the names of the properties that hold the number and the name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.places.services import DistrictLoadError, districts_load


class Command(BaseCommand):
    help = "Load (or reload) the districts of the city from a GeoJSON FeatureCollection of polygons."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=settings.DISTRICTS_FILE, help="GeoJSON file")
        parser.add_argument("--number-property", default="wijknr", help="property with the district number")
        parser.add_argument("--name-property", default="wijk", help="property with the district name")
        parser.add_argument("--area-property", default="naam", help="property with the larger area it belongs to")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            report = districts_load(
                path=path,
                number_property=options["number_property"],
                name_property=options["name_property"],
                area_property=options["area_property"] or None,
            )
        except DistrictLoadError as error:
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(
            f"Districts loaded from {path.name}: {report.created} new, {report.updated} updated, "
            f"{report.removed} removed."
        )
