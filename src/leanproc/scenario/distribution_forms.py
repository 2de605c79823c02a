"""The YAML forms of distributions: ``90min``, ``{uniform: [4h, 2d]}``, ``{discrete: {...}}``.

`parse_distribution(value, where=...)` reads one; every problem names its place inside the value
(``activities.Approve.duration.triangular[2]: ...``). Values are read in one of three
dimensions: ``time`` (durations: units required, never negative), ``number`` (plain numbers:
counts, amounts) or ``auto`` (case attributes: numbers unless a time unit appears; a `discrete`
over words gives labels). Working units (``wd``, ``wh``) and clock units cannot be mixed in one
distribution.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from leanproc.errors import ScenarioError
from leanproc.scenario.distributions import (
    Dimension,
    Discrete,
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Histogram,
    LogNormal,
    Normal,
    Rounded,
    Triangular,
    Uniform,
)
from leanproc.scenario.durations import (
    WORKING_DAY,
    Duration,
    SpecError,
    read_duration,
    read_rate,
    unit_seconds,
)

__all__ = ["parse_distribution", "read_count", "read_distribution"]

_KINDS = ("fixed", "uniform", "triangular", "normal", "lognormal", "gamma", "exponential",
          "empirical", "discrete")
_SIBLINGS = ("min", "max", "unit")
EXAMPLES = ("'90min', {uniform: [4h, 2d]}, {triangular: [5min, 10min, 20min]}, "
            "{exponential: {mean: 2h}}")


class _Reader:
    """Reads scalars of one distribution in one dimension, noting working and clock units."""

    def __init__(self, dimension: Dimension, unit: str | None, day_length: float,
                 labels_ok: bool = False) -> None:
        self.dimension = dimension
        self.labels_ok = labels_ok  # a discrete over non-numeric keys gives labels
        self.unit = unit
        self.day_length = day_length
        self.kinds: set[bool] = set()  # working? per time value read
        self.days = False

    def time(self, value: Any, place: str) -> float:
        if value is None:
            raise SpecError("missing", place)
        if self.dimension == "number":
            return self.number(value, place)
        try:
            d: Duration = read_duration(value, self.unit, self.day_length)
        except SpecError as exc:
            raise SpecError(exc.problems[0][1], place) from None
        self._kind(d.working, place)
        self.days |= d.working_days != 0
        return d.seconds

    def rate(self, value: Any, place: str) -> float:
        """A rate's mean interval (1 / rate) in this reader's dimension."""
        if self.dimension == "number":
            return 1.0 / self.positive(value, place)
        try:
            per_second, working = read_rate(value, self.unit, day_length=self.day_length)
        except SpecError as exc:
            raise SpecError(exc.problems[0][1], place) from None
        self._kind(working, place)
        per_unit = (re.split(r"/|\bper\s", value)[-1] if isinstance(value, str) else self.unit)
        if per_unit and unit_seconds(per_unit.strip())[2]:
            self.days = True  # a rate per working day: re-read when the day is not 8 h
        return 1.0 / per_second

    def _kind(self, working: bool, place: str) -> None:
        if self.kinds and working not in self.kinds:
            raise SpecError("mixes working time (wd, wh) and clock time (s, min, h, d) in one "
                            "distribution; write all its values in one kind", place)
        self.kinds.add(working)

    def number(self, value: Any, place: str) -> float:
        if value is None:
            raise SpecError("missing", place)
        if isinstance(value, str):
            try:
                return float(value.strip().replace(",", "."))
            except ValueError:
                pass
        elif (isinstance(value, numbers.Real) and not isinstance(value, bool)
              and not math.isnan(value)):
            return float(value)
        raise SpecError(f"expected a plain number, got {value!r}", place)

    def positive(self, value: Any, place: str) -> float:
        x = self.number(value, place)
        if not x > 0:
            raise SpecError(f"must be > 0, got {value!r}", place)
        return x


def _mapping(value: Any, place: str, keys: Sequence[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SpecError(f"expected a mapping with {' / '.join(keys)}, got {value!r}", place)
    unknown = [k for k in value if k not in keys]
    if unknown:
        raise SpecError(f"unknown key {unknown[0]!r}; allowed: {', '.join(keys)}", place)
    return value


def _sequence(value: Any, place: str, n: int, what: str) -> Sequence[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence) or len(value) != n:
        raise SpecError(f"expected a list of {n} values [{what}], got {value!r}", place)
    return value


def _auto_dimension(value: Any, unit: Any) -> Dimension:
    """Number unless a time unit is given or some scalar carries one (discrete keys are labels)."""
    if unit is not None:
        return "number" if str(unit).strip().casefold() == "none" else "time"
    if isinstance(value, Mapping) and "discrete" in value:
        return "number"

    def has_unit(v: Any) -> bool:
        if isinstance(v, Mapping):
            return any(has_unit(x) for k, x in v.items() if k != "unit")
        if isinstance(v, list | tuple):
            return any(has_unit(x) for x in v)
        if isinstance(v, str):
            try:
                float(v.replace(",", "."))
            except ValueError:
                return True
        return False

    return "time" if has_unit(value) else "number"


def _discrete(body: Any, reader: _Reader, place: str, bounds: dict[str, Any]) -> Discrete:
    if not isinstance(body, Mapping) or not body:
        raise SpecError(f"expected a mapping of value: probability, got {body!r}", place)
    probs: list[float] = []
    for k, p in body.items():
        try:
            probs.append(reader.number(p, f"{place}.{k}"))
        except SpecError:
            raise SpecError(f"the probability of {k!r} must be a number, got {p!r}",
                            place) from None
    keys = list(body)
    if reader.dimension == "time":
        values = [reader.time(k, f"{place}.{k}") for k in keys]
        return Discrete(values=tuple(values), probabilities=tuple(probs), **bounds)
    numeric = True
    try:
        values = [reader.number(k, place) for k in keys]
    except SpecError:
        numeric = False
    if numeric:
        return Discrete(values=tuple(values), probabilities=tuple(probs), **bounds)
    if not reader.labels_ok:
        raise SpecError(f"expected numbers as values, got {keys!r}", place)
    if bounds.get("lo", -math.inf) > -math.inf or bounds.get("hi", math.inf) < math.inf:
        raise SpecError("min / max do not apply to labels", place)
    return Discrete(values=tuple(str(k) for k in keys), probabilities=tuple(probs), labels=True,
                    **bounds)


def _build(kind: str, body: Any, r: _Reader, p: str, bounds: dict[str, Any]) -> Distribution:
    """One distribution from its key and body; `p` is the body's place."""
    if kind == "fixed":
        return Fixed(value=r.time(body, p), **bounds)
    if kind == "uniform":
        a, b = _sequence(body, p, 2, "low, high")
        return Uniform(low=r.time(a, f"{p}[0]"), high=r.time(b, f"{p}[1]"), **bounds)
    if kind == "triangular":
        a, c, b = _sequence(body, p, 3, "min, mode, max")
        return Triangular(left=r.time(a, f"{p}[0]"), mode=r.time(c, f"{p}[1]"),
                          right=r.time(b, f"{p}[2]"), **bounds)
    if kind == "normal":
        m = _mapping(body, p, ("mean", "sd"))
        return Normal(mu=r.time(m.get("mean"), f"{p}.mean"), sd=r.time(m.get("sd"), f"{p}.sd"),
                      **bounds)
    if kind == "lognormal":
        m = _mapping(body, p, ("mean", "sd", "mu", "sigma", "unit"))
        if "mu" in m or "sigma" in m:
            unit = m.get("unit", r.unit)
            scale = 1.0
            if r.dimension == "time":
                if unit is None:
                    raise SpecError("mu and sigma are of the logarithm of a time: add the unit "
                                    "they are in, e.g. {mu: 2.7, sigma: 0.3, unit: min}", p)
                scale = _unit_scale(r, unit, p)
            mu = r.number(m.get("mu"), f"{p}.mu") + math.log(scale)
            return LogNormal(mu=mu, sigma=r.number(m.get("sigma"), f"{p}.sigma"), **bounds)
        return LogNormal.from_mean_sd(r.time(m.get("mean"), f"{p}.mean"),
                                      r.time(m.get("sd"), f"{p}.sd"), **bounds)
    if kind == "gamma":
        m = _mapping(body, p, ("mean", "sd", "shape", "scale"))
        if "shape" in m or "scale" in m:
            return Gamma(shape=r.positive(m.get("shape"), f"{p}.shape"),
                         scale=r.time(m.get("scale"), f"{p}.scale"), **bounds)
        return Gamma.from_mean_sd(r.time(m.get("mean"), f"{p}.mean"),
                                  r.time(m.get("sd"), f"{p}.sd"), **bounds)
    if kind == "exponential":
        if not isinstance(body, Mapping):
            return Exponential(mean_value=r.time(body, p), **bounds)
        m = _mapping(body, p, ("mean", "rate"))
        if ("mean" in m) == ("rate" in m):
            raise SpecError("give exactly one of mean (e.g. 2h) or rate (e.g. '3/h')", p)
        if "rate" in m:
            return Exponential(mean_value=r.rate(m["rate"], f"{p}.rate"), **bounds)
        return Exponential(mean_value=r.time(m["mean"], f"{p}.mean"), **bounds)
    if kind == "empirical":
        if isinstance(body, list | tuple):
            body = {"values": body}
        m = _mapping(body, p, ("values", "bins", "weights"))
        if "values" in m:
            if "bins" in m or "weights" in m:
                raise SpecError("give either values or bins with weights, not both", p)
            vals = m["values"]
            if not isinstance(vals, list | tuple) or not vals:
                raise SpecError(f"values must be a non-empty list, got {vals!r}", f"{p}.values")
            return Empirical(values=tuple(r.time(v, f"{p}.values[{i}]")
                                          for i, v in enumerate(vals)), **bounds)
        bins, weights = m.get("bins"), m.get("weights")
        if not isinstance(bins, list | tuple) or not isinstance(weights, list | tuple):
            raise SpecError("give values: [...] or bins: [edges...] with weights: [...]", p)
        return Histogram(edges=tuple(r.time(v, f"{p}.bins[{i}]") for i, v in enumerate(bins)),
                         weights=tuple(r.number(w, f"{p}.weights[{i}]")
                                       for i, w in enumerate(weights)), **bounds)
    assert kind == "discrete"
    return _discrete(body, r, p, bounds)


