"""The store as pages see it: the process-wide engine, cached read queries, write sessions
that drop the cache after they commit, and the check that the schema is current."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from salesboard.store import schema
from salesboard.store.db import create_store_engine, read_session, write_session
from salesboard.store.reference_data import key_action_names
from salesboard.store.settings import get_settings
from salesboard.ui.errors import report_error
from salesboard.ui.language import tr
from salesboard.ui.markdown import Markdown


def database_url() -> str:
    """The store URL (the cached settings: tests point the app elsewhere with
    ``get_settings.cache_clear()``; building the settings anew took 2 ms a call)."""
    return get_settings().database_url


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    return create_store_engine(url)


def engine() -> Engine:
    """The process-wide engine for the configured store (one pool per URL)."""
    return _engine_for(database_url())


# The query function is passed as ``_query``: Streamlit leaves arguments with a leading
# underscore out of the cache key, so the function's qualified ``name`` stands for it there.
@st.cache_data(ttl=60, max_entries=256, show_spinner=False)
def _cached_call(url: str, name: str, args: tuple, _query: Callable[..., Any]) -> Any:
    with read_session(_engine_for(url)) as session:
        return _query(session, *args)


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _hourly_call(url: str, name: str, args: tuple, _query: Callable[..., Any]) -> Any:
    with read_session(_engine_for(url)) as session:
        return _query(session, *args)


def cached(func: Callable[..., Any], *, hourly: bool = False) -> Callable[..., Any]:
    """Wrap a query ``func(session, *args)`` so pages get a cached result for ``args``.

    Results are cached per database URL for 60 s, or an hour with ``hourly`` (slow results
    about the past, such as the forecast back-test, which later changes barely move); call
    ``clear_cached()`` after a write.
    """
    name = f"{func.__module__}.{func.__qualname__}"
    run = _hourly_call if hourly else _cached_call

    def call(*args: Any) -> Any:
        return run(database_url(), name, args, func)

    return call


def clear_cached() -> None:
    """Drop cached query results (after the store changed)."""
    _cached_call.clear()
    _hourly_call.clear()


@contextmanager
def writing() -> Iterator[Session]:
    """A write session on the store; cached query results are dropped after it commits."""
    with write_session(engine()) as session:
        yield session
    clear_cached()


@st.cache_data(ttl=60, show_spinner=False)
def _schema_current(url: str) -> bool:
    # Cached: reading Alembic's script directory on every rerun would be wasted work.
    return schema.is_up_to_date(_engine_for(url))


def key_action_name(name: object, lang: str) -> object:
    """A key action's name in ``lang``: stored in Chinese, shown in English where the stage
    settings give its English name (anything else as it is)."""
    if lang == "zh" or not isinstance(name, str):
        return name
    return cached(key_action_names)().get(name, name)


def require_store() -> None:
    """Stop the page with a clear message when the database has no (current) schema."""
    try:
        ready = _schema_current(database_url())
    except Exception as exc:  # unreachable server, bad URL …: a message, the details in the log
        report_error(exc, message_key="store.unreachable")
        st.stop()
    if not ready:
        _schema_current.clear()  # re-check on the next rerun once someone ran init-db
        st.error(tr("store.not_ready", command=Markdown("`python -m salesboard init-db`")))
        st.stop()
