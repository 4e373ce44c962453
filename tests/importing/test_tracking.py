"""The tracking table in one pass (issue 14 item 5): seed table 1 with amount and created
date creates or updates each opportunity once per code and its key actions; stage dates
follow from the rows; rows that contradict each other fail together, naming each other;
dry run, report, error workbook and undo as for every kind. Both backends."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from salesboard.cli.main import main
from salesboard.importing.report import error_workbook, report_frame
from salesboard.importing.undo import undo_last_import
from salesboard.store.db import read_session, write_session
from salesboard.store.models import KeyAction, Opportunity, StageHistory
from tests.companies.importing import seed, viewer
from tests.importing import files
from tests.importing.helpers import FIRST_DATA_ROW, check, load, problems, snapshot

HEADER = ["商机编号", "客户名称", "销售阶段", "关键动作", "计划完成时间", "实际完成时间", "交付物",
          "客户反馈", "负责人", "风险标识", "金额（万元）", "创建日期", "产品线"]  # fmt: skip


@pytest.fixture
def company(engine):
    return seed(engine)


def rows_new_deal():
    """One new deal over three rows (three stages) and a row of a stored deal."""
    return [
        HEADER,
        ["XS202406001", "某科技有限公司", "线索获取", "线索评分", "2024年6月3日", "2024/6/3", None,
         None, "zhang.wei", None, 85, "2024-06-01", "云服务"],
        ["XS202406001", "某科技有限公司", "需求分析", "完成客户痛点访谈并输出报告", "2024-06-12",
         "2024-06-10", "《客户痛点访谈记录》", "希望方案包含定制化功能", None, None, None, None, None],
        # a late needs-analysis action does not move the stage's entry after the proposal's
        ["XS202406001", "某科技有限公司", "方案制定", "提交初步方案并获客户确认", "2024-06-20",
         None, "《初步方案PPT》", None, "zhang.wei", "延迟(客户原因)", "85万", None, None],
        ["XS202406001", "某科技有限公司", "需求分析", "需求文档确认", "2024-06-25", None, None,
         None, None, None, None, None, None],
        ["XS202405002", "YY制造集团", "商务谈判", "报价审批", "2024-06-05", "2024-06-06", "报价单",
         None, "wang.fang", None, None, None, None],
    ]  # fmt: skip


def test_tracking_table_creates_and_updates_deals_with_their_key_actions(engine, company):
    validation = check(engine, None, rows_new_deal(), mode="update")  # kind from the headers
    assert validation.kind.name == "tracking"
    assert validation.clean, problems(validation)
    assert ("import.note.tracking_deals", {"new": 1, "updated": 1}) in validation.notes
    before = snapshot(engine)
    validation, result = load(engine, "tracking", rows_new_deal(), mode="update")
    assert (result.inserted, result.failed) == (5, 0), problems(validation)
    with read_session(engine) as s:
        deal = s.execute(select(Opportunity).where(Opportunity.code == "XS202406001")).scalar_one()
        stays = s.execute(select(StageHistory.stage_id, StageHistory.entered_on,
                                 StageHistory.left_on)
                          .where(StageHistory.opportunity_id == deal.id)
                          .order_by(StageHistory.entered_on)).all()  # fmt: skip
        actions = s.execute(select(KeyAction).where(KeyAction.opportunity_id == deal.id)
                            .order_by(KeyAction.planned_on)).scalars().all()  # fmt: skip
        yy = s.get(Opportunity, company["o2"])
        yy_actions = (
            s.execute(select(KeyAction).where(KeyAction.opportunity_id == yy.id)).scalars().all()
        )
    assert (deal.amount_minor, deal.created_on, deal.owner_id) == (85_000_000, date(2024, 6, 1),
                                                                   company["rep_a"])  # fmt: skip
    assert deal.customer_id == company["customer_tech"] and deal.risk_flag == "延迟(客户原因)"
    assert deal.current_stage_id == company["stage_proposal"]
    assert deal.stage_entered_on == date(2024, 6, 20)
    # lead entered 6-3, needs analysis 6-10 (its earliest date, not the late 6-25 action)
    assert stays == [(company["stage_lead"], date(2024, 6, 3), date(2024, 6, 10)),
                     (company["stage_needs_analysis"], date(2024, 6, 10), date(2024, 6, 20)),
                     (company["stage_proposal"], date(2024, 6, 20), None)]  # fmt: skip
    assert [(a.action, a.planned_on, a.done_on, a.owner_id) for a in actions] == [
        ("线索评分", date(2024, 6, 3), date(2024, 6, 3), company["rep_a"]),
        ("完成客户痛点访谈并输出报告", date(2024, 6, 12), date(2024, 6, 10), company["rep_a"]),
        ("提交初步方案并获客户确认", date(2024, 6, 20), None, company["rep_a"]),
        ("需求文档确认", date(2024, 6, 25), None, company["rep_a"]),
    ]
    # the stored deal moved on to negotiation, entered the day of its row
    assert yy.current_stage_id == company["stage_negotiation"]
    assert yy.stage_entered_on == date(2024, 6, 5)
    assert [(a.action, a.done_on) for a in yy_actions] == [("报价审批", date(2024, 6, 6))]
    # the same file again, one actual date filled in: one key action updated, nothing else
    again = rows_new_deal()
    again[3][5] = "2024-06-19"
    validation, result = load(engine, "tracking", again, mode="update")
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 4), problems(validation)
    with write_session(engine) as s:  # undo twice: the store is as before
        undo_last_import(s, viewer(engine, company["admin"]))
    with write_session(engine) as s:
        undo_last_import(s, viewer(engine, company["admin"]))
    after = snapshot(engine)
    for table in ("key_action", "stage_history", "customer", "opportunity_event"):
        assert after[table] == before[table], table
    assert _deals(engine) == [("XS202405001", company["stage_needs_analysis"], date(2024, 5, 6)),
                              ("XS202405002", company["stage_proposal"], date(2024, 5, 12))]  # fmt: skip


def _deals(engine):
    with read_session(engine) as s:
        return [tuple(r) for r in s.execute(
            select(Opportunity.code, Opportunity.current_stage_id, Opportunity.stage_entered_on)
            .order_by(Opportunity.code)
        )]  # fmt: skip


def test_rows_of_one_deal_that_disagree_fail_together_naming_each_other(engine, company):
    rows = rows_new_deal()[:4]
    rows[3][8] = "wang.fang"  # another owner on the third row
    rows[3][10] = "90万"  # and another amount
    before = snapshot(engine)
    validation, result = load(engine, "tracking", rows, mode="update")
    assert result.inserted == 0 and snapshot(engine) != before  # the import log only
    found = problems(validation)
    first, third = FIRST_DATA_ROW, FIRST_DATA_ROW + 2
    assert {(first, "负责人", "deal_conflict"), (third, "负责人", "deal_conflict"),
            (first, "金额（万元）", "deal_conflict"), (third, "金额（万元）", "deal_conflict"),
            (FIRST_DATA_ROW + 1, "商机编号", "deal_rejected")} <= found  # fmt: skip
    report = report_frame(validation, "zh")
    messages = dict(
        zip(zip(report["行号"], report["列"], strict=True), report["问题"], strict=True)
    )
    assert "第 4 行填的是“zhang.wei”" in messages[(third, "负责人")]
    assert "第 6 行填的是“wang.fang”" in messages[(first, "负责人")]
    assert "第 4, 6 行互相矛盾" in messages[(FIRST_DATA_ROW + 1, "商机编号")]
    with read_session(engine) as s:
        assert (
            s.execute(select(Opportunity).where(Opportunity.code == "XS202406001")).first() is None
        )
    sheet = load_workbook(io.BytesIO(error_workbook(validation, "en"))).worksheets[0]
    assert sheet.max_row == 1 + 3  # header and the deal's three rows


def test_a_new_deal_needs_amount_and_product_line_and_a_known_customer(engine, company):
    rows = [HEADER[:10],
            ["XS202407001", "某科技有限公司", "需求分析", "访谈", "2024-07-01", None, None, None,
             "zhang.wei", None],
            ["XS202407002", "火星公司", "需求分析", "访谈", "2024-07-01", None, None, None,
             "zhang.wei", None]]  # fmt: skip
    validation = check(engine, "tracking", rows, mode="update")
    assert problems(validation) == {
        (FIRST_DATA_ROW, "", "new_deal_needs"), (FIRST_DATA_ROW + 1, "", "new_deal_needs"),
        (FIRST_DATA_ROW + 1, "客户名称", "unknown_customer"),
    }  # fmt: skip
    labels = set(report_frame(validation, "en")["Column"])
    assert {"Amount", "Product line"} <= labels


def test_cli_gbk_csv_of_the_tracking_table(engine, company, tmp_path, capsys):
    path = tmp_path / "销售过程跟踪表.csv"
    text = files.text_table([["表1 销售过程跟踪表（2024年6月）"], [], *rows_new_deal()], ",")
    path.write_bytes(text.encode("gbk"))
    url = engine.url.render_as_string(hide_password=False)
    assert main(["--database-url", url, "import", str(path), "--dry-run", "--mode", "update"]) == 0
    out = capsys.readouterr().out
    assert "销售过程跟踪表（商机+关键动作）" in out and "商机：新建 1 个，更新 1 个" in out
    assert main(["--database-url", url, "import", str(path), "--kind", "tracking", "--mode",
                 "update", "--lang", "en"]) == 0  # fmt: skip
    assert "5 inserted" in capsys.readouterr().out
