"""Build as-is.bpmn and to-be.bpmn: issuing an archive certificate (архивная справка).

A process office usually draws its models in a modeller (bpmn.io, Camunda Modeler, Business
Studio) and commits the .bpmn files; this script stands in for the modeller so that the
example can be rebuilt. Run ``python build_models.py`` in this folder.

AS-IS: the citizen files a paper request at the МФЦ; a courier takes it to the municipal
archive, which registers it, searches the paper holdings, drafts the certificate and has the
head of the archive sign it; the courier takes it back and the МФЦ hands it over.
TO-BE: the request comes through the regional portal; the archivist searches the digitised
holdings, drafts the certificate and signs it with an electronic signature; it goes to the
citizen's personal account on the portal.
"""

from __future__ import annotations

from pathlib import Path

from leanproc.bpmn.builder import ModelBuilder
from leanproc.bpmn.writer import write_bpmn

HERE = Path(__file__).resolve().parent


def as_is() -> ModelBuilder:
    b = ModelBuilder("Выдача архивной справки (AS-IS)", process_id="Archive_AsIs")
    b.lane("Заявитель")
    start = b.start("Нужна архивная справка")
    apply = b.task("Подать запрос в МФЦ", kind="manualTask", client=True,
                   documents=["Запрос (бумажный)", "Паспорт"])
    collect = b.task("Получить справку в МФЦ", kind="manualTask", client=True)
    end = b.end("Справка получена")
    b.lane("Специалист МФЦ")
    accept = b.task("Принять запрос", kind="userTask")
    issue = b.task("Выдать справку", kind="userTask", value="value")
    b.lane("Курьер")
    to_archive = b.task("Доставить запрос в архив", value="waste")
    to_mfc = b.task("Доставить справку в МФЦ", value="waste")
    b.lane("Архивист")
    register = b.task("Зарегистрировать запрос", kind="userTask", value="waste")
    search = b.task("Найти документы в архивном фонде", kind="userTask", value="value")
    draft = b.task("Подготовить справку", kind="userTask", value="value",
                   produces=["Архивная справка (бумажная)"])
    b.lane("Начальник архива")
    sign = b.task("Подписать справку", kind="userTask", approval=True, value="business")
    b.sequence(start, apply, accept, to_archive, register, search, draft, sign, to_mfc, issue,
               collect, end)
    return b


def to_be() -> ModelBuilder:
    b = ModelBuilder("Выдача архивной справки (TO-BE)", process_id="Archive_ToBe")
    b.lane("Заявитель")
    start = b.start("Нужна архивная справка")
    apply = b.task("Подать запрос на портале", kind="userTask", client=True)
    end = b.end("Справка в личном кабинете")
    b.lane("Архивист")
    search = b.task("Найти документы в электронном архиве", kind="userTask", value="value")
    draft = b.task("Подготовить справку", kind="userTask", value="value")
    # the archivist signs their own certificate: not an approval stage (approval=False keeps
    # the name-based lean tagging from counting it as one)
    sign = b.task("Подписать справку ЭП и направить в личный кабинет", kind="userTask",
                  value="value", approval=False)
    b.sequence(start, apply, search, draft, sign, end)
    return b


def main() -> None:
    for name, build in (("as-is", as_is), ("to-be", to_be)):
        path = HERE / f"{name}.bpmn"
        write_bpmn(build().build(), path)
        print(f"wrote {path.name}")


if __name__ == "__main__":
    main()
