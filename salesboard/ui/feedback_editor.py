"""Streamlit side of the feedback form: pickers bound to the URL, the editable sections with
autosave on every change, the merge panel after a refused save, and the sign-off buttons.

How input is never lost: every ``st.data_editor`` has an ``on_change`` callback that applies
the editor's cumulative changes (``edited_rows`` / ``added_rows`` / ``deleted_rows``) to the
form body with ``feedback.form.apply_editor_changes`` and saves the draft with the version
this browser session loaded. A refresh or a new tab starts from the stored draft. A save
refused because someone else saved first keeps this user's body in the session and shows
both versions field by field to merge.
"""

from __future__ import annotations

import copy
import uuid
from datetime import date

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import PermissionDenied, Viewer
from salesboard.calendar.periods import recent_periods
from salesboard.feedback import report, store
from salesboard.feedback.config import load_config
from salesboard.feedback.form import (
    CAUSE_CATEGORIES,
    EDITABLE,
    GROWABLE,
    ITEM_STATUSES,
    MAX_TEXT,
    Change,
    Problem,
    apply_editor_changes,
    change_id,
    completion,
    diff_bodies,
    editor_rows,
    is_overridden,
    merge_bodies,
    merge_defaults,
    month_on_month,
    overrides,
    prefill_differs,
    refresh_prefill,
    to_display,
    weighted_completion,
    year_on_year,
)
from salesboard.i18n import format_percent, format_points
from salesboard.store.db import read_session

_FORMS = "fb_forms"  # session key: per form id, what this browser session holds


def _tr_status(status: str) -> str:
    return ui.tr(f"feedback.status.{status}")


# --- pickers ----------------------------------------------------------------------------------


def month_options(as_of: date, count: int = 13) -> list[str]:
    """Month labels, newest first: the current month and the ``count - 1`` before it."""
    return [p.label for p in recent_periods("month", as_of, count)]


def default_month(as_of: date) -> str:
    """The month a form is usually filled for: the previous one."""
    return month_options(as_of, 2)[1]


def pick_month(as_of: date, key: str = "period") -> str:
    """A month selectbox bound to ``?period=``."""
    options = month_options(as_of)
    initial = ui.url_choice(key, options, default_month(as_of))
    label = st.selectbox(ui.tr("feedback.month"), options, index=options.index(initial), key=key)
    st.query_params[key] = label
    return label


def pick_rep(reps: pd.DataFrame, viewer: Viewer, key: str = "rep") -> int | None:
    """The rep whose form to show, bound to ``?rep=<username>``; None when ``?rep=`` names
    someone the viewer may not see (they then see nothing at all)."""
    usernames = list(reps["username"])
    if not usernames:
        return None
    requested = st.query_params.get(key)
    if key not in st.session_state and requested and requested not in usernames:
        return None  # a colleague's form by URL: not found, without saying whose
    own = viewer.username if viewer.username in usernames else usernames[0]
    initial = ui.url_choice(key, usernames, own)
    if len(usernames) == 1:
        st.query_params[key] = usernames[0]
        return int(reps["id"].iloc[0])
    names = dict(
        zip(reps["username"], reps["display_name"] + " · " + reps["team"].fillna(""), strict=True)
    )
    username = st.selectbox(
        ui.tr("feedback.rep"),
        usernames,
        index=usernames.index(initial),
        key=key,
        format_func=names.__getitem__,
    )
    st.query_params[key] = username
    return int(reps.loc[reps["username"] == username, "id"].iloc[0])


# --- this browser session's copy of a form ----------------------------------------------------


def _fresh_state(form: store.FormView) -> dict:
    return {
        "version": form.version,
        "body": copy.deepcopy(form.body),
        "gen": uuid.uuid4().hex[:8],
        "bases": {s: copy.deepcopy(form.body[s]) for s in GROWABLE},
        "problems": {},
        "conflict": None,
        "saved_at": None,
    }


