"""A company's first day (issue 14 item 6): every page on a store that ``init-db`` just made
(stages and lists, one admin, nothing else) opens for an admin in both languages without an
exception or a crash (a page admins do not get, such as My work, for the first manager the
admin adds), reads cleanly (the smoke test's checks), and says something instead of
showing empty charts and tables."""

from __future__ import annotations

import pytest

from salesboard.i18n import LANGUAGES
from salesboard.store.db import write_session
from salesboard.store.models import Role
from salesboard.store.reference_data import ensure_reference_data
from salesboard.ui.navigation import PAGES
from tests.apptest_support import open_app, use_store
from tests.builders import add_user
from tests.conftest import DEMO_TODAY
from tests.test_page_smoke import problems_on


@pytest.fixture
def first_day(sqlite_engine, monkeypatch):
    with write_session(sqlite_engine) as session:
        ensure_reference_data(session)
    add_user(sqlite_engine)  # the admin init-db creates
    add_user(sqlite_engine, "first.manager", Role.MANAGER)  # no team yet, nothing to manage
    use_store(monkeypatch, str(sqlite_engine.url), DEMO_TODAY)
    yield
    from salesboard.store.settings import get_settings

    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("entry", PAGES, ids=[e.url_path for e in PAGES])
def test_every_page_opens_on_a_first_day_store(first_day, entry, lang):
    user = "admin" if Role.ADMIN in entry.roles else "first.manager"
    at = open_app(entry.path, lang=lang, timeout=60, user=user)
    assert problems_on(at, lang) == []
    said = [*at.info, *at.warning, *at.caption, *at.success]
    assert said, "the page says nothing about what is there"
