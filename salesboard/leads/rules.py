"""The rules of leads as pure functions (no store): a lead's score from the configured
criteria, which assignment rule routes it, whose turn it is in a team's rotation, and the
working minutes between two moments (time to assign against the ≤ 1 working hour standard).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

SCORED_FIELDS = ("budget", "urgency", "fit", "source", "industry")
LEVELS = ("high", "medium", "low")


@dataclass(frozen=True)
class Criterion:
    """``points`` when ``field`` is ``value`` (budget: at least ``value`` yuan)."""

    field: str
    value: str
    points: int


def _budget_reaches(budget_minor: int | None, value: str) -> bool:
    if budget_minor is None:
        return False
    try:
        threshold = int(value)
    except ValueError:
        return False
    return budget_minor >= threshold * 100


def _matches(criterion: Criterion, lead: Mapping[str, object]) -> bool:
    if criterion.field == "budget":
        return _budget_reaches(lead.get("budget_minor"), criterion.value)  # type: ignore[arg-type]
    have = str(lead.get(criterion.field) or "").strip().casefold()
    return bool(have) and have == criterion.value.strip().casefold()


def score_lead(lead: Mapping[str, object], criteria: Iterable[Criterion]) -> int:
    """A lead's score: per field, the most points among the criteria it meets, summed (a
    budget of 80万 meeting "≥ 50万: 20" and "≥ 10万: 10" scores 20, not 30)."""
    best: dict[str, int] = {}
    for criterion in criteria:
        if _matches(criterion, lead):
            best[criterion.field] = max(best.get(criterion.field, criterion.points),
                                        criterion.points)  # fmt: skip
    return sum(best.values())


@dataclass(frozen=True)
class Rule:
    """Region + industry → a team or a rep; None / "" match any region / industry."""

    id: int
    position: int
    region_id: int | None
    industry: str
    team_id: int | None
    user_id: int | None


def matching_rule(rules: Iterable[Rule], region_id: int | None, industry: str) -> Rule | None:
    """The rule that routes a lead of ``region_id`` and ``industry``: the first by position
    whose region and industry (compared without case or surrounding spaces) fit."""
    wanted = industry.strip().casefold()
    for rule in sorted(rules, key=lambda r: (r.position, r.id)):
        if rule.region_id is not None and rule.region_id != region_id:
            continue
        if rule.industry.strip() and rule.industry.strip().casefold() != wanted:
            continue
        return rule
    return None


def next_in_rotation(rep_ids: Sequence[int], last_id: int | None) -> int | None:
    """The rep after ``last_id`` in ``rep_ids`` (ascending ids, wrapping round); the first
    when ``last_id`` is None or has left the team (the next id above it); None: no reps."""
    ordered = sorted(rep_ids)
    if not ordered:
        return None
    if last_id is None:
        return ordered[0]
    return next((i for i in ordered if i > last_id), ordered[0])


@dataclass(frozen=True)
class WorkingHours:
    """The company's working hours on a working day, in its time zone."""

    start: time = time(9, 0)
    end: time = time(18, 0)
    zone: str = "Asia/Shanghai"


def working_minutes(
    start: datetime,
    end: datetime,
    is_working_day: Callable[[date], bool],
    hours: WorkingHours,
) -> int:
    """Whole working minutes from ``start`` to ``end`` (aware stamps): the time inside the
    working hours of working days, in the company's zone. Friday 17:30 → Monday 09:20 is 50
    (30 on Friday, 20 on Monday); 0 when ``end`` is not after ``start``."""
    if end <= start:
        return 0
    zone = ZoneInfo(hours.zone)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    seconds = 0.0
    day = local_start.date()
    while day <= local_end.date():
        if is_working_day(day):
            opens = datetime.combine(day, hours.start, zone)
            closes = datetime.combine(day, hours.end, zone)
            lo, hi = max(opens, local_start), min(closes, local_end)
            if hi > lo:
                seconds += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return int(seconds // 60)


def parse_clock(text: str) -> time:
    """``"09:00"`` as a time; ValueError otherwise."""
    hour, _, minute = text.strip().partition(":")
    return time(int(hour), int(minute or 0))


_ANCHOR = np.datetime64("2000-01-01", "D")


def _working_seconds_since_anchor(local: pd.Series, calendar, hours: WorkingHours) -> np.ndarray:
    """Working seconds from 2000-01-01 to each naive local stamp of ``local``."""
    days = local.dt.normalize().to_numpy().astype("datetime64[D]")
    anchors = np.full(days.shape, _ANCHOR)
    before = calendar.working_days_between_many(anchors, days - 1)  # working days before d
    working = calendar.working_days_between_many(days - 1, days) == 1
    opens = hours.start.hour * 3600 + hours.start.minute * 60
    length = (hours.end.hour * 3600 + hours.end.minute * 60) - opens
    into = (local - local.dt.normalize()).dt.total_seconds().to_numpy()
    inside = np.clip(into - opens, 0, length)
    return before * length + np.where(working, inside, 0)


def working_minutes_many(
    starts: pd.Series, ends: pd.Series, calendar, hours: WorkingHours
) -> np.ndarray:
    """``working_minutes`` for aligned series of aware stamps, vectorised (the calendar's
    working-day counts instead of a loop over days): whole minutes, 0 where ``end`` is not
    after ``start``."""
    if len(starts) == 0:
        return np.zeros(0, dtype="int64")
    local = [pd.to_datetime(s, utc=True).dt.tz_convert(hours.zone).dt.tz_localize(None)
             for s in (pd.Series(starts).reset_index(drop=True), pd.Series(ends).reset_index(drop=True))]  # fmt: skip
    seconds = _working_seconds_since_anchor(
        local[1], calendar, hours
    ) - _working_seconds_since_anchor(local[0], calendar, hours)
    return np.maximum(seconds, 0).astype("int64") // 60
