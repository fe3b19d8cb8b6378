"""The service directory (PRODUCT capability 4) and closed-loop referrals.

The directory's tables follow Open Referral HSDS 3.0 (``docs/hsds.md``): the same table and field names,
UUID ids, and an ``extra`` JSON field on each table that keeps the HSDS fields the project does not use
itself, so that an imported document is exported again as it came.  The live tables hold only what city
staff published; an organisation's change waits as a :class:`Revision` (draft → under review → published
or returned) until it is reviewed, so the public directory never shows an unchecked text.

HSDS has no referral object: :class:`Referral` is the project's own, with its history in
:class:`ReferralEvent`.  What a referral says about the person's needs is special-category data (GDPR
art. 9), declared in ``privacy.py`` and read only through ``selectors.py``.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.organisations.models import Organisation
from apps.people.models import Consent, Person
from apps.places.models import District, Place


def _uuid_field() -> models.UUIDField:
    return models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)


def _extra_field() -> models.JSONField:
    return models.JSONField(
        _("other HSDS fields"), default=dict, blank=True, help_text=_("Kept as imported, exported as they came.")
    )


class Localised:
    """``name`` and ``description`` in the reader's language, falling back to Dutch."""

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


# ----------------------------------------------------------------------------------------------------------
# taxonomy (managed by administrators, in three languages)


class Taxonomy(models.Model):
    """A vocabulary of service types (HSDS ``taxonomy``): the city's own, or one that came with an import."""

    id = _uuid_field()
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    uri = models.URLField(_("URI"), max_length=500, blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)
    extra = _extra_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(Localised, models.Model):
    """A type of help ("home nursing", "meals at home"), in Dutch, English and French (HSDS ``taxonomy_term``).

    HSDS carries one ``name``: the export gives the Dutch one with ``language: "nl"``.
    """

    id = _uuid_field()
    taxonomy = models.ForeignKey(
        Taxonomy, null=True, blank=True, on_delete=models.PROTECT, related_name="terms", verbose_name=_("taxonomy")
    )
    code = models.CharField(_("code"), max_length=100, blank=True, db_index=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    term_uri = models.URLField(_("term URI"), max_length=500, blank=True)
    language = models.CharField(_("language of the HSDS name"), max_length=10, blank=True, default="nl")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("shown in the search"), default=True)
    extra = _extra_field()

    class Meta:
        ordering = ["order", "name_nl"]
        verbose_name = _("type of help")
        verbose_name_plural = _("types of help")

    def __str__(self) -> str:
        return self.name


# ----------------------------------------------------------------------------------------------------------
# what is published (only city staff's review writes these)


class Published(models.Model):
    """Who published the live record and when, and when it was last checked."""

    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("published by")
    )
    checked_at = models.DateTimeField(
        _("last checked"), null=True, blank=True, help_text=_("When the organisation or the city last confirmed it.")
    )
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    class Meta:
        abstract = True


