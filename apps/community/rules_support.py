"""Community life: who may ask the city for support, answer it, and sit on a grant jury (issue 18, items 2, 5).

- The starter of a published initiative asks (``community.ask_support``) and follows their requests.
- A request is answered by the members of its responsible city team and by the reviewers of the initiative's
  district (its coordinators, city staff): never by the initiative's own starter.
- A grant call's jury sees the applications of that call only, after its deadline; a member scores each one or
  declares a conflict of interest, and sees the others' scores of an application only once they scored it.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.access.actors import Actor
from apps.access.rules import rule
from apps.people.models import Role

from .rules import is_starter, review_districts, reviews_district, reviews_everywhere


def team_ids(actor: Actor) -> frozenset[int]:
    """The city teams the actor is a member of (one query, kept on the actor for the request).  Teams are of city
    accounts: anyone without a work role is in none, without a query (the menu asks this on every page)."""
    if actor.person_id is None or not actor.has_role(Role.CITY_STAFF, Role.COORDINATOR, Role.ADMINISTRATOR):
        return frozenset()
    cached = getattr(actor, "_community_teams", None)
    if cached is None:
        from .models import CityTeam

        cached = frozenset(CityTeam.objects.filter(members__pk=actor.person_id).values_list("pk", flat=True))
        with suppress(AttributeError, TypeError):  # an actor that keeps no attributes asks again next time
            object.__setattr__(actor, "_community_teams", cached)
    return cached


def jury_calls(actor: Actor) -> frozenset[int]:
    """The grant calls whose jury the actor sits on."""
    if actor.person_id is None:
        return frozenset()
    from .models import JuryMember

    return frozenset(JuryMember.objects.filter(person_id=actor.person_id).values_list("call_id", flat=True))


def is_applicant(actor: Actor, request: Any) -> bool:
    return actor.person_id is not None and (
        request.submitted_by_id == actor.person_id or is_starter(actor, request.initiative)
    )


def answers(actor: Actor, request: Any) -> bool:
    """A member of the request's team or a reviewer of its district, who did not ask it themselves."""
    if request is None or actor.person_id is None or is_applicant(actor, request):
        return False
    if request.team_id is not None and request.team_id in team_ids(actor):
        return True
    return reviews_district(actor, request.initiative.district_id)


@rule("community.ask_support", label=_("Asking the city for support"))
def _ask_support(actor: Actor, initiative: Any) -> bool:
    """The starter of a published initiative."""
    return is_starter(actor, initiative) and initiative.status == "published"


@rule("community.view_support", label=_("Reading a support request"))
def _view_support(actor: Actor, request: Any) -> bool:
    """Who asked it (the initiative's starter) and who answers it."""
    return request is not None and (is_applicant(actor, request) or answers(actor, request))


@rule("community.answer_support", label=_("Answering a support request"))
def _answer_support(actor: Actor, request: Any) -> bool:
    """The responsible team's members and the district's reviewers; never one's own request."""
    return answers(actor, request)


@rule("community.support_worklist", label=_("The worklist of support requests"))
def _support_worklist(actor: Actor, obj: Any) -> bool:
    """A member of a city team, a coordinator of a district, city staff."""
    if actor.person_id is None:
        return False
    return reviews_everywhere(actor) or bool(review_districts(actor)) or bool(team_ids(actor))


@rule("community.sit_on_jury", label=_("Scoring grant applications as a jury member"))
def _sit_on_jury(actor: Actor, call: Any) -> bool:
    """A member of this call's jury (without a call: of any call)."""
    calls = jury_calls(actor)
    return bool(calls) if call is None else call.pk in calls


@rule("community.score_application", label=_("Scoring one grant application"))
def _score_application(actor: Actor, application: Any) -> bool:
    """A member of its call's jury, once the deadline has passed, never for an application of their own."""
    if application is None or application.call_id is None or application.call_id not in jury_calls(actor):
        return False
    if is_applicant(actor, application) or application.status == "withdrawn":
        return False
    return timezone.localdate() > application.call.deadline
