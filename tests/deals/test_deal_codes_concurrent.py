"""Deal codes under concurrency, both backends: twenty creators at once get twenty distinct
codes and twenty deals (no duplicate, no lost write); a code an import took ahead of the
sequence is skipped."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select

from salesboard.deals.codes import next_code
from salesboard.deals.create import create_deal
from salesboard.store.db import read_session, write_session
from salesboard.store.tables import OPP
from tests import builders as b
from tests.companies.pipeline import AS_OF, build

CREATORS = 20


def test_twenty_concurrent_creators_get_distinct_codes(engine):
    store = build(engine)
    ra = store.viewers["ra"]
    codes, errors = [], []
    start = threading.Barrier(CREATORS)

    def create(n: int) -> None:
        try:
            start.wait()
            with write_session(engine) as s:
                codes.append(create_deal(s, ra, customer="D1客户", product_line="cloud",
                                         amount=f"{n + 1}万", on=AS_OF, today=AS_OF))  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))

    threads = [threading.Thread(target=create, args=(n,)) for n in range(CREATORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(codes)) == CREATORS
    # D5 holds XS202603001; the sequence continues from it without gaps.
    assert sorted(codes) == [f"XS202603{n:03d}" for n in range(2, CREATORS + 2)]
    with read_session(engine) as s:
        stored = s.execute(select(func.count()).where(OPP.c.code.like("XS202603%"))).scalar_one()
        amounts = s.execute(select(func.sum(OPP.c.amount_minor)).where(
            OPP.c.code.in_(codes))).scalar_one()  # fmt: skip
    assert stored == CREATORS + 1
    assert amounts == sum(range(1, CREATORS + 1)) * b.WAN  # every write landed


def test_a_code_taken_by_an_import_is_skipped(engine):
    build(engine)
    with write_session(engine) as s:
        assert next_code(s, date(2026, 5, 1)) == "XS202605001"
        owner = b.user(s, "rz", team=b.team(s, "导入组"))
        b.opportunity(s, owner=owner, code="XS202605002", created_on="2026-05-01")
        assert next_code(s, date(2026, 5, 2)) == "XS202605003"
