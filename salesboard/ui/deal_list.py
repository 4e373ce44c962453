"""The deals behind a figure: what a tile's link opens (``?deals=won&period=2026Q4`` plus the
filter bar's codes, e.g. ``&team=3&product=cloud``), with how many and how much in all, so the
list adds up to the tile; and the links under the tiles."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.calendar.periods import Period
from salesboard.i18n import format_count, format_money
from salesboard.pipeline.deals import DEAL_LIST_LIMIT, DEAL_LISTS, deal_list
from salesboard.pipeline.view_filters import filter_options, from_query, visible_filter
from salesboard.ui.pipeline_common import deals_table
from salesboard.ui.pipeline_export import scope_words

DEAL_PAGE = "pages/opportunity_detail.py"
LIST_KEY = "deals"


def requested_list() -> str | None:
    """The list the URL asks for (``?deals=``), if it is one we know."""
    kind = st.query_params.get(LIST_KEY)
    return kind if kind in DEAL_LISTS else None


def deal_list_view(kind: str) -> None:
    """The deals of list ``kind`` for the period and filters in the URL, biggest first."""
    viewer, lang = ui.viewer(), ui.lang()
    options = ui.cached(filter_options)(viewer)
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    view = from_query(params, ui.as_of(), options, default_kind="quarter")
    found = ui.cached(deal_list)(
        viewer, kind, view.period, visible_filter(viewer, options, view), view.as_of
    )
    st.subheader(ui.tr(f"deals.title_{kind}", period=view.period.label))
    scope = scope_words(view, options)
    summary = ui.tr(
        "deals.summary",
        count=format_count(found.count),
        amount=format_money(found.amount_minor, lang),
    )
    st.caption(" · ".join(p for p in (summary, scope) if p))
    if found.count > DEAL_LIST_LIMIT:
        st.caption(ui.tr("deals.limited", limit=format_count(DEAL_LIST_LIMIT)))
    rows = found.rows
    deals_table(
        rows,
        "deal_list",
        {
            "status": rows["status"].map(lambda s: ui.tr(f"status.{s}")),
            "on": rows["closed_on"].fillna(""),
        },
    )


def deals_link(container, kind: str, period: Period, **codes: str) -> None:
    """A link under a tile to the deals behind it (list ``kind`` of ``period``, narrowed to
    the filter bar's ``codes``)."""
    container.page_link(
        DEAL_PAGE,
        label=ui.tr(f"deals.link_{kind}"),
        icon=":material/list:",
        query_params={LIST_KEY: kind, "period": period.label, **codes},
    )


# The filter bar's parameter for each goal dimension.
GOAL_DIMENSIONS = {
    "product_line_id": "product",
    "region_id": "region",
    "team_id": "team",
    "user_id": "rep",
}


def goal_codes(goal) -> dict[str, str]:
    """The filter bar's codes for a goal's dimensions (a goal row with ``product_line_id``,
    ``region_id``, ``team_id``, ``user_id``; unset ones left out)."""
    options = ui.cached(filter_options)(ui.viewer())
    codes = {}
    for column, dimension in GOAL_DIMENSIONS.items():
        key = goal[column]
        if pd.isna(key):  # unset
            continue
        code = next((o.code for o in options.choices[dimension] if o.key == int(key)), None)
        if code is not None:
            codes[dimension] = code
    return codes


def list_links(period: Period) -> None:
    """Links to the lists of deals (open now, won and lost in ``period``) side by side."""
    row = st.container(horizontal=True)
    for kind in ("open", "won", "lost"):
        deals_link(row, kind, period)


def overdue_link(container) -> None:
    """A link under a tile to the overdue deals (the review's overdue tab)."""
    container.page_link(
        "pages/pipeline_review.py",
        label=ui.tr("deals.link_overdue"),
        icon=":material/list:",
        query_params={"section": "overdue"},
    )


def goals_link(container, period: Period, metric: str = "revenue") -> None:
    """A link under a tile to the goals behind it (goal attainment, same period and metric)."""
    container.page_link(
        "pages/goal_attainment.py",
        label=ui.tr("deals.link_goals"),
        icon=":material/flag:",
        query_params={
            "period_kind": period.kind,
            f"period_{period.kind}": period.label,
            "metric": metric,
        },
    )
