"""Russian office exports (1С, СЭД, ГИС): cp1251, ';', Russian headers, day-first dates, Excel.

Every file is generated here from known instants; the tests compare what read_log returns
with the generator's instants, never with an earlier output of read_log.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from leanproc.errors import LogError
from leanproc.eventlog.read import read_log
from leanproc.log import ACTIVITY, CASE, END, RESOURCE, START

HEADER = ["Номер заявки", "Операция", "Исполнитель", "Начало", "Окончание", "Стоимость"]
STEPS = ["Регистрация", "Проверка документов", "Согласование", "Выдача результата"]
PEOPLE = ["Иванова Е.А.", "Пётр Сергеевич", "Ёлкин О.В."]


def _events(cases: int = 40, seed: int = 7) -> list[dict]:
    """Events at whole minutes over a year, so that both date orders occur in one column."""
    rng = random.Random(seed)
    out = []
    for case in range(1, cases + 1):
        at = dt.datetime(2023, 1, 1, 8, 0) + dt.timedelta(minutes=rng.randrange(0, 525_600))
        for step in STEPS:
            start = at + dt.timedelta(minutes=rng.randrange(5, 600))
            end = start + dt.timedelta(minutes=rng.randrange(1, 300))
            cost = rng.randrange(1, 500_000) / 100
            out.append({"case": case, "step": step, "who": rng.choice(PEOPLE),
                        "start": start, "end": end, "cost": cost})
            at = end
    return out


def _write_csv(path: Path, events: list[dict], when: str, *, encoding: str = "cp1251",
               sep: str = ";") -> Path:
    lines = [sep.join(HEADER)]
    for e in events:
        cost = f"{e['cost']:.2f}".replace(".", ",")
        lines.append(sep.join([str(e["case"]), e["step"], e["who"], e["start"].strftime(when),
                               e["end"].strftime(when), cost]))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _expected(events: list[dict], tz: str = "UTC") -> pd.DataFrame:
    frame = pd.DataFrame({
        CASE: [str(e["case"]) for e in events],
        ACTIVITY: [e["step"] for e in events],
        RESOURCE: [e["who"] for e in events],
        START: pd.to_datetime([e["start"] for e in events]).tz_localize(tz),
        END: pd.to_datetime([e["end"] for e in events]).tz_localize(tz),
        "cost": [e["cost"] for e in events],
    })
    return frame.sort_values([CASE, END], key=lambda s: s.astype("int64")
                             if s.name == CASE else s).reset_index(drop=True)


def _same_events(log: pd.DataFrame, events: list[dict]) -> None:
    want = _expected(events)
    got = log[list(want.columns)]
    assert got[CASE].tolist() == want[CASE].tolist()
    assert got[ACTIVITY].tolist() == want[ACTIVITY].tolist()
    assert got[RESOURCE].tolist() == want[RESOURCE].tolist()
    assert (got[START].to_numpy() == want[START].to_numpy()).all()
    assert (got[END].to_numpy() == want[END].to_numpy()).all()
    # the costs were written with two decimals: the same binary double must come back
    assert got["cost"].tolist() == want["cost"].tolist()


def test_russian_office_csv_reads_without_arguments(tmp_path):
    events = _events()
    path = _write_csv(tmp_path / "журнал.csv", events, "%d.%m.%Y %H:%M")
    log = read_log(path)
    _same_events(log, events)
    info = log.attrs["leanproc"]
    assert info["encoding"] == "cp1251"
    assert info["separator"] == ";"
    assert info["columns"] == {"Номер заявки": CASE, "Операция": ACTIVITY,
                               "Исполнитель": RESOURCE, "Начало": START, "Окончание": END,
                               "Стоимость": "cost"}
    assert info["start_after_end"] == 0


def test_utf8_with_bom_and_tab_separator(tmp_path):
    events = _events(cases=5)
    path = _write_csv(tmp_path / "log.txt", events, "%d.%m.%Y %H:%M:%S", encoding="utf-8-sig",
                      sep="\t")
    log = read_log(path)
    _same_events(log, events)
    assert (log.attrs["leanproc"]["encoding"], log.attrs["leanproc"]["separator"]) == \
        ("utf-8-sig", "\t")


def test_latin1_bytes_are_not_taken_for_cp1251(tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes("case;activity;end\n1;Prüfung;2023-01-01 10:00\n".encode("latin-1"))
    with pytest.raises(LogError, match="neither UTF-8 nor Russian"):
        read_log(path)
    log = read_log(path, encoding="latin-1")
    assert log[ACTIVITY].tolist() == ["Prüfung"]


def test_header_aliases_fold_case_yo_and_spaces(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("  НОМЕР   ЗАЯВКИ ;ЭТАП;Сотрудник;Дата  окончания;Должность\n"
                    "7;Приём;Ёжиков;01.02.2023 10:00;Специалист\n", encoding="utf-8")
    log = read_log(path)
    assert log.loc[0, CASE] == "7"
    assert log.loc[0, "org:role"] == "Специалист"
    assert log.loc[0, END] == pd.Timestamp("2023-02-01 10:00", tz="UTC")


def test_two_russian_headers_for_one_column_are_an_error(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Заявка;Номер заявки;Операция;Окончание\n1;A-1;Приём;01.02.2023\n",
                    encoding="utf-8")
    with pytest.raises(LogError, match="'Заявка' and 'Номер заявки' could both be"):
        read_log(path)


def test_the_issue_column_is_read_day_first(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Заявка;Операция;Окончание\n1;А;01.02.2023\n1;Б;13.02.2023\n"
                    "1;В;05.03.2023\n", encoding="cp1251")
    log = read_log(path)
    want = pd.to_datetime(["2023-02-01", "2023-02-13", "2023-03-05"]).tz_localize("UTC")
    assert (log[END].to_numpy() == want.to_numpy()).all()


def _all_ambiguous(events: list[dict]) -> list[dict]:
    """Events moved to days 1-12 of their month: every dd/mm date also reads as mm/dd."""
    out = []
    for e in events:
        shift = dt.timedelta(days=max(0, e["end"].day - 12))
        out.append({**e, "start": e["start"] - shift, "end": e["end"] - shift})
    assert all(e[k].day <= 12 for e in out for k in ("start", "end"))
    return out


def test_all_ambiguous_slashed_dates_are_refused_then_read_as_told(tmp_path):
    events = _all_ambiguous(_events(cases=10))
    path = _write_csv(tmp_path / "log.csv", events, "%d/%m/%Y %H:%M")
    with pytest.raises(LogError) as refused:
        read_log(path)
    message = str(refused.value)
    assert "dayfirst=" in message and "time_format=" in message
    assert "'Начало'" in message and "'Окончание'" in message
    _same_events(read_log(path, dayfirst=True), events)
    _same_events(read_log(path, time_format="%d/%m/%Y %H:%M"), events)
    chunks = read_log(path, time_format="%d/%m/%Y %H:%M", chunked=True)
    _same_events(pd.concat(list(chunks), ignore_index=True), events)
    with pytest.raises(LogError, match="pass it as time_format="):  # not a source format
        read_log(path, format="%d/%m/%Y %H:%M")
    month_first = read_log(path, dayfirst=False)  # the other reading: other instants
    assert not (month_first[END].sort_values().to_numpy()
                == _expected(events)[END].sort_values().to_numpy()).all()


@pytest.mark.parametrize(("when", "dayfirst"), [("%d/%m/%Y %H:%M", True),
                                                ("%m/%d/%Y %H:%M", False)])
def test_slashed_dates_decided_by_the_whole_column(tmp_path, when, dayfirst):
    events = _events()  # a year of dates: some day above 12 in each column
    path = _write_csv(tmp_path / "log.csv", events, when)
    _same_events(read_log(path), events)


def test_mixed_orders_in_one_column_are_refused_naming_rows(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Заявка;Операция;Окончание\n1;А;01/02/2023\n1;Б;13/02/2023\n"
                    "2;В;02/14/2023\n", encoding="utf-8")
    with pytest.raises(LogError, match=r"mix both orders.*line 3.*line 4"):
        read_log(path)


def test_dotted_date_with_month_above_12_is_an_error(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Заявка;Операция;Окончание\n1;А;02.13.2023\n", encoding="utf-8")
    with pytest.raises(LogError, match=r"not readable as timestamps \(.*dd.mm.yyyy day first.*"
                       r"line 2; e.g. '02.13.2023'"):
        read_log(path)


def test_dayfirst_contradicted_by_a_value_is_an_error(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("case;activity;end\n1;a;02/13/2023\n", encoding="utf-8")
    with pytest.raises(LogError, match="line 2"):
        read_log(path, dayfirst=True)


def test_semicolon_file_with_decimal_commas_is_not_split_on_commas(tmp_path):
    path = tmp_path / "log.csv"
    # the header alone has more commas than semicolons; the rows decide
    path.write_text("Заявка;Операция, этап;Окончание;Стоимость, руб.\n"
                    "1;А;01.02.2023;1,5\n1;Б;02.02.2023;2,25\n", encoding="utf-8")
    log = read_log(path, columns={"Операция, этап": ACTIVITY, "Стоимость, руб.": "cost"})
    assert log.attrs["leanproc"]["separator"] == ";"
    assert log["cost"].tolist() == [1.5, 2.25]


def _write_xlsx(path: Path, events: list[dict], *, text_dates: bool) -> Path:
    """Date cells, or (text_dates) every other row's dates as dd.mm.yyyy HH:MM text."""
    book = openpyxl.Workbook()
    book.active.title = "Прочее"
    sheet = book.create_sheet("Журнал")
    sheet.append(HEADER)
    for i, e in enumerate(events):
        as_text = text_dates and i % 2 == 1
        start, end = ((e["start"].strftime("%d.%m.%Y %H:%M"), e["end"].strftime("%d.%m.%Y %H:%M"))
                      if as_text else (e["start"], e["end"]))
        sheet.append([e["case"], e["step"], e["who"], start, end, e["cost"]])
    sheet.append([])  # a formatted but empty row below the data
    book.save(path)
    return path


