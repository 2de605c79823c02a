"""How well `monitor` finds a change, and how often it finds one that is not there.

Logs from tests/helpers/change_logs.py (numpy / pandas, not the simulator): lognormal lead
times (sigma 0.6), median 72 h before and 24 h after day 60 of 120, per variant several seeds.
Prints, per variant, the median and worst detection error in days (detected minus true
instant), the median before / after lead-time medians in hours (truth 72 / 24) and the
detection rate; then, over no-change logs (median 72 h throughout), the share whose strongest
split has a p-value below 0.01 (the false alarms), 0.05 and 0.10: for a calibrated test each
share is near its level; independent cases, and cases whose log lead times are AR(1) with
lag-1 correlation 0.9 in start order (as in a queue).

    PYTHONPATH=src python benchmarks/monitor_change_points.py [no-change seeds, default 100]
"""

from __future__ import annotations

import re
import sys

import numpy as np

sys.path.insert(0, "tests")
from helpers.change_logs import change_instant, change_log
from leanproc.mining import MonitorReport, monitor

VARIANTS = {
    "step, 3 cases/day": {"cases_per_day": 3.0},
    "step, 10 cases/day": {"cases_per_day": 10.0},
    "step, 30 cases/day": {"cases_per_day": 30.0},
    "ramp 21 d, 10 cases/day": {"ramp_days": 21.0},
}


def main(null_seeds: int = 100) -> None:
    print(f"{'variant':<26}{'found':>7}{'err med d':>11}{'err max d':>11}"
          f"{'before h':>10}{'after h':>9}")
    for name, options in VARIANTS.items():
        errors, before, after = [], [], []
        for seed in range(20):
            report = monitor(change_log(seed=seed, **options))
            if report.change is None:
                continue
            errors.append((report.change.at - change_instant(60.0)).total_seconds() / 86400)
            medians = report.comparison.set_index("kpi").loc["lead_time.median"]
            before.append(medians["before"] / 3600)
            after.append(medians["after"] / 3600)
        print(f"{name:<26}{len(errors):>4}/20{np.median(errors):>11.2f}"
              f"{np.max(np.abs(errors)):>11.2f}{np.median(before):>10.1f}{np.median(after):>9.1f}")
    for rho, seeds in ((0.0, null_seeds), (0.9, max(null_seeds // 3, 100))):
        p_values = np.array([_p_value(monitor(change_log(after_h=72.0, rho=rho,
                                                         seed=1000 + s)))
                             for s in range(seeds)])
        shares = ", ".join(f"p < {level:.2f}: {int((p_values < level).sum())}/{seeds}"
                           for level in (0.01, 0.05, 0.10))
        print(f"no change, lag-1 correlation {rho}: {shares}  (false alarms: the p < 0.01)")


def _p_value(report: MonitorReport) -> float:
    """The p-value of the strongest split: on the change point, else in the report's note."""
    if report.change is not None and report.change.p_value is not None:
        return report.change.p_value
    for note in report.notes:
        found = re.search(r"has p = ([0-9.]+)", note)
        if found:
            return float(found[1])
    return 1.0


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
