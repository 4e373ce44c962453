"""The deal page's plumbing for writes: the version the page was opened at (pinned per deal,
so a second tab's stale write is refused), running a write and showing its outcome, and
translating a refusal (``DealError``) into the field's message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from salesboard import ui
from salesboard.deals.attachments import AttachmentRefused
from salesboard.deals.errors import DealError
from salesboard.pipeline.opportunity import OpportunityCard
from salesboard.ui import flash
from salesboard.ui.flash import write_then_rerun

_SEEN = "deal_seen_version"
_FLASH = "deal_flash"
_GENERATION = "deal_write_generation"


def generation() -> int:
    """How many writes this session made: part of a file picker's key, so a file picked for
    one save is gone from the next form (the browser keeps a picker's files otherwise)."""
    return st.session_state.get(_GENERATION, 0)


def seen_version(card: OpportunityCard) -> int:
    """The version of ``card`` this session opened (pinned until its own write or a
    reload): a write made from a page opened before someone else's change is refused."""
    pinned = st.session_state.setdefault(_SEEN, {})
    return pinned.setdefault(card.code, card.version)


def forget_version(code: str) -> None:
    """Show the deal as it is now: the next render pins its current version."""
    st.session_state.setdefault(_SEEN, {}).pop(code, None)


def stale_notice(card: OpportunityCard) -> None:
    """Warn when the deal changed since this page opened it, with a reload button."""
    if seen_version(card) == card.version:
        return
    st.warning(ui.tr("deal.error.conflict", code=card.code), icon=":material/sync_problem:")
    if st.button(ui.tr("deal.reload"), key="deal_reload", icon=":material/refresh:"):
        forget_version(card.code)
        st.rerun()


def refusal(error: DealError | AttachmentRefused) -> str:
    """A refused write in the user's language (user-typed values escaped)."""
    if isinstance(error, AttachmentRefused):
        values = {k: v if isinstance(v, int) else str(v) for k, v in error.params.items()}
        return ui.tr(f"attachment.error.{error.code}", **values)
    params = {
        k: v if isinstance(v, int) else str(v) for k, v in error.params_for(ui.lang()).items()
    }
    return ui.tr(f"deal.error.{error.code}", **params)


def run_write(
    card: OpportunityCard | None,
    write: Callable[[Any], Any],
    done: str | Callable[[Any], str],
    reset: tuple[str, ...] = (),
) -> None:
    """Run ``write(session)`` in a write session; on success remember ``done`` (a translated
    message, or a function of the write's result giving one) for the next render, re-pin the
    deal's version and rerun; a refusal is shown where the form is and nothing is written.
    The widgets keyed in ``reset`` start empty after a success (a file picked for one key
    action is not attached again with the next); after a refusal they keep what was typed."""

    def after() -> None:
        if card is not None:
            forget_version(card.code)
        for key in reset:
            st.session_state.pop(key, None)
        st.session_state[_GENERATION] = generation() + 1

    write_then_rerun(write, done, flash_key=_FLASH, refused=(DealError, AttachmentRefused),
                     refusal=refusal, after=after)  # fmt: skip


def show_flash() -> None:
    """The outcome of the last write, once."""
    flash.show_flash(_FLASH)
