"""The messages of errors that have no more specific one: the API's JSON errors and the guard's pages share them."""

from __future__ import annotations

from django.utils.translation import gettext as _


def error_message(status: int) -> str:
    """The message of an error that has no more specific one, per status code."""
    messages = {
        400: _("The request could not be read."),
        401: _("Log in first."),
        403: _("You may not do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The request is too large."),
        415: _("Send the body as JSON (Content-Type: application/json)."),
        422: _("Invalid input."),
        429: _("Too many requests. Wait a moment and try again."),
    }
    if status in messages:
        return messages[status]
    return _("Something went wrong on our side. Please try again later.") if status >= 500 else messages[400]
