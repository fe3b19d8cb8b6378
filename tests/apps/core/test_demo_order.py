"""``cityofpeople demo`` runs every app's declared demo after the demos it names (issue 13, item 3).

The order is what makes the demo city the same on every machine: one seeded generator, drawn from by
each demo in turn.  A demo that names an app that is not installed, or demos that wait for each other,
stop ``manage.py check`` and the command with a sentence that says which.
"""

from __future__ import annotations

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.core import checks_capabilities
from apps.core.capabilities import Capability, Demo, capabilities
from apps.core.demos import DemoOrderError, demo_order
from apps.core.management.commands import load_demo


def nothing(generator: random.Random) -> int:
    return 0


def app(name: str, *after: str, demo: bool = True) -> Capability:
    return Capability(app=name, demo=Demo(load=nothing, noun=name, after=after) if demo else None)


def order(*declared: Capability) -> list[str]:
    return [name for name, _demo in demo_order(declared)]


def test_without_dependencies_the_demos_run_in_the_order_of_installed_apps() -> None:
    assert order(app("a"), app("b"), app("c")) == ["a", "b", "c"]


def test_a_demo_runs_after_the_ones_it_names_and_ties_keep_the_installed_order() -> None:
    assert order(app("people", "places", "organisations"), app("places"), app("organisations", "places")) == [
        "places",
        "organisations",
        "people",
    ]
    # the foundation's shape: care after people, people after organisations, organisations installed later
    declared = [app("core", demo=False), app("places"), app("people", "places", "organisations"),
                app("organisations"), app("access", demo=False), app("care", "places", "people")]  # fmt: skip
    assert order(*declared) == ["places", "organisations", "people", "care"]


def test_naming_an_installed_app_without_a_demo_is_allowed() -> None:
    assert order(app("access", demo=False), app("care", "access")) == ["care"]


def test_naming_an_app_that_is_not_installed_is_an_error() -> None:
    with pytest.raises(DemoOrderError, match=r"the demo of 'care' comes after 'wellbeing': not installed"):
        order(app("places"), app("care", "places", "wellbeing"))


def test_demos_that_wait_for_each_other_are_an_error() -> None:
    with pytest.raises(DemoOrderError, match=r"wait for each other: 'a' after 'c'; 'b' after 'a'; 'c' after 'b'"):
        order(app("a", "c"), app("b", "a"), app("c", "b"), app("d"))
    with pytest.raises(DemoOrderError, match=r"'a' after 'a'"):
        order(app("a", "a"))


def test_the_installed_apps_load_places_organisations_people_then_care() -> None:
    """The order the demo city was always loaded in: changing it would change every drawn address and name.
    A capability installed later (at the end of ``INSTALLED_APPS``) loads after these, which keep their order."""
    loaded = [(name, demo.noun) for name, demo in demo_order(capabilities())]
    assert loaded[:4] == [
        ("places", "places"),
        ("organisations", "organisations"),
        ("people", "people"),
        ("care", "care requests"),
    ]
    assert checks_capabilities.demos_can_be_ordered() == []


def test_a_cycle_stops_the_check_and_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    cyclic = (app("places", "care"), app("care", "places"))
    monkeypatch.setattr(checks_capabilities, "capabilities", lambda: cyclic)
    errors = checks_capabilities.demos_can_be_ordered()
    assert [error.id for error in errors] == ["cityofpeople.E101"]
    assert "'care' after 'places'" in errors[0].msg and "'places' after 'care'" in errors[0].msg

    monkeypatch.setattr(load_demo, "capabilities", lambda: cyclic)
    with pytest.raises(CommandError, match="The demos cannot be ordered: the demos wait for each other"):
        call_command("load_demo", stdout=StringIO())


@pytest.mark.django_db
def test_the_command_runs_each_demo_in_order_in_one_transaction_then_each_finish(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every load draws from the same generator, in order, inside one transaction (here a savepoint of the
    test's); every ``finish`` runs after all loads, outside it."""
    from django.db import connection

    calls: list[str] = []
    outside = len(connection.savepoint_ids)

    def depth() -> str:
        return "in the transaction" if len(connection.savepoint_ids) == outside + 1 else "outside"

    def loader(name: str, made: int):  # type: ignore[no-untyped-def]
        def load(generator: random.Random) -> int:
            calls.append(f"{name}:{generator.random():.6f}:{depth()}")
            return made

        return load

    declared = (
        Capability(app="people", demo=Demo(load=loader("people", 3), noun="people", after=("places",),
                                           finish=lambda: calls.append(f"people:finish:{depth()}"))),
        Capability(app="places", demo=Demo(load=loader("places", 2), noun="places",
                                           finish=lambda: calls.append(f"places:finish:{depth()}"))),
    )  # fmt: skip
    monkeypatch.setattr(load_demo, "capabilities", lambda: declared)
    monkeypatch.setattr(load_demo, "call_command", lambda *args, **kwargs: None)  # districts and logins
    out = StringIO()
    call_command("load_demo", stdout=out)
    seeded = random.Random(load_demo.DEMO_SEED)  # the same draws as the demo
    first, second = seeded.random(), seeded.random()
    assert calls == [
        f"places:{first:.6f}:in the transaction",
        f"people:{second:.6f}:in the transaction",
        "places:finish:outside",
        "people:finish:outside",
    ]
    assert out.getvalue() == "Demo loaded: 2 places, 3 people.\n"