def _unit_scale(r: _Reader, unit: Any, place: str) -> float:
    saved, r.unit = r.unit, str(unit)
    try:
        return r.time(1, f"{place}.unit")
    finally:
        r.unit = saved


def read_distribution(
    value: Any, *, dimension: Dimension = "time", day_length: float = WORKING_DAY
) -> Distribution:
    """Parse one distribution, raising `SpecError` with places relative to `value`.

    `dimension` is ``time`` (durations: seconds, never negative, units required), ``number``
    (plain numbers: amounts, counts) or ``auto`` (case attributes: a number distribution unless
    a time unit appears; a `discrete` over non-numeric keys gives labels).
    """
    if isinstance(value, Distribution):
        return value
    unit = value.get("unit") if isinstance(value, Mapping) else None
    labels_ok = dimension == "auto"
    if dimension == "auto":
        dimension = _auto_dimension(value, unit)
    if unit is not None and str(unit).strip().casefold() == "none":
        if dimension == "time":
            raise SpecError("unit: none is for plain numbers; a duration needs a time unit "
                            "such as min, h, d or wd", "unit")
        unit = None
    elif unit is not None and dimension == "number":
        raise SpecError(f"unit {unit!r} makes this a time, but plain numbers are expected here: "
                        f"drop the unit or write unit: none", "unit")
    reader = _Reader(dimension, None if unit is None else str(unit), day_length, labels_ok)
    is_time = dimension == "time"

    if isinstance(value, Mapping):
        kinds = [k for k in value if k in _KINDS]
        unknown = [k for k in value if k not in _KINDS and k not in _SIBLINGS]
        if unknown:
            raise SpecError(f"unknown key {unknown[0]!r}; a distribution is one of "
                            f"{', '.join(_KINDS)}, with optional min, max, unit", "")
        if len(kinds) != 1:
            raise SpecError(f"name exactly one distribution ({', '.join(_KINDS)}), got "
                            f"{len(kinds)}; e.g. {EXAMPLES}")
        kind = kinds[0]
        body = value[kind]
    elif isinstance(value, list | tuple):
        raise SpecError(f"a list is not a distribution; name one, e.g. {{uniform: {list(value)}}}"
                        f" or {{empirical: {{values: [...]}}}}")
    else:
        kind, body = "fixed", value

    problems: list[tuple[str, str]] = []
    bounds: dict[str, Any] = {"is_time": is_time, "source": value, "day_length": day_length}
    bound_kinds: dict[str, set[bool]] = {}
    for key, attr in (("min", "lo"), ("max", "hi")):
        if isinstance(value, Mapping) and value.get(key) is not None:
            # each bound is read on its own, then checked against the body's kind of time
            own = _Reader(dimension, reader.unit, day_length)
            try:
                bounds[attr] = own.time(value[key], key)
            except SpecError as exc:
                problems.extend(exc.problems)
            bound_kinds[key] = own.kinds
            reader.days |= own.days
    try:
        dist = _build(kind, body, reader, kind if isinstance(value, Mapping) else "", bounds)
    except SpecError as exc:
        raise SpecError(problems + exc.problems) from None
    except (TypeError, ValueError) as exc:  # malformed bodies, e.g. a list of the wrong length
        raise SpecError([*problems, (kind, f"cannot read {body!r}: {exc}")]) from None
    for key, own_kinds in bound_kinds.items():
        if reader.kinds and own_kinds and own_kinds != reader.kinds:
            problems.append((key, "mixes working time (wd, wh) and clock time (s, min, h, d) in "
                                  "one distribution; write all its values in one kind"))
        reader.kinds |= own_kinds
    if problems:
        raise SpecError(problems)
    if reader.kinds == {True} or reader.days:
        dist = replace(dist, working=True, uses_working_days=reader.days)
    return dist


