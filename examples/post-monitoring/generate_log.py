"""Write `журнал.csv`: the onboarding log of a Russian office, months before and after a change.

The log is made here with plain Python and numpy, NOT with leanproc's simulation engine, so
that checking leanproc's post-monitoring on it is not circular: leanproc has to recover from
the events alone what this script was built with.

The office (examples/tomsk-onboarding): from the decision to hire someone to a ready
workplace. The activity names are those of that example's `as-is.bpmn` and `to-be.bpmn`.

Design (everything the figures below follow from):

* **Period**: hiring decisions from 2 September 2024 to 30 April 2025 (about eight months),
  a Poisson stream of RATE decisions per working day, placed in working time.
* **Working time**: Monday to Friday, 09:00-13:00 and 14:00-18:00 local time (Asia/Tomsk;
  the file holds wall-clock times, as a Russian office's export does). Russian public holidays
  and the transferred days off come from the `holidays` package; the two transferred working
  Saturdays of the period (2 November and 28 December 2024) are treated as days off, a
  simplification the log does not depend on.
* **Case heterogeneity**: each case draws a speed factor (lognormal, sigma 0.35, median 1)
  that multiplies all its waits and work: some hires are simply harder than others.
* **Durations**: work is lognormal around a median per activity (sigma 0.3); the waits of
  documents in in-trays are lognormal in working hours (heavy-tailed: mostly short, sometimes
  days); the paper copies leave only with the internal mail round at 10:00 or 15:00.
* **Resources**: named employees per position; each task goes to the employee of its position
  who is free first (cases take their turn in the order of the decision).
* **Staffing change**: a second IT specialist joins on STAFF_CHANGE (1 November 2024).
* **Process change** on CHANGE (13 January 2025, the first Monday after the New Year
  holidays): cases decided from then on follow the TO-BE (`to-be.bpmn`): no paper copies,
  one electronic request and the e-document route (СЭД) instead of the two memos, short
  in-tray waits, fewer unclear requests (20 % -> 8 %), a checklist for the setup, accounting
  without typing.

True figures (lead time = first start -> last end of a case, in clock hours; "ready on the
first working day" = finished within one working day of the first start), computed by
`truth()` from the frame this script writes, with the default seed (2025):

    side     cases  ВПП mean  ВПП median  ready on the first working day
    before     106    78.2 h      70.3 h    10.4 %
    after      127    20.3 h      18.6 h    92.1 %

(the project card: 72 h -> 24 h, 10 % -> 90 %). "Before" and "after" are by the decision: a
case decided before CHANGE runs the AS-IS even when it ends after it. Other seeds give other
samples of the same office (seed 1: 96 h -> 36 h, the after-side with a few long queues).

Run: ``python examples/post-monitoring/generate_log.py`` rewrites `журнал.csv` (same seed, same
bytes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
LOG = HERE / "журнал.csv"
SEED = 2025
FIRST_DAY = dt.date(2024, 9, 2)
LAST_DAY = dt.date(2025, 4, 30)
STAFF_CHANGE = dt.datetime(2024, 11, 1, 9, 0)
CHANGE = dt.datetime(2025, 1, 13, 9, 0)
RATE = 1.4
"""Hiring decisions per working day."""
HOURS = ((dt.time(9), dt.time(13)), (dt.time(14), dt.time(18)))
MAIL_ROUNDS = (dt.time(10), dt.time(15))
HEADERS = ["Номер заявки", "Операция", "Исполнитель", "Должность", "Начало", "Окончание"]

HR, CHIEF, GENERAL = "Специалист по кадрам", "Руководитель аппарата", "Общий отдел"
HEAD, IT, FACILITIES = "Руководитель подразделения", "Служба ИТ", "Хозяйственный отдел"
ACCOUNTING, EDMS = "Бухгалтерия", "СЭД"

STAFF = {
    HR: ["Иванова О. П.", "Кузнецова Т. А."],
    CHIEF: ["Смирнов А. В."],
    GENERAL: ["Попова Е. Н."],
    HEAD: ["Волков С. И.", "Соколова М. Ю.", "Морозов Д. К.", "Лебедева Н. С.",
           "Новиков П. Р.", "Козлова В. Г."],
    IT: ["Фёдоров И. А."],
    FACILITIES: ["Егоров Г. М."],
    ACCOUNTING: ["Павлова Л. Б."],
    EDMS: ["СЭД"],
}
NEW_IT = "Орлов К. Е."
"""The second IT specialist, from STAFF_CHANGE on."""


@dataclass(frozen=True)
class Step:
    """One task: its activity name (as in the BPMN), the position doing it, the in-tray wait
    (mean and sd in working hours, lognormal; 0 for none) and the median work in minutes."""

    activity: str
    role: str
    wait_mean: float
    wait_sd: float
    work_min: float


ORDER = "Подготовить проект распоряжения о приёме"
SIGN = "Подписать распоряжение о приёме"
COPIES = "Разослать копии распоряжения на бумаге"
REQUEST = "Оформить заявку на рабочее место (ИТ и АХО)"
MEMO_AHO = "Передать служебную записку в АХО"
MEMO_IT = "Зарегистрировать и передать служебную записку в ИТ"
ROUTE = "Маршрут СЭД: заявка на рабочее место"
ACCESS = "Согласовать заявку на доступ к информационным системам"
SETUP = "Настроить АРМ и учётные записи"
CLARIFY = "Уточнить требования у руководителя"
FURNITURE = "Подготовить мебель и телефон"
PASS = "Согласовать пропуск со службой безопасности"
ASSETS = "Закрепить оборудование за сотрудником"

@dataclass(frozen=True)
class Plan:
    """How a case runs: the steps in a row up to the parallel split, then IT's setup (with
    the share of unclear requests sent back to the head), the furniture and the pass at the
    same time, and accounting after all three."""

    spine: tuple[Step, ...]
    setup: Step
    clarify: Step
    unclear: float
    furniture: Step
    pass_: Step
    assets: Step


AS_IS = Plan(
    spine=(Step(ORDER, HR, 0, 0, 30), Step(SIGN, CHIEF, 1.0, 3.0, 10),
           Step(COPIES, GENERAL, 0, 0, 5), Step(REQUEST, HEAD, 1.0, 3.0, 30),
           Step(MEMO_AHO, GENERAL, 0.5, 0.5, 10), Step(MEMO_IT, GENERAL, 0.5, 0.5, 10),
           Step(ACCESS, HEAD, 0.5, 0.5, 10)),
    setup=Step(SETUP, IT, 0.5, 0.5, 90), clarify=Step(CLARIFY, HEAD, 8.0, 8.0, 20),
    unclear=0.20, furniture=Step(FURNITURE, FACILITIES, 0.75, 0.75, 60),
    pass_=Step(PASS, HR, 0.5, 0.5, 20), assets=Step(ASSETS, ACCOUNTING, 0.75, 0.75, 35),
)
TO_BE = Plan(
    spine=(Step(ORDER, HR, 0, 0, 30), Step(SIGN, CHIEF, 0.4, 0.4, 10),
           Step(REQUEST, HEAD, 0.2, 0.2, 15), Step(ROUTE, EDMS, 0, 0, 1),
           Step(ACCESS, HEAD, 0.25, 0.25, 10)),
    setup=Step(SETUP, IT, 0.5, 0.5, 60), clarify=Step(CLARIFY, HEAD, 4.0, 4.0, 20),
    unclear=0.08, furniture=Step(FURNITURE, FACILITIES, 0.25, 0.25, 60),
    pass_=Step(PASS, HR, 0.25, 0.25, 20), assets=Step(ASSETS, ACCOUNTING, 0, 0, 10),
)


class WorkingTime:
    """Working hours with Russian public holidays: the generator's own clock arithmetic."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        years = range(first.year, last.year + 2)
        self.holidays = holidays.country_holidays("RU", years=years)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def intervals_from(self, t: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """The working intervals (start, end) from `t` on, the first one cut at `t`."""
        day = t.date()
        while True:
            if self.is_working_day(day):
                for a, b in HOURS:
                    lo, hi = dt.datetime.combine(day, a), dt.datetime.combine(day, b)
                    if hi > t:
                        yield max(lo, t), hi
            day += dt.timedelta(days=1)

    def add(self, t: dt.datetime, hours: float) -> dt.datetime:
        """The instant `hours` of working time after `t` (work stops at night and holidays)."""
        left = dt.timedelta(hours=hours)
        for lo, hi in self.intervals_from(t):
            if hi - lo >= left:
                return lo + left
            left -= hi - lo
        raise AssertionError("unreachable")

    def next_working(self, t: dt.datetime) -> dt.datetime:
        """`t` itself if it is working time, else the next start of work."""
        return next(self.intervals_from(t))[0]

    def next_mail_round(self, t: dt.datetime) -> dt.datetime:
        """The next internal mail round (10:00 or 15:00 of a working day) at or after `t`."""
        day = t.date()
        while True:
            if self.is_working_day(day):
                for hour in MAIL_ROUNDS:
                    slot = dt.datetime.combine(day, hour)
                    if slot >= t:
                        return slot
            day += dt.timedelta(days=1)


class Office:
    """The employees and when each is free; tasks go to the one of the position free first."""

    def __init__(self) -> None:
        self.free = {name: dt.datetime.min for names in STAFF.values() for name in names}
        self.staff = {role: list(names) for role, names in STAFF.items()}

    def hire_it(self) -> None:
        if NEW_IT not in self.staff[IT]:
            self.staff[IT].append(NEW_IT)
            self.free[NEW_IT] = dt.datetime.min

    def pick(self, role: str) -> str:
        return min(self.staff[role], key=lambda name: self.free[name])


def _lognormal(rng: np.random.Generator, mean: float, sd: float) -> float:
    """A lognormal draw with the given mean and standard deviation (0 for mean 0)."""
    if mean <= 0:
        return 0.0
    sigma2 = np.log(1 + (sd / mean) ** 2)
    return float(rng.lognormal(np.log(mean) - sigma2 / 2, np.sqrt(sigma2)))


def arrivals(rng: np.random.Generator, clock: WorkingTime) -> list[dt.datetime]:
    """Hiring decisions: a Poisson stream in working time, RATE a working day."""
    out: list[dt.datetime] = []
    t = clock.next_working(dt.datetime.combine(FIRST_DAY, HOURS[0][0]))
    while True:
        t = clock.add(t, float(rng.exponential(8.0 / RATE)))
        if t.date() > LAST_DAY:
            return out
        out.append(t)


def _do(step: Step, ready: dt.datetime, speed: float, rng: np.random.Generator,
        clock: WorkingTime, office: Office, events: list[dict[str, object]], case: str
        ) -> dt.datetime:
    """Run one task after `ready`: the in-tray wait, then the first free employee works."""
    wait = _lognormal(rng, step.wait_mean, step.wait_sd) * speed
    work = step.work_min / 60 * float(rng.lognormal(0.0, 0.3)) * speed
    if step.role == EDMS:   # the automated route: at once, day or night
        start = ready
        end = start + dt.timedelta(hours=work)
        name = STAFF[EDMS][0]
    else:
        available = clock.add(ready, wait) if wait > 0 else clock.next_working(ready)
        if step.activity == COPIES:   # the copies leave with the next mail round
            available = clock.next_mail_round(available)
        name = office.pick(step.role)
        start = clock.next_working(max(available, office.free[name]))
        end = clock.add(start, work)
        office.free[name] = end
    events.append({"case": case, "activity": step.activity, "resource": name,
                   "role": step.role, "start": start, "end": end})
    return end


def generate(seed: int = SEED) -> pd.DataFrame:
    """The log as a frame: case, activity, resource, role, start, end (naive local time,
    whole minutes), plus `tobe` (whether the case follows the TO-BE)."""
    rng = np.random.default_rng(seed)
    clock = WorkingTime(FIRST_DAY, LAST_DAY)
    office = Office()
    events: list[dict[str, object]] = []
    follows_to_be: dict[str, bool] = {}
    for number, decided in enumerate(arrivals(rng, clock), start=1):
        case = f"З-{decided:%y}-{number:04d}"
        if decided >= STAFF_CHANGE:
            office.hire_it()
        follows_to_be[case] = decided >= CHANGE
        plan = TO_BE if follows_to_be[case] else AS_IS
        speed = float(rng.lognormal(0.0, 0.35))
        t = decided
        for step in plan.spine:
            t = _do(step, t, speed, rng, clock, office, events, case)
        split = t
        t = _do(plan.setup, split, speed, rng, clock, office, events, case)
        while rng.random() < plan.unclear:   # IT asks the head, then sets up again
            t = _do(plan.clarify, t, speed, rng, clock, office, events, case)
            t = _do(plan.setup, t, speed, rng, clock, office, events, case)
        furniture = _do(plan.furniture, split, speed, rng, clock, office, events, case)
        pass_ = _do(plan.pass_, split, speed, rng, clock, office, events, case)
        _do(plan.assets, max(t, furniture, pass_), speed, rng, clock, office, events, case)
    frame = pd.DataFrame(events)
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col]).dt.round("min")
    frame["tobe"] = frame["case"].map(follows_to_be)
    return frame.sort_values(["case", "start", "end"], kind="stable").reset_index(drop=True)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The file a Russian office's export gives: cp1251, ';', dd.mm.yyyy HH:MM, CRLF."""
    out = frame[["case", "activity", "resource", "role", "start", "end"]].copy()
    for col in ("start", "end"):
        out[col] = out[col].dt.strftime("%d.%m.%Y %H:%M")
    out.columns = HEADERS
    text = out.to_csv(sep=";", index=False, lineterminator="\r\n")
    return text.encode("cp1251")


