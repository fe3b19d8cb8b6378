"""Events (issue 18, item 3): "What's on" per district, an event's page, publishing and changing the events of
one's initiative, cancelling a date or the whole event, and the iCalendar feeds (per district, place and
initiative) that calendar programs subscribe to.  Who may do what is in ``rules.py``; the writes and the feeds
are in ``events.py``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.access.actors import actor_for
from apps.access.decorators import requires
from apps.access.rules import can
from apps.places.models import District, Place

from . import events as service
from . import registrations, selectors
from .forms import CancelDateForm, EventForm, WhatsOnForm
from .models import Event, Initiative

FEED_TYPE = "text/calendar; charset=utf-8"


PER_PAGE = 20
MOST_COUNTED = 1000
"""What's on counts the dates up to this many: beyond it, "more than 1,000" (counting a city's year of dates costs
more than the page; a district or a first day narrows it down)."""


class CappedPaginator(Paginator):
    """A paginator that counts at most ``MOST_COUNTED`` + 1 rows (``capped`` says there are more)."""

    @cached_property
    def count(self) -> int:
        counted = self.object_list[: MOST_COUNTED + 1].count()  # type: ignore[union-attr]
        self.capped = counted > MOST_COUNTED
        return min(counted, MOST_COUNTED)
FEED_CACHE_SECONDS = 24 * 3600


def _feed_urls(request: HttpRequest, **kwargs: Any) -> dict[str, str]:
    """The feed's address to paste into a calendar program (https and webcal), absolute."""
    name, args = next(iter(kwargs.items()))
    url = request.build_absolute_uri(reverse(f"community:feed_{name}", args=[args]))
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}


@require_GET
@requires("public")
def whats_on(request: HttpRequest) -> HttpResponse:
    """What is still to come, 20 dates a page, filtered by district, for whom, from a day, wheelchair access."""
    form = WhatsOnForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "community/whats_on.html", {"form": form, "rows": []}, status=400)
    chosen = form.cleaned_data if form.is_bound else {}
    district = chosen.get("district")
    found = service.public_occurrences(service.WhatsOn(
        district_id=district.pk if district else None, audience=chosen.get("audience") or "",
        wheelchair=bool(chosen.get("wheelchair")), first_day=chosen.get("first_day"),
    ))  # fmt: skip
    paginator = CappedPaginator(found, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    rows = registrations.with_places(service.as_rows(page.object_list))
    for row in rows:
        row.update(registrations.describe(row["event"]))
    kept = urlencode([(key, value) for key, values in request.GET.lists() if key != "page" for value in values])
    context = {
        "form": form, "district": district, "rows": rows, "page": page, "query": kept,
        "capped": getattr(paginator, "capped", False), "most": MOST_COUNTED,
        "feed": _feed_urls(request, district=district.number) if district else None,
        "may_add": can(actor_for(request), "community.add_city_event"),
        "has_registrations": can(actor_for(request), "community.my_registrations"),
    }  # fmt: skip
    return render(request, "community/whats_on.html", context)


@never_cache
@require_GET
@requires("public")
def event(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    found = service.event_for(actor, pk)
    may_manage = can(actor, "community.manage_event", found)
    may_change = can(actor, "community.change_event", found)
    names = can(actor, "community.view_registrations", found)
    feed = (_feed_urls(request, initiative=found.initiative_id) if found.initiative_id
            else _feed_urls(request, district=found.district.number))  # fmt: skip
    context = {
        "event": found, "next": service.next_of(found), "may_manage": may_manage, "may_change": may_change,
        "skipped": sorted(found.cancelled_dates), "cancel_form": CancelDateForm(), "feed": feed,
        "edit_url": reverse("community:event_edit", args=[found.pk]), **registrations.describe(found),
        "dates": registrations.occurrences_for(actor, found, names=names), "names": names,
        "may_register": can(actor, "community.register"), "signed_in": actor.person_id is not None,
    }  # fmt: skip
    return render(request, "community/event.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@requires("community.start_initiative")
def event_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    initiative = selectors.initiative_for(actor, pk, rule="community.add_event")
    initial = {"place": initiative.place_id, "title": initiative.title, "duration_minutes": 120}
    form = EventForm(request.POST if request.method == "POST" else None, district=initiative.district,
                     initial=initial)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            created = service.event_create(actor=actor, initiative=initiative, fields=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event is published. Calendars that follow the feed show it."))
            return redirect("community:event", pk=created.pk)
    context = {"form": form, "initiative": initiative, "event": None}
    return render(request, "community/event_form.html", context, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@requires("authenticated")  # the object rule decides
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    found = service.event_for(actor, pk)
    if not can(actor, "community.change_event", found) or found.status == Event.Status.CANCELLED:
        raise Http404
    form = EventForm(request.POST if request.method == "POST" else None, instance=found, district=found.district)
    if request.method == "POST" and form.is_valid():
        try:
            service.event_update(actor=actor, event=found, fields=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved. Calendars that follow the feed take the change."))
            return redirect("community:event", pk=found.pk)
    context = {"form": form, "initiative": found.initiative, "event": found}
    return render(request, "community/event_form.html", context, status=400 if form.errors else 200)


@require_POST
@requires("authenticated")  # the object rule decides
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel one date (``day`` given) or the whole event."""
    actor = actor_for(request)
    found = service.event_for(actor, pk)
    day = None
    if "day" in request.POST:
        form = CancelDateForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect("community:event", pk=found.pk)
        day = form.cleaned_data["day"]
    try:
        service.event_cancel(actor=actor, event=found, day=day)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Cancelled. Calendars that follow the feed are told."))
    return redirect("community:event", pk=found.pk)


# --- feeds ----------------------------------------------------------------------------------------------------


def _feed(request: HttpRequest, rows: Any, name: str, scope: str) -> HttpResponse:
    """A feed, written once and kept until one of its events changes (``feed_version``): calendar programs ask every
    few minutes, and a district's feed with a thousand weekly series takes long to write.  ``If-None-Match`` with
    the same version answers 304 without a body."""
    version = service.feed_version(rows)
    etag = f'"{version}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        key = f"community-feed:{scope}:{get_language()}:{request.get_host()}:{request.is_secure()}:{version}"
        body = cache.get(key)
        if body is None:

            def url_of(found: Event) -> str:
                return request.build_absolute_uri(reverse("community:event", args=[found.pk]))

            body = service.calendar_of(rows, name=name, url_of=url_of)
            cache.set(key, body, timeout=FEED_CACHE_SECONDS)
        response = HttpResponse(body, content_type=FEED_TYPE)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=900"
    return response


@require_GET
@requires("public")
def feed_district(request: HttpRequest, number: int) -> HttpResponse:
    district = get_object_or_404(District.objects.defer("geometry"), number=number)
    name = _("Neighbourhood life in %(district)s") % {"district": district.name}
    return _feed(request, service.feed_rows(district_id=district.pk), name, f"district-{district.pk}")


@require_GET
@requires("public")
def feed_place(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Place, slug=slug)
    return _feed(request, service.feed_rows(place_id=place.pk), place.name, f"place-{place.pk}")


@require_GET
@requires("public")
def feed_initiative(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_object_or_404(Initiative, pk=pk, status__in=[Initiative.Status.PUBLISHED, Initiative.Status.ENDED])
    return _feed(request, service.feed_rows(initiative_id=initiative.pk), initiative.title,
                 f"initiative-{initiative.pk}")
