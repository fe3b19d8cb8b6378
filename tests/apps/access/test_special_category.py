"""No special-category field can be searched, filtered, ordered or counted by anyone who may not read it.

One declaration (``apps/access/special_category.py``, made by each app in its ``ready``) is read by the
admin, the API, exports and erasure.  The attack these tests play again: an administrator recovered a
resident's care needs, unlogged, through the admin's URL filters (``?support_needs__startswith=a``),
because Django's admin accepts lookups on a model's own fields even when its form leaves them out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.contrib import admin
from django.core import checks
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from apps.access import special_category
from apps.access.admin_site import check_special_category
from apps.access.models import AccessLogEntry
from apps.access.privacy import erase_person
from apps.care.models import (
    AvailabilityException,
    CareRequest,
    HelperOffer,
    Match,
    MatchEvent,
    Referral,
    Vetting,
)
from apps.organisations.models import Organisation
from apps.people.models import Person, Purpose, Role

TEXT_LOOKUPS = [
    "", "exact", "iexact", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith",
    "regex", "iregex", "in", "isnull", "gt", "gte", "lt", "lte", "range",
]  # fmt: skip
RELATION_LOOKUPS = ["", "exact", "in", "isnull", "gt", "lt", "range", "pk", "pk__gt", "id__in"]
JSON_LOOKUPS = [
    "", "exact", "isnull", "has_key", "has_keys", "contains", "requests", "requests__0__category",
    "requests__0__category__icontains", "requests__0__category__regex", "helpers__0__lat__gt",
]  # fmt: skip
DATE_LOOKUPS = ["", "exact", "gt", "lt", "range", "year", "month", "day", "isnull", "week_day"]


def _lookups(model_field: Any) -> list[str]:
    if isinstance(model_field, models.ForeignObjectRel) or model_field.is_relation:
        return RELATION_LOOKUPS
    if isinstance(model_field, models.JSONField):
        return JSON_LOOKUPS
    if isinstance(model_field, (models.DateField, models.DateTimeField)):
        return DATE_LOOKUPS
    return TEXT_LOOKUPS


def _value(lookup: str) -> str:
    last = lookup.rsplit("__", 1)[-1]
    if last in {"isnull"}:
        return "0"
    if last in {"in", "range", "has_keys", "id__in"}:
        return "a,z"
    if last in {"year", "month", "day", "week_day", "pk", "gt", "lt"} and "category" not in lookup:
        return "1"
    return "a"


def paths_to_declared(model: type[models.Model], hops: int = 3) -> Iterator[tuple[str, str, Any]]:
    """(lookup path, declared field, model field) for every declared field reachable from ``model``.

    Breadth first over every relation, forward and backward, each model entered once by its shortest
    path; a declared relation is also walked one step further (``care_requests__id``).
    """
    entered = {model}
    queue: list[tuple[type[models.Model], str, int]] = [(model, "", 0)]
    while queue:
        current, prefix, depth = queue.pop(0)
        for model_field in current._meta.get_fields():
            name = model_field.name
            if isinstance(model_field, models.ForeignObjectRel):
                name = model_field.field.related_query_name()
            path = prefix + name
            hit = special_category.is_declared(model_field)
            if hit is not None:
                yield path, hit, model_field
                if getattr(model_field, "related_model", None) is not None:
                    yield f"{path}__id", hit, models.AutoField()
                continue
            related = getattr(model_field, "related_model", None)
            if model_field.is_relation and related is not None and depth < hops and related not in entered:
                entered.add(related)
                queue.append((related, f"{path}__", depth + 1))


def _changelist(model: type[models.Model]) -> str:
    return f"/nl/admin/{model._meta.app_label}/{model._meta.model_name}/"


def test_every_lookup_on_every_admin_model_that_reaches_a_special_category_field_is_refused(
    client_as: Callable[[str], Client],
) -> None:
    """Every model registered in the admin × every declared field it reaches (itself or through relations)
    × every lookup: always 400, whatever the field holds, for a signed-in administrator with a second factor."""
    client = client_as("administrator")
    probes: list[str] = []
    reached: set[str] = set()
    for model in admin.site._registry:
        for path, hit, model_field in paths_to_declared(model):
            reached.add(hit)
            for lookup in _lookups(model_field):
                key = f"{path}__{lookup}" if lookup else path
                probes.append(f"{_changelist(model)}?{key}={_value(key)}")
            probes.append(f"{_changelist(model)}?_to_field={path}&_popup=1")
    # the attacks of the report, by name, whatever the walk finds
    probes += [
        "/nl/admin/people/person/?support_needs__startswith=a",
        "/nl/admin/people/person/?support_needs__regex=^[a-m]",
        "/nl/admin/people/person/?support_needs__icontains=rolstoel",
        "/nl/admin/people/person/?support_needs__startswith=a&_facets=1",
        "/nl/admin/people/person/?care_requests__description__icontains=a",
        "/nl/admin/people/person/?care_requests__category__code=shopping",
        "/nl/admin/people/person/?care_requests__isnull=0",
        "/nl/admin/auth/user/?person__support_needs__icontains=a",
        "/nl/admin/care/matchinground/?problem__requests__0__category=shopping",
        "/nl/admin/care/matchinground/?problem__icontains=shopping",
        "/nl/admin/care/carecategory/?requests__person__last_name=Peeters",
        "/nl/admin/care/carecategory/?requests__isnull=0",
        "/nl/admin/places/district/?care_requests__category__code=shopping",
        "/nl/admin/places/district/?residents__support_needs__icontains=a",
    ]
    assert {"people.Person.support_needs", "care.CareRequest.description", "care.CareRequest.category",
            "care.MatchingRound.problem"} <= reached  # fmt: skip
    answers = {url: client.get(url).status_code for url in probes}
    leaked = {url: status for url, status in answers.items() if status != 400}
    assert not leaked, f"{len(leaked)} of {len(probes)} lookups answered, e.g. {list(leaked.items())[:8]}"


def test_a_refused_lookup_is_in_the_access_log(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    client = client_as("administrator")
    assert client.get("/nl/admin/people/person/?support_needs__startswith=a").status_code == 400
    entry = AccessLogEntry.objects.get(record_type="people.Person.support_needs")
    assert (entry.outcome, entry.actor_person_id, entry.purpose) == (
        AccessLogEntry.Outcome.DENIED, person_of(Role.ADMINISTRATOR).pk, "admin_special_category",
    )  # fmt: skip


def test_searching_the_admin_never_matches_care_needs(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    """``?q=`` searches the admin's search fields only, never a declared field."""
    resident = resident_in_coordinators_district
    Person.objects.filter(pk=resident.pk).update(support_needs="Xylofoonles voor mijn kleinzoon")
    page = client_as("administrator").get("/nl/admin/people/person/?q=Xylofoonles")
    assert page.status_code == 200
    assert resident.last_name not in page.content.decode()
    assert "0 persons" in page.content.decode() or "0 personen" in page.content.decode()


