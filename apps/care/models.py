"""Care matching (PRODUCT capability 3): requests for a hand, helpers' offers, matching rounds and matches.

A request belongs to a resident (a ``Person``, with or without an account).  A helper is a person with
a ``HelperOffer``.  The engine in ``domain/matching`` decides who may serve whom; this app keeps the
people, the times and the history, and builds the engine's problem from them (``problem.py``).

Special-category data (GDPR art. 9): a request's category and description tell something about a
person's health or dependency.  They are read only through ``selectors.py``, which checks the rule and
writes the access log.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.people.models import Person
from apps.places.models import District, OpeningHours


class CareCategory(models.Model):
    """What a request is about, managed by administrators in three languages.

    A *professional* category (nursing, personal hygiene, medication…) is never offered to volunteers:
    the policy's line is that volunteers support, they never take over the tasks of professionals.
    Requests in such a category become a referral to a service.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_fr = models.CharField(_("name (French)"), max_length=80)
    description_nl = models.CharField(_("description (Dutch)"), max_length=200, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=200, blank=True)
    description_fr = models.CharField(_("description (French)"), max_length=200, blank=True)
    professional = models.BooleanField(
        _("professional care"), default=False, help_text=_("Never offered to volunteers; becomes a referral.")
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("care category")
        verbose_name_plural = _("care categories")

    def __str__(self) -> str:
        return self.name

    def _localised(self, field: str) -> str:
        language = (get_language() or "nl")[:2]
        value: str = getattr(self, f"{field}_{language}", "") or getattr(self, f"{field}_nl")
        return value

    @property
    def name(self) -> str:
        return self._localised("name")

    @property
    def description(self) -> str:
        return self._localised("description")


class Urgency(models.IntegerChoices):
    """The engine's priority 1..5, in words a resident understands."""

    CAN_WAIT = 1, _("Can wait")
    WITHIN_WEEKS = 2, _("Within a few weeks")
    NORMAL = 3, _("Normal")
    SOON = 4, _("Soon")
    URGENT = 5, _("Urgent")


class HelperOffer(models.Model):
    """What a helper offers: categories, weekly availability, how far they travel, how much a week."""

    class Kind(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer")
        NEIGHBOUR = "neighbour", _("Neighbour")
        STUDENT = "student", _("Student")
        NEWCOMER = "newcomer", _("Newcomer")

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="helper_offer")
    kind = models.CharField(_("I help as"), max_length=12, choices=Kind.choices, default=Kind.NEIGHBOUR)
    categories = models.ManyToManyField(CareCategory, related_name="offers", verbose_name=_("I can help with"))
    max_distance_km = models.DecimalField(_("how far I travel (km)"), max_digits=4, decimal_places=1, default=2)
    requests_per_week = models.PositiveSmallIntegerField(_("requests a week, at most"), default=1)
    languages = models.JSONField(_("languages I speak"), default=list)
    active = models.BooleanField(_("available for requests"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # since when a coordinator knows this helper: their "I can help" then shows the details at once
    # (``selectors.helper_is_new``; set when a coordinator confirms a take, or for an established helper)
    known_since = models.DateTimeField(_("known to a coordinator since"), null=True, blank=True)

    class Meta:
        verbose_name = _("helper offer")
        verbose_name_plural = _("helper offers")

    def __str__(self) -> str:
        return f"{self.person.first_name} ({self.get_kind_display()})"

    @property
    def engine_id(self) -> str:
        """The helper's id in the engine's problem."""
        return f"h{self.pk}"


class WeeklyAvailability(models.Model):
    """A recurring free slot: every <weekday> from <start> to <end>."""

    Weekday = OpeningHours.Weekday  # the same days as a place's opening hours

    offer = models.ForeignKey(HelperOffer, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="availability_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class AvailabilityException(models.Model):
    """Days the helper is away (holidays, exams): no requests then, whatever the weekly slots say."""

    offer = models.ForeignKey(HelperOffer, on_delete=models.CASCADE, related_name="exceptions")
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until and including"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["first_day"]
        verbose_name = _("time away")
        verbose_name_plural = _("times away")
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="exception_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.first_day} – {self.last_day}"


class Vetting(models.Model):
    """A check of a helper recorded by a coordinator, such as the Belgian certificate of good conduct."""

    class Kind(models.TextChoices):
        GOOD_CONDUCT = "good_conduct", _("Certificate of good conduct (model 2)")
        INTERVIEW = "interview", _("Intake interview")

    offer = models.ForeignKey(HelperOffer, on_delete=models.CASCADE, related_name="vettings")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GOOD_CONDUCT)
    checked_on = models.DateField(_("checked on"))
    expires_on = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-expires_on"]
        verbose_name = _("vetting")
        verbose_name_plural = _("vettings")
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gt=models.F("checked_on")), name="vetting_expires_after")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.checked_on} – {self.expires_on}"


