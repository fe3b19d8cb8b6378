"""Registrations for events (issue 18, item 3): registering for a date with one button, cancelling, "My
registrations" with the person's own calendar feed, the events of places and of the city (item 6 of the brief),
and the printable weekly programme per district and per place.  Who may do what is in
``rules_registrations.py``; the writes and reads are in ``registrations.py``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.access.actors import actor_for
from apps.access.decorators import requires
from apps.people.models import Person
from apps.places.models import District, Place

from . import events as event_service
from . import registrations as service
from .forms import CityEventForm, RegisterForm
from .models import Registration
from .rules import review_districts, reviews_everywhere

FEED_TYPE = "text/calendar; charset=utf-8"


def _event_url(pk: int) -> str:
    return reverse("community:event", args=[pk]) + "#registration"


@require_POST
@requires("community.register")
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """One button per date on the event page; the date is the button's value."""
    actor = actor_for(request)
    found = event_service.event_for(actor, pk)
    form = RegisterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the dates shown."))
        return redirect(_event_url(found.pk))
    try:
        registration, created = service.register(actor=actor, event=found, day=form.cleaned_data["day"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_event_url(found.pk))
    if not created:
        messages.info(request, _("You were already registered for this date."))
    elif registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("You are registered. We sent you an email with an invitation for your calendar."))
    else:
        messages.success(request, _("The event is full: you are number %(n)d on the waiting list. When a place "
                                    "comes free, you get it automatically and we send you an email.")
                         % {"n": service.position(registration) or 1})  # fmt: skip
    return redirect(_event_url(found.pk))


@require_POST
@requires("community.my_registrations")
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel one's own registration (someone else's answers 404, as one that does not exist)."""
    actor = actor_for(request)
    try:
        cancelled = service.cancel(actor=actor, pk=pk)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("community:my_registrations")
    messages.success(request, _("Your registration is cancelled. If someone was waiting, your place goes to them."))
    if request.POST.get("next") == "event":
        return redirect(_event_url(cancelled.event_id))
    return redirect("community:my_registrations")


def _feed_addresses(request: HttpRequest, token: str) -> dict[str, str]:
    """As the other feeds' addresses (https behind the city's proxy), and the same with webcal:// for a click."""
    url = request.build_absolute_uri(reverse("community:feed_personal", args=[token]))
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}


@never_cache
@require_GET
@requires("community.my_registrations")
def my_registrations(request: HttpRequest) -> HttpResponse:
    """The person's registrations (what is to come first) and their own calendar feed's secret address."""
    person = get_object_or_404(Person, pk=actor_for(request).person_id)
    feed = service.feed_of(person)
    context = {"rows": service.mine(person.pk), "feed": _feed_addresses(request, feed.token)}
    response = render(request, "community/registrations/mine.html", context)
    response["Referrer-Policy"] = "no-referrer"  # the page holds the feed's secret address
    return response


@require_POST
@requires("community.my_registrations")
def feed_renew(request: HttpRequest) -> HttpResponse:
    """Make a new secret address: the old one answers 404 from now on."""
    service.renew_feed(get_object_or_404(Person, pk=actor_for(request).person_id))
    messages.success(request, _("Your calendar has a new address. Put the new one in your calendar program: the "
                                "old address no longer works."))  # fmt: skip
    return redirect("community:my_registrations")


@require_GET
@requires("public")  # a calendar program cannot sign in: the secret address is the key
def feed_personal(request: HttpRequest, token: str) -> HttpResponse:
    feed = service.feed_by_token(token)
    if feed is None:
        raise Http404  # unknown and malformed alike

    def url_of(found: Any) -> str:
        return request.build_absolute_uri(reverse("community:event", args=[found.pk]))

    response = HttpResponse(service.personal_calendar(feed.person, url_of=url_of), content_type=FEED_TYPE)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- events of places and of the city -------------------------------------------------------------------------


def _districts_of(actor: Any) -> Any:
    rows = District.objects.defer("geometry").order_by("name")
    return rows if reviews_everywhere(actor) else rows.filter(pk__in=review_districts(actor))


@never_cache
@require_http_methods(["GET", "POST"])
@requires("community.add_city_event")
def event_new_city(request: HttpRequest) -> HttpResponse:
    """A coordinator or city staff publishes an event of a place or of the city in a district they review."""
    actor = actor_for(request)
    districts = _districts_of(actor)
    initial = {"duration_minutes": 120, "audience": ["everyone"]}
    if districts.count() == 1:
        initial["district"] = districts.first()
    form = CityEventForm(request.POST if request.method == "POST" else None, districts=districts, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        district = data.pop("district")
        try:
            created = event_service.city_event_create(actor=actor, district=district, fields=data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else _("Choose a district you review."))
        else:
            messages.success(request, _("The event is published. Calendars that follow the feed show it."))
            return redirect("community:event", pk=created.pk)
    context = {"form": form, "initiative": None, "event": None}
    return render(request, "community/event_form.html", context, status=400 if form.errors else 200)


# --- the printable weekly programme ----------------------------------------------------------------------------


def _programme(request: HttpRequest, *, title: str, here: str, **where: Any) -> HttpResponse:
    today = timezone.localdate()
    try:
        monday = service.week_of(request.GET.get("week"), today)
    except ValidationError as error:
        context = {"title": title, "problem": " ".join(error.messages), "days": [], "here": here}
        return render(request, "community/registrations/programme.html", context, status=400)
    iso = monday.isocalendar()
    previous, following = (monday - timedelta(days=7)).isocalendar(), (monday + timedelta(days=7)).isocalendar()
    context = {
        "title": title, "here": here, "monday": monday, "sunday": monday + timedelta(days=6),
        "week": f"{iso.year}-W{iso.week:02d}", "days": service.programme(monday, **where),
        "previous": f"{previous.year}-W{previous.week:02d}", "next": f"{following.year}-W{following.week:02d}",
    }  # fmt: skip
    return render(request, "community/registrations/programme.html", context)


@require_GET
@requires("public")
def programme_district(request: HttpRequest, number: int) -> HttpResponse:
    district = get_object_or_404(District.objects.defer("geometry"), number=number)
    return _programme(request, title=district.name, here=request.path, district_id=district.pk)


@require_GET
@requires("public")
def programme_place(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Place, slug=slug)
    return _programme(request, title=place.name, here=request.path, place_id=place.pk)
