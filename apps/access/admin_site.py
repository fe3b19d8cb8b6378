"""The Django admin opens only for an active staff account that holds the administrator role now.

- The role is read from the database on every request, like every other rule:
  withdrawing it closes the admin at once (ASVS 8.2.1, 8.3.1).
- There is one way to sign in: allauth's, with its throttling and the second
  factor.  The admin's own login form and password-change form are never
  shown; they send people to the account pages (ASVS 6.3.4).
- No special-category field (``apps/access/special_category.py``) can be searched, filtered, ordered,
  counted, drilled into or shown here, on any registered model, ours or a third party's, also through
  relations: every ModelAdmin is registered with ``SpecialCategoryGuard`` in front of it
  (``CityAdminSite.register``), and a start-up check (``check_special_category``) fails when an admin is
  configured to reach such a field.  Administrators run the city; they do not read care needs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.views import redirect_to_login
from django.core import checks
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import special_category

SEARCH_PREFIXES = "^=@"


def _path(item: Any) -> str | None:
    """The field path an admin option names (``"^name"``, ``("district", SomeFilter)``), or None."""
    if isinstance(item, (list, tuple)) and item:
        item = item[0]
    if isinstance(item, models.Field):
        return item.name
    if isinstance(item, str):
        return item.lstrip("-").lstrip(SEARCH_PREFIXES)
    if isinstance(item, models.expressions.OrderBy) and isinstance(item.expression, models.F):
        return item.expression.name
    if isinstance(item, models.F):
        return item.name
    return None


def _reaching(model: type[models.Model], items: Iterable[Any]) -> list[str]:
    """The declared fields these admin options reach (each as ``app.Model.field``)."""
    found = []
    for item in items or ():
        path = _path(item)
        hit = special_category.reached(model, path) if path else None
        if hit is not None and hit not in found:
            found.append(hit)
    return found


def _without(model: type[models.Model], items: Iterable[Any] | None) -> list[Any]:
    return [item for item in items or () if not _reaching(model, [item])]


def _refuse(request: HttpRequest | None, model: type[models.Model], hits: Sequence[str], what: str) -> None:
    """Refuse (400) and write the attempt in the access log: who tried to reach which field, denied."""
    if request is not None:
        from .services import log_request_access

        for hit in hits:
            log_request_access(
                request, subject_person_id=None, record_type=hit[:60], record_id="", action="read",
                purpose="admin_special_category", allowed=False,
            )  # fmt: skip
    raise DisallowedModelAdminLookup(f"{what} on {model._meta.label} reaches special-category data")


def _fieldsets_without(model: type[models.Model], fieldsets: Any) -> list[Any]:
    declared = set(special_category.declared_fields(model))

    def keep(names: Any) -> Any:
        if isinstance(names, (list, tuple)):
            kept = [keep(name) for name in names if not (isinstance(name, str) and name in declared)]
            return [name for name in kept if name != []]
        return names

    return [(name, {**options, "fields": keep(options.get("fields", ()))}) for name, options in fieldsets]


class FormGuard:
    """Forms (the change page, inlines) never show nor take a declared field, whatever the admin says."""

    model: type[models.Model]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])  # type: ignore[misc]
        declared = [name for name in special_category.declared_fields(self.model) if name not in exclude]
        return [*exclude, *declared] or None

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        declared = set(special_category.declared_fields(self.model))
        return [name for name in super().get_fields(request, obj) if name not in declared]  # type: ignore[misc]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return _fieldsets_without(self.model, super().get_fieldsets(request, obj))  # type: ignore[misc]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return _without(self.model, super().get_readonly_fields(request, obj))  # type: ignore[misc]


class GuardedChangeList(ChangeList):
    """The list page: whatever filter, search, ordering, facet or date drill-down was asked for, the
    queries it runs never touch a declared field."""

    def __init__(self, request: HttpRequest, model: type[models.Model], *args: Any, **kwargs: Any) -> None:
        # positional as ``ModelAdmin.get_changelist_instance`` passes them: … list_filter, date_hierarchy, …
        args_list = list(args)
        if len(args_list) > 3 and args_list[3] and special_category.reached(model, args_list[3]):
            args_list[3] = None
        super().__init__(request, model, *args_list, **kwargs)

    def get_filters(self, request: HttpRequest) -> Any:
        result = super().get_filters(request)
        for spec in result[0]:
            original = spec.get_facet_counts

            def counted(pk_attname: str, filtered_qs: Any, _original: Any = original) -> Any:
                counts = _original(pk_attname, filtered_qs)
                hits = special_category.expressions_reach(self.model, counts.values())
                if hits:
                    _refuse(request, self.model, hits, "counting")
                return counts

            spec.get_facet_counts = counted
        return result

    def get_ordering_field(self, field_name: Any) -> Any:
        field = super().get_ordering_field(field_name)
        if field is None:
            return None
        if isinstance(field, str) and special_category.reached(self.model, field.lstrip("-")):
            return None
        if not isinstance(field, str) and special_category.expressions_reach(self.model, [field]):
            return None
        return field

    def get_ordering(self, request: HttpRequest, queryset: Any) -> list[Any]:
        ordering = super().get_ordering(request, queryset)
        kept = []
        for item in ordering:
            path = _path(item)
            if path is not None and special_category.reached(self.model, path):
                continue
            if not isinstance(item, str) and special_category.expressions_reach(self.model, [item]):
                continue
            kept.append(item)
        return kept

    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> Any:
        queryset = super().get_queryset(request, exclude_parameters)
        hits = special_category.query_reaches(queryset)
        if hits:
            _refuse(request, self.model, hits, "the list")
        return queryset


class SpecialCategoryGuard(FormGuard):
    """Put in front of every ModelAdmin the site registers (``CityAdminSite.register``)."""

    def lookup_allowed(self, lookup: str, value: Any, request: HttpRequest | None = None) -> bool:
        hit = special_category.reached(self.model, lookup)
        if hit is not None:
            _refuse(request, self.model, [hit], f"filtering by {lookup}")
        return bool(super().lookup_allowed(lookup, value, request))  # type: ignore[misc]

    def to_field_allowed(self, request: HttpRequest, to_field: str) -> bool:
        if special_category.reached(self.model, to_field):
            return False
        return bool(super().to_field_allowed(request, to_field))  # type: ignore[misc]

    def get_queryset(self, request: HttpRequest) -> Any:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        hits = special_category.query_reaches(queryset)
        if hits:
            _refuse(request, self.model, hits, "the admin's own query")
        return queryset

    def get_search_fields(self, request: HttpRequest) -> Any:
        return _without(self.model, super().get_search_fields(request))  # type: ignore[misc]

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        """Also the autocomplete of other admins' fields: the search never matches a declared field."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        hits = special_category.query_reaches(found)
        if hits:
            _refuse(request, self.model, hits, "searching")
        return found, may_have_duplicates

    def get_list_filter(self, request: HttpRequest) -> Any:
        return _without(self.model, super().get_list_filter(request))  # type: ignore[misc]

    def get_list_display(self, request: HttpRequest) -> Any:
        return _without(self.model, super().get_list_display(request))  # type: ignore[misc]

    def get_list_display_links(self, request: HttpRequest, list_display: Any) -> Any:
        links = super().get_list_display_links(request, list_display)  # type: ignore[misc]
        return links if links is None else _without(self.model, links)

    def get_sortable_by(self, request: HttpRequest) -> Any:
        return _without(self.model, super().get_sortable_by(request))  # type: ignore[misc]

    def get_ordering(self, request: HttpRequest) -> Any:
        return _without(self.model, super().get_ordering(request))  # type: ignore[misc]

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> Any:
        changelist = super().get_changelist(request, **kwargs)  # type: ignore[misc]
        return changelist if issubclass(changelist, GuardedChangeList) else _guarded(changelist, GuardedChangeList)

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> Any:
        inlines = super().get_inline_instances(request, obj)  # type: ignore[misc]
        for inline in inlines:
            if not isinstance(inline, FormGuard):
                inline.__class__ = _guarded(type(inline), FormGuard)
        return inlines


