"""Screening (issue 17, item 2): the writes and reads of a loneliness instrument answered by a person.

A coordinator takes it during a visit or a phone call (``mode`` visit or phone), or a resident fills it in online
for themselves.  The order is always the same:

1. the consent for the wellbeing purpose is recorded (``consent_give``; an active one is reused);
2. the questions, one per page; the answers travel in a signed hidden field (``Progress``), bound to who asks and
   about whom, and are stored nowhere on the server until the last step;
3. ``screening_record`` checks the consent again (it may have been withdrawn meanwhile), scores the answers with
   ``domain.instruments`` and stores answers, scores, the instrument's version and the answer format at once.

Reads: ``screenings_of`` (a person's list and chart) and ``screening_for`` (one), both behind the rules of
``rules.py`` and written to the access log (the person's own reads are not logged, as everywhere).  "Missing" and
"forbidden" both raise ``Http404``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.access.actors import Actor
from apps.access.rules import can
from apps.access.services import log_request_access, log_request_list
from apps.people.models import Consent, Person, Purpose
from apps.people.rules import is_self
from apps.people.services import consent_give
from domain.instruments import INSTRUMENTS, InstrumentError, LanguageNotAvailable, instrument, score

from .cases import has_consent, leads_person, may_see_case, screening_cases
from .models import OutreachCase, Screening

RECORD = "wellbeing.Screening"
SALT = "wellbeing.screening.progress"
MAX_AGE = 4 * 60 * 60
"""A questionnaire left open longer than four hours is started again (the signed answers expire)."""
SKIP = "skip"
"""The answer "no answer" on a question page: the item is missing, and the instrument's rules decide."""

MEANINGS = {
    "not_lonely": gettext_lazy("The answers give no sign of loneliness."),
    "moderately_lonely": gettext_lazy("The answers point to some loneliness."),
    "severely_lonely": gettext_lazy("The answers point to strong loneliness."),
    "very_severely_lonely": gettext_lazy("The answers point to very strong loneliness."),
    "lonely": gettext_lazy("The answers point to loneliness."),
}
"""The plain words for each category of ``domain.instruments`` (an aid for a conversation, never a diagnosis)."""
CATEGORY_LABELS = {
    "not_lonely": gettext_lazy("not lonely"),
    "moderately_lonely": gettext_lazy("moderately lonely"),
    "severely_lonely": gettext_lazy("severely lonely"),
    "very_severely_lonely": gettext_lazy("very severely lonely"),
    "lonely": gettext_lazy("lonely"),
}
NO_TOTAL = gettext_lazy("Too many questions were not answered to give a result.")
INSTRUMENT_NAMES = {
    "djg11": gettext_lazy("De Jong Gierveld loneliness scale (11 questions)"),
    "djg6": gettext_lazy("De Jong Gierveld loneliness scale, short (6 questions)"),
    "ucla3": gettext_lazy("UCLA loneliness scale (3 questions)"),
}


def meaning(category: str) -> str:
    return str(MEANINGS.get(category, NO_TOTAL))


def available(language: str) -> dict[str, bool]:
    """Each instrument key -> whether it has a published wording in ``language`` (refused pairs are not offered)."""
    return {key: language in scale.languages for key, scale in INSTRUMENTS.items()}


# --- the answers on their way: a signed hidden field --------------------------------------------------------


@dataclass
class Progress:
    """A questionnaire being filled in: which instrument, how, and the answers so far (item number -> code or
    ``None`` for "no answer").  ``at`` is the index of the question shown; ``len(items)`` is the check page."""

    person: int
    instrument: str
    answer_format: str
    mode: str
    language: str
    consent: int
    at: int = 0
    answers: dict[str, str | None] = field(default_factory=dict)
    review: bool = False
    """Changing one answer from the check page: "Next" goes back to the check page."""
    started: str = ""
    """When the questions began (ISO 8601): one questionnaire stores at most one screening, so "Save" pressed
    twice, or again after the browser's Back button, does not store it twice."""
    case: int | None = None
    """The outreach case it is taken for (the link on the case's page): the screening is listed on that case."""

    @property
    def items(self) -> tuple[str, ...]:
        return instrument(self.instrument).numbers

    @property
    def done(self) -> bool:
        return self.at >= len(self.items)

    @property
    def item(self) -> str:
        return self.items[self.at]


