"""Build as-is.bpmn and to-be.bpmn: certificates for gasification of a dwelling (Tomsk region).

The social-sector gasification certificate: a citizen of an eligible category applies at the
one-stop centre (МФЦ); the social support centre (ЦСПН) checks the right to the certificate with
data from other agencies and decides; the МФЦ hands the certificate over.

AS-IS: the МФЦ sends the paper file by courier; ЦСПН sends paper interagency requests (the
building's condition to the settlement administration, family composition to the registry office,
the gas company, other social support measures to the pension and social fund), each signed by
the head and answered by post in more than 7 days; the decision travels back by courier and the
МФЦ fills the certificate in by hand.

TO-BE: electronic file transfer; the building's condition comes from an alternative source (the
housing register) and the other data through electronic interagency exchange (ЕГИССО, the
registry-office register, the gas company, СМЭВ); the МФЦ system pre-fills the certificate.

Run ``python build_models.py`` in this folder to (re)write both files.
"""

from __future__ import annotations

from pathlib import Path

from leanproc.bpmn.builder import ModelBuilder
from leanproc.bpmn.writer import write_bpmn

HERE = Path(__file__).resolve().parent
APPLICANT = "Заявитель"
MFC = "Специалист МФЦ"
COURIER = "Курьерская доставка"
CSPN = "Специалист ЦСПН"
HEAD = "Руководитель ЦСПН"
AGENCIES = "Органы и организации (ответы на запросы)"


def as_is() -> ModelBuilder:
    b = ModelBuilder("Выдача сертификата на газификацию жилого помещения (AS-IS)",
                     process_id="Gasification_AsIs")
    b.lane(APPLICANT)
    start = b.start("Заявитель обратился в МФЦ")
    come = b.task("Явка заявителя за результатом")
    end = b.end("Результат получен")
    b.lane(MFC)
    accept = b.task("Консультирование и приём заявления", kind="userTask",
                    documents=["Заявление", "Паспорт", "Документ о праве собственности",
                               "Справка о доходах семьи"])
    pack = b.task("Формирование бумажного дела", kind="manualTask", produces=["Опись дела"])
    fill = b.task("Оформление сертификата (уведомления) вручную", kind="userTask",
                  produces=["Сертификат на газификацию"])
    notify = b.task("Уведомление заявителя о готовности", kind="userTask")
    issue = b.task("Выдача результата заявителю", kind="userTask")
    b.lane(COURIER)
    to_cspn = b.task("Доставка дела в ЦСПН курьером")
    to_mfc = b.task("Доставка решения в МФЦ курьером")
    b.lane(CSPN)
    register = b.task("Регистрация заявления", kind="userTask")
    prepare = b.task("Подготовка бумажных межведомственных запросов", kind="userTask",
                     produces=["Межведомственные запросы"])
    fork = b.parallel("Запросы отправлены почтой")
    join = b.parallel("Все ответы получены")
    check = b.task("Проверка права и подготовка решения", kind="userTask",
                   documents=["Ответы на запросы"])
    b.lane(HEAD)
    sign_requests = b.task("Подписание запросов руководителем", kind="manualTask")
    sign_decision = b.task("Подписание решения руководителем", kind="manualTask")
    b.lane(AGENCIES)
    answers = [
        b.task("Ответ администрации о техническом состоянии дома"),
        b.task("Ответ органа ЗАГС о составе семьи"),
        b.task("Ответ газораспределительной организации"),
        b.task("Ответ ОСФР о мерах социальной поддержки"),
        b.task("Выписка из ЕГРН (СМЭВ)", kind="receiveTask"),
    ]
    b.sequence(start, accept, pack, to_cspn, register, prepare, sign_requests, fork)
    for a in answers:
        b.sequence(fork, a, join)
    b.sequence(join, check, sign_decision, to_mfc, fill, notify, come, issue, end)
    return b


def to_be() -> ModelBuilder:
    b = ModelBuilder("Выдача сертификата на газификацию жилого помещения (TO-BE)",
                     process_id="Gasification_ToBe")
    b.lane(APPLICANT)
    start = b.start("Заявитель обратился в МФЦ")
    come = b.task("Явка заявителя за результатом")
    end = b.end("Результат получен")
    b.lane(MFC)
    b.document("Электронное дело", electronic=True)
    accept = b.task("Консультирование и приём заявления", kind="userTask",
                    documents=["Заявление", "Паспорт"])
    send = b.task("Направление электронного дела в ЦСПН", kind="serviceTask",
                  produces=["Электронное дело"])
    fill = b.task("Печать предзаполненного сертификата", kind="userTask",
                  produces=["Сертификат на газификацию"])
    notify = b.task("SMS-уведомление заявителя", kind="serviceTask")
    issue = b.task("Выдача результата заявителю", kind="userTask")
    b.lane(CSPN)
    register = b.task("Регистрация электронного заявления", kind="userTask")
    fork = b.parallel("Электронные запросы (СМЭВ)")
    join = b.parallel("Все сведения получены")
    check = b.task("Проверка права и подготовка решения", kind="userTask")
    b.lane(HEAD)
    sign_decision = b.task("Подписание решения ЭП руководителя", kind="userTask")
    b.lane(AGENCIES)
    answers = [
        b.task("Сведения о техническом состоянии дома (реестр жилфонда)", kind="receiveTask"),
        b.task("Сведения ЕГР ЗАГС о составе семьи (СМЭВ)", kind="receiveTask"),
        b.task("Сведения газораспределительной организации (электронный обмен)",
               kind="receiveTask"),
        b.task("Сведения ЕГИССО о мерах социальной поддержки", kind="receiveTask"),
        b.task("Выписка из ЕГРН (СМЭВ)", kind="receiveTask"),
    ]
    b.sequence(start, accept, send, register, fork)
    for a in answers:
        b.sequence(fork, a, join)
    b.sequence(join, check, sign_decision, fill, notify, come, issue, end)
    return b


def main() -> None:
    for name, build in (("as-is", as_is), ("to-be", to_be)):
        path = HERE / f"{name}.bpmn"
        write_bpmn(build().build(), path)
        print(f"wrote {path.name}")


if __name__ == "__main__":
    main()
