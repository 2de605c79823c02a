"""``leanproc check-model`` reads as a summary: names, not ids, and the lean counts as a table."""

from __future__ import annotations

import re
from pathlib import Path

from leanproc.cli import main

EXAMPLES = Path(__file__).parents[1] / "src" / "leanproc" / "examples"
TAXI = Path(__file__).parents[1] / "examples" / "taxi-permit"


def _doc(body: str) -> str:
    return ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" '
            f'targetNamespace="http://t"><process id="P" name="Заявка">{body}</process>'
            '</definitions>')


def test_lean_counts_are_a_table_in_the_chosen_language(capsys) -> None:
    assert main(["check-model", str(TAXI / "as-is.bpmn"), "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert "Structure(" not in out  # no raw dump of the dataclass
    # five approvals and seven hand-offs between lanes (the project card's counts)
    assert re.search(r"^Согласования\s+5$", out, re.M)
    assert re.search(r"^Передачи\s+7$", out, re.M)
    assert "дорожки: 7 (Заявитель, Секретарь," in out
    assert out.rstrip().endswith("ошибок нет")
    # a hand-off named by the activities it joins, the flow id in brackets
    assert ("«Подать заявление и документы» → «Зарегистрировать заявление в журнале "
            "входящих» [Flow_2]") in out
    assert main(["check-model", str(TAXI / "as-is.bpmn")]) == 0
    english = capsys.readouterr().out
    assert re.search(r"^Approvals\s+5$", english, re.M) and "no errors" in english


def test_findings_name_flows_by_their_ends(tmp_path, capsys) -> None:
    # an exclusive split with no default and bare flows: the warning lists those flows
    path = tmp_path / "split.bpmn"
    path.write_text(_doc(
        '<startEvent id="S" name="Заявка пришла"/><exclusiveGateway id="X" name="Полная?"/>'
        '<task id="A" name="Принять"/><task id="B" name="Отказать"/><endEvent id="E"/>'
        '<endEvent id="E2"/>'
        '<sequenceFlow id="F1" sourceRef="S" targetRef="X"/>'
        '<sequenceFlow id="F2" sourceRef="X" targetRef="A"/>'
        '<sequenceFlow id="F3" sourceRef="X" targetRef="B"/>'
        '<sequenceFlow id="F4" sourceRef="A" targetRef="E"/>'
        '<sequenceFlow id="F5" sourceRef="B" targetRef="E2"/>'), encoding="utf-8")
    assert main(["check-model", str(path)]) == 0  # warnings pass
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "unconditioned-split" in x)
    assert "«Полная?» [X]" in line
    assert "«Полная?» → «Принять» [F2]" in line and "«Полная?» → «Отказать» [F3]" in line
    assert "1 warning(s)" in out


def test_exit_code_and_element_names_of_an_error(tmp_path, capsys) -> None:
    path = tmp_path / "deadlock.bpmn"
    path.write_text(_doc(
        '<startEvent id="S"/><exclusiveGateway id="X" name="Выбор" default="F_X_B"/>'
        '<task id="A" name="Первая"/><task id="B" name="Вторая"/>'
        '<parallelGateway id="J" name="Ждать обе"/><endEvent id="E"/>'
        + "".join(f'<sequenceFlow id="F_{a}_{b}" sourceRef="{a}" targetRef="{b}"/>'
                  for a, b in ("SX", "XA", "XB", "AJ", "BJ", "JE"))), encoding="utf-8")
    assert main(["check-model", str(path), "--lang", "ru"]) == 1
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "parallel-join-deadlock" in x)
    assert line.strip().startswith("error [parallel-join-deadlock] «Ждать обе» [J]:")
    assert f"ошибок в {path}: 1" in out
