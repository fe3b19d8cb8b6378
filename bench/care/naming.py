"""Does "a helper out of reach" take as long to answer as "no helper with this number"? (issue 12, item 6)

    .venv/bin/python bench/care/naming.py                      # SQLite in a temporary folder, the demo city
    .venv/bin/python bench/care/naming.py --repeat 200
    DATABASE_URL=postgres://me@127.0.0.1:5432/scratch .venv/bin/python bench/care/naming.py   # an EMPTY database

A coordinator names a helper by number to ask "why (not) this one?" (``GET .../explain/{n}``) or to propose
them (``POST .../propose``).  Both go through ``selectors.offer_named_by_coordinator``: a number nobody has
and a helper the coordinator may not name (another district, does not fit) give the same answer.  This
measures whether they also take the same time, for the API answers of both routes, as the demo
coordinator, for: a number nobody has; a helper of another district who does not fit; and, to compare, a
helper of the coordinator's own district who does not fit (whose rules the coordinator may read).

For each: the median and the 95th percentile of the whole request's wall time (middleware, view,
selector, engine) over ``--repeat`` requests after 3 warm-ups, taken in turns so that whatever else runs
on the machine falls on all alike, and the number of SQL queries of one request.  It prints one Markdown
table.  Numbers depend on the machine; the query counts do not.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="cop-bench-naming-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "cityofpeople.settings.test"
    os.environ.setdefault("COP_VAR_DIR", folder)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)

    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s and 422s measured are not news
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    print(f"<!-- database ready in {time.perf_counter() - started:.1f} s -->")
    measure(args.repeat)
    return 0


def measure(repeat: int) -> None:
    from django.db import connection
    from django.http import Http404
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from apps.access.actors import actor_for_user
    from apps.care import selectors
    from apps.care.models import CareRequest, HelperOffer
    from apps.people.demo import DEMO_ACCOUNTS
    from apps.people.models import Person, Role

    account = next(a for a in DEMO_ACCOUNTS if a.role.value == Role.COORDINATOR)
    coordinator = Person.objects.get(user__username=account.email)
    actor = actor_for_user(coordinator.user)
    scope = actor.district_scope(Role.COORDINATOR)
    request = (
        CareRequest.objects.filter(district_id__in=scope, status=CareRequest.Status.OPEN, category__professional=False)
        .order_by("pk")
        .first()
    )
    assert request is not None, "the demo city has an open request in the coordinator's district"

    def may_name(offer: HelperOffer) -> bool:
        try:
            selectors.offer_named_by_coordinator(actor, request, offer.pk)
        except Http404:
            return False
        return True

    def unfit(offer: HelperOffer) -> bool:
        explanation = selectors.explanation_for(request, offer)
        return explanation is not None and not explanation.eligible

    offers = list(HelperOffer.objects.select_related("person").filter(person__erased_at__isnull=True).order_by("pk"))
    outside = next(o for o in offers if o.person.district_id not in scope and unfit(o) and not may_name(o))
    own = next((o for o in offers if o.person.district_id in scope and unfit(o)), None)
    missing = HelperOffer.objects.order_by("-pk").values_list("pk", flat=True).first() + 1_000_000
    cases = {"a number nobody has": missing, "a helper out of reach (another district, does not fit)": outside.pk}
    if own is not None:
        cases["a helper of one's own district who does not fit"] = own.pk

    setup_test_environment()  # the test client's host and the locmem mail, as in the tests
    client = Client()
    client.force_login(coordinator.user)

    def explain(number: int) -> Any:
        return client.get(f"/api/v1/care/requests/{request.pk}/explain/{number}")

    def propose(number: int) -> Any:
        body = json.dumps({"helper_id": number})
        return client.post(f"/api/v1/care/requests/{request.pk}/propose", body, content_type="application/json")

    print(f"Request #{request.pk}; {repeat} requests each, after 3 warm-ups; times in ms.\n")
    print("| route | helper | answer | median | p95 | SQL queries |")
    print("| --- | --- | --- | ---: | ---: | ---: |")
    for route, call in (("explain", explain), ("propose", propose)):
        answers: dict[str, str] = {}
        queries: dict[str, int] = {}
        for name, number in cases.items():
            for _ in range(3):
                call(number)
            with CaptureQueriesContext(connection) as captured:
                response = call(number)
            queries[name] = len(captured)
            assert response.status_code in {200, 404, 422}, response.content
            answers[name] = f"{response.status_code} {response.json().get('detail', 'explained')}"[:60]
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(repeat):
            for name, number in cases.items():  # in turns
                begun = time.perf_counter()
                call(number)
                times[name].append((time.perf_counter() - begun) * 1000)
        for name in cases:
            values = sorted(times[name])
            p95 = values[max(0, int(len(values) * 0.95) - 1)]
            print(
                f"| {route} | {name} | {answers[name]} | {statistics.median(values):.1f} | {p95:.1f} | "
                f"{queries[name]} |"
            )


if __name__ == "__main__":
    raise SystemExit(main())
