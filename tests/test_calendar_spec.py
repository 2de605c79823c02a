"""Reading calendars from presets and scenario mappings, and the errors for bad ones."""

from __future__ import annotations

import pickle
from datetime import date, time

import pytest
import yaml

from leanproc.calendar import Calendar, CalendarError


def test_none_means_no_calendar() -> None:
    assert Calendar.parse(None) is None


def test_calendar_passes_through() -> None:
    cal = Calendar.parse("5x8")
    assert Calendar.parse(cal) is cal


@pytest.mark.parametrize(
    ("spec", "zone", "day_hours"),
    [
        ("24x7", "UTC", 24.0),
        ("5x8", "UTC", 8.0),
        ("ru-5x8", "UTC", 8.0),
        ("ru-5x8@Asia/Tomsk", "Asia/Tomsk", 8.0),
        (" RU-5x8 @ Europe/Moscow ", "Europe/Moscow", 8.0),
    ],
)
def test_presets(spec: str, zone: str, day_hours: float) -> None:
    cal = Calendar.parse(spec)
    assert cal is not None
    assert str(cal.tz) == zone
    assert cal.day_length == day_hours * 3600


def test_tz_argument_is_only_a_default() -> None:
    assert str(Calendar.parse("5x8", tz="Asia/Tomsk").tz) == "Asia/Tomsk"  # type: ignore[union-attr]
    cal = Calendar.parse("5x8@Europe/Moscow", tz="Asia/Tomsk")
    assert str(cal.tz) == "Europe/Moscow"  # type: ignore[union-attr]
    cal = Calendar.parse({"preset": "5x8"}, tz="Asia/Tomsk")
    assert str(cal.tz) == "Asia/Tomsk"  # type: ignore[union-attr]


def test_5x8_hours() -> None:
    cal = Calendar.parse("5x8")
    assert cal is not None
    assert cal.day_hours(date(2024, 3, 15)) == [(time(9), time(13)), (time(14), time(18))]
    assert cal.day_hours(date(2024, 3, 16)) == []


def test_yaml_mapping_form() -> None:
    spec = yaml.safe_load(
        """
        preset: ru-5x8
        timezone: Asia/Tomsk
        hours:
          mon-fri: ["09:00-13:00", "14:00-18:00"]
          sat: ["10:00-14:00"]
        country: RU
        exceptions:
          2024-03-05: []
          2024-03-09: ["10:00-12:00"]
        """
    )
    cal = Calendar.parse(spec)
    assert cal is not None
    assert str(cal.tz) == "Asia/Tomsk"
    assert cal.country == "RU"
    assert cal.day_hours(date(2024, 3, 5)) == []
    assert cal.day_hours(date(2024, 3, 9)) == [(time(10), time(12))]  # a Saturday exception
    assert cal.day_hours(date(2024, 3, 16)) == [(time(10), time(14))]
    assert cal.day_hours(date(2024, 5, 9)) == []  # holiday still off
    assert cal.day_length == 8 * 3600


def test_hours_without_preset_and_day_keys() -> None:
    cal = Calendar.parse(
        {"hours": {"пн-пт": "08:00-12:00, 12:30-16:30", "sat,sun": "off", 2: []}, "tz": "UTC"}
    )
    assert cal is not None
    assert cal.day_hours(date(2024, 3, 11)) == [(time(8), time(12)), (time(12, 30), time(16, 30))]
    assert cal.day_hours(date(2024, 3, 13)) == []  # Wednesday replaced by the numeric key
    assert cal.country is None
    shift = Calendar.parse({"hours": {"daily": ["20:00-08:00"]}})
    assert shift is not None
    assert shift.working_hours((date(2024, 3, 1), date(2024, 3, 7))) == 7 * 12


def test_country_can_be_dropped_from_a_preset() -> None:
    cal = Calendar.parse({"preset": "ru-5x8", "country": None})
    assert cal is not None
    assert cal.is_working("2024-05-09T10:00Z")


def test_all_problems_are_listed_with_their_keys() -> None:
    with pytest.raises(CalendarError) as err:
        Calendar.parse(
            {
                "preset": "ru-5x8",
                "hourz": {},
                "hours": {"mon-fry": ["09:00-18:00"], "sat": ["9-18"]},
                "exceptions": {"2024-13-45": []},
                "shorten_pre_holiday": "yes",
            }
        )
    problems = err.value.problems
    text = str(err.value)
    assert len(problems) == 5, text
    assert "'hourz'" in text and "allowed keys" in text
    assert "mon-fry" in text and "mon-fri" in text
    assert "HH:MM" in text
    assert "2024-13-45" in text and "YYYY-MM-DD" in text
    assert "shorten_pre_holiday" in text


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("6x9", "unknown calendar preset"),
        ("ru-5x8@Mars/Olympus", "unknown time zone"),
        ({"preset": "ru-5x8", "country": "XX"}, "country 'XX'"),
        ({"preset": "nope"}, "unknown preset"),
        ({"timezone": "UTC"}, "give 'preset'"),
        ({"hours": {"mon": ["09:00-09:00"]}}, "empty"),
        ({"hours": {"mon": []}}, "no working hours"),
        ({"hours": ["mon"]}, "hours: give a mapping"),
        (42, "preset name, a mapping"),
    ],
)
def test_bad_specs(spec: object, fragment: str) -> None:
    with pytest.raises(CalendarError, match=fragment.replace("(", r"\(")):
        Calendar.parse(spec)  # type: ignore[arg-type]


def test_constructor_validates_weekly_keys_and_spans() -> None:
    with pytest.raises(CalendarError) as err:
        Calendar({7: [(time(9), time(10))], 0: [("25:00", "26:00")]}, tz="Nowhere/City")
    assert len(err.value.problems) == 3


def test_equality_and_pickling() -> None:
    a = Calendar.parse("ru-5x8@Asia/Tomsk")
    b = Calendar.parse({"preset": "ru-5x8", "timezone": "Asia/Tomsk"})
    assert a == b
    assert a != Calendar.parse("ru-5x8@Europe/Moscow")
    assert a is not None
    a.working_hours(2024)  # compile something first
    c = pickle.loads(pickle.dumps(a))
    assert c == a
    assert c.working_hours(2024) == 1979.0
