"""A pytest plugin that only `make mutate` loads (pyproject.toml, `pytest_add_cli_args`).

mutmut's `max_stack_depth` keeps, for each mutated function, only the tests that reach it
through at most that many frames of our own code. mutmut 3.8.1 decides "our own code" by
resolving every frame's file on the disk at every call of a mutated function during its stats
run: on this suite that was nine tenths of the run's time (a walk of some sixty frames for each
of millions of calls), and a frame without a file (the import machinery's frozen modules, code
made by `dataclasses`) stops the run with FileNotFoundError. This plugin installs the same walk
with each file's answer remembered, and a frame without a file counted as not ours (it is not).

It also makes each mutant's run cheaper. mutmut forks one child per mutant from a process that
has imported and collected the whole suite; the child's pytest session then ran the garbage
collector over every object it inherited (pytest collects hard at its end), which was half of a
short mutant's run. `gc.freeze()` at the start of each session leaves those objects out. And a
mutant's tests run fastest first (their durations from the stats run): one failure kills it,
so a mutant a quick test catches is not made to wait for the slow page tests before it.
"""

import gc
import inspect
import json
import math
from functools import cache
from pathlib import Path

import pytest
from mutmut.configuration import config
from mutmut.mutation import trampoline
from mutmut.mutation.trampoline import get_mutant_under_test
from mutmut.state import state

# The walk ends where the test runner's own frames begin, as mutmut's does.
RUNNER_MARKERS = ("pytest", "hammett", "unittest")


@cache
def _is_ours(filename: str) -> bool:
    try:
        path = Path(filename).resolve(strict=True)
    except OSError:
        return False
    return any(root in path.parents for root in config().resolved_mutated_source_paths)


@cache
def _is_runner(filename: str) -> bool:
    return any(marker in filename for marker in RUNNER_MARKERS)


def record_hit(name: str, caller: str | None = None) -> None:
    """Note that the running test reached `name`, unless it is too far from the test."""
    allowed = config().max_stack_depth
    if allowed != -1:
        frame = inspect.currentframe()
        while allowed and frame is not None:
            filename = frame.f_code.co_filename
            frame = frame.f_back
            if _is_runner(filename):
                break
            if _is_ours(filename):
                allowed -= 1
        if not allowed:
            return
    state()._stats.add(name)
    if caller is not None and config().track_dependencies:
        state().function_dependencies[name].add(caller)


trampoline.record_trampoline_hit = record_hit


def pytest_configure():
    gc.freeze()


# Each test's whole cost, setup and teardown included, as the clean run (the last session
# before the mutants, MUTANT_UNDER_TEST empty) measured it. mutmut's own durations count only
# the test's call: a test whose fixture builds the demo organisation (5 s) looked like one of
# the quickest and ran first for every mutant it reaches.
COSTS = Path(__file__).resolve().parent.parent / "mutmut-test-costs.json"
_costs: dict[str, float] = {}


def pytest_runtest_logreport(report):
    if get_mutant_under_test() == "":
        _costs[report.nodeid] = _costs.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish():
    if get_mutant_under_test() == "" and _costs:
        COSTS.write_text(json.dumps(_costs))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    if "__mutmut_" not in get_mutant_under_test():
        return
    costs = json.loads(COSTS.read_text()) if COSTS.exists() else state().duration_by_test
    items.sort(key=lambda item: costs.get(item.nodeid, math.inf))
