"""Widgets of the deals list: the search box and the pager, both kept in the URL (``?q=``,
``?page=``), so a link reopens the same page of the same search."""

from __future__ import annotations

from collections.abc import Hashable

import streamlit as st

from salesboard import ui

PAGE_KEY = "page"
_SIGNATURE = "_deals_view_signature"


def search_box(key: str, label: str, placeholder: str) -> str:
    """A text box bound to ``?key=``: starts from the URL, writes what is typed back."""
    value = st.text_input(
        label,
        value=st.session_state.get(key, st.query_params.get(key, "")),
        key=key,
        placeholder=placeholder,
        max_chars=100,
    )
    ui.mirror_to_url(key, value.strip())
    return value.strip()


def _url_page() -> int:
    try:
        return max(1, int(st.query_params.get(PAGE_KEY, "1")))
    except ValueError:
        return 1


def page_number(signature: Hashable) -> int:
    """The page the URL asks for; back to the first when the search (``signature``: the
    text, choices and filters) changed since the last run."""
    before = st.session_state.get(_SIGNATURE)
    st.session_state[_SIGNATURE] = signature
    if before is not None and before != signature:
        ui.mirror_to_url(PAGE_KEY, None)
        return 1
    return _url_page()


def _go_to(page: int) -> None:
    ui.mirror_to_url(PAGE_KEY, None if page <= 1 else str(page))


def pager(page: int, pages: int) -> None:
    """Previous / next buttons around "page N of M" (the URL keeps the page)."""
    if pages <= 1:
        return
    back, where, forward = st.columns([1, 2, 1], vertical_alignment="center")
    back.button(
        ui.tr("dlist.previous"),
        key="dl_previous",
        icon=":material/chevron_left:",
        disabled=page <= 1,
        on_click=_go_to,
        args=(page - 1,),
        width="stretch",
    )
    where.caption(f"{page} / {pages}")
    forward.button(
        ui.tr("dlist.next"),
        key="dl_next",
        icon=":material/chevron_right:",
        disabled=page >= pages,
        on_click=_go_to,
        args=(page + 1,),
        width="stretch",
    )