class CareRequest(models.Model):
    """A resident's request for a hand, asked online or taken by phone by a coordinator."""

    class Status(models.TextChoices):
        OPEN = "open", _("Looking for a helper")
        MATCHED = "matched", _("Helper found")
        DONE = "done", _("Done")
        REFERRED = "referred", _("Referred to a professional service")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online, by the person")
        PHONE = "phone", _("By phone, through a coordinator")

    class Recurrence(models.TextChoices):
        NONE = "none", _("Once")
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="care_requests")
    category = models.ForeignKey(CareCategory, on_delete=models.PROTECT, related_name="requests")
    description = models.TextField(_("what is needed"), blank=True)
    # where: the address located in a district (the engine's lat/lon)
    street = models.CharField(_("street"), max_length=200)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    # what helpers see before they accept: a position drawn once, moved from the house and coarse
    # (domain/geo/shown.py; set from apps.care.position whenever lat/lon are set)
    shown_lat = models.FloatField(_("latitude shown to helpers"))
    shown_lon = models.FloatField(_("longitude shown to helpers"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="care_requests")
    # when
    duration_minutes = models.PositiveSmallIntegerField(_("how long (minutes)"), default=60)
    recurrence = models.CharField(_("how often"), max_length=12, choices=Recurrence.choices, default=Recurrence.NONE)
    repeat_until = models.DateField(_("repeat until"), null=True, blank=True)
    # who may help
    languages = models.JSONField(_("languages"), default=list, blank=True)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    requires_vetted = models.BooleanField(_("needs a vetted helper"), default=False)
    preferred_helpers = models.ManyToManyField(HelperOffer, blank=True, related_name="preferred_for")
    excluded_helpers = models.ManyToManyField(HelperOffer, blank=True, related_name="excluded_from")
    # state
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    channel = models.CharField(_("asked"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("asked on"), default=timezone.now, db_index=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    # how many helpers with a free place fit, as the engine last counted (None: not counted yet)
    eligible_helpers = models.PositiveIntegerField(_("helpers who fit"), null=True, blank=True)
    eligibility_checked_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # why, by whom and when it was withdrawn (the person, or their coordinator on their behalf)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    cancelled_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("cancelled by")
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("care request")
        verbose_name_plural = _("care requests")
        indexes = [
            models.Index(fields=["status", "district"]),
            models.Index(fields=["person", "status"]),
            # a helper's "near me": the open requests of their categories, not every request ever made in them
            models.Index(fields=["status", "category"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(urgency__gte=1, urgency__lte=5), name="request_urgency_1_to_5"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="request_duration_positive"),
        ]

    def __str__(self) -> str:
        # never the category (special-category data): this is what the admin's history and delete pages show
        return f"#{self.pk}"

    @property
    def engine_id(self) -> str:
        """The request's id in the engine's problem."""
        return f"r{self.pk}"


class RequestWindow(models.Model):
    """When the help can take place: one window per occurrence ([start, end), local time of the city)."""

    request = models.ForeignKey(CareRequest, on_delete=models.CASCADE, related_name="windows")
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("time window")
        verbose_name_plural = _("time windows")
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="window_end_after_start")]

    def __str__(self) -> str:
        return f"{self.start} – {self.end}"


class Referral(models.Model):
    """A request in a professional category, handed to a professional service instead of a volunteer.

    The service directory completes it (which service, its answer); here it is recorded and visible to
    the coordinator.
    """

    class Status(models.TextChoices):
        TO_REFER = "to_refer", _("To refer")
        REFERRED = "referred", _("Referred")
        CLOSED = "closed", _("Closed")

    request = models.OneToOneField(CareRequest, on_delete=models.CASCADE, related_name="referral")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.TO_REFER)
    service_name = models.CharField(_("service"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"referral of #{self.request_id}"


class MatchingRound(models.Model):
    """The engine run over all open requests of a district or the whole city, as a background task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    horizon_start = models.DateTimeField(_("from"), null=True)
    horizon_end = models.DateTimeField(_("until"), null=True)
    requests_count = models.PositiveIntegerField(_("open requests"), default=0)
    helpers_count = models.PositiveIntegerField(_("helpers"), default=0)
    total_score = models.FloatField(_("total score"), default=0)
    optimal = models.BooleanField(_("proven optimal"), default=False)
    seconds = models.FloatField(_("seconds"), default=0)
    problem = models.JSONField(
        _("problem"), null=True, blank=True, help_text=_("The engine's input, as the spec's JSON.")
    )
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("matching round")
        verbose_name_plural = _("matching rounds")

    def __str__(self) -> str:
        return f"round {self.pk}"


class RoundProposal(models.Model):
    """A pair the engine proposes in a round; the coordinator confirms it (then it becomes a match)."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="proposals")
    request = models.ForeignKey(CareRequest, on_delete=models.CASCADE, related_name="+")
    helper = models.ForeignKey(HelperOffer, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    distance_km = models.FloatField(_("distance (km)"))
    match = models.OneToOneField("Match", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [models.UniqueConstraint(fields=["round", "request"], name="one_proposal_per_request_per_round")]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.helper_id}"


class Match(models.Model):
    """A helper and a request, through the lifecycle proposed → accepted → planned → done.

    Never twice: a request has at most one match that is accepted or planned at a time (a partial
    unique index, so the database itself refuses a second one, whatever the application does).  A
    recurring request has one done match per visit, each with its hours and feedback.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    HOLDING = (Status.ACCEPTED, Status.PLANNED)
    """States in which a helper holds the request: only one match per request may be in one of them."""

    request = models.ForeignKey(CareRequest, on_delete=models.CASCADE, related_name="matches")
    helper = models.ForeignKey(HelperOffer, on_delete=models.CASCADE, related_name="matches")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    score = models.FloatField(_("score"), null=True, blank=True)
    distance_km = models.FloatField(_("distance (km)"), null=True, blank=True)
    proposed_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    planned_start = models.DateTimeField(_("date and time"), null=True, blank=True)
    planned_end = models.DateTimeField(_("until"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True)
    helper_feedback = models.CharField(_("helper's feedback"), max_length=500, blank=True)
    resident_feedback = models.CharField(_("resident's feedback"), max_length=500, blank=True)
    helper_continues = models.BooleanField(_("helper would come again"), null=True, blank=True)
    resident_continues = models.BooleanField(_("resident would like the same helper again"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # a new helper's "I can help" holds the request, but shows the helper nobody's details until a
    # coordinator has confirmed it (``services.match_check``; the rule ``care.view_request``)
    awaiting_check = models.BooleanField(_("waiting for a coordinator's check"), default=False)
    checked_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("checked by")
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        indexes = [
            models.Index(fields=["helper", "status"]),
            models.Index(fields=["status", "planned_start"]),
            # the worklist's "to check" section: the few takes waiting for a coordinator
            models.Index(fields=["created_at"], condition=Q(awaiting_check=True), name="match_awaiting_check"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=["accepted", "planned"]),
                name="one_holding_match_per_request",
            ),
            models.UniqueConstraint(
                fields=["request", "helper"], condition=Q(status="proposed"), name="one_open_proposal_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"match {self.pk} ({self.status})"


class MatchEvent(models.Model):
    """Every transition of a match: from which state to which, by whom, when, and why."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("match event")
        verbose_name_plural = _("match events")
        # the auditor's activity view counts takes and cancellations per day (apps/care/activity.py)
        indexes = [models.Index(fields=["at"], name="care_matchevent_at")]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class Message(models.Model):
    """An in-app message to a person (the notification that always works, whatever else they consent to)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="messages")
    text = models.CharField(_("message"), max_length=500)
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.text[:40]
