"""A matching round is the command line (issue 6, item 3).

The app builds the engine's problem from the database and calls the same code as
``cityofpeople match solve``: a round over the demo city's open requests, its stored problem written to
a file and solved by the real console script in another process, gives the identical assignment and
score; and ``cityofpeople match check`` accepts the round's proposals as a feasible solution with the
score the round shows the coordinator.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from apps.access.actors import actor_for_user
from apps.care import services
from apps.care.models import MatchingRound
from apps.people.models import Person, Role

pytestmark = pytest.mark.django_db
CLI = Path(sys.executable).parent / "cityofpeople"
TOLERANCE = 1e-6


def cityofpeople(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a coordinator or an auditor would run it."""
    return subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def finished_round(person_of: Callable[[str], Person]) -> MatchingRound:
    """A round started by the demo coordinator over all their districts, run as the worker runs it."""
    coordinator = actor_for_user(person_of(Role.COORDINATOR).user)
    matching_round = services.round_start(actor=coordinator, district_id=None)
    services.round_run(matching_round.pk, sorted(services.round_districts(coordinator, None)))
    return MatchingRound.objects.get(pk=matching_round.pk)  # as stored, after the JSON's trip to the database


def round_solution(matching_round: MatchingRound) -> dict[str, Any]:
    """The round's proposals written as the spec's solution JSON."""
    proposals = matching_round.proposals.select_related("request", "helper")
    return {
        "assignments": [{"request": p.request.engine_id, "helper": p.helper.engine_id} for p in proposals],
        "score": matching_round.total_score,
        "optimal": matching_round.optimal,
    }


def pairs(solution: dict[str, Any]) -> set[tuple[str, str]]:
    return {(a["request"], a["helper"]) for a in solution["assignments"]}


def test_the_command_line_solves_a_rounds_problem_to_the_same_assignment(
    finished_round: MatchingRound, tmp_path: Path
) -> None:
    matching_round = finished_round
    assert matching_round.status == MatchingRound.Status.DONE, matching_round.error
    assert matching_round.problem is not None
    proposals = list(matching_round.proposals.all())
    assert len(proposals) >= 3, "a round with something to compare"
    assert matching_round.requests_count == len(matching_round.problem["requests"]) > len(proposals) / 2
    problem_file = tmp_path / "round-problem.json"
    problem_file.write_text(json.dumps(matching_round.problem), encoding="utf-8")

    solved = cityofpeople("match", "solve", problem_file, "-o", tmp_path / "cli-solution.json")
    assert solved.returncode == 0, solved.stderr
    cli = json.loads((tmp_path / "cli-solution.json").read_text(encoding="utf-8"))
    ours = round_solution(matching_round)
    assert pairs(cli) == pairs(ours), "the same request/helper pairs"
    assert len(cli["assignments"]) == len(ours["assignments"])
    assert cli["score"] == pytest.approx(matching_round.total_score, abs=TOLERANCE * len(proposals))
    assert cli["optimal"] is matching_round.optimal is True
    assert sum(p.score for p in proposals) == pytest.approx(cli["score"], abs=TOLERANCE * len(proposals))


def test_the_command_line_accepts_the_rounds_assignment_and_refuses_a_broken_one(
    finished_round: MatchingRound, tmp_path: Path
) -> None:
    problem_file = tmp_path / "round-problem.json"
    problem_file.write_text(json.dumps(finished_round.problem), encoding="utf-8")
    solution = round_solution(finished_round)
    (tmp_path / "round-solution.json").write_text(json.dumps(solution), encoding="utf-8")

    checked = cityofpeople("match", "check", problem_file, tmp_path / "round-solution.json")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith(f"feasible: {len(solution['assignments'])} assignments, score")

    # the check is a real one: the same helper given one request twice is refused
    first = solution["assignments"][0]
    broken = {**solution, "assignments": [*solution["assignments"], dict(first)]}
    (tmp_path / "broken.json").write_text(json.dumps(broken), encoding="utf-8")
    refused = cityofpeople("match", "check", problem_file, tmp_path / "broken.json")
    assert refused.returncode == 1
    assert f"request {first['request']} is already assigned" in refused.stderr


def test_a_round_run_again_after_a_change_starts_from_the_last_one_and_is_still_the_optimum(
    person_of: Callable[[str], Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15, item 3: the second round re-solves from the first one's state (warm start) and its proposals
    are exactly what a cold solve of its own stored problem gives, proven optimal."""
    from apps.care import rounds
    from apps.care.problem import open_requests
    from domain.matching import parse_problem, solve

    rounds.forget()
    coordinator = actor_for_user(person_of(Role.COORDINATOR).user)
    districts = sorted(services.round_districts(coordinator, None))
    first = services.round_start(actor=coordinator, district_id=None)
    services.round_run(first.pk, districts)
    # the coordinator, on the phone, raises the urgency of one request and lowers another's
    changed = list(open_requests().filter(district_id__in=districts).order_by("pk")[:2])
    assert len(changed) == 2
    changed[0].urgency, changed[1].urgency = 5, 1
    for request in changed:
        request.save(update_fields=["urgency"])

    methods: list[str] = []
    real_resolve = rounds.resolve

    def watched(problem: Any, warm: Any) -> Any:
        solution = real_resolve(problem, warm)
        methods.append(solution.stats.method)
        return solution

    monkeypatch.setattr(rounds, "resolve", watched)
    second = services.round_start(actor=coordinator, district_id=None)
    services.round_run(second.pk, districts)
    assert methods == ["warm"], "the second round started from the first one"

    stored = MatchingRound.objects.get(pk=second.pk)
    assert stored.status == MatchingRound.Status.DONE and stored.optimal is True
    cold = solve(parse_problem(stored.problem))
    ours = round_solution(stored)
    assert pairs(ours) == {(a.request, a.helper) for a in cold.assignments}
    assert stored.total_score == pytest.approx(cold.score, abs=TOLERANCE * max(1, len(cold.assignments)))
