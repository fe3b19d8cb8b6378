"""The one JSON API object.  Each app declares its router (``Capability.api``, ``"module:router"``, in
``apps/<app>/capability.py``); they are added here in the order of ``INSTALLED_APPS``.

Errors are always JSON ``{"detail": "..."}`` with the right status code, so a
client never has to parse an HTML error page: the handlers below cover every
error the API raises (ninja's own included), and
:class:`apps.core.middleware.InputGuardMiddleware` answers in JSON for what
goes wrong before the API runs (a body too large, a method not allowed, a
server error).  Every operation's validated input is checked for what no
database can store (:mod:`apps.core.inputs`) before the operation runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.log import log_response
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny

from apps.core.capabilities import capabilities
from apps.core.errors import error_message
from apps.core.inputs import MAX_INTEGER, find_unstorable

JSON_TYPES = ("application/json",)


class UnusableBody(Exception):
    """A body refused by the parser (ninja makes every parser error a 400 "Cannot parse request body"; the
    handler of ``HttpError`` answers with this status and message instead)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class JsonOnlyParser(Parser):
    """Bodies are JSON objects (every operation's body is a schema): anything else is refused, not guessed at.

    The whole body is checked for what no database can store, unknown keys included, before any field is read.
    """

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        media = request.content_type or ""
        if media and media not in JSON_TYPES and not media.endswith("+json"):
            raise UnusableBody(415, error_message(415))
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise UnusableBody(422, _("The body must be a JSON object: {...}."))
        found = find_unstorable(data)
        if found is not None:
            where, message = found
            raise UnusableBody(422, f"{'.'.join(str(part) for part in where)}: {message}" if where else message)
        return data


ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, in the language of the request"}},
    "required": ["detail"],
}
COMMON_ERRORS = {
    "400": "The request could not be read (a body that is not JSON, a broken multipart body)",
    "413": "The request is larger than the server accepts",
    "415": "A body that is not JSON",
    "422": "Invalid input (also: text with a character no database can store, NaN, Infinity, numbers too large)",
    "500": "A server error (never expected: every one is a bug)",
}


class CityApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: DictStrAny | None = None) -> Any:
        """Every operation documents the errors every operation can give, in the one error shape."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for code, description in COMMON_ERRORS.items():
                    if code == "415" and method in {"get", "delete"}:
                        continue
                    responses.setdefault(code, {"description": description, **error})
        bound_integers(schema)
        return schema


def bound_integers(node: Any) -> None:
    """Every integer of the document says the range the API accepts (``inputs.MAX_INTEGER``: what every
    database stores), so that a client, and a fuzzer, know that a larger one is refused (422)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("type") == "integer":
                item.setdefault("minimum", -MAX_INTEGER)
                item.setdefault("maximum", MAX_INTEGER)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


api = CityApi(
    title="City of People API",
    version="1",
    description=(
        "Open JSON API of City of People: districts, places and addresses, persons, organisations, care matching, "
        "and later wellbeing and community life. Every error, whatever its status (400, 401, 403, 404, 405, 409, "
        "413, 415, 422, 429, 500), is a JSON object with a `detail` message. Text with a NUL character or half "
        "of a Unicode character, the numbers NaN and Infinity and integers beyond 64 bits are refused (422)."
    ),
    urls_namespace="api",
    parser=JsonOnlyParser(),
)


def refuse_unstorable(operation: Callable[..., Any]) -> Callable[..., Any]:
    """Around every operation, after validation: nothing the database cannot store reaches a service."""

    @wraps(operation)
    def checked(request: HttpRequest, *args: Any, **values: Any) -> Any:
        found = find_unstorable(values)
        if found is not None:
            where, message = found
            raise ValidationError([{"type": "unstorable", "loc": list(where), "msg": message}])
        return operation(request, *args, **values)

    return checked


api.add_decorator(refuse_unstorable)
for declared in capabilities():
    if declared.api:
        module, _sep, name = declared.api.partition(":")
        api.add_router("/", getattr(importlib.import_module(module), name))


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
    """Our own errors as they are; ninja's (a body it could not parse, CSRF) with a message people can read."""
    status, detail = exc.status_code, str(exc)
    cause = exc.__cause__ if detail.startswith("Cannot parse request body") else None  # ninja's BodyModel
    if isinstance(cause, RequestDataTooBig):
        status, detail = 413, error_message(413)
    elif isinstance(cause, UnusableBody):
        status, detail = cause.status, cause.message
    elif isinstance(cause, ValueError | RecursionError):  # not JSON, not UTF-8, nested too deep
        detail = _("The body of the request is not valid JSON.")
    elif detail.startswith("Cannot parse request body"):
        detail = error_message(400)
    elif status == 403 and detail == "CSRF check Failed":
        detail = _("The CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header.")
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return api.create_response(request, {"detail": error_message(429)}, status=429)


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": error_message(413)}, status=413)


@api.exception_handler(SuspiciousOperation)
@api.exception_handler(BadRequest)
@api.exception_handler(MultiPartParserError)
@api.exception_handler(UnreadablePostError)
def unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A body Django cannot read (a multipart body without boundary, too many fields, a broken upload)."""
    return api.create_response(request, {"detail": error_message(400)}, status=400)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: reported as Django reports one (log, signal), answered in the API's shape."""
    signals.got_request_exception.send(sender=None, request=request)
    response = api.create_response(request, {"detail": error_message(500)}, status=500)
    log_response("Internal Server Error: %s", request.path, response=response, request=request, exception=exc)
    return response


def api_not_found(request: HttpRequest) -> JsonResponse:
    """Any other path under /api/ answers in JSON too, never with an HTML page."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
