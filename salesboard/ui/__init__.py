"""The only module that imports Streamlit: shared chrome and cached access to the store.

Pages call these helpers and ``salesboard`` query functions; they hold no SQL or rules.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.calendar import clock
from salesboard.calendar.periods import PERIOD_KINDS, Period, recent_periods
from salesboard.i18n import LANGUAGE_NAMES, LANGUAGES, t
from salesboard.store import schema
from salesboard.store.db import create_store_engine, read_session, write_session
from salesboard.store.settings import Settings

_LANG_KEY = "lang"


def database_url() -> str:
    """The store URL, read fresh so tests can point the app at a temporary database."""
    return Settings().database_url


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    return create_store_engine(url)


def engine() -> Engine:
    """The process-wide engine for the configured store (one pool per URL)."""
    return _engine_for(database_url())


# --- language -----------------------------------------------------------------------------


def lang() -> str:
    """The UI language the user chose ("zh" or "en"), defaulting to the configured one."""
    return url_choice(_LANG_KEY, list(LANGUAGES), _default_language)


def _default_language() -> str:
    configured = Settings().default_language
    return configured if configured in LANGUAGES else "zh"


def tr(key: str, **values: object) -> str:
    """Translate ``key`` into the user's language."""
    return t(key, lang(), **values)


def url_choice(key: str, options: list[str], default: str | Callable[[], str]) -> str:
    """The value a URL-bound widget starts with: ``?key=`` when valid, else ``default`` (or
    what it returns, when a function: called only when needed, so a costly default such as
    reading the settings is not paid on every call — ``lang()`` runs for every label).

    Streamlit's own ``bind="query-params"`` writes the *displayed* label into the URL, which
    differs per language; we keep the stable code, so a link works in both languages. The
    value goes in as the widget's initial index/default (setting ``st.session_state`` first
    would pin the widget to it on later reruns).
    """
    if st.session_state.get(key) in options:
        return st.session_state[key]
    from_url = st.query_params.get(key)
    if from_url in options:
        return from_url
    return default() if callable(default) else default


def lasting_default(key: str, value: str) -> str:
    """``value`` as the default of widget ``key`` when the widget is created, and the same
    default for as long as it lives. ``st.tabs`` counts its default in its identity: a tab
    bar whose default followed the open tab (from the URL) became a new widget on each
    switch, and the click after a switch went to the old one and was lost."""
    defaults = st.session_state.setdefault("_lasting_defaults", {})
    if key not in st.session_state or key not in defaults:
        defaults[key] = value
    return defaults[key]


def _mirror_to_url(key: str) -> None:
    st.query_params[key] = st.session_state[key]


def language_switch() -> None:
    """Sidebar switch 中文 / English, kept in ``?lang=`` so a shared link keeps the language."""
    initial = url_choice(_LANG_KEY, list(LANGUAGES), _default_language)
    # A constant, bilingual label: a widget whose label changes gets a new identity and
    # would drop the value the user just picked.
    st.sidebar.radio(
        "语言 / Language",
        LANGUAGES,
        index=LANGUAGES.index(initial),
        key=_LANG_KEY,
        format_func=LANGUAGE_NAMES.__getitem__,
        horizontal=True,
    )
    _mirror_to_url(_LANG_KEY)


# --- store --------------------------------------------------------------------------------


@st.cache_data(ttl=60, show_spinner=False)
def _schema_current(url: str) -> bool:
    # Cached: reading Alembic's script directory on every rerun would be wasted work.
    return schema.is_up_to_date(_engine_for(url))


def require_store() -> None:
    """Stop the page with a clear message when the database has no (current) schema."""
    try:
        ready = _schema_current(database_url())
    except Exception as exc:  # unreachable server, bad URL …: show it instead of a traceback
        st.error(f"{type(exc).__name__}: {exc}")
        st.stop()
    if not ready:
        _schema_current.clear()  # re-check on the next rerun once someone ran init-db
        st.error(tr("store.not_ready", command="`python -m salesboard init-db`"))
        st.stop()