class OrganisationRecord(Published):
    """The directory's side of an organisation (HSDS ``organization``); its name, description, email and
    website are those of :class:`apps.organisations.models.Organisation`."""

    id = _uuid_field()
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="directory_record", verbose_name=_("organisation")
    )
    alternate_name = models.CharField(_("other name"), max_length=200, blank=True)
    legal_status = models.CharField(_("legal status"), max_length=200, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    logo = models.URLField(_("logo"), max_length=500, blank=True)
    uri = models.URLField(_("URI"), max_length=500, blank=True)
    extra = _extra_field()

    class Meta:
        verbose_name = _("organisation in the directory")
        verbose_name_plural = _("organisations in the directory")

    def __str__(self) -> str:
        return str(self.organisation)


class Service(Published):
    """A service an organisation offers (HSDS ``service``).  ``assured_date`` is the date it was last checked."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        DEFUNCT = "defunct", _("Stopped")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")

    id = _uuid_field()
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("other name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("website"), max_length=500, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    interpretation_services = models.TextField(_("interpreting"), blank=True)
    application_process = models.TextField(_("how to apply"), blank=True)
    fees_description = models.TextField(_("costs"), blank=True)
    wait_time = models.CharField(_("waiting time"), max_length=200, blank=True)
    fees = models.TextField(_("fees (old field)"), blank=True)
    accreditations = models.TextField(_("accreditations"), blank=True)
    eligibility_description = models.TextField(_("who it is for"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    income_limited = models.BooleanField(
        _("only for people with a low income"), default=False,
        help_text=_("For example with an increased allowance (verhoogde tegemoetkoming) or a living wage."),
    )  # fmt: skip
    assured_date = models.DateField(_("last checked on"), null=True, blank=True)
    assurer_email = models.EmailField(_("checked by (email)"), blank=True)
    licenses = models.TextField(_("licences"), blank=True)
    alert = models.TextField(_("notice"), blank=True)
    last_modified = models.DateTimeField(_("last changed"), default=timezone.now)
    search_text = models.TextField(
        editable=False, blank=True, default="",
        help_text="Lower-case, accents removed: name, other name, description, organisation and types of help.",
    )  # fmt: skip
    extra = _extra_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.name


class Location(Published):
    """Where a service is offered (HSDS ``location``): a building, or a phone line or website (virtual)."""

    class Kind(models.TextChoices):
        PHYSICAL = "physical", _("A building")
        POSTAL = "postal", _("A postal address")
        VIRTUAL = "virtual", _("By phone or online")

    id = _uuid_field()
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="locations",
        verbose_name=_("organisation"),
    )  # fmt: skip
    location_type = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PHYSICAL)
    url = models.URLField(_("website"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    alternate_name = models.CharField(_("other name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    transportation = models.TextField(_("how to get there"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    external_identifier = models.CharField(_("external identifier"), max_length=200, blank=True)
    external_identifier_type = models.CharField(_("kind of external identifier"), max_length=200, blank=True)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.SET_NULL, related_name="service_locations",
        verbose_name=_("district"),
    )  # fmt: skip
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="service_locations",
        verbose_name=_("neighbourhood place"),
    )  # fmt: skip
    extra = _extra_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name or str(self.id)


class Address(models.Model):
    id = _uuid_field()
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(_("for the attention of"), max_length=200, blank=True)
    address_1 = models.CharField(_("street and number"), max_length=200)
    address_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    state_province = models.CharField(_("province"), max_length=100)
    postal_code = models.CharField(_("postcode"), max_length=20)
    country = models.CharField(_("country"), max_length=2, default="BE")
    address_type = models.CharField(_("kind"), max_length=10, choices=Location.Kind.choices, default="physical")
    extra = _extra_field()

    class Meta:
        ordering = ["address_type", "address_1"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return f"{self.address_1}, {self.postal_code} {self.city}"


class Accessibility(models.Model):
    id = _uuid_field()
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(_("accessibility"), blank=True)
    details = models.TextField(_("details"), blank=True)
    url = models.URLField(_("more information"), max_length=500, blank=True)
    extra = _extra_field()

    class Meta:
        verbose_name = _("accessibility")
        verbose_name_plural = _("accessibility")

    def __str__(self) -> str:
        return self.description[:60]


class ServiceAtLocation(models.Model):
    """Which service is offered where (HSDS ``service_at_location``)."""

    id = _uuid_field()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="service_at_locations")
    description = models.TextField(_("description"), blank=True)
    extra = _extra_field()

    class Meta:
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="directory_one_sal_per_pair")]

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class ServiceArea(models.Model):
    """Where the people a service is for live (HSDS ``service_area``); ``district`` when it is one of the city's."""

    id = _uuid_field()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    extent = models.TextField(_("extent"), blank=True)
    extent_type = models.CharField(_("kind of extent"), max_length=50, blank=True)
    uri = models.URLField(_("URI"), max_length=500, blank=True)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("district")
    )
    extra = _extra_field()

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return self.name


