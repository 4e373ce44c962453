"""What the tabs of the goal setup page share: the period picker (coming periods included,
in the URL), writing with the outcome shown (an error naming the field, or a success
message that survives the rerun), the period's goals or a note that there are none, and
the labels of goals and people in select boxes."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import PermissionDenied, Viewer
from salesboard.calendar.periods import Period
from salesboard.goals import planning, present
from salesboard.goals.validation import GoalError

MESSAGE_KEY = "goal_settings_message"


def show_error(error: Exception) -> None:
    """Show a goal rule's message naming the field, or "access denied"; anything else is a
    bug and raised."""
    if isinstance(error, GoalError):
        st.error(ui.escape_markdown(present.error_text(error, ui.lang())))
    elif isinstance(error, PermissionDenied):
        st.error(ui.tr("access.denied"))
    else:
        raise error


def write_and_report(action: Callable, success: str) -> bool:
    """Run ``action(session)`` in one write transaction; show the outcome."""
    try:
        with ui.writing() as session:
            action(session)
    except (GoalError, PermissionDenied) as error:
        show_error(error)
        return False
    st.session_state[MESSAGE_KEY] = success
    return True


def flash() -> None:
    """Show the last write's success message once (it survives the rerun after a write)."""
    message = st.session_state.pop(MESSAGE_KEY, None)
    if message:
        st.success(ui.escape_markdown(message))


def period_picker() -> Period:
    """Month / quarter / year including the coming periods (to plan ahead), in the URL
    (``?plan_kind=quarter&plan_quarter=2027Q1``); starts on the current period."""
    today = ui.as_of()
    return ui.period_picker(
        "plan",
        periods_of=lambda kind: planning.planning_periods(kind, today),
        default_of=lambda periods: next(p for p in periods if p.contains(today)),
    )


def goals_or_note(viewer: Viewer, period: Period, metric: str) -> pd.DataFrame | None:
    """The period's goals, or None after saying there are none yet and how to start."""
    table = ui.cached(planning.goal_table)(viewer, period.label, metric)
    if table.empty:
        st.info(ui.tr("goals.settings.none", period=period.label))
        return None
    return table


def tree_labels(table: pd.DataFrame, lang: str, keep=None) -> dict[int, str]:
    """Goal id → its name indented by level (for select boxes), optionally only the rows
    ``keep(table)`` (a boolean mask) marks — column-wise: a company's tree is hundreds of
    goals, labelled on every rerun of four tabs."""
    rows = table if keep is None else table[keep(table)]
    return {
        int(i): "　" * int(d) + str(n)
        for i, d, n in zip(rows["id"], rows["depth"], rows[f"name_{lang}"], strict=True)
    }


def people_labels(people: pd.DataFrame) -> dict[int, str]:
    """User id → "display name (username)" for owner select boxes."""
    lang = ui.lang()  # once: each call reads the URL (hundreds of reps a rerun)
    return {
        int(r.id): present.with_unit(r.display_name, r.username, lang)
        for r in people.itertuples(index=False)
    }
