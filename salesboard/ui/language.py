"""The user's language: the sidebar switch (kept in ``?lang=``) and ``tr`` for labels."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from salesboard.i18n import LANGUAGE_NAMES, LANGUAGES, t
from salesboard.store.settings import Settings
from salesboard.ui.markdown import Markdown, escape_markdown
from salesboard.ui.url_state import mirror_to_url, url_choice

LANG_KEY = "lang"


def lang() -> str:
    """The UI language the user chose ("zh" or "en"), defaulting to the configured one."""
    return url_choice(LANG_KEY, list(LANGUAGES), _default_language)


def _default_language() -> str:
    configured = Settings().default_language
    return configured if configured in LANGUAGES else "zh"


def tr(key: str, **values: object) -> Markdown:
    """Translate ``key`` into the user's language, as Markdown: text values are escaped
    (they are names, codes, file names … that users typed), ``Markdown`` values are kept."""
    escaped = {
        k: escape_markdown(v, inline=True) if isinstance(v, str) else v for k, v in values.items()
    }
    return Markdown(t(key, lang(), **escaped))


def tr_text(key: str, **values: object) -> str:
    """``key`` in the user's language as plain text, for places that show no Markdown
    (select box options, table headers, code blocks, file names)."""
    return t(key, lang(), **values)


def language_switch() -> None:
    """Sidebar switch 中文 / English, kept in ``?lang=`` so a shared link keeps the language."""
    initial = url_choice(LANG_KEY, list(LANGUAGES), _default_language)
    # A constant, bilingual label: a widget whose label changes gets a new identity and
    # would drop the value the user just picked.
    st.sidebar.radio(
        "语言 / Language",
        LANGUAGES,
        index=LANGUAGES.index(initial),
        key=LANG_KEY,
        format_func=LANGUAGE_NAMES.__getitem__,
        horizontal=True,
        on_change=_relabel_choices,
    )
    mirror_to_url(LANG_KEY, st.session_state[LANG_KEY])


def _relabel_choices() -> None:
    """Callback of the switch: hand every chosen code back to its widget, so the widget shows
    it in the new language. A select box or segmented control keeps the *label* of its choice
    in the browser; after a switch that label matches none of the new labels, and Streamlit
    either handed the old label to the page as the value or kept showing it (a Chinese
    "销售额" on the English page). A value set through the session state is sent to the
    browser afresh, through the widget's new ``format_func``."""
    for key in list(st.session_state):
        value = st.session_state[key]
        if key == LANG_KEY or not _is_choice(value):
            continue
        try:
            st.session_state[key] = value
        except StreamlitAPIException:  # a widget whose value cannot be set (none expected)
            pass


def _is_choice(value: object) -> bool:
    """A code or codes a choice widget holds: text or a number (not a flag, file or table),
    or a list of them."""
    if isinstance(value, list | tuple):
        return bool(value) and all(_is_choice(v) for v in value)
    return isinstance(value, str | int) and not isinstance(value, bool)
