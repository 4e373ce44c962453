"""The deal workspace's writes on both backends, on the pipeline company (as of Thursday
2026-03-05, 2026's Spring Festival calendar): create, the checklist gate, moving back, win,
lose, key actions, comments, the version check and scope."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from salesboard.deals.create import create_customer, create_deal, customers_in_scope
from salesboard.deals.errors import DealError
from salesboard.deals.fields import edit_deal
from salesboard.deals.key_actions import (
    add_comment,
    add_key_action,
    complete_key_action,
    replan_key_action,
)
from salesboard.deals.moves import lose_deal, move_stage, plan_move, win_deal
from salesboard.store.db import read_session, write_session
from salesboard.store.models import AuditLog, Stage
from salesboard.store.tables import ACTION, EVENT, HISTORY, OPP, STAGE
from tests.builders import WAN
from tests.companies.pipeline import AS_OF, build


@pytest.fixture
def store(engine):
    return build(engine)


def _new_deal(store, who="ra", **overrides) -> str:
    with write_session(store.engine) as s:
        return create_deal(
            s, store.viewers[who], customer=overrides.pop("customer", "D1客户"),
            product_line="cloud", amount=overrides.pop("amount", "85万"), on=AS_OF, today=AS_OF,
            source="website", **overrides,
        )  # fmt: skip


def _deal(store, code):
    with read_session(store.engine) as s:
        return s.execute(
            select(OPP, STAGE.c.code.label("stage")).join(STAGE, STAGE.c.id == OPP.c.current_stage_id)
            .where(OPP.c.code == code)
        ).one()  # fmt: skip


def _actions(store, code):
    with read_session(store.engine) as s:
        return s.execute(
            select(ACTION.c.id, ACTION.c.action, ACTION.c.planned_on, ACTION.c.done_on,
                   STAGE.c.code.label("stage"))
            .join(OPP, OPP.c.id == ACTION.c.opportunity_id)
            .join(STAGE, STAGE.c.id == ACTION.c.stage_id)
            .where(OPP.c.code == code).order_by(ACTION.c.planned_on, ACTION.c.id)
        ).all()  # fmt: skip


def _events(store, code):
    with read_session(store.engine) as s:
        return s.execute(
            select(EVENT.c.kind, EVENT.c.old_value, EVENT.c.new_value, EVENT.c.note)
            .join(OPP, OPP.c.id == EVENT.c.opportunity_id)
            .where(OPP.c.code == code).order_by(EVENT.c.id)
        ).all()  # fmt: skip


def test_a_rep_creates_a_deal_in_the_lead_stage_with_its_key_actions_planned(store):
    code = _new_deal(store)
    # D5 took XS202603001 (created 03-02): the month's sequence starts after it.
    assert code == "XS202603002"
    deal = _deal(store, code)
    assert (deal.stage, deal.status, deal.amount_minor) == ("lead", "open", 85 * WAN)
    assert deal.owner_id == store.viewers["ra"].user_id
    assert deal.name.startswith("D1客户") and deal.name.endswith("项目")  # customer + line
    assert (deal.stage_entered_on, deal.last_activity_on, deal.version) == (AS_OF, AS_OF, 1)
    # The lead stage's two key actions within its 7-working-day standard: 4 and 7 working
    # days after Thu 03-05 → Wed 03-11 and Mon 03-16.
    assert [(a.action, a.planned_on) for a in _actions(store, code)] == [
        ("线索资格确认", date(2026, 3, 11)), ("线索评分", date(2026, 3, 16)),
    ]  # fmt: skip
    assert [e.kind for e in _events(store, code)] == ["created"]
    with read_session(store.engine) as s:
        stays = s.execute(
            select(HISTORY.c.entered_on, HISTORY.c.left_on)
            .join(OPP, OPP.c.id == HISTORY.c.opportunity_id)
            .where(OPP.c.code == code)
        ).all()
        audited = s.execute(select(func.count()).where(AuditLog.entity_id == code)).scalar_one()
    assert stays == [(AS_OF, None)] and audited == 1


@pytest.mark.parametrize(
    ("who", "overrides", "error"),
    [
        ("leader", {}, "read_only"),  # leaders read only
        ("ra", {"owner": "rb"}, "owner_unknown"),  # a rep creates only their own deals
        ("ma", {"owner": "rb"}, "owner_unknown"),  # rb is not in a team ma leads
        ("ra", {"amount": "八十五"}, "amount_invalid"),
        ("ra", {"amount": "0"}, "amount_invalid"),
        ("ra", {"customer": "没有这个客户"}, "unknown_customer"),
        ("ra", {"expected_close_on": date(2026, 3, 1)}, "close_before_created"),
    ],
)
def test_creating_a_deal_refuses_with_the_field_named(store, who, overrides, error):
    with pytest.raises(DealError) as refused:
        _new_deal(store, who, **overrides)
    assert refused.value.code == error
    with read_session(store.engine) as s:
        assert s.execute(select(func.count()).select_from(OPP)).scalar_one() == 7


def test_a_manager_creates_a_deal_for_a_rep_of_their_team_with_a_new_customer(store):
    with write_session(store.engine) as s:
        customer = create_customer(s, store.viewers["ma"], "新客户", on=AS_OF)
        with pytest.raises(DealError, match="exists"):
            create_customer(s, store.viewers["ma"], "新客户", on=AS_OF)
    code = _new_deal(store, "ma", customer=customer, owner="ra")
    assert _deal(store, code).owner_id == store.viewers["ra"].user_id
    with read_session(store.engine) as s:
        found = customers_in_scope(s, store.viewers["ra"], "新客")
    assert found["name"].tolist() == ["新客户"]


def test_moving_on_past_undone_key_actions_needs_a_reason_that_is_kept(store):
    code = _new_deal(store)
    with write_session(store.engine) as s:
        plan = plan_move(s, store.viewers["ra"], code, "needs_analysis")
    # Both lead key actions and the lead record (deliverable) are undone.
    assert [i.name_zh for i in plan.undone] == ["线索资格确认", "线索评分", "线索记录"]
    with pytest.raises(DealError) as refused, write_session(store.engine) as s:
        move_stage(s, store.viewers["ra"], code, "needs_analysis", seen_version=1, on=AS_OF,
                   today=AS_OF)  # fmt: skip
    assert refused.value.code == "gate" and "线索评分" in refused.value.params["actions"]
    assert _deal(store, code).stage == "lead"  # nothing written
    with write_session(store.engine) as s:
        move_stage(s, store.viewers["ra"], code, "needs_analysis", seen_version=1,
                   reason="客户急需方案", on=AS_OF, today=AS_OF)  # fmt: skip
    deal = _deal(store, code)
    assert (deal.stage, deal.version) == ("needs_analysis", 2)
    assert ("stage", "lead", "needs_analysis", "客户急需方案") in _events(store, code)
    # The new stage's key actions are planned on entering it.
    assert {a.action for a in _actions(store, code) if a.stage == "needs_analysis"} == {
        "痛点访谈（3次）", "需求文档确认",
    }  # fmt: skip


def test_completing_the_checklist_lets_the_deal_move_on_without_a_reason(store):
    code = _new_deal(store)
    ra = store.viewers["ra"]
    with write_session(store.engine) as s:
        for index, action in enumerate(_actions(store, code)):
            complete_key_action(s, ra, code, action.id, done_on=AS_OF, today=AS_OF,
                                deliverable="线索记录表" if index == 0 else "",
                                customer_feedback="预算已批")  # fmt: skip
        plan = move_stage(s, ra, code, "needs_analysis", on=AS_OF, today=AS_OF)
    assert plan.undone == () and _deal(store, code).stage == "needs_analysis"
    assert [e.kind for e in _events(store, code)].count("action_done") == 2


def test_an_admin_can_make_a_stages_key_actions_optional(store):
    code = _new_deal(store)
    with write_session(store.engine) as s:
        s.execute(Stage.__table__.update().where(Stage.code == "lead").values(
            key_actions_required=False))  # fmt: skip
    with write_session(store.engine) as s:
        move_stage(s, store.viewers["ra"], code, "needs_analysis", on=AS_OF, today=AS_OF)
    assert _deal(store, code).stage == "needs_analysis"


def test_moving_back_needs_a_reason(store):
    code = store.codes["D2"]  # in negotiation since 03-02
    with pytest.raises(DealError) as refused, write_session(store.engine) as s:
        move_stage(s, store.viewers["ra"], code, "proposal", on=AS_OF, today=AS_OF)
    assert refused.value.code == "reason_for_back"
    with write_session(store.engine) as s:
        move_stage(s, store.viewers["ra"], code, "proposal", reason="客户重新评估方案",
                   on=AS_OF, today=AS_OF)  # fmt: skip
    assert _deal(store, code).stage == "proposal"


def test_a_stale_version_is_refused_and_nothing_is_written(store):
    code = _new_deal(store)
    with write_session(store.engine) as s:
        edit_deal(s, store.viewers["ra"], code, {"amount": "90万"}, seen_version=1, today=AS_OF)
    # A second tab still showing version 1:
    with pytest.raises(DealError) as refused, write_session(store.engine) as s:
        edit_deal(s, store.viewers["ra"], code, {"next_step": "报价"}, seen_version=1,
                  today=AS_OF)  # fmt: skip
    assert refused.value.code == "conflict"
    deal = _deal(store, code)
    assert (deal.amount_minor, deal.next_step, deal.version) == (90 * WAN, "", 2)
    assert ("amount", str(85 * WAN), str(90 * WAN), "") in _events(store, code)


def test_win_signs_the_contract_and_moves_to_delivery(store):
    code = store.codes["D2"]  # negotiation; its 商务报价 is undone
    with pytest.raises(DealError, match="undone"), write_session(store.engine) as s:
        win_deal(s, store.viewers["ra"], code, signed_on=AS_OF, today=AS_OF)
    with write_session(store.engine) as s:
        win_deal(s, store.viewers["ra"], code, signed_on=AS_OF, reason="客户提前签约", today=AS_OF)
    deal = _deal(store, code)
    assert (deal.status, deal.stage, deal.won_on) == ("won", "delivery", AS_OF)
    with pytest.raises(DealError) as refused, write_session(store.engine) as s:
        lose_deal(s, store.viewers["ra"], code, reason_code="price", on=AS_OF, today=AS_OF)
    assert refused.value.code == "not_open"


def test_lose_takes_a_listed_reason_and_closes_the_stage_stay(store):
    code = store.codes["D7"]  # needs analysis since 02-02
    with pytest.raises(DealError) as refused, write_session(store.engine) as s:
        lose_deal(s, store.viewers["ra"], code, reason_code="whim", on=AS_OF, today=AS_OF)
    assert refused.value.code == "unknown_lost_reason"
    with write_session(store.engine) as s:
        lose_deal(s, store.viewers["ra"], code, reason_code="budget", text="项目预算砍掉",
                  on=AS_OF, today=AS_OF)  # fmt: skip
    deal = _deal(store, code)
    with read_session(store.engine) as s:
        lost_in = s.execute(select(STAGE.c.code).where(STAGE.c.id == deal.lost_stage_id)).scalar()
        open_stays = s.execute(select(func.count()).where(
            HISTORY.c.opportunity_id == deal.id, HISTORY.c.left_on.is_(None))).scalar_one()  # fmt: skip
    assert (deal.status, deal.stage, lost_in, deal.lost_on) == (
        "lost",
        "lost",
        "needs_analysis",
        AS_OF,
    )
    assert (deal.lost_reason_code, deal.lost_reason) == ("budget", "预算取消：项目预算砍掉")
    assert open_stays == 0


def test_replanning_keeps_the_first_planned_date(store):
    code = store.codes["D1"]  # 线索资格确认 planned 02-27, undone
    action = _actions(store, code)[0]
    with write_session(store.engine) as s:
        replan_key_action(s, store.viewers["ra"], code, action.id, planned_on=date(2026, 3, 10),
                          today=AS_OF, reason="客户出差")  # fmt: skip
        with pytest.raises(DealError) as refused:
            replan_key_action(s, store.viewers["ra"], code, action.id,
                              planned_on=date(2026, 3, 1), today=AS_OF)  # fmt: skip
        assert refused.value.code == "planned_in_past"
        replan_key_action(s, store.viewers["ra"], code, action.id, planned_on=date(2026, 3, 12),
                          today=AS_OF)  # fmt: skip
    with read_session(store.engine) as s:
        row = s.execute(select(ACTION.c.planned_on, ACTION.c.first_planned_on).where(
            ACTION.c.id == action.id)).one()  # fmt: skip
    assert row == (date(2026, 3, 12), date(2026, 2, 27))
    moves = [(e.old_value, e.new_value) for e in _events(store, code) if e.kind == "planned_date"]
    assert moves[-2:] == [("2026-02-27", "2026-03-10"), ("2026-03-10", "2026-03-12")]


def test_added_key_action_and_comment_are_on_the_timeline(store):
    code = store.codes["D1"]
    with write_session(store.engine) as s:
        add_key_action(s, store.viewers["ra"], code, action="安排技术交流", planned_on=AS_OF,
                       today=AS_OF)  # fmt: skip
        add_comment(s, store.viewers["ma"], code, "请本周内约见决策人", today=AS_OF)
    kinds = [(e.kind, e.note) for e in _events(store, code)]
    assert ("action_added", "安排技术交流") in kinds and ("comment", "请本周内约见决策人") in kinds


def test_a_deal_out_of_scope_reads_exactly_like_a_missing_one(store):
    errors = []
    for code in (store.codes["D1"], "XS209901999"):
        with pytest.raises(DealError) as refused, write_session(store.engine) as s:
            move_stage(s, store.viewers["rb"], code, "needs_analysis", reason="x", on=AS_OF)
        errors.append((refused.value.code, refused.value.field, set(refused.value.params)))
    assert errors[0] == errors[1] == ("not_found", "code", {"code"})
    with pytest.raises(DealError) as refused, write_session(store.engine) as s:
        add_comment(s, store.viewers["leader"], store.codes["D1"], "看一下", today=AS_OF)
    assert refused.value.code == "read_only"


def test_the_timeline_lists_everything_once_newest_first(store):
    from salesboard.deals.visits import VisitInput, log_visit
    from salesboard.pipeline.opportunity import opportunity_card, opportunity_history

    code, ra = store.codes["D2"], store.viewers["ra"]  # two proposal actions done (builder rows)
    with write_session(store.engine) as s:
        log_visit(s, ra, VisitInput(AS_OF, 30, "李经理", "采购", True, "扩容需求"), code=code,
                  today=AS_OF)  # fmt: skip
        add_comment(s, store.viewers["ma"], code, "价格可以再谈", today=AS_OF)
    with read_session(store.engine) as s:
        history = opportunity_history(s, opportunity_card(s, ra, code))
    rows = list(zip(history["happened_on"].astype(str), history["kind"], strict=True))
    assert rows[:2] == [("2026-03-05", "comment"), ("2026-03-05", "visit")]
    # Key actions done come from their rows (these had no events), once each.
    assert rows.count(("2026-02-27", "action_done")) == 1
    assert rows.count(("2026-02-09", "action_done")) == 1
    assert [k for _, k in rows].count("visit") == 1  # the visit's event is not shown twice
    assert history.loc[history["kind"] == "visit", "new_value"].tolist() == ["effective"]
    assert rows == sorted(rows, key=lambda r: r[0], reverse=True)
