"""Screening pages (issue 17, item 2): take a loneliness questionnaire with a person, or fill it in for oneself, and
read the results over time.

One question per page, each step an ordinary form post (no script needed): the first page records the consent
and the choice of questionnaire; every next page carries the answers so far in a signed hidden field
(``screening.Progress``), so nothing is stored on the server until the last step, "Save".  A coordinator reaches
the pages from the person's page ("Loneliness screening"), a resident from "My wellbeing".  Reads go through
``screening.screenings_of`` and ``screening.screening_for`` (the rules, the access log, 404 for "forbidden").
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.access.actors import Actor, actor_for
from apps.access.decorators import requires
from apps.access.rules import can
from apps.core.components import Cell, Column, Table
from apps.core.formats import moment
from apps.people import selectors as people_selectors
from apps.people.consent_texts import CONSENT_TEXTS
from apps.people.models import Person, Purpose
from domain.instruments import INSTRUMENTS, InstrumentError, instrument

from . import screening as sc
from .chart_screening import DASHES, MARKERS, Series, line_chart
from .forms_screening import StartForm
from .models import Screening

PANEL_ROWS = 3


def _language() -> str:
    return (get_language() or "nl")[:2]


def _has_consent(request: HttpRequest, person: Person, online: bool) -> bool:
    """Whether the page may say the consent is given already (``screening.consent_known``)."""
    return sc.consent_known(actor_for(request), person, online=online)


# --- taking a screening ---------------------------------------------------------------------------------------


@never_cache
@requires("authenticated")  # the object rule decides: a person the coordinator does not coordinate is a 404
@require_http_methods(["GET", "POST"])
def screen_person(request: HttpRequest, person_pk: int) -> HttpResponse:
    """A coordinator takes a screening with a person they coordinate, during a visit or by phone."""
    actor = actor_for(request)
    person = people_selectors.person_for(actor, person_pk, rule="wellbeing.screen_person", request=request)
    return _flow(request, actor, person, online=False)


@never_cache
@requires("wellbeing.screen_self")
@require_http_methods(["GET", "POST"])
def screen_me(request: HttpRequest) -> HttpResponse:
    """A resident fills in a screening online, for themselves."""
    actor = actor_for(request)
    person = Person.objects.filter(pk=actor.person_id, erased_at__isnull=True).first()
    if person is None:
        raise Http404
    return _flow(request, actor, person, online=True)


def _flow(request: HttpRequest, actor: Actor, person: Person, *, online: bool) -> HttpResponse:
    base = {"person": person, "online": online}
    if request.method != "POST":
        return _start_page(request, person, online, None)
    go = request.POST.get("go", "")
    if go == "start":
        return _start(request, actor, person, online)
    try:
        progress = sc.progress_read(actor, person.pk, request.POST.get("state", ""))
    except sc.BadProgress:
        problem = _("This questionnaire could not be read any more. Nothing was stored. Start again.")
        context = {**base, "problem": problem}
        return _start_page(request, person, online, None, context, status=400)
    item, answer = request.POST.get("item", ""), request.POST.get("answer", "")
    change = request.POST.get("change", "")
    if change:
        if change not in progress.items:
            problem = _("This question is not part of this questionnaire.")
            return _question(request, person, progress, online, problem, 400)
        progress.at, progress.review = progress.items.index(change), True
        return _question(request, person, progress, online)
    if go == "save":
        return _save(request, actor, person, progress, online)
    if go == "back":
        if not progress.done and answer and sc.answer_check(progress, item, answer) is None:
            progress.answers[item] = None if answer == sc.SKIP else answer
        if progress.at == 0:
            return _start_page(request, person, online, None)
        progress.at -= 1
        return _question(request, person, progress, online)
    if go != "next":
        return _question(request, person, progress, online, _("Choose “Next” or “Back”."), 400)
    if not answer and "\x00" not in item:
        if progress.done or item != progress.item:
            return _question(request, person, progress, online, _("This is not the question on this page."), 400)
        return _question(request, person, progress, online, _("Choose an answer, or “No answer”."))
    problem = sc.answer_check(progress, item, answer)
    if problem is not None:
        return _question(request, person, progress, online, problem, 400)
    progress.answers[item] = None if answer == sc.SKIP else answer
    progress.at = len(progress.items) if progress.review else progress.at + 1
    return _question(request, person, progress, online)


def _start_page(
    request: HttpRequest, person: Person, online: bool, form: StartForm | None, context: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    language = _language()
    has_consent = _has_consent(request, person, online)
    form = form or StartForm(
        language=language, online=online, has_consent=has_consent, initial={"case": _case_asked(request)}
    )
    missing = [sc.scale_name(key) for key, ok in sc.available(language).items() if not ok]
    context = {
        "person": person, "online": online, "form": form, "has_consent": has_consent, "missing": missing,
        "consent_text": CONSENT_TEXTS[Purpose.WELLBEING_SCREENING][1], **(context or {}),
    }  # fmt: skip
    return render(request, "wellbeing/screening/start.html", context, status=status)


def _case_asked(request: HttpRequest) -> int | None:
    """``?case=`` of the link on a case's page (checked when the questions start; anything else is ignored)."""
    value = request.GET.get("case", "")
    return int(value) if value.isascii() and value.isdigit() and 0 < len(value) < 10 else None


