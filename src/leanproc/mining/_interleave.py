"""Which parallel blocks the calibrated scenario interleaves (`interleave: true` on the split).

A block whose branches no case of the log ever runs at the same time (`_enablement`'s
evidence, ``enablement == "previous"``) is worked one branch after the other: its tasks' waits
are then measured from the previous completion in the case, and simulated side by side those
branches would make every case shorter than the log by the block's ``parallel_saving_h``. The
scenario marks such a split ``interleave: true``, so the simulator works the block's tasks one
at a time within a case (in whatever order they come up), as the log does.

Evidence needs cases: a block that fewer than `MIN_CASES` cases run two branches of may show
no overlap by chance as easily as by habit, so it is left parallel. The threshold is
deliberately small: in the corpus's logs a block either overlaps in many cases or in none
(PurchasingExample, reviewing: hundreds of cases, none overlapping). A block the engine cannot
interleave (no matching join, e.g. in an unstructured mined model; or one that shares tasks
with another chosen block without either lying inside the other) is left parallel with a note.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from leanproc.bpmn.model import ProcessModel
from leanproc.mining._enablement import ParallelBlock
from leanproc.scenario.interleave import InterleavedBlock, find_block

__all__ = ["MIN_CASES", "interleaved_splits"]

MIN_CASES = 5  # cases running two branches or more needed before "never overlaps" counts


def interleaved_splits(model: ProcessModel, blocks: Sequence[ParallelBlock],
                       table: pd.DataFrame) -> tuple[dict[str, str], list[str]]:
    """The splits to interleave (id -> label) and notes on blocks that qualified but cannot
    be interleaved. `table` is `block_evidence` for `blocks`, row for row."""
    found: dict[str, InterleavedBlock] = {}
    notes: list[str] = []
    for block, row in zip(blocks, table.to_dict("records"), strict=True):
        if row["enablement"] != "previous" or row["cases_with_branches"] < MIN_CASES:
            continue
        shape = find_block(model, block.gateway)
        if isinstance(shape, str):
            notes.append(f"parallel block {block.label} is worked one branch at a time in the "
                         f"log but is left parallel: {shape}")
        else:
            found[block.gateway] = shape
    # blocks are kept largest first; one sharing tasks with a kept block it neither contains
    # nor lies inside is dropped (the engine refuses such a pair)
    kept: dict[str, InterleavedBlock] = {}
    for split, shape in sorted(found.items(), key=lambda kv: (-len(kv[1].members), kv[0])):
        clash = [k for k, other in kept.items() if other.members & shape.members
                 and split not in other.members]
        if clash:
            notes.append(f"parallel block {model.nodes[split].label} is left parallel: it "
                         f"shares tasks with the interleaved block of "
                         f"{model.nodes[clash[0]].label} without lying inside it")
        else:
            kept[split] = shape
    return {s: model.nodes[s].label for s in found if s in kept}, notes