def _salt(actor: Actor, person_id: int) -> str:
    """The signature holds for this actor and this person only: a token copied to another person's page, or
    into another account's browser, is not read."""
    return f"{SALT}:{actor.person_id}:{person_id}"


def progress_sign(actor: Actor, progress: Progress) -> str:
    return signing.dumps(asdict(progress), salt=_salt(actor, progress.person), compress=True)


class BadProgress(Exception):
    """The hidden field was changed, belongs to someone else, or is too old: start again."""


def progress_read(actor: Actor, person_id: int, token: str) -> Progress:
    if not isinstance(token, str) or "\x00" in token or len(token) > 4000:
        raise BadProgress
    try:
        data = signing.loads(token, salt=_salt(actor, person_id), max_age=MAX_AGE)
        progress = Progress(**data)
        scale = instrument(progress.instrument)
        if progress.person != person_id or progress.answer_format not in scale.formats:
            raise BadProgress
        if not 0 <= progress.at <= len(scale.numbers):
            raise BadProgress
    except (signing.BadSignature, TypeError, ValueError, InstrumentError) as error:
        raise BadProgress from error
    return progress


def answer_check(progress: Progress, item: str, answer: str) -> str | None:
    """Why this answer to this item cannot be taken (``None``: it can).  Posted by hand, an answer may name an
    item that is not the one shown, a code the format does not have, or carry a NUL character."""
    if "\x00" in item or "\x00" in answer:
        return _("This answer contains a character that cannot be saved (NUL, 0x00). Choose one of the answers.")
    if progress.done or item != progress.item:
        return _("This is not the question on this page. Answer the question shown.")
    codes = instrument(progress.instrument).formats[progress.answer_format]
    if answer != SKIP and answer not in codes:
        return _("Choose one of the answers, or “No answer”.")
    return None


# --- writes ---------------------------------------------------------------------------------------------------


def consent_known(actor: Actor, person: Person, *, online: bool = False) -> bool:
    """Whether the person's active consent for wellbeing may be shown to the actor as given: to the person; to a
    coordinator who recorded it, who may read the person's screenings, or whose open case about the person
    holds it.  Another colleague reads the consent text to the person as if there were none, so the page does
    not tell them that someone follows this person up for loneliness (the consent is then reused)."""
    active = person.consents.filter(purpose=Purpose.WELLBEING_SCREENING, withdrawn_at__isnull=True).first()
    if active is None:
        return False
    if online or is_self(actor, person) or active.recorded_by_id == actor.person_id:
        return True
    if can(actor, "wellbeing.view_screenings", person):
        return True
    cases = OutreachCase.objects.filter(person=person, consent=active, anonymised_at__isnull=True)
    return any(may_see_case(actor, case) for case in cases.exclude(status=OutreachCase.Status.CLOSED)[:20])


def case_to_link(actor: Actor, person: Person, case_pk: int | None) -> OutreachCase | None:
    """The open case about ``person`` that the actor sees and whose consent is recorded, to list the screening on
    (``None`` when none was asked).  Anything else asked for is refused, so a screening never lands on a case
    about someone else, a closed one, or a colleague's."""
    if case_pk is None:
        return None
    found = (
        OutreachCase.objects.select_related("consent")
        .filter(pk=case_pk, person=person, anonymised_at__isnull=True)
        .exclude(status=OutreachCase.Status.CLOSED)
        .first()
    )
    if found is None or not may_see_case(actor, found) or not has_consent(found):
        raise ValidationError(
            _("This screening cannot be added to that case: it is closed, about someone else, or not yours."),
            code="case",
        )
    return found


