"""The process calculator (калькулятор процесса): rates, activity-based and time-driven costing,
rollout effect (тиражирование).

>>> from leanproc.cost import process_cost
>>> report = process_cost(result.log, scenario, volume_per_year=1200)   # doctest: +SKIP
>>> report.fsa_table(lang="ru")                                          # doctest: +SKIP
"""

from leanproc.cost.calculator import process_cost
from leanproc.cost.money import kopecks, rub
from leanproc.cost.rates import (
    DEFAULT_PAYROLL_TAXES,
    DEFAULT_PRACTICAL_CAPACITY,
    Rate,
    pool_rates,
    rate_of,
    rates_table,
)
from leanproc.cost.report import CostReport
from leanproc.cost.rollout import RolloutLevel, RolloutReport, rollout
from leanproc.cost.staffing import StaffCost, staff_cost

__all__ = [
    "DEFAULT_PAYROLL_TAXES",
    "DEFAULT_PRACTICAL_CAPACITY",
    "CostReport",
    "Rate",
    "RolloutLevel",
    "RolloutReport",
    "StaffCost",
    "kopecks",
    "pool_rates",
    "process_cost",
    "rate_of",
    "rates_table",
    "rollout",
    "rub",
    "staff_cost",
]