def test_a_new_declaration_is_picked_up_everywhere(client_as: Callable[[str], Client], demo_city: None) -> None:
    """A field declared later (here a test-only one: an organisation's description and email) is refused
    by the admin's filters, searched by no search box, shown in no column and flagged at start-up."""
    organisation = Organisation.objects.exclude(description="").first() or Organisation.objects.first()
    assert organisation is not None
    Organisation.objects.filter(pk=organisation.pk).update(description="Zeldzaamwoord", email="geheim@example.org")
    client = client_as("administrator")
    url = "/nl/admin/organisations/organisation/"
    assert client.get(f"{url}?description__icontains=zeldzaam").status_code == 200, "not declared yet"
    assert organisation.name in client.get(f"{url}?q=Zeldzaamwoord").content.decode()
    assert not [e for e in check_special_category() if e.level >= checks.ERROR]
    special_category.declare(Organisation, fields=["description", "email"], rule="organisations.view_organisation")
    try:
        assert client.get(f"{url}?description__icontains=zeldzaam").status_code == 400
        assert client.get(f"{url}?email__startswith=g").status_code == 400
        found = client.get(f"{url}?q=Zeldzaamwoord")
        assert found.status_code == 200 and organisation.name not in found.content.decode()
        listed = client.get(f"{url}?o=2")  # the email column, by its index
        assert listed.status_code == 200 and "geheim@example.org" not in listed.content.decode()
        errors = [str(e.msg) for e in check_special_category() if e.id == "access.E102"]
        assert any("search_fields" in e and "Organisation.description" in e for e in errors), errors
        assert any("list_display" in e and "Organisation.email" in e for e in errors), errors
    finally:
        special_category.forget(Organisation)
    assert client.get(f"{url}?description__icontains=zeldzaam").status_code == 200


