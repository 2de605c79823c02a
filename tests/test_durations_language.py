"""The one duration language: every form in Russian and English, and the same parser everywhere."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leanproc.durations import (
    WORKING_DAY,
    Duration,
    DurationError,
    format_duration,
    read_duration,
)
from leanproc.errors import ScenarioError
from leanproc.targets import parse_targets

H = 3600.0

# (English, Russian) spellings of the same unit and its length in seconds (working days: 8 h)
PAIRS = [
    ("s", "с", 1.0), ("sec", "сек", 1.0), ("seconds", "секунд", 1.0),
    ("min", "мин", 60.0), ("minutes", "минут", 60.0),
    ("h", "ч", H), ("hour", "час", H), ("hours", "часа", H), ("hours", "часов", H),
    ("d", "д", 24 * H), ("d", "дн", 24 * H), ("day", "день", 24 * H), ("days", "дня", 24 * H),
    ("days", "дней", 24 * H),
    ("w", "нед", 7 * 24 * H),
    ("wh", "рч", H), ("working hours", "рабочих часов", H),
    ("wd", "рд", WORKING_DAY), ("working day", "рабочий день", WORKING_DAY),
    ("working days", "рабочих дней", WORKING_DAY), ("working days", "рабочих дня", WORKING_DAY),
]


@pytest.mark.parametrize(("en", "ru", "per"), PAIRS)
def test_each_unit_in_english_and_russian_with_and_without_space(en: str, ru: str,
                                                                 per: float) -> None:
    for text in (f"3{en}", f"3 {en}", f"3{ru}", f"3 {ru}", f"3 {ru.upper()}"):
        assert read_duration(text).seconds == 3 * per, text


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1,5 ч", 1.5 * H), ("1.5ч", 1.5 * H), ("0,25 дн", 6 * H), ("1ч 30мин", 1.5 * H),
     ("1h 30min 15s", 5415.0), ("2 дня 3 часа", 51 * H), ("PT1H30M", 1.5 * H),
     ("P1DT12H", 36 * H), ("5 мин.", 300.0), ("+2h", 2 * H)],
)
def test_decimal_comma_combinations_and_iso(text: str, seconds: float) -> None:
    assert read_duration(text).seconds == pytest.approx(seconds)


def test_working_terms_add_up_and_keep_the_day_count() -> None:
    d = read_duration("1 рд 4 рч")
    assert (d.seconds, d.working, d.working_days) == (12 * H, True, 1.0)
    assert d.working_seconds(9 * H) == 13 * H


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("1д 4рч", "mixes clock time"), ("1ч 30", "has no unit"), ("скоро", "cannot read"),
     ("2 мес", "no fixed length"), ("2m", "ambiguous"), ("-1ч", "negative"),
     ("3 минт", "did you mean 'минут'"), ("5 сeк", "Latin 'e' (U+0065)")],
)
def test_one_clear_error_with_the_accepted_forms(text: str, fragment: str) -> None:
    with pytest.raises(DurationError) as err:
        read_duration(text)
    assert fragment in str(err.value)


def test_an_unknown_unit_lists_the_accepted_forms() -> None:
    with pytest.raises(DurationError, match="working days wd, рд"):
        read_duration("3 parsecs")


def test_targets_read_russian_durations() -> None:
    targets = parse_targets({"lead_time.mean": "<= 2ч", "waiting.p90": "< 1,5 дн",
                             "sla_share(1 рд)": ">= 90%"})
    bounds = {t.kpi: t for t in targets.targets}
    assert bounds["lead_time.mean"].bound == 2 * H
    assert bounds["waiting.p90"].bound == 36 * H
    # the KPI report names a deadline by its short label: the target must find it there
    assert targets.sla_deadlines == ["1wd"]


def test_scenario_and_cli_until_use_the_same_language() -> None:
    from leanproc.scenario import parse_duration

    assert parse_duration("1,5 ч", where="x").seconds == 1.5 * H
    with pytest.raises(ScenarioError, match=r"^until: cannot read"):
        parse_duration("soon", where="until")


# ---- properties ------------------------------------------------------------------------------

clock_seconds = st.one_of(
    st.integers(0, 10**9).map(float),
    st.floats(0, 1e9, allow_nan=False, allow_infinity=False),
)


@given(clock_seconds)
def test_format_then_read_gives_the_same_clock_duration(seconds: float) -> None:
    d = Duration(seconds)
    assert read_duration(format_duration(d)) == d


@given(st.integers(0, 10_000), st.integers(0, 7))
def test_format_then_read_gives_the_same_working_duration(days: int, hours: int) -> None:
    d = read_duration(f"{days}wd {hours}wh") if hours else read_duration(f"{days}wd")
    back = read_duration(format_duration(d))
    assert (back.seconds, back.working, back.working_days) == (d.seconds, True, d.working_days)


@given(st.sampled_from(PAIRS), st.decimals(0, 10_000, places=2, allow_nan=False))
def test_russian_and_english_forms_agree(pair: tuple[str, str, float], amount: object) -> None:
    en, ru, _ = pair
    point = str(amount)
    comma = point.replace(".", ",")
    assert read_duration(f"{point} {en}") == read_duration(f"{comma}{ru}")


@given(st.integers(0, 500), st.integers(0, 59), st.integers(0, 59))
def test_combined_terms_equal_their_sum(h: int, m: int, s: int) -> None:
    assert read_duration(f"{h}ч {m}мин {s}с").seconds == h * H + m * 60 + s


def test_simulate_until_a_long_duration_is_not_taken_for_a_year() -> None:
    # "1000h" starts with four digits, like a date: it is still a duration
    from importlib.resources import files

    import pandas as pd

    import leanproc

    hello = str(files("leanproc") / "examples" / "hello.yaml")
    result = leanproc.simulate(hello, seed=1, until="1000 ч")
    assert result.horizon == result.bound.start + pd.Timedelta(hours=1000)


def test_cli_numbers_take_a_decimal_comma_and_thousands_spaces() -> None:
    from leanproc.cli._common import positive_float

    assert positive_float("1,5") == 1.5
    assert positive_float("12 000") == 12000.0
