"""Helpers for AppTest: point the app at a seeded temporary store through the environment."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from salesboard.settings import get_settings

APP_PATH = str(Path(__file__).resolve().parent.parent / "app.py")


def use_store(monkeypatch, url: str, today: str) -> None:
    """Make the app (and ``get_settings``) use ``url`` as the store and ``today`` as the date."""
    monkeypatch.setenv("SALESBOARD_DATABASE_URL", url)
    monkeypatch.setenv("SALESBOARD_TODAY", today)
    get_settings.cache_clear()


def open_app(page: str | None = None, lang: str = "zh", timeout: float = 30) -> AppTest:
    """Run the app from its entry point in ``lang``, then switch to ``page`` ("pages/x.py").

    The language is chosen before switching: AppTest drops the entry point's sidebar
    widgets from its element tree after ``switch_page`` (the session state is kept).
    """
    at = AppTest.from_file(APP_PATH, default_timeout=timeout).run()
    if lang != "zh":
        at.radio(key="lang").set_value(lang).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at
