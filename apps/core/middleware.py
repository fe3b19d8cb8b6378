"""allauth raises RateLimited inside some login stages; answer it as the 429 page it is, not a 500."""

from __future__ import annotations

from collections.abc import Callable

from allauth.core.exceptions import RateLimited
from allauth.core.ratelimit import respond_429
from django.http import HttpRequest, HttpResponse


class RateLimitedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return respond_429(request) if isinstance(exception, RateLimited) else None
