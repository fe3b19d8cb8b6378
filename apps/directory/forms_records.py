"""Forms of the "Our services" pages, and how their values are written into an HSDS 3.0 document.

A form never writes a live row: its values go into the revision's document with HSDS field names
(``document_*``), and a form is filled from a document (``initial_*``), the live one or the draft, so the
same code serves a first proposal, a draft saved yesterday and a change returned by the city.  What the form
does not show (contacts, imported extra fields, metadata) is kept in the document as it was.  A child that is
still there keeps its id (a language by its code, a district by its number, a location by its id); a new child
gets a new UUID.

Without JavaScript and on a phone, the rows of opening hours and closures are formsets with a few empty
rows; "Add a row" is a submit button that shows the same page with one more (``grown``).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ClockInput, DayInput
from apps.organisations.models import Organisation
from apps.people.forms import LANGUAGES as PEOPLE_LANGUAGES
from apps.people.phones import normalise_phone
from apps.people.services import LocatedAddress, address_locate
from apps.places.models import District

from .models import Location, Service, TaxonomyTerm

LANGUAGES = [*PEOPLE_LANGUAGES, ("it", _("Italian")), ("fa", _("Persian"))]
"""Languages a service may be offered in: the common ones in Ghent (the same list as a person's languages)."""

WEEKDAYS = [
    ("MO", _("Monday")), ("TU", _("Tuesday")), ("WE", _("Wednesday")), ("TH", _("Thursday")),
    ("FR", _("Friday")), ("SA", _("Saturday")), ("SU", _("Sunday")),
]  # fmt: skip
DAY_ORDER = [code for code, _label in WEEKDAYS]

TEXT = 5000
"""Longest text a field takes: a description longer than a page is not read by anyone."""
EMPTY_ROWS = 2
"""Empty rows of hours and closures a form starts with."""
MAX_ROWS = 30

PROVINCE = "Oost-Vlaanderen"


def _text(label: Any, *, required: bool = False, help_text: Any = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=TEXT, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )  # fmt: skip


class PhoneInputField(forms.CharField):
    """A phone number as typed ("09 225 12 34"), checked and stored in E.164."""

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return normalise_phone(value) if value else ""


class TermChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: TaxonomyTerm) -> str:
        return obj.name


# --- a service --------------------------------------------------------------------------------------------


class ServiceForm(forms.Form):
    """One service: what it is, for whom, what it costs, how to apply, where and when."""

    name = forms.CharField(label=_("Name of the service"), max_length=200)
    status = forms.ChoiceField(
        label=_("Is the service running?"), choices=Service.Status.choices, initial=Service.Status.ACTIVE,
        help_text=_(
            "“Temporarily closed” stays in the search with that notice; “Inactive” and “Stopped” take it out of "
            "the search."
        ),
    )  # fmt: skip
    description = _text(_("What the service does"), rows=5)
    types = TermChoices(
        label=_("Types of help"), queryset=TaxonomyTerm.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("People find the service by these in the search."),
    )  # fmt: skip
    eligibility_description = _text(_("Who it is for"), help_text=_("For example: people over 65 who live alone."))
    minimum_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=120)
    maximum_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=120)
    districts = forms.ModelMultipleChoiceField(
        label=_("Only for people who live in these districts"), queryset=District.objects.order_by("name"),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none when everyone in the city is welcome."),
    )  # fmt: skip
    income_limited = forms.BooleanField(
        label=_("Only for people with a low income"), required=False,
        help_text=_("For example with an increased allowance (verhoogde tegemoetkoming) or a living wage."),
    )  # fmt: skip
    cost = forms.ChoiceField(
        label=_("What does it cost?"), widget=forms.RadioSelect,
        choices=[("free", _("It is free")), ("amount", _("It costs an amount")), ("other", _("Explained below"))],
    )  # fmt: skip
    amount = forms.DecimalField(
        label=_("Amount in euro"), required=False, min_value=Decimal("0"), max_value=Decimal("99999"),
        decimal_places=2, max_digits=7,
    )  # fmt: skip
    fees_description = _text(_("About the costs"), help_text=_("For example: per meal, or less with a low income."))
    application_process = _text(_("How to apply"), help_text=_("For example: call first, or just come by."))
    documents = _text(_("Documents to bring"), help_text=_("One per line, for example: identity card."))
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    phone = PhoneInputField(label=_("Phone"), required=False, max_length=30, help_text=_("For example: 09 225 12 34"))
    email = forms.EmailField(label=_("Email"), required=False)
    url = forms.URLField(label=_("Website"), required=False, max_length=500, assume_scheme="https")
    locations = forms.ModelMultipleChoiceField(
        label=_("Where it is offered"), queryset=Location.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Your organisation's published locations. A new location is first reviewed on its own."),
    )  # fmt: skip
    by_appointment = forms.BooleanField(label=_("Only by appointment"), required=False)
    appointment_note = forms.CharField(
        label=_("About appointments"), required=False, max_length=500,
        help_text=_("For example: call on weekdays between 9:00 and 12:00."),
    )  # fmt: skip

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["types"].queryset = TaxonomyTerm.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["locations"].queryset = locations_of(organisation)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The maximum age is lower than the minimum age."))
        if data.get("cost") == "amount" and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount, or choose “It is free”."))
        if data.get("cost") == "other" and not data.get("fees_description"):
            self.add_error("fees_description", _("Explain the costs here."))
        return data


