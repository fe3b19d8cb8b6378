"""Pages of the frame: the front page, about (licences and data sources), open data, health."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from apps.access.actors import actor_for

from . import open_data
from .navigation import home_panels, landing_url


@never_cache  # signed in, it shows the person's own requests, visits or worklist: never kept by a browser or proxy
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The panels the installed apps add to the home page, those this person may see (``navigation.py``)."""
    return render(request, "core/home.html", {"panels": home_panels(request)})


@never_cache
@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    """Where signing in leads when no page was asked for (``LOGIN_REDIRECT_URL``): the person's own start page, the
    first landing the apps declare that their rules open (the worklist, requests near me, my requests...), else
    the home page.  A safe ``?next=`` on the login page never comes here: allauth follows it first."""
    return redirect(landing_url(actor_for(request)))


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


@require_GET
def open_data_page(request: HttpRequest) -> HttpResponse:
    """Every dataset the installed apps publish, with its licence and source, linked to its downloads."""
    return render(request, "core/open_data.html", {"datasets": open_data.listed()})


@require_safe  # HEAD too: data catalogues and link checkers ask before they download
def open_data_download(request: HttpRequest, app: str, slug: str, ext: str) -> HttpResponse:
    """One dataset in one format, as a file to save (``/open-data/<app>/<slug>.<ext>``, no language)."""
    text, content_type = open_data.dataset_file(app, slug, ext)
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{app}-{slug}.{ext}")
    return response


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: where to report a vulnerability, as the city running this copy configured it.

    Expires is always half a year ahead: the file is made from the settings, so it is as current
    as the deployment; a city that stops maintaining its copy takes the address out.
    """
    contact = settings.SECURITY_CONTACT
    if not contact:
        raise Http404("no security contact configured")
    if "@" in contact and not contact.startswith(("mailto:", "https://")):
        contact = f"mailto:{contact}"
    expires = (timezone.now() + timedelta(days=182)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: nl, en, fr",
        f"Canonical: {request.build_absolute_uri(request.path)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
