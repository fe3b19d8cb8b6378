"""``cityofpeople address``: the offline address finder and district lookup on the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .addresses import CrabGeocoder
from .districts import DistrictFileError, DistrictIndex, load_districts

DATA = Path(__file__).resolve().parents[2] / "data" / "gent"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"cityofpeople address: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cityofpeople address", description="Find addresses and districts offline.")
    parser.add_argument("--addresses", type=Path, default=DATA / "addresses-crab2014.csv", help="address CSV")
    parser.add_argument("--districts", type=Path, default=DATA / "stadswijken-gent.geojson", help="district GeoJSON")
    commands = parser.add_subparsers(dest="command", required=True)
    find = commands.add_parser("find", help="find an address: street, house number, optional postcode")
    find.add_argument("query")
    district = commands.add_parser("district", help="the district of a point")
    district.add_argument("lat", type=float)
    district.add_argument("lon", type=float)
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        index = DistrictIndex(load_districts(args.districts))
    except DistrictFileError as error:
        print(f"cityofpeople address: {args.districts}: {error}", file=sys.stderr)
        return 2
    if args.command == "district":
        if not (-90 <= args.lat <= 90 and -180 <= args.lon <= 180):
            print("cityofpeople address: latitude must be in -90..90 and longitude in -180..180", file=sys.stderr)
            return 2
        found = index.lookup(args.lat, args.lon)
        print(f"{found.number} {found.name}" if found else "outside the city")
        return 0
    try:
        finder = CrabGeocoder.from_csv(args.addresses)
    except (OSError, KeyError, ValueError) as error:
        print(f"cityofpeople address: {args.addresses}: cannot read the address file ({error})", file=sys.stderr)
        return 2
    result = finder.find(args.query)
    if result.address is None:
        reason = result.reason.value.replace("_", " ") if result.reason else "not found"
        print(f"not found: {reason}", file=sys.stderr)
        for suggestion in result.suggestions:
            print(f"  did you mean: {suggestion}", file=sys.stderr)
        return 1
    point = result.address
    district = index.lookup(point.lat, point.lon)
    if result.understood:
        print(f"understood street: {result.understood}")
    if result.note:
        print(f"note: {result.note.kind.value} {result.note.typed} {result.note.lower} {result.note.upper}".rstrip())
    print(f"{point.street} {point.house_number}, {point.postcode}")
    print(f"lat {point.lat:.6f}, lon {point.lon:.6f}")
    print(f"district: {district.number} {district.name}" if district else "district: outside the city")
    return 0