def screening_start(
    *, actor: Actor, person: Person, instrument_key: str, answer_format: str, mode: str, language: str,
    consent_method: str, consent_given: bool, case_pk: int | None = None, consent_known: bool = True,
) -> Progress:  # fmt: skip
    """Record the consent for the wellbeing purpose (an active one is reused) and start the questions.

    Refused, with nothing stored: no consent, an instrument or format the domain does not have, a language the
    instrument has no published wording in, an actor who may not screen this person this way, or a case to list
    it on that is not one of the actor's open cases about this person.  ``consent_known=False``: the page did not
    tell the actor about an active consent (they may not read the person's screenings), so they must record it
    as if there were none (the active one is then reused)."""
    online = mode == Screening.Mode.ONLINE
    if online and actor.person_id != person.pk:
        raise PermissionDenied
    if not online and not can(actor, "wellbeing.screen_person", person):
        raise PermissionDenied
    case = None if online else case_to_link(actor, person, case_pk)
    if mode not in Screening.Mode.values:
        raise ValidationError(_("Choose how the screening is taken."), code="mode")
    try:
        scale = instrument(instrument_key)
        scale.options(answer_format, language)
    except LanguageNotAvailable as error:
        raise ValidationError(
            _("This questionnaire has no published wording in this language."), code="language"
        ) from error
    except InstrumentError as error:
        raise ValidationError(_("Choose one of the questionnaires and answer formats."), code="instrument") from error
    active = person.consents.filter(purpose=Purpose.WELLBEING_SCREENING, withdrawn_at__isnull=True).first()
    if (active is None or not consent_known) and not consent_given:
        raise ValidationError(_("Without consent nothing is asked and nothing is stored."), code="consent")
    if active is None:
        method = Consent.Method.ONLINE if online else consent_method
        if method not in (Consent.Method.PHONE, Consent.Method.PAPER, Consent.Method.ONLINE):
            raise ValidationError(_("Say how the person gave their consent."), code="consent_method")
        active = consent_give(actor=actor, person=person, purpose=Purpose.WELLBEING_SCREENING, method=method)
    return Progress(
        person=person.pk, instrument=scale.key, answer_format=answer_format, mode=mode, language=language,
        consent=active.pk, started=timezone.now().isoformat(), case=case.pk if case else None,
    )  # fmt: skip


def screening_record(*, actor: Actor, person: Person, progress: Progress) -> Screening:
    """Score the answers and store the screening, with the instrument's version and answer format.

    The consent must still be active (withdrawn while the questions were asked: nothing is stored)."""
    online = progress.mode == Screening.Mode.ONLINE
    if (online and actor.person_id != person.pk) or (not online and not can(actor, "wellbeing.screen_person", person)):
        raise PermissionDenied
    if not progress.done:
        raise ValidationError(_("Answer every question first, or choose “No answer”."), code="not_done")
    try:
        result = score(progress.instrument, progress.answers, progress.answer_format)
    except InstrumentError as error:
        raise ValidationError(_("These answers cannot be read. Start again."), code="answers") from error
    with transaction.atomic():
        consent = (
            Consent.objects.select_for_update()
            .filter(pk=progress.consent, person=person, purpose=Purpose.WELLBEING_SCREENING, withdrawn_at__isnull=True)
            .first()
        )
        if consent is None:
            raise ValidationError(
                _("The consent for questions about wellbeing was withdrawn: nothing was stored."), code="consent"
            )
        already = _saved_before(person, progress, actor)
        if already is not None:
            return already
        case = _case_still_open(actor, person, progress.case)
        return Screening.objects.create(
            person=person, instrument=result.instrument, instrument_version=result.version,
            answer_format=result.answer_format, language=progress.language,
            answers={number: progress.answers.get(number) for number in progress.items},
            total=result.total, category=result.category or "", emotional=result.emotional,
            emotional_category=result.emotional_category or "", social=result.social,
            social_category=result.social_category or "", missing=list(result.missing), mode=progress.mode,
            taken_by_id=None if online else actor.person_id, consent=consent, district_id=person.district_id,
            case=case,
        )  # fmt: skip


def _case_still_open(actor: Actor, person: Person, case_pk: int | None) -> OutreachCase | None:
    """The case the questions were started for, if it is still open and the actor's (closed or handed over
    meanwhile: the screening is stored all the same, on no case)."""
    if case_pk is None:
        return None
    try:
        return case_to_link(actor, person, case_pk)
    except ValidationError:
        return None


