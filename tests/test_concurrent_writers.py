"""Twenty simultaneous writers for a minute (``SALESBOARD_STRESS_SECONDS``, default 60) on a
real store, SQLite file and PostgreSQL server: managers saving overdue-table edits to
opportunities and reps autosaving their feedback forms, through the same functions the pages
call. Proved with counts afterwards: every save that reported success is in the store (version
numbers, history events, audit rows, last value written), the saves refused as stale are
exactly the ones a concurrent writer got in first, and no writer ever saw an unhandled error
such as "database is locked".

Sixteen writers each own a row (8 opportunities, 8 forms); four contend in pairs for one
opportunity and one form, so optimistic concurrency is exercised under load too.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy import func, select

from salesboard.accounts.access import load_viewer
from salesboard.feedback import queries, workflow
from salesboard.pipeline.edits import RowEdit, save_overdue_edits
from salesboard.store.db import read_session, write_session
from salesboard.store.models import (
    AuditLog,
    FeedbackForm,
    Opportunity,
    OpportunityEvent,
    Role,
)
from tests import builders as b

SECONDS = float(os.environ.get("SALESBOARD_STRESS_SECONDS", "60"))
TODAY = date(2026, 11, 20)
OWN_ROWS = 8  # writers with a row of their own, per kind
PERIOD = "2026-10"


@dataclass
class Tally:
    """What one writer did: its successful saves (with the last value), refusals, errors."""

    saved: int = 0
    stale: int = 0
    last_value: str = ""
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def org(engine):
    """One team, its manager, ten reps with an open deal and a started October form each."""
    with write_session(engine) as s:
        team = b.team(s)
        manager = b.user(s, "mia", Role.MANAGER, team=team, manages=[team]).id
        reps = [b.user(s, f"rep{i}", team=team).id for i in range(OWN_ROWS + 2)]
        customer = b.customer(s)
        deals = [
            b.opportunity(
                s, code=f"XS20261100{i:02d}", name=f"项目{i}", customer=customer, owner=rep,
                amount_minor=100_000_00, created_on=date(2026, 10, 1), stage="proposal",
            )
            for i, rep in enumerate(reps)
        ]  # fmt: skip
        deals = [(deal.id, deal.code) for deal in deals]
    form_ids = []
    for rep in reps:
        with write_session(engine) as s:
            form_ids.append(b.feedback_form(s, rep, PERIOD).id)
    with read_session(engine) as s:
        viewers = {uid: load_viewer(s, uid) for uid in [manager, *reps]}
    return {"manager": viewers[manager], "reps": [viewers[r] for r in reps],
            "deals": deals, "forms": form_ids}  # fmt: skip


def _edit_deals(engine, viewer, deal, tally: Tally, stop: float, tag: str) -> None:
    """Load the deal's version, save a new next step; again until ``stop``."""
    deal_id, code = deal
    n = 0
    while time.monotonic() < stop:
        n += 1
        try:
            with read_session(engine) as s:
                seen = s.get(Opportunity, deal_id).version
            value = f"{tag}-{n}"
            with write_session(engine) as s:
                report = save_overdue_edits(
                    s, viewer, [RowEdit(deal_id, code, seen, next_step=value)], TODAY
                )
            if report.saved:
                tally.saved, tally.last_value = tally.saved + 1, value
            elif report.conflicts:
                tally.stale += 1
            else:
                tally.errors.append(f"unexpected report {report}")
        except Exception as error:  # noqa: BLE001 - every error is a finding
            tally.errors.append(f"{type(error).__name__}: {error}")


def _edit_form(engine, viewer, form_id, tally: Tally, stop: float, tag: str) -> None:
    """Load the form, change a KPI's anomaly reason, autosave; again until ``stop``."""
    n = 0
    while time.monotonic() < stop:
        n += 1
        try:
            with read_session(engine) as s:
                form = queries.get_form(s, viewer, form_id)
            body = json.loads(json.dumps(form.body))
            value = f"{tag}-{n}"
            body["kpis"][0]["reason"] = value
            with write_session(engine) as s:
                workflow.save_draft(s, viewer, form_id, form.version, body)
            tally.saved, tally.last_value = tally.saved + 1, value
        except workflow.StaleForm:
            tally.stale += 1
        except Exception as error:  # noqa: BLE001 - every error is a finding
            tally.errors.append(f"{type(error).__name__}: {error}")


