"""Forms for persons and consents.  They parse and validate input; services do the writing."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from allauth.account.utils import setup_user_email
from django import forms
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DayInput
from apps.organisations.models import Organisation

from .models import Consent, Person, Purpose, Role
from .phones import normalise_phone

LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
    ("pl", _("Polish")),
    ("bg", _("Bulgarian")),
    ("ro", _("Romanian")),
    ("es", _("Spanish")),
    ("de", _("German")),
    ("ru", _("Russian")),
    ("so", _("Somali")),
    ("prs", _("Dari")),
    ("ps", _("Pashto")),
    ("ti", _("Tigrinya")),
    ("sgn", _("Sign language")),
]


class PhoneField(forms.CharField):
    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return normalise_phone(value) if value else ""


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        help_text=_("Street and house number, for example: Sint-Pietersnieuwstraat 33, 9000 Gent"),
    )
    phone = PhoneField(label=_("Phone"), required=False, max_length=30, help_text=_("For example: 0470 12 34 56"))
    email = forms.EmailField(label=_("Email"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=DayInput()
    )
    contact_preference = forms.ChoiceField(
        label=_("How do they prefer to be contacted?"), choices=Person.ContactPreference.choices
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        preference = data.get("contact_preference")
        if preference in {"phone", "sms"} and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Give a phone number to be contacted by phone or text message."))
        if preference == "email" and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Give an email address to be contacted by email."))
        return data


class RegisterPersonForm(PersonForm):
    organisation = forms.ModelChoiceField(
        label=_("Followed by organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("None: they live in a district I coordinate"),
        help_text=_("The organisation you register them for. Its coordinators can then find them."),
    )
    support_needs = forms.CharField(
        label=_("What help do they need? (only coordinators of their district or organisation see this)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    consents = forms.MultipleChoiceField(
        label=_("They agreed by phone to"),
        choices=Purpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    different_person = forms.BooleanField(
        label=_("This is a different person, register anyway"),
        required=False,
        help_text=_("Tick this only when you checked that the person above is not the one on the phone."),
    )
    """Shown only after the page found a likely duplicate (``hide_duplicate_check``); ticking it registers anyway."""

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], choose_none: bool, **kwargs: Any) -> None:
        """``organisations``: those the coordinator registers for; ``choose_none``: they also coordinate districts.

        The field is left out when there is nothing to choose: no organisation,
        or a single one and no district (the service then takes that one).
        """
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations
        count = organisations.count()
        if count == 0 or (count == 1 and not choose_none):
            del self.fields["organisation"]
        elif not choose_none:
            field.required, field.empty_label = True, None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("support_needs") and Purpose.CARE_MATCHING not in data.get("consents", []):
            self.add_error("consents", _("Ask for consent to care matching before you note what help they need."))
        return data

    def hide_duplicate_check(self) -> None:
        """Leave the "different person" box out of the page: no likely duplicate was found (or not yet)."""
        self.fields.pop("different_person", None)


class ProfileForm(PersonForm):
    pass


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=Purpose.choices)
    action = forms.ChoiceField(choices=[("give", "give"), ("withdraw", "withdraw")])
    method = forms.ChoiceField(choices=Consent.Method.choices, required=False)


class ConsentMethodForm(forms.Form):
    """How a consent was given, asked on the coordinator's consent card: one per purpose, so each has its own id."""

    method = forms.ChoiceField(label=_("How was consent given?"))

    def __init__(self, *args: Any, purpose: str, methods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, auto_id=f"method-{purpose}-%s", **kwargs)
        self.fields["method"].choices = methods


class SearchForm(forms.Form):
    """A search for residents. Without words (or with too many) it is no search: the page lists everyone in scope.

    So the page never shows an error for it: the view parses the query with this form and shows the box with a
    fresh unbound one (``shown``), which is why the field can be "required" without ever saying so.
    """

    q = forms.CharField(
        label=_("Name, phone or street"), max_length=100, widget=forms.SearchInput(attrs={"autocomplete": "off"})
    )

    @classmethod
    def shown(cls, query: str) -> SearchForm:
        return cls(initial={"q": query}, use_required_attribute=False)


class GrantRoleForm(forms.Form):
    """Offers only the roles the actor may grant (``roles_grantable``); the service still decides each grant."""

    role = forms.ChoiceField(label=_("Grant a role"), choices=Role.choices)

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in roles]
        self.fields["role"].error_messages["invalid_choice"] = _("You may not grant this role.")

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if role not in Role.values:
            raise ValidationError(_("Unknown role."))
        return str(role)


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that all personal data will be removed and cannot be brought back."),
        required=True,
        error_messages={"required": _("Tick the box if you are sure that everything may be removed.")},
    )


class LoginForm(AllauthLoginForm):
    """allauth calls the field just "Login"; say what to type."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Email address or mobile number")
        self.fields["login"].widget.attrs.update({"autocomplete": "username", "placeholder": ""})


class SignupForm(AllauthSignupForm):
    """allauth's sign-up, answering a known address as slowly as a new one (ASVS 6.3.8, docs/security.md).

    Both already get the same page and one email each (a confirmation link, or "you already have an
    account"), and both passwords are checked against the rules and the breach list in ``clean``.  But a
    new account also hashes its password (PBKDF2, some 0.5 s) and writes the account, its person and role,
    so a known address was answered ten times sooner (54 against 621 ms).  A known one now goes through
    the same steps, with the typed password, in a transaction that is rolled back: nothing of it stays.
    """

    def try_save(self, request: Any) -> Any:
        if self.account_already_exists:
            self._as_for_a_new_account(request)
        return super().try_save(request)

    def save(self, request: Any) -> Any:
        """A new account, its address and its person in one transaction: all or nothing, one commit."""
        with transaction.atomic():
            return super().save(request)

    def _as_for_a_new_account(self, request: Any) -> None:
        class Undone(Exception):
            pass

        try:
            with transaction.atomic():
                adapter = get_adapter(request)
                user = adapter.save_user(request, adapter.new_user(request), self)
                setup_user_email(request, user, [EmailAddress(email=self.cleaned_data.get("email"))])
                raise Undone
        except (Undone, DatabaseError):  # a unique address refused is as good as rolled back
            pass
