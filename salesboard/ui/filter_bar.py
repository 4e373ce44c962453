"""The filter bar every analysis page shares: period (week / month / quarter / year / custom
range), "as of" date, region, team, rep, product line, customer type and lead source.

The choices are kept in the URL query string with stable codes (``?period=2026-W48&team=3
&rep=li.wang``), never translated labels, so a link reopens the same view in either
language; the pure side (options per viewer, URL parsing) is ``salesboard.view_filters``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from salesboard import ui
from salesboard.calendar.periods import ANALYSIS_PERIOD_KINDS, Period, custom_range, recent_periods
from salesboard.pipeline.view_filters import (
    DIMENSIONS,
    FilterOptions,
    ViewFilters,
    filter_options,
    from_query,
    to_query,
    visible_filter,
)
from salesboard.store.filters import OpportunityFilter

# How many recent periods each kind offers (older ones stay reachable by a link).
_RECENT = {"week": 26, "month": 18, "quarter": 8, "year": 3}
_MANAGED = ("period", "as_of", *DIMENSIONS)


@dataclass(frozen=True)
class FilterBar:
    """What the bar settled on: the view, the options offered and the viewer's filter."""

    view: ViewFilters
    options: FilterOptions
    filters: OpportunityFilter

    @property
    def period(self) -> Period:
        """The chosen period."""
        return self.view.period

    @property
    def as_of(self) -> date:
        """The chosen "as of" date."""
        return self.view.as_of


def _url_params() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in st.query_params}


def _initial(key: str, fallback):
    """A widget's starting value: its own state once it exists, else ``fallback`` (the URL)."""
    return st.session_state[key] if key in st.session_state else fallback


def filter_bar(key: str = "fb", default_kind: str = "month", *, period: bool = True) -> FilterBar:
    """Draw the filter bar; returns the view, the options and the filter to query with.
    Without ``period`` (pages of the deals as they are now: the deals list, the board) only
    the dimensions are shown, the view is as of today and the URL's period is left as it is
    (a link back to the review keeps it)."""
    viewer = ui.viewer()
    today = ui.as_of()
    options = ui.cached(filter_options)(viewer)
    from_url = from_query(_url_params(), today, options, default_kind)
    box = st.container(border=True)
    if period:
        chosen, as_of = _period_row(box, key, from_url, today)
    else:
        chosen, as_of = from_url.period, today
    selected = _dimension_row(box, key, options, from_url)
    view = ViewFilters(period=chosen, as_of=as_of, selected=selected)
    _mirror_to_url(view, today, _MANAGED if period else DIMENSIONS)
    return FilterBar(view=view, options=options, filters=visible_filter(viewer, options, view))


def _period_row(box, key: str, from_url: ViewFilters, today: date) -> tuple[Period, date]:
    """The period kind, period and "as of" widgets: the chosen period and day."""
    lang = ui.lang()
    kind_col, period_col, as_of_col = box.columns([4, 3, 2])
    as_of = as_of_col.date_input(
        ui.tr("filters.as_of"),
        value=_initial(f"{key}_as_of", from_url.as_of),
        max_value=max(today, from_url.as_of),
        key=f"{key}_as_of",
        help=ui.tr("filters.as_of_help"),
    )
    kinds = {k: ui.tr(f"filters.kind_{k}") for k in ANALYSIS_PERIOD_KINDS}
    kind = (
        kind_col.segmented_control(
            ui.tr("period.kind"),
            list(kinds),
            default=_initial(f"{key}_kind", from_url.period.kind),
            format_func=kinds.__getitem__,
            key=f"{key}_kind",
        )
        or from_url.period.kind
    )
    return _period_picker(period_col, key, kind, as_of, from_url.period, lang), as_of


def _dimension_row(
    box, key: str, options: FilterOptions, from_url: ViewFilters
) -> dict[str, tuple[str, ...]]:
    """One multiselect per dimension the viewer can change: the chosen codes."""
    lang = ui.lang()
    # A filter with one choice (a rep's own team, a manager's one region) changes nothing:
    # it is not shown.
    shown = [d for d in DIMENSIONS if len(options.codes(d)) > 1]
    columns = box.columns(max(len(shown), 1))
    selected = {}
    for column, dimension in zip(columns, shown, strict=False):
        codes = options.codes(dimension)
        chosen = column.multiselect(
            ui.tr(f"filters.{dimension}"),
            codes,
            default=[
                c for c in _initial(f"{key}_{dimension}", from_url.codes(dimension)) if c in codes
            ],
            format_func=lambda code, d=dimension: options.label(d, code, lang),
            key=f"{key}_{dimension}",
            placeholder=ui.tr("filters.all"),
        )
        if chosen:
            selected[dimension] = tuple(chosen)
    return selected


def _period_picker(
    column, key: str, kind: str, as_of: date, url_period: Period, lang: str
) -> Period:
    """The period chooser for ``kind``: recent periods around ``as_of``, or a date range."""
    if kind == "custom":
        start, end = (
            (url_period.start, url_period.end)
            if url_period.kind == "custom"
            else (as_of.replace(day=1), as_of)
        )
        picked = column.date_input(
            ui.tr("filters.range"),
            value=_initial(f"{key}_range", (start, end)),
            key=f"{key}_range",
        )
        if isinstance(picked, tuple | list) and len(picked) == 2:
            return custom_range(picked[0], picked[1])
        return custom_range(start, end)  # half-picked range: keep the last full one
    periods = recent_periods(kind, as_of, _RECENT[kind])
    labels = [p.label for p in periods]
    if url_period.kind == kind and url_period.label not in labels:
        periods.append(url_period)
        labels.append(url_period.label)
    wanted = url_period.label if url_period.kind == kind else labels[0]
    current = _initial(f"{key}_{kind}", wanted)
    label = column.selectbox(
        ui.tr("period.label"),
        labels,
        index=labels.index(current) if current in labels else 0,
        format_func=lambda text: _period_text(periods[labels.index(text)], lang),
        key=f"{key}_{kind}",
    )
    return periods[labels.index(label)]


def _period_text(period: Period, lang: str) -> str:
    """A period as listed: weeks show their dates ("2026-W48 · 11-23 – 11-29")."""
    if period.kind == "week":
        return f"{period.label} · {period.start:%m-%d} – {period.end:%m-%d}"
    return period.label


def _mirror_to_url(view: ViewFilters, today: date, managed: tuple[str, ...] = _MANAGED) -> None:
    """Write the view's ``managed`` parameters into the query string (stable codes only),
    leaving other params be."""
    wanted = to_query(view, today)
    for name in managed:
        value = wanted.get(name)
        if value is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get_all(name) != (value if isinstance(value, list) else [value]):
            st.query_params[name] = value
