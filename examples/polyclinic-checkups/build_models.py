"""Build as-is.bpmn and to-be.bpmn: stage I of adult check-ups (диспансеризация), Polyclinic
No. 4, Tomsk.

Invited adults come in the morning (blood is taken fasting), pass the rooms of the check-up
department one after another and come back to the therapist when the laboratory results are
ready. A patient who gives up in the queue at the first room, or does not come back to the
therapist, leaves the check-up unfinished until they come again.

AS-IS: the operator invites without a script; one pre-medical room; no route sheet, so the
patient books the final visit on their own; the therapist sees check-up patients two hours a
day between sick patients; nobody calls those who dropped out.

TO-BE: a speech script for the operator (more invited people come); revised standard operating
procedures (shorter steps, two pre-medical rooms); a route sheet with the final visit booked for
the day the results are ready and a separate therapist room; a daily call-back plan that brings
drop-outs back.

The two models differ only in the call-back step and in names; the mechanics that changed are in
the scenarios (as-is.yaml, to-be.yaml). Run ``python build_models.py`` to (re)write both files.
"""

from __future__ import annotations

from pathlib import Path

from leanproc.bpmn.builder import ModelBuilder
from leanproc.bpmn.writer import write_bpmn

HERE = Path(__file__).resolve().parent
PATIENT = "Пациент"
OPERATOR = "Оператор"
PREMED = "Кабинет медицинской профилактики"
LAB_ROOM = "Процедурный кабинет"
ECG = "Кабинет ЭКГ"
XRAY = "Флюорографический кабинет"
LAB = "Клинико-диагностическая лаборатория"
THERAPIST = "Терапевт"


def model(to_be: bool) -> ModelBuilder:
    title = "Диспансеризация взрослых, I этап (" + ("TO-BE" if to_be else "AS-IS") + ")"
    b = ModelBuilder(title, process_id="Checkup_ToBe" if to_be else "Checkup_AsIs")
    b.lane(PATIENT)
    start = b.start("Пациент пришёл натощак")
    again = b.xor("Пациент пришёл снова")
    come_back = b.task("Повторная явка пациента")
    to_final = b.task("Явка на заключительный приём по маршрутному листу" if to_be
                      else "Самостоятельная запись и явка к терапевту")
    showed = b.xor("Пациент явился к терапевту?")
    end = b.end("I этап завершён")
    if to_be:
        b.lane(OPERATOR)
        call = b.task("Звонок пациенту по плану обзвона", kind="userTask")
    b.lane(PREMED)
    premed = b.task("Анкетирование, антропометрия, измерение давления", kind="userTask",
                    documents=["Маршрутный лист"] if to_be else ["Анкета"])
    gave_up = b.boundary(premed, "Пациент ушёл из очереди", timer="PT1H")
    b.lane(LAB_ROOM)
    blood = b.task("Забор крови", kind="userTask")
    b.lane(ECG)
    ecg = b.task("ЭКГ", kind="userTask")
    b.lane(XRAY)
    xray = b.task("Флюорография", kind="userTask")
    b.lane(LAB)
    tests = b.task("Исследования в лаборатории", kind="serviceTask")
    b.lane(THERAPIST)
    final = b.task("Заключительный приём терапевта", kind="userTask",
                   produces=["Паспорт здоровья"])
    b.lane(PATIENT)
    dropped = b.xor("Незавершённый случай")
    b.sequence(start, again, premed, blood, ecg, xray, tests, to_final, showed)
    b.flow(showed, final, name="да")
    b.flow(showed, dropped, name="нет")
    b.flow(final, end)
    b.flow(gave_up, dropped)
    if to_be:
        b.sequence(dropped, call, come_back, again)
    else:
        b.sequence(dropped, come_back, again)
    return b


def main() -> None:
    for name, to_be in (("as-is", False), ("to-be", True)):
        path = HERE / f"{name}.bpmn"
        write_bpmn(model(to_be).build(), path)
        print(f"wrote {path.name}")


if __name__ == "__main__":
    main()
