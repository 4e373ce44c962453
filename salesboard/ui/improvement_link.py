"""Creating an improvement action from a finding on any page, and the links between pages:

- ``new_action_button(kind, ref, defaults, back_link)``: a button (for those who may create
  actions) that opens a dialog prefilled with the finding — stage, pain point, metric — and
  records where it came from, so the action links back;
- ``promote_button``: "promote to best practice" from a deal or a feedback form item;
- ``current_link``: the page's own URL (path and query) to come back to;
- ``action_url`` / ``practice_url``: where an action or an entry opens.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from salesboard import ui
from salesboard.improvement import knowledge
from salesboard.improvement.actions import create_action, may_create, open_counts, team_names
from salesboard.improvement.errors import ImprovementError
from salesboard.improvement.targets import METRICS

ACTIONS_PATH = "/improvements"
PRACTICES_PATH = "/best-practices"
# The seed's horizon for an improvement target (3 months).
DEFAULT_DAYS = 91


def action_url(action_id: int) -> str:
    """The improvement page opened on one action."""
    return f"{ACTIONS_PATH}?{urlencode({'action': action_id, 'lang': ui.lang()})}"


def practice_url(practice_id: int) -> str:
    """The knowledge base opened on one entry."""
    return f"{PRACTICES_PATH}?{urlencode({'entry': practice_id, 'lang': ui.lang()})}"


def current_link(path: str, **extra: str) -> str:
    """``path`` with the current URL query (and ``extra``): the way back to this finding."""
    query = {k: st.query_params[k] for k in st.query_params} | extra
    return f"{path}?{urlencode(query)}" if query else path


def refusal(exc: ImprovementError) -> None:
    """A refused write as the user reads it."""
    st.error(ui.tr(f"improve.error.{exc.code}", **exc.params))


def metric_label(code: str) -> str:
    """A target metric's name ("(none)" for no metric)."""
    return ui.tr_text(f"improve.metric.{code}") if code else ui.tr_text("improve.metric_none")


def action_fields(defaults: dict[str, Any], teams: dict[int, str], key: str) -> dict[str, Any]:
    """The inputs of an action (inside a form), prefilled from ``defaults``; the values."""
    today = ui.as_of()
    left, right = st.columns(2)
    values = {
        "area": left.text_input(ui.tr("improve.area"), defaults.get("area", ""), key=f"{key}_area"),
        "owner_department": right.text_input(
            ui.tr("improve.owner_department"), defaults.get("owner_department", ""),
            key=f"{key}_dept",
        ),
        "pain_point": st.text_area(
            ui.tr("improve.pain_point"), defaults.get("pain_point", ""), key=f"{key}_pain",
            height=80,
        ),
    }  # fmt: skip
    codes = ["", *METRICS]
    metric = defaults.get("metric", "")
    values["metric"] = st.selectbox(
        ui.tr("improve.metric"), codes, index=codes.index(metric) if metric in codes else 0,
        format_func={c: metric_label(c) for c in codes}.__getitem__, key=f"{key}_metric",
    )  # fmt: skip
    a, b = st.columns(2)
    values["baseline"] = a.number_input(
        ui.tr("improve.baseline"), value=defaults.get("baseline"), key=f"{key}_base",
        placeholder="—", format="%.3f",
    )  # fmt: skip
    values["target"] = b.number_input(
        ui.tr("improve.target"), value=defaults.get("target"), key=f"{key}_target",
        placeholder="—", format="%.3f",
    )  # fmt: skip
    values["measures"] = st.text_area(
        ui.tr("improve.measures"), defaults.get("measures", ""), key=f"{key}_measures", height=80
    )
    c, d = st.columns(2)
    values["start_on"] = c.date_input(
        ui.tr("improve.start_on"), defaults.get("start_on", today), key=f"{key}_start"
    )
    values["due_on"] = d.date_input(
        ui.tr("improve.due_on"), defaults.get("due_on", today + timedelta(days=DEFAULT_DAYS)),
        key=f"{key}_due",
    )  # fmt: skip
    if len(teams) > 1:
        team = defaults.get("team_id")
        values["team_id"] = st.selectbox(
            ui.tr("improve.team"), list(teams), format_func=teams.__getitem__,
            index=list(teams).index(team) if team in teams else None, key=f"{key}_team",
            placeholder=ui.tr_text("improve.all"),
        )  # fmt: skip
    elif teams:
        values["team_id"] = next(iter(teams))
    return values


def _unit(metric: str) -> str:
    return METRICS[metric].unit if metric in METRICS else ""


def new_action_button(
    kind: str, ref: str, defaults: dict[str, Any], back_link: str, *, container=None
) -> None:
    """A button that opens the new-action dialog prefilled with ``defaults`` (area,
    pain_point, metric …), recording the finding ``kind``/``ref`` and ``back_link``. Shown
    only to those who may create actions."""
    viewer = ui.viewer()
    if not may_create(viewer):
        return
    where = container or st
    if where.button(ui.tr("improve.new_from"), key=f"imp_new_{kind}_{ref}",
                    icon=":material/add_task:"):  # fmt: skip
        _new_action_dialog(kind, ref, defaults, back_link)


