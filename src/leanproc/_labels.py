"""Display labels in English and Russian: one small table, one lookup function.

Every view of leanproc (notebook displays of models and results, figures, the HTML report, the
command line) takes its words from here; the module imports nothing from leanproc, so any
layer may use it.

Russian labels use the words a Russian process office puts on its slides (ВПП for lead time,
Было / Цель / Стало for before / target / after, НЗП for work in progress), so a figure can go
into a presentation unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["LANGS", "check_lang", "kpi_label", "kpi_labels", "label", "unit_label",
           "working_form"]

LANGS = ("en", "ru")

# key -> (English, Russian)
_LABELS: dict[str, tuple[str, str]] = {
    # scenario columns
    "before": ("Before", "Было"),
    "target": ("Target", "Цель"),
    "after": ("After", "Стало"),
    "as_is": ("AS-IS", "Было (AS-IS)"),
    "to_be": ("TO-BE", "Стало (TO-BE)"),
    "verdict": ("Verdict", "Итог"),
    "met": ("met", "достигнута"),
    "not_met": ("not met", "не достигнута"),
    "no_target": ("—", "—"),
    "kpi": ("KPI", "Показатель"),
    "value": ("Value", "Значение"),
    "unit": ("Unit", "Ед."),
    "change": ("Change", "Изменение"),
    # figures
    "lead_time": ("Lead time", "ВПП"),
    "lead_time_dist": ("Lead time distribution", "Распределение ВПП"),
    "share_of_cases": ("Share of cases", "Доля случаев"),
    "cases": ("Cases", "Случаи"),
    "ecdf": ("Cumulative share of cases", "Накопленная доля случаев"),
    "waterfall": ("Improvement ladder", "Лестница улучшений"),
    "start": ("Start", "Исходно"),
    "end": ("Result", "Итого"),
    "other": ("Other", "Прочее"),
    "bta_title": ("Before / target / after", "Было / Цель / Стало"),
    "pct_of_before": ("% of before", "% от «Было»"),
    "cost": ("Cost", "Стоимость"),
    "cost_by_activity": ("Cost by activity", "Стоимость по операциям"),
    "cost_by_pool": ("Cost by pool", "Стоимость по участникам"),
    "total": ("Total", "Итого"),
    "utilisation": ("Utilisation", "Загрузка"),
    "utilisation_title": ("Resource utilisation", "Загрузка ресурсов"),
    "full_load": ("100 %", "100 %"),
    "diagram": ("Process diagram", "Схема процесса"),
    "waiting_h": ("Mean waiting, h", "Среднее ожидание, ч"),
    "processing_h": ("Mean processing, h", "Средняя обработка, ч"),
    "processing_working_h": ("Mean processing (working time), h",
                             "Средняя обработка (рабочее время), ч"),
    # which processing a per-activity table or chart shows
    "processing_in_working": ("processing in working time", "обработка в рабочем времени"),
    "processing_in_clock": ("processing in clock time", "обработка в календарном времени"),
    "dotted_chart": ("Dotted chart", "Точечная диаграмма"),
    "time": ("Time", "Время"),
    "case": ("Case", "Случай"),
    "activity": ("Activity", "Операция"),
    "pool": ("Pool", "Участник"),
    "hours_since_start": ("Hours since case start", "Часы от начала случая"),
    "no_data": ("no data", "нет данных"),
    # the comparison's waterfall by activity and the Gantt chart of sample cases
    "change_by_activity": ("Where the lead time changed, by activity",
                           "Где изменилось ВПП: по операциям"),
    "waiting_saved": ("Waiting saved", "Сокращено ожидание"),
    "processing_saved": ("Processing saved", "Сокращена обработка"),
    "time_added": ("Time added", "Добавлено время"),
    "change_caption": (
        "Mean lead time per case, AS-IS to TO-BE, {basis}. Each activity's row: waiting "
        "(upper bar) and processing (lower bar) saved per case. “Other” holds the remaining "
        "activities and the time no activity accounts for (parallel branches, time between "
        "activities), so the bars add up exactly to the difference.",
        "Среднее ВПП случая, от «Было» к «Стало», {basis}. В строке операции: сокращение "
        "ожидания (верхняя полоса) и обработки (нижняя) на один случай. «Прочее» — остальные "
        "операции и время, не относящееся ни к одной операции (параллельные ветви, время "
        "между операциями), поэтому полосы в сумме точно дают разницу."),
    "ladder_caption": (
        "Each improvement applied in turn to the AS-IS; the bars are its savings of “{kpi}”, "
        "from {n} paired replications per step.",
        "Мероприятия применены к «Было» одно за другим; полосы — сокращение показателя "
        "«{kpi}», по {n} парным прогонам на каждый шаг."),
    "case_gantt": ("Sample cases in calendar time", "Примеры случаев в календарном времени"),
    "non_working": ("Non-working time", "Нерабочее время"),
    "waiting_gap": ("Case open (gaps: waiting)", "Случай открыт (промежутки — ожидание)"),
    "gantt_caption": (
        "Cases {cases} of {basis}, AS-IS above, TO-BE below on one time axis: the same case "
        "numbers on both sides, which common random numbers make comparable (same arrivals). "
        "Bars are activities coloured by role; gaps between them are waiting.",
        "Случаи {cases}, {basis}; «Было» сверху, «Стало» снизу, на одной оси времени: одни "
        "и те же номера случаев с обеих сторон, сопоставимые благодаря общим случайным "
        "числам (одинаковые поступления). Полосы — операции, цвет — роль исполнителя; "
        "промежутки между ними — ожидание."),
    "gantt_calendar": ("Shaded: non-working time of the calendar {calendar}.",
                       "Затенено нерабочее время по календарю {calendar}."),
    # HTML report
    "report": ("Process report", "Отчёт по процессу"),
    "generated": ("Generated by leanproc", "Сформировано leanproc"),
    "summary": ("Summary", "Итоги"),
    "kpis": ("KPIs", "Показатели"),
    "per_activity": ("Per activity", "По операциям"),
    "notes": ("Notes", "Примечания"),
    "figures": ("Figures", "Графики"),
    "model": ("Model", "Модель"),
    "structure": ("Structure", "Структура"),
    "replications": ("replications", "прогонов"),
    "mean": ("Mean", "Среднее"),
    "ci95": ("95 % CI", "95 % ДИ"),
    "simulation": ("Simulation", "Имитация"),
    "finished": ("finished", "завершено"),
    "activity_instances": ("activity instances", "выполнений операций"),
    "instances": ("Instances", "Выполнений"),
    "seed": ("seed", "зерно"),
    # Excel workbooks: sheet names and the "Parameters" sheet
    "parameters": ("Parameters", "Параметры"),
    "parameter": ("Parameter", "Параметр"),
    "scenario_file": ("Scenario file", "Файл сценария"),
    "targets_file": ("Targets file", "Файл целей"),
    "improvements_file": ("Improvements file", "Файл мероприятий"),
    "scenario_name": ("Scenario", "Сценарий"),
    "random_seed": ("Random seed", "Зерно генератора"),
    "replication_no": ("Replication", "Номер прогона"),
    "replications_count": ("Replications", "Число прогонов"),
    "values_are": ("Values are", "Значения"),
    "basis_mean": ("means over {n} replications", "среднее по {n} прогонам"),
    "basis_one": ("one run", "один прогон"),
    "basis_log": ("one event log", "один журнал событий"),
    "calendar": ("Calendar", "Календарь"),
    "window_start": ("Window start", "Начало окна"),
    "window_end": ("Window end", "Конец окна"),
    "written_on": ("Written on", "Дата выгрузки"),
    "leanproc_version": ("leanproc version", "Версия leanproc"),
    "savings": ("Savings", "Экономия"),
    "kpi_key": ("KPI key", "Код показателя"),
    "ci_low": ("95 % CI, low", "95 % ДИ, нижн."),
    "ci_high": ("95 % CI, high", "95 % ДИ, верхн."),
    "n_values": ("n", "n"),
    "bta_sheet": ("Before-Target-After", "Было-Цель-Стало"),
    "fsa": ("ABC (ФСА)", "ФСА"),
    "fsa_by_activity": ("ABC by activity", "ФСА по операциям"),
    "fsa_by_role": ("ABC by role", "ФСА по ролям"),
}

# flat KPI name (head) -> (English, Russian)
_KPI: dict[str, tuple[str, str]] = {
    "lead_time": ("Lead time", "ВПП"),
    "lead_time_working": ("Lead time (working)", "ВПП (рабочее время)"),
    "processing": ("Processing time", "Время обработки"),
    "processing_working": ("Processing time (working)", "Время обработки (рабочее время)"),
    "waiting": ("Waiting time", "Время ожидания"),
    "waiting_working": ("Waiting time (working)", "Время ожидания (рабочее время)"),
    "value_adding": ("Value-adding time", "Время создания ценности"),
    "value_adding_working": ("Value-adding time (working)",
                             "Время создания ценности (рабочее время)"),
    "pce": ("Process cycle efficiency", "Эффективность цикла (PCE)"),
    "pce_working": ("Process cycle efficiency (working)",
                    "Эффективность цикла (PCE, рабочее время)"),
    "throughput": ("Throughput", "Пропускная способность"),
    "arrival_rate": ("Arrival rate", "Интенсивность поступления"),
    "wip": ("Work in progress", "НЗП"),
    "utilisation": ("Utilisation", "Загрузка"),
    "sla_share": ("SLA share", "Доля в срок"),
    "unfinished_share": ("Unfinished share", "Доля незавершённых"),
    "cases": ("Cases", "Случаев"),
    "cases_finished": ("Cases finished", "Завершено случаев"),
    "cases_unfinished": ("Cases unfinished", "Не завершено случаев"),
    "window": ("Observation window", "Окно наблюдения"),
    "labour_hours": ("Labour hours", "Трудозатраты"),
    "cost": ("Cost", "Стоимость"),
    "process_cost": ("Process cost", "Стоимость процесса"),
    "fte": ("FTE", "Штатные единицы"),
    "activities": ("Activities", "Операции"),
    "participants": ("Participants", "Участники"),
    "pools": ("Pools", "Пулы"),
    "handoffs": ("Hand-offs", "Передачи"),
    "approvals": ("Approvals", "Согласования"),
    "client_actions": ("Client actions", "Действия заявителя"),
    "paper_documents": ("Paper documents", "Бумажные документы"),
    "lanes": ("Lanes", "Дорожки"),
    "gateways": ("Gateways", "Шлюзы"),
    "events": ("Events", "События"),
    "subprocesses": ("Subprocesses", "Подпроцессы"),
    "pool_handoffs": ("Hand-offs between pools", "Передачи между пулами"),
    "value_adding_count": ("Value-adding activities", "Операции, создающие ценность"),
    "business_value": ("Business-necessary activities", "Необходимые операции"),
    "waste": ("Waste activities", "Операции-потери"),
    "unclassified": ("Unclassified activities", "Неклассифицированные операции"),
}

# clock-time measures that have a working-time form: their label when the working form is
# shown beside them (a run with a calendar), so a reader sees which of the two a row is
_CLOCK: dict[str, tuple[str, str]] = {
    "lead_time": ("Lead time (clock)", "ВПП (календарное время)"),
    "processing": ("Processing time (clock)", "Время обработки (календарное время)"),
    "waiting": ("Waiting time (clock)", "Время ожидания (календарное время)"),
    "value_adding": ("Value-adding time (clock)",
                     "Время создания ценности (календарное время)"),
    "pce": ("Process cycle efficiency (clock)", "Эффективность цикла (PCE, календарное время)"),
}

_STAT: dict[str, tuple[str, str]] = {
    "mean": ("mean", "среднее"),
    "median": ("median", "медиана"),
    "p90": ("p90", "90-й перцентиль"),
    "max": ("max", "максимум"),
    "n": ("n", "n"),
    "ci_low": ("CI low", "ДИ, нижн."),
    "ci_high": ("CI high", "ДИ, верхн."),
    "per_day": ("per day", "в день"),
    "per_case": ("per case", "на случай"),
    "per_year": ("per year", "в год"),
    "per_working_day": ("per working day", "в рабочий день"),
    "days": ("days", "дней"),
    "count": ("count", "число"),
    "total": ("total", "всего"),
    "case_share": ("share of cases", "доля случаев"),
}

_UNITS: dict[str, tuple[str, str]] = {
    "h": ("h", "ч"),
    "min": ("min", "мин"),
    "d": ("d", "дн."),
    "wd": ("wd", "раб. дн."),
    "s": ("s", "с"),
    "%": ("%", "%"),
    "cases": ("cases", "случаев"),
    "cases/day": ("cases/day", "случаев/день"),
    "cases/working day": ("cases/working day", "случаев/раб. день"),
    "days": ("days", "дней"),
    "count": ("", ""),
    "share": ("%", "%"),
    "RUB": ("RUB", "руб."),
    "₽": ("₽", "₽"),
}


def check_lang(lang: str) -> int:
    """Index of `lang` in the label tables; a clear error for anything but ``en`` / ``ru``."""
    try:
        return LANGS.index(lang)
    except ValueError:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}") from None


def label(key: str, lang: str = "en") -> str:
    """The label `key` in `lang`; unknown keys come back unchanged (user text passes through)."""
    i = check_lang(lang)
    pair = _LABELS.get(key)
    return pair[i] if pair else key


def unit_label(unit: str, lang: str = "en") -> str:
    """A unit (``h``, ``%``, ``cases/day``…) in `lang`."""
    i = check_lang(lang)
    pair = _UNITS.get(unit)
    return pair[i] if pair else unit


def working_form(key: str) -> str | None:
    """The working-time twin of a clock-time KPI name (``processing.mean`` ->
    ``processing_working.mean``, ``pce`` -> ``pce_working``, ``activity.A.processing.mean`` ->
    ``activity.A.processing_working.mean``); None for a name without one."""
    if key.startswith("activity.") and ".processing." in key:
        name, _, stat = key.rpartition(".processing.")
        return f"{name}.processing_working.{stat}"
    head, dot, rest = key.partition(".")
    return f"{head}_working{dot}{rest}" if head in _CLOCK else None


def kpi_labels(keys: Iterable[str], lang: str = "en") -> list[str]:
    """Labels of the KPI rows of one table, in order.

    A clock-time row reads "(clock)" when the table also shows the measure in working time
    (a run with a calendar: ``lead_time.p90`` beside ``lead_time_working.mean``), as the
    working rows read "(working)"; without a working row the label stays plain.
    """
    keys = list(keys)
    present = set(keys)
    working_heads = {k.partition(".")[0] for k in keys}

    def clock(key: str) -> bool:
        twin = working_form(key)
        if twin is None:
            return False
        if key.startswith("activity."):
            return twin in present
        return twin.partition(".")[0] in working_heads

    return [kpi_label(k, lang, clock=clock(k)) for k in keys]


def kpi_label(key: str, lang: str = "en", *, clock: bool = False) -> str:
    """A flat KPI name (``lead_time.mean``, ``utilisation.clerk``, ``sla_share(24h)``) in words.

    `clock` marks a clock-time measure "(clock)", for tables that show its working-time form
    too (`kpi_labels` sets it). Names outside the table pass through, so a user's own KPI
    still gets a row.
    """
    i = check_lang(lang)
    if key.startswith("sla_share(") and key.endswith(")"):
        deadline = key[len("sla_share("):-1]
        match = re.fullmatch(r"\s*([\d.]+)\s*([a-z]+)\s*", deadline)
        if match and match.group(2) in _UNITS:  # "24h" -> "24 h" / "24 ч"
            deadline = f"{match.group(1)} {_UNITS[match.group(2)][i]}"
        return f"{_KPI['sla_share'][i]} ≤ {deadline}"
    if key.startswith("activity."):
        # activity.<name>.<measure>[.<stat>]: the activity name may itself hold dots
        for measure in ("waiting.mean", "waiting.median", "processing.mean",
                        "processing.total", "processing_working.mean",
                        "processing_working.total", "count", "case_share"):
            if key.endswith("." + measure):
                name = key[len("activity."):-len(measure) - 1]
                head, _, stat = measure.partition(".")
                table = _CLOCK if clock and head in _CLOCK else _KPI
                words = table.get(head, _STAT.get(head, (head, head)))[i]
                if stat:
                    words += ", " + _STAT.get(stat, (stat, stat))[i]
                return f"{name}: {words}"
        return key
    head, _, rest = key.partition(".")
    if head not in _KPI:
        return key
    words = (_CLOCK if clock and head in _CLOCK else _KPI)[head][i]
    if not rest:
        return words
    if head == "utilisation":
        return f"{words}: {rest}"
    return f"{words}, {_STAT.get(rest, (rest, rest))[i]}"
