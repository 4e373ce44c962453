"""Support requests on a real store (both backends): who sees and does what, the version
check, history and audit, the risk flag through the deal write path, the queue and the
breach list."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from salesboard.accounts.audit import audit_trail
from salesboard.calendar.workdays import make_calendar
from salesboard.pipeline.opportunity import opportunity_card
from salesboard.store.db import read_session, write_session
from salesboard.store.models import Department, DepartmentMember, Role
from salesboard.store.reference_data import ensure_reference_data
from salesboard.store.tables import EVENT, OPP
from salesboard.support.errors import SupportError
from salesboard.support.requests import (
    answer,
    breaches,
    cancel_request,
    close_request,
    deal_requests,
    queue,
    raise_request,
    request_for,
    request_history,
)
from salesboard.support.risk import SUPPORT_RISK_FLAG
from tests import builders as b

TODAY = date(2026, 2, 13)  # a Friday before the Spring Festival; Sat 02-14 is a 调休 day
CN = make_calendar("CN")


@pytest.fixture
def company(engine):
    """Teams 一组 (m1, r1, deal one) and 二组 (m2, r2, deal two), an engineer in 技术部 (role
    support), a finance approver who is a manager elsewhere, a leader and an admin."""
    with write_session(engine) as s:
        b.stages(s)
        ensure_reference_data(s)
        one, two = b.team(s, "一组"), b.team(s, "二组")
        users = {
            "m1": b.user(s, "m1", Role.MANAGER, team=one, manages=[one]),
            "m2": b.user(s, "m2", Role.MANAGER, team=two, manages=[two]),
            "r1": b.user(s, "r1", team=one), "r2": b.user(s, "r2", team=two),
            "eng": b.user(s, "eng", Role.SUPPORT), "boss": b.user(s, "boss", Role.LEADER),
            "admin": b.user(s, "admin", Role.ADMIN),
        }  # fmt: skip
        depts = dict(s.execute(select(Department.code, Department.id)).all())
        s.add(DepartmentMember(department_id=depts["tech"], user_id=users["eng"].id))
        s.add(DepartmentMember(department_id=depts["finance"], user_id=users["m2"].id))
        deals = {
            "one": b.opportunity(s, owner=users["r1"], created_on="2026-02-01").code,
            "two": b.opportunity(s, owner=users["r2"], created_on="2026-02-01").code,
        }
        ids = {k: u.id for k, u in users.items()}
    return {"deals": deals, **{k: b.viewer(engine, v) for k, v in ids.items()}}


def new(engine, actor, code, type_code="tech_proposal", **kw):
    with write_session(engine) as s:
        return raise_request(s, actor, code, type_code=type_code, what=kw.pop("what", "需要技术方案"),
                             expected_on=kw.pop("expected_on", date(2026, 2, 25)), today=kw.pop("today", TODAY), **kw)  # fmt: skip


def ids_seen(engine, viewer, **kw):
    with read_session(engine) as s:
        return set(queue(s, viewer, TODAY, calendar=CN, statuses=(), **kw)["id"])


def test_scope_reps_managers_departments_and_leaders(engine, company):
    c = company
    one = new(engine, c["r1"], c["deals"]["one"])
    two = new(engine, c["r2"], c["deals"]["two"])
    price = new(engine, c["r1"], c["deals"]["one"], "price_approval")
    assert ids_seen(engine, c["r1"]) == {one, price}
    assert ids_seen(engine, c["r2"]) == {two}
    assert ids_seen(engine, c["m1"]) == {one, price}
    # m2 sees their team's deal and, as a finance member, the price approval of team one.
    assert ids_seen(engine, c["m2"]) == {two, price}
    assert ids_seen(engine, c["m2"], mine=True) == {price}
    assert ids_seen(engine, c["eng"]) == {one, two}
    assert ids_seen(engine, c["boss"]) == ids_seen(engine, c["admin"]) == {one, two, price}
    with read_session(engine) as s, pytest.raises(SupportError) as hidden:
        request_for(s, c["r2"], one)
    assert hidden.value.code == "not_found"
    with read_session(engine) as s, pytest.raises(SupportError) as missing:
        request_for(s, c["r2"], 999_999)
    assert missing.value.code == "not_found"


def test_engineer_sees_the_deal_header_but_cannot_open_the_deal(engine, company):
    c = company
    one = new(engine, c["r1"], c["deals"]["one"])
    with read_session(engine) as s:
        seen = request_for(s, c["eng"], one)
        assert seen["code"] == c["deals"]["one"] and seen["owner"] == "r1"
        assert seen.answerable and not seen.cancellable
        # The deal page reads "not found" for the engineer, as for a deal that does not exist.
        assert opportunity_card(s, c["eng"], c["deals"]["one"]) is None
        assert opportunity_card(s, c["eng"], "XS209901999") is None


def test_only_deal_writers_raise_requests(engine, company):
    c = company
    for actor, code in ((c["r2"], "not_found"), (c["eng"], "not_found"), (c["boss"], "read_only")):
        with pytest.raises(Exception) as refused:
            new(engine, actor, c["deals"]["one"])
        assert refused.value.code == code
    with pytest.raises(SupportError) as bad:
        new(engine, c["r1"], c["deals"]["one"], what="  ")
    assert (bad.value.code, bad.value.field) == ("required", "what")
    with pytest.raises(SupportError) as bad:
        new(engine, c["r1"], c["deals"]["one"], "nonsense")
    assert (bad.value.code, bad.value.field) == ("unknown_type", "type")
    with pytest.raises(SupportError) as bad:
        new(engine, c["r1"], c["deals"]["one"], expected_on=date(2026, 2, 1))
    assert bad.value.field == "expected_on"
    assert ids_seen(engine, c["admin"]) == set()  # nothing written by the refusals


def test_lifecycle_history_audit_and_version(engine, company):
    c = company
    rid = new(engine, c["r1"], c["deals"]["one"], urgency="high")
    with write_session(engine) as s, pytest.raises(SupportError) as refused:
        answer(s, c["m1"], rid, 1, today=TODAY)  # the rep's manager is not in 技术部
    assert refused.value.code == "read_only"
    with write_session(engine) as s:
        answer(s, c["eng"], rid, 1, note="已安排工程师", today=date(2026, 2, 14))
    with write_session(engine) as s, pytest.raises(SupportError) as stale:
        close_request(s, c["eng"], rid, 1, resolution="done", today=date(2026, 2, 24))
    assert stale.value.code == "conflict"
    with write_session(engine) as s, pytest.raises(SupportError) as empty:
        close_request(s, c["eng"], rid, 2, resolution=" ", today=date(2026, 2, 24))
    assert (empty.value.code, empty.value.field) == ("required", "resolution")
    with write_session(engine) as s:
        close_request(s, c["eng"], rid, 2, resolution="方案已提交", today=date(2026, 2, 24))
    with read_session(engine) as s:
        seen = request_for(s, c["r1"], rid)
        assert (seen["status"], seen["responded_on"], seen["closed_on"]) == (
            "closed", date(2026, 2, 14), date(2026, 2, 24))  # fmt: skip
        assert not seen.answerable and not seen.cancellable
        steps = request_history(s, c["r1"], rid)
        assert list(steps["kind"]) == ["raised", "accepted", "closed"]
        assert list(steps["actor"]) == ["r1", "eng", "eng"]
        trail = audit_trail(s, entity="support_request", entity_id=rid)
        assert sorted(trail["action"]) == ["create", "transition", "transition"]
    with write_session(engine) as s, pytest.raises(SupportError) as closed:
        answer(s, c["eng"], rid, 3, note="again", today=TODAY)
    assert closed.value.code == "not_open"


def test_risk_flag_is_raised_while_open_and_cleared_on_close(engine, company):
    c = company
    code = c["deals"]["one"]
    first = new(engine, c["r1"], code, sets_risk=True)
    second = new(engine, c["r1"], code, "legal_review", sets_risk=True)
    with read_session(engine) as s:
        flag, version = s.execute(
            select(OPP.c.risk_flag, OPP.c.version).where(OPP.c.code == code)
        ).one()
        assert (flag, version) == (SUPPORT_RISK_FLAG, 2)  # one bump: the second found it set
        events = s.execute(select(EVENT.c.kind, EVENT.c.new_value, EVENT.c.actor_id)).all()
        assert events == [("risk_flag", SUPPORT_RISK_FLAG, c["r1"].user_id)]
    with write_session(engine) as s:
        close_request(s, c["eng"], first, 1, resolution="ok", today=TODAY)
    with read_session(engine) as s:  # the legal review still sets risk: the flag stays
        assert (
            s.execute(select(OPP.c.risk_flag).where(OPP.c.code == code)).scalar()
            == SUPPORT_RISK_FLAG
        )
    with write_session(engine) as s:
        cancel_request(s, c["r1"], second, 1, reason="客户撤回", today=TODAY)
    with read_session(engine) as s:
        flag, version = s.execute(
            select(OPP.c.risk_flag, OPP.c.version).where(OPP.c.code == code)
        ).one()
        assert (flag, version) == ("", 3)
        kinds = s.execute(
            select(EVENT.c.kind, EVENT.c.old_value, EVENT.c.actor_id).order_by(EVENT.c.id)
        ).all()
        assert kinds[-1] == ("risk_flag", SUPPORT_RISK_FLAG, c["r1"].user_id)
        trail = audit_trail(s, entity="opportunity", entity_id=code)
        assert len(trail) == 2


def test_a_flag_the_rep_chose_is_left_alone(engine, company):
    c = company
    code = c["deals"]["two"]
    with write_session(engine) as s:
        from salesboard.deals.fields import edit_deal

        edit_deal(s, c["r2"], code, {"risk_flag": "竞品威胁"}, seen_version=1, today=TODAY)
    rid = new(engine, c["r2"], code, sets_risk=True)
    with write_session(engine) as s:
        close_request(s, c["eng"], rid, 1, resolution="ok", today=TODAY)
    with read_session(engine) as s:
        assert s.execute(select(OPP.c.risk_flag).where(OPP.c.code == code)).scalar() == "竞品威胁"


def test_queue_order_and_breach_list(engine, company):
    c = company
    late = new(engine, c["r1"], c["deals"]["one"], today=date(2026, 2, 12))  # Thu
    fresh = new(engine, c["r1"], c["deals"]["one"], urgency="high", expected_on=date(2026, 3, 2),
                today=date(2026, 2, 24))  # fmt: skip
    answered_late = new(engine, c["r2"], c["deals"]["two"], today=date(2026, 2, 12))
    with write_session(engine) as s:
        answer(
            s, c["eng"], answered_late, 1, today=date(2026, 2, 25)
        )  # Fri, Sat (调休), Tue, Wed: 4
    with read_session(engine) as s:
        on = date(2026, 2, 24)
        shown = queue(s, c["eng"], on, calendar=CN)
        assert list(shown["id"]) == [fresh, late, answered_late]  # open first, then high urgency
        found = breaches(s, c["boss"], date(2026, 2, 25), calendar=CN, since=date(2026, 2, 23))
        assert list(found["id"]) == [late, answered_late]
        assert list(found["over_days"]) == [2, 2]
        assert list(
            breaches(s, c["m2"], date(2026, 2, 25), calendar=CN, since=date(2026, 2, 23))["id"]
        ) == [answered_late]
        assert breaches(
            s, c["boss"], date(2026, 2, 23), calendar=CN
        ).empty  # the festival does not count
        deal_id = s.execute(select(OPP.c.id).where(OPP.c.code == c["deals"]["one"])).scalar()
        per_deal = deal_requests(s, c["r1"], deal_id, on)
        assert set(per_deal["id"]) == {late, fresh}
