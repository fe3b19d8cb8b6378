"""An address with a postcode the register does not know lies in another municipality: the finder says so
plainly, instead of "unknown street", so a coordinator can tell the person at once."""

from __future__ import annotations

from domain.geo.addresses import AddressPoint, CrabGeocoder, Reason

POINTS = [
    AddressPoint("Korenmarkt", "1", "9000", 51.0545, 3.7215, 1, "Binnenstad"),
    AddressPoint("Meersstraat", "12", "9000", 51.0400, 3.7200, 1, "Binnenstad"),
]


def test_a_postcode_of_another_municipality_is_outside_the_area() -> None:
    finder = CrabGeocoder(POINTS)
    result = finder.find("Meir 1, 2000 Antwerpen")
    assert result.address is None and result.reason is Reason.OUTSIDE_AREA


def test_a_postcode_of_the_city_is_searched_as_usual() -> None:
    finder = CrabGeocoder(POINTS)
    assert finder.find("Korenmarkt 1, 9000 Gent").address is not None
    assert finder.find("Nergensstraat 4, 9000 Gent").reason is Reason.UNKNOWN_STREET
