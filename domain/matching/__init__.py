"""The care-matching engine: exact maximum-weight b-matching of helpers to requests.

Plain Python with NumPy, no Django: the platform (``apps/care``) and the command line
(``cityofpeople match``) call this same code.  The problem and its rules are fixed in
``specs/matching-problem.md``; the model and the proof of exactness are in ``docs/matching.md``.

Use it as a library::

    from domain.matching import load_problem, solve, suggest, explain

    problem = load_problem("problem.json")          # or parse_problem(dict), make_problem(requests, helpers)
    solution = solve(problem)                        # Solution(assignments, score, optimal, unassigned, stats)
    solution.to_dict()                               # the spec's solution JSON
    suggest(problem, "r1", top=10)                   # [Suggestion(helper, score, distance_km, reasons, ...)]
    explain(problem, "r1", "h7")                     # Explanation(eligible, rules=(RuleCheck(rule, ok, detail), ...))

* :func:`solve` returns an optimal assignment; ``optimal`` is True only when a dual certificate, checked
  in exact integer arithmetic on the final state, proves it.
* :func:`suggest` ranks one request's eligible helpers (score, then distance, then id);
  :func:`explain` gives each of the six eligibility rules for one pair.  Both use the solver's rule
  functions, so what they say is what the solver does.
* :func:`greedy` is the baseline the benchmarks compare with.
* Every way in checks its input and raises :class:`ProblemError` with one line naming the first
  offending record and field.
"""

from __future__ import annotations

from .greedy import greedy
from .model import Assignment, Explanation, Helper, Problem, Request, RuleCheck, Solution, SolveStats, Suggestion
from .parse import ProblemError, load_problem, loads_problem, make_problem, parse_problem, problem_to_dict
from .solver import solve
from .suggest import Fit, eligible_helper_counts, explain, fitting_requests, suggest

__all__ = [
    "Assignment",
    "Explanation",
    "Fit",
    "Helper",
    "Problem",
    "ProblemError",
    "Request",
    "RuleCheck",
    "Solution",
    "SolveStats",
    "Suggestion",
    "eligible_helper_counts",
    "explain",
    "fitting_requests",
    "greedy",
    "load_problem",
    "loads_problem",
    "make_problem",
    "parse_problem",
    "problem_to_dict",
    "solve",
    "suggest",
]
