"""The district's coordination view (issue 18, item 4): reads, the findings, the map, and follow-ups.

For the district's reviewers (its coordinators and city staff, ``rules_coordination.py``): on one page the
published initiatives, the events of the next four weeks, the support requests that wait, what other capabilities
tell about the district (``DistrictFact`` in their ``capability.py``: the only link, no capability is imported),
and the overlaps and gaps computed by ``domain.neighbourhood``, listed worst first and drawn on the district's map.
A reviewer notes a follow-up on a finding (``FollowUp``, by the finding's stable key); it stays, marked "no longer
found", when the finding goes away, until someone marks it done.

A fixed number of queries whatever the district holds: the district, the initiatives with their themes, the
events of the period, the themes, the support requests waiting, the follow-ups, and each fact's own.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from apps.access.actors import Actor
from apps.access.rules import can
from apps.core.capabilities import district_facts
from apps.places.models import District
from domain import neighbourhood as hood
from domain.neighbourhood import drawing

from .events import WhatsOn, as_rows, public_occurrences
from .models import Event, FollowUp, Initiative
from .rules import review_districts, reviews_everywhere
from .selectors import PublicFilter, published, themes_offered

WEEKS = 4
"""The period of the view: the events of the next four weeks."""
WALKING_METRES = 800
"""Within walking distance, unless the setting ``COMMUNITY_WALKING_METRES`` says otherwise."""
MAX_FOLLOW_UPS = 200
FINDINGS_PER_PAGE = 20
"""Findings a page lists (and the map draws): the worst first; a crowded district pages through the rest."""
EVENTS_SHOWN = 30
INITIATIVES_SHOWN = 30
"""The initiatives the page lists; the public list of the district has them all."""
"""The first dates of the period listed on the page; What's on of the district has them all."""


def walking_metres() -> float:
    return float(getattr(settings, "COMMUNITY_WALKING_METRES", WALKING_METRES))


def _districts() -> Any:
    return District.objects.defer("geometry")


def districts_for(actor: Actor) -> list[District]:
    """The districts whose coordination view the actor may open, by number."""
    rows = _districts().order_by("number")
    if not reviews_everywhere(actor):
        rows = rows.filter(pk__in=review_districts(actor))
    return list(rows) if actor.person_id is not None else []


def district_for(actor: Actor, number: int) -> District:
    """One district, with its shape; missing and not reviewed by the actor are the same 404."""
    found = District.objects.filter(number=number).first()
    if found is None or not can(actor, "community.coordinate", found):
        raise Http404
    return found


# --- the findings, in words ----------------------------------------------------------------------------------


def finding_text(finding: hood.Finding) -> str:
    """A finding in the reader's language (``domain.neighbourhood`` says it in English for its command line)."""
    n = finding.names
    if finding.kind == hood.KIND_OVERLAP_EVENTS:
        return ngettext(
            "“%(first)s” and “%(second)s” are for the same people, at the same time, within walking distance "
            "(%(count)s time in the next 4 weeks).",
            "“%(first)s” and “%(second)s” are for the same people, at the same time, within walking distance "
            "(%(count)s times in the next 4 weeks).",
            finding.count,
        ) % {"first": n[0], "second": n[1], "count": finding.count}
    if finding.kind == hood.KIND_OVERLAP_INITIATIVES:
        return _("“%(first)s” and “%(second)s” have the same theme (%(themes)s) in the same street or place.") % {
            "first": n[0], "second": n[1], "themes": n[2],
        }  # fmt: skip
    if finding.kind == hood.KIND_GAP_AUDIENCE:
        return _("Nothing for this group: %(group)s. No initiative, and no event in the next 4 weeks.") % {
            "group": n[0]
        }
    if finding.kind == hood.KIND_GAP_THEME:
        return _("No initiative with the theme “%(theme)s”.") % {"theme": n[0]}
    if finding.kind == hood.KIND_GAP_EVENING:
        return _("Nothing for older residents in the evening: no event from 17:00 in the next 4 weeks.")
    if finding.kind == hood.KIND_GAP_INTERGENERATIONAL:
        return _("No initiative where young and old meet.")
    return _("No initiative where people of different backgrounds meet.")


