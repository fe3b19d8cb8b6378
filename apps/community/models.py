"""Community life (issue 18): neighbourhood initiatives the city facilitates.

An ``Initiative`` is started by a resident for a group of residents, an association, a school or a shop.  It is a
draft until its starter signs the inclusion commitment and sends it in; the coordinators of its district or city
staff then publish it or return it with a reason (``status``; every step in ``InitiativeStep``).  Published, it
has a public page and is listed per district; residents follow it (``Follow``) or join it as a helper by taking
part of what it needs (``Need``, ``Pledge``: "who brings what").  Nobody's contact details are shown to anyone
but the starter and the reviewers: the public page never shows the contact, the helpers' names are shown to the
starter as first name and initial only.

Themes (``Theme``) are named by administrators in the three languages.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.people.models import Person
from apps.places.models import District, Place


class Theme(models.Model):
    """A theme the city uses for initiatives (sport, culture, food, nature, ...), in three languages."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name_nl = models.CharField(_("name in Dutch"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80)
    name_fr = models.CharField(_("name in French"), max_length=80)
    active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the page's language (Dutch when the language has none)."""
        language = (get_language() or "nl")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name_nl)


class Initiative(models.Model):
    """A neighbourhood initiative: what, for whom, where, when, in which languages, how accessible."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Sent to the city")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned with a question")
        ENDED = "ended", _("Ended")

    class Organiser(models.TextChoices):
        RESIDENTS = "residents", _("A group of residents")
        ASSOCIATION = "association", _("An association")
        SCHOOL = "school", _("A school")
        SHOP = "shop", _("A shop or business")
        OTHER = "other", _("Someone else")

    class Rhythm(models.TextChoices):
        ONE_OFF = "one_off", _("Once")
        RECURRING = "recurring", _("Regularly")
        ONGOING = "ongoing", _("Ongoing, at any time")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        CHILDREN = "children", _("Children")
        YOUNG_PEOPLE = "young_people", _("Young people")
        FAMILIES = "families", _("Families")
        ADULTS = "adults", _("Adults")
        OLDER_RESIDENTS = "older_residents", _("Older residents")
        NEWCOMERS = "newcomers", _("Newcomers")
        DISABILITY = "disability", _("People with a disability")

    title = models.CharField(_("name of the initiative"), max_length=120)
    summary = models.TextField(_("what you do"), max_length=2000)
    organiser = models.CharField(_("who runs it"), max_length=20, choices=Organiser.choices)
    organiser_name = models.CharField(_("name of the group"), max_length=120, blank=True)
    audience = models.JSONField(_("for whom"), default=list)  # Audience codes, at least one
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="initiatives",
        verbose_name=_("district"),
    )  # a draft may not have one yet (the starter's own district is filled in when they have one)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiatives", verbose_name=_("place")
    )
    street = models.CharField(_("street"), max_length=120, blank=True)
    rhythm = models.CharField(_("how often"), max_length=20, choices=Rhythm.choices, default=Rhythm.RECURRING)
    when_text = models.CharField(_("when"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    accessibility_note = models.CharField(_("accessibility"), max_length=300, blank=True)
    costs_note = models.CharField(_("costs"), max_length=200, blank=True)
    intergenerational = models.BooleanField(_("intergenerational"), default=False)
    intercultural = models.BooleanField(_("intercultural"), default=False)
    themes = models.ManyToManyField(Theme, blank=True, related_name="initiatives", verbose_name=_("themes"))
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("email address"), blank=True)
    contact_phone = models.CharField(_("phone number"), max_length=30, blank=True)
    starter = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="initiatives_started", verbose_name=_("started by")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    commitment_version = models.CharField(_("inclusion commitment signed"), max_length=20, blank=True)
    commitment_signed_at = models.DateTimeField(_("commitment signed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    changed_after_publication = models.BooleanField(_("changed since it was published"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes = [models.Index(fields=["status", "district"]), models.Index(fields=["starter", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="community_initiative_ends_after_it_starts",
            ),
            # what is published or sent in carries a signed commitment and a district
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(commitment_signed_at__isnull=False) & Q(district__isnull=False)),
                name="community_initiative_sent_with_commitment",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.ENDED)


class InitiativeStep(models.Model):
    """One step of an initiative's way: created, sent, published, returned (with the reason), changed, ended."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Started")
        SUBMITTED = "submitted", _("Sent to the city")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned with a question")
        CHANGED = "changed", _("Changed after publication")
        ENDED = "ended", _("Ended")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("step of an initiative")
        verbose_name_plural = _("steps of initiatives")

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


