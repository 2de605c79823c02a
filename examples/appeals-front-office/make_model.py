"""Build appeals.bpmn: an appeal from a social network is answered by the front office.

    python examples/appeals-front-office/make_model.py
"""

from __future__ import annotations

from pathlib import Path

from leanproc.bpmn.builder import ModelBuilder
from leanproc.bpmn.writer import write_bpmn

HERE = Path(__file__).resolve().parent


def build() -> None:
    b = ModelBuilder("Ответ на обращение гражданина в социальной сети")
    b.sequence(b.start("Поступило обращение"), b.task("Подготовить и дать ответ"),
               b.end("Ответ дан"))
    write_bpmn(b.build(), HERE / "appeals.bpmn")


if __name__ == "__main__":
    build()
