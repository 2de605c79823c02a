"""What the staff costs whether busy or not: ``staff_cost.per_year``.

The process calculator prices the hours people *work* on cases; staffing decisions (how many
clerks, on which working hours) are paid for every working hour, busy or idle. For each pool:

    staff cost per year = count x paid hours per year x paid cost per hour

* paid hours per year: the working hours of the pool's calendar in the year (its production
  calendar: holidays and shortened days count); a pool without a calendar is paid on the
  scenario's calendar, and without that on ``DEFAULT_CALENDAR`` (RU 5-day 40-hour week, 1,979
  hours in 2024) — a person is paid for one full-time year even when the model lets the pool
  work around the clock;
* paid cost per hour: ``cost_per_hour``, or the monthly salary with payroll taxes and overhead
  over the salary's hours fund (`leanproc.cost.rates.rate_of`), so a salaried employee costs
  exactly 12 loaded monthly salaries a year on the calendar that sets the fund.

Per-use costs are not staff costs (they follow the work) and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from leanproc.cost.rates import DEFAULT_CALENDAR, rate_of

if TYPE_CHECKING:
    from leanproc.calendar import Calendar

__all__ = ["StaffCost", "staff_cost"]


@dataclass(frozen=True)
class StaffCost:
    """Per pool (`table`: count, paid hours per unit, paid cost per hour, per year) and the
    `total` per year in roubles; `year` is the year whose working hours were counted."""

    table: pd.DataFrame
    total: float
    year: int

    def as_dict(self) -> dict[str, float]:
        """``staff_cost.per_year`` and ``staff_cost.<pool>.per_year``: the flat KPI names."""
        out = {"staff_cost.per_year": self.total}
        for pool, value in self.table["per_year"].items():
            out[f"staff_cost.{pool}.per_year"] = float(value)
        return out

    def __str__(self) -> str:
        lines = [f"Staff cost in {self.year}: {self.total:,.2f} RUB per year"]
        for pool, row in self.table.iterrows():
            lines.append(f"  {pool}: {int(row['count'])} x {row['paid_hours']:,.0f} h x "
                         f"{row['paid_per_hour']:,.2f} RUB/h = {row['per_year']:,.2f} RUB")
        return "\n".join(lines)


def staff_cost(scenario: Any, model: Any = None, *, year: int | None = None) -> StaffCost:
    """The yearly cost of every pool's staff, busy or not (see the module docstring).

    `scenario` is anything `leanproc.inputs.as_bound` takes (a path, mapping, `Scenario`,
    `BoundScenario`) or a simulation result; `year` defaults to the year the scenario starts.
    """
    from leanproc.cost.calculator import as_bound  # calculator imports pandas-heavy helpers

    bound = as_bound(scenario, model, caller="staff_cost")
    year = bound.start.year if year is None else int(year)
    rows = []
    default: Calendar | None = None
    for name, plan in bound.pools.items():
        cal = plan.calendar if plan.calendar is not None else bound.calendar
        if cal is None:
            if default is None:
                from leanproc.calendar import Calendar  # holiday tables load only when needed

                default = Calendar.parse(DEFAULT_CALENDAR)
            cal = default
        rate = rate_of(name, plan.spec, count=plan.count, calendar=cal, year=year)
        hours = float(cal.working_hours(year))
        rows.append({"pool": name, "count": plan.count, "paid_hours": hours,
                     "paid_per_hour": rate.paid_per_hour,
                     "per_year": plan.count * hours * rate.paid_per_hour})
    table = pd.DataFrame(rows, columns=["pool", "count", "paid_hours", "paid_per_hour",
                                        "per_year"]).set_index("pool")
    return StaffCost(table, float(table["per_year"].sum()), year)
