"""Leads from a spreadsheet on both backends: Chinese headers, 高/中/低 levels and a received
time in the company zone; rows scored and assigned (round robin) on import; one bad row is
reported by row number and field and nothing is written; a dry run writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from salesboard.leads.sheet import import_leads
from salesboard.store.db import read_session, write_session
from salesboard.store.tables import LEAD
from tests.leads.company import build

GOOD = (
    "来源,公司,联系人,电话,区域,行业,预算,紧急度,接收时间\n"
    "website,甲公司,李雷,13800138000,east,零售,50万,高,2026-11-20 17:30\n"
    "referral,乙公司,韩梅梅,13900139000,east,零售,,中,2026-11-23\n"
)


def _count(engine) -> int:
    with read_session(engine) as s:
        return s.execute(select(func.count()).select_from(LEAD)).scalar_one()


def test_a_sheet_imports_scored_and_assigned(engine):
    co = build(engine)
    with write_session(engine) as s:
        report = import_leads(s, co.viewers["admin"], GOOD.encode(), "leads.csv")
    assert report.ok and len(report.created) == 2 and report.rows == 2
    with read_session(engine) as s:
        rows = s.execute(select(LEAD).order_by(LEAD.c.id)).all()
    assert [r.score for r in rows] == [30 + 20, 10 + 10]
    assert {r.assigned_to for r in rows} == {co.ids["e1"], co.ids["e2"]}  # in turn
    assert rows[0].received_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert rows[1].received_at == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # a date: 09:00


def test_one_bad_row_is_named_and_nothing_is_written(engine):
    co = build(engine)
    bad = GOOD + "fax,丙公司,,,east,,,,\nwebsite,丁公司,,,east,,很多,,\n"
    with write_session(engine) as s:
        report = import_leads(s, co.viewers["admin"], bad.encode(), "leads.csv")
    assert [(row, field, code) for row, field, code, _ in report.problems] == [
        (4, "source", "unknown_source"), (5, "budget", "bad_budget")]  # fmt: skip
    assert _count(engine) == 0


def test_a_dry_run_and_a_sheet_without_the_company_column_write_nothing(engine):
    co = build(engine)
    with write_session(engine) as s:
        checked = import_leads(s, co.viewers["admin"], GOOD.encode(), "leads.csv", dry_run=True)
        missing = import_leads(s, co.viewers["admin"], b"source,contact\nwebsite,x\n", "x.csv")
    assert checked.ok and _count(engine) == 0
    assert [(field, code) for _, field, code, _ in missing.problems] == [
        ("company", "missing_column")
    ]