@pytest.mark.parametrize("text_dates", [False, True])
def test_excel_log_reads_equal_to_the_csv(tmp_path, text_dates):
    events = _events(cases=12)
    path = _write_xlsx(tmp_path / "журнал.xlsx", events, text_dates=text_dates)
    log = read_log(path, sheet="Журнал")
    _same_events(log, events)
    assert read_log(path, sheet=1).equals(log)
    csv = read_log(_write_csv(tmp_path / "журнал.csv", events, "%d.%m.%Y %H:%M"))
    pd.testing.assert_frame_equal(log[list(csv.columns)], csv)


def test_excel_errors_name_the_sheet_and_rows(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Журнал"
    book.active.append(["Заявка", "Операция", "Окончание"])
    book.active.append([1, "А", "01/02/2023"])
    book.active.append([1, "Б", "03/04/2023"])
    path = tmp_path / "log.xlsx"
    book.save(path)
    with pytest.raises(LogError, match="no sheet 'Журнал2'"):
        read_log(path, sheet="Журнал2")
    with pytest.raises(LogError, match=r"row 2, row 3.*dayfirst="):
        read_log(path)
    assert read_log(path, dayfirst=True)[END].dt.month.tolist() == [2, 4]


def test_excel_cell_limit(tmp_path):
    from leanproc.limits import raised

    path = _write_xlsx(tmp_path / "log.xlsx", _events(cases=3), text_dates=False)
    # 6 columns: the 6th data row makes 36 cells, past a limit of 30
    with raised(xlsx_cells=30), \
            pytest.raises(LogError, match=r"Excel sheet: 36 exceeds the limit of 30"):
        read_log(path, sheet=1)
    assert len(read_log(path, sheet=1)) == 12


def test_a_header_longer_than_the_sniffing_probe_is_read_whole(tmp_path):
    extra = [f"атрибут_{i:04d}_" + "с_длинным_названием_" * 6 for i in range(1100)]  # > 256 KB
    path = tmp_path / "wide.csv"
    path.write_text(";".join(["Заявка", "Операция", "Окончание", *extra]) + "\n"
                    + ";".join(["1", "А", "01.02.2023", *["x"] * len(extra)]) + "\n",
                    encoding="utf-8")
    assert path.stat().st_size > 256 << 10
    log = read_log(path)
    assert log.shape[1] == 4 + len(extra)  # the schema's start column is added
    assert log[extra[-1]].tolist() == ["x"]
    from leanproc.limits import raised

    # the column limit counts the whole header, not the part that fitted in the probe
    with raised(log_columns=1000), pytest.raises(LogError, match="1,103 exceeds"):
        read_log(path)