def locations_of(organisation: Organisation) -> Any:
    """The organisation's published locations, the ones a service can be offered at."""
    return Location.objects.filter(organisation=organisation, published_at__isnull=False).order_by("name")


class HoursForm(forms.Form):
    """One row of opening hours: on these days, at this location, from … until …."""

    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none(), required=False)
    days = forms.MultipleChoiceField(
        label=_("Days"), choices=WEEKDAYS, required=False, widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.TimeField(label=_("From"), required=False, widget=ClockInput())
    closes_at = forms.TimeField(label=_("Until"), required=False, widget=ClockInput())

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations_of(organisation)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [name for name in ("location", "days", "opens_at", "closes_at") if data.get(name)]
        if not filled or self.errors:
            return data
        for name, message in (
            ("location", _("Choose the location.")),
            ("days", _("Tick at least one day.")),
            ("opens_at", _("Give the time it opens.")),
            ("closes_at", _("Give the time it closes.")),
        ):
            if not data.get(name):
                self.add_error(name, message)
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("It closes before it opens. Check the times."))
        return data


class ClosureForm(forms.Form):
    """A period the service is closed (holidays), with the reason people read."""

    valid_from = forms.DateField(label=_("Closed from"), required=False, widget=DayInput())
    valid_to = forms.DateField(label=_("Closed until"), required=False, widget=DayInput())
    reason = forms.CharField(label=_("Why"), required=False, max_length=200, help_text=_("For example: Christmas"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if (start or end or data.get("reason")) and not self.errors:
            if not start:
                self.add_error("valid_from", _("Give the first day it is closed."))
            if not end:
                self.add_error("valid_to", _("Give the last day it is closed."))
        if start and end and end < start:
            self.add_error("valid_to", _("The last day is before the first day."))
        return data


class RowsFormSet(forms.BaseFormSet):
    """Rows that all take the organisation (for the location choices)."""

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        if self.form is HoursForm:
            return {"organisation": self.organisation}
        return {}

    @property
    def filled(self) -> list[dict[str, Any]]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data and any(form.cleaned_data.values())]


HoursFormSet = forms.formset_factory(
    HoursForm, formset=RowsFormSet, extra=EMPTY_ROWS, max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True
)
ClosureFormSet = forms.formset_factory(
    ClosureForm, formset=RowsFormSet, extra=EMPTY_ROWS, max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True
)


def grown(data: QueryDict, prefix: str) -> QueryDict:
    """The posted data with one more empty row in the formset ``prefix`` ("Add a row" without JavaScript)."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "0"))
    except ValueError:
        total = 0
    data[key] = str(min(max(total, 0) + 1, MAX_ROWS))
    return data


# --- a location --------------------------------------------------------------------------------------------


class LocationForm(forms.Form):
    """A building where people come: its address is looked up in the city's address register."""

    name = forms.CharField(label=_("Name of the location"), max_length=200)
    address = forms.CharField(
        label=_("Address"), max_length=200,
        help_text=_("Street and house number, for example: Sint-Pietersnieuwstraat 33, 9000 Gent"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )  # fmt: skip
    transportation = _text(_("How to get there"), help_text=_("For example: tram 1, stop Korenmarkt."))
    accessibility = _text(_("Accessibility"), help_text=_("For example: step-free entrance, lift, accessible toilet."))
    phone = PhoneInputField(label=_("Phone"), required=False, max_length=30, help_text=_("For example: 09 225 12 34"))

    located: LocatedAddress | None = None

    def clean_address(self) -> str:
        address: str = self.cleaned_data["address"]
        self.located = address_locate(address)
        return address


class ProfileForm(forms.Form):
    """What the directory says about the organisation itself (its name is changed by the city)."""

    description = _text(_("What the organisation does"), rows=5)
    email = forms.EmailField(label=_("Email"), required=False)
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    alternate_name = forms.CharField(label=_("Other name"), required=False, max_length=200)
    legal_status = forms.CharField(
        label=_("Legal status"), required=False, max_length=200, help_text=_("For example: vzw, public welfare centre")
    )
    year_incorporated = forms.IntegerField(label=_("Year founded"), required=False, min_value=1800)
    logo = forms.URLField(label=_("Link to the logo"), required=False, max_length=500, assume_scheme="https")
    uri = forms.URLField(label=_("Link to the organisation's own record"), required=False, max_length=500,
                         assume_scheme="https")  # fmt: skip

    def clean_year_incorporated(self) -> int | None:
        year: int | None = self.cleaned_data.get("year_incorporated")
        if year is not None and year > timezone.localdate().year:
            raise ValidationError(_("This year has not come yet."))
        return year


class ReturnForm(forms.Form):
    """The reviewer's reason for returning a change: the organisation reads it."""

    reason = forms.CharField(
        label=_("Why is the change returned?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The organisation reads this. Say what to change."),
    )  # fmt: skip


# --- documents ---------------------------------------------------------------------------------------------


def new_id() -> str:
    return str(uuid.uuid4())


def _keep_ids(old: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], Any], new: list[dict[str, Any]]) -> list:
    """Give each new child the id of an old one with the same key, else a new UUID."""
    ids = {key(item): item.get("id") for item in old if item.get("id")}
    for item in new:
        item["id"] = ids.pop(key(item), None) or new_id()
    return new


