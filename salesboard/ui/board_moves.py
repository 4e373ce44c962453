"""Moving a deal from the board: a "move" button on each card opens one dialog (target
stage, optional reason) that calls ``deals.moves.move_stage`` with the version the card was
drawn with, so the board obeys the same gate, version check and audit as the deal page. A
refusal shows the deal error's translated message (``deal.error.<code>``).

Buttons, not drag and drop: no maintained Streamlit component drags cards between columns
and reports the drop back with a deal's identity (see README, "Board")."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.deals.errors import DealError
from salesboard.deals.moves import move_stage
from salesboard.i18n import TRANSLATIONS

_MOVING = "_board_moving"


def _pick(code: str, version: int, stage: str) -> None:
    st.session_state[_MOVING] = (code, version, stage)


def _forget() -> None:
    st.session_state.pop(_MOVING, None)


def move_button(code: str, version: int, stage: str) -> None:
    """The card's "move" button: opens the move dialog for deal ``code`` as drawn
    (``version``) in column ``stage``."""
    st.button(
        ui.tr("board.move"),
        key=f"move_{code}",
        icon=":material/swap_horiz:",
        type="tertiary",
        on_click=_pick,
        args=(code, version, stage),
    )


def refusal_text(error: DealError) -> str:
    """A deal error in the user's language: its own message (``deal.error.<code>``), or the
    board's general refusal when the code has none."""
    key = f"deal.error.{error.code}"
    if key in TRANSLATIONS:
        return ui.tr(key, **error.params)
    return ui.tr("board.move_refused")


def move_dialog(stages: list[tuple[str, str]]) -> None:
    """The move dialog, when a card's button asked for it; ``stages`` are the board's
    (code, name) in order."""
    picked = st.session_state.get(_MOVING)  # kept until the move is done or dismissed
    if not picked:
        return
    code, version, current = picked

    @st.dialog(ui.tr_text("board.move_title", code=code), on_dismiss=_forget)
    def dialog() -> None:
        names = dict(stages)
        targets = [c for c in names if c != current]
        with st.form("board_move"):
            target = st.selectbox(
                ui.tr("board.move_to"), targets, format_func=names.__getitem__, key="move_to"
            )
            reason = st.text_area(ui.tr("board.move_reason"), key="move_reason", max_chars=500)
            if not st.form_submit_button(ui.tr("board.move_submit"), type="primary"):
                return
        try:
            with ui.writing() as session:
                move_stage(
                    session, ui.viewer(), code, target, seen_version=version, reason=reason,
                    on=ui.as_of(),
                )  # fmt: skip
        except DealError as error:
            st.error(refusal_text(error))
            return
        _forget()
        st.session_state["_board_moved"] = (code, target)
        st.rerun()

    dialog()


def moved_notice(stages: list[tuple[str, str]]) -> None:
    """ "XS… moved to 方案制定" once after a move."""
    moved = st.session_state.pop("_board_moved", None)
    if moved:
        code, stage = moved
        st.toast(ui.tr("board.moved", code=code, stage=dict(stages).get(stage, stage)))