# --- the view ------------------------------------------------------------------------------------------------


@dataclass
class Fact:
    label: str
    shown: str
    url: str = ""


@dataclass
class FindingRow:
    number: int
    finding: hood.Finding
    text: str
    anchor: str
    follow_ups: list[FollowUp] = field(default_factory=list)


@dataclass
class CoordinationView:
    district: District
    initiatives: list[Initiative]
    occurrences: list[dict[str, Any]]
    findings: int
    rows: list[FindingRow]
    facts: list[Fact]
    follow_ups: list[FollowUp]
    svg: str
    without_location: int
    initiatives_without_location: int
    by_theme: list[tuple[str, int]]
    by_audience: list[tuple[str, int]]
    tags: list[tuple[str, int]]
    page: int = 1
    pages: int = 1
    dates: int = 0
    initiatives_count: int = 0


def anchor_of(key: str) -> str:
    return "finding-" + key.replace(":", "-")


def _audience(codes: list[str] | None, fallback: list[str] | None = None) -> frozenset[str]:
    return frozenset(codes or fallback or [hood.EVERYONE])


def _point(place: Any) -> hood.Point | None:
    return hood.Point(place.lat, place.lon) if place is not None else None


def initiative_in(initiative: Initiative) -> hood.InitiativeIn:
    return hood.InitiativeIn(
        id=initiative.pk, title=initiative.title, audience=_audience(initiative.audience),
        themes=frozenset(theme.slug for theme in initiative.themes.all()), street=initiative.street,
        place=initiative.place_id, point=_point(initiative.place), intergenerational=initiative.intergenerational,
        intercultural=initiative.intercultural,
    )  # fmt: skip


def events_of_period(district: District, now: datetime) -> list[hood.EventIn]:
    """The district's public events of the next four weeks with their dates, read as plain values (no model rows):
    a district with thousands of dates reads them in one query, fast."""
    rows = public_occurrences(WhatsOn(district_id=district.pk), now=now, until=now + timedelta(weeks=WEEKS))
    values = rows.values_list(
        "event_id", "starts_at", "ends_at", "event__title", "event__audience", "event__initiative__audience",
        "event__place__lat", "event__place__lon",
    )  # fmt: skip
    times: dict[int, list[tuple[datetime, datetime]]] = {}
    about: dict[int, tuple[str, frozenset[str], hood.Point | None]] = {}
    for event_id, start, end, title, audience, initiative_audience, lat, lon in values:
        times.setdefault(event_id, []).append((timezone.localtime(start), timezone.localtime(end)))
        if event_id not in about:
            point = hood.Point(lat, lon) if lat is not None and lon is not None else None
            about[event_id] = (title, _audience(audience, initiative_audience), point)
    return [hood.EventIn(pk, about[pk][0], about[pk][1], tuple(times[pk]), about[pk][2]) for pk in about]


def _facts(actor: Actor, district: District, initiatives: int, occurrences: int) -> list[Fact]:
    from .support import worklist

    waiting = worklist(actor).filter(initiative__district_id=district.pk).count()
    query = f"?district={district.pk}"
    facts = [
        Fact(_("Published initiatives"), str(initiatives), reverse("community:initiatives") + query),
        Fact(_("Events in the next 4 weeks"), str(occurrences), reverse("community:whats_on") + query),
        Fact(_("Support requests waiting"), str(waiting), reverse("community:support_worklist")),
    ]
    for declared in district_facts():
        if not can(actor, declared.rule, district):
            continue
        value = declared.count(actor, district)
        if value is None:
            continue
        if 0 < value < declared.suppress_below:
            shown = _("fewer than %(threshold)s") % {"threshold": declared.suppress_below}
        else:
            shown = str(value)
        url = ""
        if declared.url_name:
            try:
                url = reverse(declared.url_name)
            except NoReverseMatch:
                url = ""
            if url and declared.district_query:
                url = f"{url}?{declared.district_query}={district.pk}"
        facts.append(Fact(str(declared.label), shown, url))
    return facts