def form_state(form: store.FormView) -> dict:
    """What this session holds for ``form``; reloaded when someone else saved meanwhile and
    nothing of ours is waiting to be merged."""
    states = st.session_state.setdefault(_FORMS, {})
    state = states.get(form.id)
    if state is None:
        state = states[form.id] = _fresh_state(form)
    elif state["version"] != form.version and not state["conflict"]:
        moved = state["version"] < form.version
        state = states[form.id] = _fresh_state(form)
        if moved:
            state["notice"] = ui.tr(
                "feedback.reloaded",
                name=form.updated_by_name,
                time=_local_time(form.updated_at),
                version=form.version,
            )
    return state


def _local_time(stamp) -> str:
    if stamp is None:
        return "—"
    return stamp.astimezone().strftime("%Y-%m-%d %H:%M")


def _widget_key(section: str, form_id: int, state: dict) -> str:
    return f"fb_{section}_{form_id}_{state['gen']}"


def _save(form_id: int, state: dict, body: dict) -> None:
    """Save ``body`` as the draft at the version this session holds; on a conflict keep
    ``body`` for the merge panel."""
    viewer = ui.viewer()
    try:
        with ui.writing() as session:
            saved = store.save_draft(session, viewer, form_id, state["version"], body)
    except store.StaleForm as stale:
        # "base": the version this user loaded, for the three-way merge suggestion.
        state["conflict"] = {"theirs": stale.current, "mine": body, "base": state["body"]}
        return
    except store.FormError as error:
        state["error"] = ui.tr(f"feedback.error.{error.code}") + f" ({error})"
        return
    except PermissionDenied:
        state["error"] = ui.tr("feedback.error.permission")
        return
    state.update(version=saved.version, body=saved.body, saved_at=saved.updated_at)


def _on_edit(section: str, form_id: int) -> None:
    state = st.session_state[_FORMS][form_id]
    changes = st.session_state.get(_widget_key(section, form_id, state)) or {}
    base = state["bases"][section] if section in GROWABLE else state["body"][section]
    rows, problems = apply_editor_changes(section, base, dict(changes), key_prefix=state["gen"])
    state["problems"][section] = problems
    state.pop("error", None)
    if state["conflict"]:
        state["conflict"]["mine"] = {**state["conflict"]["mine"], section: rows}
        return
    if rows != state["body"][section]:
        _save(form_id, state, {**state["body"], section: rows})


# --- rendering the sections -------------------------------------------------------------------


def _change_text(row: dict, value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) < 1e-9:
        return ui.tr("feedback.flat")
    return format_points(value) if row.get("kind") == "rate" else f"{value * 100:+.1f}%"


def _unit(row: dict) -> str:
    return ui.tr(f"feedback.unit.{row.get('kind', 'count')}")


def metric_label(row: dict) -> str:
    """The metric's name with its unit, e.g. "销售额（万元）"."""
    code = row["code"]
    name = ui.tr(f"feedback.metric.{code}")
    return f"{name}（{_unit(row)}）" if ui.lang() == "zh" else f"{name} ({_unit(row)})"


def _fixed(row: dict, value) -> str:
    """A read-only number in the editor's unit ("—" when missing)."""
    shown = to_display(row.get("kind", "count"), value)
    if shown is None:
        return "—"
    return f"{shown:,.0f}" if row.get("kind") == "count" and shown.is_integer() else f"{shown:,.2f}"


def kpi_frame(rows: list[dict]) -> pd.DataFrame:
    """The KPI table as the editor shows it (display units, derived columns as text)."""
    shown = editor_rows("kpis", rows)
    return pd.DataFrame(
        {
            "category": [ui.tr(f"feedback.category.{r['category']}") for r in rows],
            "metric": [metric_label(r) for r in rows],
            "target": [_fixed(r, r.get("target")) for r in rows],
            "prefilled": [_fixed(r, r.get("prefilled")) for r in rows],
            "actual": pd.array([s["actual"] for s in shown], dtype="Float64"),
            "flag": ["✎" if is_overridden(r) else "" for r in rows],
            "completion": [format_percent(completion(r)) for r in rows],
            "mom": [_change_text(r, month_on_month(r)) for r in rows],
            "yoy": [_change_text(r, year_on_year(r)) for r in rows],
            "reason": [r.get("reason") or "" for r in rows],
            "override_reason": [r.get("override_reason") or "" for r in rows],
        }
    )


