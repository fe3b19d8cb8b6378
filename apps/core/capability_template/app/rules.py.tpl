"""{{ title }}: who may do what.

Every rule of this app, declared once (found by apps/access at start).

Pages ask ``@requires("{{ app_name }}.view_index")``; object rules take the object as second argument and
are asked through the selectors, which answer 404 for "missing" and "forbidden" alike.
"""

from __future__ import annotations

from typing import Any

from apps.access.actors import Actor
from apps.access.rules import rule


@rule("{{ app_name }}.view_index")
def _view_index(actor: Actor, obj: Any) -> bool:
    """The start page is for everyone signed in.  A public page asks ``@requires("public")`` instead (anonymous
    visitors are sent to the login page for any other rule); narrow this to the roles that need the page."""
    return not actor.is_anonymous