class Follow(models.Model):
    """A resident follows an initiative (to hear about its events); the starter sees only how many follow."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="follows")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="initiatives_followed")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follower of an initiative")
        verbose_name_plural = _("followers of initiatives")
        constraints = [models.UniqueConstraint(fields=["initiative", "person"], name="community_follow_once")]

    def __str__(self) -> str:
        return f"follow {self.pk}"


class Need(models.Model):
    """Something the initiative needs helpers to bring or do ("3 tables", "someone to make soup")."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="needs")
    what = models.CharField(_("what is needed"), max_length=100)
    wanted = models.PositiveSmallIntegerField(
        _("how many"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("need of an initiative")
        verbose_name_plural = _("needs of initiatives")

    def __str__(self) -> str:
        return self.what


class Pledge(models.Model):
    """A resident brings or does one of the things an initiative needs."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="pledges")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pledges")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("helper of an initiative")
        verbose_name_plural = _("helpers of initiatives")
        constraints = [models.UniqueConstraint(fields=["need", "person"], name="community_pledge_once")]

    def __str__(self) -> str:
        return f"pledge {self.pk}"


class Event(models.Model):
    """Something that happens at a time (issue 18, item 3): of an initiative, or of the city in a district.

    The time is kept as the city's local time (``starts_on`` + ``start_time`` in ``Europe/Brussels``), never as a
    UTC instant, so a weekly Tuesday 14:00 stays 14:00 across the changes to and from summer time; a repeating
    event is one row with ``repeat`` and ``repeat_until``, and the dates it does not happen in
    ``cancelled_dates``.  ``sequence`` is raised on every change that matters to a calendar (RFC 5545 SEQUENCE),
    ``uid`` never changes, so a subscribed calendar updates the event instead of adding a second one.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")

    class Repeat(models.TextChoices):
        NONE = "none", _("Once")
        WEEKLY = "weekly", _("Every week")

    uid = models.CharField(_("calendar identifier"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.CASCADE, related_name="events",
        verbose_name=_("initiative"),
    )  # fmt: skip
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="events", verbose_name=_("district"))
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="events", verbose_name=_("place")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    starts_on = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"), validators=[MinValueValidator(15), MaxValueValidator(24 * 60)]
    )
    repeat = models.CharField(_("repeats"), max_length=10, choices=Repeat.choices, default=Repeat.NONE)
    repeat_until = models.DateField(_("repeats until"), null=True, blank=True)
    cancelled_dates = models.JSONField(_("dates it does not happen"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    audience = models.JSONField(_("for whom"), default=list, blank=True)  # Initiative.Audience codes
    languages = models.JSONField(_("languages"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("places"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )  # empty: no registration needed
    sequence = models.PositiveIntegerField(_("version"), default=0)
    created_by = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["starts_on", "start_time", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["district", "starts_on"]), models.Index(fields=["status", "repeat_until"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(repeat="none") & Q(repeat_until__isnull=True))
                | (Q(repeat="weekly") & Q(repeat_until__isnull=False) & Q(repeat_until__gte=models.F("starts_on"))),
                name="community_event_repeats_until_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- registrations (item 3) ---------------------------------------------------------------------------------------


class Registration(models.Model):
    """A resident registers for one occurrence of an event that takes registrations (``Event.capacity``).

    Above the capacity a registration waits (``WAITING``, in the order of ``created_at``); when a place comes free
    the first one waiting is promoted (``promoted_at``) in the same transaction as the cancellation that freed it.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    occurs_on = models.DateField(_("date"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    promoted_at = models.DateTimeField(_("moved up from the waiting list at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["occurs_on", "created_at", "pk"]
        verbose_name = _("registration for an event")
        verbose_name_plural = _("registrations for events")
        indexes = [models.Index(fields=["event", "occurs_on", "status"]), models.Index(fields=["person", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "occurs_on", "person"], condition=~Q(status="cancelled"),
                name="community_registration_once",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"registration {self.pk}"


class PersonalFeed(models.Model):
    """The secret address of a person's own calendar feed (their registrations): a calendar program cannot sign
    in, so the address is the key; the person can replace it, which makes the old one answer 404."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="community_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("personal calendar feed")
        verbose_name_plural = _("personal calendar feeds")

    def __str__(self) -> str:
        return f"feed {self.pk}"


# --- support requests to the city (item 2) ----------------------------------------------------------------------


class SupportKind(models.TextChoices):
    MATERIALS = "materials", _("Materials on loan")
    PERMIT = "permit", _("A permit for the street or square")
    GRANT = "grant", _("A small grant")
    HELP = "help", _("Help with insurance, a room or publicity")


class NamedInThreeLanguages(models.Model):
    """A name an administrator gives in Dutch, English and French; ``name`` is the page's language (Dutch when
    the language has none)."""

    name_nl = models.CharField(_("name in Dutch"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    name_fr = models.CharField(_("name in French"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "nl")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name_nl)


class CityTeam(NamedInThreeLanguages):
    """A team of the city that answers support requests (the lending service, the events service, the grant
    team, the community workers); named by administrators in three languages, its members are city accounts."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    handles = models.JSONField(_("answers requests for"), default=list, blank=True)  # SupportKind codes
    members = models.ManyToManyField(Person, blank=True, related_name="community_teams", verbose_name=_("members"))

    class Meta:
        ordering = ["slug"]
        verbose_name = _("city team")
        verbose_name_plural = _("city teams")


class Material(NamedInThreeLanguages):
    """Something the city lends to initiatives (tables, benches, a tent, a sound system), with how many it has."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    quantity = models.PositiveSmallIntegerField(
        _("how many the city has"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    pick_up = models.CharField(_("where to pick it up"), max_length=200, blank=True)
    active = models.BooleanField(_("lent out"), default=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("material to lend")
        verbose_name_plural = _("materials to lend")


class GrantCall(models.Model):
    """A call for small grants (Ghent's "Wijk aan Zet": twice a year, a deadline, a ceiling per application, a
    district jury that scores and advises, the city that decides)."""

    title = models.CharField(_("title"), max_length=120)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="grant_calls",
        verbose_name=_("district"),
    )  # fmt: skip  # empty: every district
    opens_on = models.DateField(_("open from"))
    deadline = models.DateField(_("deadline"))  # the last day applications are taken, until midnight Ghent time
    ceiling_eur = models.PositiveIntegerField(_("at most (euro)"), validators=[MinValueValidator(1)])
    description = models.TextField(_("what it is for"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-deadline", "pk"]
        verbose_name = _("grant call")
        verbose_name_plural = _("grant calls")
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=models.F("opens_on")), name="community_call_deadline")
        ]

    def __str__(self) -> str:
        return self.title


class JuryMember(models.Model):
    """A member of a call's jury: a resident, someone of a local association, or an official."""

    class Seat(models.TextChoices):
        RESIDENT = "resident", _("Resident")
        ASSOCIATION = "association", _("Local association")
        OFFICIAL = "official", _("City official")

    call = models.ForeignKey(GrantCall, on_delete=models.CASCADE, related_name="jury")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="jury_seats")
    seat = models.CharField(_("seat"), max_length=20, choices=Seat.choices)

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        constraints = [models.UniqueConstraint(fields=["call", "person"], name="community_jury_once")]

    def __str__(self) -> str:
        return f"jury {self.pk}"


class SupportRequest(models.Model):
    """An initiative asks the city for support; one row per request, whatever its kind, with its own details in
    ``MaterialLine`` (materials), ``details`` (a permit; help) or ``call`` + ``amount_eur`` (a grant).

    ``answer_due`` is the date the applicant is promised a first answer (the service level of its kind);
    materials that wait or are granted count against the stock, so they can never be lent twice."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Received")
        IN_PROGRESS = "in_progress", _("Being handled")
        QUESTION = "question", _("Question to you")
        APPROVED = "approved", _("Granted")
        DECLINED = "declined", _("Not granted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="support_requests")
    kind = models.CharField(_("what is asked"), max_length=20, choices=SupportKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    team = models.ForeignKey(
        CityTeam, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests",
        verbose_name=_("responsible team"),
    )  # fmt: skip
    handler = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("handled by")
    )
    message = models.TextField(_("your question"), max_length=2000, blank=True)
    needed_from = models.DateField(_("from"), null=True, blank=True)
    needed_until = models.DateField(_("until"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    call = models.ForeignKey(
        GrantCall, null=True, blank=True, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("grant call"),
    )  # fmt: skip
    amount_eur = models.PositiveIntegerField(_("amount asked (euro)"), null=True, blank=True)
    granted_eur = models.PositiveIntegerField(_("amount granted (euro)"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="support_requests", verbose_name=_("sent by")
    )
    submitted_at = models.DateTimeField(_("sent at"), default=timezone.now)
    answer_due = models.DateField(_("answer by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["answer_due", "submitted_at", "pk"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        indexes = [models.Index(fields=["status", "answer_due"]), models.Index(fields=["call", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(needed_from__isnull=True) | Q(needed_until__gte=models.F("needed_from")),
                name="community_support_until_after_from",
            ),
            models.CheckConstraint(
                condition=~Q(kind="grant") | (Q(call__isnull=False) & Q(amount_eur__isnull=False)),
                name="community_support_grant_has_call",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.IN_PROGRESS, self.Status.QUESTION)


class MaterialLine(models.Model):
    """How many of one material a request borrows, from ``needed_from`` to ``needed_until`` of its request."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="lines")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="lines")
    quantity = models.PositiveSmallIntegerField(_("how many"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("material asked")
        verbose_name_plural = _("materials asked")
        constraints = [models.UniqueConstraint(fields=["request", "material"], name="community_line_once")]

    def __str__(self) -> str:
        return f"line {self.pk}"


class SupportStep(models.Model):
    """One step of a support request: sent, taken up, a question and its reply, a note, the answer."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Sent")
        TAKEN = "taken", _("Taken up")
        QUESTION = "question", _("Question")
        REPLY = "reply", _("Reply")
        NOTE = "note", _("Note of the city")
        APPROVED = "approved", _("Granted")
        DECLINED = "declined", _("Not granted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=2000, blank=True)
    internal = models.BooleanField(_("only for the city"), default=False)
    by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("step of a support request")
        verbose_name_plural = _("steps of support requests")

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


class JuryScore(models.Model):
    """A jury member's score of one application (four criteria of the grant rules, 0–5 each), or their recusal
    for a conflict of interest (then no score, and they do not see the others' scores)."""

    application = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="scores")
    recused = models.BooleanField(_("conflict of interest"), default=False)
    recusal_reason = models.CharField(_("why"), max_length=300, blank=True)
    neighbourhood = models.PositiveSmallIntegerField(_("brings the neighbourhood together"), null=True, blank=True)
    residents = models.PositiveSmallIntegerField(_("comes from residents"), null=True, blank=True)
    proportionate = models.PositiveSmallIntegerField(_("a fair amount for what it does"), null=True, blank=True)
    feasible = models.PositiveSmallIntegerField(_("can be done within a year"), null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    at = models.DateTimeField(default=timezone.now)

    CRITERIA = ("neighbourhood", "residents", "proportionate", "feasible")

    class Meta:
        verbose_name = _("jury score")
        verbose_name_plural = _("jury scores")
        constraints = [
            models.UniqueConstraint(fields=["application", "member"], name="community_score_once"),
            models.CheckConstraint(
                condition=Q(recused=True)
                | (Q(neighbourhood__lte=5) & Q(residents__lte=5) & Q(proportionate__lte=5) & Q(feasible__lte=5)),
                name="community_score_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"score {self.pk}"

    @property
    def total(self) -> int | None:
        if self.recused:
            return None
        return sum(int(getattr(self, name) or 0) for name in self.CRITERIA)


# --- the district's coordination view (item 4) ------------------------------------------------------------------


class FollowUp(models.Model):
    """A coordinator's note on an overlap or a gap of the coordination view ("talk to both organisers"): on their
    worklist until it is done.  ``finding`` is the finding's stable key (its kind and what it is about), so the note
    stays with the finding while the view is computed anew each time."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="community_follow_ups")
    finding = models.CharField(_("finding"), max_length=200)
    summary = models.CharField(_("about"), max_length=300)
    text = models.TextField(_("what to do"), max_length=1000)
    by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="community_follow_ups",
                           verbose_name=_("noted by"))  # fmt: skip
    created_at = models.DateTimeField(_("noted at"), default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("follow-up of the coordination view")
        verbose_name_plural = _("follow-ups of the coordination view")
        indexes = [models.Index(fields=["by", "done_at"]), models.Index(fields=["district", "finding"])]

    def __str__(self) -> str:
        return self.summary


class Occurrence(models.Model):
    """One date of an event, kept beside it so the lists (What's on, the API, the weekly programme, the district's
    coordination view) filter, order and page in the database, however many events and weekly series there are.

    Derived, never edited: ``occurrences.rebuild`` writes an event's rows anew whenever the event is saved (a signal
    on ``Event``, so every way of saving one keeps them right); a date left out or a cancelled event has none.  The
    event itself stays the source of truth, and of the calendar feeds (one VEVENT with its RRULE).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="occurrences")
    day = models.DateField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    public = models.BooleanField(default=False)  # its initiative is published (or it has none): in the lists
    audience = models.CharField(max_length=300, blank=True)  # "|children|older_residents|"; empty: for everyone

    class Meta:
        ordering = ["starts_at", "event_id"]
        verbose_name = _("date of an event")
        verbose_name_plural = _("dates of events")
        indexes = [
            # in the order the lists read them (by start, then event): a page is read off the index, not sorted
            # (``public`` is not in them: a boolean is compared bare, "WHERE public", which no index serves)
            models.Index(fields=["district", "starts_at", "event"]), models.Index(fields=["starts_at", "event"]),
            models.Index(fields=["place", "starts_at"]),
        ]  # fmt: skip
        constraints = [models.UniqueConstraint(fields=["event", "day"], name="community_occurrence_once")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.day}"
