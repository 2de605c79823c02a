"""The pytest plugin, run the way a process office runs it: pytest on the ci-gate example.

The example's own test file runs in a pytest subprocess (pytester) on a copy of the example:
once as it is (every target met: the run passes) and once with a TO-BE whose archive search is
slow again (the run fails, and the output names the KPI that broke). A subprocess, not an
in-process run: the plugin loads nothing heavy, so numpy and scipy load during the inner run,
pytester unloads what a run loaded, and numpy refuses to load twice in one process.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

import pytest

from helpers.cli_scenarios import copy_example

pytest_plugins = ["pytester"]

# Fewer replications than the example's 10: its targets are clear-cut (the TO-BE meets each
# with a wide margin, the broken one misses by days), so two decide them, and fast.
FAST = ("-p", "no:cacheprovider", "--leanproc-replications", "2")


def test_plugin_is_registered_through_the_pytest11_entry_point():
    names = {e.value for e in entry_points(group="pytest11")}
    assert "leanproc.testing.plugin" in names, "reinstall leanproc: pip install -e ."


def test_loading_the_plugin_imports_nothing_heavy():
    # pytest loads the plugin in every session of a project that has leanproc installed; a
    # fresh interpreter, since this one has loaded everything already
    code = ("import sys, leanproc.testing.plugin; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pandas', 'numpy', 'simpy', 'matplotlib', 'pydantic', 'lxml')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_example_passes_as_committed(pytester: pytest.Pytester):
    repo = copy_example(pytester.path / "office")
    result = pytester.runpytest_subprocess(str(repo / "tests"), *FAST)
    result.assert_outcomes(passed=3)


def test_example_fails_with_the_kpi_named_when_the_to_be_breaks(pytester: pytest.Pytester):
    repo = copy_example(pytester.path / "office")
    scenario = repo / "scenarios" / "to-be.yaml"
    text = scenario.read_text(encoding="utf-8")
    # the digitised archive goes out of use: the search waits 3-6 working days again
    broken = text.replace("Найти документы в электронном архиве: {wait: {uniform: [0wd, 1wd]}",
                          "Найти документы в электронном архиве: {wait: {uniform: [3wd, 6wd]}")
    assert broken != text
    scenario.write_text(broken, encoding="utf-8")
    result = pytester.runpytest_subprocess(str(repo / "tests"), *FAST)
    result.assert_outcomes(passed=1, failed=2)
    output = result.stdout.str()
    assert "FAIL Архивная справка (TO-BE)" in output
    assert "targets not met: Архивная справка (TO-BE): lead_time_working.mean" in output
    assert "targets not met for Архивная справка (TO-BE): lead_time_working.p90" in output


def test_simulations_are_shared_across_tests(pytester: pytest.Pytester, tmp_path):
    from helpers.cli_scenarios import small_pair

    as_is, to_be = small_pair(tmp_path, cases=20)
    pytester.makepyfile(f"""
        def test_a(leanproc_simulation, leanproc_cache):
            leanproc_simulation({str(to_be)!r})
            assert leanproc_cache.simulated == 1

        def test_b(leanproc_comparison, leanproc_cache):
            c = leanproc_comparison({str(as_is)!r}, {str(to_be)!r})
            assert leanproc_cache.simulated == 2      # TO-BE came from the cache
            assert c.paired and len(c.after_values) == 2
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider",
                                          "--leanproc-replications", "2")
    result.assert_outcomes(passed=2)
