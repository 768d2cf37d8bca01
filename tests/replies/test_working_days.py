"""Working days in each UK nation, with its own bank holidays from the holidays package."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from voice_app.core.working_days import (
    Nation,
    add_working_days,
    is_working_day,
    latest_start_due_before,
)

EW, SCOTLAND, NI = Nation.ENGLAND_AND_WALES, Nation.SCOTLAND, Nation.NORTHERN_IRELAND


@pytest.mark.parametrize(
    ("nation", "due"),
    [
        # Thursday 2 April 2026; Good Friday everywhere, Easter Monday not in Scotland.
        (EW, date(2026, 4, 13)),
        (NI, date(2026, 4, 13)),
        (SCOTLAND, date(2026, 4, 10)),
    ],
)
def test_five_working_days_across_the_easter_weekend(nation, due):
    assert add_working_days(date(2026, 4, 2), 5, nation) == due


@pytest.mark.parametrize(
    ("nation", "next_day"),
    [(EW, date(2026, 4, 7)), (NI, date(2026, 4, 7)), (SCOTLAND, date(2026, 4, 6))],
)
def test_easter_monday_is_a_bank_holiday_in_england_wales_and_ni_not_scotland(nation, next_day):
    assert is_working_day(date(2026, 4, 6), nation) is (nation is SCOTLAND)
    assert add_working_days(date(2026, 4, 2), 1, nation) == next_day


def test_second_of_january_is_a_bank_holiday_in_scotland_only():
    new_year_eve = date(2025, 12, 31)  # a Wednesday; 2 January 2026 is a Friday
    assert add_working_days(new_year_eve, 1, EW) == date(2026, 1, 2)
    assert add_working_days(new_year_eve, 1, NI) == date(2026, 1, 2)
    assert add_working_days(new_year_eve, 1, SCOTLAND) == date(2026, 1, 5)
    assert not is_working_day(date(2026, 1, 2), SCOTLAND)


def test_st_patricks_day_is_a_bank_holiday_in_northern_ireland_only():
    monday = date(2026, 3, 16)
    assert add_working_days(monday, 1, NI) == date(2026, 3, 18)
    assert add_working_days(monday, 1, EW) == date(2026, 3, 17)
    assert add_working_days(monday, 1, SCOTLAND) == date(2026, 3, 17)


def test_the_summer_bank_holiday_is_early_august_in_scotland_late_august_elsewhere():
    # Scotland: Monday 3 August 2026; England, Wales and NI: Monday 31 August 2026.
    assert add_working_days(date(2026, 7, 31), 1, SCOTLAND) == date(2026, 8, 4)
    assert add_working_days(date(2026, 7, 31), 1, EW) == date(2026, 8, 3)
    assert add_working_days(date(2026, 8, 28), 1, EW) == date(2026, 9, 1)
    assert add_working_days(date(2026, 8, 28), 1, NI) == date(2026, 9, 1)
    assert add_working_days(date(2026, 8, 28), 1, SCOTLAND) == date(2026, 8, 31)


def test_christmas_across_the_year_end():
    # Christmas Day is a Friday in 2026; Boxing Day (Saturday) is observed on Monday 28.
    assert add_working_days(date(2026, 12, 24), 1, EW) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 31), 1, SCOTLAND) == date(2027, 1, 5)


def test_weekends_are_skipped_and_zero_days_is_the_same_day():
    saturday = date(2026, 11, 28)
    assert not is_working_day(saturday, EW)
    assert add_working_days(saturday, 1, EW) == date(2026, 11, 30)
    assert add_working_days(saturday, 0, EW) == saturday
    assert add_working_days(date(2026, 11, 27), 5, EW) == date(2026, 12, 4)


def test_nonsense_is_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1, EW)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), 1, "wales-and-mars")


@pytest.mark.parametrize("nation", list(Nation))
@pytest.mark.parametrize("days", [0, 1, 5, 10])
def test_the_cut_off_date_splits_late_from_on_time_exactly(nation, days):
    for today in (date(2026, 4, 7), date(2026, 4, 13), date(2026, 1, 5), date(2026, 12, 29)):
        cut_off = latest_start_due_before(today, days, nation)
        for offset in range(0, 40):
            start = today - timedelta(days=offset)
            late = add_working_days(start, days, nation) < today
            assert late is (start <= cut_off), (today, start)
