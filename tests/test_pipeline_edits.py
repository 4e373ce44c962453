"""Saving the overdue table's edits: per-row optimistic concurrency, permissions, history
events and the audit log, on the hand-made store (``tests/companies/pipeline.py``)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlmodel import select

from salesboard.accounts.audit import audit_trail
from salesboard.pipeline.edits import RowEdit, edits_from_editor, save_overdue_edits
from salesboard.store.db import read_session, write_session
from salesboard.store.models import KeyAction, Opportunity, OpportunityEvent
from tests.companies.pipeline import AS_OF, build


@pytest.fixture
def store(engine):
    return build(engine)


def loaded(store, label: str) -> tuple[int, str, int]:
    with read_session(store.engine) as s:
        opp = s.get(Opportunity, store.deals[label])
        return opp.id, opp.code, opp.version


def edit(store, label: str, **changes) -> RowEdit:
    opp_id, code, version = loaded(store, label)
    return RowEdit(opportunity_id=opp_id, code=code, seen_version=version, **changes)


def events(store, label: str) -> list[tuple]:
    with read_session(store.engine) as s:
        rows = s.exec(
            select(OpportunityEvent)
            .where(OpportunityEvent.opportunity_id == store.deals[label])
            .where(OpportunityEvent.happened_on == AS_OF)
            .order_by(OpportunityEvent.id)
        ).all()
        return [(e.kind, e.old_value, e.new_value, e.note, e.actor_id) for e in rows]


def test_edits_from_editor_keeps_only_real_changes():
    rows = pd.DataFrame(
        {
            "opportunity_id": [11, 12, 13],
            "code": ["XS1", "XS2", "XS3"],
            "version": [4, 1, 2],
            "risk_flag": ["", "竞品威胁", ""],
            "next_step": ["call", "", ""],
            "planned_on": [date(2026, 3, 9), None, date(2026, 3, 1)],
        }
    )
    edited_rows = {
        0: {"risk_flag": "价格异议", "next_step": "call"},  # next step unchanged
        1: {"risk_flag": None, "comment": "  "},  # flag cleared, blank comment ignored
        "2": {"new_planned_on": "2026-03-01T00:00:00", "comment": "ok"},  # same date
    }
    assert edits_from_editor(rows, edited_rows) == [
        RowEdit(11, "XS1", 4, risk_flag="价格异议"),
        RowEdit(12, "XS2", 1, risk_flag=""),
        RowEdit(13, "XS3", 2, comment="ok"),
    ]
    assert edits_from_editor(rows, {0: {"next_step": "call"}}) == []


def test_save_writes_fields_events_and_audit(store):
    manager = store.viewers["ma"]
    change = edit(
        store, "D7", risk_flag="价格异议", next_step="提交折扣审批",
        planned_on=date(2026, 3, 10), comment="周五前给客户新报价",
    )  # fmt: skip
    with write_session(store.engine) as s:
        report = save_overdue_edits(s, manager, [change], AS_OF)
    assert report.saved == [store.codes["D7"]] and report.ok
    with read_session(store.engine) as s:
        opp = s.get(Opportunity, store.deals["D7"])
        action = s.exec(select(KeyAction).where(KeyAction.opportunity_id == opp.id)).one()
        trail = audit_trail(s, entity="opportunity", entity_id=store.codes["D7"])
    assert (opp.risk_flag, opp.next_step, opp.version) == ("价格异议", "提交折扣审批", 2)
    assert action.planned_on == date(2026, 3, 10)
    assert events(store, "D7") == [
        ("risk_flag", "延迟(客户原因)", "价格异议", "", manager.user_id),
        ("next_step", "", "提交折扣审批", "", manager.user_id),
        ("planned_date", "2026-02-20", "2026-03-10", "", manager.user_id),
        ("comment", "", "", "周五前给客户新报价", manager.user_id),
    ]
    assert len(trail) == 1 and trail.iloc[0]["actor_name"] == "ma"
    assert "价格异议" in trail.iloc[0]["new_values"]


def test_two_managers_editing_different_rows_both_land(store):
    first = edit(store, "D1", risk_flag="预算风险")  # loaded by manager 1
    second = edit(store, "D7", next_step="约决策人")  # loaded by manager 2 at the same time
    with write_session(store.engine) as s:
        assert save_overdue_edits(s, store.viewers["ma"], [first], AS_OF).saved
    with write_session(store.engine) as s:
        assert save_overdue_edits(s, store.viewers["admin"], [second], AS_OF).saved
    with read_session(store.engine) as s:
        assert s.get(Opportunity, store.deals["D1"]).risk_flag == "预算风险"
        assert s.get(Opportunity, store.deals["D7"]).next_step == "约决策人"


def test_a_stale_row_is_refused_by_code_while_the_others_save(store):
    stale_d1 = edit(store, "D1", risk_flag="竞品威胁")
    with write_session(store.engine) as s:  # someone else saves D1 first
        save_overdue_edits(s, store.viewers["admin"], [edit(store, "D1", next_step="x")], AS_OF)
    batch = [stale_d1, edit(store, "D7", risk_flag="预算风险")]
    with write_session(store.engine) as s:
        report = save_overdue_edits(s, store.viewers["ma"], batch, AS_OF)
    assert report.conflicts == [store.codes["D1"]] and report.saved == [store.codes["D7"]]
    with read_session(store.engine) as s:
        d1 = s.get(Opportunity, store.deals["D1"])
        assert (d1.risk_flag, d1.next_step, d1.version) == ("", "x", 2)  # not overwritten
        assert s.get(Opportunity, store.deals["D7"]).risk_flag == "预算风险"
    assert [e[0] for e in events(store, "D1")] == ["next_step"]


@pytest.mark.parametrize(
    ("actor", "label", "allowed"),
    [
        ("leader", "D1", False),  # leaders read only
        ("mb", "D1", False),  # another team's manager
        ("rb", "D1", False),  # another rep's deal
        ("ra", "D1", True),  # the owner
        ("ma", "D1", True),  # the team's manager
        ("admin", "D6", True),
    ],
)
def test_only_those_allowed_to_write_the_row_save_it(store, actor, label, allowed):
    with write_session(store.engine) as s:
        report = save_overdue_edits(
            s, store.viewers[actor], [edit(store, label, comment="看一下")], AS_OF
        )
    assert (report.saved == [store.codes[label]]) is allowed
    assert (report.denied == [store.codes[label]]) is not allowed
    assert bool(events(store, label)) is allowed


def test_a_signed_deal_in_delivery_can_be_followed_up(store):
    """Won = signed; delivery stays controlled, so the review can act on it (issue 13)."""
    with write_session(store.engine) as s:
        report = save_overdue_edits(
            s, store.viewers["admin"], [edit(store, "D4", next_step="约客户验收")], AS_OF
        )
    assert report.saved == [store.codes["D4"]]
    with read_session(store.engine) as s:
        assert s.get(Opportunity, store.deals["D4"]).next_step == "约客户验收"


@pytest.mark.parametrize(
    ("label", "changes", "reason"),
    [
        ("D7", {"planned_on": date(2026, 3, 4)}, "planned_in_past"),
        ("D6", {"planned_on": date(2026, 3, 20)}, "no_open_action"),  # D6 has no key action
        # Lost: closed to edits. (Until issue 13 the won D4 was refused too; a signed deal
        # in delivery is now under control, see the test below.)
        ("D3", {"comment": "lost already"}, "not_open"),
        ("D7", {"next_step": "x" * 201}, "next_step_too_long"),
    ],
)
def test_invalid_rows_are_reported_and_not_saved(store, label, changes, reason):
    with write_session(store.engine) as s:
        report = save_overdue_edits(
            s, store.viewers["admin"], [edit(store, label, **changes)], AS_OF
        )
    assert report.invalid == [(store.codes[label], reason)] and not report.saved
    assert loaded(store, label)[2] == 1