def schedule_kind(schedule: dict[str, Any]) -> str:
    """The project's three kinds of schedule, read from an HSDS schedule's fields (as an import reads them)."""
    if schedule.get("opens_at") or schedule.get("closes_at"):
        return "hours"
    if schedule.get("valid_from") or schedule.get("valid_to"):
        return "closed"
    return "appointment"


def _without_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value not in (None, "")}


def _time(value: Any) -> str:
    return value.strftime("%H:%M") if value else ""


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _amount(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def document_service(
    base: dict[str, Any] | None,
    *,
    target: uuid.UUID,
    organisation: Organisation,
    data: dict[str, Any],
    hours: list[dict[str, Any]],
    closures: list[dict[str, Any]],
    location_document: Callable[[Location], dict[str, Any]],
) -> dict[str, Any]:
    """The HSDS ``service`` document of the form's values, on top of ``base`` (the live one or the draft)."""
    doc = copy.deepcopy(base) if base else {"id": str(target), "status": "active"}
    sid = doc["id"]
    doc["organization_id"] = _organisation_record_id(organisation)
    doc["name"] = data["name"]
    doc["status"] = data.get("status") or Service.Status.ACTIVE
    _set_all(
        doc,
        {
            "description": data.get("description", ""),
            "eligibility_description": data.get("eligibility_description", ""),
            "minimum_age": data.get("minimum_age"),
            "maximum_age": data.get("maximum_age"),
            "income_limited": True if data.get("income_limited") else None,
            "fees_description": data.get("fees_description", ""),
            "application_process": data.get("application_process", ""),
            "email": data.get("email", ""),
            "url": data.get("url", ""),
            "last_modified": timezone.now().isoformat(),
        },
    )
    doc["attributes"] = _keep_ids(
        doc.get("attributes", []), lambda a: a.get("taxonomy_term_id"),
        [{"link_id": sid, "link_type": "service_type", "link_entity": "service", "taxonomy_term_id": str(term.pk),
          "value": ""} for term in data.get("types", [])],
    )  # fmt: skip
    doc["service_areas"] = _keep_ids(
        doc.get("service_areas", []), lambda a: a.get("name"),
        [{"service_id": sid, "name": d.name} for d in data.get("districts", [])],
    )  # fmt: skip
    labels = dict(LANGUAGES)
    doc["languages"] = _keep_ids(
        doc.get("languages", []), lambda a: a.get("code"),
        [{"service_id": sid, "code": code, "name": str(labels.get(code, code))} for code in data.get("languages", [])],
    )  # fmt: skip
    doc["phones"] = _keep_ids(
        doc.get("phones", []), lambda p: p.get("number"),
        [{"service_id": sid, "number": data["phone"]}] if data.get("phone") else [],
    )  # fmt: skip
    doc["required_documents"] = _keep_ids(
        doc.get("required_documents", []), lambda d: d.get("document"),
        [{"service_id": sid, "document": line.strip()} for line in data.get("documents", "").splitlines()
         if line.strip()],
    )  # fmt: skip
    doc["cost_options"] = _cost_options(doc.get("cost_options", []), sid, data)
    doc["schedules"] = _service_schedules(doc.get("schedules", []), sid, data, closures)
    doc["service_at_locations"] = _service_at_locations(
        doc.get("service_at_locations", []), sid, data.get("locations", []), hours, location_document
    )
    return doc


def _organisation_record_id(organisation: Organisation) -> str:
    """The organisation's HSDS id (its directory record's, or the fixed one ``hsds.record_id`` derives)."""
    from .hsds import record_id

    return str(record_id(organisation))


def _set_all(doc: dict[str, Any], values: dict[str, Any]) -> None:
    """Write optional HSDS fields: a field without a value is absent (HSDS types have no null, ``docs/hsds.md``)."""
    for key, value in values.items():
        if value is None or value == "":
            doc.pop(key, None)
        else:
            doc[key] = value


def _cost_options(old: list[dict[str, Any]], sid: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    cost = data.get("cost")
    if cost == "free":
        new = [{"service_id": sid, "option": "free", "amount": 0, "currency": "EUR"}]
    elif cost == "amount":
        new = [_without_empty({"service_id": sid, "amount": _amount(data.get("amount")), "currency": "EUR",
                               "amount_description": data.get("fees_description", "")})]  # fmt: skip
    else:
        new = []
    return _keep_ids(old, lambda c: 0, new)


def _service_schedules(
    old: list[dict[str, Any]], sid: str, data: dict[str, Any], closures: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Closures and "by appointment" on the service; its other schedules (imported hours) are kept."""
    kept = [s for s in old if schedule_kind(s) == "hours"]
    mine = [
        _without_empty({"service_id": sid, "valid_from": _day(row["valid_from"]), "valid_to": _day(row["valid_to"]),
                        "description": row.get("reason", "")})
        for row in closures
    ]  # fmt: skip
    if data.get("by_appointment"):
        mine.append(_without_empty({"service_id": sid, "attending_type": "by appointment",
                                    "description": data.get("appointment_note", "")}))  # fmt: skip
    old_mine = [s for s in old if schedule_kind(s) != "hours"]
    return kept + _keep_ids(old_mine, lambda s: (schedule_kind(s), s.get("valid_from"), s.get("valid_to")), mine)


def _service_at_locations(
    old: list[dict[str, Any]], sid: str, locations: list[Location], hours: list[dict[str, Any]],
    location_document: Callable[[Location], dict[str, Any]],
) -> list[dict[str, Any]]:  # fmt: skip
    old_by_location = {str(sal.get("location_id")): sal for sal in old}
    result = []
    for location in locations:
        lid = str(location.pk)
        previous = old_by_location.get(lid, {})
        sal = {k: v for k, v in previous.items() if k not in ("schedules", "location")}
        sal.update({"id": previous.get("id") or new_id(), "service_id": sid, "location_id": lid})
        rows = [row for row in hours if row["location"].pk == location.pk]
        schedules = [
            {"service_at_location_id": sal["id"], "freq": "WEEKLY",
             "byday": ",".join(d for d in DAY_ORDER if d in row["days"]),
             "opens_at": _time(row["opens_at"]), "closes_at": _time(row["closes_at"])}
            for row in rows
        ]  # fmt: skip
        sal["schedules"] = _keep_ids(
            previous.get("schedules", []), lambda s: (s.get("byday"), s.get("opens_at"), s.get("closes_at")),
            schedules,
        )  # fmt: skip
        sal["location"] = location_document(location)
        result.append(sal)
    return result


def initial_service(doc: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The service form's values, and its rows of hours and closures, from a document."""
    costs = doc.get("cost_options") or []
    free = any((c.get("option") == "free" or c.get("amount") in (0, 0.0, "0")) for c in costs)
    paid = next((c for c in costs if c.get("amount") not in (None, 0, 0.0, "0")), None)
    schedules = doc.get("schedules") or []
    appointment = next((s for s in schedules if schedule_kind(s) == "appointment"), None)
    initial = {
        "name": doc.get("name", ""),
        "status": doc.get("status") or Service.Status.ACTIVE,
        "description": doc.get("description", ""),
        "types": [a.get("taxonomy_term_id") for a in doc.get("attributes") or [] if a.get("taxonomy_term_id")],
        "eligibility_description": doc.get("eligibility_description", ""),
        "minimum_age": doc.get("minimum_age"),
        "maximum_age": doc.get("maximum_age"),
        "districts": list(District.objects.filter(name__in=[a.get("name") for a in doc.get("service_areas") or []])),
        "income_limited": bool(doc.get("income_limited")),
        "cost": "amount" if paid else "free" if free else "other",
        "amount": paid.get("amount") if paid else None,
        "fees_description": doc.get("fees_description", ""),
        "application_process": doc.get("application_process", ""),
        "documents": "\n".join(d.get("document", "") for d in doc.get("required_documents") or []),
        "languages": [lang.get("code") for lang in doc.get("languages") or [] if lang.get("code")],
        "phone": next((p.get("number") for p in doc.get("phones") or []), ""),
        "email": doc.get("email", ""),
        "url": doc.get("url", ""),
        "locations": [sal.get("location_id") for sal in doc.get("service_at_locations") or []],
        "by_appointment": appointment is not None,
        "appointment_note": (appointment or {}).get("description", ""),
    }
    hours = [
        {"location": sal.get("location_id"), "days": (s.get("byday") or "").split(","),
         "opens_at": (s.get("opens_at") or "")[:5], "closes_at": (s.get("closes_at") or "")[:5]}
        for sal in doc.get("service_at_locations") or []
        for s in sal.get("schedules") or [] if schedule_kind(s) == "hours"
    ]  # fmt: skip
    closures = [
        {"valid_from": _parse_day(s.get("valid_from")), "valid_to": _parse_day(s.get("valid_to")),
         "reason": s.get("description", "")}
        for s in schedules if schedule_kind(s) == "closed"
    ]  # fmt: skip
    return initial, hours, closures


def _parse_day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def document_location(
    base: dict[str, Any] | None, *, target: uuid.UUID, organisation: Organisation, data: dict[str, Any],
    located: LocatedAddress,
) -> dict[str, Any]:  # fmt: skip
    """The HSDS ``location`` document of the form's values, on top of ``base``."""
    doc = copy.deepcopy(base) if base else {"id": str(target), "location_type": "physical"}
    lid = doc["id"]
    doc["organization_id"] = _organisation_record_id(organisation)
    _set_all(doc, {
        "name": data["name"], "transportation": data.get("transportation", ""), "latitude": located.lat,
        "longitude": located.lon,
    })  # fmt: skip
    address = {
        "location_id": lid, "address_1": f"{located.street} {located.house_number}", "city": settings.CITY_NAME,
        "postal_code": located.postcode, "state_province": PROVINCE, "country": "BE", "address_type": "physical",
    }  # fmt: skip
    others = [a for a in doc.get("addresses") or [] if a.get("address_type") not in (None, "physical")]
    doc["addresses"] = _keep_ids(doc.get("addresses") or [], lambda a: a.get("address_type", "physical"), [address])
    doc["addresses"] += others
    doc["accessibility"] = _keep_ids(
        doc.get("accessibility") or [], lambda a: 0,
        [{"location_id": lid, "description": data["accessibility"]}] if data.get("accessibility") else [],
    )  # fmt: skip
    doc["phones"] = _keep_ids(
        doc.get("phones") or [], lambda p: p.get("number"),
        [{"location_id": lid, "number": data["phone"]}] if data.get("phone") else [],
    )  # fmt: skip
    return doc


def initial_location(doc: dict[str, Any]) -> dict[str, Any]:
    address = next((a for a in doc.get("addresses") or [] if a.get("address_type", "physical") == "physical"), None)
    written = (
        f"{address.get('address_1', '')}, {address.get('postal_code', '')} {address.get('city', '')}" if address else ""
    )
    return {
        "name": doc.get("name", ""),
        "address": written.strip(", "),
        "transportation": doc.get("transportation", ""),
        "accessibility": next((a.get("description", "") for a in doc.get("accessibility") or []), ""),
        "phone": next((p.get("number") for p in doc.get("phones") or []), ""),
    }


PROFILE_FIELDS = (
    "description",
    "email",
    "website",
    "alternate_name",
    "legal_status",
    "year_incorporated",
    "logo",
    "uri",
)


def document_organisation(
    base: dict[str, Any] | None, *, target: uuid.UUID, organisation: Organisation, data: dict[str, Any]
) -> dict[str, Any]:
    """The HSDS ``organization`` document of the profile form, on top of ``base``; the name stays the city's."""
    doc = copy.deepcopy(base) if base else {"id": str(target)}
    doc["name"] = organisation.name
    doc["description"] = data.get("description", "")  # HSDS requires it (empty when none)
    _set_all(doc, {field: data.get(field) for field in PROFILE_FIELDS if field != "description"})
    return doc


def initial_organisation(doc: dict[str, Any], organisation: Organisation) -> dict[str, Any]:
    initial = {field: doc.get(field) for field in PROFILE_FIELDS}
    for field in ("description", "email", "website"):
        if initial[field] in (None, "") and not doc:
            initial[field] = getattr(organisation, field)
    return initial
