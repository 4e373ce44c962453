"""The audit log: search (every filter, newest first, pages), who may read it, exports, the
page in both languages, and the calendar page's writes landing in it."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import PermissionDenied, load_viewer
from salesboard.accounts.audit_search import (
    AuditQuery,
    audit_export,
    audit_filter_choices,
    search_audit,
)
from salesboard.i18n import format_money, t
from salesboard.i18n.locale import locale_for
from salesboard.store.db import write_session
from salesboard.store.models import AuditLog, Role
from tests import builders as b
from tests.apptest_support import open_app, use_store
from tests.builders import add_user
from tests.conftest import DEMO_TODAY

PAGE = "pages/audit_log.py"
BASE = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


@pytest.fixture
def log(engine):
    """Users of every role and 60 audit entries over three days, made by two people."""
    with write_session(engine) as session:
        ids = {r: b.user(session, f"{r}.user", r).id for r in Role}
        session.exec(AuditLog.__table__.delete())  # only the entries below
        for i in range(60):
            actor = "admin.user" if i % 2 else "leader.user"
            session.add(
                AuditLog(
                    at=BASE + timedelta(hours=i),
                    actor_id=ids[Role.ADMIN] if i % 2 else ids[Role.LEADER],
                    actor_name=actor,
                    action="update" if i % 3 else "create",
                    entity="opportunity" if i < 40 else "goal",
                    entity_id=str(1000 + i % 10),
                    summary=f"change {i:02d} 报价 100%_off" if i == 7 else f"change {i:02d}",
                    old_values='{"amount_minor": 1}',
                    new_values=f'{{"amount_minor": {i}}}',
                )
            )
    return {"engine": engine, "ids": ids}


def viewer_of(engine, user_id):
    with Session(engine) as session:
        return load_viewer(session, user_id)


EVERYTHING = AuditQuery()


def search(engine, viewer, query=EVERYTHING, page=1, size=50):
    with Session(engine) as session:
        return search_audit(session, viewer, query, page, size)


def test_newest_first_in_pages(log):
    engine, admin = log["engine"], viewer_of(log["engine"], log["ids"][Role.ADMIN])
    first = search(engine, admin, page=1, size=25)
    assert (first.total, first.pages) == (60, 3)
    assert first.frame.summary.tolist()[:2] == ["change 59", "change 58"]
    last = search(engine, admin, page=3, size=25)
    assert last.frame.summary.tolist()[-1] == "change 00" and len(last.frame) == 10
    assert search(engine, admin, page=99, size=25).page == 3  # clamped, not empty
    # Shown in the company's time zone (Asia/Shanghai, UTC+8).
    assert last.frame["at"].iloc[-1] == pd.Timestamp("2026-11-20 10:00:00")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (AuditQuery(actor="admin.user"), {i for i in range(60) if i % 2}),
        (AuditQuery(action="create"), {i for i in range(60) if i % 3 == 0}),
        (AuditQuery(entity="goal"), set(range(40, 60))),
        (AuditQuery(entity="opportunity", entity_id="1003"), {3, 13, 23, 33}),
        # Beijing dates: 2026-11-20 10:00 + i hours; the 21st is i = 14..37.
        (AuditQuery(since=date(2026, 11, 21), until=date(2026, 11, 21)), set(range(14, 38))),
        (AuditQuery(since=date(2026, 11, 22)), set(range(38, 60))),
        (AuditQuery(until=date(2026, 11, 20)), set(range(0, 14))),
        (AuditQuery(since=date(2026, 11, 22), until=date(2026, 11, 21)), set()),
        (AuditQuery(text="CHANGE 1"), set(range(10, 20))),
        (AuditQuery(text="报价"), {7}),
        # LIKE wildcards are literal: "%_" only matches the entry that contains "%_".
        (AuditQuery(text="%_"), {7}),
        (AuditQuery(text='"amount_minor": 42'), {42}),
        (
            AuditQuery(actor="admin.user", action="update", entity="goal"),
            {41, 43, 47, 49, 53, 55, 59},
        ),
    ],
)
def test_every_filter_narrows_to_exactly_the_matching_entries(log, query, expected):
    admin = viewer_of(log["engine"], log["ids"][Role.ADMIN])
    result = search(log["engine"], admin, query, size=100)
    found = {int(s.split()[1]) for s in result.frame.summary}
    assert found == expected and result.total == len(expected)


def test_leaders_read_the_log_reps_and_managers_do_not(log):
    engine, ids = log["engine"], log["ids"]
    assert search(engine, viewer_of(engine, ids[Role.LEADER])).total == 60
    for role in (Role.REP, Role.MANAGER):
        denied = viewer_of(engine, ids[role])
        with pytest.raises(PermissionDenied), Session(engine) as session:
            search_audit(session, denied, AuditQuery())
        with pytest.raises(PermissionDenied), Session(engine) as session:
            audit_export(session, denied, AuditQuery(), "csv", "en")
        with pytest.raises(PermissionDenied), Session(engine) as session:
            audit_filter_choices(session, denied)


def test_exports_hold_every_match_with_translated_headings(log):
    engine, admin = log["engine"], viewer_of(log["engine"], log["ids"][Role.ADMIN])
    query = AuditQuery(entity="goal")
    with Session(engine) as session:
        xlsx = audit_export(session, admin, query, "xlsx", "zh")
        csv = audit_export(session, admin, query, "csv", "en")
    frame = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    # Values read as words and money (the stored JSON and minor units no longer show).
    assert len(frame) == 20 and frame["New values"].iloc[0] == f"Amount: {format_money(59, 'en')}"
    assert list(frame.columns[:3]) == ["Time", "Who", "Action"]
    sheet = load_workbook(io.BytesIO(xlsx)).active
    values = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(values) if row and row[0] == "时间")
    assert values[header][:4] == ("时间", "操作人", "操作", "对象")
    assert len(values) - header - 1 == 20
    assert values[header + 1][3] == "目标"  # entity "goal" in Chinese


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_audit_page_filters_and_pages(log, monkeypatch, lang):
    use_store(monkeypatch, log["engine"].url.render_as_string(hide_password=False), DEMO_TODAY)
    at = open_app(PAGE, lang=lang, user="leader.user")
    assert at.title[0].value == t("audit.title", lang)
    table = at.dataframe[0].value
    # Newest first: the leader's own sign-in (just now), then the seeded entries.
    assert table[t("audit.col.action", lang)].iloc[0] == t("audit.action.sign_in", lang)
    new_values = t("audit.col.new_values", lang)
    amount = t("pipeline.amount", lang)
    assert len(table) == 50
    assert table[new_values].iloc[1] == locale_for(lang).labelled(amount, format_money(59, lang))
    assert t("audit.count", lang, total=61, page=1, pages=2) in [c.value for c in at.caption]
    at.number_input(key="audit_page").set_value(2).run()
    last = at.dataframe[0].value[new_values].iloc[-1]
    assert last == locale_for(lang).labelled(amount, format_money(0, lang))
    at.selectbox(key="audit_entity").set_value("goal").run()
    assert len(at.dataframe[0].value) == 20
    at.text_input(key="audit_text").input("no such text").run()
    assert at.info[0].value == t("audit.none", lang) and not at.dataframe


def test_calendar_changes_are_audited_with_old_and_new_values(engine, monkeypatch):
    use_store(monkeypatch, engine.url.render_as_string(hide_password=False), DEMO_TODAY)
    add_user(engine)
    at = open_app("pages/calendar_settings.py", lang="en")
    monday = date(2026, 11, 30)
    at.date_input(key="calendar_day").set_value(monday)
    at.text_input(key="calendar_note").input("公司年会")
    at.button[0].click().run()
    at.date_input(key="calendar_day").set_value(monday)
    at.toggle(key="calendar_is_working").set_value(True)
    at.text_input(key="calendar_note").input("改为上班")
    at.button[0].click().run()
    at.selectbox(key="calendar_remove_day").set_value(monday)
    at.button(key="calendar_remove").click().run()
    with Session(engine) as session:
        trail = audit.audit_trail(session, entity="calendar", entity_id="2026-11-30")
    assert trail.action.tolist() == ["delete", "update", "create"]
    assert (trail.actor_name == "admin").all()
    assert (
        '"is_working": false' in trail.new_values.iloc[2] and "公司年会" in trail.new_values.iloc[2]
    )
    assert (
        '"is_working": true' in trail.old_values.iloc[0] and "改为上班" in trail.old_values.iloc[0]
    )


def test_calendar_writes_refuse_non_admins(engine):
    from salesboard.calendar.workdays import remove_override, set_override

    rep = viewer_of(engine, add_user(engine, "li.na", Role.REP))
    with pytest.raises(PermissionDenied), write_session(engine) as session:
        set_override(session, date(2026, 12, 1), False, "x", actor=rep)
    with pytest.raises(PermissionDenied), write_session(engine) as session:
        remove_override(session, date(2026, 12, 1), actor=rep)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_log_reads_in_words_not_codes(demo_app_env, lang):
    """A form's status changes and saved fields read as words in the page's language: no
    ``feedback_form``, ``submitted -> confirmed`` or raw JSON (the smoke test's rule)."""
    from tests.test_page_smoke import problems_on

    at = open_app(PAGE, lang=lang, user="admin")
    at.selectbox(key="audit_entity").set_value("feedback_form").run()
    table = at.dataframe[0].value
    assert set(table[t("audit.col.entity", lang)]) == {t("audit.entity.feedback_form", lang)}
    summaries = set(table[t("audit.col.summary", lang)])
    submitted, confirmed = (t(f"feedback.status.{s}", lang) for s in ("submitted", "confirmed"))
    assert f"{submitted} → {confirmed}" in summaries
    assert problems_on(at, lang) == []