def findings_version(district: District, now: datetime) -> str:
    """A word that changes whenever the findings could: the district's events and initiatives (how many, the last
    change of any), the themes offered, the language (the findings carry labels), and the hour (the period moves on).
    Two queries."""
    events = Event.objects.filter(district=district).aggregate(n=Count("pk"), last=Max("updated_at"))
    initiatives = Initiative.objects.filter(district=district).aggregate(n=Count("pk"), last=Max("updated_at"))
    hour = timezone.localtime(now).strftime("%Y-%m-%dT%H")
    parts = [str(district.pk), hour, get_language() or "", str(events), str(initiatives),
             ",".join(slug for slug, _name in _themes()), str(walking_metres())]  # fmt: skip
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _themes() -> list[tuple[str, str]]:
    return [(theme.slug, theme.name) for theme in themes_offered()]


@dataclass(frozen=True)
class Period:
    """What the page needs of the district's events of the period: the findings (compact, as kept in the cache:
    a crowded district has thousands, and only a page of them becomes ``Finding`` objects), the events left out for
    want of a place, the titles per place of the events (the map), and how many dates there are."""

    findings: tuple[tuple[Any, ...], ...]
    without_location: int
    event_places: dict[tuple[float, float], tuple[str, ...]]
    placed_events: int
    dates: int
    initiative_places: dict[tuple[float, float], tuple[str, ...]] = field(default_factory=dict)
    initiatives: int = 0
    placed_initiatives: int = 0
    by_theme: list[tuple[str, int]] = field(default_factory=list)
    by_audience: list[tuple[str, int]] = field(default_factory=list)
    tags: list[tuple[str, int]] = field(default_factory=list)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(row[0] for row in self.findings)


def _compact(finding: hood.Finding) -> tuple[Any, ...]:
    points = tuple((p.lat, p.lon) for p in finding.points)
    return (finding.key, finding.kind, finding.weight, finding.about, finding.names, points, finding.count)


def finding_of(row: tuple[Any, ...]) -> hood.Finding:
    key, kind, weight, about, names, points, count = row
    return hood.Finding(key=key, kind=kind, weight=weight, about=about, names=names,
                        points=tuple(hood.Point(lat, lon) for lat, lon in points), count=count)  # fmt: skip


def findings_of(district: District, now: datetime | None = None) -> Period:
    """The district's findings, what the map needs of its initiatives and events, and the counts of its initiatives.
    Kept in the cache under ``findings_version``: a crowded district's hundreds of initiatives and thousands of dates
    are read and compared once, not on every visit; any change to them computes it anew."""
    now = now or timezone.now()
    key = f"community-findings:{findings_version(district, now)}"
    kept = cache.get(key)
    if kept is not None:
        return cast(Period, kept)
    initiatives = list(published(PublicFilter(district=district.pk)))
    events = events_of_period(district, now)
    audiences = [(str(code), str(label)) for code, label in Initiative.Audience.choices]
    found = hood.find(
        [initiative_in(i) for i in initiatives], events, audiences=audiences, themes=_themes(),
        walking_metres=walking_metres(),
    )  # fmt: skip
    by_theme, by_audience, tags = _counts(initiatives)
    period = Period(
        findings=tuple(_compact(f) for f in found.findings), without_location=len(found.without_location),
        event_places=_places((e.point.lat, e.point.lon, e.title) for e in events if e.point is not None),
        placed_events=sum(1 for e in events if e.point is not None), dates=sum(len(e.occurrences) for e in events),
        initiative_places=_places((i.place.lat, i.place.lon, i.title) for i in initiatives if i.place is not None),
        initiatives=len(initiatives), placed_initiatives=sum(1 for i in initiatives if i.place is not None),
        by_theme=by_theme, by_audience=by_audience, tags=tags,
    )  # fmt: skip
    cache.set(key, period, timeout=3600)
    return period


