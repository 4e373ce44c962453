"""No page shows a user a traceback: an unexpected error is logged with its traceback under a
short error id, and the user reads a translated message naming that id (what an
administrator searches the log for). Streamlit's own error box is switched off as well
(``client.showErrorDetails = "none"`` in ``.streamlit/config.toml`` and in the serve command).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from salesboard.ui.language import tr

LOG = logging.getLogger("salesboard.ui")


def new_error_id() -> str:
    """A short id for one error, easy to read out over the phone ("E-3f9a12")."""
    return f"E-{secrets.token_hex(3)}"


def report_error(exc: BaseException, *, message_key: str = "error.unexpected") -> str:
    """Log ``exc`` with its traceback under a new error id and show the user the translated
    message ``message_key`` (which names the id); returns the id."""
    error_id = new_error_id()
    LOG.error("%s: %s", error_id, type(exc).__name__, exc_info=exc)
    try:
        text = tr(message_key, id=error_id)
    except Exception:  # the language itself failed: still no traceback on screen
        text = f"出错了 / Something went wrong ({error_id})"
    st.error(text, icon=":material/error:")
    return error_id


def refuse(exc: Exception, message_key: str, **values: object) -> None:
    """A change the domain refused (a ``ValueError`` with an English reason, written for
    the log): the user reads ``message_key`` in their language, never the exception's text;
    the reason goes to the log."""
    LOG.warning("refused (%s): %s", message_key, exc)
    st.error(tr(message_key, **values))


@contextmanager
def error_boundary() -> Iterator[None]:
    """Around a page run: an exception ends the page with ``report_error`` instead of a
    traceback. ``st.stop``/``st.rerun`` pass through (they are not ``Exception``)."""
    try:
        yield
    except Exception as exc:  # the last line of defence; logged with the traceback
        report_error(exc)


def on_script_error(exc: Exception) -> bool:
    """``st.App``'s hook for what ``error_boundary`` cannot catch (widget callbacks run
    before the script): the same message and log line; True hides Streamlit's own box."""
    report_error(exc)
    return True