def test_every_admin_is_guarded_and_configured_without_special_category_fields() -> None:
    """The start-up check: today's admins are clean; one that reaches a declared field fails it."""
    assert not [e for e in check_special_category() if e.level >= checks.ERROR]

    class CareNeedsAdmin(admin.ModelAdmin):
        search_fields = ["last_name", "support_needs"]
        list_filter = ["care_requests__category"]

    site = admin.site
    model_admin = site._registry.pop(Person)
    try:
        site.register(Person, CareNeedsAdmin)
        errors = [str(e.msg) for e in check_special_category() if e.id == "access.E102"]
        assert any("search_fields" in e and "support_needs" in e for e in errors), errors
        assert any("list_filter" in e and "CareRequest.person" in e for e in errors), errors
        site._registry[Person] = admin.ModelAdmin(Person, site)  # not through register: unguarded
        assert [e for e in check_special_category() if e.id == "access.E101"]
    finally:
        site._registry[Person] = model_admin


# --- an admin that tries harder: custom filters, facets, ordering by a column, its own search --------------


class NeedsFilter(admin.SimpleListFilter):
    title = "needs"
    parameter_name = "needs"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        return [("a", "a"), ("b", "b")]

    def queryset(self, request: Any, queryset: Any) -> Any:
        return queryset.filter(support_needs__istartswith=self.value()) if self.value() else queryset


class SneakyPersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "needs_column"]
    list_filter = [NeedsFilter]
    search_fields = ["last_name"]

    @admin.display(ordering="support_needs")
    def needs_column(self, obj: Person) -> str:
        return "·"

    def get_search_results(self, request: Any, queryset: Any, search_term: str) -> Any:
        if search_term.startswith("needs:"):
            return queryset.filter(support_needs__icontains=search_term[6:]), False
        return super().get_search_results(request, queryset, search_term)


sneaky_site = __import__("apps.access.admin_site", fromlist=["CityAdminSite"]).CityAdminSite(name="admin")
sneaky_site.register(Person, SneakyPersonAdmin)
urlpatterns = [__import__("django.urls", fromlist=["path"]).path("admin/", sneaky_site.urls)]


@override_settings(ROOT_URLCONF=__name__)
def test_custom_filters_facets_ordering_and_search_cannot_reach_care_needs(
    client_as: Callable[[str], Client],
) -> None:
    """What the admin's code does, not only what the URL asks: a list filter, facet counts, a column
    ordered by a declared field and a search of its own are refused or left out, never answered."""
    client = client_as("administrator")
    assert client.get("/admin/people/person/").status_code == 200
    assert client.get("/admin/people/person/?needs=a").status_code == 400, "a filter on care needs"
    assert client.get("/admin/people/person/?_facets=1").status_code == 400, "counts per care need"
    assert client.get("/admin/people/person/?q=needs:a").status_code == 400, "a search in care needs"
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/people/person/?o=2").status_code == 200
    ordered = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"]]
    assert ordered and not [sql for sql in ordered if "support_needs" in sql.split("ORDER BY", 1)[1]]


# --- search boxes and the API --------------------------------------------------------------------------------

