"""Russian forms of the notes the library writes in English, by pattern (`_labels.note_text`).

A note with no pattern here stays as written: a new note shows up in English rather than
disappearing; tests/test_l10n_ru.py fails when a note the examples produce is missing.
"""

from __future__ import annotations

import re

__all__ = ["NOTES_RU"]

NOTES_RU: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text) for pattern, text in (
        (r"utilisation of role (?P<role>.+) unknown: no org:resource values; "
         r"pass capacity=\{\.\.\.\}",
         "загрузка роли {role} неизвестна: в журнале нет исполнителей (org:resource); "
         "задайте численность (capacity)"),
        (r"utilisation of role (?P<role>.+) is (?P<value>[\d.]+%): its rows overlap more than "
         r"(?P<cap>\d+) resource\(s\) can work; check capacity=\{\.\.\.\} or overlapping rows",
         "загрузка роли {role} — {value}: операций одновременно больше, чем исполнителей "
         "({cap}); проверьте численность (capacity) или пересекающиеся строки"),
        (r"utilisation unknown: the log has no org:role column",
         "загрузка неизвестна: в журнале нет столбца ролей (org:role)"),
        (r"utilisation is zero everywhere: the log has no start_timestamp values",
         "загрузка везде нулевая: в журнале нет времени начала операций"),
        (r"PCE uses all processing time: pass value_activities=\[\.\.\.\] to restrict it",
         "эффективность цикла (PCE) считается по всему времени обработки: укажите операции, "
         "создающие ценность, чтобы ограничить её"),
        (r"unfinished share unknown: every case counts as finished at its last completion "
         r"\(pass cases= or horizon= to know\)",
         "доля незавершённых неизвестна: каждый случай считается завершённым по последней "
         "операции (укажите список случаев или горизонт наблюдения)"),
        (r"(?P<n>\d+) pool instance\(s\) lack a start or completion time: their working time "
         r"counts as zero",
         "у {n} выполнений нет времени начала или окончания: их рабочее время считается нулевым"),
        (r"roles without a resource pool in the scenario are not priced: (?P<names>.+)",
         "роли без пула ресурсов в сценарии не оцениваются: {names}"),
        (r"pools without cost data \(cost_per_hour or monthly_salary\) cost nothing: "
         r"(?P<names>.+)",
         "пулы без данных о стоимости (ставка в час или оклад) ничего не стоят: {names}"),
        (r"the log's cost column is added as recorded cost",
         "стоимость из журнала добавлена как записанные затраты"),
        (r"yearly figures use a volume of (?P<volume>[\d,.]+) cases per year estimated from the "
         r"log's arrival rate: pass volume_per_year to set it",
         "годовые показатели рассчитаны на объём {volume} обращений в год, оценённый по "
         "интенсивности поступления; задайте годовой объём, чтобы указать его"),
        # the reasons of a validation verdict (leanproc.mining.validate)
        (r"too few finished real cases", "слишком мало завершённых реальных случаев"),
        (r"a value is missing", "нет значения"),
        (r"no projected interval", "нет интервала прогноза"),
        (r"inside the projected interval", "внутри интервала прогноза"),
        (r"outside the projected interval; the distribution tests reject",
         "вне интервала прогноза; критерии отвергают совпадение распределений"),
        (r"outside the projected interval; no distribution test was run",
         "вне интервала прогноза; проверка распределений не проводилась"),
        (r"outside the interval, but the distribution tests agree",
         "вне интервала, но критерии не отвергают совпадение распределений"),
        (r"the projected interval is too wide to be informative",
         "интервал прогноза слишком широк, чтобы что-то утверждать"),
        (r"inside the interval, but a distribution test rejects",
         "внутри интервала, но критерий отвергает совпадение распределений"),
        (r"only (?P<n>\d+) finished real case\(s\): verdicts are inconclusive",
         "завершённых реальных случаев только {n}: выводы не доказаны"),
        (r"the real log has no start times: per-activity processing and waiting cannot be "
         r"compared", "в реальном журнале нет времени начала операций: обработку и ожидание "
         "по операциям сравнить нельзя"),
        (r"activities sharing a name have different costs per execution; the first is used "
         r"for the log's rows: (?P<names>.+)",
         "у одноимённых операций разная стоимость выполнения; для строк журнала взята первая: "
         "{names}"),
        # what the optimiser claims of its best candidate, and its notes (leanproc.optimize)
        (r"meets every target with confidence >= (?P<level>[\d.]+%) \(one-sided t bounds over "
         r"(?P<n>\d+) replications, each target at (?P<each>[\d.]+%)\)",
         "выполняет все целевые значения с уверенностью не ниже {level} (односторонние "
         "t-границы по {n} прогонам, каждое целевое значение на уровне {each})"),
        (r"cheaper than (?P<k>\d+) of the (?P<n>\d+) other feasible candidates evaluated, "
         r"jointly with confidence >= (?P<level>[\d.]+%) \(paired differences under common "
         r"random numbers\)",
         "дешевле {k} из {n} других допустимых вариантов, совместно с уверенностью не ниже "
         "{level} (парные разности на общих случайных числах)"),
        (r"tied on (?P<kpi>\S+) with (?P<n>\d+) candidate\(s\); chosen for the larger margin "
         r"to the targets",
         "равен по {kpi} с {n} вариантом(ами); выбран вариант с большим запасом до целевых "
         "значений"),
        (r"not distinguishable from (?P<n>\d+) candidate\(s\) after (?P<most>\d+) "
         r"replications: (?P<which>.+)",
         "не отличается от {n} варианта(ов) после {most} прогонов: {which}"),
        (r"no feasible candidate was found", "допустимый вариант не найден"),
        (r"no candidate was shown to meet every target",
         "ни для одного варианта не показано выполнение всех целевых значений"),
        (r"no step up is possible from the largest candidate tried",
         "от наибольшего испробованного варианта шаг вверх невозможен"),
        (r"no candidate satisfies the constraints", "ни один вариант не удовлетворяет "
         "ограничениям"),
        (r"the capacity seed (?P<seed>.+) breaks the constraints; the search started from the "
         r"first admissible candidate",
         "начальный вариант по пропускной способности {seed} нарушает ограничения; поиск начат "
         "с первого допустимого варианта"),
        (r"stopped at the budget of (?P<n>\d+) simulation runs: the best candidate found so far "
         r"is returned, and candidates not yet settled are marked uncertain",
         "остановлено: исчерпан лимит в {n} прогонов; возвращён лучший найденный вариант, "
         "нерешённые варианты отмечены как неопределённые"),
        (r"stopped at the time budget of (?P<s>[\d.]+) s: the best candidate found so far is "
         r"returned, and candidates not yet settled are marked uncertain",
         "остановлено: исчерпан лимит времени {s} с; возвращён лучший найденный вариант, "
         "нерешённые варианты отмечены как неопределённые"),
        (r"stopped at (?P<hit>.+): the best candidate found so far is returned, and candidates "
         r"not yet settled are marked uncertain",
         "остановлено по пределу ({hit}): возвращён лучший найденный вариант, нерешённые "
         "варианты отмечены как неопределённые"),
    ))
