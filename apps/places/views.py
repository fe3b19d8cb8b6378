"""Pages for districts, places and the address finder.  Thin: they call selectors and ``geo``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import geo, selectors, tables
from .forms import AddressSearchForm


@require_GET
def district_list(request: HttpRequest) -> HttpResponse:
    districts = list(selectors.district_list())
    return render(request, "places/district_list.html", {"districts": districts, "city_map": geo.city_map(districts)})


@require_GET
def district_detail(request: HttpRequest, slug: str) -> HttpResponse:
    district = selectors.district_by_slug(slug)
    places = list(selectors.places_in(district))
    context = {"district": district, "places": places, "district_map": geo.district_map(district, places)}
    return render(request, "places/district_detail.html", context)


@require_GET
def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = selectors.place_by_slug(slug)
    context = {"place": place, "hours_table": tables.opening_hours(place), "rooms_table": tables.rooms(place)}
    return render(request, "places/place_detail.html", context)


@require_GET
def address_search(request: HttpRequest) -> HttpResponse:
    """Find an address and its district; a GET form so it works without JavaScript and can be bookmarked."""
    form = AddressSearchForm(request.GET or None)
    result = None
    if form.is_valid():
        result = geo.find_address(form.cleaned_data["address"])
    template = "places/address_form.html" if request.htmx else "places/address_search.html"
    return render(request, template, {"form": form, "result": result})