def _text_frame(section: str, rows: list[dict]) -> pd.DataFrame:
    columns = list(EDITABLE[section])
    if section == "carried":
        columns = ["period", "problem", "measure", "owner", "due_on", *columns]
    data = {}
    for name in columns:
        values = [r.get(name) for r in rows]
        if name in ("date", "due_on", "checkpoint_on"):
            data[name] = pd.Series(
                [date.fromisoformat(v) if isinstance(v, str) and v else None for v in values],
                dtype="object",
            )
        else:
            data[name] = pd.Series(["" if v is None else v for v in values], dtype="object")
    return pd.DataFrame(data, columns=columns)


def _column_config(section: str) -> dict:
    col = st.column_config
    label = lambda name: ui.tr(f"feedback.col.{name}")  # noqa: E731
    # One character over the limit: the grid cuts a huge paste there (drawing 10 MB in a
    # cell would hang the browser) and the save refuses it with the limit named.
    text = {"max_chars": MAX_TEXT + 1}
    config = {name: col.TextColumn(label(name), **text) for name in EDITABLE[section]}
    if section == "kpis":
        return {
            "category": col.TextColumn(label("category"), width=64),
            "metric": col.TextColumn(label("metric"), width=130),
            "target": col.TextColumn(label("target"), width=64),
            "prefilled": col.TextColumn(label("prefilled"), width=64, help=ui.tr("feedback.help.prefilled")),
            "actual": col.NumberColumn(label("actual"), width=72, format="%.2f", help=ui.tr("feedback.help.actual")),
            "flag": col.TextColumn("✎", width=32, help=ui.tr("feedback.flag.overridden")),
            "completion": col.TextColumn(label("completion"), width=64),
            "mom": col.TextColumn(label("mom"), width=64),
            "yoy": col.TextColumn(label("yoy"), width=64),
            "reason": col.TextColumn(label("reason"), width=170, help=ui.tr("feedback.help.reason"), **text),
            "override_reason": col.TextColumn(label("override_reason"), width=140, **text),
        }  # fmt: skip
    for name in ("date", "due_on", "checkpoint_on"):
        if name in config or section == "carried" and name == "due_on":
            config[name] = col.DateColumn(label(name), format="YYYY-MM-DD")
    if "cause_category" in config:
        config["cause_category"] = col.SelectboxColumn(
            label("cause_category"),
            options=list(CAUSE_CATEGORIES),
            format_func=lambda c: ui.tr(f"feedback.cause.{c}"),
        )
    if "status" in config:
        config["status"] = col.SelectboxColumn(
            label("status"),
            options=list(ITEM_STATUSES),
            format_func=lambda s: ui.tr(f"feedback.item.{s}"),
            required=True,
        )
    if section == "carried":
        for name in ("period", "problem", "measure", "owner"):
            config[name] = col.TextColumn(label(name))
        config["note"] = col.TextColumn(label("note"), **text)
    return config


def section_editor(section: str, form: store.FormView, state: dict, editable: bool) -> None:
    """One section of the form as an editor (or a read-only table when locked)."""
    rows = state["bases"][section] if section in GROWABLE else state["body"][section]
    frame = kpi_frame(rows) if section == "kpis" else _text_frame(section, rows)
    config = _column_config(section)
    if not editable:
        shown = state["body"][section]
        frame = kpi_frame(shown) if section == "kpis" else _text_frame(section, shown)
        if section == "kpis":
            frame["actual"] = [_fixed(r, r.get("actual")) for r in shown]
            config["actual"] = st.column_config.TextColumn(ui.tr("feedback.col.actual"), width=80)
        st.dataframe(frame, column_config=config, hide_index=True, width="stretch")
        return
    disabled = [c for c in frame.columns if c not in EDITABLE[section]]
    st.data_editor(
        frame,
        column_config=config,
        disabled=disabled,
        hide_index=True,
        width="stretch",
        num_rows="dynamic" if section in GROWABLE else "fixed",
        key=_widget_key(section, form.id, state),
        on_change=_on_edit,
        args=(section, form.id),
    )


