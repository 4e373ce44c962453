"""Leads arriving on both backends: checked fields (a refusal names the field and writes
nothing), scored, routed and assigned at once; round robin with 20 concurrent arrivals
spreads evenly (5 each to 4 reps, none skipped or doubled); an idempotency key replays the
same post and refuses a different one."""

from __future__ import annotations

import threading
from collections import Counter
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from salesboard.leads.arrival import LeadInput, receive_lead
from salesboard.leads.errors import LeadError
from salesboard.store.db import read_session, write_session
from salesboard.store.tables import AUDIT, LEAD, LEAD_CURSOR
from tests.leads.company import EAST_REPS, build


def _lead(**fields) -> LeadInput:
    return LeadInput(**{"source": "website", "company": "甲公司", "region": "east", **fields})


def _count(engine) -> int:
    with read_session(engine) as s:
        return s.execute(select(func.count()).select_from(LEAD)).scalar_one()


def test_a_lead_is_scored_routed_and_assigned_on_arrival(engine):
    co = build(engine)
    with write_session(engine) as s:
        lead_id, created = receive_lead(
            s, co.viewers["admin"],
            _lead(industry="制造业", budget="80万", urgency="high", fit="high",
                  contact_phone="138 0013 8000", contact_email="li@example.com"),
        )  # fmt: skip
    assert created
    with read_session(engine) as s:
        row = s.execute(select(LEAD).where(LEAD.c.id == lead_id)).one()
        audited = s.execute(select(AUDIT.c.entity).where(AUDIT.c.entity == "lead")).all()
    # budget 30 + urgency 20 + fit 30 + 制造业 5; the direct rule gives it to e1.
    assert row.score == 85 and row.budget_minor == 80_0000_00
    assert (row.status, row.assigned_to, row.rule_id) == ("assigned", co.ids["e1"],
                                                          co.ids["rule_direct"])  # fmt: skip
    assert row.team_id == co.ids["team_east"] and row.assigned_at is not None
    assert len(audited) == 1


def test_a_lead_no_rule_matches_waits_unassigned(engine):
    co = build(engine)
    with write_session(engine) as s:
        lead_id, _ = receive_lead(s, co.viewers["admin"], _lead(region=""))
    with read_session(engine) as s:
        row = s.execute(select(LEAD).where(LEAD.c.id == lead_id)).one()
    assert (row.status, row.assigned_to, row.team_id, row.assigned_at) == ("new", None, None, None)


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"source": "fax"}, "unknown_source", "source"),
        ({"company": "  "}, "required", "company"),
        ({"company": "x" * 129}, "too_long", "company"),
        ({"contact_email": "not-an-address"}, "bad_email", "contact_email"),
        ({"contact_phone": "call me"}, "bad_phone", "contact_phone"),
        ({"region": "mars"}, "unknown_region", "region"),
        ({"budget": "很多"}, "bad_budget", "budget"),
        ({"urgency": "asap"}, "bad_level", "urgency"),
    ],
)
def test_bad_fields_are_refused_naming_the_field_and_nothing_is_written(
    engine, fields, code, field
):
    co = build(engine)
    with pytest.raises(LeadError) as refused, write_session(engine) as s:
        receive_lead(s, co.viewers["admin"], _lead(**fields))
    assert (refused.value.code, refused.value.field) == (code, field)
    assert _count(engine) == 0


def test_a_leader_may_not_add_leads(engine):
    co = build(engine)
    with pytest.raises(LeadError, match="may not"), write_session(engine) as s:
        receive_lead(s, co.viewers["lead"], _lead())


ARRIVALS = 20


def test_twenty_concurrent_arrivals_spread_evenly_over_the_team(engine):
    co = build(engine)
    errors: list[str] = []
    start = threading.Barrier(ARRIVALS)

    def arrive(n: int) -> None:
        try:
            start.wait()
            with write_session(engine) as s:
                receive_lead(s, co.viewers["admin"], _lead(company=f"客户{n}", industry="零售"))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))

    threads = [threading.Thread(target=arrive, args=(n,)) for n in range(ARRIVALS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with read_session(engine) as s:
        rows = s.execute(select(LEAD.c.id, LEAD.c.assigned_to).order_by(LEAD.c.id)).all()
        cursor = s.execute(select(LEAD_CURSOR)).one()
    counts = Counter(assigned for _, assigned in rows)
    assert counts == {co.ids[name]: ARRIVALS // len(EAST_REPS) for name in EAST_REPS}
    # In arrival (commit) order the reps take strict turns: no one skipped or doubled.
    order = [assigned for _, assigned in rows]
    reps = sorted(co.ids[name] for name in EAST_REPS)
    assert all(b == reps[(reps.index(a) + 1) % len(reps)] for a, b in pairwise(order))
    assert cursor.turns == ARRIVALS


def test_a_retried_post_replays_and_a_different_one_with_the_key_is_refused(engine):
    co = build(engine)
    with write_session(engine) as s:
        first, created = receive_lead(s, co.viewers["admin"], _lead(), idempotency_key="k-1")
    with write_session(engine) as s:
        again, created_again = receive_lead(s, co.viewers["admin"], _lead(), idempotency_key="k-1")
    assert created and not created_again and again == first
    with pytest.raises(LeadError) as refused, write_session(engine) as s:
        receive_lead(s, co.viewers["admin"], _lead(company="乙公司"), idempotency_key="k-1")
    assert refused.value.code == "idempotency_conflict"
    with write_session(engine) as s:  # the same key from another source is another lead
        other, made = receive_lead(s, co.viewers["admin"], _lead(source="partner"),
                                   idempotency_key="k-1")  # fmt: skip
    assert made and other != first
    assert _count(engine) == 2


def test_concurrent_retries_of_one_post_make_one_lead(engine):
    co = build(engine)
    results, errors = [], []
    start = threading.Barrier(8)

    def post() -> None:
        try:
            start.wait()
            with write_session(engine) as s:
                results.append(
                    receive_lead(s, co.viewers["admin"], _lead(), idempotency_key="same")
                )
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({lead_id for lead_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert _count(engine) == 1
    with read_session(engine) as s:  # the duplicates took no turn
        assert s.execute(select(LEAD_CURSOR.c.turns)).scalar_one() == 1
