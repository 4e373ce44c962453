"""Hostile input in every free-text field there is (sign-in username and password, audit
search and entity id, calendar note, user admin fields): stored or matched literally, never
executed, on SQLite and PostgreSQL; and brute force through the real sign-in form locks the
account."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session

from salesboard.accounts import users
from salesboard.accounts.access import load_viewer
from salesboard.accounts.audit_search import AuditQuery, search_audit
from salesboard.calendar.workdays import list_overrides
from salesboard.i18n import t
from salesboard.store.db import write_session
from salesboard.store.models import Role
from salesboard.store.settings import get_settings
from tests.apptest_support import open_app, use_store
from tests.builders import TEST_PASSWORD, add_user
from tests.conftest import DEMO_TODAY

PAYLOADS = [
    "' OR 1=1 --",
    "admin' --",
    '"; DROP TABLE opportunity; --',
    '\'; DELETE FROM "user"; --',
    "admin’ OR ‘1’=‘1",  # unicode quotes
    "＇ OR ＇1＇=＇1",  # fullwidth apostrophes
    "%",
    "_",
    "\\",
    "1; SELECT pg_sleep(5)",
    "Robert'); DROP TABLE audit_log;--",
]


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            for name in inspect(engine).get_table_names()
        }


@pytest.fixture
def store(engine, monkeypatch):
    use_store(monkeypatch, engine.url.render_as_string(hide_password=False), DEMO_TODAY)
    ids = {"admin": add_user(engine), "rep": add_user(engine, "li.na", Role.REP)}
    yield {"engine": engine, "ids": ids}
    monkeypatch.undo()
    get_settings.cache_clear()


def sign_in_attempt(at, username: str, password: str):
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    at.button[0].click().run()
    return at


def test_sign_in_form_treats_injection_as_a_wrong_username(store):
    engine = store["engine"]
    before = row_counts(engine)
    at = open_app(user=None, lang="en")
    for payload in PAYLOADS:
        sign_in_attempt(at, payload, "anything at all")
        assert [e.value for e in at.error] == ["Wrong username or password."], payload
        sign_in_attempt(at, "admin", payload)  # as the password, too
        assert at.title[0].value == "Sign in to Salesboard" and not at.metric, payload
    # Nothing but one audit entry: the admin's wrong passwords (the payloads) locked the
    # account once; no session was opened and no table lost a row.
    assert len(PAYLOADS) >= get_settings().lockout_threshold
    assert row_counts(engine) == {**before, "audit_log": before["audit_log"] + 1}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM auth_session")).scalar_one() == 0


def test_audit_search_matches_injection_text_literally(store):
    engine, ids = store["engine"], store["ids"]
    with write_session(engine) as session:
        users.update_user(session, load_viewer(session, ids["admin"]), ids["rep"], display_name="x")
    before = row_counts(engine)
    with Session(engine) as session:
        admin = load_viewer(session, ids["admin"])
        everything = search_audit(session, admin, AuditQuery(), page_size=1000).frame
        assert len(everything) >= 3
        texts = (everything.summary + everything.old_values + everything.new_values).str.lower()
        for payload in PAYLOADS:
            # Free text matches exactly the entries that contain it ("_" is in "team_id").
            literal = int(texts.str.contains(payload.lower(), regex=False).sum())
            assert search_audit(session, admin, AuditQuery(text=payload)).total == literal
            for query in (
                AuditQuery(entity_id=payload),
                AuditQuery(actor=payload),
                AuditQuery(action=payload, entity=payload),
            ):
                assert search_audit(session, admin, query).total == 0, (payload, query)
    assert row_counts(engine) == before
    # The page's search box: nothing extra, nothing broken.
    at = open_app("pages/audit_log.py", lang="en")
    for payload in PAYLOADS[:7]:  # the ones no entry contains
        at.text_input(key="audit_text").input(payload).run()
        assert not at.exception and at.info[0].value == t("audit.none", "en"), payload
    at.text_input(key="audit_text").input("").run()
    at.text_input(key="audit_entity_id").input("' OR 1=1 --").run()
    assert at.info[0].value == t("audit.none", "en")


def test_calendar_note_is_stored_literally(store):
    engine = store["engine"]
    before = row_counts(engine)
    at = open_app("pages/calendar_settings.py", lang="en")
    days = [date(2026, 12, d) for d in range(1, len(PAYLOADS) + 1)]
    for day, payload in zip(days, PAYLOADS, strict=True):
        at.date_input(key="calendar_day").set_value(day)
        at.text_input(key="calendar_note").input(payload)
        at.button[0].click().run()
        assert not at.exception, payload
    with Session(engine) as session:
        stored = {o.day: o.note for o in list_overrides(session)}
    assert stored == dict(zip(days, PAYLOADS, strict=True))
    after = row_counts(engine)
    assert after["opportunity"] == before["opportunity"] and after["user"] == before["user"]
    assert after["calendar_override"] == len(PAYLOADS)
    assert after["audit_log"] >= before["audit_log"] + len(PAYLOADS)


def test_user_admin_fields_store_injection_literally(store):
    engine = store["engine"]
    before = row_counts(engine)
    at = open_app("pages/users_admin.py", lang="en")
    # Spaces are not allowed in usernames; a quote-only payload becomes a literal name.
    at.text_input(key="add_user").input("' OR 1=1 --")
    at.text_input(key="add_password").input("initial password")
    at.button(key="users_add_submit").click().run()
    assert at.error[0].value == t("auth.error.bad_username", "en")
    for i, payload in enumerate(PAYLOADS):
        at.text_input(key="add_user").input(f"o'brien{i}")
        at.text_input(key="add_name").input(payload[:64])
        at.text_input(key="add_email").input(payload)
        at.text_input(key="add_password").input("initial password")
        at.button(key="users_add_submit").click().run()
        assert not at.error and not at.exception, payload
    frame = users.list_users(Session(engine), load_viewer(Session(engine), store["ids"]["admin"]))
    added = frame[frame.username.str.startswith("o'brien")].sort_values("username")
    assert sorted(added.display_name) == sorted(p[:64] for p in PAYLOADS)
    assert sorted(added.email) == sorted(PAYLOADS)
    after = row_counts(engine)
    assert after["user"] == before["user"] + len(PAYLOADS)
    assert after["opportunity"] == before["opportunity"]


def test_brute_force_through_the_sign_in_form_locks_the_account(store):
    engine = store["engine"]
    threshold = get_settings().lockout_threshold
    at = open_app(user=None, lang="en")
    for attempt in range(threshold - 1):
        sign_in_attempt(at, "li.na", f"guess number {attempt}")
        assert at.error[0].value == "Wrong username or password."
    sign_in_attempt(at, "li.na", "one guess too many")
    assert at.error[0].value.startswith("Too many wrong passwords: the account is locked until")
    # The right password no longer helps, and another browser session is refused as well.
    sign_in_attempt(at, "li.na", TEST_PASSWORD)
    assert at.error[0].value.startswith("Too many wrong passwords") and not at.metric
    other = sign_in_attempt(open_app(user=None, lang="zh"), "li.na", TEST_PASSWORD)
    assert other.error[0].value.startswith("连续多次密码错误")
    with engine.connect() as conn:
        locks = conn.execute(
            text("SELECT count(*) FROM audit_log WHERE action = 'lock' AND entity = 'user'")
        ).scalar_one()
    assert locks == 1
