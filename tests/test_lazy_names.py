"""`leanproc._lazy`: a package's public names load with their module on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

from leanproc._lazy import lazy_dir, lazy_getattr


def test_a_listed_name_comes_from_its_module_and_others_raise() -> None:
    getattr_ = lazy_getattr("pkg", {"dumps": "json", "nan": "math"})
    import json
    import math

    assert getattr_("dumps") is json.dumps
    assert getattr_("nan") is math.nan
    with pytest.raises(AttributeError, match=r"module 'pkg' has no attribute 'loads'"):
        getattr_("loads")


def test_dir_lists_public_names_before_they_load() -> None:
    namespace = {"__name__": "pkg", "_LAZY": {}}
    listing = lazy_dir(namespace, ["simulate", "sweep"])
    assert listing() == ["_LAZY", "__name__", "simulate", "sweep"]
    namespace["sweep"] = object()  # loaded: listed once, not twice
    assert listing().count("sweep") == 1


def test_the_testing_package_loads_no_targets_until_asked() -> None:
    # run in a fresh interpreter: this test session has long loaded everything
    code = ("import sys, leanproc.testing as t; print('leanproc.targets' in sys.modules); "
            "t.TargetReport; print('leanproc.targets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "True"]
