"""What community life holds about a person, for export and erasure (issue 18).

No special-category data: initiatives are public by nature once published.  A person's own rows are the
initiatives they started (with the contact they gave the city), what they follow and bring, their registrations
for events and their personal calendar address, the support requests they sent, their seats on grant juries with
their scores, and their follow-up notes as a coordinator.

Erasure removes what is only theirs (follows, pledges, registrations — a place they held goes to the first one
waiting —, the calendar address, jury seats and scores, the follow-ups they noted) and takes their name off what
belongs to the neighbourhood: an initiative they started stays (others take part in it) without its starter and
contact; ended unless it is still a draft, which is deleted; their support requests stay for the city's record
without the sender.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.access.privacy import PersonalDataSource, Rows
from apps.access.special_category import Reader

from .models import (
    Follow,
    FollowUp,
    Initiative,
    JuryMember,
    JuryScore,
    Occurrence,
    PersonalFeed,
    Pledge,
    Registration,
    SupportRequest,
    SupportStep,
)
from .services import cancel_events_of  # fmt: skip


def _value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def export(person: Any, reader: Reader) -> dict[str, Rows]:
    initiatives = Initiative.objects.filter(starter=person).order_by("created_at", "pk")
    return {
        "initiatives": [
            {"id": i.pk, "title": i.title, "status": i.status, "district": i.district.name if i.district else None,
             "contact_name": i.contact_name, "contact_email": i.contact_email, "contact_phone": i.contact_phone,
             "created_at": _value(i.created_at)}
            for i in initiatives.select_related("district")
        ],
        "follows": [{"initiative": f.initiative.title, "since": _value(f.created_at)}
                    for f in Follow.objects.filter(person=person).select_related("initiative")],
        "brings": [{"initiative": p.need.initiative.title, "what": p.need.what, "since": _value(p.created_at)}
                   for p in Pledge.objects.filter(person=person).select_related("need__initiative")],
        "registrations": [
            {"event": r.event.title, "date": _value(r.occurs_on), "status": r.status,
             "registered_at": _value(r.created_at)}
            for r in Registration.objects.filter(person=person).select_related("event").order_by("occurs_on", "pk")
        ],
        "calendar_feed": [{"made_at": _value(f.created_at)} for f in PersonalFeed.objects.filter(person=person)],
        "support_requests": [
            {"id": s.pk, "initiative": s.initiative.title, "kind": s.kind, "status": s.status,
             "sent_at": _value(s.submitted_at), "message": s.message, "details": s.details,
             "amount_eur": s.amount_eur}
            for s in SupportRequest.objects.filter(submitted_by=person).select_related("initiative")
        ],
        "support_replies": [
            {"request": step.request_id, "kind": step.kind, "text": step.text, "at": _value(step.at)}
            for step in SupportStep.objects.filter(by=person, internal=False).order_by("at", "pk")
        ],
        "jury_seats": [
            {"call": m.call.title, "seat": m.seat,
             "scores": [{"application": s.application_id, "recused": s.recused, "total": s.total,
                         "comment": s.comment} for s in m.scores.all()]}
            for m in JuryMember.objects.filter(person=person).select_related("call").prefetch_related("scores")
        ],
        "follow_ups": [{"about": f.summary, "what_to_do": f.text, "noted_at": _value(f.created_at),
                        "done_at": _value(f.done_at) if f.done_at else None}
                       for f in FollowUp.objects.filter(by=person)],
    }  # fmt: skip


@transaction.atomic
def erase(person: Any) -> None:
    from .registrations import _locked, promote

    now = timezone.now()
    Follow.objects.filter(person=person).delete()
    Pledge.objects.filter(person=person).delete()
    held = list(Registration.objects.filter(person=person, status=Registration.Status.CONFIRMED)
                .values_list("event_id", "occurs_on").distinct())  # fmt: skip
    Registration.objects.filter(person=person).delete()
    for event_id, occurs_on in sorted(held):
        promote(_locked(event_id), occurs_on, now)  # the place they held goes to the first one waiting
    PersonalFeed.objects.filter(person=person).delete()
    JuryScore.objects.filter(member__person=person).delete()
    JuryMember.objects.filter(person=person).delete()
    FollowUp.objects.filter(by=person).delete()
    Initiative.objects.filter(starter=person, status=Initiative.Status.DRAFT).delete()
    started = Initiative.objects.filter(starter=person)
    for initiative in started.filter(status=Initiative.Status.PUBLISHED):
        cancel_events_of(initiative)  # its events to come are cancelled, and who registered is told
    started.exclude(status=Initiative.Status.ENDED).update(status=Initiative.Status.ENDED, updated_at=now)
    Occurrence.objects.filter(event__initiative__in=started).update(public=False)  # an update sends no signal
    started.update(starter=None, contact_name="", contact_email="", contact_phone="")
    SupportRequest.objects.filter(submitted_by=person).update(submitted_by=None, message="")
    SupportStep.objects.filter(by=person, kind=SupportStep.Kind.REPLY).update(by=None, text="")  # their replies


SOURCE = PersonalDataSource(name="community", export=export, erase=erase)
