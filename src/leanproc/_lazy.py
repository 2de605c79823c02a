"""Names of a package loaded on first use (a module-level ``__getattr__``, PEP 562).

A package whose public names pull in heavy modules (the SimPy engine, pandas through the
targets) lists them with their modules and lets `lazy_getattr` import a module only when one of
its names is first asked for, so importing one light module of the package stays light.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_dir", "lazy_getattr"]


def lazy_getattr(package: str, targets: Mapping[str, str]) -> Callable[[str], Any]:
    """The ``__getattr__`` of `package`: ``targets`` maps each public name to the module that
    defines it under the same name; any other name raises AttributeError as Python's own
    lookup does."""

    def __getattr__(name: str) -> Any:
        if name not in targets:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(targets[name]), name)

    return __getattr__


def lazy_dir(namespace: Mapping[str, Any], public: list[str]) -> Callable[[], list[str]]:
    """The ``__dir__`` of a package with lazy names: what it has loaded (its `namespace`, the
    module's ``globals()``) and its `public` names, loaded or not, so completion offers them."""

    def __dir__() -> list[str]:
        return sorted({*namespace, *public})

    return __dir__
