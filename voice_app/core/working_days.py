"""Working days in the child's UK nation: weekends and that nation's bank holidays skipped.

Bank holidays come from the maintained ``holidays`` package (England and Wales, Scotland
and Northern Ireland each have their own), never from a list typed in here, so a new or
moved holiday arrives with a library update.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays


class Nation(StrEnum):
    """The UK nations with their own bank holidays."""

    ENGLAND_AND_WALES = "england_wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


#: The ``holidays`` package's subdivision code for each nation (Wales shares England's).
_SUBDIVISIONS = {
    Nation.ENGLAND_AND_WALES: "ENG",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


@lru_cache(maxsize=64)
def _bank_holidays(nation: Nation, year: int) -> frozenset[date]:
    calendar = holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[nation], years=year)
    return frozenset(calendar.keys())


def bank_holidays(nation: str, year: int) -> frozenset[date]:
    """The bank holidays of ``nation`` in ``year``; an unknown nation raises ValueError."""
    return _bank_holidays(Nation(nation), year)


def is_working_day(day: date, nation: str) -> bool:
    """Monday to Friday and not a bank holiday in ``nation``."""
    return day.weekday() < 5 and day not in bank_holidays(nation, day.year)


def add_working_days(start: date, days: int, nation: str) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself is not counted).

    ``days == 0`` gives ``start`` itself, whatever day it is: "the same day".
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, nation):
            remaining -= 1
    return day


def latest_start_due_before(day: date, days: int, nation: str) -> date:
    """The latest start whose deadline ``add_working_days(start, days)`` falls before ``day``.

    Deadlines only move forward as the start does, so everything that began on or before
    this date is overdue on ``day``: a list of overdue items is one date comparison.
    """
    start = day - timedelta(days=1)
    while add_working_days(start, days, nation) >= day:
        start -= timedelta(days=1)
    return start
