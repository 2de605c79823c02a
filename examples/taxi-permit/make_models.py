"""Generate as-is.bpmn and to-be.bpmn of the taxi-permit case (Tomsk, variant A).

    python examples/taxi-permit/make_models.py

The TO-BE model is the AS-IS without the approval, paper and printing steps the improvements
remove; shared elements keep their names (common random numbers across the two).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tomsk-onboarding"))  # the shared layout helper

from bpmn_layout import chain_flows, write_model  # noqa: E402

LANES = [
    ("Lane_Applicant", "Заявитель"),
    ("Lane_Secretary", "Секретарь"),
    ("Lane_Specialist", "Специалист отдела"),
    ("Lane_Head", "Начальник отдела"),
    ("Lane_Legal", "Юрист"),
    ("Lane_Deputy", "Заместитель министра"),
    ("Lane_Minister", "Министр"),
]
NODES = [
    ("Start", "start", "Нужно разрешение на такси", "Lane_Applicant"),
    ("Task_Submit", "task", "Подать заявление и документы", "Lane_Applicant"),
    ("Task_Journal", "task", "Зарегистрировать заявление в журнале входящих", "Lane_Secretary"),
    ("Task_Check", "task", "Проверить документы и сведения о транспортном средстве",
     "Lane_Specialist"),
    ("Task_Request", "task", "Запросить сведения в ГИБДД и ФНС", "Lane_Specialist"),
    ("Task_Print", "task", "Распечатать и сшить комплект документов", "Lane_Specialist"),
    ("Task_Courier", "task", "Передать комплект на согласование", "Lane_Specialist"),
    ("Task_Head", "task", "Согласовать проект разрешения с начальником отдела", "Lane_Head"),
    ("Task_Legal", "task", "Согласовать проект разрешения с юридическим отделом", "Lane_Legal"),
    ("Task_Deputy", "task", "Согласовать разрешение с заместителем министра", "Lane_Deputy"),
    ("Task_Minister", "task", "Подписать разрешение у министра", "Lane_Minister"),
    ("Task_Issue", "task", "Выдать разрешение заявителю", "Lane_Specialist"),
    ("Task_Registry", "task", "Внести сведения в реестр разрешений", "Lane_Specialist"),
    ("End", "end", "Разрешение выдано", "Lane_Specialist"),
]
REMOVED_IN_TO_BE = {"Task_Journal", "Task_Print", "Task_Courier", "Task_Head", "Task_Legal",
                    "Task_Deputy", "Task_Minister"}


def build(path: Path, *, to_be: bool) -> None:
    nodes = [n for n in NODES if not (to_be and n[0] in REMOVED_IN_TO_BE)]
    lanes = [lane for lane in LANES if any(n[3] == lane[0] for n in nodes)]
    ids = [n[0] for n in nodes]
    kind = "электронное" if to_be else "бумажное"
    data = [("Data_Application", f"Заявление и документы ({kind})", "Task_Submit"),
            ("Data_Permit", f"Разрешение ({'электронное, ЭП' if to_be else 'бумажное'})",
             "Task_Issue")]
    title = "Выдача разрешения на осуществление деятельности по перевозке пассажиров такси"
    write_model(path, process_id="Process_TaxiPermit",
                name=f"{title} ({'TO-BE' if to_be else 'AS-IS'})",
                pool="Министерство транспорта (Томская область)", lanes=lanes, nodes=nodes,
                flows=chain_flows(ids), data=data)


if __name__ == "__main__":
    build(HERE / "as-is.bpmn", to_be=False)
    build(HERE / "to-be.bpmn", to_be=True)
