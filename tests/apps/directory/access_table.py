"""Services and referrals: its rows of the URL × role access table, and the demo objects its rows name.

Read by ``tests/apps/access/test_access_table.py``.  Each part of the app keeps its rows beside its tests:
``rows_search.py``, ``rows_records.py``, ``rows_referrals.py``, ``rows_api.py``.  ``samples`` gives their "@"
placeholders from the demo directory (``apps/directory/demo.py``).
"""

from __future__ import annotations

from typing import Any

from apps.directory.models import (
    Location,
    OrganisationRecord,
    Referral,
    Revision,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from apps.organisations.demo import DEMO_ORGANISATION
from apps.people.models import Person
from apps.places.models import District
from tests.apps.access.access_rows import Rows
from tests.apps.directory.rows_api import ROWS as API
from tests.apps.directory.rows_records import ROWS as RECORDS
from tests.apps.directory.rows_referrals import ROWS as REFERRALS
from tests.apps.directory.rows_search import ROWS as SEARCH

ROWS: Rows = {**SEARCH, **RECORDS, **REFERRALS, **API}


def samples(district: District, resident: Person) -> dict[str, Any]:
    """Demo objects for the directory's object pages.

    ``@service``/``@location``: published, of the demo organisation (the organisation-staff login's);
    ``@revision_own``: that organisation's change under review, ``@revision_other``: another organisation's
    returned change; ``@referral_own``: a referral to the demo organisation still waiting for an answer,
    ``@referral_other``: one to another organisation; both of residents the demo coordinator coordinates, as is
    ``@person`` (the person of ``@referral_own``).
    """
    own = Referral.objects.filter(organisation__slug=DEMO_ORGANISATION, status=Referral.Status.SENT).order_by("pk")
    referral_own = own.first()
    referral_other = Referral.objects.exclude(organisation__slug=DEMO_ORGANISATION).order_by("pk").first()
    service = Service.objects.filter(organisation__slug=DEMO_ORGANISATION, published_at__isnull=False)
    location = Location.objects.filter(organisation__slug=DEMO_ORGANISATION, published_at__isnull=False)
    revision_own = Revision.objects.filter(
        organisation__slug=DEMO_ORGANISATION, status=Revision.Status.UNDER_REVIEW
    ).first()
    revision_other = Revision.objects.exclude(organisation__slug=DEMO_ORGANISATION).order_by("pk").first()
    found = {
        "@service": service.order_by("name").first(),
        "@location": location.order_by("name").first(),
        "@revision_own": revision_own,
        "@revision_other": revision_other,
        "@referral_own": referral_own,
        "@referral_other": referral_other,
        "@organization": OrganisationRecord.objects.filter(organisation__slug=DEMO_ORGANISATION).first(),
        "@service_at_location": ServiceAtLocation.objects.filter(service__in=service).order_by("pk").first(),
        "@taxonomy": Taxonomy.objects.order_by("name").first(),
        "@taxonomy_term": TaxonomyTerm.objects.order_by("code").first(),
    }
    missing = sorted(name for name, value in found.items() if value is None)
    assert not missing, f"the demo directory has no {', '.join(missing)}"
    return {
        **{
            name: str(value.pk) if name.startswith("@") and not isinstance(value.pk, int) else value.pk
            for name, value in found.items()
        },
        "@person": referral_own.person_id,  # type: ignore[union-attr]
    }