def parse_distribution(
    value: Any,
    *,
    where: str,
    dimension: Dimension = "time",
    day_length: float = WORKING_DAY,
) -> Distribution:
    """Parse one distribution; a `ScenarioError` naming `where` (and the sub-place) if bad.

    Forms (every one also takes ``min:``, ``max:`` and ``unit:`` siblings)::

        90min                                 {fixed: 90min}
        {uniform: [4h, 2d]}                   {triangular: [5min, 10min, 20min]}
        {normal: {mean: 1h, sd: 10min}}       truncated at 0 and at min / max
        {lognormal: {mean: 15min, sd: 5min}}  {lognormal: {mu: 2.7, sigma: 0.3, unit: min}}
        {gamma: {mean: 1h, sd: 20min}}        {gamma: {shape: 2, scale: 30min}}
        {exponential: {mean: 2h}}             {exponential: {rate: 3/h}}
        {empirical: {values: [10min, 12min]}} {empirical: {bins: [0, 1h, 3h], weights: [3, 1]}}
        {discrete: {1h: 0.7, 4h: 0.3}}        {triangular: [5, 10, 20], unit: min, max: 30min}
    """
    try:
        return read_distribution(value, dimension=dimension, day_length=day_length)
    except SpecError as exc:
        raise ScenarioError(exc.located(where)) from None


def read_count(value: Any) -> int | Distribution:
    """A whole number >= 0, or a distribution over counts (rounded, never negative)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if value < 0:
            raise SpecError(f"a count must be >= 0, got {value}")
        return int(value)
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, Mapping):
        base = read_distribution(value, dimension="number")
        return Rounded(base=base, lo=0.0, is_time=False, source=value)
    raise SpecError(f"expected a whole number >= 0 or a distribution over counts such as "
                    f"{{discrete: {{2: 0.5, 3: 0.5}}}}, got {value!r}")
