"""The drilled goal of the attainment page: which node is shown (a treemap click, the
breadcrumb, the drill select box, ``?node=`` or the same goal after a period change), the
breadcrumb back up, the treemap with click-to-drill and the drill select box."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.goals import tree
from salesboard.goals.charts import goal_treemap
from salesboard.goals.view import GoalTreeView

NODE_KEY = "goal_node"
MAP_KEY = "goal_map"
DRILL_KEY = "goal_drill"


def set_node(node_id: int) -> None:
    """Callback: drill to ``node_id``."""
    st.session_state[NODE_KEY] = int(node_id)


def _on_drill(children: tuple[int, ...]) -> None:
    # Only a child of the node the box was drawn for: a select box hands back its *label*
    # when that label is no longer an option (another language, another node), and that
    # label once reached int() here (a traceback on screen).
    chosen = st.session_state.get(DRILL_KEY)
    if chosen in children:
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
        name = ui.escape_markdown(view.name(step, ui.lang()))
        if i:
            row.markdown("›")
        if i == len(path) - 1:
            row.markdown(f"**{name}**")
        else:
            row.button(name, key=f"crumb_{step}", type="tertiary", on_click=set_node, args=(step,))


def treemap(view: GoalTreeView, node_id: int) -> None:
    """The treemap of the node; clicking a box drills into it (a selection event)."""
    ui.plotly_chart(
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
    st.session_state.pop(DRILL_KEY, None)  # the box starts empty on every node
    st.selectbox(
        ui.tr("goals.drill"),
        list(names),
        index=None,
        format_func=names.get,
        placeholder=ui.tr("goals.drill_placeholder"),
        key=DRILL_KEY,
        on_change=_on_drill,
        args=(tuple(names),),
    )