@pytest.mark.slow
def test_twenty_writers_lose_no_update_and_never_fail(engine, org):
    manager, reps, deals, form_ids = org["manager"], org["reps"], org["deals"], org["forms"]
    # (kind, row index, writer viewer, tag): 8 + 8 own rows, then two pairs on a shared row.
    plan = [("deal", i, manager, f"d{i}") for i in range(OWN_ROWS)]
    plan += [("form", i, reps[i], f"f{i}") for i in range(OWN_ROWS)]
    shared = OWN_ROWS  # the ninth deal and form are shared by two writers each
    plan += [("deal", shared, manager, "dA"), ("deal", shared, manager, "dB")]
    plan += [("form", shared, reps[shared], "fA"), ("form", shared, reps[shared], "fB")]
    assert len(plan) == 20
    tallies = [Tally() for _ in plan]
    start = threading.Barrier(len(plan))

    def run(index: int) -> None:
        kind, row, viewer, tag = plan[index]
        start.wait()
        stop = time.monotonic() + SECONDS
        if kind == "deal":
            _edit_deals(engine, viewer, deals[row], tallies[index], stop, tag)
        else:
            _edit_form(engine, viewer, form_ids[row], tallies[index], stop, tag)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(plan))]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 120)
    elapsed = time.perf_counter() - began
    assert not any(thread.is_alive() for thread in threads)
    errors = [e for t in tallies for e in t.errors]
    assert errors == [], errors[:5]

    saved = Counter()  # (kind, row) -> successful saves
    last = {}  # (kind, row) -> the value of the writer whose save landed last
    for (kind, row, _, _), tally in zip(plan, tallies, strict=True):
        saved[kind, row] += tally.saved
        last.setdefault((kind, row), set()).add(tally.last_value)
    with read_session(engine) as s:
        for row, (deal_id, code) in enumerate(deals[: OWN_ROWS + 1]):
            deal = s.get(Opportunity, deal_id)
            events = s.execute(
                select(func.count()).where(
                    OpportunityEvent.opportunity_id == deal_id, OpportunityEvent.kind == "next_step"
                )
            ).scalar_one()
            audits = s.execute(
                select(func.count()).where(
                    AuditLog.entity == "opportunity", AuditLog.entity_id == code
                )
            ).scalar_one()
            assert deal.version == 1 + saved["deal", row]
            assert events == audits == saved["deal", row]
            assert deal.next_step in last["deal", row]
        for row, form_id in enumerate(form_ids[: OWN_ROWS + 1]):
            form = s.get(FeedbackForm, form_id)
            audits = s.execute(
                select(func.count()).where(
                    AuditLog.entity == "feedback_form",
                    AuditLog.entity_id == str(form_id),
                    AuditLog.action == "update",
                )
            ).scalar_one()
            assert form.version == 1 + saved["form", row]
            assert audits == saved["form", row]
            assert json.loads(form.body)["kpis"][0]["reason"] in last["form", row]
    # The writers with a row of their own are never refused; the pairs share their row.
    own = [t for (_, row, _, _), t in zip(plan, tallies, strict=True) if row < OWN_ROWS]
    assert all(t.stale == 0 and t.saved > 0 for t in own)
    pairs = [t for (_, row, _, _), t in zip(plan, tallies, strict=True) if row == shared]
    assert sum(t.saved for t in pairs) > 0
    total = sum(t.saved for t in tallies)
    print(
        f"\n{engine.dialect.name}: 20 writers, {elapsed:.0f} s: {total:,} saves "
        f"({total / elapsed:,.0f}/s), deals {sum(saved[k] for k in saved if k[0] == 'deal'):,}, "
        f"forms {sum(saved[k] for k in saved if k[0] == 'form'):,}, "
        f"stale refusals on shared rows {sum(t.stale for t in pairs):,}, errors 0"
    )
