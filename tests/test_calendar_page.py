"""AppTest of the working-calendar settings page: an override typed in the form is stored,
changes what counts as a working day, and can be removed again."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from salesboard.calendar.workdays import list_overrides, load_calendar
from tests.apptest_support import open_app, use_store
from tests.builders import add_user
from tests.conftest import DEMO_TODAY

PAGE = "pages/calendar_settings.py"


def test_override_is_saved_applied_and_removed(engine, monkeypatch):
    use_store(monkeypatch, str(engine.url), DEMO_TODAY)
    add_user(engine)
    at = open_app(PAGE, lang="en")
    assert at.title[0].value == "Working calendar"
    monday = date(2026, 11, 30)  # an ordinary Monday in China's calendar
    with Session(engine) as session:
        assert load_calendar(session).is_working_day(monday)

    at.date_input(key="calendar_day").set_value(monday)
    at.text_input(key="calendar_note").input("公司年会")
    at.button[0].click().run()  # the form's submit button; toggle left off = day off
    assert not at.exception
    with Session(engine) as session:
        stored = list_overrides(session)
        assert [(o.day, o.is_working, o.note) for o in stored] == [(monday, False, "公司年会")]
        assert not load_calendar(session).is_working_day(monday)
    assert "公司年会" in at.dataframe[0].value.to_string()

    at.selectbox(key="calendar_remove_day").set_value(monday)
    at.button(key="calendar_remove").click().run()
    with Session(engine) as session:
        assert list_overrides(session) == []


def test_unpublished_holiday_year_is_said_not_crashed(engine, monkeypatch):
    # China publishes each year's schedule late in the year before: 2035 is years away.
    use_store(monkeypatch, str(engine.url), "2035-06-01")
    add_user(engine)
    at = open_app(PAGE, lang="zh")
    assert any("2035, 2036" in info.value and "尚未发布" in info.value for info in at.info)
    overview = open_app("pages/overview.py", lang="en")
    assert any("2035" in info.value and "not published" in info.value for info in overview.info)