API_QUERY_PARAMETERS = {
    # every query parameter of the API, and why it reaches no special-category field
    ("/api/v1/access-log", "action"), ("/api/v1/access-log", "actor"), ("/api/v1/access-log", "outcome"),
    ("/api/v1/access-log", "purpose"), ("/api/v1/access-log", "role"), ("/api/v1/access-log", "since"),
    ("/api/v1/access-log", "subject"), ("/api/v1/access-log", "until"),  # the log holds no care data
    ("/api/v1/access-log/activity", "days"), ("/api/v1/access-log/activity", "since"),
    ("/api/v1/access-log/activity", "until"), ("/api/v1/access-log/activity", "unusual_only"),
    ("/api/v1/places", "district"), ("/api/v1/places", "kind"),  # places, not persons
    ("/api/v1/districts/locate", "lat"), ("/api/v1/districts/locate", "lon"),
    ("/api/v1/addresses/lookup", "q"),  # the address register
    ("/api/v1/persons", "q"),  # names, phone, street (tested below)
    ("/api/v1/care/matches", "status"), ("/api/v1/care/matches", "limit"), ("/api/v1/care/matches", "offset"),
    ("/api/v1/care/requests/mine", "limit"), ("/api/v1/care/requests/mine", "offset"),
    ("/api/v1/care/rounds/{round_id}", "limit"), ("/api/v1/care/rounds/{round_id}", "offset"),
    ("/api/v1/care/requests/{request_id}/suggestions", "top"),
    # wellbeing: pages only; the staff's filters of signals (places, not persons)
    *{(f"/api/v1/wellbeing/{path}", name) for name in ("limit", "offset") for path in (
      "reports", "signals", "signals/mine", "districts/{district_id}/signals", "cases", "screenings/mine",
      "persons/{person_id}/screenings")},
    *{("/api/v1/wellbeing/signals", name) for name in ("district_id", "status", "category_code", "month")},
    # the public HSDS directory: published services, organisations, locations and types of help, no referral
    *{("/api/v1/hsds/services", name) for name in ("search", "page", "per_page", "format", "taxonomy_term_id",
      "taxonomy_id", "organization_id", "modified_after", "minimal", "full")},
    *{("/api/v1/hsds/service_at_locations", name) for name in ("search", "page", "per_page", "format", "full",
      "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after", "postcode", "proximity")},
    *{("/api/v1/hsds/organizations", name) for name in ("search", "full_service", "full", "page", "per_page",
      "format")},
    ("/api/v1/hsds/organizations/{id}", "full_service"),
    # community life: published initiatives and events, materials, grant calls; support requests hold no
    # special-category data (an initiative's requests to the city)
    *{("/api/v1/community/initiatives", name) for name in ("district", "theme", "audience", "tag", "words", "limit",
      "offset")},
    *{("/api/v1/community/events", name) for name in ("district", "weeks", "limit", "offset")},
    *{("/api/v1/community/materials", name) for name in ("first", "days")},
    *{("/api/v1/community/support-requests", name) for name in ("which", "kind", "limit", "offset")},
    *{("/api/v1/hsds/taxonomies", name) for name in ("search", "page", "per_page", "format")},
    *{("/api/v1/hsds/taxonomy_terms", name) for name in ("search", "page", "per_page", "format", "taxonomy_id",
      "top_only", "parent_id")},
}  # fmt: skip


def test_every_api_query_parameter_is_reviewed() -> None:
    """A new filter, search or ordering parameter fails here until someone has checked that it reaches no
    declared field (or that it filters only rows the caller may read under the field's rule, each read
    logged) and added it above."""
    from cityofpeople.api import api

    schema = api.get_openapi_schema()
    found = {
        (path, parameter["name"])
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    }
    assert found - API_QUERY_PARAMETERS == set(), "review these query parameters"
    declared = {name for d in special_category.declarations() for name in d.fields}
    names = {name.split("__")[0] for _, name in found}
    assert not names & (declared - {"kind", "person"}), "a query parameter named like a declared field"