def _start(request: HttpRequest, actor: Actor, person: Person, online: bool) -> HttpResponse:
    language = _language()
    known = _has_consent(request, person, online)
    form = StartForm(request.POST, language=language, online=online, has_consent=known)
    if not form.is_valid():
        return _start_page(request, person, online, form, status=400)
    data = form.cleaned_data
    try:
        progress = sc.screening_start(
            actor=actor, person=person, instrument_key=data["instrument"], answer_format=data["answer_format"],
            mode=Screening.Mode.ONLINE if online else data["mode"], language=language,
            consent_method=data.get("consent_method") or "", consent_given=bool(data.get("consent")),
            case_pk=None if online else data.get("case"), consent_known=known,
        )  # fmt: skip
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        return _start_page(request, person, online, form, {"problem": " ".join(error.messages)}, status=400)
    return _question(request, person, progress, online)


def _question(
    request: HttpRequest, person: Person, progress: sc.Progress, online: bool, error: str | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    actor = actor_for(request)
    scale = instrument(progress.instrument)
    context: dict[str, Any] = {
        "person": person, "online": online, "state": sc.progress_sign(actor, progress), "error": error,
        "scale_name": sc.scale_name(scale.key), "language": progress.language, "count": len(scale.items),
    }  # fmt: skip
    options = dict(scale.options(progress.answer_format, progress.language))
    if progress.done:
        context["answers"] = [
            {"number": number, "position": i + 1, "question": scale.wording(number, progress.language),
             "answer": options.get(progress.answers.get(number) or "", "")}
            for i, number in enumerate(scale.numbers)
        ]  # fmt: skip
        return render(request, "wellbeing/screening/check.html", context, status=status)
    current = progress.answers.get(progress.item, "")
    context.update(
        item=progress.item, number=progress.at + 1, question=scale.wording(progress.item, progress.language),
        options=list(options.items()), skip=sc.SKIP,
        current=sc.SKIP if progress.item in progress.answers and current is None else current,
        introduction=scale.introduction.get(progress.language, "") if progress.at == 0 else "",
    )  # fmt: skip
    return render(request, "wellbeing/screening/question.html", context, status=status)


def _save(request: HttpRequest, actor: Actor, person: Person, progress: sc.Progress, online: bool) -> HttpResponse:
    try:
        saved = sc.screening_record(actor=actor, person=person, progress=progress)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        return _question(request, person, progress, online, " ".join(error.messages), 400)
    messages.success(request, _("The answers were saved."))
    return redirect("wellbeing:screening", pk=saved.pk)


# --- reading results ------------------------------------------------------------------------------------------


def results_table(found: list[Screening], *, caption: str, links: bool = True) -> Table:
    """The numbers of the chart, newest first, as the design system's table."""
    table = Table(
        caption=caption,
        columns=[Column(_("Date")), Column(_("Questionnaire")), Column(_("Total"), numeric=True),
                 Column(_("Emotional"), numeric=True), Column(_("Social"), numeric=True), Column(_("Meaning"))],
        empty=_("No screenings yet."),
    )  # fmt: skip
    for s in sorted(found, key=lambda s: (s.taken_at, s.pk), reverse=True):
        when = moment(s.taken_at)
        djg = s.instrument != "ucla3"
        table.add(
            Cell(when, url=reverse("wellbeing:screening", args=[s.pk]) if links else None),
            sc.scale_name(s.instrument),
            "–" if s.total is None else s.total,
            "–" if not djg or s.emotional is None else s.emotional,
            "–" if not djg or s.social is None else s.social,
            sc.meaning(s.category),
        )
    return table


def charts(found: list[Screening]) -> list[dict[str, Any]]:
    """One chart per questionnaire (their totals are on different scales), of its last 12 screenings."""
    out = []
    for key, scale in INSTRUMENTS.items():
        rows = [s for s in found if s.instrument == key][-12:]
        if not rows:
            continue
        labels = [timezone.localtime(s.taken_at).strftime("%d/%m/%Y") for s in rows]
        if key == "ucla3":
            series = [Series(_("Total"), [s.total for s in rows], MARKERS[0], DASHES[0])]
            lowest, highest = 3, 9
        else:
            series = [
                Series(_("Total"), [s.total for s in rows], MARKERS[0], DASHES[0]),
                Series(_("Emotional"), [s.emotional for s in rows], MARKERS[1], DASHES[1], label_dy=16),
                Series(_("Social"), [s.social for s in rows], MARKERS[2], DASHES[2], label_dy=16),
            ]
            lowest, highest = 0, len(scale.items)
        title = _("%(name)s over time") % {"name": sc.scale_name(key)}
        svg = line_chart(
            title=title, description=_("The same numbers are in the table below."), x_labels=labels, series=series,
            lowest=lowest, highest=highest, chart_id=f"chart-{key}",
        )  # fmt: skip
        out.append({"key": key, "title": title, "svg": SafeString(svg)})
    return out


def _list_page(request: HttpRequest, person: Person, found: list[Screening], own: bool) -> HttpResponse:
    context = {
        "person": person, "own": own, "charts": charts(found),
        "table": results_table(found, caption=_("All results")), "screen_me_url": reverse("wellbeing:screen_me"),
    }  # fmt: skip
    return render(request, "wellbeing/screening/list.html", context)


@require_GET
@requires("authenticated")  # the object rule decides (404 for anyone else)
def person_screenings(request: HttpRequest, person_pk: int) -> HttpResponse:
    """A person's screenings over time, for their coordinator (while the consent holds): a chart and a table."""
    actor = actor_for(request)
    person = people_selectors.person_for(actor, person_pk, rule="wellbeing.view_screenings", request=request)
    return _list_page(request, person, sc.screenings_of(actor, person, request), own=False)


@require_GET
@requires("wellbeing.screen_self")
def my_screenings(request: HttpRequest) -> HttpResponse:
    """My own screenings over time, and a link to fill one in."""
    actor = actor_for(request)
    person = Person.objects.filter(pk=actor.person_id, erased_at__isnull=True).first()
    if person is None:
        raise Http404
    return _list_page(request, person, sc.screenings_of(actor, person, request), own=True)


@require_GET
@requires("authenticated")  # the object rule decides (404 for anyone else)
def screening(request: HttpRequest, pk: int) -> HttpResponse:
    """One result: what it means in plain words, the scores, and each question with the answer given."""
    actor = actor_for(request)
    found = sc.screening_for(actor, pk, request)
    own = actor.person_id == found.person_id
    answers = []
    try:
        scale = instrument(found.instrument)
        language = found.language if found.language in scale.languages else scale.languages[0]
        options = dict(scale.options(found.answer_format, language))
        answers = [
            {"question": scale.wording(number, language), "answer": options.get(found.answers.get(number) or "", "")}
            for number in scale.numbers
        ]
    except (InstrumentError, IndexError):
        language = ""
    context = {
        "screening": found, "own": own, "scale_name": sc.scale_name(found.instrument), "lines": sc.result_lines(found),
        "answers": answers, "language": language, "meaning": sc.meaning(found.category),
        "case_url": _case_url(actor, found) if not own else "",
    }  # fmt: skip
    return render(request, "wellbeing/screening/detail.html", context)


def _case_url(actor: Actor, found: Screening) -> str:
    """The page of the case the screening was taken for, if the reader sees that case (else no link: which
    colleague follows it up is not theirs to learn)."""
    from .cases import may_see_case

    if found.case_id is None or not may_see_case(actor, found.case):
        return ""
    return reverse("wellbeing:case", args=[found.case_id])


# --- the section on a person's page ---------------------------------------------------------------------------


def person_section(request: HttpRequest, actor: Actor, person: Person) -> dict[str, Any]:
    """ "Loneliness screening" on a coordinator's page of a person: the most recent results (logged as read) while
    the consent holds, and the way to take a new one."""
    if not actor.person_id or not can(actor, "wellbeing.view_screenings", person):
        return {"screenings": [], "may_read": False, "has_consent": False}
    found = sc.screenings_of(actor, person, request, limit=PANEL_ROWS)
    rows = [{"screening": s, "name": sc.scale_name(s.instrument), "meaning": sc.meaning(s.category)} for s in found]
    rows.reverse()
    return {"screenings": rows, "may_read": True, "has_consent": True}
