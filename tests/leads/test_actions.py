"""Working leads on both backends: scope (a rep their own, a manager their teams' incl. the
ones waiting for the team, leaders/admins all; out of scope reads as missing), assigning,
converting into a deal that enters its first stage at conversion (twice refused), rejecting
with a reason, stale versions refused; time-to-assign breaches and conversion by source."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from salesboard.leads.actions import assign_lead, convert_lead, reject_lead
from salesboard.leads.arrival import LeadInput, receive_lead
from salesboard.leads.errors import LeadError
from salesboard.leads.queries import conversion_by_source, lead_breaches, lead_for, list_leads
from salesboard.store.db import read_session, write_session
from salesboard.store.tables import AUDIT, HISTORY, LEAD, OPP
from tests.leads.company import build

TODAY = date(2026, 11, 23)


def _arrive(engine, viewer, **fields) -> int:
    with write_session(engine) as s:
        return receive_lead(s, viewer, LeadInput(**{"source": "website", "company": "甲公司",
                                                    "region": "east", **fields}))[0]  # fmt: skip


def _version(engine, lead_id) -> int:
    with read_session(engine) as s:
        return s.execute(select(LEAD.c.version).where(LEAD.c.id == lead_id)).scalar_one()


def test_scope_by_role(engine):
    co = build(engine)
    admin = co.viewers["admin"]
    to_e1 = _arrive(engine, admin, industry="制造业")
    waiting = _arrive(engine, admin, region="")
    south = _arrive(engine, admin, region="south", company="南方公司")
    with read_session(engine) as s:
        seen = {name: set(list_leads(s, co.viewers[name])["id"]) for name in
                ("e1", "e2", "me", "ms", "lead", "admin")}  # fmt: skip
        with pytest.raises(LeadError) as missing:
            lead_for(s, co.viewers["e2"], to_e1)
    assert seen["e1"] == {to_e1} and seen["e2"] == set()
    assert seen["me"] == {to_e1} and seen["ms"] == {south}
    assert seen["lead"] == seen["admin"] == {to_e1, waiting, south}
    assert missing.value.code == "not_found"


def test_a_manager_assigns_within_their_teams(engine):
    co = build(engine)
    lead_id = _arrive(engine, co.viewers["admin"], industry="制造业")  # → e1
    with write_session(engine) as s:
        assign_lead(s, co.viewers["me"], lead_id, "e3", seen_version=1)
    with read_session(engine) as s:
        row = s.execute(select(LEAD).where(LEAD.c.id == lead_id)).one()
    assert row.assigned_to == co.ids["e3"] and row.version == 2
    for who, target, code in (("ms", "s1", "not_found"), ("me", "s1", "unknown_rep"),
                              ("e3", "e2", "read_only"), ("me", "e2", "conflict")):  # fmt: skip
        with pytest.raises(LeadError) as refused, write_session(engine) as s:
            assign_lead(
                s, co.viewers[who], lead_id, target, seen_version=1 if code == "conflict" else 2
            )
        assert refused.value.code == code


def test_converting_creates_the_deal_in_its_first_stage_once(engine):
    co = build(engine)
    lead_id = _arrive(engine, co.viewers["admin"], industry="制造业", budget="30万")
    with write_session(engine) as s:
        code = convert_lead(s, co.viewers["e1"], lead_id, seen_version=1, product_line="cloud",
                            amount=None, today=TODAY)  # fmt: skip
    with read_session(engine) as s:
        deal = s.execute(select(OPP).where(OPP.c.code == code)).one()
        entered = s.execute(
            select(HISTORY.c.entered_on).where(HISTORY.c.opportunity_id == deal.id)
        ).scalar_one()
        row = s.execute(select(LEAD).where(LEAD.c.id == lead_id)).one()
        audits = s.execute(select(AUDIT.c.summary).where(AUDIT.c.entity == "lead")).scalars().all()
    assert (deal.owner_id, deal.amount_minor, deal.source) == (co.ids["e1"], 30_0000_00, "website")
    assert deal.created_on == entered == TODAY
    assert (row.status, row.opportunity_id) == ("converted", deal.id)
    assert any(code in a for a in audits)
    with pytest.raises(LeadError) as twice, write_session(engine) as s:
        convert_lead(s, co.viewers["e1"], lead_id, seen_version=row.version, product_line="cloud",
                     amount="10万", today=TODAY)  # fmt: skip
    assert twice.value.code == "already_converted"


def test_a_failed_conversion_writes_nothing(engine):
    co = build(engine)
    lead_id = _arrive(engine, co.viewers["admin"], industry="制造业", company="新客户")
    with pytest.raises(ValueError), write_session(engine) as s:
        convert_lead(s, co.viewers["e1"], lead_id, seen_version=1, product_line="nope",
                     amount="10万", today=TODAY)  # fmt: skip
    with read_session(engine) as s:
        assert (
            s.execute(select(LEAD.c.status).where(LEAD.c.id == lead_id)).scalar_one() == "assigned"
        )
        assert s.execute(select(OPP.c.id)).first() is None


def test_rejecting_needs_a_known_reason_and_a_note_for_other(engine):
    co = build(engine)
    lead_id = _arrive(engine, co.viewers["admin"], industry="制造业")
    for reason, note, code in (("bogus", "", "bad_reason"), ("other", " ", "required")):
        with pytest.raises(LeadError) as refused, write_session(engine) as s:
            reject_lead(s, co.viewers["e1"], lead_id, seen_version=1, reason=reason, note=note)
        assert refused.value.code == code
    with pytest.raises(LeadError) as refused, write_session(engine) as s:
        reject_lead(s, co.viewers["lead"], lead_id, seen_version=1, reason="spam")
    assert refused.value.code == "read_only"
    with write_session(engine) as s:
        reject_lead(
            s, co.viewers["e1"], lead_id, seen_version=1, reason="no_budget", note="明年再说"
        )
    with read_session(engine) as s:
        row = s.execute(select(LEAD).where(LEAD.c.id == lead_id)).one()
    assert (row.status, row.reject_reason, row.reject_note) == ("rejected", "no_budget", "明年再说")


def _stamp(engine, lead_id, received: str, assigned: str | None) -> None:
    parse = lambda t: datetime.fromisoformat(t + "+08:00").astimezone(UTC)  # noqa: E731
    with write_session(engine) as s:
        s.execute(update(LEAD).where(LEAD.c.id == lead_id).values(
            received_at=parse(received), assigned_at=parse(assigned) if assigned else None,
            **({} if assigned else {"assigned_to": None, "status": "new"})))  # fmt: skip


def test_breaches_count_working_minutes_against_the_standard(engine):
    co = build(engine)
    admin = co.viewers["admin"]
    ok, late, waiting = (_arrive(engine, admin, industry="制造业") for _ in range(3))
    south = _arrive(engine, admin, region="south")
    _stamp(engine, ok, "2026-11-20T17:30", "2026-11-23T09:20")  # 50 minutes: within
    _stamp(engine, late, "2026-11-20T16:30", "2026-11-23T09:20")  # 110 minutes
    _stamp(engine, waiting, "2026-11-23T09:00", None)  # still waiting at 11:00: 120
    _stamp(engine, south, "2026-11-23T08:00", "2026-11-23T11:00")  # 120, another team
    at = datetime.fromisoformat("2026-11-23T11:00+08:00")
    with read_session(engine) as s:
        everyone = lead_breaches(s, admin, at=at)
        manager = lead_breaches(s, co.viewers["me"], at=at)
        longest = lead_breaches(s, admin, at=at, limit=2)
    assert everyone.count == 3 and set(everyone.longest["id"]) == {late, waiting, south}
    minutes = dict(zip(everyone.longest["id"], everyone.longest["minutes_to_assign"], strict=True))
    assert minutes == {late: 110, waiting: 120, south: 120}
    assert everyone.longest.set_index("id").loc[waiting, "waiting"]
    assert (
        everyone.longest.set_index("id").loc[south, "team"]
        != everyone.longest.set_index("id").loc[late, "team"]
    )  # list rows joined to the right lead
    # The limit keeps the longest (ties by id) and still counts them all.
    assert longest.count == 3 and list(longest.longest["id"]) == sorted([waiting, south])
    assert manager.count == 2 and set(manager.longest["id"]) == {late, waiting}


def test_conversion_by_source_and_month(engine):
    co = build(engine)
    admin = co.viewers["admin"]
    ids = [_arrive(engine, admin, industry="制造业", source=src) for src in
           ("website", "website", "website", "referral")]  # fmt: skip
    with write_session(engine) as s:
        convert_lead(s, co.viewers["e1"], ids[0], seen_version=1, product_line="cloud",
                     amount="10万", today=TODAY)  # fmt: skip
    with write_session(engine) as s:  # one website lead a month earlier
        s.execute(
            update(LEAD)
            .where(LEAD.c.id == ids[2])
            .values(received_at=datetime(2026, 10, 31, 17, tzinfo=UTC))
        )  # 11-01 01:00 in Shanghai
        s.execute(
            update(LEAD)
            .where(LEAD.c.id == ids[1])
            .values(received_at=datetime(2026, 10, 31, 15, tzinfo=UTC))
        )  # 10-31 23:00 in Shanghai
    now = datetime.now(UTC).astimezone().date()
    with read_session(engine) as s:
        frame = conversion_by_source(s, admin, date(2026, 10, 1), max(now, TODAY) + timedelta(days=1),
                                     "Asia/Shanghai")  # fmt: skip
    rows = {(r.month, r.source): (r.received, r.converted) for r in frame.itertuples()}
    month = datetime.now(UTC).astimezone().strftime("%Y-%m")
    assert rows[("2026-10", "website")] == (1, 0)
    assert rows[(month, "referral")] == (1, 0)
    assert sum(r for r, _ in rows.values()) == 4
    assert sum(c for _, c in rows.values()) == 1


def test_conversion_counts_the_range_by_the_company_zone(engine):
    """The first and last moments of the range are the company zone's, on both backends
    (SQLite compares stored UTC stamps as text)."""
    co = build(engine)
    admin = co.viewers["admin"]
    stamps = {  # UTC → Shanghai wall-clock time
        datetime(2026, 9, 30, 15, 30, tzinfo=UTC): None,  # 09-30 23:30: before the range
        datetime(2026, 9, 30, 16, 30, tzinfo=UTC): "2026-10",  # 10-01 00:30
        datetime(2026, 11, 30, 15, 59, tzinfo=UTC): "2026-11",  # 11-30 23:59
        datetime(2026, 11, 30, 16, 1, tzinfo=UTC): None,  # 12-01 00:01: after it
    }
    for stamp in stamps:
        lead = _arrive(engine, admin, industry="制造业")
        with write_session(engine) as s:
            s.execute(update(LEAD).where(LEAD.c.id == lead).values(received_at=stamp))
    with read_session(engine) as s:
        frame = conversion_by_source(s, admin, date(2026, 10, 1), date(2026, 11, 30),
                                     "Asia/Shanghai")  # fmt: skip
    assert dict(zip(frame["month"], frame["received"], strict=True)) == {"2026-10": 1, "2026-11": 1}
    assert frame["rate"].tolist() == [0.0, 0.0]
