"""Streamlit pieces of the goal pages: metric picker, the drilled node (kept in the URL),
breadcrumb, tiles, treemap with click-to-drill, table, decomposition check and downloads."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.goals import present, tree
from salesboard.goals.charts import goal_treemap
from salesboard.goals.format import format_goal_value, is_money, unit_label
from salesboard.goals.view import GoalTreeView
from salesboard.i18n import format_percent, format_points
from salesboard.outputs.export import to_csv_bytes, to_xlsx
from salesboard.store.db import read_session
from salesboard.store.models import GoalMetric

NODE_KEY = "goal_node"
METRIC_KEY = "metric"
MAP_KEY = "goal_map"
DRILL_KEY = "goal_drill"
# Up to this many findings read as sentences with a button each; more become a table.
FINDINGS_AS_LIST = 8


def url_selectbox(key: str, label: str, options: list[str], default: str, format_func) -> str:
    """A selectbox whose stable code lives in ``?key=`` (the label differs per language)."""
    initial = ui.url_choice(key, options, default)
    value = st.selectbox(
        label, options, index=options.index(initial), key=key, format_func=format_func
    )
    st.query_params[key] = value
    return value


def metric_picker(container=None) -> str:
    """The goal metric (revenue, new customers …), bound to ``?metric=``."""
    target = container or st
    labels = {str(m): ui.tr(f"goals.metric.{m}") for m in GoalMetric}
    with target:
        return url_selectbox(
            METRIC_KEY, ui.tr("goals.metric"), list(labels), GoalMetric.REVENUE, labels.get
        )


def period_and_metric():
    """The period picker and the metric picker side by side (both in the URL), and the
    working-calendar notice for the period: the header of the goal pages."""
    period_column, metric_column = st.columns([3, 1])
    with period_column:
        period = ui.period_picker()
    metric = metric_picker(metric_column)
    ui.calendar_notice(ui.as_of(), period.end)
    return period, metric


def set_node(node_id: int) -> None:
    """Callback: drill to ``node_id``."""
    st.session_state[NODE_KEY] = int(node_id)


def _on_drill() -> None:
    chosen = st.session_state.get(DRILL_KEY)
    if chosen is not None:
        set_node(chosen)


def _like(view: GoalTreeView, dims: tuple | None) -> int | None:
    """The node of ``view`` with the same scope and dimensions (after a period change)."""
    if not dims:
        return None
    scope, *values = dims
    nodes = view.nodes
    match = nodes["scope"] == scope
    for column, value in zip(tree.DIMENSIONS, values, strict=True):
        match &= nodes[column].isna() if value is None else (nodes[column] == value)
    found = nodes.loc[match.fillna(False), "id"]
    return int(found.iloc[0]) if len(found) else None


def _dims(view: GoalTreeView, node_id: int) -> tuple:
    row = view.node(node_id)
    return (
        row["scope"],
        *(None if tree._missing(row[c]) else int(row[c]) for c in tree.DIMENSIONS),
    )


def current_node(view: GoalTreeView) -> int:
    """The drilled node: a treemap click, else the session's node, else ``?node=``; the same
    goal of another period (same scope and dimensions) after a period change; else the top.
    Kept in ``?node=`` so a link reopens the drilled view."""
    requested = st.session_state.get(NODE_KEY)
    if requested is None and str(st.query_params.get("node", "")).isdigit():
        requested = int(st.query_params["node"])
    if not view.has(requested):
        requested = _like(view, st.session_state.get(f"{NODE_KEY}_dims"))
    node = requested if view.has(requested) else default_node(view)
    clicked = _clicked(f"{MAP_KEY}_{node}")
    if clicked is not None and view.has(clicked):
        # A click on the top box goes one level up (the breadcrumb does the same).
        path = view.breadcrumb(node)
        node = path[-2] if clicked == node and len(path) > 1 else clicked
    st.session_state[NODE_KEY] = node
    st.session_state[f"{NODE_KEY}_dims"] = _dims(view, node)
    st.query_params["node"] = str(node)
    return node


def default_node(view: GoalTreeView) -> int:
    """Where a viewer lands: the top, or, when the top is only context for them (a manager,
    a rep), their own first goal."""
    own = view.nodes.loc[~view.nodes["context"], "id"]
    top = view.root_id
    if not bool(view.node(top)["context"]) or own.empty:
        return top
    return int(own.iloc[0])


def _clicked(key: str) -> int | None:
    state = st.session_state.get(key)
    points = (state or {}).get("selection", {}).get("points", []) if state else []
    if not points:
        return None
    box = str(points[0].get("id", ""))
    return int(box) if box.isdigit() else None


def breadcrumb(view: GoalTreeView, node_id: int) -> None:
    """Buttons from the top down to the current node; each goes back up to that level."""
    path = view.breadcrumb(node_id)
    row = st.container(horizontal=True, gap="small", vertical_alignment="center")
    for i, step in enumerate(path):
        name = view.name(step, ui.lang())
        if i:
            row.markdown("›")
        if i == len(path) - 1:
            row.markdown(f"**{name}**")
        else:
            row.button(name, key=f"crumb_{step}", type="tertiary", on_click=set_node, args=(step,))


def node_tiles(view: GoalTreeView, node_id: int) -> None:
    """Target, actual, attainment (vs pace), still to go and time elapsed of the node."""
    lang, metric = ui.lang(), view.metric
    row = view.node(node_id)

    def value(v) -> str:
        return format_goal_value(None if tree._missing(v) else v, metric, lang, compact=True)

    target, actual, attained, gap, elapsed = st.columns(5)
    target.metric(ui.tr("goals.col.target"), value(row["target"]))
    actual.metric(ui.tr("goals.col.actual"), value(row["actual"]))
    vs_pace = None if tree._missing(row["vs_pace"]) else float(row["vs_pace"])
    attained.metric(
        ui.tr("goals.col.attainment"),
        format_percent(None if tree._missing(row["attainment"]) else row["attainment"]),
        delta=None if vs_pace is None else f"{format_points(vs_pace)} {ui.tr('goals.vs_pace')}",
        help=ui.tr(
            "goals.attainment_help_lower" if view.lower_is_better else "goals.attainment_help"
        ),
    )
    gap.metric(ui.tr("goals.col.gap"), value(row["gap"]), help=ui.tr("goals.gap_help"))
    elapsed.metric(ui.tr("goals.col.elapsed"), format_percent(view.elapsed))


def treemap(view: GoalTreeView, node_id: int) -> None:
    """The treemap of the node; clicking a box drills into it (a selection event)."""
    st.plotly_chart(
        goal_treemap(view, node_id, ui.lang()),
        key=f"{MAP_KEY}_{node_id}",
        on_select="rerun",
        selection_mode="points",
        config={"displayModeBar": False},
    )


def drill_selector(view: GoalTreeView, node_id: int) -> None:
    """A select box of the node's children: the keyboard and AppTest way to drill down."""
    kids = view.children(node_id)
    if kids.empty:
        st.caption(ui.tr("goals.no_children"))
        return
    lang = ui.lang()
    names = dict(zip(kids["id"].astype(int), kids[f"name_{lang}"], strict=True))
    st.session_state.pop(DRILL_KEY, None)
    st.selectbox(
        ui.tr("goals.drill"),
        list(names),
        index=None,
        format_func=names.__getitem__,
        placeholder=ui.tr("goals.drill_placeholder"),
        key=DRILL_KEY,
        on_change=_on_drill,
    )


