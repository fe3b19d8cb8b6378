"""Wellbeing: the reads.  Views and the API call these, never the ORM directly.

"Missing" and "forbidden" both raise ``Http404``.  Every read of a neighbour's report (what they wrote about
someone, special-category data) writes one entry in the access log, allowed or refused; the worklist shows no
word of a report (when, district, status, whether the reporter left a contact), so it reads none.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404, HttpRequest

from apps.access.actors import Actor
from apps.access.rules import can
from apps.access.services import log_request_access
from apps.people.models import Role

from .models import WorryReport

REPORT = "wellbeing.WorryReport"


def reports_for(actor: Actor) -> QuerySet[WorryReport]:
    """The reports of the actor's districts as coordinator: new ones first, then picked up, oldest first within
    each (the one waiting longest on top)."""
    order = Case(When(status=WorryReport.Status.NEW, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        WorryReport.objects.filter(district_id__in=actor.district_scope(Role.COORDINATOR))
        .select_related("district")
        .defer("district__geometry")
        .annotate(waiting=order)
        .order_by("waiting", "created_at", "pk")
    )


def new_report_count(actor: Actor) -> int:
    return WorryReport.objects.filter(
        district_id__in=actor.district_scope(Role.COORDINATOR), status=WorryReport.Status.NEW
    ).count()


def report_for(
    actor: Actor, pk: int, http: HttpRequest | None, *, rule: str = "wellbeing.view_report", action: str = "read"
) -> WorryReport:
    """One report, if the rule allows; every attempt logged (the report is about someone, who may be unknown,
    so the entry names the record and, once a case knows them, the person).  An id that does not exist is
    logged as refused too: the same write either way, so the answer's timing does not tell them apart."""
    report = WorryReport.objects.select_related("district").defer("district__geometry").filter(pk=pk).first()
    allowed = report is not None and can(actor, rule, report)
    if http is not None:
        subject = report.cases.exclude(person=None).values_list("person_id", flat=True).first() if report else None
        log_request_access(
            http, subject_person_id=subject, record_type=REPORT, record_id=pk, action=action, purpose=rule,
            allowed=allowed,
        )  # fmt: skip
    if report is None or not allowed:
        raise Http404
    return report
