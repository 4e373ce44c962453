"""AppTest of the feedback pages over a copy of the demo store: a rep starts and fills a
form, submits it, the manager confirms it, and the stored form says so; a rep who asks for
a colleague's form by URL sees nothing; the manager's team view lists status, reminders and
improvement items in both languages."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from salesboard.accounts.access import load_viewer
from salesboard.feedback import queries, workflow
from salesboard.feedback.form import apply_editor_changes, completion
from salesboard.i18n import t
from salesboard.store.db import create_store_engine, read_session, write_session
from salesboard.store.models import FeedbackForm, Role, TeamManager, User
from tests.apptest_support import APP_PATH, crashed, session_token
from tests.conftest import DEMO_TODAY

FORM_PAGE = "pages/feedback_form.py"
TEAM_PAGE = "pages/feedback_team.py"
MONTH = "2026-11"  # the demo has no forms for the current month yet


@pytest.fixture
def store_copy(private_demo_env):
    """A private copy of the demo store (these tests write forms), used by the app."""
    return private_demo_env


def open_page(page: str, user: str, lang: str = "zh", **query: str) -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.session_state["auth_token"] = session_token(user)
    at.query_params.update(query)
    if lang != "zh":
        at.query_params["lang"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not crashed(at), crashed(at)
    return at


def team_of(url: str):
    """(rep username, rep id, a colleague's username, the manager's username) in one team."""
    engine = create_store_engine(url)
    with read_session(engine) as s:
        manager_id, team_id = s.execute(select(TeamManager.user_id, TeamManager.team_id)).first()
        reps = s.execute(
            select(User.username, User.id)
            .where(User.team_id == team_id, User.role == Role.REP)
            .order_by(User.id)
        ).all()
        manager = s.get(User, manager_id).username
    engine.dispose()
    return reps[0][0], reps[0][1], reps[1][0], manager


def stored(url: str, rep_id: int, period: str) -> FeedbackForm:
    engine = create_store_engine(url)
    with read_session(engine) as s:
        row = s.execute(
            select(FeedbackForm).where(FeedbackForm.rep_id == rep_id, FeedbackForm.period == period)
        ).scalar_one()
    engine.dispose()
    return row


def texts(at: AppTest) -> str:
    parts = [
        e.value for e in (*at.markdown, *at.caption, *at.info, *at.error, *at.warning, *at.success)
    ]
    return "\n".join(str(p) for p in parts)


def fill_like_the_editor(url: str, rep_id: int) -> int:
    """What the editor's on_change callback does with a rep's typing: the same pure function
    on the same kind of change payload, then the same draft save (AppTest cannot type into a
    data_editor; the browser test covers the real typing)."""
    engine = create_store_engine(url)
    with write_session(engine) as s:
        viewer = load_viewer(s, rep_id)
        form = queries.find_form(s, viewer, rep_id, MONTH)
        edits = {
            i: {"reason": "部分客户暂不接受拜访"}
            for i, row in enumerate(form.body["kpis"])
            if (ratio := completion(row)) is not None and ratio < 0.9  # 0 % needs one too
        }
        kpis, problems = apply_editor_changes("kpis", form.body["kpis"], {"edited_rows": edits})
        items, more = apply_editor_changes(
            "items", [], {"added_rows": [{
                "problem": "回款率低", "cause_category": "market", "cause": "客户资金紧张",
                "measure": "每周跟进客户财务进度", "owner": "本人", "due_on": "2026-12-10",
                "checkpoint_on": "2026-12-05", "status": "not_started",
            }]}, key_prefix="apptest",
        )  # fmt: skip
        assert problems == more == []
        saved = workflow.save_draft(
            s, viewer, form.id, form.version, {**form.body, "kpis": kpis, "items": items}
        )
    engine.dispose()
    return saved.version


def test_rep_fills_submits_and_manager_confirms(store_copy):
    rep, rep_id, _, manager = team_of(store_copy)
    at = open_page(FORM_PAGE, rep, period=MONTH)
    assert at.title[0].value == t("feedback.title", "zh")
    at.button(key="fb_start").click().run()
    assert not at.exception
    created = stored(store_copy, rep_id, MONTH)
    assert (created.status, created.version, created.revision) == ("draft", 1, 1)
    body = json.loads(created.body)
    assert [r["code"] for r in body["kpis"]][:2] == ["sales", "collection_rate"]

    # Submitting an incomplete form is refused with the fields named; nothing changes.
    at.button(key="fb_submit").click().run()
    blocking = "\n".join(e.value for e in at.error)
    assert t("feedback.blocking", "zh") in blocking and t("feedback.col.reason", "zh") in blocking
    assert stored(store_copy, rep_id, MONTH).status == "draft"

    version = fill_like_the_editor(store_copy, rep_id)
    at.run()  # the page picks up the saved draft
    assert t("feedback.saved_line", "zh", version=version, name="", time="").split("·")[
        1
    ].strip() in texts(at)
    at.button(key="fb_submit").click().run()
    assert not at.exception
    submitted = stored(store_copy, rep_id, MONTH)
    assert submitted.status == "submitted" and submitted.version == version + 1
    assert submitted.submitted_by == rep_id and submitted.submitted_at is not None
    assert json.loads(submitted.body)["items"][0]["problem"] == "回款率低"

    # The rep cannot confirm: no review buttons for them.
    assert not [b for b in at.button if b.key in ("fb_confirm", "fb_return")]

    review = open_page(FORM_PAGE, manager, lang="en", rep=rep, period=MONTH)
    assert t("feedback.no_overrides", "en") in texts(review)
    review.button(key="fb_confirm").click().run()
    assert not review.exception
    confirmed = stored(store_copy, rep_id, MONTH)
    assert confirmed.status == "confirmed" and confirmed.version == submitted.version + 1
    assert confirmed.confirmed_by is not None and confirmed.confirmed_by != rep_id
    assert t("feedback.confirmed_ok", "en") in texts(review)
    # Locked: the manager now sees the amend button, no editors.
    assert [b.key for b in review.button if b.key == "fb_amend"] == ["fb_amend"]


def test_manager_returns_with_a_comment_and_the_rep_sees_it(store_copy):
    rep, rep_id, _, manager = team_of(store_copy)
    at = open_page(FORM_PAGE, rep, period=MONTH)
    at.button(key="fb_start").click().run()
    fill_like_the_editor(store_copy, rep_id)
    at.run()
    at.button(key="fb_submit").click().run()
    review = open_page(FORM_PAGE, manager, rep=rep, period=MONTH)
    review.button(key="fb_return").click().run()  # no comment: refused
    assert t("feedback.error.comment_required", "zh") in texts(review)
    assert stored(store_copy, rep_id, MONTH).status == "submitted"
    key = next(a.key for a in review.text_area)
    review.text_area(key=key).input("请补充客户B的回款计划").run()
    review.button(key="fb_return").click().run()
    assert stored(store_copy, rep_id, MONTH).status == "returned"
    back = open_page(FORM_PAGE, rep, period=MONTH)
    assert "请补充客户B的回款计划" in texts(back)
    assert [b.key for b in back.button if b.key == "fb_submit"] == ["fb_submit"]


def test_a_rep_asking_for_a_colleagues_form_by_url_sees_nothing(store_copy):
    rep, _, colleague, _ = team_of(store_copy)
    at = open_page(FORM_PAGE, rep, rep=colleague, period="2026-10")
    shown = texts(at)
    assert t("feedback.not_visible", "zh") in shown
    engine = create_store_engine(store_copy)
    with read_session(engine) as s:
        name = s.execute(select(User.display_name).where(User.username == colleague)).scalar_one()
    engine.dispose()
    assert name not in shown
    assert not at.dataframe
    assert not [b for b in at.button if b.key and b.key.startswith("fb_")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_team_view_lists_status_reminders_and_items(store_copy, lang):
    _, _, _, manager = team_of(store_copy)
    at = open_page(TEAM_PAGE, manager, lang=lang, period="2026-10")
    assert at.title[0].value == t("feedback_team.title", lang)
    engine = create_store_engine(store_copy)
    with read_session(engine) as s:
        viewer = load_viewer(
            s, s.execute(select(User.id).where(User.username == manager)).scalar_one()
        )
        frame = queries.team_status(s, viewer, "2026-10")
        items = queries.open_items(s, viewer, date.fromisoformat(DEMO_TODAY))
    engine.dispose()
    tiles = {m.label: m.value for m in at.metric}
    assert tiles[t("feedback_team.reps", lang)] == str(len(frame))
    waiting = frame[frame["status"].isin(["not_started", "draft", "returned"])]
    assert len(waiting) > 0  # the demo has reps who still owe their form
    heading = t("feedback_team.reminders", lang, count=len(waiting))
    assert heading in [h.value for h in at.subheader]
    assert all(name in texts(at) for name in waiting["rep"])
    overdue = int(items["overdue"].sum())
    assert t("feedback_team.items", lang, count=len(items), overdue=overdue) in [
        h.value for h in at.subheader
    ]


def test_a_leader_reads_forms_and_is_offered_no_step(store_copy):
    """The page asks ``feedback.permissions``: a leader gets no start, submit, review or
    amend button; the rep of the same confirmed form gets the amend button."""
    engine = create_store_engine(store_copy)
    with read_session(engine) as s:
        newest = {}
        for row in s.execute(
            select(FeedbackForm.rep_id, FeedbackForm.status)
            .where(FeedbackForm.period == "2026-10")
            .order_by(FeedbackForm.rep_id, FeedbackForm.revision)
        ):
            newest[row.rep_id] = row.status
        rep_id = min(r for r, status in newest.items() if status == "confirmed")
        rep, name = s.execute(
            select(User.username, User.display_name).where(User.id == rep_id)
        ).one()
        leader = s.execute(select(User.username).where(User.role == Role.LEADER)).scalars().first()
    engine.dispose()
    steps = {"fb_start", "fb_submit", "fb_confirm", "fb_return", "fb_amend", "fb_refresh"}
    not_started = open_page(FORM_PAGE, leader, rep=rep, period=MONTH)
    assert t("feedback.not_started", "zh", rep=name, period=MONTH) in texts(not_started)
    assert not [b for b in not_started.button if b.key in steps]
    confirmed = open_page(FORM_PAGE, leader, rep=rep, period="2026-10")
    assert confirmed.dataframe  # the form is shown, read-only
    assert not [b for b in confirmed.button if b.key in steps]
    own = open_page(FORM_PAGE, rep, period="2026-10")
    assert [b.key for b in own.button if b.key in steps] == ["fb_amend"]