_GUARDED: dict[tuple[type, type], type] = {}


def _guarded(cls: type, guard: type) -> type:
    """``cls`` with ``guard`` in front of it (one class per pair, so Django's checks see a stable class)."""
    key = (cls, guard)
    if key not in _GUARDED:
        _GUARDED[key] = type(cls.__name__, (guard, cls), {"__module__": cls.__module__, "__doc__": cls.__doc__})
    return _GUARDED[key]


class CityAdminSite(admin.AdminSite):
    site_header = _("City of People: administration")
    site_title = _("City of People: administration")
    index_title = _("What you manage")

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        """The index (and the side menu) grouped by capability, under each capability's title: its own models, then
        the other apps' models it declares (``Capability.admin_models``).  One app's own page stays as Django
        builds it."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        return admin_groups(self._build_app_dict(request))

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        """Every ModelAdmin, also allauth's and django-tasks-db's, with the special-category guard in front."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SpecialCategoryGuard):
            admin_class = _guarded(admin_class, SpecialCategoryGuard)
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        from .actors import actor_for
        from .rules import can

        return bool(request.user.is_active and can(actor_for(request), "access.administer"))

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect("admin:index")
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("account_login"))

    def password_change(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return redirect("account_change_password")


def admin_groups(app_dict: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Django's apps and models as the admin index shows them, regrouped: one group per capability that has models
    this person may see, in the order of ``INSTALLED_APPS``; a registered model no capability claims comes last,
    under "Other" (none in this project: a test says so)."""
    from django.apps import apps as django_apps

    from apps.core.capabilities import capabilities

    rows = {f"{label}.{row['object_name']}".lower(): row for label, app in app_dict.items() for row in app["models"]}
    groups: list[dict[str, Any]] = []
    for declared in capabilities():
        own = [key for key in rows if key.split(".")[0] == declared.app]
        claimed = [item.model.lower() for item in declared.admin_models if item.model.lower() in rows]
        keys = [key for key in own + claimed if key in rows]
        if not keys:
            continue
        app_url = app_dict[declared.app]["app_url"] if declared.app in app_dict else ""
        models = sorted((rows.pop(key) for key in keys), key=lambda row: str(row["name"]).lower())
        title = django_apps.get_app_config(declared.app).verbose_name
        groups.append({"name": title, "app_label": declared.app, "app_url": app_url, "has_module_perms": True,
                       "models": models})  # fmt: skip
    if rows:
        groups.append({"name": _("Other"), "app_label": "other", "app_url": "", "has_module_perms": True,
                       "models": sorted(rows.values(), key=lambda row: str(row["name"]).lower())})  # fmt: skip
    return groups


# --- the start-up check ---------------------------------------------------------------------------------------


def _configured_hits(model_admin: Any) -> list[tuple[str, list[str]]]:
    """What an admin's class attributes reach, option by option (before the guard strips anything)."""
    model = model_admin.model
    declared = set(special_category.declared_fields(model))
    options: list[tuple[str, list[str]]] = []
    for option in ("search_fields", "list_filter", "list_display", "list_display_links", "list_editable",
                   "sortable_by", "ordering", "readonly_fields", "raw_id_fields", "autocomplete_fields",
                   "list_select_related"):  # fmt: skip
        value = getattr(model_admin, option, None)
        if isinstance(value, (list, tuple)):
            options.append((option, _reaching(model, value)))
    date_hierarchy = getattr(model_admin, "date_hierarchy", None)
    if date_hierarchy:
        options.append(("date_hierarchy", _reaching(model, [date_hierarchy])))
    shown: list[str] = []
    fields = getattr(model_admin, "fields", None)
    fieldsets = getattr(model_admin, "fieldsets", None)
    if fieldsets:
        shown = [name for _, opts in fieldsets for name in _flatten(opts.get("fields", ()))]
    elif fields:
        shown = list(_flatten(fields))
    else:
        exclude = set(getattr(model_admin, "exclude", None) or ())
        shown = [f.name for f in model._meta.fields if f.editable and f.name not in exclude]
    options.append(("fields", [f"{model._meta.label}.{name}" for name in shown if name in declared]))
    return [(option, hits) for option, hits in options if hits]


def _flatten(names: Any) -> Iterable[str]:
    for name in names:
        if isinstance(name, (list, tuple)):
            yield from _flatten(name)
        elif isinstance(name, str):
            yield name


def _third_party(cls: type) -> bool:
    """Installed from a package (allauth, django-tasks-db…), not written in this project."""
    guarded = [base for base in cls.__mro__ if base.__module__ != __name__]
    module = sys.modules.get(guarded[0].__module__ if guarded else cls.__module__)
    return "site-packages" in str(getattr(module, "__file__", "") or "")


def check_special_category(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every registered admin is guarded and none is configured to reach a declared field; every declared
    field can be emptied at erasure (or is kept, with the reason)."""
    errors: list[checks.CheckMessage] = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, SpecialCategoryGuard):
            errors.append(checks.Error(
                f"The admin of {model._meta.label} is not guarded against special-category lookups.",
                hint="Register it through admin.site.register (CityAdminSite), never into _registry directly.",
                obj=model_admin, id="access.E101",
            ))  # fmt: skip
        if _third_party(type(model_admin)):
            continue  # a third party's admin: the guard strips at run time what its code asks for
        inlines = [(option, hits) for option, hits in _configured_hits(model_admin)]
        for inline_class in getattr(model_admin, "inlines", ()):
            inline = inline_class(model, admin.site)
            inlines += [(f"inline {inline_class.__name__}: {o}", h) for o, h in _configured_hits(inline)]
        for option, hits in inlines:
            errors.append(checks.Error(
                f"The admin of {model._meta.label} reaches special-category data in {option}: {', '.join(hits)}.",
                hint="Leave the field out: administrators do not read, search, filter, order or count it "
                     "(apps/access/special_category.py).",
                obj=model_admin, id="access.E102",
            ))  # fmt: skip
    for declaration in special_category.declarations():
        if not declaration.subjects or declaration.erase == "delete":
            continue
        for name in special_category.blanked_fields(declaration):
            try:
                special_category.empty_value(declaration.model._meta.get_field(name))
            except ValueError as error:
                errors.append(checks.Error(str(error), obj=declaration.model, id="access.E103"))
    return errors