class Schedule(models.Model):
    """When a service or location is open (HSDS ``schedule``, RRULE-like).

    The project reads three kinds (``kind``): regular hours (``opens_at``/``closes_at`` on days ``byday``),
    a closure (a period ``valid_from``–``valid_to`` without hours, such as a holiday), and "by appointment"
    (no hours and no period).  An import classifies each schedule the same way.
    """

    class Kind(models.TextChoices):
        HOURS = "hours", _("Opening hours")
        CLOSED = "closed", _("Closed")
        APPOINTMENT = "appointment", _("By appointment")

    id = _uuid_field()
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.HOURS)
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("until"), null=True, blank=True)
    dtstart = models.DateField(_("first day"), null=True, blank=True)
    timezone = models.FloatField(_("UTC offset (hours)"), null=True, blank=True)
    until = models.DateField(_("last day"), null=True, blank=True)
    count = models.PositiveIntegerField(_("number of times"), null=True, blank=True)
    wkst = models.CharField(_("week starts"), max_length=2, blank=True)
    freq = models.CharField(_("frequency"), max_length=10, blank=True)
    interval = models.PositiveSmallIntegerField(_("every"), null=True, blank=True)
    byday = models.CharField(_("days"), max_length=100, blank=True)
    byweekno = models.CharField(_("weeks"), max_length=100, blank=True)
    bymonthday = models.CharField(_("days of the month"), max_length=100, blank=True)
    byyearday = models.CharField(_("days of the year"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.TimeField(_("opens"), null=True, blank=True)
    closes_at = models.TimeField(_("closes"), null=True, blank=True)
    schedule_link = models.URLField(_("link"), max_length=500, blank=True)
    attending_type = models.CharField(_("how to attend"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    extra = _extra_field()

    class Meta:
        ordering = ["kind", "byday", "opens_at"]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        return f"{self.kind} {self.byday} {self.opens_at}-{self.closes_at}"


class Contact(models.Model):
    id = _uuid_field()
    organisation = models.ForeignKey(
        OrganisationRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    extra = _extra_field()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name or self.email


class Phone(models.Model):
    id = _uuid_field()
    organisation = models.ForeignKey(
        OrganisationRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(_("number"), max_length=50)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(_("kind"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)
    extra = _extra_field()

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")

    def __str__(self) -> str:
        return self.number


class Language(models.Model):
    """A language a service, location or phone line is offered in (ISO 639 ``code``)."""

    id = _uuid_field()
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="languages")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="languages")
    phone = models.ForeignKey(Phone, null=True, blank=True, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(_("name"), max_length=100, blank=True)
    code = models.CharField(_("code"), max_length=10, blank=True, db_index=True)
    note = models.TextField(_("note"), blank=True)
    extra = _extra_field()

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.code or self.name


class CostOption(models.Model):
    id = _uuid_field()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("until"), null=True, blank=True)
    option = models.CharField(_("what"), max_length=200, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="EUR")
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2, null=True, blank=True)
    amount_description = models.TextField(_("about the amount"), blank=True)
    extra = _extra_field()

    class Meta:
        verbose_name = _("cost")
        verbose_name_plural = _("costs")

    def __str__(self) -> str:
        return self.option or str(self.amount)


class RequiredDocument(models.Model):
    id = _uuid_field()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="required_documents")
    document = models.TextField(_("document to bring"))
    uri = models.URLField(_("link"), max_length=500, blank=True)
    extra = _extra_field()

    class Meta:
        verbose_name = _("document to bring")
        verbose_name_plural = _("documents to bring")

    def __str__(self) -> str:
        return self.document[:60]


class Attribute(models.Model):
    """A type of help given to a service, location or organisation (HSDS ``attribute``)."""

    id = _uuid_field()
    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.PROTECT, related_name="attributes")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes")
    organisation = models.ForeignKey(
        OrganisationRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes"
    )
    link_type = models.CharField(_("link type"), max_length=100, blank=True)
    value = models.CharField(_("value"), max_length=500, blank=True)
    extra = _extra_field()

    class Meta:
        verbose_name = _("type of help given")
        verbose_name_plural = _("types of help given")
        indexes = [models.Index(fields=["taxonomy_term", "service"])]

    def __str__(self) -> str:
        return str(self.taxonomy_term_id)


class SearchState(models.Model):
    """One row whose token the database replaces on every write to a table "Find help" reads.

    Triggers set it (migration ``0002_search_state``), so no way of writing can forget it; the search keeps its
    index in memory for as long as the token is the same (``search_index.py``).
    """

    CHANGES_ON_EVERY_WRITE = True
    """Its row is new after any write to those tables (a copy of the database compares its key, not its token)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=40)

    class Meta:
        verbose_name = "search state"

    def __str__(self) -> str:
        return self.token


# ----------------------------------------------------------------------------------------------------------
# changes waiting for review


class Revision(models.Model):
    """An organisation's proposed record (an HSDS document), reviewed by city staff before it is public.

    ``target`` is the id the published record has or will have.  Publishing applies the document through
    the same code as an HSDS import (``hsds.apply_*``), so what was reviewed is exactly what is published.
    """

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("Organisation")
        SERVICE = "service", _("Service")
        LOCATION = "location", _("Location")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        UNDER_REVIEW = "under_review", _("Under review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned with a remark")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    target = models.UUIDField(_("record"), default=uuid.uuid4, db_index=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="directory_revisions", verbose_name=_("organisation")
    )
    document = models.JSONField(_("proposed record"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("remark of the reviewer"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("change to the directory")
        verbose_name_plural = _("changes to the directory")
        constraints = [
            models.UniqueConstraint(
                fields=["target"],
                condition=models.Q(status__in=["draft", "under_review"]),
                name="directory_one_open_revision_per_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target} ({self.status})"


# ----------------------------------------------------------------------------------------------------------
# referrals (the project's own: HSDS has none)


class Referral(models.Model):
    """A person handed over to a service at a location, with their consent, and what became of it."""

    class Origin(models.TextChoices):
        CARE_REQUEST = "care_request", _("A request for professional care")
        COORDINATOR = "coordinator", _("The coordinator's own judgement")
        OUTREACH = "outreach", _("An outreach case")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        RECEIVED = "received", _("Received by the service")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Help given")
        NO_ANSWER = "no_answer", _("No answer")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN = (Status.SENT, Status.RECEIVED, Status.ACCEPTED)
    ANSWERED = (Status.ACCEPTED, Status.DECLINED, Status.COMPLETED)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("person"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service"))
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals",
        verbose_name=_("location"),
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received", verbose_name=_("organisation")
    )
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("district")
    )
    origin = models.CharField(_("why"), max_length=15, choices=Origin.choices, default=Origin.COORDINATOR)
    origin_id = models.PositiveIntegerField(_("from record"), null=True, blank=True)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="+", verbose_name=_("consent"))
    # Special-category (GDPR art. 9): what the person needs, and what was passed on to the service.
    need = models.TextField(_("what the person needs"))
    shared = models.JSONField(_("passed on to the service"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    status_reason = models.TextField(_("reason"), blank=True)
    answer_due = models.DateField(_("answer expected by"))
    created_by = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("referred by")
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last change"), default=timezone.now)
    seen_by_coordinator_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral to a service")
        verbose_name_plural = _("referrals to a service")
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["status", "answer_due"]),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk}"


class ReferralEvent(models.Model):
    """One step of a referral (append-only): who set which status when, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=10, choices=Referral.Status.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("step of a referral")
        verbose_name_plural = _("steps of a referral")

    def __str__(self) -> str:
        return f"{self.status} at {self.at:%Y-%m-%d}"
