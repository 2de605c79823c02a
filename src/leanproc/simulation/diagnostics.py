"""The engine's modelling errors: a loop that never ends, a join that waits forever.

Each names the elements involved and the fix, since the user meets them as a failed run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from leanproc.errors import SimulationError
from leanproc.simulation.compile import CNode, CompiledModel
from leanproc.simulation.state import Scope

if TYPE_CHECKING:
    from leanproc.scenario import BoundScenario


def endless_loop(bound: BoundScenario, case_no: int, cn: CNode,
                 max_steps: int) -> SimulationError:
    """Case `case_no` (0-based) took more than `max_steps` steps; `cn` is where it is now."""
    g = bound.model.graph
    try:
        cycle = nx.find_cycle(g, cn.node.id)
        names = " -> ".join(bound.model.nodes[u].label for u, *_ in cycle)
    except nx.NetworkXNoCycle:
        names = cn.label
    return SimulationError(
        f"case {case_no + 1} passed {max_steps} steps without finishing; it keeps "
        f"looping through {names}. Lower the repeat probability of that loop or give it an "
        "exit (or raise max_steps if the loop is meant to be this long)"
    )


def deadlock(cm: CompiledModel, scope: Scope,
             stuck: list[tuple[int, list[int]]]) -> SimulationError:
    """A scope ended with tokens waiting at joins (`stuck`: join idx, tokens per flow)."""
    parts = []
    fids = list(cm.flow_index)
    for j, counts in stuck:
        cn = cm.nodes[j]
        flows = {pos: fi for fi, pos in cn.in_pos.items()}
        missing = [fids[flows[p]] for p, c in enumerate(counts) if c == 0]
        parts.append(
            f"join {cn.label} got tokens on {sum(1 for c in counts if c)} of {cn.n_in} "
            f"incoming flows and waits forever for {', '.join(missing)}"
        )
    return SimulationError(
        [f"case {scope.case.idx + 1} cannot finish (deadlock) in {scope.tmpl.label}: "
         + "; ".join(parts),
         "the branches it waits for were not taken by an earlier exclusive or inclusive "
         "split: join with the matching gateway type"]
    )
