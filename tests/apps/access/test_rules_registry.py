"""One registry of rules, filled by every app's own ``rules.py``: a rule is declared once, asking for one that
no app declares is an error, and the system checks find an undeclared rule whatever the import order was."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.test.utils import override_settings
from django.urls import path
from django.utils import translation

from apps.access import checks as access_checks
from apps.access import labels, retention, rules
from apps.access.actors import Actor
from apps.access.decorators import requires
from apps.access.rules import UnknownRule, can, rule
from apps.core.capabilities import Capability, Retention


@pytest.fixture
def registry() -> Iterator[None]:
    """Rules declared by a test are gone after it."""
    declared, named = dict(rules.RULES), dict(rules.LABELS)
    yield
    rules.RULES.clear()
    rules.RULES.update(declared)
    rules.LABELS.clear()
    rules.LABELS.update(named)


def test_every_app_declares_its_own_rules_into_the_one_registry() -> None:
    assert rules.rules_loaded()
    owners = {name: rules.RULES[name].__module__ for name in ("people.view_person", "care.view_request")}
    assert owners == {"people.view_person": "apps.people.rules", "care.view_request": "apps.care.rules"}
    assert "organisations.manage_staff" in rules.RULES and "access.search_log" in rules.RULES


def test_asking_for_an_undeclared_rule_is_an_error_that_names_it() -> None:
    with pytest.raises(UnknownRule, match=r"care\.view_requests") as raised:
        can(Actor(), "care.view_requests")
    assert isinstance(raised.value, LookupError) and raised.value.name == "care.view_requests"


def test_a_rule_is_declared_once(registry: None) -> None:
    rule("shop.view_basket")(lambda actor, obj: True)
    with pytest.raises(ValueError, match=r"shop\.view_basket declared twice"):
        rule("shop.view_basket")(lambda actor, obj: False)


def test_a_page_cannot_require_an_undeclared_rule_once_the_rules_are_in() -> None:
    with pytest.raises(UnknownRule, match=r"care\.no_such_page"):
        requires("care.no_such_page")


def test_the_rule_labels_the_access_log_shows_come_with_the_rules(registry: None) -> None:
    with translation.override("nl"):
        assert labels.purpose_label("care.view_request") == "Een hulpvraag bekijken", "the msgid kept its translation"
    assert labels.purpose_label("data_export") == labels.purpose_label("people.export_data")
    rule("shop.view_basket", label="Looking at a basket")(lambda actor, obj: True)
    assert ("shop.view_basket", "Looking at a basket") in labels.purpose_choices()
    assert labels.purpose_codes("care.view_own_request") == ["care.view_request", "care.view_own_request"]
    assert labels.purpose_label("shop.closed_long_ago") == "shop.closed_long_ago", "an old code shows as it is"


def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("basket")


def test_the_check_finds_a_page_whose_rule_no_app_declares(monkeypatch: pytest.MonkeyPatch) -> None:
    """A view module imported before the rules were loaded cannot tell a typo from a rule still to come:
    ``@requires`` lets it pass, the system check (run before the server starts) does not."""
    monkeypatch.setattr(rules, "_loaded", False)
    basket = requires("shop.view_basket")(_view)
    fine = requires("public")(_view)
    urlconf = types.ModuleType("contract_urls")
    urlconf.urlpatterns = [path("basket/", basket, name="basket"), path("", fine)]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "contract_urls", urlconf)
    with override_settings(ROOT_URLCONF="contract_urls"):
        errors = access_checks.check_view_rules()
    assert [(e.id, e.obj) for e in errors] == [("access.E001", basket)]
    assert "'shop.view_basket'" in errors[0].msg and "/basket/" in errors[0].msg


def test_the_project_passes_its_rule_checks() -> None:
    assert access_checks.check_view_rules() == []
    assert access_checks.check_rules_in_code() == []
    assert retention.check_retention_kinds() == []


def test_the_check_finds_a_rule_asked_for_in_code_api_routes_included(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = tmp_path / "shop"
    app.mkdir()
    (app / "api.py").write_text(
        "def basket(request):\n"
        "    if not can(actor_for(request), 'shop.view_baskets'):\n"
        "        raise PermissionDenied\n"
        "    return basket_for(actor, 1, rule='public')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(access_checks, "APPS_DIR", tmp_path)
    errors = access_checks.check_rules_in_code([types.SimpleNamespace(path=str(app))])
    assert [(e.id, e.msg) for e in errors] == [
        ("access.E002", f"{app / 'api.py'}:2 asks for the rule 'shop.view_baskets', which no installed app declares")
    ]


def test_two_apps_cannot_declare_the_retention_of_one_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    def keep(now: datetime) -> int:
        return 0

    twice = Retention("access_log", days=lambda: 1, apply=keep)
    monkeypatch.setattr(
        retention,
        "capabilities",
        lambda: (Capability(app="access", retention=(twice,)), Capability(app="shop", retention=(twice,))),
    )
    assert [e.id for e in retention.check_retention_kinds()] == ["access.E003"]
    with pytest.raises(ImproperlyConfigured, match="access_log"):
        retention.apply_retention(now=datetime(2030, 1, 1))
