"""Which fields hold special-category data (GDPR art. 9 health and dependency; art. 10 criminal records), declared once.

Each capability app declares its own fields in its ``AppConfig.ready`` (this module imports no app)::

    special_category.declare(CareRequest, fields=["description", "category"], rule="care.view_request",
                             subjects=["person"], why="what help a person needs says something about their health")

and everything that could reveal such a field reads the declaration:

- the Django admin (``apps/access/admin_site.py``) refuses every lookup, search, filter, ordering, facet,
  date drill-down, ``_to_field`` and form field that reaches one, on every registered model, ours and
  third-party ones, also through relations, whoever is signed in;
- a startup check (``admin_site.check_special_category``) fails when an admin is configured to reach one,
  or when a declared field cannot be emptied at erasure;
- exports to anyone but the person themselves carry a declared field only where the rule allows it for
  that row (``Reader``);
- erasure (``apps/access/privacy.erase_person``) empties every declared field of every row that is the
  person's (``subjects``), besides what each app's eraser does, unless the declaration says why a field is
  kept (``kept``), and deletes the rows of declarations made with ``erase="delete"``.

"Reaching" a field means: a lookup path whose steps pass through it (``person__support_needs__icontains``),
end on it, or walk a declared relation in either direction (``care_requests__…`` from a person walks
``CareRequest.person`` backwards: which persons asked for help).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup
from django.db.models.sql.query import Query
from django.db.models.sql.where import WhereNode

LOOKUP_SEP = "__"


@dataclass(frozen=True)
class Declaration:
    """Special-category fields of one model.

    ``rule`` is asked (``rules.can(actor, rule, obj)``) with the object at ``rule_on`` (a path from a row;
    ``""`` the row itself) before anyone but the person sees a value (``""``: no rule, nobody else does).
    ``subjects`` are the paths from a row to the persons whose data it is (``""``: the row is the person);
    erasure empties the fields of every row that reaches the erased person through one of them.  ``kept``
    names the fields erasure leaves, each with the reason.
    """

    model: type[models.Model]
    fields: tuple[str, ...]
    rule: str
    rule_on: str = ""
    subjects: tuple[str, ...] = ()
    erase: Literal["blank", "delete"] = "blank"
    kept: Mapping[str, str] = field(default_factory=dict)
    why: str = ""

    @property
    def label(self) -> str:
        return self.model._meta.label

    def field_labels(self) -> list[str]:
        return [f"{self.label}.{name}" for name in self.fields]

    def rule_object(self, row: models.Model) -> Any:
        obj: Any = row
        for part in self.rule_on.split(LOOKUP_SEP) if self.rule_on else ():
            obj = getattr(obj, part)
        return obj

    def subject_filter(self, person: models.Model) -> Q:
        query = Q(pk__in=[])
        for path in self.subjects:
            query |= Q(pk=person.pk) if path == "" else Q(**{path: person})
        return query


DECLARATIONS: dict[type[models.Model], Declaration] = {}


def declare(
    model: type[models.Model],
    *,
    fields: Iterable[str],
    rule: str,
    rule_on: str = "",
    subjects: Iterable[str] = (),
    erase: Literal["blank", "delete"] = "blank",
    kept: Mapping[str, str] | None = None,
    why: str = "",
) -> Declaration:
    """Declare a model's special-category fields (once per model; call it from the app's ``ready``)."""
    names = tuple(fields)
    for name in names:
        model._meta.get_field(name)  # a typo fails at start-up, not silently
    if model in DECLARATIONS:
        raise ValueError(f"special-category fields of {model._meta.label} declared twice")
    declaration = Declaration(
        model=model, fields=names, rule=rule, rule_on=rule_on, subjects=tuple(subjects), erase=erase,
        kept=dict(kept or {}), why=why,
    )  # fmt: skip
    DECLARATIONS[model] = declaration
    return declaration


def forget(model: type[models.Model]) -> None:
    """Withdraw a declaration (tests that declare a field of their own clean up with this)."""
    DECLARATIONS.pop(model, None)


def declarations() -> list[Declaration]:
    return list(DECLARATIONS.values())


def declared_fields(model: type[models.Model]) -> tuple[str, ...]:
    declaration = DECLARATIONS.get(model._meta.concrete_model or model)
    return declaration.fields if declaration is not None else ()


def is_declared(model_field: Any) -> str | None:
    """``app.Model.field`` when this field (or the relation a reverse accessor walks) is declared, else None."""
    if isinstance(model_field, models.ForeignObjectRel):
        model_field = model_field.field
    model = getattr(model_field, "model", None)
    if model is None:
        return None
    declaration = DECLARATIONS.get(model._meta.concrete_model or model)
    if declaration is not None and getattr(model_field, "name", None) in declaration.fields:
        return f"{declaration.label}.{model_field.name}"
    return None


def reached(model: type[models.Model], path: str) -> str | None:
    """The declared field a lookup path reaches from ``model`` (``app.Model.field``), or None.

    Every step is looked at, whatever lookup or transform follows (``exact``, ``regex``, a JSON key…);
    a relation is followed to the next model, also backwards.  A step that is no field ends the walk:
    what follows a plain field is a transform or a lookup, and a name that is no field at all is refused
    by the ORM anyway.
    """
    opts = model._meta
    for part in path.split(LOOKUP_SEP):
        try:
            model_field: Any = opts.pk if part == "pk" else opts.get_field(part)
        except FieldDoesNotExist:
            return None
        hit = is_declared(model_field)
        if hit is not None:
            return hit
        related = getattr(model_field, "related_model", None)
        if not getattr(model_field, "is_relation", False) or related is None or isinstance(related, str):
            return None
        opts = related._meta
    return None


# --- the fields a query touches ---------------------------------------------------------------------------


def query_reaches(query: Query | models.QuerySet[Any], model: type[models.Model] | None = None) -> list[str]:
    """Every declared field a query filters, orders, groups, annotates or joins on (not what it selects)."""
    found: list[str] = []
    _walk(query, model, found, set())
    return found


def expressions_reach(model: type[models.Model], expressions: Iterable[Any]) -> list[str]:
    """The same for loose expressions (an aggregate with a ``filter=Q(…)``, an ordering), read on ``model``."""
    found: list[str] = []
    seen: set[int] = set()
    for expression in expressions:
        _walk(expression, model, found, seen)
    return found


def _walk(node: Any, model: type[models.Model] | None, found: list[str], seen: set[int]) -> None:
    if node is None or isinstance(node, (str, bytes, int, float, bool)) or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, models.QuerySet):
        _walk(node.query, node.model, found, seen)
    elif isinstance(node, Query):
        _walk_query(node, found, seen)
    elif isinstance(node, Col):
        _add(found, is_declared(node.target))
    elif isinstance(node, Q):
        for child in node.children:
            if isinstance(child, tuple) and len(child) == 2:
                if model is not None:
                    _add(found, reached(model, child[0]))
                _walk(child[1], model, found, seen)
            else:
                _walk(child, model, found, seen)
    elif isinstance(node, models.F):
        if model is not None:
            _add(found, reached(model, node.name))
    elif isinstance(node, WhereNode):
        for child in node.children:
            _walk(child, model, found, seen)
    elif isinstance(node, (list, tuple, set, frozenset)):
        for item in node:
            _walk(item, model, found, seen)
    elif isinstance(node, dict):
        for item in node.values():
            _walk(item, model, found, seen)
    else:
        if isinstance(node, Lookup):
            _walk(node.lhs, model, found, seen)
            _walk(node.rhs, model, found, seen)
        inner = getattr(node, "query", None)  # Subquery, Exists
        if isinstance(inner, Query):
            _walk(inner, inner.model, found, seen)
        if isinstance(getattr(node, "filter", None), (Q, WhereNode)):  # an aggregate's filter
            _walk(node.filter, model, found, seen)
        sources = getattr(node, "get_source_expressions", None)
        if callable(sources):
            for source in sources():
                _walk(source, model, found, seen)


def _walk_query(query: Query, found: list[str], seen: set[int]) -> None:
    model = query.model
    for join in query.alias_map.values():
        _add(found, is_declared(getattr(join, "join_field", None)))
        relation = getattr(join, "filtered_relation", None)
        if relation is not None:
            _walk(relation.condition, model, found, seen)
    _walk(query.where, model, found, seen)
    _walk(list(query.annotations.values()), model, found, seen)
    if isinstance(query.group_by, tuple):
        _walk(list(query.group_by), model, found, seen)
    for order in [*query.order_by, *query.extra_order_by]:
        if isinstance(order, str):
            name = order.lstrip("-+")
            if model is not None and name != "?" and name not in query.annotations:
                _add(found, reached(model, name))
        else:
            _walk(order, model, found, seen)
    for combined in query.combined_queries:
        _walk(combined, combined.model, found, seen)


def _add(found: list[str], hit: str | None) -> None:
    if hit is not None and hit not in found:
        found.append(hit)


# --- exports and erasure -----------------------------------------------------------------------------------

WITHHELD = None
"""What an export shows instead of a declared value its reader may not see."""


class Reader:
    """Who an export is for: the person themselves see all their data; anyone else a declared field only
    where its rule allows it for that row (``value``)."""

    def __init__(self, actor: Any, person: models.Model) -> None:
        self.actor = actor
        self.person = person

    @property
    def is_the_person(self) -> bool:
        return self.actor is None or (
            getattr(self.actor, "person_id", None) is not None and self.actor.person_id == self.person.pk
        )

    def may_read(self, row: models.Model) -> bool:
        declaration = DECLARATIONS.get(type(row)._meta.concrete_model or type(row))
        if declaration is None or self.is_the_person:
            return True
        if not declaration.rule:
            return False  # no page reads it: only the person themselves
        from .rules import can

        return bool(can(self.actor, declaration.rule, declaration.rule_object(row)))

    def value(self, row: models.Model, name: str, value: Any = None) -> Any:
        """``value`` (or the field's own value) unless the field is declared and the rule says no."""
        shown = getattr(row, name) if value is None else value
        if name not in declared_fields(type(row)) or self.may_read(row):
            return shown
        return WITHHELD


def empty_value(model_field: Any) -> Any:
    """What a declared field becomes at erasure; ``ValueError`` when it has none (then it must be ``kept``)."""
    if isinstance(model_field, models.JSONField):
        if model_field.null:
            return None
        default = model_field.get_default()
        if default in ([], {}, ""):
            return default
        raise ValueError(f"{model_field} has no empty value")
    if model_field.null:
        return None
    if isinstance(model_field, (models.CharField, models.TextField)):
        return ""
    raise ValueError(f"{model_field} cannot be emptied: declare it kept, with the reason, or erase the rows")


def blanked_fields(declaration: Declaration) -> Iterator[str]:
    for name in declaration.fields:
        if name not in declaration.kept:
            yield name


def erase_declared(person: models.Model) -> None:
    """Empty (or delete) every declared field of every row that is the person's, whatever each app erased."""
    for declaration in declarations():
        if not declaration.subjects:
            continue
        rows = declaration.model._default_manager.filter(declaration.subject_filter(person))
        if declaration.erase == "delete":
            rows.delete()
            continue
        changes = {name: empty_value(declaration.model._meta.get_field(name)) for name in blanked_fields(declaration)}
        if changes:
            rows.update(**changes)
