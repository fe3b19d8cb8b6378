"""Persons and their roles.

The account (``auth.User``) is only a way to log in; the ``Person`` is the
resident.  A coordinator can register a person by phone, and the person can
later link an account to that same record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.places.models import District, Place


class Person(models.Model):
    class ContactPreference(models.TextChoices):
        PHONE = "phone", _("Phone call")
        SMS = "sms", _("Text message")
        EMAIL = "email", _("Email")
        POST = "post", _("Letter")
        VISIT = "visit", _("A visit")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True, db_index=True)
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    email = models.EmailField(_("email"), blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="residents", verbose_name=_("district")
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    contact_preference = models.CharField(
        _("preferred contact"), max_length=10, choices=ContactPreference.choices, default=ContactPreference.PHONE
    )
    # Special-category data (GDPR art. 9): what help the person needs, as told to a coordinator.
    # Read only through selectors that check the rule and write the access log.
    support_needs = models.TextField(_("support needs"), blank=True)
    registered_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("registered by")
    )
    # Registered through, and followed by, this organisation: its coordinators find the person wherever they live.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persons_followed",
        verbose_name=_("followed by organisation"),
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    demo_key = models.CharField(max_length=60, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    HELPER = "helper", _("Helper")
    COORDINATOR = "coordinator", _("Coordinator")
    ORGANISATION_STAFF = "organisation_staff", _("Organisation staff")
    INITIATIVE_STARTER = "initiative_starter", _("Initiative starter")
    CENTRE_COMMITTEE = "centre_committee", _("Neighbourhood centre committee member")
    CITY_STAFF = "city_staff", _("City staff")
    ADMINISTRATOR = "administrator", _("Administrator")
    AUDITOR = "auditor", _("Auditor")


class RoleAssignment(models.Model):
    """A role held by a person, optionally limited to a district, a place or an organisation.

    Withdrawal sets ``withdrawn_at`` instead of deleting, so the record of
    who was granted what, and by whom, stays complete.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("district"))
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("place"))
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    granted_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("withdrawn by")
    )

    class Meta:
        ordering = ["person", "role"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"

    @property
    def scope_names(self) -> list[str]:
        """Where the role applies: its district, place and organisation, by name."""
        return [str(scope) for scope in (self.district, self.place, self.organisation) if scope is not None]


class Purpose(models.TextChoices):
    """What a person can consent to, one purpose at a time (GDPR art. 6 and 9: purpose-bound)."""

    CARE_MATCHING = "care_matching", _("Matching my request for help with a helper")
    WELLBEING_SCREENING = "wellbeing_screening", _("Answering questions about my wellbeing")
    CONTACT_PHONE = "contact_phone", _("Being contacted by phone")
    CONTACT_SMS = "contact_sms", _("Being contacted by text message")
    CONTACT_EMAIL = "contact_email", _("Being contacted by email")
    LISTED_AS_HELPER = "listed_as_helper", _("Being listed as a helper")
    SHARE_WITH_SERVICE = "share_with_service", _("Sharing my request with a service I am referred to")


class Consent(models.Model):
    """One consent for one purpose.  Withdrawal ends it; a new consent is a new row, so history stays."""

    class Method(models.TextChoices):
        ONLINE = "online", _("Online, by the person")
        PHONE = "phone", _("By phone, through a coordinator")
        PAPER = "paper", _("On paper")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    text_version = models.CharField(_("text version"), max_length=20)
    recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("withdrawn by")
    )

    class Meta:
        ordering = ["person", "purpose", "-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_purpose_display()}"


class RecoveryCode(models.Model):
    """One recovery code for a lost authenticator, kept only as a salted hash (ASVS 6.5.2).

    The code's first characters are a public lookup, so a typed code is checked against
    one slow hash instead of all ten; see ``apps.people.recovery``.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    lookup = models.CharField(max_length=8)
    secret_hash = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lookup"], name="one_recovery_code_per_lookup")]

    def __str__(self) -> str:
        return f"recovery code {self.lookup}… of user {self.user_id}"


class CodeTries(models.Model):
    """How often one one-time code (SMS, email login or re-authentication code) was tried.

    Counted here, in one row locked while it is counted, not in the session: parallel requests each
    read the session as it was, so a count kept there let a burst of guesses through (``code_tries``).
    """

    key = models.CharField(max_length=64, unique=True)  # an HMAC of where the code was sent and when
    tries = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"code tried {self.tries} times"


class PlaceChange(models.Model):
    """One change of where a person lives (their home address) or of how far a helper travels.

    Both decide which requests for help a helper is shown, so both are limited per day
    (``settings.PLACE_CHANGES_PER_DAY``, counted from these rows under a lock on the person: see
    ``apps.people.places.place_change_record``) and written down here for the auditor: who, when, and
    the old and the new value, coarsely (district and postcode, never the street; a distance in km).
    A helper who moves their home or radius again and again to find where a request is stands out in
    the auditor's activity view ("Home or reach changed").
    """

    class Kind(models.TextChoices):
        HOME = "home", _("home address")
        REACH = "reach", _("how far one travels to help")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("whose"))
    # a plain id, like the access log: who did it (the person, or a coordinator on their behalf)
    actor_person_id = models.BigIntegerField(_("changed by"), null=True, blank=True)
    actor_user_id = models.BigIntegerField(_("account"), null=True, blank=True)
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    before = models.CharField(_("before"), max_length=120, blank=True)
    after = models.CharField(_("after"), max_length=120, blank=True)
    via = models.CharField(_("page or endpoint"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("change of home or reach")
        verbose_name_plural = _("changes of home or reach")
        indexes = [models.Index(fields=["person", "kind", "at"]), models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}: {self.before} → {self.after}"
