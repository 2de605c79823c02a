"""Exchange with other simulators' parameter formats.

`from_prosimos` reads Prosimos / Simod simulation parameters (JSON) into a leanproc `Scenario`;
`to_prosimos` writes a scenario back as that JSON where the features map. See
`leanproc.interop.prosimos` for the mapping and what cannot be carried across.
"""

from leanproc.interop.prosimos import ProsimosWarning, from_prosimos, to_prosimos

__all__ = ["ProsimosWarning", "from_prosimos", "to_prosimos"]
