"""Middleware of the frame.

``RateLimitedMiddleware``: allauth raises RateLimited inside some login stages; answer it as the 429 page it
is, not a 500.  ``InputGuardMiddleware``: input no database can store, and JSON errors on the API.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.core.exceptions import RateLimited
from allauth.core.ratelimit import respond_429
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import error_message
from .inputs import unstorable_text


class RateLimitedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return respond_429(request) if isinstance(exception, RateLimited) else None


class InputGuardMiddleware:
    """The first middleware: what no later step should ever see, and JSON for every error of the API.

    * A header (cookies and the User-Agent included: both end up in database queries) with a NUL character
      is refused with 400 before the session is read; a path with a character no database can store names
      nothing (404); a page's query string with one is refused with 400 and a clear message (the API checks
      its query parameters itself, with the field's name, after signing in: ``cityofpeople/api.py``).
    * On ``/api/`` a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is refused (413) before anything reads
      it, a smaller one is read at once (so that the CSRF check, which parses a form body, leaves it readable
      for the API's own answer: 415), and every error answer that is not JSON yet (a method not allowed,
      Django's own 400 or 500 pages) becomes ``{"detail": "..."}`` with the same status.
    """

    KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path_info.startswith("/api/")
        response = self._refusal(request, api) or self.get_response(request)
        if api and response.status_code >= 400 and not _is_json(response):
            answer = JsonResponse({"detail": error_message(response.status_code)}, status=response.status_code)
            for header in self.KEPT_HEADERS:
                if header in response:
                    answer[header] = response[header]
            response = answer
        return response

    def _refusal(self, request: HttpRequest, api: bool) -> HttpResponse | None:
        with translation.override(translation.get_language_from_request(request, check_path=True)):
            if any("\x00" in value for key, value in request.META.items() if _is_header(key, value)):
                return _refuse(request, api, 400, _("The request contains a character that cannot be used (NUL)."))
            if unstorable_text(request.path_info) is not None:
                return _refuse(request, api, 404, error_message(404))
            if api:
                if _content_length(request) > (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or float("inf")):
                    return _refuse(request, api, 413, error_message(413))
                try:  # read once, here: a form or multipart body read by the CSRF check stays readable as JSON
                    request.body  # noqa: B018
                except (RequestDataTooBig, UnreadablePostError):
                    return _refuse(request, api, 400, error_message(400))
                return None
            try:
                texts = [text for key, values in request.GET.lists() for text in (key, *values)]
            except SuspiciousOperation:  # more parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS
                return _refuse(request, api, 400, error_message(400))
            if any(unstorable_text(text) is not None for text in texts):
                return _refuse(
                    request,
                    api,
                    400,
                    _(
                        "The address of this page contains a character that cannot be used (NUL, 0x00). "
                        "Check the link, or go back and search again."
                    ),
                )
        return None


def _is_header(key: str, value: object) -> bool:
    return isinstance(value, str) and (key.startswith("HTTP_") or key in {"CONTENT_TYPE", "CONTENT_LENGTH"})


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == "application/json"


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _refuse(request: HttpRequest, api: bool, status: int, message: str) -> HttpResponse:
    if api:
        return JsonResponse({"detail": message}, status=status)
    html = render_to_string("core/refused.html", {"message": message, "status": status})
    return HttpResponse(html, status=status)
