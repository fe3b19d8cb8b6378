"""The order of ``cityofpeople demo``: every app's declared ``Demo``, each after the apps it names.

An app's demo often needs another's rows (people live at places, care requests belong to people), so each
declares ``after=("places", ...)``.  The order is a topological one that, whenever several demos could go
next, takes the app that comes first in ``INSTALLED_APPS``: the same order on every machine, so the one
seeded generator draws the same demo city everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from .capabilities import Capability, Demo


class DemoOrderError(ValueError):
    """An ``after`` that names no installed app, or demos that wait for each other."""


def demo_order(declared: Iterable[Capability]) -> list[tuple[str, Demo]]:
    """``(app, demo)`` of every app with a demo, each after the apps its ``after`` names.

    ``declared`` is in ``INSTALLED_APPS`` order.  Naming an installed app without a demo is allowed (it
    has nothing to wait for); naming an app that is not installed, or a cycle, raises ``DemoOrderError``.
    """
    declared = list(declared)
    installed = {capability.app for capability in declared}
    demos = [(capability.app, capability.demo) for capability in declared if capability.demo is not None]
    with_demo = {app for app, _demo in demos}
    for app, demo in demos:
        unknown = sorted(set(demo.after) - installed)
        if unknown:
            raise DemoOrderError(f"the demo of {app!r} comes after {', '.join(map(repr, unknown))}: not installed")
    waiting = {app: set(demo.after) & with_demo for app, demo in demos}
    ordered: list[tuple[str, Demo]] = []
    done: set[str] = set()
    pending = list(demos)
    while pending:
        ready = next(((app, demo) for app, demo in pending if waiting[app] <= done), None)
        if ready is None:
            stuck = "; ".join(
                f"{app!r} after {', '.join(map(repr, sorted(waiting[app] - done)))}" for app, _ in pending
            )
            raise DemoOrderError(f"the demos wait for each other: {stuck}")
        ordered.append(ready)
        done.add(ready[0])
        pending.remove(ready)
    return ordered
