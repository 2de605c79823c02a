"""``python -m leanproc.mining._discover_child IN OUT NOISE``: the inductive miner in a process
of its own, so that `discover` can stop it at its time budget.

A plain child interpreter rather than `multiprocessing`: multiprocessing's spawn re-runs the
caller's main script, which breaks a script without an ``if __name__ == "__main__"`` guard, and
a fork of a process with numpy's thread pools can hang. IN is a pickle of the filtered frame,
OUT receives a pickle of the canonical tree; both are temporary files `discover` writes and
removes itself.
"""

from __future__ import annotations

import pickle
import sys


def main(argv: list[str]) -> int:
    from leanproc.mining.discover import mine_tree

    source, target, noise = argv[0], argv[1], float(argv[2])
    with open(source, "rb") as fh:
        frame = pickle.load(fh)  # written by discover in this run, never a user's file
    tree = mine_tree(frame, noise, False)
    with open(target, "wb") as fh:
        pickle.dump(tree, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