def _saved_before(person: Person, progress: Progress, actor: Actor) -> Screening | None:
    """The screening this same questionnaire already stored (saved since it began, by the same hand), if any."""
    started = parse_datetime(progress.started) if progress.started else None
    if started is None:
        return None
    online = progress.mode == Screening.Mode.ONLINE
    return (
        Screening.objects.filter(
            person=person,
            instrument=progress.instrument,
            mode=progress.mode,
            taken_at__gte=started,
            taken_by_id=None if online else actor.person_id,
            consent_id=progress.consent,
        )
        .order_by("pk")
        .first()
    )


# --- reads ------------------------------------------------------------------------------------------------------


def _log_refused(http: HttpRequest, pk: int, screening: Screening | None) -> None:
    log_request_access(
        http, subject_person_id=screening.person_id if screening else None, record_type=RECORD, record_id=pk,
        action="read", purpose="wellbeing.view_screening", allowed=False,
    )  # fmt: skip


def screening_for(actor: Actor, pk: int, http: HttpRequest) -> Screening:
    """One screening, if ``wellbeing.view_screening`` allows; every read by someone else logged, allowed or
    refused; 404 for "missing" and "forbidden" alike (an anonymised one has no person: nobody reads it here).
    An id that does not exist is logged as refused too, so both answers cost the same write."""
    found = Screening.objects.select_related("person", "taken_by").filter(pk=pk).first()
    if found is None or not can(actor, "wellbeing.view_screening", found):
        _log_refused(http, pk, found)
        raise Http404
    log_request_access(
        http, subject_person_id=found.person_id, record_type=RECORD, record_id=found.pk, action="read",
        purpose="wellbeing.view_screening", allowed=True,
    )  # fmt: skip
    return found


def person_screenings(person: Person) -> QuerySet[Screening]:
    return Screening.objects.filter(person=person, anonymised_at__isnull=True).order_by("taken_at", "pk")


def screenings_of(actor: Actor, person: Person, http: HttpRequest, *, limit: int | None = None) -> list[Screening]:
    """The person's screenings, oldest first, if ``wellbeing.view_screenings`` allows (else 404): all of them for
    the person and the team lead; for a coordinator those they took and those of their cases about the person
    (as ``wellbeing.view_screening``); one access-log entry per screening shown (the person's own reads are not
    logged).  ``limit``: only the most recent ones."""
    if not can(actor, "wellbeing.view_screenings", person):
        raise Http404
    rows = person_screenings(person)
    if not is_self(actor, person) and not leads_person(actor, person):
        # only what they took, and what belongs to their cases about the person
        rows = rows.filter(Q(taken_by_id=actor.person_id) | Q(case_id__in=screening_cases(actor, person)))
    if limit is not None:
        rows = rows.reverse()[:limit]
    found = sorted(rows, key=lambda s: (s.taken_at, s.pk))
    log_request_list(
        http, records=[(person.pk, RECORD, s.pk) for s in found], action="read", purpose="wellbeing.view_screenings"
    )
    return found


def scale_name(key: str) -> str:
    return str(INSTRUMENT_NAMES.get(key, key))


def result_lines(screening: Screening) -> list[dict[str, Any]]:
    """What a result says, in plain words: the total and its meaning, and (where the instrument has them) the
    emotional and social subscales."""
    lines: list[dict[str, Any]] = []
    scale = INSTRUMENTS.get(screening.instrument)
    highest = len(scale.items) if scale and screening.instrument != "ucla3" else 9
    lowest = 3 if screening.instrument == "ucla3" else 0
    lines.append({
        "label": _("Total"), "value": screening.total, "lowest": lowest, "highest": highest,
        "category": str(CATEGORY_LABELS.get(screening.category, "")), "meaning": meaning(screening.category),
    })  # fmt: skip
    if screening.instrument != "ucla3" and scale is not None:
        for label, value, category, kind in (
            (_("Emotional loneliness"), screening.emotional, screening.emotional_category, "emotional"),
            (_("Social loneliness"), screening.social, screening.social_category, "social"),
        ):
            count = sum(1 for item in scale.items if item.kind.value == kind)
            lines.append({
                "label": label, "value": value, "lowest": 0, "highest": count,
                "category": str(CATEGORY_LABELS.get(category, "")), "meaning": "",
            })  # fmt: skip
    return lines
