"""Wellbeing and loneliness (PRODUCT capability 5): find lonely residents, reach them, act on what isolates them.

The tables of the whole capability (issue 17), in one migration, so that its parts (screening, the report of a
worried neighbour, outreach cases, structural signals, the district view, the API) build on one design:

- ``Screening``: a loneliness instrument of ``domain/instruments`` answered by a person, with its scores;
- ``WorryReport``: "I am worried about a neighbour", sent by anyone, without an account;
- ``OutreachCase`` with its ``ContactAttempt`` rows and ``CaseOffer`` rows: a coordinator reaching one person;
- ``Signal``: something in a place that makes isolation worse (a closed post office, no bench);
- ``RateBucket``: the counters that limit anonymous reports per address and per network.

Special-category data (GDPR art. 9): a screening's answers and scores, what a neighbour noticed about someone,
the notes of a case and of its contact attempts all say something about a person's health.  Declared in
``privacy.py``; read only through ``selectors.py``, which checks the rule and writes the access log.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organisations.models import Organisation
from apps.people.models import Consent, Person
from apps.places.models import District


class Screening(models.Model):
    """One answered screening instrument (De Jong Gierveld 11 or 6, UCLA 3), scored by ``domain.instruments``.

    The instrument's key, version and answer format (3 or 5 points) are stored with the answers, so a result
    can be scored again and compared over time even after the project adds a version.  The scores are stored
    too (not only computed on reading): the district view counts categories without reading any answer.
    Always taken with the person's consent for the wellbeing purpose, recorded first (``consent``).
    Anonymised by retention (``anonymised_at``): the person and the answers go, the category, district and
    date stay for the statistics.
    """

    class Mode(models.TextChoices):
        VISIT = "visit", _("During a visit")
        PHONE = "phone", _("By phone")
        ONLINE = "online", _("Online, by the resident")

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="wellbeing_screenings",
        verbose_name=_("person"),
    )  # fmt: skip
    instrument = models.CharField(_("instrument"), max_length=20)  # domain.instruments key: djg11, djg6, ucla3
    instrument_version = models.CharField(_("instrument version"), max_length=20)
    answer_format = models.CharField(_("answer format"), max_length=5)  # "3" or "5" points
    language = models.CharField(_("language asked in"), max_length=5, blank=True)
    # special-category (art. 9): the answers, keyed by item number, as domain.instruments reads them
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    total = models.SmallIntegerField(_("total score"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=30, blank=True)
    emotional = models.SmallIntegerField(_("emotional loneliness score"), null=True, blank=True)
    emotional_category = models.CharField(_("emotional loneliness category"), max_length=30, blank=True)
    social = models.SmallIntegerField(_("social loneliness score"), null=True, blank=True)
    social_category = models.CharField(_("social loneliness category"), max_length=30, blank=True)
    missing = models.JSONField(_("items not answered"), default=list, blank=True)
    mode = models.CharField(_("how it was taken"), max_length=10, choices=Mode.choices)
    taken_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("taken by")
    )  # None when the resident filled it in online themselves
    # required when taken (the service refuses a screening without it); emptied with the person by retention
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("consent for the wellbeing purpose"),
    )  # fmt: skip
    # where the person lived then: the district view counts by it, also after anonymisation
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    case = models.ForeignKey(
        "OutreachCase", null=True, blank=True, on_delete=models.SET_NULL, related_name="screenings",
        verbose_name=_("outreach case"),
    )  # fmt: skip
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now, db_index=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        ordering = ["-taken_at"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        indexes = [models.Index(fields=["person", "-taken_at"]), models.Index(fields=["district", "taken_at"])]

    def __str__(self) -> str:
        return f"screening {self.pk}"  # never a score: the admin's history and delete pages show this


class WorryReport(models.Model):
    """ "I am worried about a neighbour": what a neighbour, a shopkeeper or a postman noticed, sent without an
    account (item 3).

    Nothing happens automatically on a report alone: it waits on the worklist of the coordinators of its
    district until one reads it and picks it up or opens an outreach case.  The reporter is never shown
    anything about the person; if they left a phone number or an email address they get exactly one message,
    "your report was picked up" (``reporter_told_at`` is set under a lock, so a second pick-up sends nothing).
    Who is meant may be an address (located by the address finder, which also gives the district) or only a
    description (then the reporter chose the district).  Anonymised by retention: the texts, the address and the
    reporter's contact go, the district, the signs ticked, the status and the dates stay.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        PICKED_UP = "picked_up", _("Picked up")
        CASE_OPENED = "case_opened", _("Outreach case opened")

    class Sign(models.TextChoices):
        NOT_SEEN = "not_seen", _("I have not seen them for a while")
        MAIL = "mail", _("Post or newspapers pile up")
        CURTAINS = "curtains", _("Curtains or shutters stay closed")
        NO_VISITORS = "no_visitors", _("Nobody seems to visit them")
        SAID_LONELY = "said_lonely", _("They told me they feel alone")
        NEGLECT = "neglect", _("They or their home look neglected")
        CONFUSED = "confused", _("They seem confused or unwell")

    # who is meant (special-category together with what was noticed: it says that someone may be isolated)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=10, blank=True)
    # no coordinates: the district is found once, when the report is sent, and nothing needs the point after that
    description = models.TextField(_("who (in the reporter's words)"), blank=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    district_chosen = models.BooleanField(_("district chosen by the reporter"), default=False)
    # what they noticed
    signs = models.JSONField(_("signs noticed"), default=list, blank=True)
    noticed = models.TextField(_("what they noticed"), blank=True)
    # how to reach the reporter, if they wish (never shown anything back)
    reporter_name = models.CharField(_("reporter's name"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True)
    reporter_email = models.EmailField(_("reporter's email"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="nl")
    # what happened to it
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    picked_up_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("picked up by")
    )
    picked_up_at = models.DateTimeField(_("picked up at"), null=True, blank=True)
    reporter_told_at = models.DateTimeField(_("reporter told at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report of a worried neighbour")
        verbose_name_plural = _("reports of worried neighbours")
        indexes = [models.Index(fields=["district", "status"])]

    def __str__(self) -> str:
        return f"report {self.pk}"  # never the address or the text

    @property
    def has_contact(self) -> bool:
        return bool(self.reporter_phone or self.reporter_email)

    @property
    def address(self) -> str:
        return " ".join(part for part in (self.street, self.house_number) if part)


class OutreachCase(models.Model):
    """A coordinator reaching one person who may be lonely (item 4), opened from a report, a screening or the
    coordinator's own observation.

    The person may be unknown at first (a report about "the lady at number 12"): ``person`` is set once known.
    Seen only by the assigned coordinator, the coordinators of its team (``organisation``, the scope care uses
    for coordinators who follow people for an organisation) and of its district, and their team lead; every read
    in the access log.  Anything further than a first contact needs the person's consent for the wellbeing
    purpose (``consent``).  Closed with an outcome; anonymised by retention after the configured period
    (``anonymised_at``): the person, notes and links go, the district, origin, outcome and dates stay.
    """

    class Origin(models.TextChoices):
        REPORT = "report", _("A neighbour's report")
        SCREENING = "screening", _("A screening")
        OBSERVATION = "observation", _("The coordinator's own observation")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_CONTACT = "in_contact", _("In contact")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        REACHED_HELPED = "reached_helped", _("Reached and helped")
        REACHED_DECLINED = "reached_declined", _("Reached, declined help")
        NOT_REACHED = "not_reached", _("Not reached after several tries")
        MOVED = "moved", _("Moved")
        DECEASED = "deceased", _("Deceased")

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="outreach_cases",
        verbose_name=_("person"),
    )  # fmt: skip
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("team")
    )
    assigned_to = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("coordinator")
    )
    origin = models.CharField(_("opened from"), max_length=12, choices=Origin.choices)
    report = models.ForeignKey(
        WorryReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases", verbose_name=_("report")
    )
    screening = models.ForeignKey(
        Screening, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("screening")
    )
    # special-category (art. 9): what the coordinator observed and noted about the person
    notes = models.TextField(_("notes"), blank=True)
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("consent for the wellbeing purpose"),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("opened by")
    )
    created_at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)
    closed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("closed by")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outreach case")
        verbose_name_plural = _("outreach cases")
        indexes = [
            models.Index(fields=["district", "status"]),
            models.Index(fields=["assigned_to", "status", "follow_up_on"]),
        ]
        constraints = [
            # a closed case has an outcome and a closing time; an open one has neither
            models.CheckConstraint(
                condition=(Q(status="closed") & ~Q(outcome="") & Q(closed_at__isnull=False))
                | (~Q(status="closed") & Q(outcome="") & Q(closed_at__isnull=True)),
                name="wellbeing_case_closed_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.pk}"


class ContactAttempt(models.Model):
    """One try to reach the person of a case: who, when, how, and what came of it (a short note)."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        DOOR = "door", _("At the door")
        LETTER = "letter", _("Letter")
        NEIGHBOUR = "neighbour", _("Through a neighbour")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NO_ANSWER = "no_answer", _("No answer")
        MESSAGE_LEFT = "message_left", _("Message or letter left")
        REFUSED = "refused", _("Did not want to talk")
        WRONG_ADDRESS = "wrong_address", _("Wrong address or number")

    case = models.ForeignKey(OutreachCase, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("case"))
    by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)  # special-category (art. 9)

    class Meta:
        ordering = ["case", "at", "pk"]
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")

    def __str__(self) -> str:
        return f"attempt {self.pk}"


class CaseOffer(models.Model):
    """What was offered to the person of a case: a care request, a referral to a service, later a buddy or an
    activity (``description`` until those capabilities exist), and whether they took it up."""

    class Kind(models.TextChoices):
        CARE_REQUEST = "care_request", _("A request for help from a neighbour")
        REFERRAL = "referral", _("A referral to a service")
        BUDDY = "buddy", _("A buddy")
        ACTIVITY = "activity", _("An activity")

    class Answer(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    case = models.ForeignKey(OutreachCase, on_delete=models.CASCADE, related_name="offers", verbose_name=_("case"))
    kind = models.CharField(_("what"), max_length=15, choices=Kind.choices)
    care_request = models.ForeignKey(
        "care.CareRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("care request"),
    )  # fmt: skip
    referral = models.ForeignKey(
        "directory.Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("referral"),
    )  # fmt: skip
    description = models.CharField(_("description"), max_length=200, blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, default=Answer.OFFERED)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("offered by")
    )
    created_at = models.DateTimeField(_("offered at"), default=timezone.now)

    class Meta:
        ordering = ["case", "created_at", "pk"]
        verbose_name = _("offer of a case")
        verbose_name_plural = _("offers of a case")

    def __str__(self) -> str:
        return f"offer {self.pk}"


class Signal(models.Model):
    """Something in a place that makes isolation worse (item 5): a closed shop or post office, no bench, a bus
    stop removed, a dark street, no lift, a broken pavement.

    About a place, never about a person: the public page of a district lists the category, the place and the
    status, never the reporter (``reporter`` is kept for the staff who triage, and emptied at erasure).  The
    category is a code of the setting ``WELLBEING_SIGNAL_CATEGORIES``; the photo is stored after its size and
    type were checked and its metadata stripped (``photo`` is its path in the media storage).
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        FORWARDED = "forwarded", _("Forwarded to a department")
        SOLVED = "solved", _("Solved")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    category = models.CharField(_("category"), max_length=40)
    description = models.TextField(_("description"), blank=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address or place"), max_length=200, blank=True)
    photo = models.CharField(_("photo"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.NEW)
    forwarded_to = models.CharField(_("forwarded to"), max_length=200, blank=True)
    reporter = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("reported by")
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)
    triaged_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("triaged by")
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        indexes = [models.Index(fields=["district", "status"])]

    def __str__(self) -> str:
        return f"signal {self.pk}"


class RateBucket(models.Model):
    """How many anonymous reports one key sent in one window: a keyed hash of the address reported, or of the
    sender's network (``apps.access.services.client_network``), never the address or the IP itself.

    Counted with one conditional ``UPDATE … SET count = count + 1 WHERE count < limit`` in the report's own
    transaction (``services.rate_take``): twenty posts at the same moment cannot pass a limit, and a report
    refused for any other reason takes nothing.  Rows of past windows are deleted by the retention task.
    """

    scope = models.CharField(_("what is counted"), max_length=20)
    key = models.CharField(_("key (hashed)"), max_length=64)
    window_start = models.DateTimeField(_("window starts"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [models.UniqueConstraint(fields=["scope", "key", "window_start"], name="wellbeing_rate_once")]

    def __str__(self) -> str:
        return f"{self.scope} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
