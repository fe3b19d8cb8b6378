"""Wellbeing and loneliness: who may do what (registered in ``apps/access/rules.py``).

Objects: a ``WorryReport``, an ``OutreachCase``, a ``Screening`` or a ``Person``.

A neighbour's report reaches the coordinators of its district and nobody else: not the reporter (who is told
only that it was picked up), not a coordinator of another district, not city staff.  An outreach case is seen only by
its assigned coordinator (while they coordinate its district or team) and the team lead of its district or team
(``cases.may_see_case``); a screening by the person, the coordinator who took it, the coordinator of the case it
belongs to and the team lead (``cases.follows_screening``), while the person's consent holds.  The pages ask the
page rules with ``@requires``; object access goes through ``selectors.py``, which answers 404 for "missing" and
"forbidden" alike and writes the access log.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.access.actors import Actor
from apps.access.rules import rule
from apps.people.models import Person, Purpose, Role
from apps.people.rules import acts_as_resident, coordinates_resident, has_active_consent, is_coordinator, is_self


def coordinates_district(actor: Actor, district_id: int | None) -> bool:
    return district_id is not None and district_id in actor.district_scope(Role.COORDINATOR)


@rule("wellbeing.view_reports", label=_("Reports of worried neighbours"))
def _view_reports(actor: Actor, obj: Any) -> bool:
    """The worklist of reports: a coordinator of at least one district (a report belongs to a district; a
    coordinator who holds only an organisation has no reports to read)."""
    return bool(actor.district_scope(Role.COORDINATOR))


@rule("wellbeing.view_report", label=_("Reading a neighbour's report"))
def _view_report(actor: Actor, report: Any) -> bool:
    """What a neighbour wrote about someone: the coordinators of the report's district."""
    return report is not None and coordinates_district(actor, report.district_id)


@rule("wellbeing.handle_report", label=_("Picking up a neighbour's report"))
def _handle_report(actor: Actor, report: Any) -> bool:
    """Pick it up, or open an outreach case from it: the coordinators of its district."""
    return report is not None and actor.person_id is not None and coordinates_district(actor, report.district_id)


@rule("wellbeing.view_case", label=_("Looking at an outreach case"))
def _view_case(actor: Actor, case: Any) -> bool:
    """Only the assigned coordinator (while they coordinate the case's district or team) and the team lead of the
    case's district or team (issue 17: "seen only by the assigned coordinators and their team lead"; the other
    coordinators of the district do not see it).  See ``cases.py``."""
    from .cases import may_see_case

    return may_see_case(actor, case)


@rule("wellbeing.view_cases", label=_("Outreach cases"))
def _view_cases(actor: Actor, obj: Any) -> bool:
    """The pages of outreach cases (worklist, call list, a new case): a coordinator with a district or a team."""
    return actor.person_id is not None and is_coordinator(actor)


@rule("wellbeing.manage_team_leads", label=_("Team leads of outreach"))
def _manage_team_leads(actor: Actor, obj: Any) -> bool:
    """Marking a coordinator as team lead of a district or an organisation: administrators."""
    return actor.has_role(Role.ADMINISTRATOR)


@rule("wellbeing.open_case_for_person", label=_("Opening an outreach case for a person"))
def _open_case_for_person(actor: Actor, person: Any) -> bool:
    """A coordinator who coordinates the person (district or team, as care)."""
    return isinstance(person, Person) and coordinates_resident(actor, person)


@rule("wellbeing.view_screening", label=_("Looking at a screening"))
def _view_screening(actor: Actor, screening: Any) -> bool:
    """The person themselves; while their consent for wellbeing holds and the reader still coordinates them: the
    coordinator who took it, the coordinator assigned to the case it belongs to, and the team lead of the person's
    district or team (``cases.follows_screening``).  Not the other coordinators of the district (issue 17), and
    not one who opens a case of their own about the person: that case gives only its own screenings."""
    if screening is None or screening.person is None or screening.anonymised_at is not None:
        return False
    person: Person = screening.person
    if is_self(actor, person):
        return True
    if actor.person_id is None or not coordinates_resident(actor, person):
        return False
    if not has_active_consent(person, Purpose.WELLBEING_SCREENING):
        return False
    from .cases import follows_screening

    return follows_screening(actor, screening)


# --- screening (item 2; pages in views_screening.py) ---------------------------------------------------------


@rule("wellbeing.screen_person", label=_("Taking a loneliness screening with a person"))
def _screen_person(actor: Actor, person: Any) -> bool:
    """A coordinator who coordinates the person (district or team, as care); the consent is recorded first."""
    return isinstance(person, Person) and coordinates_resident(actor, person)


@rule("wellbeing.view_screenings", label=_("Looking at someone's screenings"))
def _view_screenings(actor: Actor, person: Any) -> bool:
    """A person's list and chart: the person; while their consent for wellbeing holds, anyone who may read at
    least one of them (``view_screening``), who then sees just those (``screening.screenings_of``)."""
    if not isinstance(person, Person):
        return False
    if is_self(actor, person):
        return True
    if actor.person_id is None or not coordinates_resident(actor, person):
        return False
    if not has_active_consent(person, Purpose.WELLBEING_SCREENING):
        return False
    from .cases import leads_person, screening_cases
    from .models import Screening

    if leads_person(actor, person):
        return True
    mine = Q(taken_by_id=actor.person_id) | Q(case_id__in=screening_cases(actor, person))
    return Screening.objects.filter(mine, person=person, anonymised_at__isnull=True).exists()


@rule("wellbeing.screen_self", label=_("My wellbeing"))
def _screen_self(actor: Actor, obj: Any) -> bool:
    """Filling in a screening online for oneself, and reading one's own: a resident's account (``acts_as_resident``),
    not a work account."""
    return acts_as_resident(actor)


# --- structural signals (item 5; pages in views_signals.py) -------------------------------------------------


@rule("wellbeing.report_signal", label=_("Reporting what makes isolation worse in a place"))
def _report_signal(actor: Actor, obj: Any) -> bool:
    """Anyone signed in (resident, helper, staff) with a person behind the account; they see their own
    signals' status and no one else's (``signals_service.signals_of``)."""
    return not actor.is_anonymous and actor.person_id is not None


@rule("wellbeing.triage_signals", label=_("Triaging signals of what makes isolation worse"))
def _triage_signals(actor: Actor, signal: Any) -> bool:
    """City staff and administrators, as for the directory's review: the whole city, every signal."""
    return actor.has_role(Role.CITY_STAFF, Role.ADMINISTRATOR)


# --- the district view (item 6; pages in views_district.py) -------------------------------------------------


@rule("wellbeing.view_district", label=_("The wellbeing of a district, in numbers"))
def _view_district(actor: Actor, district: Any) -> bool:
    """Counts only, small ones hidden (``district_view.py``): the coordinators of the district, and city staff
    for every district (a city official with districts to run).  Without a district: whether there is one."""
    if actor.has_role(Role.CITY_STAFF):
        return True
    if district is None:
        return bool(actor.district_scope(Role.COORDINATOR))
    return coordinates_district(actor, district.pk)
