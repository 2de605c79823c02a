"""Russian output: every command with ``--lang ru`` and the Russian HTML report read as Russian.

The check is mechanical: a Latin word of three letters or more in the output is an English word
left untranslated, unless it is a file name or path, or one of the few acronyms a Russian
process office uses as they are (FTE and PCE, shown with a Russian gloss beside them; AS-IS and
TO-BE, the scenario names). The number format and the ФСА table's yearly counts are checked on
their own.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from leanproc._display import fmt_fixed, fmt_money, fmt_number, localise_numbers
from leanproc._labels import kpi_label, note_text
from leanproc.cli import main

REPO = Path(__file__).resolve().parents[1]
TAXI = REPO / "examples" / "taxi-permit"
GATE = REPO / "examples" / "ci-gate" / "targets.yaml"

# acronyms kept in Latin letters (each shown with its Russian words) and the product's name
ALLOWED = {"FTE", "PCE", "AS-IS", "TO-BE", "leanproc"}
_FILE = re.compile(r"\.(ya?ml|bpmn|csv|html|xes|gz|xml|parquet)$")


def latin_words(text: str) -> list[str]:
    """The Latin words (3+ letters) of `text` outside file names, paths, `ALLOWED` and element
    ids in brackets (``[Flow_2]``: identifiers from the model file, not words)."""
    found = []
    for token in re.sub(r"\[[^\]\s]*\]", " ", text).split():
        word = token.strip("()[]{}«»\"',;:.")
        if "/" in word or _FILE.search(word) or word in ALLOWED:
            continue
        found += re.findall(r"[A-Za-z]{3,}", word)
    return found


def page_text(page: str) -> str:
    """What a reader of an HTML page sees: no tags, styles or inlined figures."""
    page = re.sub(r"(?is)<(style|script)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", page))


def test_the_check_finds_english_and_passes_names() -> None:
    assert latin_words("ВПП lead time 12 h") == ["lead", "time"]
    assert latin_words("examples/taxi-permit/as-is.scenario.yaml 0,43 FTE (штатных единиц)") == []
    assert latin_words("журнал: real.csv; Было (AS-IS)") == []


COMMANDS = {
    "simulate": ["simulate", str(TAXI / "as-is.scenario.yaml")],
    "simulate -n": ["simulate", str(TAXI / "as-is.scenario.yaml"), "-n", "2"],
    "cost": ["cost", str(TAXI / "as-is.scenario.yaml"), "--volume", "210"],
    "cost estimated volume": ["cost", str(TAXI / "as-is.scenario.yaml")],
    "compare": ["compare", str(TAXI / "as-is.scenario.yaml"), str(TAXI / "to-be.scenario.yaml"),
                "-n", "2", "--ci"],
    "ladder": ["ladder", str(TAXI / "improvements.yaml"), "-n", "2"],
    "gate": ["gate", str(GATE), "-n", "2"],
    "check-model": ["check-model", str(TAXI / "as-is.bpmn")],
    "monitor": ["monitor", str(TAXI.parent / "post-monitoring" / "журнал.csv"),
                "--targets", str(TAXI.parent / "post-monitoring" / "targets.yaml")],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_command_output_is_russian(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    quiet = [] if name in ("check-model", "monitor") else ["--no-progress"]
    main([*COMMANDS[name], "--lang", "ru", *quiet])
    out = capsys.readouterr().out
    assert out.strip()
    assert latin_words(out) == [], out


def test_validate_output_is_russian(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "real.csv"
    scenario = str(TAXI / "to-be.scenario.yaml")
    assert main(["simulate", scenario, "--seed", "7", "--out", str(log)]) == 0
    capsys.readouterr()
    main(["validate", scenario, str(log), "-n", "2", "--lang", "ru", "--no-progress"])
    out = capsys.readouterr().out
    assert "Постмониторинг" in out
    assert latin_words(out) == [], out


@pytest.mark.parametrize("scenarios", [["as-is.scenario.yaml"],
                                       ["as-is.scenario.yaml", "to-be.scenario.yaml"]])
def test_report_and_its_html_are_russian(scenarios: list[str], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "report.html"
    assert main(["report", *(str(TAXI / s) for s in scenarios), "--html", str(out_file),
                 "-n", "2", "--lang", "ru", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert latin_words(out) == [], out
    text = page_text(out_file.read_text(encoding="utf-8"))
    assert latin_words(text) == [], text
    # Russian digits: a decimal comma, no decimal point inside a number
    assert re.search(r"\d,\d", text) and not re.search(r"(?<![\d.])\d+\.\d+(?![\d.])", text)


def test_demo_is_russian(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path), "-n", "2", "--lang", "ru",
                 "--no-progress"]) == 0
    assert latin_words(capsys.readouterr().out) == []
    assert latin_words(page_text((tmp_path / "report.html").read_text("utf-8"))) == []


# ---------------------------------------------------------------------------- number format
def test_russian_and_english_number_formats() -> None:
    nnbsp = "\u202f"
    assert fmt_fixed(1234.5, 1, "ru") == f"1{nnbsp}234,5"
    assert fmt_fixed(1234.5, 1, "en") == "1,234.5"
    assert fmt_money(2393.64, "ru") == f"2{nnbsp}393,64 ₽"
    assert fmt_money(2393.64, "en") == "2,393.64 RUB"
    assert fmt_number(12345.6, "ru") == f"12{nnbsp}346"
    assert fmt_number(2.5, "ru") == "2,5"
    assert localise_numbers("1,521,655.12 ₽ on 2024-03-04, -96.6 %", "ru") == \
        f"1{nnbsp}521{nnbsp}655,12 ₽ on 2024-03-04, -96,6 %"


def test_cost_per_case_reads_per_request() -> None:
    assert kpi_label("cost.per_case", "ru") == "Стоимость, на одно обращение"
    assert kpi_label("cost.per_year", "ru") == "Стоимость, в год"


def test_a_kpi_note_reads_in_russian() -> None:
    from leanproc import kpis
    from leanproc.simulation.run import simulate

    log = simulate(str(TAXI / "as-is.scenario.yaml"), seed=3).log.drop(
        columns="org:resource")
    report = kpis(log)
    english = [n for n in report.notes if n.startswith("utilisation of role")]
    assert english, report.notes
    russian = note_text(english[0], "ru")
    assert russian.startswith("загрузка роли") and "capacity={" not in russian
    assert note_text(english[0], "en") == english[0]
    assert note_text("a note nobody translated", "ru") == "a note nobody translated"
    assert "загрузка роли" in report.to_text("ru")


# ---------------------------------------------------------------------------- ФСА per year
def test_volume_sets_the_yearly_executions_of_the_fsa_table() -> None:
    from leanproc.cost import process_cost
    from leanproc.simulation.run import simulate

    result = simulate(str(TAXI / "as-is.scenario.yaml"), seed=5)
    volume = 210.0
    report = process_cost(result, volume_per_year=volume)
    plain = report.fsa_table(lang="en")
    yearly = report.fsa_table(lang="en", per_year=True)
    per_case = plain["executions"] / report.cases  # executions of each row in one case
    assert yearly["executions_per_year"].tolist() == pytest.approx(
        (per_case * volume).round(1).tolist())
    assert yearly["executions_per_year"].iloc[-1] == volume
    # the total row is the yearly process cost, to the kopeck
    assert float(yearly["cost_per_year"].iloc[-1]) == pytest.approx(report.per_year, abs=0.01)
    # without the option the table keeps the simulated counts
    assert plain["executions"].iloc[-1] == report.cases


def test_cost_volume_option_changes_the_count_column(capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    counts = {}
    for volume in ("210", "420"):
        main(["cost", str(TAXI / "as-is.scenario.yaml"), "--lang", "ru", "--volume", volume])
        # the total row: "Итого стоимость процесса  <executions per year>  <cost per year>"
        total = re.search(r"^Итого стоимость процесса +(\d+) {2,}(.+)$",
                          capsys.readouterr().out, re.MULTILINE)
        assert total is not None
        counts[volume] = total.groups()
    assert counts["210"][0] == "210" and counts["420"][0] == "420"
    assert counts["210"][1] != counts["420"][1]  # and the yearly cost follows
