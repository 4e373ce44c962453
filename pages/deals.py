"""Deals list (issue 15): every deal the viewer may read, found by one search box (code,
customer, owner, stage), the review's filters, status, stage and sort, paged in the database
(50 a page, ``?page=`` in the URL); each row's code opens the deal."""

import streamlit as st

from salesboard import ui
from salesboard.i18n import format_count
from salesboard.pipeline.deal_search import SORTS, STATUSES, DealSearch, search_deals
from salesboard.pipeline.durations import stage_info
from salesboard.ui import deals_view
from salesboard.ui.filter_bar import filter_bar
from salesboard.ui.pipeline_common import deals_table

viewer = ui.page_viewer(__file__)
lang = ui.lang()
st.title(ui.tr("dlist.title"))
bar = filter_bar(key="dl", period=False)
text = deals_view.search_box("q", ui.tr("dlist.search"), ui.tr("dlist.search_placeholder"))
status_col, stage_col, sort_col, order_col = st.columns(4)
stages = ui.cached(stage_info)()
choices = {
    "status": {s: ui.tr_text(f"status.{s}") for s in STATUSES},
    "stage": {
        "": ui.tr_text("dlist.any_stage"),
        **dict(zip(stages["stage"], stages[f"name_{lang}"], strict=True)),
    },
    "sort": {s: ui.tr_text(f"dlist.sort_{s}") for s in SORTS},
    "order": {o: ui.tr_text(f"dlist.order_{o}") for o in ("desc", "asc")},
}
status, stage, sort, order = (
    ui.url_select(key, ui.tr(f"dlist.{key}"), list(names), next(iter(names)), names.get,
                  container=column)
    for (key, names), column in zip(choices.items(), (status_col, stage_col, sort_col, order_col), strict=True)
)  # fmt: skip
page = deals_view.page_number((text, status, stage, sort, order, bar.filters))
search = DealSearch(text, status, stage, sort, order == "desc", page)
found = ui.cached(search_deals)(viewer, search, bar.filters, bar.as_of)
st.caption(
    ui.tr("dlist.count", count=format_count(found.total), page=found.page, pages=found.pages)
)
if found.total:
    rows = found.rows
    deals_table(
        rows,
        "dl_table",
        {
            "status": rows["status"].map(lambda s: ui.tr(f"status.{s}")),
            "days_in_stage": rows["days_in_stage"],
            "expected_close_on": rows["expected_close_on"],
            "last_activity_on": rows["last_activity_on"],
            "created_on": rows["created_on"],
        },
    )
    deals_view.pager(found.page, found.pages)
else:
    st.info(ui.tr("dlist.none"))