def problem_lines(problems: list[Problem], body: dict) -> list[str]:
    """Each problem as a sentence naming the section, row and field."""
    lines = []
    for p in problems:
        row = ""
        if p.section == "kpis" and 0 < p.row <= len(body["kpis"]):
            row = ui.tr(f"feedback.metric.{body['kpis'][p.row - 1]['code']}")
        elif p.row:
            row = ui.tr("feedback.row", row=p.row)
        values = {k: (format_percent(v) if k == "threshold" else v) for k, v in p.params.items()}
        values = {"limit": "", "length": "", "end": "", "threshold": "", **values}
        message = ui.tr(f"feedback.problem.{p.code}", **values)
        field = ui.tr(f"feedback.col.{p.field}") if p.field else ""
        lines.append(
            ui.tr("feedback.problem_line", section=ui.tr(f"feedback.section.{p.section}"),
                  row=row, field=field, message=message)
        )  # fmt: skip
    return lines


def show_problems(problems: list[Problem], body: dict, *, blocking: bool = False) -> None:
    """List problems in one message box (an error when they block submission)."""
    if not problems:
        return
    text = "\n".join(f"- {line}" for line in problem_lines(problems, body))
    (st.error if blocking else st.warning)(
        ui.tr("feedback.blocking" if blocking else "feedback.not_saved") + "\n\n" + text
    )


# --- the merge panel ----------------------------------------------------------------------------


def _field_label(change: Change, body: dict) -> str:
    row = change.row
    if change.section == "kpis":
        row = ui.tr(f"feedback.metric.{change.row}")
    elif change.section == "items":
        match = next((r for r in body["items"] if str(r.get("key")) == change.row), None)
        row = (match or {}).get("problem") or change.row
    return f"{ui.tr(f'feedback.section.{change.section}')} · {row} · {ui.tr(f'feedback.col.{change.field}')}"


def _value_text(change: Change, value) -> str:
    if value is None or value == "":
        return "—"
    if change.section == "kpis" and change.field == "actual":
        return str(value)
    return str(value)[:200]


def conflict_panel(form_id: int, state: dict) -> bool:
    """When a save was refused: both versions field by field and a merge; True while shown."""
    conflict = state["conflict"]
    if not conflict:
        return False
    theirs: store.FormView = conflict["theirs"]
    mine = conflict["mine"]
    st.error(
        ui.tr(
            "feedback.conflict",
            name=theirs.updated_by_name or "—",
            time=_local_time(theirs.updated_at),
        )
    )
    changes = diff_bodies(theirs.body, mine)
    suggested, both = merge_defaults(conflict.get("base", theirs.body), theirs.body, mine)
    keep = set()
    with st.container(border=True):
        st.markdown(f"**{ui.tr('feedback.merge.title')}**")
        for change in changes:
            cid = change_id(change)
            st.markdown(
                f"**{ui.escape_markdown(_field_label(change, {**theirs.body, 'items': mine['items'] + theirs.body['items']}))}**"
            )
            left, right, choice = st.columns([3, 3, 2])
            left.caption(ui.tr("feedback.merge.theirs"))
            left.write(ui.escape_markdown(_value_text(change, change.old)))
            right.caption(ui.tr("feedback.merge.mine"))
            right.write(ui.escape_markdown(_value_text(change, change.new)))
            picked = choice.radio(
                cid, ["mine", "theirs"], key=f"fb_merge_{form_id}_{theirs.version}_{cid}",
                index=0 if cid in suggested else 1,
                format_func=lambda o: ui.tr(f"feedback.merge.take_{o}"), label_visibility="collapsed",
            )  # fmt: skip
            if picked == "mine":
                keep.add(cid)
        if not changes:
            st.caption(ui.tr("feedback.merge.same"))
        save, drop = st.columns(2)
        if save.button(
            ui.tr("feedback.merge.save"), type="primary", key=f"fb_merge_save_{form_id}"
        ):
            merged = merge_bodies(theirs.body, mine, keep)
            state.update(conflict=None, version=theirs.version, body=theirs.body)
            _save(form_id, state, merged)
            _reset_editors(form_id, state)
            st.rerun()
        if drop.button(ui.tr("feedback.merge.discard"), key=f"fb_merge_drop_{form_id}"):
            st.session_state[_FORMS].pop(form_id, None)
            st.rerun()
    return True


