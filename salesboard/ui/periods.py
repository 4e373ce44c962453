"""The business date pages report as of, the one period picker, and the notice for years
whose official holiday schedule is not published yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from salesboard.calendar import clock
from salesboard.calendar.periods import PERIOD_KINDS, Period, recent_periods
from salesboard.calendar.workdays import provisional_years_in_store
from salesboard.ui.connection import cached
from salesboard.ui.language import tr
from salesboard.ui.url_state import url_segments, url_select

# How many recent periods the picker offers by default (older ones stay reachable by link).
RECENT_PERIODS = 8


def as_of() -> date:
    """The business date the pages report as of."""
    return clock.today()


def period_picker(
    key: str = "period",
    *,
    kinds: tuple[str, ...] = PERIOD_KINDS,
    default_kind: str = "quarter",
    periods_of: Callable[[str], list[Period]] | None = None,
    default_of: Callable[[list[Period]], Period] | None = None,
) -> Period:
    """Period type and period side by side, both kept in the URL as codes (``?{key}_kind=
    quarter&{key}_quarter=2026Q4``). ``periods_of(kind)`` lists the periods offered (default:
    the recent ones, newest first) and ``default_of(periods)`` picks the starting one
    (default: the first)."""
    names = {kind: tr(f"period.{kind}") for kind in kinds}
    left, right = st.columns([1, 2])
    kind = (
        url_segments(
            f"{key}_kind", tr("period.kind"), list(kinds), default_kind, names.get, container=left
        )
        if len(kinds) > 1
        else kinds[0]
    )
    periods = (periods_of or (lambda k: recent_periods(k, as_of(), RECENT_PERIODS)))(kind)
    labels = [p.label for p in periods]
    default = (default_of(periods) if default_of else periods[0]).label
    label = url_select(f"{key}_{kind}", tr("period.label"), labels, default, container=right)
    return periods[labels.index(label)]


def calendar_notice(*days: date) -> None:
    """Say so when working days for these dates' years are provisional (schedule unpublished)."""
    years = cached(provisional_years_in_store)(tuple(sorted({d.year for d in days})))
    if years:
        st.info(tr("calendar.provisional", years=", ".join(map(str, years))))