def truth(frame: pd.DataFrame) -> pd.DataFrame:
    """The true figures of each side (the case decided before/after CHANGE): cases,
    lead time mean and median in clock hours, share ready on the first working day."""
    clock = WorkingTime(FIRST_DAY, LAST_DAY)
    cases = frame.groupby("case").agg(start=("start", "min"), end=("end", "max"),
                                      tobe=("tobe", "first"))
    cases["lead_h"] = (cases["end"] - cases["start"]).dt.total_seconds() / 3600
    due = [clock.add(s.to_pydatetime(), 8.0) for s in cases["start"]]
    cases["ready_1wd"] = cases["end"] <= pd.Series(due, index=cases.index)
    rows = {}
    for label, part in (("before", cases[~cases["tobe"]]), ("after", cases[cases["tobe"]])):
        rows[label] = {"cases": len(part), "lead_time_mean_h": part["lead_h"].mean(),
                       "lead_time_median_h": part["lead_h"].median(),
                       "ready_first_working_day": part["ready_1wd"].mean()}
    return pd.DataFrame(rows).T


def main() -> None:
    frame = generate()
    LOG.write_bytes(to_csv_bytes(frame))
    print(f"{LOG.name}: {frame['case'].nunique()} cases, {len(frame)} events, "
          f"{LOG.stat().st_size // 1024} KB")
    print(truth(frame).round(3).to_string())


if __name__ == "__main__":
    main()
