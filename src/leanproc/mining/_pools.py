"""Resource pools from a log: who can do what, grouped into interchangeable units.

When the log names a role (``org:role``) for nearly every event, the pools are the roles and a
pool's size is the number of distinct resources seen in it: the organisation has already said
which people are interchangeable. Otherwise the pools come from ``org:resource`` alone: each
activity's set of resources is compared with the others', and activities whose sets overlap
strongly (Jaccard similarity >= `similarity`) share one pool, whose size is the number of
distinct resources across its activities. A person who works in two such pools counts in
both, so the total capacity may exceed the head count; the calibration notes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import pandas as pd

__all__ = ["PoolGrouping", "group_pools"]

_ROLE_COVERAGE = 0.9
_RESOURCE_COVERAGE = 0.5


@dataclass
class PoolGrouping:
    """Pool per row (None where unknown), and each pool's resources and activities."""

    pool_of_row: pd.Series
    resources: dict[str, list[str]]
    activities: dict[str, list[str]]
    basis: str  # "org:role", "org:resource" or "none"

    @property
    def shared(self) -> list[str]:
        """Resources that appear in more than one pool."""
        seen: dict[str, int] = {}
        for members in self.resources.values():
            for r in members:
                seen[r] = seen.get(r, 0) + 1
        return sorted(r for r, k in seen.items() if k > 1)


def group_pools(activity: pd.Series, resource: pd.Series | None, role: pd.Series | None,
                *, similarity: float = 0.5) -> PoolGrouping:
    """Group the rows of a log into pools (see the module docstring)."""
    empty = pd.Series([None] * len(activity), index=activity.index, dtype=object)
    res = resource.astype(object).where(resource.notna(), None) if resource is not None else None
    if role is not None and role.notna().mean() >= _ROLE_COVERAGE:
        pool = role.astype(object).where(role.notna(), None)
        return _describe(pool, activity, res, "org:role")
    if res is None or pd.Series(res).notna().mean() < _RESOURCE_COVERAGE:
        return PoolGrouping(empty, {}, {}, "none")
    frame = pd.DataFrame({"a": activity.to_numpy(), "r": res.to_numpy()}).dropna()
    sets = {a: set(g) for a, g in frame.groupby("a", sort=True)["r"]}
    # activity names, busiest first (pandas types groupby keys loosely: they are the names)
    names = cast(list[str], sorted(sets, key=lambda a: (-len(frame[frame["a"] == a]), a)))
    parent = {a: a for a in names}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, a in enumerate(names):
        for b in names[i + 1:]:
            union = sets[a] | sets[b]
            if union and len(sets[a] & sets[b]) / len(union) >= similarity:
                parent[find(b)] = find(a)
    groups: dict[str, list[str]] = {}
    for a in names:  # in order of frequency: the busiest activity names its pool
        groups.setdefault(find(a), []).append(a)
    label = {}
    for k, (_, members) in enumerate(groups.items(), start=1):
        for a in members:
            label[a] = f"pool-{k}"
    pool = activity.map(label).astype(object)
    pool = pool.where(res.notna() & pool.notna(), None)
    return _describe(pool, activity, res, "org:resource")


def _describe(pool: pd.Series, activity: pd.Series, res: pd.Series | None,
              basis: str) -> PoolGrouping:
    frame = pd.DataFrame({"p": pool.to_numpy(), "a": activity.to_numpy(),
                          "r": res.to_numpy() if res is not None else None})
    frame = frame[frame["p"].notna()]
    resources = {str(p): sorted(map(str, g["r"].dropna().unique()))
                 for p, g in frame.groupby("p", sort=True)}
    activities = {str(p): sorted(map(str, g["a"].unique()))
                  for p, g in frame.groupby("p", sort=True)}
    return PoolGrouping(pool, resources, activities, basis)