def _reset_editors(form_id: int, state: dict) -> None:
    state["gen"] = uuid.uuid4().hex[:8]
    state["bases"] = {s: copy.deepcopy(state["body"][s]) for s in GROWABLE}
    state["problems"] = {}


def reload_state(form_id: int, form: store.FormView) -> None:
    """Drop what this session holds for the form (after a transition or a refresh)."""
    st.session_state.setdefault(_FORMS, {})[form_id] = _fresh_state(form)


# --- loading, header, sign-off and the workflow buttons -------------------------------------------


def load_form(viewer: Viewer, rep_id: int, period: str) -> store.FormView | None:
    """The newest revision of the rep's form, read fresh (never cached: the version matters)."""

    with read_session(ui.engine()) as session:
        return store.find_form(session, viewer, rep_id, period)


def start_panel(viewer: Viewer, rep_id: int, period: str, rep_name: str) -> None:
    """No form yet: say so, and let the rep (or their manager / an admin) start it."""
    st.info(ui.tr("feedback.not_started", rep=rep_name, period=period))
    if viewer.role == "leader":
        return
    if st.button(
        ui.tr("feedback.start"), type="primary", key="fb_start", help=ui.tr("feedback.start_help")
    ):
        try:
            with ui.writing() as session:
                store.start_form(session, viewer, rep_id, period)
        except (PermissionDenied, store.FormError):
            st.error(ui.tr("feedback.error.permission"))
            return
        st.rerun()


def may_edit(viewer: Viewer, form: store.FormView) -> bool:
    """The rep (or an admin) edits the newest revision while it is a draft or returned."""
    own = viewer.role == "rep" and viewer.user_id == form.rep_id
    return (own or viewer.is_admin) and not form.locked and form.is_latest


def may_review(viewer: Viewer, form: store.FormView) -> bool:
    """The rep's manager (or an admin) confirms or returns a submitted form."""
    if viewer.user_id == form.rep_id:
        return False
    return viewer.is_admin or (viewer.role == "manager" and form.team_id in viewer.team_ids)


_STATUS_COLOURS = {"draft": "gray", "submitted": "blue", "confirmed": "green", "returned": "orange"}


def header(form: store.FormView, state: dict) -> None:
    """The form's basic information (基本信息) and where it stands."""
    cells = [
        ("feedback.header.period", form.period),
        ("feedback.header.team", form.team_name or "—"),
        ("feedback.header.manager", form.manager_name or "—"),
        ("feedback.header.rep", form.rep_name),
        ("feedback.header.filled_on", _local_time(form.created_at)[:10]),
    ]
    columns = st.columns([1, 1.3, 1, 1, 1, 1.6])
    for column, (key, value) in zip(columns, cells, strict=False):
        column.caption(ui.tr(key))
        column.markdown(f"**{ui.escape_markdown(value)}**")
    with columns[-1]:
        st.caption(ui.tr("feedback.header.status"))
        st.badge(
            _tr_status(form.status)
            + (
                f" · {ui.tr('feedback.revision', revision=form.revision)}"
                if form.revision > 1
                else ""
            ),
            color=_STATUS_COLOURS.get(form.status, "gray"),
        )
    saved = state.get("saved_at") or form.updated_at
    st.caption(
        ui.tr("feedback.saved_line", version=state["version"], name=form.updated_by_name or "—",
              time=_local_time(saved))
    )  # fmt: skip


