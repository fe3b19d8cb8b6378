"""Home panels of the directory's records: "Our services" for organisation staff, the review queue for the city.

Counts only (a few queries each); the pages they link to list the records.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from apps.access.actors import Actor


def records_to_check(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    """How many of the organisations' published records are to check, and how many changes came back."""
    from . import records
    from .models import Location, OrganisationRecord, Revision, Service

    organisations = list(records.organisations_of(actor).values_list("pk", flat=True))
    to_check = sum(
        records.unchecked(model.objects.filter(organisation_id__in=organisations)).count()
        for model in (Service, Location, OrganisationRecord)
    )
    changes = Revision.objects.filter(organisation_id__in=organisations)
    return {
        "to_check": to_check,
        "returned": changes.filter(status=Revision.Status.RETURNED).count(),
        "drafts": changes.filter(status=Revision.Status.DRAFT).count(),
        "single": organisations[0] if len(organisations) == 1 else None,
    }


def changes_to_review(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    """How many changes wait for a reviewer, and since when the oldest waits."""
    from . import records

    queue = records.review_queue()
    oldest = queue.values_list("submitted_at", flat=True).first()
    return {"waiting": queue.count(), "oldest": oldest}
