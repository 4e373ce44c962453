"""The deal page as a workspace (AppTest on a private copy of the demo store): the header and
tabs for a rep in both languages, the checklist gate and a move with its reason, a stale
second tab refused, and a leader reading without forms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlmodel import Session

from salesboard.accounts.access import viewer_for
from salesboard.calendar.clock import today
from salesboard.deals.key_actions import add_key_action
from salesboard.store.db import create_store_engine, write_session
from salesboard.store.models import OpportunityStatus, Role, User
from salesboard.store.tables import OPP, STAGE, VISIT
from tests.apptest_support import first_user, open_app

DETAIL = "pages/opportunity_detail.py"


def _open_lead_deal(url: str) -> tuple[str, str]:
    """(rep, code): an open deal in the lead stage with undone key actions, and its rep."""
    engine = create_store_engine(url)
    try:
        with Session(engine) as s:
            return tuple(s.execute(
                select(User.username, OPP.c.code)
                .join(STAGE, STAGE.c.id == OPP.c.current_stage_id)
                .join(User, User.id == OPP.c.owner_id)
                .where(User.role == Role.REP, OPP.c.status == OpportunityStatus.OPEN,
                       STAGE.c.code == "lead").order_by(OPP.c.id.desc())
            ).first())  # fmt: skip
    finally:
        engine.dispose()


def _stage_of(url: str, code: str) -> tuple[str, int]:
    engine = create_store_engine(url)
    try:
        with Session(engine) as s:
            return tuple(s.execute(select(STAGE.c.code, OPP.c.version).join(
                STAGE, STAGE.c.id == OPP.c.current_stage_id).where(OPP.c.code == code)).one())  # fmt: skip
    finally:
        engine.dispose()


def _open_deal(code: str, user: str, lang: str = "zh"):
    at = open_app(DETAIL, lang=lang, user=user, timeout=60)
    at.text_input(key="deal_code").input(code).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rep_moves_a_deal_through_the_gate_with_a_reason(private_demo_env, lang):
    rep, code = _open_lead_deal(private_demo_env)
    at = _open_deal(code, rep, lang)
    assert at.subheader[0].value.startswith(code)
    assert at.selectbox(key="deal_move_to_lead").value == "needs_analysis"  # the next stage
    at.run()
    warning = " ".join(w.value for w in at.warning)
    assert ("需要填写原因" if lang == "zh" else "A reason is needed") in warning
    at.button(
        key="FormSubmitter:deal_move_form-" + ("推进" if lang == "zh" else "Move")
    ).click().run()
    assert any(
        ("推进原因" if lang == "zh" else "reason for moving on") in e.value for e in at.error
    )
    assert _stage_of(private_demo_env, code)[0] == "lead"  # refused: nothing written
    at.text_area(key="deal_move_reason").input("客户需求明确，先推进")
    at.button(
        key="FormSubmitter:deal_move_form-" + ("推进" if lang == "zh" else "Move")
    ).click().run()
    assert not at.error, [e.value for e in at.error]
    assert _stage_of(private_demo_env, code)[0] == "needs_analysis"
    assert any(("已推进" if lang == "zh" else "Moved to") in s.value for s in at.success)


def test_a_second_tabs_stale_edit_is_refused(private_demo_env):
    rep, code = _open_lead_deal(private_demo_env)
    at = _open_deal(code, rep, "en")
    version = _stage_of(private_demo_env, code)[1]
    # Meanwhile, in another tab, the rep adds a key action (the deal's version moves on).
    engine = create_store_engine(private_demo_env)
    with write_session(engine) as s:
        me = viewer_for(s, s.execute(select(User).where(User.username == rep)).scalar_one())
        add_key_action(s, me, code, action="电话确认", planned_on=today(), today=today())
    engine.dispose()
    at.text_input(key="deal_ed_step").input("send the quote")
    at.button(key="FormSubmitter:deal_edit_form-Save changes").click().run()
    assert any("changed by someone else" in e.value for e in at.error)
    assert _stage_of(private_demo_env, code)[1] == version + 1  # only the other tab's write


def test_a_leader_reads_the_deal_without_forms(private_demo_env):
    rep, code = _open_lead_deal(private_demo_env)
    at = _open_deal(code, first_user(Role.LEADER), "en")
    assert at.subheader[0].value.startswith(code)
    assert any("view this deal but not change it" in i.value for i in at.info)
    assert not [f for f in ("deal_move_form", "deal_edit_form", "deal_visit_form")
                if any(getattr(e, "form_id", None) == f for e in at.main)]  # fmt: skip
    keys = {getattr(w, "key", None) for w in at.main if hasattr(w, "key")}
    assert "deal_move_reason" not in keys and "deal_ed_step" not in keys


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rep_creates_a_deal_for_a_new_customer(private_demo_env, lang):
    rep = first_user(Role.REP)
    at = open_app("pages/deal_new.py", lang=lang, user=rep, timeout=60)
    at.text_input(key="deal_new_customer_name").input("新测试客户有限公司")
    at.text_input(key="deal_new_amount").input("85万")
    submit = "创建商机" if lang == "zh" else "Create deal"
    at.button(key=f"FormSubmitter:deal_new_form-{submit}").click().run()
    assert not at.error, [e.value for e in at.error]
    engine = create_store_engine(private_demo_env)
    with Session(engine) as s:
        deal = s.execute(
            select(OPP.c.code, OPP.c.amount_minor, STAGE.c.code.label("stage"), User.username)
            .join(STAGE, STAGE.c.id == OPP.c.current_stage_id)
            .join(User, User.id == OPP.c.owner_id)
            .order_by(OPP.c.id.desc()).limit(1)
        ).one()  # fmt: skip
    engine.dispose()
    assert (deal.amount_minor, deal.stage, deal.username) == (85 * 1_000_000, "lead", rep)
    assert deal.code.startswith("XS" + today().strftime("%Y%m"))
    assert any(deal.code in s.value for s in at.success)


def test_creating_without_an_amount_names_the_field(private_demo_env):
    at = open_app("pages/deal_new.py", lang="en", user=first_user(Role.REP), timeout=60)
    at.text_input(key="deal_new_customer_name").input("Acme")
    at.button(key="FormSubmitter:deal_new_form-Create deal").click().run()
    assert any("Cannot read the amount" in e.value for e in at.error)


def _visits(url: str) -> list[tuple]:
    engine = create_store_engine(url)
    try:
        with Session(engine) as s:
            return [tuple(r) for r in s.execute(
                select(VISIT.c.status, VISIT.c.effective, VISIT.c.opportunity_id, VISIT.c.need)
                .order_by(VISIT.c.id.desc()).limit(2))]  # fmt: skip
    finally:
        engine.dispose()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rep_logs_a_visit_to_a_customer_and_plans_one_on_a_deal(private_demo_env, lang):
    rep = first_user(Role.REP)
    at = open_app("pages/visit_log.py", lang=lang, user=rep, timeout=60)
    at.segmented_control(key="visit_target").set_value("customer").run()
    first = next(iter(at.selectbox(key="visit_customer").options))
    at.selectbox(key="visit_customer").select(first).run()
    at.number_input(key="deal_visit_min").set_value(25)
    at.checkbox(key="deal_visit_dm").check()
    at.text_area(key="deal_visit_need").input("需要移动端报表")
    save = "保存拜访" if lang == "zh" else "Save visit"
    at.button(key=f"FormSubmitter:deal_visit_form-{save}").click().run()
    assert not at.error, [e.value for e in at.error]
    assert _visits(private_demo_env)[0] == ("done", True, None, "需要移动端报表")
    assert any(("有效拜访" if lang == "zh" else "effective") in s.value for s in at.success)
    # Plan one on a deal: it counts in the week's plan, not as a visit.
    at.segmented_control(key="visit_target").set_value("deal").run()
    deal = next(iter(at.selectbox(key="visit_deal").options))
    at.selectbox(key="visit_deal").select(deal).run()
    at.segmented_control(key="deal_visit_mode").set_value("plan").run()
    at.button(key=f"FormSubmitter:deal_visit_form-{save}").click().run()
    assert not at.error, [e.value for e in at.error]
    status, effective, opportunity, _ = _visits(private_demo_env)[0]
    assert (status, effective) == ("planned", False) and opportunity is not None
    assert ("计划 1 " if lang == "zh" else "planned 1 ") in at.caption[0].value  # this week


def test_the_files_tab_lists_a_deliverable_and_the_timeline_shows_it(private_demo_env):
    from salesboard.deals.attachments import save_attachment

    rep, code = _open_lead_deal(private_demo_env)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    engine = create_store_engine(private_demo_env)
    with write_session(engine) as s:
        me = viewer_for(s, s.execute(select(User).where(User.username == rep)).scalar_one())
        deal_id = s.execute(select(OPP.c.id).where(OPP.c.code == code)).scalar_one()
        save_attachment(s, me, deal_id, "需求分析报告.pdf", pdf)
    engine.dispose()
    at = _open_deal(code, rep, "en")
    assert any("需求分析报告.pdf" in m.value for m in at.markdown)
    assert at.get("download_button")  # one per file
    history = next(d.value for d in at.dataframe if "Event" in d.value.columns)
    assert "Attachment" in history["Event"].tolist()


def test_a_manager_rates_a_stage_on_the_deal_page(private_demo_env):
    """The ratings form of a manager of the deal's team (it once called the stage list with
    an argument the cached call cannot pass, and the page broke for managers)."""
    from salesboard.i18n import t
    from salesboard.store.models import TeamManager
    from salesboard.store.tables import RATING

    engine = create_store_engine(private_demo_env)
    try:
        with Session(engine) as s:
            manager, code, deal_id = s.execute(
                select(User.username, OPP.c.code, OPP.c.id)
                .join(TeamManager, TeamManager.user_id == User.id)
                .join(OPP, OPP.c.team_id == TeamManager.team_id)
                .where(User.role == Role.MANAGER, OPP.c.status == OpportunityStatus.OPEN)
                .order_by(OPP.c.id)
            ).first()  # fmt: skip
    finally:
        engine.dispose()
    at = _open_deal(code, manager, "zh")  # AppTest formats options outside the run: in zh
    with Session(create_store_engine(private_demo_env)) as s:
        lead = s.execute(select(STAGE.c.id).where(STAGE.c.code == "lead")).scalar_one()
    at.selectbox(key="rating_stage").set_value(lead)
    at.slider(key="rating_score").set_value(2)
    at.button(
        key="FormSubmitter:rating_form_" + str(deal_id) + "-" + t("rating.save", "zh")
    ).click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    engine = create_store_engine(private_demo_env)
    try:
        with Session(engine) as s:
            scores = s.execute(select(RATING.c.score).where(RATING.c.opportunity_id == deal_id,
                                                            RATING.c.score == 2)).all()  # fmt: skip
    finally:
        engine.dispose()
    assert len(scores) == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_stage_entered_after_the_as_of_day_still_draws_and_refuses_signing(
    private_demo_env, lang
):
    """A deal whose stage began after the as-of day (history dated ahead): the signing and
    losing pickers end on the as-of day and may not begin after it (Streamlit refuses to
    draw crossed bounds: the page used to fail); signing that day is refused by the rule,
    naming the date, and the deal stays open."""
    rep, code = _open_lead_deal(private_demo_env)
    ahead = today() + timedelta(days=5)
    engine = create_store_engine(private_demo_env)
    try:
        with engine.begin() as conn:
            conn.execute(update(OPP).where(OPP.c.code == code).values(stage_entered_on=ahead))
    finally:
        engine.dispose()
    at = _open_deal(code, rep, lang)
    for key in ("deal_signed_on", "deal_lost_on"):
        picker = at.date_input(key=key)
        assert picker.value == today() and picker.max == today() and picker.min == today()
    buttons = [b for b in at.button if str(b.key).startswith("FormSubmitter:deal_win_form")]
    buttons[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and not at.success, [e.value for e in at.error]
    assert _status(private_demo_env, code) == OpportunityStatus.OPEN


def _status(url: str, code: str) -> str:
    engine = create_store_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(OPP.c.status).where(OPP.c.code == code)).scalar_one()
    finally:
        engine.dispose()
