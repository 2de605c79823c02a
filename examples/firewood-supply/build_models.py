"""Build as-is.bpmn and to-be.bpmn: supplying firewood to families of servicemen (Kirov region).

A family of a serviceman living in a house with stove heating receives firewood free of charge.

AS-IS (9 participants, 34 operations, 12 of them the client's): the family collects the
documents itself (a certificate from the military commissariat, an extract from the property
register through the МФЦ, a certificate of family composition and stove heating from the rural
settlement after an inspection), brings the paper file to the municipal administration, waits
for the decision, and the firewood is bought for it by a procurement under 44-ФЗ that collects
applications into a joint purchase; the supplier then prepares and delivers the firewood.

TO-BE (7 participants, 23 operations, 5 of them the client's): an electronic application (on the
federal portal or at the МФЦ); the municipality collects the data by interagency requests; the
firewood contract is signed in advance, so an order under it replaces the procurement.

Run ``python build_models.py`` in this folder to (re)write both files.
"""

from __future__ import annotations

from pathlib import Path

from leanproc.bpmn.builder import ModelBuilder
from leanproc.bpmn.writer import write_bpmn

HERE = Path(__file__).resolve().parent
CLIENT = "Заявитель (член семьи военнослужащего)"
MILITARY = "Военный комиссариат"
MFC = "МФЦ"
SETTLEMENT = "Администрация сельского поселения"
SPECIALIST = "Специалист администрации округа"
HEAD = "Глава муниципального округа"
CONTRACTS = "Контрактная служба"
ACCOUNTING = "Бухгалтерия администрации"
SUPPLIER = "Поставщик дров"


def as_is() -> ModelBuilder:
    b = ModelBuilder("Обеспечение дровами семей военнослужащих (AS-IS)",
                     process_id="Firewood_AsIs")
    b.lane(CLIENT)
    start = b.start("Семья нуждается в дровах")
    consult = b.task("Обращение за консультацией в администрацию")
    ask_mil = b.task("Запрос справки об участии в СВО в военкомате")
    get_mil = b.task("Получение справки в военкомате", documents=["Справка военкомата"])
    ask_egrn = b.task("Заказ выписки из ЕГРН в МФЦ")
    get_egrn = b.task("Получение выписки из ЕГРН в МФЦ", documents=["Выписка из ЕГРН"])
    ask_set = b.task("Запрос справки о составе семьи и печном отоплении")
    get_set = b.task("Получение справки в поселении",
                     documents=["Справка о составе семьи и виде отопления"])
    submit = b.task("Подача заявления с пакетом документов",
                    documents=["Заявление", "Паспорт"])
    notified = b.task("Получение уведомления о включении в список")
    agree = b.task("Согласование даты доставки с поставщиком")
    accept = b.task("Приёмка дров")
    act = b.task("Подписание акта приёма-передачи", produces=["Акт приёма-передачи"])
    end = b.end("Дрова доставлены")
    b.lane(MILITARY)
    mil_check = b.task("Проверка сведений о военнослужащем")
    mil_doc = b.task("Оформление справки об участии в СВО", produces=["Справка военкомата"])
    b.lane(MFC)
    mfc_take = b.task("Приём запроса о выписке из ЕГРН")
    mfc_wait = b.task("Получение выписки из ЕГРН от Росреестра")
    mfc_give = b.task("Выдача выписки из ЕГРН", produces=["Выписка из ЕГРН"])
    b.lane(SETTLEMENT)
    inspect = b.task("Обследование жилого помещения (печное отопление)",
                     produces=["Акт обследования"])
    set_doc = b.task("Оформление справки о составе семьи и виде отопления",
                     produces=["Справка о составе семьи и виде отопления"])
    b.lane(SPECIALIST)
    register = b.task("Регистрация заявления")
    check = b.task("Проверка комплекта документов")
    draft = b.task("Подготовка проекта решения о предоставлении дров",
                   produces=["Проект решения"])
    request = b.task("Формирование заявки на закупку дров", produces=["Заявка на закупку"])
    notify = b.task("Уведомление заявителя о решении", produces=["Уведомление"])
    b.lane(HEAD)
    sign = b.task("Подписание решения о предоставлении дров")
    approve = b.task("Утверждение заявки на закупку")
    b.lane(CONTRACTS)
    batch = b.task("Включение заявки в сводную закупку")
    notice = b.task("Подготовка извещения о закупке", produces=["Извещение о закупке"])
    auction = b.task("Проведение электронного аукциона")
    contract = b.task("Заключение муниципального контракта", produces=["Контракт"])
    b.lane(ACCOUNTING)
    book = b.task("Постановка контракта на учёт")
    pay = b.task("Оплата поставки")
    b.lane(SUPPLIER)
    prepare = b.task("Заготовка и подготовка дров к доставке")
    deliver = b.task("Доставка дров")

    b.lane(CLIENT)
    fork = b.parallel("Сбор документов")
    join = b.parallel("Документы собраны")
    b.lane(SPECIALIST)
    split = b.parallel("Решение принято")
    merge = b.parallel("Заявитель уведомлён, контракт учтён")
    b.sequence(start, consult, fork)
    b.sequence(fork, ask_mil, mil_check, mil_doc, get_mil, join)
    b.sequence(fork, ask_egrn, mfc_take, mfc_wait, mfc_give, get_egrn, join)
    b.sequence(fork, ask_set, inspect, set_doc, get_set, join)
    b.sequence(join, submit, register, check, draft, sign, split)
    b.sequence(split, notify, notified, merge)
    b.sequence(split, request, approve, batch, notice, auction, contract, book, merge)
    b.sequence(merge, prepare, agree, deliver, accept, act, pay, end)
    return b


