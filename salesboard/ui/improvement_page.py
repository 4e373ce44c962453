"""The improvement page (优化行动): the board by status and the table, with filters and the
XLSX export, and one action's detail — its fields (version-checked), status moves, pilot
teams, the way back to its finding, linked best practices, "did it work" and its history."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.i18n import TRANSLATIONS, format_list, format_percent
from salesboard.i18n.locale import Locale, locale_for
from salesboard.improvement import actions as act
from salesboard.improvement import knowledge
from salesboard.improvement.charts import did_chart
from salesboard.improvement.check import check_action
from salesboard.improvement.did import MIN_SAMPLE, target_reached
from salesboard.improvement.errors import ImprovementError
from salesboard.outputs.export import Sheet, to_xlsx
from salesboard.ui.improvement_link import (
    action_fields,
    action_url,
    metric_label,
    practice_links,
    refusal,
)

STATUS_COLOURS = {"not_started": "gray", "in_progress": "blue", "done": "green"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def metric_value(value: float | None, unit: str) -> str:
    """A metric value as read: a percentage, or days with one decimal; "—" when unknown."""
    if value is None or pd.isna(value):
        return "—"
    if unit == "%":
        return format_percent(value)
    return ui.tr_text("check.days", value=f"{value:.1f}")


def change_text(value: float | None, unit: str) -> str:
    """A change: signed percentage points for ratios, signed days for the cycle."""
    if value is None:
        return "—"
    if unit == "%":
        return ui.tr_text("check.points", value=f"{value * 100:+.1f}")
    return ui.tr_text("check.days", value=f"{value:+.1f}")


# --- the list ----------------------------------------------------------------------------------


def actions_list() -> None:
    """Filters, board or table, export."""
    viewer, today = ui.viewer(), ui.as_of()
    teams = ui.cached(act.team_names)(viewer)
    owners = ui.cached(act.owner_names)(viewer)
    left, middle, right, view_col = st.columns([3, 2, 2, 2])
    statuses = left.multiselect(
        ui.tr("improve.status"), list(act.STATUSES), key="imp_status",
        format_func={s: ui.tr_text(f"improve.status.{s}") for s in act.STATUSES}.__getitem__,
        placeholder=ui.tr_text("improve.all"),
    )  # fmt: skip
    owner = middle.selectbox(
        ui.tr("improve.owner"), list(owners), index=None, format_func=owners.__getitem__,
        key="imp_owner", placeholder=ui.tr_text("improve.all"),
    )  # fmt: skip
    team = right.selectbox(
        ui.tr("improve.pilot"), list(teams), index=None, format_func=teams.__getitem__,
        key="imp_team", placeholder=ui.tr_text("improve.all"),
    )  # fmt: skip
    views = {v: ui.tr_text(f"improve.view_{v}") for v in ("board", "table")}
    view = ui.url_segments(
        "view", ui.tr("improve.view"), list(views), "board", views.get, container=view_col
    )
    frame = ui.cached(act.list_actions)(viewer, today, tuple(statuses), owner, team)
    if frame.empty:
        filtered = statuses or owner is not None or team is not None
        st.info(ui.tr("improve.none_filtered" if filtered else "improve.none"))
        return
    names = ui.cached(act.team_names)(viewer) if viewer.sees_everything else teams
    if view == "table":
        actions_table(frame, names)
    else:
        actions_board(frame, names)
    st.download_button(
        ui.tr("improve.export"), data=actions_xlsx(frame, names), mime=XLSX,
        file_name=f"improvement_actions_{today}.xlsx", key="imp_export",
        icon=":material/download:",
    )  # fmt: skip


def _pilot_names(ids, names: dict[int, str]) -> str:
    return format_list([names[i] for i in ids if i in names], ui.lang())


def actions_board(frame: pd.DataFrame, names: dict[int, str]) -> None:
    """Three columns by status; an overdue card says so in red."""
    for status, column in zip(act.STATUSES, st.columns(3), strict=True):
        rows = frame[frame["status"] == status]
        column.markdown(
            f"**:{STATUS_COLOURS[status]}[{ui.tr(f'improve.status.{status}')}]** ({len(rows)})"
        )
        for row in rows.itertuples(index=False):
            card = column.container(border=True, key=f"imp_card_{row.id}")
            title = ui.escape_markdown(row.pain_point, inline=True)
            card.markdown(f"[**#{row.id} {title}**]({action_url(int(row.id))})")
            parts = [metric_label(row.metric) if row.metric else ""]
            owner = row.owner_name if isinstance(row.owner_name, str) else ""
            parts.append(" / ".join(p for p in (owner, row.owner_department) if p))
            card.caption(ui.escape_markdown(" · ".join(p for p in parts if p) or "—"))
            if row.pilot_team_ids:
                card.caption(
                    ui.tr("improve.pilots")
                    + ": "
                    + ui.escape_markdown(_pilot_names(row.pilot_team_ids, names))
                )
            if isinstance(row.due_on, type(ui.as_of())):
                due = ui.tr("improve.due", day=Locale.day(row.due_on))
                if row.overdue:
                    card.markdown(f":red-badge[{ui.tr('improve.overdue_badge')}] :red[{due}]")
                else:
                    card.caption(due)


def table_frame(frame: pd.DataFrame, names: dict[int, str]) -> pd.DataFrame:
    """The actions as the table and the export show them (translated headers and values)."""
    return pd.DataFrame(
        {
            "#": frame["id"].astype(int),
            ui.tr_text("improve.area"): frame["area"],
            ui.tr_text("improve.pain_point"): frame["pain_point"],
            ui.tr_text("improve.metric"): frame["metric"].map(metric_label),
            ui.tr_text("improve.baseline"): [metric_value(v, u) for v, u in zip(frame["baseline"], frame["unit"], strict=True)],
            ui.tr_text("improve.target"): [metric_value(v, u) for v, u in zip(frame["target"], frame["unit"], strict=True)],
            ui.tr_text("improve.measures"): frame["measures"],
            ui.tr_text("improve.owner"): [
                " / ".join(p for p in (o if isinstance(o, str) else "", d) if p)
                for o, d in zip(frame["owner_name"], frame["owner_department"], strict=True)
            ],
            ui.tr_text("improve.start_on"): frame["start_on"],
            ui.tr_text("improve.due_on"): frame["due_on"],
            ui.tr_text("improve.status"): frame["status"].map(lambda s: ui.tr_text(f"improve.status.{s}")),
            ui.tr_text("improve.pilots"): frame["pilot_team_ids"].map(lambda ids: _pilot_names(ids, names)),
            ui.tr_text("improve.overdue_badge"): frame["overdue"].map(lambda o: "⚠" if o else ""),
        }
    )  # fmt: skip


def actions_table(frame: pd.DataFrame, names: dict[int, str]) -> None:
    """All actions in a table, overdue rows red, the number linking to the action."""
    table = table_frame(frame, names)
    table.insert(0, "link", [action_url(int(i)) for i in frame["id"]])
    red = "background-color: #ffebe9; color: #a40e26"
    styled = table.style.apply(
        lambda row: [red if frame["overdue"].iloc[row.name] else ""] * len(row), axis=1
    )
    st.dataframe(
        styled, hide_index=True, key="imp_table", placeholder="—",
        column_config={"link": st.column_config.LinkColumn(" ", display_text=ui.tr_text("improve.open"))},
    )  # fmt: skip


def actions_xlsx(frame: pd.DataFrame, names: dict[int, str]) -> bytes:
    """The actions as an XLSX workbook, overdue rows highlighted."""
    table = table_frame(frame, names)
    marks = pd.DataFrame({c: frame["overdue"].to_numpy() for c in table.columns})
    sheet = Sheet(
        ui.tr_text("improve.title"), table, formats={"#": "int"},
        title=f"{ui.tr_text('improve.title')} · {ui.as_of()}", highlight=marks,
    )  # fmt: skip
    return to_xlsx([sheet])


# --- one action ------------------------------------------------------------------------------


def _seen(action: act.Action) -> int:
    return st.session_state.setdefault(f"imp_seen_{action.id}", action.version)


def _write(action_id: int, write) -> None:
    """Run ``write(session)``; on success forget the pinned version and rerun."""
    try:
        with ui.writing() as session:
            write(session)
    except ImprovementError as exc:
        refusal(exc)
        return
    st.session_state.pop(f"imp_seen_{action_id}", None)
    st.session_state["imp_flash"] = True
    st.rerun()


def action_detail(action_id: int) -> None:
    """One action: fields, status, pilots, source, practices, did it work, history."""
    viewer, today = ui.viewer(), ui.as_of()
    st.page_link(
        "pages/improvement.py", label=ui.tr_text("improve.back"), query_params={"lang": ui.lang()}
    )
    try:
        action = ui.cached(act.action_for)(viewer, action_id, today)
    except ImprovementError:
        st.info(ui.tr("improve.not_found"))
        return
    _seen(action)  # pin the version this page was opened at: a stale tab's write is refused
    if st.session_state.pop("imp_flash", False):
        st.toast(ui.tr("improve.saved"))
    st.title(ui.tr("improve.detail_title", id=action.id))
    status = action["status"]
    badge = f":{STATUS_COLOURS[status]}-badge[{ui.tr(f'improve.status.{status}')}]"
    if action.overdue:
        badge += f" :red-badge[{ui.tr('improve.overdue_badge')}]"
    st.markdown(f"{badge} **{ui.escape_markdown(action['pain_point'], inline=True)}**")
    source = ui.tr(f"improve.source.{action['source_kind']}")
    if action["source_ref"] and action["source_kind"] in ("deal", "feedback_item"):
        source += " · " + ui.escape_markdown(action["source_ref"], inline=True)
    link = action["source_link"]
    back = f" — [{ui.tr('improve.back_link')}]({link})" if link.startswith("/") else ""
    st.caption(ui.tr("improve.source") + f": {source}{back}")
    if not action.editable:
        st.caption(ui.tr("improve.read_only"))
    status_buttons(action)
    details(action)
    pilots(action)
    linked_practices(action)
    st.subheader(ui.tr("improve.tab_check"))
    did_it_work(action_id)
    with st.expander(ui.tr("improve.tab_history")):
        history(action_id)


def status_buttons(action: act.Action) -> None:
    """Buttons to move the action to each other status."""
    if not action.editable:
        return
    others = [s for s in act.STATUSES if s != action["status"]]
    for status, column in zip(others, st.columns(len(others) + 2)[: len(others)], strict=True):
        label = ui.tr("improve.move_to", status=ui.tr_text(f"improve.status.{status}"))
        if column.button(label, key=f"imp_move_{status}"):
            move(action, status)


def move(action: act.Action, status: str) -> None:
    """Move ``action`` to ``status`` from the version this session opened."""
    seen = _seen(action)
    _write(action.id, lambda s: act.move_status(s, ui.viewer(), action.id, seen, status))


def details(action: act.Action) -> None:
    """The fields, editable in a form when the viewer may change the action."""
    viewer = ui.viewer()
    teams = ui.cached(act.team_names)(viewer)
    with st.expander(ui.tr("improve.tab_details"), expanded=action.editable):
        if not action.editable:
            read_only_fields(action)
            return
        owners = ui.cached(act.owner_names)(viewer)
        with st.form(f"imp_edit_{action.id}"):
            values = action_fields(action.values, teams, f"imp_edit_{action.id}")
            owner = action["owner_id"]
            values["owner_id"] = st.selectbox(
                ui.tr("improve.owner_person"), list(owners), format_func=owners.__getitem__,
                index=list(owners).index(owner) if owner in owners else None,
                key=f"imp_edit_{action.id}_owner", placeholder=ui.tr_text("improve.metric_none"),
            )  # fmt: skip
            if st.form_submit_button(ui.tr("improve.save"), type="primary"):
                seen = _seen(action)
                values["unit"] = "" if not values["metric"] else act.METRICS[values["metric"]].unit
                _write(action.id, lambda s: act.update_action(s, viewer, action.id, seen, values))


def read_only_fields(action: act.Action) -> None:
    """The fields as text (a rep reading a pilot)."""
    unit = action["unit"]
    rows = [
        ("improve.area", action["area"]),
        ("improve.metric", metric_label(action["metric"])),
        ("improve.baseline", metric_value(action["baseline"], unit)),
        ("improve.target", metric_value(action["target"], unit)),
        ("improve.measures", action["measures"]),
        ("improve.owner_department", action["owner_department"]),
        ("improve.start_on", Locale.day(action["start_on"]) if action["start_on"] else "—"),
        ("improve.due_on", Locale.day(action["due_on"]) if action["due_on"] else "—"),
    ]
    for key, value in rows:
        st.markdown(f"**{ui.tr(key)}**: {ui.escape_markdown(value or '—', inline=True)}")


def pilots(action: act.Action) -> None:
    """The pilot teams: a picker for those who may change the action."""
    viewer = ui.viewer()
    teams = ui.cached(act.team_names)(viewer)
    if not action.editable:
        shown = _pilot_names(action.pilots, teams)
        st.markdown(
            f"**{ui.tr('improve.pilots')}**: {ui.escape_markdown(shown or '—', inline=True)}"
        )
        return
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    chosen = left.multiselect(
        ui.tr("improve.pilots"), list(teams), default=[t for t in action.pilots if t in teams],
        format_func=teams.__getitem__, key=f"imp_pilots_{action.id}",
        placeholder=ui.tr_text("improve.pilots"),
    )  # fmt: skip
    if right.button(ui.tr("improve.save_pilots"), key=f"imp_pilots_save_{action.id}"):
        seen = _seen(action)
        _write(action.id, lambda s: act.set_pilots(s, viewer, action.id, seen, tuple(chosen)))


def linked_practices(action: act.Action) -> None:
    """The best practices linked to the action, and linking one more."""
    viewer = ui.viewer()
    st.markdown(f"**{ui.tr('improve.practices')}**")
    linked = ui.cached(knowledge.practices_of_action)(viewer, action.id)
    if linked.empty:
        st.caption(ui.tr("improve.practices_none"))
    practice_links(linked)
    if not action.editable:
        return
    entries = ui.cached(knowledge.search_practices)("", "")
    options = {
        int(i): t
        for i, t in zip(entries["id"], entries["title"], strict=True)
        if int(i) not in set(linked["id"])
    }
    if not options:
        return
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    pick = left.selectbox(
        ui.tr("improve.link_practice"), list(options), index=None, format_func=options.__getitem__,
        key=f"imp_practice_{action.id}", placeholder=ui.tr_text("improve.pick_practice"),
    )  # fmt: skip
    if (
        right.button(ui.tr("improve.link"), key=f"imp_practice_link_{action.id}")
        and pick is not None
    ):
        _write(action.id, lambda s: knowledge.link_practice(s, viewer, action.id, pick))


def did_it_work(action_id: int) -> None:
    """Before vs after, pilots vs the rest, the DiD, a chart and the verdict in words."""
    viewer, today = ui.viewer(), ui.as_of()
    check = ui.cached(check_action)(viewer, action_id, today)
    if check.comparison is None:
        st.info(ui.tr(f"check.{check.verdict}"))
        return
    w, c, unit = check.windows, check.comparison, check.unit
    st.caption(
        ui.tr("check.windows", days=w.days, before_start=Locale.day(w.before_start),
              before_end=Locale.day(w.before_end), after_start=Locale.day(w.after_start),
              after_end=Locale.day(w.after_end))
    )  # fmt: skip
    values = {
        "metric": ui.tr_text(f"improve.metric.{check.metric}") + " ",
        "pilot_before": metric_value(c.pilot_before.value, unit),
        "pilot_after": metric_value(c.pilot_after.value, unit),
        "rest_before": metric_value(c.rest_before.value, unit),
        "rest_after": metric_value(c.rest_after.value, unit),
        "did": change_text(c.did, unit),
        "min": MIN_SAMPLE,
        "smallest": min(
            x.sample for x in (c.pilot_before, c.pilot_after, c.rest_before, c.rest_after)
        ),
    }
    text = ui.tr(f"check.verdict.{check.verdict}", **values)
    {"worked": st.success, "worse": st.error}.get(check.verdict, st.warning)(text)
    action = ui.cached(act.action_for)(viewer, action_id, today)
    if action["target"] is not None and c.pilot_after.value is not None:
        reached = target_reached(c.pilot_after.value, action["target"], check.lower_is_better)
        st.caption(
            ui.tr("check.target", target=metric_value(action["target"], unit),
                  value=values["pilot_after"], reached=ui.tr_text("check.reached" if reached else "check.not_reached"))
        )  # fmt: skip
    table = pd.DataFrame(
        {
            ui.tr_text("check.group"): [ui.tr_text("check.pilot"), ui.tr_text("check.rest")],
            ui.tr_text("check.before"): [values["pilot_before"], values["rest_before"]],
            ui.tr_text("check.after"): [values["pilot_after"], values["rest_after"]],
            ui.tr_text("check.change"): [change_text(c.pilot_change, unit), change_text(c.rest_change, unit)],
            ui.tr_text("check.sample_before"): [c.pilot_before.sample, c.rest_before.sample],
            ui.tr_text("check.sample_after"): [c.pilot_after.sample, c.rest_after.sample],
        }
    )  # fmt: skip
    left, right = st.columns([1, 1])
    left.dataframe(table, hide_index=True, key="imp_check_table")
    left.metric(ui.tr("check.did"), values["did"], help=ui.tr("check.did_help"))
    labels = {k: ui.tr_text(f"check.{k}") for k in ("pilot", "rest", "before", "after")}
    ui.plotly_chart(
        did_chart(c, unit, labels, ui.tr_text("check.chart_title")),
        where=right,
        key="imp_check_chart",
    )


def history(action_id: int) -> None:
    """The action's changes, newest first."""
    frame = ui.cached(act.action_history)(ui.viewer(), action_id)
    if frame.empty:
        st.caption(ui.tr("improve.history_empty"))
        return

    teams = ui.cached(act.team_names)(ui.viewer())

    def plain(text: str) -> str:
        return history_text(text, teams) if text else ""

    st.dataframe(
        pd.DataFrame(
            {
                ui.tr_text("improve.history.when"): frame["changed_at"].map(locale_for(ui.lang()).stamp),
                ui.tr_text("improve.history.who"): frame["actor"].fillna(""),
                ui.tr_text("improve.history.what"): frame["kind"].map(lambda k: ui.tr_text(f"improve.history.{k}")),
                ui.tr_text("improve.history.old"): frame["old_value"].map(plain),
                ui.tr_text("improve.history.new"): frame["new_value"].map(plain),
            }
        ),
        hide_index=True, key="imp_history",
    )  # fmt: skip


def history_text(text: str, teams: dict[int, str]) -> str:
    """A history entry's stored values (JSON) in words: field names and statuses
    translated, pilot teams by name, the source kind as read."""
    parts = []
    for field, value in json.loads(text).items():
        key = f"improve.{field}"
        label = ui.tr_text(key) if key in TRANSLATIONS else field
        if field == "status":
            value = ui.tr_text(f"improve.status.{value}")
        elif field == "pilots":
            value = _pilot_names(value, teams)
        elif field == "team_id":
            value = teams.get(value, "—")
        elif field == "metric":
            value = metric_label(value)
        elif field == "source":
            kind, _, ref = str(value).partition(":")
            # A deal's code or a form item names something a user knows; other references
            # are internal (a stage or metric code, a period and behaviour).
            shown = ref if kind in ("deal", "feedback_item") else ""
            value = ui.tr_text(f"improve.source.{kind}") + (f" {shown}" if shown else "")
        parts.append(f"{label}: {'—' if value in (None, '') else value}")
    return "; ".join(parts)
