"""Build as-is.bpmn and to-be.bpmn of the taxi-permit case (Tomsk, variant A) with leanproc's
`ModelBuilder` (automatic diagram layout).

    python examples/taxi-permit/make_models.py

The TO-BE model is the AS-IS without the approval, paper and printing steps the improvements
remove (and without the lanes left empty); shared elements keep their ids and names (common
random numbers across the two).
"""

from __future__ import annotations

from pathlib import Path

from leanproc.bpmn.builder import ModelBuilder
from leanproc.bpmn.model import ProcessModel
from leanproc.bpmn.writer import write_bpmn

HERE = Path(__file__).resolve().parent
TITLE = "Выдача разрешения на осуществление деятельности по перевозке пассажиров такси"
POOL = "Министерство транспорта (Томская область)"

# (id, name, lane id, lane name); the lane of each step is that of its performer
STEPS = [
    ("Task_Submit", "Подать заявление и документы", "Lane_Applicant", "Заявитель"),
    ("Task_Journal", "Зарегистрировать заявление в журнале входящих", "Lane_Secretary",
     "Секретарь"),
    ("Task_Check", "Проверить документы и сведения о транспортном средстве",
     "Lane_Specialist", "Специалист отдела"),
    ("Task_Request", "Запросить сведения в ГИБДД и ФНС", "Lane_Specialist",
     "Специалист отдела"),
    ("Task_Print", "Распечатать и сшить комплект документов", "Lane_Specialist",
     "Специалист отдела"),
    ("Task_Courier", "Передать комплект на согласование", "Lane_Specialist",
     "Специалист отдела"),
    ("Task_Head", "Согласовать проект разрешения с начальником отдела", "Lane_Head",
     "Начальник отдела"),
    ("Task_Legal", "Согласовать проект разрешения с юридическим отделом", "Lane_Legal",
     "Юрист"),
    ("Task_Deputy", "Согласовать разрешение с заместителем министра", "Lane_Deputy",
     "Заместитель министра"),
    ("Task_Minister", "Подписать разрешение у министра", "Lane_Minister", "Министр"),
    ("Task_Issue", "Выдать разрешение заявителю", "Lane_Specialist", "Специалист отдела"),
    ("Task_Registry", "Внести сведения в реестр разрешений", "Lane_Specialist",
     "Специалист отдела"),
]
LANE_ORDER = ["Lane_Applicant", "Lane_Secretary", "Lane_Specialist", "Lane_Head", "Lane_Legal",
              "Lane_Deputy", "Lane_Minister"]
REMOVED_IN_TO_BE = {"Task_Journal", "Task_Print", "Task_Courier", "Task_Head", "Task_Legal",
                    "Task_Deputy", "Task_Minister"}


def build(*, to_be: bool) -> ProcessModel:
    """The AS-IS (``to_be=False``) or TO-BE model."""
    steps = [s for s in STEPS if not (to_be and s[0] in REMOVED_IN_TO_BE)]
    b = ModelBuilder(f"{TITLE} ({'TO-BE' if to_be else 'AS-IS'})",
                     process_id="Process_TaxiPermit", pool=POOL,
                     definitions_id="Definitions_Process_TaxiPermit")
    names = {lane_id: lane_name for _, _, lane_id, lane_name in steps}
    for lane_id in LANE_ORDER:  # rows top to bottom; a lane with no step is not drawn
        if lane_id in names:
            b.lane(names[lane_id], id=lane_id)
    kind = "электронное" if to_be else "бумажное"
    documents = {"Task_Submit": f"Заявление и документы ({kind})",
                 "Task_Issue": f"Разрешение ({'электронное, ЭП' if to_be else 'бумажное'})"}
    chain = [b.start("Нужно разрешение на такси", lane="Lane_Applicant", id="Start")]
    for node_id, name, lane_id, _ in steps:
        produced = [documents[node_id]] if node_id in documents else []
        chain.append(b.task(name, lane=lane_id, id=node_id, kind="userTask",
                            produces=produced))
    chain.append(b.end("Разрешение выдано", lane="Lane_Specialist", id="End"))
    b.sequence(*chain)
    return b.build()


if __name__ == "__main__":
    write_bpmn(build(to_be=False), HERE / "as-is.bpmn")
    write_bpmn(build(to_be=True), HERE / "to-be.bpmn")
