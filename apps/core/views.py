"""Pages of the frame: the front page, about (licences and data sources), health."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.places.selectors import district_list


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"districts": district_list()})


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
