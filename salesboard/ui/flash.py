"""A form's write and its outcome: run the write in one write session; on success keep the
translated message for the next render and rerun (the page then shows fresh data and the
message once); on a refusal show why where the form is — nothing was written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from salesboard import ui


def write_then_rerun(
    write: Callable[[Any], Any],
    done: str | Callable[[Any], str],
    *,
    flash_key: str,
    refused: tuple[type[Exception], ...],
    refusal: Callable[[Exception], str],
    after: Callable[[], None] | None = None,
) -> bool:
    """Run ``write(session)``; on success store ``done`` (or ``done(result)``) under
    ``flash_key``, call ``after`` (the caller's own clean-up) and rerun; an error of a
    ``refused`` type is shown as ``refusal(error)`` and False returned."""
    try:
        with ui.writing() as session:
            result = write(session)
    except refused as error:
        st.error(refusal(error), icon=":material/block:")
        return False
    st.session_state[flash_key] = done(result) if callable(done) else done
    if after is not None:
        after()
    st.rerun()
    return True


def show_flash(flash_key: str) -> None:
    """The outcome kept under ``flash_key``, once."""
    message = st.session_state.pop(flash_key, None)
    if message:
        st.success(message, icon=":material/check_circle:")