def to_be() -> ModelBuilder:
    b = ModelBuilder("Обеспечение дровами семей военнослужащих (TO-BE)",
                     process_id="Firewood_ToBe")
    b.lane(CLIENT)
    start = b.start("Семья нуждается в дровах")
    apply = b.task("Подача электронного заявления (ЕПГУ или МФЦ)",
                   produces=["Электронное заявление"])
    channel = b.xor("Канал подачи")
    merge_channel = b.xor()
    notified = b.task("Получение уведомления о решении")
    agree = b.task("Согласование даты доставки с поставщиком")
    accept = b.task("Приёмка дров")
    act = b.task("Подписание акта приёма-передачи", produces=["Акт приёма-передачи"])
    end = b.end("Дрова доставлены")
    b.lane(MILITARY)
    mil_check = b.task("Проверка сведений о военнослужащем")
    mil_answer = b.task("Направление ответа на межведомственный запрос")
    b.lane(MFC)
    mfc = b.task("Приём заявления и передача в администрацию по СЭД")
    b.lane(SPECIALIST)
    register = b.task("Регистрация заявления")
    fork = b.parallel("Межведомственные запросы")
    ask_mil = b.task("Межведомственный запрос в военкомат")
    ask_egrn = b.task("Запрос выписки из ЕГРН (СМЭВ)")
    heating = b.task("Проверка вида отопления по реестру")
    join = b.parallel("Сведения получены")
    draft = b.task("Подготовка проекта решения о предоставлении дров")
    order = b.task("Направление заявки поставщику по контракту", produces=["Заявка поставщику"])
    schedule = b.task("Формирование графика доставки")
    control = b.task("Контроль доставки и приёмки")
    notify = b.task("Уведомление заявителя о решении")
    b.lane(HEAD)
    sign = b.task("Подписание решения о предоставлении дров")
    b.lane(ACCOUNTING)
    book = b.task("Постановка заявки на учёт по контракту")
    pay = b.task("Оплата поставки")
    b.lane(SUPPLIER)
    prepare = b.task("Подготовка дров к доставке")
    deliver = b.task("Доставка дров")
    papers = b.task("Передача закрывающих документов", produces=["Счёт-фактура"])
    b.document("Электронное заявление", electronic=True)

    b.lane(SPECIALIST)
    split = b.parallel("Решение подписано")
    merge = b.parallel("Заявка принята в работу")
    b.sequence(start, apply, channel)
    b.flow(channel, merge_channel, name="ЕПГУ")
    b.flow(channel, mfc, name="МФЦ")
    b.flow(mfc, merge_channel)
    b.sequence(merge_channel, register, fork)
    b.sequence(fork, ask_mil, mil_check, mil_answer, join)
    b.sequence(fork, ask_egrn, join)
    b.sequence(fork, heating, join)
    b.sequence(join, draft, sign, split)
    b.sequence(split, notify, notified, merge)
    b.sequence(split, order, book, schedule, merge)
    b.sequence(merge, prepare, agree, deliver, accept, act, papers, control, pay, end)
    return b


def main() -> None:
    for name, build in (("as-is", as_is), ("to-be", to_be)):
        path = HERE / f"{name}.bpmn"
        write_bpmn(build().build(), path)
        print(f"wrote {path.name}")


if __name__ == "__main__":
    main()
