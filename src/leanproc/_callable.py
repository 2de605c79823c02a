"""Subpackages that are also the public function of the same name.

``leanproc.simulate(...)`` and ``leanproc.compare(...)`` are the flat API of the design, but
``simulate`` and ``compare`` are also subpackages: once any of their modules is imported, Python
binds the subpackage to that attribute of ``leanproc``. Giving the subpackage module a
``__call__`` that forwards to the function makes both readings work, whatever was imported first.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


class _CallableModule(types.ModuleType):
    _target: str

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        module_name, attr = type(self)._target.split(":")
        return getattr(importlib.import_module(module_name), attr)(*args, **kwargs)


def make_callable(module_name: str, target: str) -> None:
    """Let the module `module_name` be called as the function `target` ("module:attribute")."""
    module = sys.modules[module_name]
    cls = type(f"Callable{module_name.title().replace('.', '')}", (_CallableModule,),
               {"_target": target, "__doc__": module.__doc__})
    module.__class__ = cls