def signoff(form: store.FormView) -> None:
    """The seed's signatures: who submitted and who confirmed, with the dates."""
    st.subheader(ui.tr("feedback.section.signoff"))
    rep, manager = st.columns(2)
    rep.markdown(
        ui.tr("feedback.sign.rep", name=form.submitted_by_name or "______",
              time=_local_time(form.submitted_at))
    )  # fmt: skip
    manager.markdown(
        ui.tr("feedback.sign.manager", name=form.confirmed_by_name or "______",
              time=_local_time(form.confirmed_at))
    )  # fmt: skip
    if form.submissions > 1:
        rep.caption(ui.tr("feedback.resubmitted", count=form.submissions))
    if form.return_comment and form.status in ("returned", "submitted"):
        st.warning(
            ui.tr(
                "feedback.returned_comment",
                name=form.returned_by_name,
                time=_local_time(form.returned_at),
            )
            + f"\n\n> {form.return_comment}"
        )


def overrides_panel(form: store.FormView) -> None:
    """Actuals changed by hand, with the computed value and the reason (data authenticity)."""

    rows = overrides(form.body)
    if not rows:
        st.caption(ui.tr("feedback.no_overrides"))
        return
    st.warning(ui.tr("feedback.overrides_title", count=len(rows)))
    st.dataframe(
        pd.DataFrame(
            {
                ui.tr("feedback.col.metric"): [ui.tr(f"feedback.metric.{r['code']}") for r in rows],
                ui.tr("feedback.col.unit"): [_unit(r) for r in rows],
                ui.tr("feedback.col.prefilled"): [
                    to_display(r["kind"], r.get("prefilled")) for r in rows
                ],
                ui.tr("feedback.col.actual"): [
                    to_display(r["kind"], r.get("actual")) for r in rows
                ],
                ui.tr("feedback.col.override_reason"): [
                    r.get("override_reason") or "—" for r in rows
                ],
            }
        ),
        hide_index=True,
    )


def _run(action, *args) -> store.FormView | None:
    """Run a workflow step; show why it was refused instead of raising."""
    viewer = ui.viewer()
    try:
        with ui.writing() as session:
            return action(session, viewer, *args)
    except store.StaleForm as stale:
        st.error(
            ui.tr("feedback.stale_action", name=stale.current.updated_by_name,
                  time=_local_time(stale.current.updated_at))
        )  # fmt: skip
    except store.FormError as error:
        if error.code == "invalid":
            st.session_state["fb_submit_problems"] = error.problems
        else:
            st.error(ui.tr(f"feedback.error.{error.code}"))
    except PermissionDenied:
        st.error(ui.tr("feedback.error.permission"))
    return None


