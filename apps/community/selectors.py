"""Community life: the reads of initiatives.  Views and the API call these, never the ORM directly; "missing" and
"forbidden" both raise ``Http404``.  Initiatives hold no special-category data: their reads are not logged (the
contact of an initiative is a group's work contact, shown only to its starter and the reviewers)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from apps.access.actors import Actor
from apps.access.rules import can
from apps.people.models import Person

from .models import Initiative, Need, Theme
from .rules import review_districts, reviews_everywhere


def _initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.select_related("district", "place").defer("district__geometry", "place__description")


def initiative_for(actor: Actor, pk: int, *, rule: str = "community.view_initiative") -> Initiative:
    found = _initiatives().filter(pk=pk).first()
    if found is None or not can(actor, rule, found):
        raise Http404
    return found


@dataclass(frozen=True)
class PublicFilter:
    """The public list's filters; each empty means "any"."""

    district: int | None = None
    theme: str = ""
    audience: str = ""
    tags: frozenset[str] = field(default_factory=frozenset)  # "intergenerational", "intercultural"
    words: str = ""


def published(chosen: PublicFilter) -> QuerySet[Initiative]:
    """Published initiatives (not drafts, not ended), filtered, by name."""
    rows = _initiatives().filter(status=Initiative.Status.PUBLISHED).prefetch_related("themes")
    if chosen.district is not None:
        rows = rows.filter(district_id=chosen.district)
    if chosen.theme:
        rows = rows.filter(themes__slug=chosen.theme)
    if chosen.audience:
        # the codes as JSON text (both databases; SQLite has no JSON containment): '"children"' in '["children"]'
        rows = rows.filter(Q(audience__icontains=f'"{chosen.audience}"') | Q(audience__icontains='"everyone"'))
    if "intergenerational" in chosen.tags:
        rows = rows.filter(intergenerational=True)
    if "intercultural" in chosen.tags:
        rows = rows.filter(intercultural=True)
    if chosen.words:
        for word in chosen.words.split()[:8]:
            in_text = Q(title__icontains=word) | Q(summary__icontains=word) | Q(organiser_name__icontains=word)
            rows = rows.filter(in_text)
    return rows.distinct().order_by("title", "pk")


def mine(actor: Actor) -> QuerySet[Initiative]:
    return _initiatives().filter(starter_id=actor.person_id).order_by("-updated_at", "-pk")


def to_review(actor: Actor) -> QuerySet[Initiative]:
    """What waits for the actor as reviewer: sent in, or changed after publication; the longest waiting first."""
    rows = _initiatives().filter(
        Q(status=Initiative.Status.SUBMITTED)
        | Q(status=Initiative.Status.PUBLISHED, changed_after_publication=True)
    )
    if not reviews_everywhere(actor):
        rows = rows.filter(district_id__in=review_districts(actor))
    return rows.exclude(starter_id=actor.person_id).order_by("submitted_at", "updated_at", "pk")


def themes_offered() -> QuerySet[Theme]:
    return Theme.objects.filter(active=True)


def needs_of(initiative: Initiative) -> list[Need]:
    return list(initiative.needs.annotate(taken=Count("pledges")).order_by("created_at", "pk"))


def helpers_of(initiative: Initiative) -> dict[int, list[str]]:
    """For the starter: per need, the helpers as first name and initial (no contact details, no full name)."""
    names: dict[int, list[str]] = {}
    needs = initiative.needs.prefetch_related(
        Prefetch("pledges__person", queryset=Person.objects.only("first_name", "last_name"))
    )
    for need in needs:
        names[need.pk] = [
            f"{p.person.first_name} {p.person.last_name[:1]}.".strip() for p in need.pledges.order_by("created_at")
        ]
    return names


def pledged_by(actor: Actor, initiative: Initiative) -> set[int]:
    if actor.person_id is None:
        return set()
    return set(initiative.needs.filter(pledges__person_id=actor.person_id).values_list("pk", flat=True))


def follows(actor: Actor, initiative: Initiative) -> bool:
    return actor.person_id is not None and initiative.follows.filter(person_id=actor.person_id).exists()