PACE_COLOURS = {"▲": "#1a7f37", "●": "#9a6700", "▼": "#cf222e"}


def _value_format(metric: str, lang: str) -> str:
    if metric in (GoalMetric.NEW_CUSTOMERS, GoalMetric.VISITS):
        return "{:,.0f}"
    return "{:,.1f}" if lang == "zh" or metric == GoalMetric.CYCLE_DAYS else "{:,.0f}"


def pace_style(text: str) -> str:
    colour = PACE_COLOURS.get(str(text)[:1])
    return f"color: {colour}; font-weight: 600" if colour else ""


def node_table(view: GoalTreeView, node_id: int) -> None:
    """The node's children (or the node itself, for a rep) with target, share, actual,
    attainment, gap, elapsed and pace; results are left out where the viewer may only see
    targets."""
    lang, metric = ui.lang(), view.metric
    frame = present.node_table(view, node_id, lang)
    value = _value_format(metric, lang)
    formats = dict.fromkeys(present.VALUE_COLUMNS, value)
    formats.update(dict.fromkeys(present.RATIO_COLUMNS, "{:.1%}"))
    formats["vs_pace"] = "{:+.1f}"
    styled = frame.style.format(formats, na_rep="—").map(pace_style, subset=["pace"])
    # All rows share one level (the children's): it goes in the caption, not in every row.
    columns = [c for c in present.TABLE_COLUMNS if c not in ("id", "scope")]
    if frame["actual"].isna().all():
        columns = ["name", "owner", "target", "share_of_parent"]
    if len(view.children(node_id)):
        st.caption(ui.tr("goals.table.children", scope=frame["scope"].iloc[0]))
    st.dataframe(
        styled,
        hide_index=True,
        column_order=columns,
        column_config={c: present.column_label(c, metric, lang) for c in present.TABLE_COLUMNS},
        key="goal_table",
    )