def _places(rows: Any) -> dict[tuple[float, float], tuple[str, ...]]:
    """Titles per location (at most six each, for a marker's words)."""
    places: dict[tuple[float, float], list[str]] = {}
    for lat, lon, title in rows:
        titles = places.setdefault((lat, lon), [])
        if len(titles) < 6:
            titles.append(title)
    return {where: tuple(titles) for where, titles in places.items()}


def _label(titles: list[str]) -> str:
    """A marker's words: the one title, or how many and the first few."""
    if len(titles) == 1:
        return titles[0]
    return ngettext("%(count)s activity here: %(titles)s", "%(count)s activities here: %(titles)s", len(titles)) % {
        "count": len(titles), "titles": ", ".join(titles[:5]) + (", …" if len(titles) > 5 else "")}  # fmt: skip


def _counts(initiatives: list[Initiative]) -> tuple[list[tuple[str, int]], list[tuple[str, int]],
                                                    list[tuple[str, int]]]:  # fmt: skip
    themes: Counter[str] = Counter()
    audiences: Counter[str] = Counter()
    for initiative in initiatives:
        themes.update(theme.name for theme in initiative.themes.all())
        audiences.update(initiative.audience)
    labels = dict(Initiative.Audience.choices)
    by_audience = [(str(labels[code]), audiences[code]) for code in labels if audiences[code]]
    tags = [
        (_("Young and old meet"), sum(1 for i in initiatives if i.intergenerational)),
        (_("People of different backgrounds meet"), sum(1 for i in initiatives if i.intercultural)),
    ]
    return sorted(themes.items()), by_audience, tags