@st.dialog(" ", width="large")
def _new_action_dialog(kind: str, ref: str, defaults: dict[str, Any], back_link: str) -> None:
    st.subheader(ui.tr("improve.new"))
    viewer = ui.viewer()
    teams = ui.cached(team_names)(viewer)
    with st.form("imp_new_form"):
        values = action_fields(defaults, teams, "imp_new")
        pilots = st.multiselect(
            ui.tr("improve.pilots"), list(teams), format_func=teams.__getitem__,
            default=[t for t in defaults.get("pilots", ()) if t in teams], key="imp_new_pilots",
            placeholder=ui.tr_text("improve.pilots"),
        )  # fmt: skip
        submitted = st.form_submit_button(ui.tr("improve.create"), type="primary")
    if not submitted:
        return
    values["unit"] = _unit(values["metric"])
    try:
        with ui.writing() as session:
            action_id = create_action(
                session, viewer, values, pilots=tuple(pilots), source=(kind, ref, back_link)
            )
    except ImprovementError as exc:
        refusal(exc)
        return
    st.success(ui.tr("improve.created", id=action_id))
    st.page_link(
        "pages/improvement.py", label=ui.tr_text("improve.open_created", id=action_id),
        query_params={"action": str(action_id), "lang": ui.lang()}, icon=":material/arrow_forward:",
    )  # fmt: skip


def promote_button(kind: str, ref: str, *, key: str, container=None) -> None:
    """ "Promote to best practice" for a deal (``kind`` "deal", ``ref`` its code) or a
    feedback form item ("feedback_item", its id): a dialog prefilled from the source. Shown
    only to those who may write the knowledge base."""
    if not knowledge.may_write(ui.viewer()):
        return
    where = container or st
    if where.button(ui.tr("knowledge.promote"), key=f"kb_promote_{key}", icon=":material/star:"):
        _promote_dialog(kind, ref)


@st.dialog(" ", width="large")
def _promote_dialog(kind: str, ref: str) -> None:
    viewer = ui.viewer()
    defaults_of = knowledge.deal_defaults if kind == "deal" else knowledge.feedback_item_defaults
    promote = knowledge.promote_deal if kind == "deal" else knowledge.promote_feedback_item
    st.subheader(ui.tr("knowledge.promote"))
    try:
        defaults = ui.cached(defaults_of)(viewer, ref if kind == "deal" else int(ref))
    except ImprovementError as exc:
        refusal(exc)
        return
    with st.form("kb_promote_form"):
        values = practice_fields(defaults, "kb_promote")
        submitted = st.form_submit_button(ui.tr("knowledge.save"), type="primary")
    if submitted:
        try:
            with ui.writing() as session:
                entry = promote(session, viewer, ref if kind == "deal" else int(ref), values)
        except ImprovementError as exc:
            refusal(exc)
            return
        st.success(ui.tr("knowledge.saved", id=entry))
        st.page_link(
            "pages/knowledge.py", label=ui.tr_text("knowledge.open"),
            query_params={"entry": str(entry), "lang": ui.lang()},
        )  # fmt: skip


def practice_fields(defaults: dict[str, Any], key: str) -> dict[str, str]:
    """Title, body and tags inputs (inside a form), prefilled; the values."""
    return {
        "title": st.text_input(ui.tr("knowledge.title_field"), defaults.get("title", ""), key=f"{key}_title"),
        "body": st.text_area(ui.tr("knowledge.body"), defaults.get("body", ""), key=f"{key}_body", height=200),
        "tags": st.text_input(ui.tr("knowledge.tags"), defaults.get("tags", ""), key=f"{key}_tags"),
    }  # fmt: skip


def practice_links(practices, container=None) -> None:
    """Links to best-practice entries (a frame with ``id, title``): for improvement actions
    and the top-performer findings."""
    where = container or st
    for row in practices.itertuples(index=False):
        title = ui.escape_markdown(row.title, inline=True)
        where.markdown(f"- [{title}]({practice_url(int(row.id))})")


def open_actions_line() -> None:
    """One line on the weekly review: the open and overdue improvement actions, linked."""
    viewer = ui.viewer()
    total, overdue = ui.cached(open_counts)(viewer, ui.as_of())
    if not total:
        return
    text = ui.tr("improve.open_count", open=total, overdue=overdue)
    link = f"[{ui.tr('improve.open_link')}]({ACTIONS_PATH}?{urlencode({'lang': ui.lang()})})"
    (st.warning if overdue else st.info)(f"{text} {link}", icon=":material/published_with_changes:")


def promote_item_picker(items) -> None:
    """Under the team's improvement items (``id, rep, problem``): pick one and promote it to
    a best practice (for those who may write the knowledge base)."""
    if items.empty or not knowledge.may_write(ui.viewer()):
        return
    labels = {
        int(i): f"{r} · {p}"
        for i, r, p in zip(items["id"], items["rep"], items["problem"], strict=True)
    }
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    item = left.selectbox(
        ui.tr("knowledge.promote"), list(labels), index=None, format_func=labels.__getitem__,
        key="kb_item_pick", placeholder=ui.tr_text("improve.pick_practice"),
    )  # fmt: skip
    if item is not None:
        promote_button("feedback_item", str(item), key=f"item_{item}", container=right)