def findings_section(view: GoalTreeView, node_id: int) -> None:
    """The decomposition check: every node whose children do not add up, and unowned nodes."""
    st.subheader(ui.tr("goals.check.title"))
    if view.findings.empty:
        st.success(ui.tr("goals.check.ok"))
        return
    lang, metric = ui.lang(), view.metric
    count = len(view.findings)
    st.warning(
        ui.tr("goals.check.found_one") if count == 1 else ui.tr("goals.check.found", count=count)
    )
    frame = present.findings_table(view, lang)
    if len(frame) <= FINDINGS_AS_LIST:
        for row in frame.itertuples(index=False):
            text, button = st.columns([6, 1], vertical_alignment="center")
            text.markdown(
                f"**{row.path}**：{row.problem}"
                if lang == "zh"
                else f"**{row.path}**: {row.problem}"
            )
            if int(row.id) != node_id:
                button.button(
                    ui.tr("goals.check.open"), key=f"finding_{row.id}", type="tertiary",
                    on_click=set_node, args=(int(row.id),),
                )  # fmt: skip
        return
    value = _value_format(metric, lang)
    columns = ["path", "problem", "difference"]
    styled = frame.style.format({"difference": value.replace("{:", "{:+")}, na_rep="—")
    event = st.dataframe(
        styled,
        hide_index=True,
        column_order=columns,
        column_config={c: present.column_label(c, metric, lang) for c in columns}
        | {
            "problem": st.column_config.TextColumn(
                present.column_label("problem", metric, lang), width="large"
            )
        },
        on_select="rerun",
        selection_mode="single-row",
        key=f"goal_findings_{node_id}",
    )
    st.caption(ui.tr("goals.check.jump"))
    rows = event.selection.rows if event else []
    if rows and int(frame["id"].iloc[rows[0]]) != node_id:
        set_node(int(frame["id"].iloc[rows[0]]))
        st.rerun()


def downloads(view: GoalTreeView) -> None:
    """XLSX (indented levels, with the findings) and CSV of the whole visible tree."""
    lang = ui.lang()
    stem = f"goals_{view.metric}_{view.period.label}"
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        ui.tr("goals.download_xlsx"),
        data=lambda: to_xlsx(
            [present.export_sheet(view, lang), present.findings_sheet(view, lang)]
        ),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/download:",
    )
    right.download_button(
        ui.tr("goals.download_csv"),
        data=lambda: to_csv_bytes(present.csv_frame(view, lang)),
        file_name=f"{stem}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )


def unit_caption(view: GoalTreeView) -> str:
    """ "Money in 万元" etc. for captions."""
    return metric_unit_caption(view.metric)


def metric_unit_caption(metric: str) -> str:
    """The unit tables of ``metric`` use, for a caption."""
    key = "goals.units_money" if is_money(metric) else "goals.units"
    return ui.tr(key, unit=unit_label(metric, ui.lang()))


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _hourly_call(url: str, qualified_name: str, args: tuple):
    import importlib

    module_name, _, func_name = qualified_name.rpartition(".")
    func = getattr(importlib.import_module(module_name), func_name)
    with read_session(ui.engine()) as session:
        return func(session, *args)


def hourly(func):
    """Like ``ui.cached`` but kept for an hour: for slow results about the past (the
    forecast back-test), which later changes barely move."""
    qualified_name = f"{func.__module__}.{func.__qualname__}"

    def call(*args):
        return _hourly_call(ui.database_url(), qualified_name, args)

    return call
