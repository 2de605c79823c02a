"""The words of single views: each notebook view, workbook and command printout whose words no
other view shares, grouped by view and keyed ``<view>.<word>`` so the groups cannot clash.

`leanproc._labels.label` looks these up like its own table, so every view takes its words from
one lookup; this module holds only the data, to keep `_labels` small. It imports nothing.
"""

from __future__ import annotations

__all__ = ["VIEW_WORDS"]

# key -> (English, Russian); ``{…}`` fields are filled in by `label(key, lang, **fields)`
VIEW_WORDS: dict[str, tuple[str, str]] = {
    # the KPI report's notebook view (leanproc.kpi.report_display)
    "view.kpi.head": (
        "KPIs of one event log (one run or one recorded log), {start} – {end}: "
        "{cases} cases, {finished} finished",
        "Показатели одного журнала событий (один прогон или реальный журнал), "
        "{start} – {end}: случаев {cases}, завершено {finished}",
    ),
    "view.kpi.calendar": (
        "Times in hours; “(working)” rows count working time of the calendar {cal}, "
        "the others clock time.",
        "Время в часах; строки «рабочее время» — по календарю {cal}, остальные — "
        "календарное время.",
    ),
    "view.kpi.clock": (
        "Times in hours, clock time (no working calendar).",
        "Время в часах, календарное (без рабочего календаря).",
    ),
    "view.kpi.ci": (
        "95 % CI of the mean (batch means)",
        "95 % ДИ среднего (метод групповых средних)",
    ),
    "view.kpi.waiting": ("Mean waiting", "Среднее ожидание"),
    "view.kpi.processing": ("Mean processing", "Средняя обработка"),
    "view.kpi.processing_working": (
        "Mean processing (working time)",
        "Средняя обработка (рабочее время)",
    ),
    "view.kpi.share": ("Share of cases, %", "Доля случаев, %"),
    # the comparison and ladder notebook views (leanproc.comparison.display)
    "view.comparison.paired": (
        "mean over {n} paired replications (common random numbers)",
        "среднее по {n} парным прогонам (общие случайные числа)",
    ),
    "view.comparison.unpaired": (
        "mean over {n} independent replications (Welch intervals)",
        "среднее по {n} независимым прогонам (интервалы Уэлча)",
    ),
    "view.comparison.times": (
        "Times in hours. “(working)” rows count the working time of the calendar, "
        "“(clock)” rows calendar time.",
        "Время в часах. Строки «рабочее время» считают рабочее время по календарю, "
        "«календарное время» — всё время подряд.",
    ),
    "view.comparison.change_pct": ("Change, %", "Изменение, %"),
    "view.comparison.ci": ("95 % CI of the change", "95 % ДИ изменения"),
    "view.comparison.saving_case": ("Saving per case", "Экономия на одно обращение"),
    "view.comparison.saving_year": ("Saving per year", "Экономия в год"),
    "view.comparison.labour_year": ("Labour saved per year", "Сокращение трудозатрат в год"),
    "view.comparison.fte": ("FTE freed", "Высвобождено штатных единиц"),
    "view.comparison.ladder": ("Improvement ladder", "Лестница улучшений"),
    "view.comparison.step": ("Step", "Шаг"),
    "view.comparison.improvement": ("Improvement", "Мероприятие"),
    "view.comparison.level": ("After the step", "После шага"),
    "view.comparison.saving": ("Saving", "Сокращение"),
    "view.comparison.share": ("Share of the total saving, %", "Доля общего сокращения, %"),
    "view.comparison.claimed": ("Claimed saving", "Заявленное сокращение"),
    "view.comparison.total": ("Total AS-IS → TO-BE", "Всего от «Было» к «Стало»"),
    # the comparison and ladder workbooks (leanproc.comparison.excel)
    "xlsx.comparison.paired": (
        "paired replications, common random numbers",
        "парные прогоны, общие случайные числа",
    ),
    "xlsx.comparison.unpaired": (
        "independent runs (Welch intervals)",
        "независимые прогоны (интервалы Уэлча)",
    ),
    "xlsx.comparison.pairing": ("Runs", "Прогоны"),
    "xlsx.comparison.volume": ("Cases per year", "Случаев в год"),
    "xlsx.comparison.saving_case": ("Saving per case, ₽", "Экономия на одно обращение, ₽"),
    "xlsx.comparison.saving_year": ("Saving per year, ₽", "Экономия в год, ₽"),
    "xlsx.comparison.labour_year": (
        "Labour hours saved per year, h",
        "Сокращение трудозатрат в год, ч",
    ),
    "xlsx.comparison.fte": ("FTE freed", "Высвобождено штатных единиц"),
    "xlsx.comparison.step": ("Step", "№"),
    "xlsx.comparison.improvement": ("Improvement", "Мероприятие"),
    "xlsx.comparison.after_step": ("after the step", "после шага"),
    "xlsx.comparison.saving": ("saving", "снижение"),
    "xlsx.comparison.share": ("share of the total saving, %", "доля общего снижения, %"),
    "xlsx.comparison.claimed": ("Claimed lead time saving, h", "Заявленное снижение ВПП, ч"),
    "xlsx.comparison.improvements": ("Improvements", "Мероприятий"),
    # the process cost's notebook view (leanproc.cost.display)
    "view.cost.head": (
        "Process cost (activity-based) over {n} cases, {start} – {end}",
        "Стоимость процесса (ФСА) по {n} случаям, {start} – {end}",
    ),
    "view.cost.per_case": ("Cost per case", "Стоимость одного обращения"),
    "view.cost.ci": ("95 % CI {low} … {high}", "95 % ДИ {low} … {high}"),
    "view.cost.labour_case": ("Labour per case", "Трудозатраты на одно обращение"),
    "view.cost.volume": ("Volume per year", "Объём в год"),
    "view.cost.estimated": ("estimated from the log", "оценка по журналу"),
    "view.cost.per_year": ("Cost per year", "Стоимость в год"),
    "view.cost.labour_year": ("Labour per year", "Трудозатраты в год"),
    "view.cost.fte": ("FTE", "Штатные единицы"),
    "view.cost.unused": (
        "Unused capacity over the window (not in the process cost)",
        "Неиспользованная мощность за период (не входит в стоимость процесса)",
    ),
    "view.cost.executions": ("Executions", "Выполнений"),
    "view.cost.hours": ("Hours", "Часы"),
    "view.cost.per_case_col": ("Per case", "На одно обращение"),
    "view.cost.share": ("Share, %", "Доля, %"),
    "view.cost.role": ("Role", "Роль"),
    "view.cost.rate": ("Rate", "Ставка"),
    "view.cost.hours_case": ("Hours per case", "Часов на одно обращение"),
    "view.cost.by_role": ("Cost by role", "Стоимость по ролям"),
    "view.cost.cases": ("cases", "случаев"),
    "view.cost.basis": (
        "Money in roubles over all cases of the log; hours of work as recorded.",
        "Деньги в рублях по всем случаям журнала; часы работы по журналу.",
    ),
    # the process cost workbook (leanproc.cost.excel)
    "xlsx.cost.activity": ("Activity", "Действие"),
    "xlsx.cost.resource": ("Resource", "Ресурс"),
    "xlsx.cost.kind": ("Resource kind", "Тип ресурса"),
    "xlsx.cost.unit_cost": ("Unit cost, ₽", "Стоимость единицы ресурса, ₽"),
    "xlsx.cost.quantity": ("Quantity per execution", "Количество на одно выполнение"),
    "xlsx.cost.unit": ("Unit", "Ед. изм."),
    "xlsx.cost.cost_per_execution": ("Cost of one execution, ₽", "Стоимость одного выполнения, ₽"),
    "xlsx.cost.executions": ("Executions", "Количество выполнений"),
    "xlsx.cost.cost": ("Cost, ₽", "Стоимость, ₽"),
    "xlsx.cost.hours": ("Hours, h", "Часы, ч"),
    "xlsx.cost.time_cost": ("Time-based cost, ₽", "Повременные затраты, ₽"),
    "xlsx.cost.use_cost": ("Per-use cost, ₽", "Затраты за использование, ₽"),
    "xlsx.cost.execution_cost": ("Per-execution cost, ₽", "Поштучные затраты, ₽"),
    "xlsx.cost.per_case": ("Cost per case, ₽", "Стоимость на одно обращение, ₽"),
    "xlsx.cost.share": ("Share of process cost, %", "Доля в стоимости процесса, %"),
    "xlsx.cost.pool": ("Role (pool)", "Роль (участник)"),
    "xlsx.cost.rate_per_hour": ("Rate, ₽/h", "Ставка, ₽/ч"),
    "xlsx.cost.hours_per_case": ("Hours per case, h", "Часов на одно обращение, ч"),
    "xlsx.cost.summary": ("Summary", "Итоги"),
    "xlsx.cost.figure": ("Figure", "Показатель"),
    "xlsx.cost.value": ("Value", "Значение"),
    # leanproc check-model (leanproc.cli.model)
    "cli.model.processes": ("processes", "процессы"),
    "cli.model.pools": ("pools", "пулы"),
    "cli.model.lanes": ("lanes", "дорожки"),
    "cli.model.elements": ("elements", "элементы"),
    "cli.model.flows": ("sequence flows", "потоки управления"),
    "cli.model.message_flows": ("message flows", "потоки сообщений"),
    "cli.model.lean": ("lean counts", "показатели бережливости"),
    "cli.model.count": ("Count", "Число"),
    "cli.model.handoffs": ("hand-offs", "передачи"),
    "cli.model.notes": ("notes", "примечания"),
    "cli.model.findings": ("findings", "замечания"),
    "cli.model.exported": ("exported by", "создан в"),
    "cli.model.errors": ("{n} error(s) in {file}", "ошибок в {file}: {n}"),
    "cli.model.no_errors": ("no errors", "ошибок нет"),
    "cli.model.warnings": (" ({n} warning(s))", " (предупреждений: {n})"),
    # BPMN element names in Russian (as in the Russian translations of the BPMN 2.0
    # notation), English keeping the BPMN name
    "cli.model.kind.task": ("task", "задача"),
    "cli.model.kind.userTask": ("userTask", "пользовательская задача"),
    "cli.model.kind.manualTask": ("manualTask", "ручная задача"),
    "cli.model.kind.serviceTask": ("serviceTask", "сервисная задача"),
    "cli.model.kind.scriptTask": ("scriptTask", "задача-сценарий"),
    "cli.model.kind.businessRuleTask": ("businessRuleTask", "задача бизнес-правила"),
    "cli.model.kind.sendTask": ("sendTask", "задача отправки"),
    "cli.model.kind.receiveTask": ("receiveTask", "задача получения"),
    "cli.model.kind.subProcess": ("subProcess", "подпроцесс"),
    "cli.model.kind.callActivity": ("callActivity", "вызов процесса"),
    "cli.model.kind.transaction": ("transaction", "транзакция"),
    "cli.model.kind.adHocSubProcess": ("adHocSubProcess", "произвольный подпроцесс"),
    "cli.model.kind.startEvent": ("startEvent", "начальное событие"),
    "cli.model.kind.endEvent": ("endEvent", "конечное событие"),
    "cli.model.kind.intermediateCatchEvent": (
        "intermediateCatchEvent",
        "промежуточное событие (приём)",
    ),
    "cli.model.kind.intermediateThrowEvent": (
        "intermediateThrowEvent",
        "промежуточное событие (отправка)",
    ),
    "cli.model.kind.boundaryEvent": ("boundaryEvent", "граничное событие"),
    "cli.model.kind.exclusiveGateway": ("exclusiveGateway", "исключающий шлюз"),
    "cli.model.kind.parallelGateway": ("parallelGateway", "параллельный шлюз"),
    "cli.model.kind.inclusiveGateway": ("inclusiveGateway", "включающий шлюз"),
    "cli.model.kind.eventBasedGateway": ("eventBasedGateway", "шлюз по событиям"),
    "cli.model.kind.complexGateway": ("complexGateway", "сложный шлюз"),
    # the headline figures of its summary sheet, by flat name of `CostReport.as_dict`
    "xlsx.cost.summary.cost.per_case": (
        "Cost per case, ₽",
        "Стоимость процесса на одно обращение, ₽",
    ),
    "xlsx.cost.summary.cost.per_case.ci_low": (
        "Cost per case, 95 % CI low, ₽",
        "Стоимость на одно обращение, 95 % ДИ нижн., ₽",
    ),
    "xlsx.cost.summary.cost.per_case.ci_high": (
        "Cost per case, 95 % CI high, ₽",
        "Стоимость на одно обращение, 95 % ДИ верхн., ₽",
    ),
    "xlsx.cost.summary.cost.per_case.median": (
        "Cost per case, median, ₽",
        "Стоимость на одно обращение, медиана, ₽",
    ),
    "xlsx.cost.summary.cost.per_case.p90": (
        "Cost per case, p90, ₽",
        "Стоимость на одно обращение, 90-й перцентиль, ₽",
    ),
    "xlsx.cost.summary.cost.time_based.per_case": (
        "Time-based cost per case, ₽",
        "Повременные затраты на одно обращение, ₽",
    ),
    "xlsx.cost.summary.cost.per_execution.per_case": (
        "Per-execution cost per case, ₽",
        "Поштучные затраты на одно обращение, ₽",
    ),
    "xlsx.cost.summary.cost.fixed.per_case": (
        "Fixed cost per case, ₽",
        "Постоянные затраты на одно обращение, ₽",
    ),
    "xlsx.cost.summary.cost.total": ("Cost of all cases, ₽", "Стоимость всех случаев, ₽"),
    "xlsx.cost.summary.cost.per_year": ("Cost per year, ₽", "Стоимость в год, ₽"),
    "xlsx.cost.summary.cost.unused_capacity": (
        "Unused capacity over the window, ₽",
        "Неиспользованная мощность за окно, ₽",
    ),
    "xlsx.cost.summary.labour_hours.per_case": (
        "Labour hours per case, h",
        "Трудозатраты на одно обращение, ч",
    ),
    "xlsx.cost.summary.labour_hours.per_year": (
        "Labour hours per year, h",
        "Трудозатраты в год, ч",
    ),
    "xlsx.cost.summary.fte": ("FTE", "Штатные единицы"),
    "xlsx.cost.summary.volume.per_year": ("Cases per year", "Случаев в год"),
    # post-monitoring (leanproc.monitor): the views, chart, workbook and command of a
    # MonitorReport ({…} are filled in by the caller)
    "view.monitor.title": (
        "Post-monitoring: {kpi} per {freq}",
        "Постмониторинг: {kpi} по периодам ({freq})",
    ),
    "view.monitor.period": ("Period", "Период"),
    "view.monitor.cases": ("Cases", "Случаев"),
    "view.monitor.value": ("Value", "Значение"),
    "view.monitor.median": ("Median", "Медиана"),
    "view.monitor.signal": ("Signal", "Сигнал"),
    "view.monitor.log_file": ("Event log file", "Файл журнала событий"),
    "view.monitor.centre": ("Centre line", "Центральная линия"),
    "view.monitor.limits": ("Natural process limits", "Естественные границы процесса"),
    "view.monitor.lower": ("Lower limit", "Нижняя граница"),
    "view.monitor.upper": ("Upper limit", "Верхняя граница"),
    "view.monitor.mr": ("Mean moving range", "Средний скользящий размах"),
    "view.monitor.baseline": ("Baseline", "Базовый период"),
    "view.monitor.baseline_span": ("Baseline {start} .. {end}", "Базовый период {start} .. {end}"),
    "view.monitor.flagged": ("Flagged period", "Период с сигналом"),
    "view.monitor.change": ("Change point", "Точка изменения"),
    "view.monitor.change_at": (
        "Change point: {at} ({method}); {before} cases before, {after} after",
        "Точка изменения: {at} ({method}); случаев до: {before}, после: {after}",
    ),
    "view.monitor.confidence": (
        "confidence {confidence} %, p = {p}",
        "достоверность {confidence} %, p = {p}",
    ),
    "view.monitor.no_change": ("No change detected", "Изменение не обнаружено"),
    "view.monitor.given": ("given", "задана"),
    "view.monitor.detected": (
        "best single shift in mean of log case values ordered by end time (likelihood ratio), "
        "block-permutation p-value",
        "наибольший сдвиг среднего логарифмов значений случаев, упорядоченных по времени "
        "окончания (отношение правдоподобия), p-значение по блочной перестановке",
    ),
    "view.monitor.before_median": ("Before: median", "Было: медиана"),
    "view.monitor.after_median": ("After: median", "Стало: медиана"),
    "view.monitor.projection": ("Projection: median", "Прогноз: медиана"),
    "view.monitor.projection_band": ("Projection: 10–90 %", "Прогноз: 10–90 %"),
    "view.monitor.chart_note": (
        "XmR chart: limits = centre ± 2.66 × mean moving range over the baseline periods.",
        "Контрольная карта XmR: границы = центр ± 2,66 × средний скользящий размах "
        "за базовый период.",
    ),
    "view.monitor.periods": ("Periods", "Периоды"),
    "view.monitor.comparison": ("Before / after", "Было / Стало"),
    "view.monitor.signals": ("Signals", "Сигналы"),
    "view.monitor.validation": (
        "Against the projection and targets",
        "Сравнение с прогнозом и целями",
    ),
    "view.monitor.projected": ("Projected", "Прогноз"),
    "view.monitor.actual": ("Actual", "Факт"),
    "view.monitor.relative": ("Change, %", "Изменение, %"),
    "view.monitor.kpi_monitored": ("KPI monitored", "Показатель"),
    "view.monitor.freq": ("Period length", "Длина периода"),
    "view.monitor.change_method": ("Change point: method", "Точка изменения: метод"),
    "view.monitor.p_value": ("Change point: p-value", "Точка изменения: p"),
    "view.monitor.targets_met": ("Targets met after the change", "Цели достигнуты после изменения"),
    "view.monitor.yes": ("yes", "да"),
    "view.monitor.no": ("no", "нет"),
    "view.monitor.periods_line": (
        "{n} periods ({freq}), {cases} cases; {kpi}: first {first}, last {last}",
        "Периодов: {n} ({freq}), случаев: {cases}; {kpi}: первый {first}, последний {last}",
    ),
    "view.monitor.targets_ok": (
        "targets met in the after-period",
        "цели после изменения достигнуты",
    ),
    "view.monitor.targets_missed": (
        "a target is not met in the after-period",
        "цель после изменения не достигнута",
    ),
}
