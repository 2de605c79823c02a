"""Generate as-is.bpmn and to-be.bpmn of the Tomsk workplace-onboarding case.

    python examples/tomsk-onboarding/make_models.py

The TO-BE model is the AS-IS model without the two paper hand-over steps that improvements 1
and 2 remove; every shared element keeps its name, so simulations of the two share random
numbers element by element (common random numbers).
"""

from __future__ import annotations

from pathlib import Path

from bpmn_layout import chain_flows, write_model

HERE = Path(__file__).resolve().parent

LANES = [
    ("Lane_HR", "Специалист по кадрам"),
    ("Lane_Chief", "Руководитель аппарата"),
    ("Lane_General", "Общий отдел"),
    ("Lane_Head", "Руководитель подразделения"),
    ("Lane_IT", "Служба ИТ"),
    ("Lane_Acc", "Бухгалтерия"),
    ("Lane_AHO", "Хозяйственный отдел"),
]
NODES = [
    ("Start", "start", "Принято решение о приёме", "Lane_HR"),
    ("Task_Order", "task", "Подготовить проект распоряжения о приёме", "Lane_HR"),
    ("Task_Sign", "task", "Подписать распоряжение о приёме", "Lane_Chief"),
    ("Task_PaperCopies", "task", "Разослать копии распоряжения на бумаге", "Lane_General"),
    ("Task_Memos", "task", "Составить служебные записки в ИТ и АХО", "Lane_Head"),
    ("Task_MemoAHO", "task", "Передать служебную записку в АХО", "Lane_General"),
    ("Task_MemoIT", "task", "Зарегистрировать и передать служебную записку в ИТ",
     "Lane_General"),
    ("Task_Access", "task", "Согласовать заявку на доступ к информационным системам",
     "Lane_Head"),
    ("Task_Pass", "task", "Согласовать пропуск со службой безопасности", "Lane_HR"),
    ("Gateway_Merge", "xor", "", "Lane_IT"),
    ("Task_Setup", "task", "Настроить АРМ и учётные записи", "Lane_IT"),
    ("Gateway_Clear", "xor", "Требования ясны?", "Lane_IT"),
    ("Task_Clarify", "task", "Уточнить требования у руководителя", "Lane_IT"),
    ("Task_Assets", "task", "Закрепить оборудование за сотрудником", "Lane_Acc"),
    ("Task_Furniture", "task", "Подготовить мебель и телефон", "Lane_AHO"),
    ("Task_Welcome", "task", "Выдать пропуск и провести вводный инструктаж", "Lane_HR"),
    ("End", "end", "Рабочее место готово", "Lane_HR"),
]
REMOVED_IN_TO_BE = {"Task_PaperCopies", "Task_MemoAHO"}


def build(path: Path, *, to_be: bool) -> None:
    nodes = [n for n in NODES if not (to_be and n[0] in REMOVED_IN_TO_BE)]
    ids = [n[0] for n in nodes]
    main = ids[: ids.index("Gateway_Clear") + 1]
    tail = ids[ids.index("Task_Assets"):]
    flows = [
        *chain_flows(main),
        ("Flow_Yes", "Gateway_Clear", "Task_Assets", "да"),
        ("Flow_No", "Gateway_Clear", "Task_Clarify", "нет"),
        ("Flow_Loop", "Task_Clarify", "Gateway_Merge", None),
        *chain_flows(tail),
    ]
    paper = "электронное" if to_be else "бумажное"
    data = [
        ("Data_Order", f"Распоряжение о приёме ({paper})", "Task_Order"),
        ("Data_Request", "Единая заявка на рабочее место (электронная)" if to_be
         else "Служебные записки (бумажные)", "Task_Memos"),
    ]
    title = "Организация рабочего места сотрудника при приёме на работу"
    write_model(path, process_id="Process_Onboarding",
                name=f"{title} ({'TO-BE' if to_be else 'AS-IS'})",
                pool="Администрация Томской области", lanes=LANES, nodes=nodes, flows=flows,
                data=data, default_flows={"Gateway_Clear": "Flow_Yes"})


if __name__ == "__main__":
    build(HERE / "as-is.bpmn", to_be=False)
    build(HERE / "to-be.bpmn", to_be=True)
