"""Helpers for AppTest: point the app at a seeded temporary store through the environment,
and sign a user in the way the sign-in form does (a real session row in the store)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from salesboard.bench import runner
from salesboard.i18n import TRANSLATIONS
from salesboard.store.settings import Settings, get_settings
from salesboard.ui.signin import TOKEN_KEY

APP_PATH = str(Path(__file__).resolve().parent.parent / "app.py")


def use_store(monkeypatch, url: str, today: str) -> None:
    """Make the app (and ``get_settings``) use ``url`` as the store and ``today`` as the date."""
    monkeypatch.setenv("SALESBOARD_DATABASE_URL", url)
    monkeypatch.setenv("SALESBOARD_TODAY", today)
    get_settings.cache_clear()


def session_token(username: str, url: str | None = None) -> str:
    """A fresh sign-in token for ``username`` in the store at ``url`` (default: configured)."""
    return runner.session_token(url or Settings().database_url, username)


def first_user(role: str, url: str | None = None) -> str:
    """The username of the first user with ``role`` in the store (demo stores have each)."""
    return runner.first_user(url or Settings().database_url, role)


def open_app(
    page: str | None = None,
    lang: str = "zh",
    timeout: float = 30,
    user: str | None = "admin",
    *,
    may_crash: bool = False,
) -> AppTest:
    """Run the app from its entry point in ``lang`` signed in as ``user`` (None: signed out),
    then switch to ``page`` ("pages/x.py"). Fails if the page crashed (the error boundary's
    message shows) unless ``may_crash``, for tests of the boundary itself.

    The language is chosen before switching: AppTest drops the entry point's sidebar
    widgets from its element tree after ``switch_page`` (the session state is kept).
    """
    at = AppTest.from_file(APP_PATH, default_timeout=timeout)
    if user:
        at.session_state[TOKEN_KEY] = session_token(user)
    at.run()
    if lang != "zh":
        at.radio(key="lang").set_value(lang).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert may_crash or not crashed(at), crashed(at)
    return at


def crashed(at: AppTest) -> list[str]:
    """The error boundary's messages on the page: an exception the page caught and logged
    (AppTest sees no exception then, only this message)."""
    starts = tuple(text.split("{id}")[0] for text in TRANSLATIONS["error.unexpected"].values())
    return [e.value for e in at.error if e.value.startswith(starts)]
