"""The shared mechanisms for hostile input: named size limits and atomic output files."""

from __future__ import annotations

import os

import pytest

from leanproc.atomic import atomic_write
from leanproc.errors import LeanprocError, ScenarioError
from leanproc.limits import Limit, limits, raised

_TEST_LIMIT = Limit("test_items", 10, "items in a test input")


def test_a_limit_names_itself_the_value_and_how_to_raise_it() -> None:
    with pytest.raises(ScenarioError) as info:
        _TEST_LIMIT.check(11, ScenarioError, source="x.yaml")
    text = str(info.value)
    assert text.startswith("x.yaml: items in a test input: 11 exceeds the limit of 10")
    assert "LEANPROC_LIMIT_TEST_ITEMS" in text and "raised(test_items=N)" in text
    _TEST_LIMIT.check(10, ScenarioError)  # at the bound: allowed


def test_a_limit_is_raised_by_the_environment_or_a_block(monkeypatch) -> None:
    monkeypatch.setenv("LEANPROC_LIMIT_TEST_ITEMS", "20")
    _TEST_LIMIT.check(15, ScenarioError)
    with raised(test_items=12), pytest.raises(ScenarioError):
        _TEST_LIMIT.check(15, ScenarioError)
    assert limits()["test_items"] == 20
    monkeypatch.setenv("LEANPROC_LIMIT_TEST_ITEMS", "many")
    with pytest.raises(LeanprocError, match="not a whole number"):
        _TEST_LIMIT.check(1, ScenarioError)
    with pytest.raises(LeanprocError, match="unknown limit"), raised(no_such_limit=1):
        pass


def test_atomic_write_replaces_only_on_success(tmp_path) -> None:
    target = tmp_path / "log.csv"
    target.write_text("previous, complete\n")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half a")
        raise RuntimeError("killed mid-write")
    assert target.read_text() == "previous, complete\n"
    assert os.listdir(tmp_path) == ["log.csv"]  # no temporary file left behind
    with atomic_write(target, "wb") as handle:
        handle.write(b"new\n")
    assert target.read_bytes() == b"new\n"


def test_atomic_write_refuses_a_folder_or_a_missing_folder(tmp_path) -> None:
    with pytest.raises(LeanprocError, match="is a folder"), atomic_write(tmp_path):
        pass
    with pytest.raises(LeanprocError, match="does not exist"), \
            atomic_write(tmp_path / "no" / "x.csv"):
        pass


def test_every_limit_is_known_before_the_code_that_checks_it_is_imported() -> None:
    # `import leanproc` loads almost nothing: raising the Excel limit first must still work
    import json
    import subprocess
    import sys

    probe = ("import json, leanproc.limits as l\n"
             "with l.raised(xlsx_cells=5, cases_without_horizon=7): pass\n"
             "print(json.dumps(sorted(l.limits())))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    declared = set(json.loads(done.stdout))
    assert {"xlsx_cells", "cases_without_horizon", "yaml_aliases", "xml_attributes",
            "resource_units", "log_columns"} <= declared