def workflow_buttons(viewer: Viewer, form: store.FormView, state: dict) -> None:
    """Submit (rep), confirm / return (manager), amend (confirmed forms)."""
    if may_edit(viewer, form):
        problems = st.session_state.pop("fb_submit_problems", None)
        if st.button(ui.tr("feedback.submit"), type="primary", key="fb_submit"):
            done = _run(store.submit, form.id, state["version"])
            if done is not None:
                reload_state(form.id, done)
                st.session_state["fb_flash"] = ui.tr("feedback.submitted_ok")
                st.rerun()
            problems = st.session_state.pop("fb_submit_problems", None)
        if problems:
            show_problems(problems, state["body"], blocking=True)
    if form.status == "submitted" and may_review(viewer, form):
        st.subheader(ui.tr("feedback.review"))
        overrides_panel(form)
        comment = st.text_area(
            ui.tr("feedback.return_comment"), key=f"fb_comment_{form.id}", max_chars=2000
        )
        confirm, give_back = st.columns(2)
        if confirm.button(ui.tr("feedback.confirm"), type="primary", key="fb_confirm"):
            if _run(store.confirm, form.id, form.version) is not None:
                st.session_state["fb_flash"] = ui.tr("feedback.confirmed_ok")
                st.rerun()
        if give_back.button(ui.tr("feedback.return"), key="fb_return"):
            if _run(store.return_form, form.id, form.version, comment) is not None:
                st.session_state["fb_flash"] = ui.tr("feedback.returned_ok")
                st.rerun()
    own = viewer.user_id == form.rep_id
    if form.status == "confirmed" and form.is_latest and (own or may_review(viewer, form)):
        if viewer.role != "leader" and st.button(
            ui.tr("feedback.amend"), key="fb_amend", help=ui.tr("feedback.amend_help")
        ):
            if _run(store.amend, form.id) is not None:
                st.rerun()


def amendment_panel(viewer: Viewer, form: store.FormView) -> None:
    """For an amendment: what differs from the confirmed revision it amends."""
    if form.revision <= 1:
        return

    with read_session(ui.engine()) as session:
        changes = store.amendment_diff(session, viewer, form)
    with st.expander(
        ui.tr("feedback.diff_title", revision=form.revision - 1, count=len(changes)), expanded=True
    ):
        if not changes:
            st.caption(ui.tr("feedback.merge.same"))
            return
        st.dataframe(
            pd.DataFrame(
                {
                    ui.tr("feedback.diff.field"): [_field_label(c, form.body) for c in changes],
                    ui.tr("feedback.diff.before"): [_value_text(c, c.old) for c in changes],
                    ui.tr("feedback.diff.after"): [_value_text(c, c.new) for c in changes],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def refresh_panel(form: store.FormView, state: dict, period) -> None:
    """Offer to take the store's newest figures when they moved since the prefill."""

    fresh = ui.cached(store.prefill_kpis)(form.rep_id, period)
    if not prefill_differs(state["body"], fresh):
        return
    left, right = st.columns([4, 1])
    left.info(ui.tr("feedback.refresh_info"))
    if right.button(ui.tr("feedback.refresh"), key="fb_refresh"):
        _save(form.id, state, refresh_prefill(state["body"], fresh))
        _reset_editors(form.id, state)
        st.rerun()


def render_sections(viewer: Viewer, form: store.FormView, state: dict) -> None:
    """The four sections of the form, editable or read-only."""

    editable = may_edit(viewer, form)
    threshold = ui.cached(load_config)().threshold
    for section in ("kpis", "carried", "actions", "items"):
        if section == "carried" and not state["body"]["carried"]:
            continue
        st.subheader(ui.tr(f"feedback.section.{section}"))
        if section == "kpis":
            score = weighted_completion(state["body"]["kpis"])
            st.caption(
                ui.tr("feedback.kpis_caption", score=format_percent(score),
                      threshold=format_percent(threshold))
            )  # fmt: skip
        elif editable:  # how to edit: only for the one who edits
            st.caption(ui.tr(f"feedback.caption.{section}"))
        section_editor(section, form, state, editable)
        show_problems(state["problems"].get(section, []), state["body"])


def downloads(form: store.FormView) -> None:
    """Download the form as printable HTML, XLSX (the seed's layout) and JSON."""

    lang = ui.lang()
    name = f"feedback_{form.period}_{form.rep_name}_r{form.revision}"
    columns = st.columns(3)
    kinds = (
        ("html", "text/html"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("json", "application/json"),
    )
    for column, (fmt, mime) in zip(columns, kinds, strict=True):
        column.download_button(
            ui.tr(f"feedback.download.{fmt}"),
            data=lambda fmt=fmt: report.form_bytes(form, fmt, lang),
            file_name=f"{name}.{fmt}",
            mime=mime,
            key=f"fb_download_{fmt}",
            on_click="ignore",
        )
