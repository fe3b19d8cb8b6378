"""The one JSON API object.  Each capability adds its own router here.

Errors are always JSON ``{"detail": "..."}`` with the right status code, so a
client never has to parse an HTML error page.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from apps.access.api import router as access_router
from apps.care.api import router as care_router
from apps.organisations.api import router as organisations_router
from apps.people.api import router as people_router
from apps.places.api import router as places_router

api = NinjaAPI(
    title="City of People API",
    version="1",
    description=(
        "Open JSON API of City of People: districts, places and addresses, persons, organisations, care matching, "
        "and later wellbeing and community life. Errors are JSON objects with a `detail` message."
    ),
    urls_namespace="api",
)
api.add_router("/", places_router)
api.add_router("/", people_router)
api.add_router("/", organisations_router)
api.add_router("/", access_router)
api.add_router("/", care_router)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": _("You may not do this.")}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part not in {"query", "body", "path"})
    message = first.get("msg", _("Invalid input."))
    detail = f"{where}: {message}" if where else str(message)
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("Log in first.")}, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def api_not_found(request: HttpRequest) -> JsonResponse:
    """Any other path under /api/ answers in JSON too, never with an HTML page."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
