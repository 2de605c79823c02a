"""Zone-less timestamps are office wall-clock time: read in the calendar's zone, never
silently as UTC beside a calendar that counts hours elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from leanproc import kpis, read_log
from leanproc.cli import main
from leanproc.errors import LogError
from leanproc.mining import monitor

TOMSK = "ru-5x8@Asia/Tomsk"
ROWS = """case,activity,start,end
1,Приём,2026-03-02 09:00,2026-03-02 10:00
1,Проверка,2026-03-02 15:00,2026-03-02 17:00
2,Приём,2026-03-03 10:00,2026-03-03 11:00
2,Проверка,2026-03-03 16:00,2026-03-03 17:30
"""


@pytest.fixture
def office_log(tmp_path: Path) -> Path:
    path = tmp_path / "журнал.csv"
    path.write_text(ROWS, encoding="utf-8")
    return path


def _working_lead(report) -> float:  # type: ignore[no-untyped-def]
    return float(report.as_dict()["lead_time_working.mean"])


def test_a_path_is_read_in_the_calendars_zone(office_log: Path) -> None:
    from_path = kpis(office_log, TOMSK)
    local = kpis(read_log(office_log, timezone="Asia/Tomsk"), TOMSK)
    assert _working_lead(from_path) == _working_lead(local)
    # the same wall-clock hours read as UTC sit at 16:00-24:00 in Tomsk: mostly after hours
    as_utc = kpis(read_log(office_log, timezone="UTC"), TOMSK)
    assert _working_lead(as_utc) < _working_lead(local) / 2


def test_a_frame_read_with_the_default_zone_is_refused_beside_a_zoned_calendar(
        office_log: Path) -> None:
    with pytest.raises(LogError, match="timezone='Asia/Tomsk'"):
        kpis(read_log(office_log), TOMSK)
    with pytest.raises(LogError, match="timezone='Asia/Tomsk'"):
        monitor(read_log(office_log), kpi="lead_time", calendar=TOMSK)


def test_a_named_zone_or_a_calendar_without_one_is_taken_as_given(office_log: Path) -> None:
    kpis(read_log(office_log, timezone="UTC"), TOMSK)  # the caller said UTC
    kpis(read_log(office_log), "ru-5x8")  # wall clock against wall clock
    kpis(read_log(office_log), None)


def test_the_monitor_command_reads_the_log_in_its_calendars_zone(
        office_log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["monitor", str(office_log), "--kpi", "lead_time", "--calendar", TOMSK])
    assert "timezone" not in capsys.readouterr().err


def test_calibration_reads_zone_less_times_in_its_timezone(office_log: Path) -> None:
    from leanproc.bpmn.builder import ModelBuilder

    builder = ModelBuilder("Приём документов")
    builder.sequence(builder.start("Заявление"), builder.task("Приём"), builder.task("Проверка"),
                     builder.end("Готово"))
    model = builder.build(layout=False)
    from_path = calibrate_hours(model, office_log)
    assert from_path == calibrate_hours(model, read_log(office_log, timezone="Asia/Tomsk"))
    with pytest.raises(LogError, match="timezone='Asia/Tomsk'"):
        calibrate_hours(model, read_log(office_log))


def calibrate_hours(model, log) -> object:  # type: ignore[no-untyped-def]
    from leanproc import calibrate

    return calibrate(model, log, timezone="Asia/Tomsk").scenario.to_yaml()
