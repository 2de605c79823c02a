"""Build as-is.bpmn and to-be.bpmn of the Tomsk workplace-onboarding case with leanproc's
`ModelBuilder` (automatic diagram layout).

    python examples/tomsk-onboarding/make_models.py

AS-IS: the appointment order is drafted, signed on paper and copied out by the internal mail
round; the head of unit writes paper memos to IT and to the facilities office, which the
general department registers and carries; the access request is signed on paper; IT sets up
the workstation (and asks the head again when a memo lacks details); accounting waits for the
paper order before it can enter the employee and assign the equipment.

TO-BE (the four measures of improvements.yaml): one electronic request form, the order sent
out by the e-document system (СЭД), one СЭД route for the onboarding HR documents (the
serviceTask "Маршрут СЭД…", which the AS-IS does not have: the card's "HR document routes
0 -> 1"), accounting connected to the HR system.

Shared elements keep their ids and names, so simulations of the two share random numbers
element by element (common random numbers); the TO-BE has no lane for the general department,
which no longer takes part.
"""

from __future__ import annotations

from pathlib import Path

from leanproc.bpmn.builder import ModelBuilder
from leanproc.bpmn.model import ProcessModel
from leanproc.bpmn.writer import write_bpmn

HERE = Path(__file__).resolve().parent
TITLE = "Организация рабочего места сотрудника при приёме на работу"
POOL = "Администрация Томской области"
HR = "Специалист по кадрам"
CHIEF = "Руководитель аппарата"
GENERAL = "Общий отдел"
HEAD = "Руководитель подразделения"
IT = "Служба ИТ"
ACCOUNTING = "Бухгалтерия"
FACILITIES = "Хозяйственный отдел"
ROUTE = "Маршрут СЭД: заявка на рабочее место"
"""The one HR document route of the TO-BE (an automated step of the e-document system)."""


def build(*, to_be: bool) -> ProcessModel:
    """The AS-IS (``to_be=False``) or TO-BE model."""
    b = ModelBuilder(f"{TITLE} ({'TO-BE' if to_be else 'AS-IS'})",
                     process_id="Process_Onboarding", pool=POOL,
                     definitions_id=f"Definitions_Onboarding_{'ToBe' if to_be else 'AsIs'}")
    order_doc = "Распоряжение о приёме (электронное)" if to_be else "Распоряжение о приёме"
    request_docs = (["Единая заявка на рабочее место (электронная)"] if to_be else
                    ["Служебная записка в ИТ", "Служебная записка в АХО"])

    # lanes in the order the case passes them (the diagram's rows, top to bottom)
    b.lane(HR, id="Lane_HR")
    b.lane(CHIEF, id="Lane_Chief")
    if not to_be:
        b.lane(GENERAL, id="Lane_General")
    b.lane(HEAD, id="Lane_Head")
    b.lane(IT, id="Lane_IT")
    b.lane(FACILITIES, id="Lane_AHO")
    b.lane(ACCOUNTING, id="Lane_Acc")

    start = b.start("Принято решение о приёме", lane=HR, id="Start")
    order = b.task("Подготовить проект распоряжения о приёме", lane=HR, id="Task_Order",
                   kind="userTask", produces=[order_doc])
    sign = b.task("Подписать распоряжение о приёме", lane=CHIEF, id="Task_Sign",
                  kind="userTask", documents=[order_doc], approval=True)
    spine = [start, order, sign]
    if not to_be:
        spine.append(b.task("Разослать копии распоряжения на бумаге", lane=GENERAL,
                            id="Task_PaperCopies", kind="manualTask", documents=[order_doc],
                            value="waste"))
    spine.append(b.task("Оформить заявку на рабочее место (ИТ и АХО)", lane=HEAD,
                        id="Task_Request", kind="userTask", produces=request_docs))
    if to_be:
        spine.append(b.task(ROUTE, lane=HR, id="Task_Route", kind="serviceTask"))
    else:
        spine.append(b.task("Передать служебную записку в АХО", lane=GENERAL,
                            id="Task_MemoAHO", kind="manualTask", value="waste"))
        spine.append(b.task("Зарегистрировать и передать служебную записку в ИТ", lane=GENERAL,
                            id="Task_MemoIT", kind="manualTask", value="waste"))
    spine.append(b.task("Согласовать заявку на доступ к информационным системам", lane=HEAD,
                        id="Task_Access", kind="userTask", approval=True))
    split = b.parallel(lane=HEAD, id="Gateway_Split")
    spine.append(split)
    b.sequence(*spine)

    # IT: set up the workstation; an unclear request sends IT back to the head of unit
    merge = b.xor(lane=IT, id="Gateway_Merge")
    setup = b.task("Настроить АРМ и учётные записи", lane=IT, id="Task_Setup",
                   kind="manualTask", value="value")
    clear = b.xor("Требования ясны?", lane=IT, id="Gateway_Clear")
    clarify = b.task("Уточнить требования у руководителя", lane=HEAD, id="Task_Clarify",
                     kind="userTask", value="waste")
    # the facilities office and the security service work at the same time
    furniture = b.task("Подготовить мебель и телефон", lane=FACILITIES, id="Task_Furniture",
                       kind="manualTask", value="value")
    pass_ = b.task("Согласовать пропуск со службой безопасности", lane=HR, id="Task_Pass",
                   kind="userTask", approval=True)
    join = b.parallel(lane=ACCOUNTING, id="Gateway_Join")
    assets = b.task("Закрепить оборудование за сотрудником", lane=ACCOUNTING, id="Task_Assets",
                    kind="userTask", documents=[order_doc])
    end = b.end("Рабочее место готово", lane=ACCOUNTING, id="End")

    b.sequence(split, merge, setup, clear)
    b.flow(clear, join, name="да", default=True, id="Flow_Clear_Yes")
    b.flow(clear, clarify, name="нет", id="Flow_Clear_No")
    b.flow(clarify, merge, id="Flow_Clarified")
    b.sequence(split, furniture, join)
    b.sequence(split, pass_, join)
    b.sequence(join, assets, end)
    if not to_be:
        b.document(order_doc, electronic=False)
        for doc in request_docs:
            b.document(doc, electronic=False)
    return b.build()


if __name__ == "__main__":
    write_bpmn(build(to_be=False), HERE / "as-is.bpmn")
    write_bpmn(build(to_be=True), HERE / "to-be.bpmn")
