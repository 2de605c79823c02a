"""Resource rates (ставки ресурсов): what one hour of a pool's work costs, and per use.

A pool's hourly cost is either given (``cost_per_hour``) or derived from a monthly salary:

    paid cost per hour = monthly_salary * 12 * (1 + payroll_taxes) * (1 + overhead)
                         / working hours of the year          (production calendar)

(or ``/ hours_per_month`` when the scenario gives the monthly hours fund). 2024 has 1,979
working hours on the Russian 40-hour week, so a 60,000 RUB salary with the default 30.2 %
payroll taxes and no overhead costs 60,000 * 12 * 1.302 / 1979 = 473.69 RUB per paid hour.

Time-driven ABC (Kaplan & Anderson): people are paid for every working hour but can do
process work only part of it (breaks, training, meetings). The *capacity cost rate* charged to
work is therefore the paid cost per hour divided by the practical capacity share (default 0.8):
an activity taking one hour of a 473.69 RUB/h employee costs 592.11 RUB. Paid capacity that no
work used is reported separately as unused capacity, never spread over the cases.
Set ``practical_capacity: 1`` to charge the paid hourly cost as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from leanproc.cost.money import kopecks
from leanproc.errors import ScenarioError

if TYPE_CHECKING:
    from leanproc.calendar import Calendar
    from leanproc.scenario.plans import BoundScenario, PoolPlan

__all__ = [
    "DEFAULT_PAYROLL_TAXES",
    "DEFAULT_PRACTICAL_CAPACITY",
    "Rate",
    "pool_rates",
    "rate_of",
]

DEFAULT_PAYROLL_TAXES = 0.302
"""Employer's insurance contributions in Russia: 22 % pension, 5.1 % medical, 2.9 % social,
0.2 % accident insurance (the usual lowest class)."""

DEFAULT_PRACTICAL_CAPACITY = 0.8
"""Share of paid time available for process work (time-driven ABC's usual 80 %)."""

DEFAULT_CALENDAR = "ru-5x8"
"""The hours fund of a salary when neither the pool nor the scenario names a calendar."""


@dataclass(frozen=True)
class Rate:
    """The cost data of one resource pool, per unit (one employee, one device).

    `paid_per_hour` is what an hour of the unit's working time costs the organisation;
    `per_hour` the capacity cost rate charged to an hour of work (``paid_per_hour /
    practical_capacity``); `per_use` a fixed cost each time the pool serves an activity.
    `basis` says in words where `paid_per_hour` came from (shown in reports).
    """

    pool: str
    paid_per_hour: float
    practical_capacity: float
    per_use: float
    basis: str
    hours_fund: float | None = None  # working hours a salary pays for (year or month)
    count: int = 1

    @property
    def per_hour(self) -> float:
        """Capacity cost rate: the cost of one hour of process work (time-driven ABC)."""
        return self.paid_per_hour / self.practical_capacity

    @property
    def has_cost(self) -> bool:
        return self.paid_per_hour > 0 or self.per_use > 0


def rate_of(name: str, spec: Any, *, count: int = 1, calendar: Calendar | None = None,
            year: int = 2024) -> Rate:
    """The `Rate` of pool `name` from its `ResourceSpec` (or any object with its fields).

    `calendar` supplies the hours fund of a salary (default: the RU production calendar,
    5-day 40-hour week); `year` picks the year of that fund.
    """
    cost_per_hour = getattr(spec, "cost_per_hour", None)
    salary = getattr(spec, "monthly_salary", None)
    practical = getattr(spec, "practical_capacity", None)
    per_use = float(getattr(spec, "cost_per_use", None) or 0.0)
    practical = DEFAULT_PRACTICAL_CAPACITY if practical is None else float(practical)
    if not 0 < practical <= 1:
        raise ScenarioError(f"resources.{name}.practical_capacity: {practical!r} must lie in "
                            f"(0, 1], e.g. 0.8 for 80 % of paid time available for work")
    if cost_per_hour is not None and salary is not None:
        raise ScenarioError(f"resources.{name}: give either cost_per_hour or monthly_salary "
                            f"(with payroll_taxes and overhead), not both")
    if cost_per_hour is not None:
        return Rate(name, float(cost_per_hour), practical, per_use,
                    f"{float(cost_per_hour):,.2f} RUB/h given", None, count)
    if salary is None:
        return Rate(name, 0.0, practical, per_use, "no cost data", None, count)
    taxes = getattr(spec, "payroll_taxes", None)
    taxes = DEFAULT_PAYROLL_TAXES if taxes is None else float(taxes)
    overhead = float(getattr(spec, "overhead", None) or 0.0)
    per_month = getattr(spec, "hours_per_month", None)
    loaded_month = float(salary) * (1 + taxes) * (1 + overhead)
    if per_month is not None:
        fund = float(per_month)
        paid = loaded_month / fund
        basis = (f"{float(salary):,.0f} RUB/month x (1 + {taxes:g}) x (1 + {overhead:g}) "
                 f"/ {fund:g} h per month")
    else:
        if calendar is None:
            from leanproc.calendar import Calendar  # the holiday tables load only when needed

            calendar = Calendar.parse(DEFAULT_CALENDAR)
        fund = float(calendar.working_hours(year))
        if fund <= 0:
            raise ScenarioError(f"resources.{name}: the calendar has no working hours in "
                                f"{year}; give hours_per_month or cost_per_hour")
        paid = loaded_month * 12 / fund
        basis = (f"{float(salary):,.0f} RUB/month x 12 x (1 + {taxes:g}) x (1 + {overhead:g}) "
                 f"/ {fund:g} h in {year}")
    return Rate(name, paid, practical, per_use, basis, fund, count)


def pool_rates(bound: BoundScenario, *, year: int | None = None) -> dict[str, Rate]:
    """The rate of every pool of a bound scenario (salary funds from each pool's calendar)."""
    year = bound.start.year if year is None else year
    out: dict[str, Rate] = {}
    for name, plan in bound.pools.items():
        out[name] = rate_of(name, plan.spec, count=plan.count, calendar=_fund_calendar(bound, plan),
                            year=year)
    return out


def _fund_calendar(bound: BoundScenario, plan: PoolPlan) -> Calendar | None:
    """The calendar whose hours a salary pays: the pool's, the scenario's, else RU 5x8."""
    return plan.calendar if plan.calendar is not None else bound.calendar


def rates_table(rates: Mapping[str, Rate], *, lang: str = "en") -> Any:
    """The rates as a table (RUB, rounded to the kopeck for display)."""
    import pandas as pd

    cols = (["Ресурс", "Кол-во", "Стоимость часа, руб.", "Доля практической мощности",
             "Ставка на час работы, руб.", "Стоимость использования, руб.", "Основание"]
            if lang == "ru" else
            ["pool", "count", "paid per hour", "practical capacity", "rate per hour of work",
             "per use", "basis"])
    rows = [(r.pool, r.count, kopecks(r.paid_per_hour), r.practical_capacity,
             kopecks(r.per_hour), kopecks(r.per_use), r.basis) for r in rates.values()]
    return pd.DataFrame(rows, columns=cols)
