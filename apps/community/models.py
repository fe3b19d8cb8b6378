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
