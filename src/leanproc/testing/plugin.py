"""The leanproc pytest plugin: simulate each scenario once per test session, share the runs.

Registered through the ``pytest11`` entry point, so installing leanproc is enough. Fixtures
(all session-scoped factories; arguments default to the command-line options):

``leanproc_simulation(scenario, *, replications=None, seed=None, until=None)``
    `leanproc.simulate` with a cache: the same scenario file and options run once per session.
``leanproc_comparison(as_is, to_be, targets=None, *, replications=None, seed=None)``
    `leanproc.compare` of two cached simulations (paired: both sides use the same seed).
``leanproc_gate(path, *, replications=None, seed=None)``
    `leanproc.testing.run_gates` of a gate file, its simulations from the same cache.

Options: ``--leanproc-replications N`` overrides every fixture's and gate file's number of
replications (fewer for a quick pre-merge check, more for the release gate);
``--leanproc-seed S`` sets the seed where a test does not give one.

This module imports nothing heavy at load time: every pytest run of a project that has
leanproc installed loads it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from leanproc.inputs import DEFAULT_SEED

DEFAULT_REPLICATIONS = 10


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("leanproc", "leanproc target models")
    group.addoption("--leanproc-replications", type=int, default=None, metavar="N",
                    help=f"replications of every leanproc fixture's simulations; overrides "
                         f"the tests' and gate files' own (default {DEFAULT_REPLICATIONS})")
    group.addoption("--leanproc-seed", type=int, default=None, metavar="S",
                    help=f"seed of leanproc fixtures (default {DEFAULT_SEED})")


class SimulationCache:
    """Simulations keyed by (scenario file, replications, seed, until)."""

    def __init__(self, replications: int | None, seed: int | None) -> None:
        self.replications = replications
        self.seed = seed
        self._runs: dict[tuple[Any, ...], Any] = {}
        self.simulated = 0  # how many distinct simulations ran (for tests and reports)

    def _key(self, scenario: Any, replications: int, seed: int, until: Any) -> tuple[Any, ...]:
        if isinstance(scenario, str | os.PathLike):
            ident: Any = str(Path(scenario).resolve())
        else:  # a mapping or Scenario object: identity within the session
            ident = ("object", id(scenario))
        return ident, replications, seed, None if until is None else str(until)

    def simulate(self, scenario: Any, *, replications: int | None = None,
                 seed: int | None = None, until: Any = None, executor: Any = None) -> Any:
        """Run (or reuse) the simulation; `Replications` when replications > 1."""
        from leanproc.simulation.run import simulate

        reps = self.replications or replications or DEFAULT_REPLICATIONS
        s = seed if seed is not None else (self.seed if self.seed is not None else DEFAULT_SEED)
        key = self._key(scenario, reps, s, until)
        if key not in self._runs:
            self._runs[key] = simulate(scenario, seed=s, replications=reps, until=until,
                                       executor=executor)
            self.simulated += 1
        return self._runs[key]


@pytest.fixture(scope="session")
def leanproc_cache(request: pytest.FixtureRequest) -> SimulationCache:
    """The session's simulation cache (the other fixtures share it)."""
    return SimulationCache(request.config.getoption("--leanproc-replications"),
                           request.config.getoption("--leanproc-seed"))


@pytest.fixture(scope="session")
def leanproc_simulation(leanproc_cache: SimulationCache) -> Callable[..., Any]:
    """Factory: ``leanproc_simulation("scenarios/to-be.yaml")`` -> cached `Replications`."""
    return leanproc_cache.simulate


@pytest.fixture(scope="session")
def leanproc_comparison(leanproc_cache: SimulationCache) -> Callable[..., Any]:
    """Factory: ``leanproc_comparison(as_is, to_be, targets=None)`` -> `Comparison`."""
    made: dict[tuple[Any, ...], Any] = {}

    def factory(as_is: Any, to_be: Any, targets: Any = None, *,
                replications: int | None = None, seed: int | None = None,
                until: Any = None, volume_per_year: float | None = None) -> Any:
        from leanproc.comparison import compare

        before = leanproc_cache.simulate(as_is, replications=replications, seed=seed,
                                         until=until)
        after = leanproc_cache.simulate(to_be, replications=replications, seed=seed,
                                        until=until)
        key = (id(before), id(after), str(targets), volume_per_year)
        if key not in made:
            made[key] = compare(before, after, targets, volume_per_year=volume_per_year)
        return made[key]

    return factory


@pytest.fixture(scope="session")
def leanproc_gate(leanproc_cache: SimulationCache) -> Callable[..., Any]:
    """Factory: ``leanproc_gate("targets.yaml")`` -> `GateReport` (``.passed``, ``str()``)."""

    def factory(path: str | os.PathLike[str], *, replications: int | None = None,
                seed: int | None = None) -> Any:
        from leanproc.testing.gate import run_gates

        def simulator(scenario: Any, *, seed: int, replications: int, until: Any,
                      executor: Any = None) -> Any:
            return leanproc_cache.simulate(scenario, replications=replications, seed=seed,
                                           until=until)

        reps = replications or leanproc_cache.replications
        s = seed if seed is not None else leanproc_cache.seed
        return run_gates(path, replications=reps, seed=s, simulator=simulator)

    return factory


def pytest_report_header(config: pytest.Config) -> str | None:
    reps = config.getoption("--leanproc-replications")
    seed = config.getoption("--leanproc-seed")
    if reps is None and seed is None:
        return None
    return f"leanproc: replications={reps or 'default'}, seed={seed or 'default'}"