# --- who is signed in -----------------------------------------------------------------------


def require_viewer(all_pages: list) -> Viewer:
    """The signed-in viewer; shows the sign-in form (or the forced password change) and
    stops the run when there is none. Also puts the account box in the sidebar.

    While signed out, ``all_pages`` go into a hidden navigation so a deep link keeps its
    page: after signing in, the user lands where the link pointed.
    """
    from salesboard.ui import signin

    current = signin.current_viewer(engine(), tr)
    signin.sync_browser_cookie()
    if current is None:
        st.navigation(all_pages, position="hidden")
        signin.sign_in_form(engine(), tr)
        st.stop()
    box = st.sidebar.container()
    box.caption(tr("auth.signed_in_as", name=current.display_name, role=tr(f"role.{current.role}")))
    if box.button(tr("auth.sign_out"), key="sign_out"):
        signin.sign_out(engine())
        st.rerun()
    if current.must_change_password:
        st.warning(tr("auth.must_change"))
        if signin.change_password_form(engine(), tr, current, key="forced_password"):
            st.rerun()
        st.stop()
    return current


def viewer() -> Viewer:
    """The signed-in viewer (the entry point's gate ran before any page)."""
    from salesboard.ui import signin

    current = st.session_state.get(signin._VIEWER_KEY)
    if current is None:  # a page run without the entry point (should not happen)
        st.error(tr("access.denied"))
        st.stop()
    return current


def require_role(*roles: str) -> Viewer:
    """The viewer when their role is one of ``roles``; otherwise a message and stop."""
    current = viewer()
    if current.role not in roles:
        st.error(tr("access.denied"))
        st.stop()
    return current


@st.cache_data(ttl=60, max_entries=256, show_spinner=False)
def _cached_call(url: str, qualified_name: str, args: tuple) -> Any:
    module_name, _, func_name = qualified_name.rpartition(".")
    func = getattr(importlib.import_module(module_name), func_name)
    with read_session(_engine_for(url)) as session:
        return func(session, *args)


def cached(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a query ``func(session, *args)`` so pages get a cached result for ``args``.

    Results are cached per database URL for 60 s; call ``clear_cached()`` after a write.
    """
    qualified_name = f"{func.__module__}.{func.__qualname__}"

    def call(*args: Any) -> Any:
        return _cached_call(database_url(), qualified_name, args)

    return call


def clear_cached() -> None:
    """Drop cached query results (after the store changed)."""
    _cached_call.clear()


@contextmanager
def writing() -> Iterator[Session]:
    """A write session on the store; cached query results are dropped after it commits."""
    with write_session(engine()) as session:
        yield session
    clear_cached()


def calendar_notice(*days: date) -> None:
    """Say so when working days for these dates' years are provisional (schedule unpublished)."""
    from salesboard.calendar.workdays import provisional_years_in_store

    years = cached(provisional_years_in_store)(tuple(sorted({d.year for d in days})))
    if years:
        st.info(tr("calendar.provisional", years=", ".join(map(str, years))))


# --- period -------------------------------------------------------------------------------


def as_of() -> date:
    """The business date the pages report as of."""
    return clock.today()


def period_picker(key: str = "period", count: int = 8) -> Period:
    """Month / quarter / year picker (current period first), bound to the URL query string."""
    kinds = {kind: tr(f"period.{kind}") for kind in PERIOD_KINDS}
    left, right = st.columns([1, 2])
    kind = (
        left.segmented_control(
            tr("period.kind"),
            list(kinds),
            default="quarter",
            format_func=kinds.__getitem__,
            key=f"{key}_kind",
            bind="query-params",
        )
        or "quarter"
    )
    periods = recent_periods(kind, as_of(), count)
    labels = [p.label for p in periods]
    label = right.selectbox(tr("period.label"), labels, key=f"{key}_{kind}", bind="query-params")
    return periods[labels.index(label)]
