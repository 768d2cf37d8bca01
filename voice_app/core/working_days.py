"""Working days: weekdays that are not bank holidays in the child's UK nation.

Bank holidays come from the maintained ``holidays`` package, never a list typed in here.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays


class Nation(StrEnum):
    ENGLAND_AND_WALES = "england_and_wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


#: The ``holidays`` subdivision code for each nation (England's list is England and Wales').
_SUBDIVISION = {
    Nation.ENGLAND_AND_WALES: "ENG",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


@lru_cache(maxsize=64)
def _bank_holidays(nation: Nation, year: int) -> frozenset[date]:
    calendar = holidays.country_holidays("GB", subdiv=_SUBDIVISION[nation], years=year)
    return frozenset(calendar.keys())


def is_working_day(day: date, nation: str) -> bool:
    """A weekday that is not a bank holiday in ``nation``."""
    return day.weekday() < 5 and day not in _bank_holidays(Nation(nation), day.year)


def add_working_days(start: date, days: int, nation: str) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, nation):
            remaining -= 1
    return day
