"""Prosimos / Simod simulation parameters (JSON) to and from leanproc scenarios.

>>> from leanproc.interop import from_prosimos, to_prosimos
>>> scenario = from_prosimos("loan.json", "loan.bpmn", cases=1000)   # doctest: +SKIP
>>> result = leanproc.simulate(scenario, seed=1)                       # doctest: +SKIP
>>> params = to_prosimos(scenario)                                     # doctest: +SKIP

importer.py documents the mapping (resources into pools, calendars, laws, branching) and what
is not supported; exporter.py what cannot be exported; distributions.py the two parameter
conventions of Prosimos' laws; calendars.py the weekly calendars.
"""

from leanproc.interop.prosimos.exporter import to_prosimos
from leanproc.interop.prosimos.importer import ProsimosWarning, from_prosimos

__all__ = ["ProsimosWarning", "from_prosimos", "to_prosimos"]