def test_the_persons_search_box_never_matches_care_needs(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    """The coordinator's search (page and API) looks at names, phone and street; a word that is only in a
    resident's care needs finds nobody, even for the coordinator who may read them."""
    resident = resident_in_coordinators_district
    Person.objects.filter(pk=resident.pk).update(support_needs="Xylofoonles na de val")
    client = client_as("coordinator")
    assert client.get("/api/v1/persons", {"q": resident.last_name}).json(), "the search works"
    assert client.get("/api/v1/persons", {"q": "Xylofoonles"}).json() == []
    page = client.get("/nl/persons/", {"q": "Xylofoonles"})
    assert page.status_code == 200 and resident.last_name not in page.content.decode()


# --- exports and erasure ---------------------------------------------------------------------------------------


def test_an_export_by_a_coordinator_carries_care_needs_only_while_the_rule_allows(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    """Consent for care matching withdrawn: the coordinator's download holds back the care needs and the
    requests' words and categories; the person's own download still has everything."""
    resident = resident_in_coordinators_district
    request = CareRequest.objects.filter(person=resident).first()
    if request is None:
        pytest.skip("the demo resident has no request")
    CareRequest.objects.filter(pk=request.pk).update(description="Hulp bij het wassen na mijn operatie")
    client = client_as("coordinator")
    url = f"/nl/persons/{resident.pk}/export/"
    allowed = json.loads(client.get(url).content)
    assert allowed["people.person"][0]["support_needs"] == resident.support_needs
    assert "operatie" in json.dumps(allowed["care.requests"])
    resident.consents.filter(purpose=Purpose.CARE_MATCHING).update(withdrawn_at="2026-01-01T00:00Z")
    held_back = json.loads(client.get(url).content)
    assert held_back["people.person"][0]["support_needs"] is None
    assert resident.support_needs not in json.dumps(held_back)
    assert all(r["description"] is None and r["category"] is None for r in held_back["care.requests"])
    assert held_back["people.person"][0]["last_name"] == resident.last_name, "the rest is still there"
    csv_text = client.get(f"/api/v1/persons/{resident.pk}/export.csv").content.decode()
    assert "operatie" not in csv_text and resident.support_needs not in csv_text


def _empty(value: Any) -> bool:
    return value in ("", None, [], {})


def _rows_the_demo_lacks() -> None:
    """Rows of declared models the demo city may not hold: one of each, so that each is erased here.
    A new declaration whose model the demo does not fill adds its row here."""
    offer = HelperOffer.objects.filter(person__erased_at__isnull=True).first()
    assert offer is not None
    if not AvailabilityException.objects.exists():
        AvailabilityException.objects.create(offer=offer, first_day=date(2026, 3, 1), last_day=date(2026, 3, 9),
                                             note="Operatie aan mijn knie")  # fmt: skip
    if not Vetting.objects.exists():
        Vetting.objects.create(offer=offer, checked_on=date(2026, 1, 5), expires_on=date(2027, 1, 5))
    request = CareRequest.objects.filter(person__erased_at__isnull=True).first()
    assert request is not None
    if not Referral.objects.exists():
        Referral.objects.create(request=request, service_name="Thuisverpleging", note="Wondzorg na operatie")
    if not MatchEvent.objects.exclude(note="").exists():
        match = Match.objects.filter(request__person__erased_at__isnull=True).first()
        assert match is not None
        MatchEvent.objects.create(match=match, from_status="proposed", to_status="declined", note="Te ziek")


def test_erasure_empties_every_declared_field(demo_city: None) -> None:
    """For every declaration with a subject, rows of the erased person: every declared field emptied (or
    the row deleted), except the fields the declaration keeps, each with its reason."""
    _rows_the_demo_lacks()
    erased: set[int] = set()
    checked: list[tuple[special_category.Declaration, int]] = []
    for declaration in special_category.declarations():
        assert declaration.why, f"{declaration.label}: say why it is special-category data"
        for name in declaration.kept:
            assert declaration.kept[name], f"{declaration.label}.{name}: say why it is kept"
        if not declaration.subjects:
            assert set(declaration.fields) <= set(declaration.kept), f"{declaration.label}: no subject, say why"
            continue
        manager = declaration.model._default_manager
        subject = declaration.subjects[0]
        person_key = "pk" if subject == "" else f"{subject}__pk"
        rows = manager.exclude(**{f"{subject}__isnull" if subject else "pk__isnull": True})
        row = rows.exclude(**{f"{subject}__erased_at__isnull" if subject else "erased_at__isnull": False}).first()
        assert row is not None, f"the demo has no {declaration.label} with a person: the test cannot prove it"
        for name in special_category.blanked_fields(declaration):
            model_field = declaration.model._meta.get_field(name)
            if isinstance(model_field, (models.CharField, models.TextField)) and _empty(getattr(row, name)):
                manager.filter(pk=row.pk).update(**{name: f"geheim {name}"})  # something to erase
        person_id = manager.filter(pk=row.pk).values_list(person_key, flat=True).get()
        erased.add(person_id)
        checked.append((declaration, row.pk))
    for person in Person.objects.filter(pk__in=erased):
        erase_person(person)
    for declaration, pk in checked:
        row = declaration.model._default_manager.filter(pk=pk).first()
        if declaration.erase == "delete":
            assert row is None, f"{declaration.label} {pk} should be deleted"
            continue
        if row is None:
            continue  # the app's eraser deleted the row (times away, messages): erased too
        left = {n: getattr(row, n) for n in special_category.blanked_fields(declaration) if not _empty(getattr(row, n))}
        assert not left, f"{declaration.label} {pk} keeps {left}"
    for person in Person.objects.filter(pk__in=erased):
        for declaration in special_category.declarations():
            if not declaration.subjects or declaration.erase == "delete":
                continue
            rows = declaration.model._default_manager.filter(declaration.subject_filter(person))
            for name in special_category.blanked_fields(declaration):
                assert not rows.exclude(**{name: special_category.empty_value(declaration.model._meta.get_field(name))
                                           }).exists(), f"{declaration.label}.{name} of person {person.pk}"  # fmt: skip


def test_admin_pages_that_list_related_objects_do_not_name_a_requests_category(
    client_as: Callable[[str], Client], demo_city: None
) -> None:
    """A category in use has no delete page at all (it would list the numbers of its requests: it is switched
    off instead), and wherever the admin names a request (history, delete pages of other objects) it is by
    number only, never as "#12 shopping" (what the admin shows of a request is its ``str``)."""
    request = CareRequest.objects.select_related("category").first()
    assert request is not None
    page = client_as("administrator").get(f"/nl/admin/care/carecategory/{request.category_id}/delete/")
    assert page.status_code == 403
    assert f"#{request.pk}" not in page.content.decode()
    assert str(request) == f"#{request.pk}"


def test_the_admin_never_shows_the_texts_in_the_workers_queue(
    client_as: Callable[[str], Client], demo_city: None, django_capture_on_commit_callbacks: Any
) -> None:
    """An SMS queued for a resident ("a helper will come for your request", a sign-in code) is a task
    whose arguments the admin neither shows nor filters."""
    from django_tasks_db.models import DBTaskResult

    from apps.core.tasks import send_sms

    with django_capture_on_commit_callbacks(execute=True):
        send_sms(to="+32470000001", text="Goed nieuws: een helper komt voor uw vraag. Code 424242")
    task = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert task is not None and "424242" in json.dumps(task.args_kwargs)
    client = client_as("administrator")
    # the worker's queue is not in the admin at all (a city administrator never needs it): no page, no filter
    page = client.get(f"/nl/admin/django_tasks_database/dbtaskresult/{task.pk}/change/")
    assert page.status_code == 404 and "424242" not in page.content.decode()
    url = "/nl/admin/django_tasks_database/dbtaskresult/"
    assert client.get(f"{url}?args_kwargs__icontains=4242").status_code == 404
