"""A rich directory (every field, every kind of schedule, languages, costs, areas, types of help) and the
official HSDS 3.0 validators, shared by the HSDS tests."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

from django.utils import timezone
from jsonschema import Draft202012Validator

from apps.directory import hsds
from apps.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    OrganisationRecord,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from apps.organisations.models import Organisation
from apps.places.models import District


@cache
def validator(kind: str) -> Draft202012Validator:
    """The official compiled schema (copied in ``apps/directory/hsds_schema``), with formats checked."""
    path = hsds.SCHEMA_DIR / "compiled" / f"{kind}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(kind: str, document: Any) -> None:
    errors = sorted(validator(kind).iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def build_directory() -> dict[str, Any]:
    """Two organisations (one without a directory record), three services, two locations, a taxonomy."""
    centre = District.objects.order_by("number").first()
    assert centre is not None
    taxonomy = Taxonomy.objects.create(name="Stadstaxonomie", description="De hulpsoorten van de stad",
                                       uri="https://stad.example/taxonomie", version="1")  # fmt: skip
    care = TaxonomyTerm.objects.create(
        taxonomy=taxonomy, code="care", name_nl="Zorg", name_en="Care", name_fr="Soins", description_nl="Zorg thuis",
        description_en="Care at home", term_uri="https://stad.example/care",
    )  # fmt: skip
    meals = TaxonomyTerm.objects.create(
        taxonomy=taxonomy, parent=care, code="meals", name_nl="Maaltijden aan huis", name_fr="Repas à domicile"
    )
    loose = TaxonomyTerm.objects.create(name_nl="Vrije term", description_nl="", language="nl")
    welfare = Organisation.objects.create(
        name="OCMW Voorbeeld", slug="ocmw-voorbeeld", description="Het sociaal huis", email="info@ocmw.example",
        website="https://ocmw.example",
    )  # fmt: skip
    record = OrganisationRecord.objects.create(
        organisation=welfare, alternate_name="Sociaal Huis", legal_status="public", year_incorporated=1976,
        logo="https://ocmw.example/logo.png", uri="https://ocmw.example/org",
        extra={"tax_status": "exempt", "organization_identifiers": []},
    )  # fmt: skip
    org_contact = Contact.objects.create(organisation=record, name="Onthaal", email="onthaal@ocmw.example")
    Phone.objects.create(contact=org_contact, number="09 111 11 11", type="voice")
    Phone.objects.create(organisation=record, number="09 222 22 22", extension=12, description="Centrale")
    Attribute.objects.create(organisation=record, taxonomy_term=care, link_type="provides", value="ja")
    volunteers = Organisation.objects.create(name="Buren helpen", slug="buren-helpen")

    home = Location.objects.create(
        organisation=welfare, location_type="physical", name="Sociaal Huis Centrum", alternate_name="SHC",
        description="Het hoofdgebouw", transportation="Tram 1", latitude=centre.interior_lat,
        longitude=centre.interior_lon, external_identifier="123", external_identifier_type="CRAB",
        url="https://ocmw.example/centrum", district=centre,
    )  # fmt: skip
    Address.objects.create(location=home, address_1="Onderstraat 1", address_2="bus 2", attention="Onthaal",
                           city="Gent", region="Oost-Vlaanderen", state_province="Oost-Vlaanderen",
                           postal_code="9000", country="BE")  # fmt: skip
    Accessibility.objects.create(location=home, description="Rolstoeltoegankelijk", details="Lift",
                                 url="https://ocmw.example/toegang")  # fmt: skip
    Language.objects.create(location=home, code="nl", name="Nederlands")
    Phone.objects.create(location=home, number="09 333 33 33")
    Schedule.objects.create(location=home, byday="MO,TU,WE,TH,FR", freq="WEEKLY", opens_at=time(9),
                            closes_at=time(12, 30), description="Elke werkdag in de voormiddag")  # fmt: skip
    Attribute.objects.create(location=home, taxonomy_term=loose)
    phone_line = Location.objects.create(location_type="virtual", name="Zorglijn", url="https://zorglijn.example")

    meals_service = Service.objects.create(
        organisation=welfare, name="Warme maaltijden", alternate_name="Maaltijdbedeling",
        description="Een warme maaltijd aan huis", url="https://ocmw.example/maaltijden",
        email="maaltijden@ocmw.example", status="active", interpretation_services="Tolk op vraag",
        application_process="Bel ons", fees_description="Volgens inkomen", wait_time="Een week", fees="7 euro",
        accreditations="Erkend", eligibility_description="65-plussers", minimum_age=65, maximum_age=120,
        income_limited=True, assured_date=date(2026, 11, 1), assurer_email="controle@stad.example",
        licenses="Vergunning 1", alert="Niet op feestdagen",
        last_modified=timezone.make_aware(datetime(2026, 11, 2, 10, 30, 15, 123456)),
        extra={"program_id": "7d9b1d52-3f65-4a53-9d48-6a47f8e0f111", "funding": [{"id": "1c7c1b3e-8d0a-4c56-a1a6-"
               "0d3f5f6b9a01", "source": "Vlaamse overheid"}]},
    )  # fmt: skip
    sal = ServiceAtLocation.objects.create(service=meals_service, location=home, description="Afhalen kan ook")
    Schedule.objects.create(service_at_location=sal, byday="SA", freq="WEEKLY", opens_at=time(11),
                            closes_at=time(13), timezone=1, interval=1, wkst="MO")  # fmt: skip
    Contact.objects.create(service_at_location=sal, name="Kok", title="Chef")
    Phone.objects.create(service_at_location=sal, number="09 444 44 44")
    Schedule.objects.create(service=meals_service, byday="MO,WE", freq="WEEKLY", opens_at=time(11, 30),
                            closes_at=time(12, 30), valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31),
                            dtstart=date(2026, 1, 5), until=date(2026, 12, 30), count=100, byweekno="1",
                            bymonthday="", byyearday="", schedule_link="https://ocmw.example/uren",
                            attending_type="in person", notes="Bestellen de dag voordien")  # fmt: skip
    Schedule.objects.create(service=meals_service, valid_from=date(2026, 12, 24), valid_to=date(2027, 1, 2),
                            description="Gesloten tijdens de feestdagen")  # fmt: skip
    Schedule.objects.create(service=meals_service, description="Op afspraak", attending_type="phone")
    Phone.objects.create(service=meals_service, number="09 555 55 55", type="voice")
    Language.objects.create(service=meals_service, code="fr", name="Frans", note="Op vraag")
    Language.objects.create(service=meals_service, code="nl")
    CostOption.objects.create(service=meals_service, option="Maaltijd", amount=Decimal("7.50"), currency="EUR",
                              amount_description="Per maaltijd", valid_from=date(2026, 1, 1))  # fmt: skip
    CostOption.objects.create(service=meals_service, option="Soep", amount=Decimal("2.00"))
    ServiceArea.objects.create(service=meals_service, name=centre.name, district=centre)
    ServiceArea.objects.create(service=meals_service, name="Heel Gent", extent_type="geojson", extent="{}",
                               uri="https://stad.example/gent")  # fmt: skip
    RequiredDocument.objects.create(service=meals_service, document="Identiteitskaart", uri="https://id.example")
    Contact.objects.create(service=meals_service, name="Lies", department="Thuiszorg", email="lies@ocmw.example")
    Attribute.objects.create(service=meals_service, taxonomy_term=meals, value="warm",
                             extra={"link_entity": "service"})  # fmt: skip

    line = Service.objects.create(organisation=welfare, name="Zorglijn", status="temporarily closed")
    ServiceAtLocation.objects.create(service=line, location=phone_line)
    Attribute.objects.create(service=line, taxonomy_term=care)
    neighbours = Service.objects.create(organisation=volunteers, name="Boodschappen met buren", status="active")
    ServiceAtLocation.objects.create(service=neighbours, location=home)
    for service in (meals_service, line, neighbours):
        hsds.refresh_search_text(service)
    return {"meals": meals_service, "line": line, "neighbours": neighbours, "home": home, "care": care,
            "welfare": welfare, "volunteers": volunteers, "record": record, "taxonomy": taxonomy}  # fmt: skip


def empty_directory(*, keep_organisations: bool = False) -> None:
    """Remove every directory row and the organisations they belong to (an empty database for a round trip);
    ``keep_organisations`` for organisations other rows still need (the demo's, with staff)."""
    from apps.directory.models import Referral, Revision

    organisations = set(Service.objects.values_list("organisation_id", flat=True))
    organisations |= set(OrganisationRecord.objects.values_list("organisation_id", flat=True))
    Referral.objects.all().delete()
    Revision.objects.all().delete()
    Attribute.objects.all().delete()
    Service.objects.all().delete()
    Location.objects.all().delete()
    OrganisationRecord.objects.all().delete()
    TaxonomyTerm.objects.filter(parent__isnull=False).delete()
    TaxonomyTerm.objects.all().delete()
    Taxonomy.objects.all().delete()
    if not keep_organisations:
        Organisation.objects.filter(pk__in=organisations).delete()