def view(actor: Actor, district: District, now: datetime | None = None, page: int = 1) -> CoordinationView:
    """Everything the page shows, in a fixed number of queries.  The findings come ``FINDINGS_PER_PAGE`` at a time
    (a crowded district can have thousands of overlapping pairs); the map draws the overlaps of that page."""
    now = now or timezone.now()
    period = findings_of(district, now)
    initiatives = list(published(PublicFilter(district=district.pk))[:INITIATIVES_SHOWN])
    keys = period.keys
    follow_ups = list(
        FollowUp.objects.filter(district=district, done_at__isnull=True).select_related("by")
        .order_by("created_at", "pk")[:MAX_FOLLOW_UPS]
    )  # fmt: skip
    per_finding: dict[str, list[FollowUp]] = {}
    for note in follow_ups:
        per_finding.setdefault(note.finding, []).append(note)
        note.still_found = note.finding in keys  # type: ignore[attr-defined]
    pages = max(1, -(-len(period.findings) // FINDINGS_PER_PAGE))
    page = min(max(page, 1), pages)
    first = (page - 1) * FINDINGS_PER_PAGE
    rows = []
    for number, compact in enumerate(period.findings[first : first + FINDINGS_PER_PAGE], start=first + 1):
        finding = finding_of(compact)
        rows.append(FindingRow(number, finding, finding_text(finding), anchor_of(finding.key),
                               per_finding.get(finding.key, [])))  # fmt: skip
    soon = as_rows(public_occurrences(WhatsOn(district_id=district.pk), now=now,
                                      until=now + timedelta(weeks=WEEKS))[:EVENTS_SHOWN])  # fmt: skip
    return CoordinationView(
        district=district, initiatives=initiatives, occurrences=soon, findings=len(period.findings), rows=rows,
        facts=_facts(actor, district, period.initiatives, period.dates), follow_ups=follow_ups,
        svg=district_svg(district, period, rows), without_location=period.without_location,
        initiatives_without_location=period.initiatives - period.placed_initiatives,
        by_theme=period.by_theme, by_audience=period.by_audience, tags=period.tags, page=page, pages=pages,
        dates=period.dates, initiatives_count=period.initiatives,
    )  # fmt: skip


def district_svg(district: District, period: Period, rows: list[FindingRow]) -> str:
    """The district's map: its outline, a square where initiatives meet and a circle where events happen (one per
    place, however many share it), and each overlap of the list shown as a numbered pair (the numbers of the list
    of findings, which is the map's text alternative)."""
    markers = [drawing.Marker("initiative", hood.Point(*where), _label(list(titles)))
               for where, titles in period.initiative_places.items()]  # fmt: skip
    markers += [drawing.Marker("event", hood.Point(*where), _label(list(titles)))
                for where, titles in period.event_places.items()]  # fmt: skip
    pairs = [
        drawing.Pair(row.number, row.finding.points[0], row.finding.points[-1], f"{row.number}. {row.text}")
        for row in rows
        if row.finding.is_overlap and row.finding.points
    ]
    overlaps = len(pairs)
    placed = period.placed_initiatives
    desc = " ".join([
        _("The outline of %(district)s.") % {"district": district.name},
        ngettext("%(count)s initiative with a known place, drawn as a square.",
                 "%(count)s initiatives with a known place, drawn as squares.",
                 placed) % {"count": placed},
        ngettext("%(count)s event of the next 4 weeks with a known place, drawn as a circle.",
                 "%(count)s events of the next 4 weeks with a known place, drawn as circles.",
                 period.placed_events) % {"count": period.placed_events},
        ngettext("%(count)s overlap, drawn as a dashed line between the two with a numbered diamond.",
                 "%(count)s overlaps, each drawn as a dashed line between the two with a numbered diamond.",
                 overlaps) % {"count": overlaps},
        _("Activities at the same place share one marker."),
        _("The numbers are those of the list of overlaps and gaps below the map."),
    ])  # fmt: skip
    try:
        return drawing.draw(
            district.geometry, markers, pairs, title=_("Map of %(district)s") % {"district": district.name},
            desc=desc,
        )  # fmt: skip
    except (KeyError, TypeError, ValueError):
        return ""  # a district without a usable outline: the list of findings says it all


# --- follow-ups ----------------------------------------------------------------------------------------------


@transaction.atomic
def note_follow_up(*, actor: Actor, district: District, finding: str, text: str,
                   now: datetime | None = None) -> FollowUp:  # fmt: skip
    """Note a follow-up on a finding the view shows now; a key it does not show is refused (nothing stored)."""
    if not can(actor, "community.note_follow_up", district):
        raise PermissionDenied
    period = findings_of(district, now)
    match = next((finding_of(row) for row in period.findings if row[0] == finding), None)
    if match is None:
        raise ValidationError(
            _("This overlap or gap is not on the page (any more). Nothing was noted; look at the list again."),
            code="finding",
        )
    text = text.strip()
    if not text:
        raise ValidationError(_("Say what is to be done."), code="text")
    return FollowUp.objects.create(
        district=district, finding=match.key, summary=finding_text(match)[:300], text=text[:1000],
        by_id=actor.person_id,
    )  # fmt: skip


def follow_up_for(actor: Actor, district: District, pk: int) -> FollowUp:
    found = FollowUp.objects.filter(pk=pk, district=district).first()
    if found is None or not can(actor, "community.finish_follow_up", found):
        raise Http404
    return found


@transaction.atomic
def finish_follow_up(*, actor: Actor, follow_up: FollowUp) -> FollowUp:
    """Mark it done (on the locked row, with the rule asked again, so two clicks mark it once)."""
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if not can(actor, "community.finish_follow_up", locked):
        raise PermissionDenied
    locked.done_at = timezone.now()
    locked.save(update_fields=["done_at"])
    return locked


def my_follow_ups(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    """The home panel "My follow-ups": the actor's open ones, the oldest first (two queries)."""
    mine = FollowUp.objects.filter(by_id=actor.person_id, done_at__isnull=True)
    rows = list(mine.select_related("district").defer("district__geometry").order_by("created_at", "pk")[:5])
    for row in rows:
        row.url = reverse("community:coordination", args=[row.district.number]) + "#" + anchor_of(row.finding)  # type: ignore[attr-defined]
    return {"follow_ups": rows, "count": len(rows) if len(rows) < 5 else mine.count(),
            "index_url": reverse("community:coordination_index")}  # fmt: skip
