"""Display labels in English and Russian: the word tables and one lookup function.

Every view of leanproc (notebook displays of models and results, figures, the HTML report, the
workbooks, the command line) takes its words from here: the words several views share are
below, the words of one view only in `leanproc._view_words` (keys ``<view>.<word>``), and
`label` finds both. The module imports nothing from leanproc but that table, so any layer may
use it.

Russian labels use the words a Russian process office puts on its slides (ВПП for lead time,
Было / Цель / Стало for before / target / after, НЗП for work in progress), so a figure can go
into a presentation unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from leanproc._display import localise_numbers
from leanproc._notes_ru import NOTES_RU
from leanproc._view_words import VIEW_WORDS

__all__ = ["LANGS", "VERDICT_RU", "check_lang", "kpi_label", "kpi_labels", "label",
           "localise_text", "localise_units", "note_text", "unit_label", "verdict_words",
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
    # command-line text: the lines around the tables ({…} are filled in by the caller)
    "kpis_over": ("KPIs over {start} .. {end} ({days} days); {cases} cases, {finished} finished",
                  "Показатели за {start} .. {end} ({days} дн.); случаев: {cases}, "
                  "завершено: {finished}"),
    "calendar_is": ("calendar {calendar}", "календарь {calendar}"),
    "one_run": ("one run (1 replication): intervals are batch means over its cases",
                "один прогон: интервалы — средние по группам случаев этого прогона"),
    "runs_of": ("{n} replications of {scenario}: means over the {n} replications, 95% CI "
                "across them", "{scenario}: прогонов {n}, средние по ним и 95 % ДИ"),
    "sim_result": ("{cases} cases, {finished} finished, {instances} activity instances, "
                   "mean lead time {lead}, seed={seed}",
                   "Имитация: случаев {cases}, завершено {finished}, выполнений операций "
                   "{instances}, среднее ВПП {lead}, зерно {seed}"),
    "log_written": ("event log{which}: {events} events written to {path}",
                    "журнал событий{which}: {events} событий записано в {path}"),
    "first_run": (" (replication 1)", " (прогон 1)"),
    "median": ("median", "медиана"),
    "p90": ("p90", "90-й перцентиль"),
    "max": ("max", "максимум"),
    "ci_of_mean": ("95% CI of mean (batch means)", "95 % ДИ среднего (по группам)"),
    "pce_basis_clock": ("clock time", "календарное время"),
    "time_average": ("time average", "среднее по времени"),
    # the short row names of a KPI report's text view
    "row.lead_time": ("lead time", "ВПП"),
    "row.lead_time_working": ("lead time (working)", "ВПП (рабочее время)"),
    "row.lead_time_clock": ("lead time (clock)", "ВПП (календарное время)"),
    "row.processing": ("processing", "обработка"),
    "row.processing_working": ("processing (working)", "обработка (рабочее время)"),
    "row.processing_clock": ("processing (clock)", "обработка (календарное время)"),
    "row.waiting": ("waiting", "ожидание"),
    "row.waiting_working": ("waiting (working)", "ожидание (рабочее время)"),
    "row.waiting_clock": ("waiting (clock)", "ожидание (календарное время)"),
    "row.pce": ("PCE", "PCE (эффективность цикла)"),
    "row.pce_working": ("PCE (working)", "PCE (эффективность цикла, рабочее время)"),
    "row.throughput": ("throughput", "пропускная способность"),
    "row.arrival_rate": ("arrival rate", "интенсивность поступления"),
    "row.wip": ("WIP", "НЗП"),
    "row.utilisation": ("utilisation", "загрузка"),
    "row.utilisation_working": ("utilisation (working)", "загрузка (рабочее время)"),
    "row.sla_share": ("SLA share", "доля в срок"),
    "row.unfinished_share": ("unfinished share", "доля незавершённых"),
    "note": ("note", "примечание"),
    "fsa_title": ("Activity-based costing (ФСА) by activity and resource",
                  "ФСА (функционально-стоимостной анализ): стоимость процесса по действиям"),
    "fsa_per_year": ("per year, {volume} cases", "в год, {volume} обращений"),
    "cost_over": ("Process cost over {cases} cases ({start} .. {end})",
                  "Стоимость процесса по {cases} обращениям ({start} .. {end})"),
    "cost_per_case": ("cost per case", "стоимость на одно обращение"),
    "ci95_short": ("95% CI", "95 % ДИ"),
    "labour_per_case": ("labour per case", "трудозатраты на одно обращение"),
    "volume": ("volume", "объём"),
    "cases_per_year": ("cases per year", "обращений в год"),
    "estimated": ("estimated", "оценка"),
    "cost_per_year": ("cost per year", "стоимость в год"),
    "labour_per_year": ("labour per year", "трудозатраты в год"),
    "fte_at": ("FTE (at {hours} h)", "FTE (штатных единиц, при {hours} ч в год)"),
    "unused_capacity": ("unused capacity", "неиспользованная мощность"),
    "unused_over": ("over the window (time-driven ABC, not in the process cost)",
                    "за период (по времени, в стоимость процесса не входит)"),
    "compare_head": ("{before} -> {after}: means over {n} replications, {how}",
                     "{before} → {after}: среднее по {n} прогонам, {how}"),
    "paired": ("paired, common random numbers", "парные прогоны, общие случайные числа"),
    "independent": ("independent runs", "независимые прогоны"),
    "saving_per_case": ("saving per case", "экономия на одно обращение"),
    "saving_per_year": ("per year", "в год"),
    "report_written": ("report", "отчёт"),
    "improvement": ("Improvement", "Мероприятие"),
    # check-model, gate and validate
    "model_counts": ("processes: {processes}, pools: {pools}, lanes: {lanes}, flow nodes: "
                     "{nodes}, sequence flows: {flows}, message flows: {messages}",
                     "процессов: {processes}, пулов: {pools}, дорожек: {lanes}, элементов: "
                     "{nodes}, переходов: {flows}, потоков сообщений: {messages}"),
    "model_errors": ("{n} error(s) in {path}", "ошибок в {path}: {n}"),
    "warnings": ("{n} warning(s)", "предупреждений: {n}"),
    "no_errors": ("no errors", "ошибок нет"),
    "gate_line": ("{word} {name}: {met} of {total} targets met ({n} replications)",
                  "{word} {name}: достигнуто целей {met} из {total} (прогонов {n})"),
    "gate_pass": ("PASS", "ПРОЙДЕНО"),
    "gate_fail": ("FAIL", "НЕ ПРОЙДЕНО"),
    "gate_passed": ("gate passed: every target met ({n} scenario(s))",
                    "проверка пройдена: все цели достигнуты (сценариев: {n})"),
    "gate_failed": ("gate FAILED, targets not met: {failing}",
                    "проверка НЕ ПРОЙДЕНА, не достигнуты цели: {failing}"),
    "junit_written": ("JUnit XML", "отчёт для системы сборки (JUnit XML)"),
    "validation_run": ("{projection} (projected, {n} replications) vs {log}",
                       "{projection} (прогноз, прогонов {n}) и журнал {log}"),
    "validation_head": ("Post-monitoring: projection vs actual",
                        "Постмониторинг: прогноз и факт (прогноз — диапазон, в который с "
                        "вероятностью 95 % попадает один реальный период)"),
    "validation_row": ("  {kpi}: projected {projected} [{low}; {high}], actual {actual}"
                       "{target} -> {verdict} ({reason})",
                       "  {kpi}: прогноз {projected} [{low}; {high}], факт {actual}{target}"
                       " → {verdict} ({reason})"),
    "validation_tests": ("  lead time: Mann-Whitney p {mw}, KS {ks} (p {ks_p}), Wasserstein {w}",
                         "  ВПП: критерий Манна — Уитни p = {mw}, Колмогорова — Смирнова {ks} "
                         "(p = {ks_p}), расстояние Вассерштейна {w}"),
    "hours_unit": ("h", "ч"),
    "per_case_short": ("per case", "на одно обращение"),
    "lead_after": ("lead time after", "ВПП после"),
    "lead_saved": ("saved", "ВПП снижено на"),
    "share": ("share", "Доля"),
    "claimed": ("claimed", "Заявлено"),
    "saving_col": ("saving per case", "Экономия на одно обращение"),
    "demo_model": ("{name}: {n} activities, {errors}", "{name}: операций {n}, {errors}"),
    "demo_errors": ("{n} error(s)", "ошибок: {n}"),
    "demo_no_errors": ("no structural errors", "ошибок нет"),
    "written": ("written", "записано"),
    "open_report": ("open the report in a browser: ", "откройте отчёт в браузере: "),
    "ladder_head": ("Improvement ladder (means over {n} paired replications), {kpi}: "
                    "{start} -> {end}",
                    "Лестница улучшений (среднее по {n} парным прогонам), {kpi}: "
                    "{start} → {end}"),
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
    "per_case": ("per case", "на одно обращение"),
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
    "days": ("days", "дн."),
    "wh": ("working h", "раб. ч"),
    "FTE": ("FTE", "FTE (штатных единиц)"),
    "count": ("", ""),
    "share": ("%", "%"),
    "RUB": ("RUB", "₽"),
    "₽": ("₽", "₽"),
}


def note_text(note: str, lang: str = "en") -> str:
    """A note of the library (written in English) in `lang`; a note without a Russian form
    comes back unchanged."""
    check_lang(lang)
    if lang == "en":
        return note
    for pattern, text in NOTES_RU:
        match = pattern.fullmatch(note)
        if match:
            return text.format(**match.groupdict())
    return note


# unit words after a number in text other layers formatted in English ("12.5 h")
_UNIT_WORDS = (("h", "h"), ("RUB", "RUB"), ("wd", "wd"), ("d", "d"), ("min", "min"),
               ("cases/day", "cases/day"))
_NOT_AVAILABLE = ("n/a", "н/д")


def localise_units(text: str, lang: str = "en") -> str:
    """The unit words after the numbers of `text` in `lang` (``12.5 h`` -> ``12.5 ч``,
    ``900 RUB`` -> ``900 ₽``) and ``n/a`` as ``н/д``; the numbers themselves are left as they
    are (`leanproc._display.localise_numbers` rewrites them)."""
    i = check_lang(lang)
    if i == 0:
        return text
    for word, key in _UNIT_WORDS:
        text = re.sub(rf"(?<=\d) {re.escape(word)}(?![\w/])", " " + _UNITS[key][i], text)
    return text.replace(_NOT_AVAILABLE[0], _NOT_AVAILABLE[1])


def localise_text(text: str, lang: str = "en") -> str:
    """A value another layer wrote in English (``5.74 h``, ``<= 24.00 h``) in the number
    format and unit words of `lang`."""
    return localise_units(localise_numbers(text, lang), lang)


def check_lang(lang: str) -> int:
    """Index of `lang` in the label tables; a clear error for anything but ``en`` / ``ru``."""
    try:
        return LANGS.index(lang)
    except ValueError:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}") from None


# Verdict codes in Russian (the English is the code itself): a target's verdict (met, not
# met, uncertain, no data) and a projection's against a real log (confirmed, not confirmed,
# inconclusive). One table for every view, table, workbook and command line.
VERDICT_RU: dict[str, str] = {
    "met": "достигнута", "not met": "не достигнута", "uncertain": "не доказана",
    "no data": "нет данных", "confirmed": "подтверждено", "not confirmed": "не подтверждено",
    "inconclusive": "не доказано",
}


def verdict_words(code: str, lang: str = "en") -> str:
    """A verdict code as people read it in `lang` (an unknown code as it is)."""
    return VERDICT_RU.get(code, code) if check_lang(lang) == 1 else code


def label(key: str, lang: str = "en", **fields: Any) -> str:
    """The label `key` in `lang`, its ``{…}`` places filled from `fields` when any are given;
    unknown keys come back unchanged (user text passes through)."""
    i = check_lang(lang)
    pair = _LABELS.get(key) or VIEW_WORDS.get(key)
    if pair is None:
        return key
    return pair[i].format(**fields) if fields else pair[i]


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
