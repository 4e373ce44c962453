"""Every import kind written end to end on both backends: the seed's tracking table (key
actions), visits, collections, goals (linked into the goal tree), customers, users and
teams; updates keep what the file leaves empty."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from salesboard.accounts.auth import verify_password
from salesboard.importing.undo import undo_last_import
from salesboard.store.db import read_session, write_session
from salesboard.store.models import (
    Collection,
    Customer,
    Goal,
    KeyAction,
    Team,
    TeamManager,
    User,
    Visit,
)
from tests.companies.importing import seed, viewer
from tests.importing.helpers import load, problems, snapshot

SEED_TABLE_1 = ["商机编号", "客户名称", "销售阶段", "关键动作", "计划完成时间", "实际完成时间",
                "交付物", "客户反馈", "负责人", "风险标识"]  # fmt: skip


@pytest.fixture
def company(engine):
    return seed(engine)


def all_rows(engine, model):
    with read_session(engine) as s:
        return s.execute(select(model).order_by(model.id)).scalars().all()


def test_seed_tracking_table_imports_as_key_actions(engine, company):
    rows = [
        SEED_TABLE_1,
        ["XS202405001", "某科技有限公司", "需求分析", "完成客户痛点访谈并输出报告", "2024-05-10",
         "2024-05-09", "《客户痛点访谈记录》", "“希望方案包含定制化功能”", "zhang.wei", None],
        ["XS202405002", "YY制造集团", "方案制定", "提交初步方案并获客户确认", 45427, "2024/5/18",
         "《初步方案PPT》", "“需补充竞品对比分析”", "王芳", "延迟(客户原因)"],
    ]  # fmt: skip
    validation, result = load(engine, None, rows)  # the kind is detected from the headers
    assert validation.kind.name == "key_actions" and result.inserted == 2
    first, second = all_rows(engine, KeyAction)
    assert (first.planned_on, first.done_on) == (date(2024, 5, 10), date(2024, 5, 9))
    assert first.deliverable == "《客户痛点访谈记录》" and first.owner_id == company["rep_a"]
    assert (second.planned_on, second.done_on) == (date(2024, 5, 15), date(2024, 5, 18))
    assert second.risk_flag == "延迟(客户原因)" and second.owner_id == company["rep_b"]
    assert second.stage_id == company["stage_proposal"]
    # the same rows again with an actual date filled in: one update, one unchanged
    rows[1][5] = "2024-05-08"
    _, again = load(engine, "key_actions", rows, mode="update")
    assert (again.updated, again.unchanged, again.inserted) == (1, 1, 0)
    assert all_rows(engine, KeyAction)[0].done_on == date(2024, 5, 8)


def test_visits_compute_effective_and_update_by_key(engine, company):
    header = ["客户名称", "拜访人", "拜访日期", "拜访时长（分钟）", "见到决策人", "获取明确需求",
              "拜访目的", "晋级承诺", "商机编号"]  # fmt: skip
    rows = [header,
            ["某科技有限公司", "zhang.wei", "2024-06-01", 45, "是", "是", "方案演示", "安排技术交流",
             "XS202405001"],
            ["YY制造集团", "王芳", "2024/6/2", 8, "Y", "✓", "关系维护", None, None]]  # fmt: skip
    _, result = load(engine, "visits", rows)
    assert result.inserted == 2
    good, short = all_rows(engine, Visit)
    assert good.effective and good.opportunity_id == company["o1"] and good.minutes == 45
    assert not short.effective and short.opportunity_id is None  # 8 minutes is too short
    rows[2][3] = 30
    _, again = load(engine, "visits", rows, mode="update")
    assert again.updated == 1 and all_rows(engine, Visit)[1].effective


def test_collections_by_opportunity_and_due_date(engine, company):
    header = ["商机编号", "应收日期", "应收金额", "实际回款日期", "实收金额"]
    rows = [header, ["XS202405002", "2024-08-31", "60万", "2024-09-05", "¥600,000"],
            ["XS202405002", "2024-11-30", "60万", None, None]]  # fmt: skip
    _, result = load(engine, "collections", rows)
    assert result.inserted == 2
    paid, due = all_rows(engine, Collection)
    assert (paid.due_minor, paid.collected_minor) == (60_000_000, 60_000_000)
    assert (due.collected_on, due.collected_minor) == (None, 0)
    rep = viewer(engine, company["rep_b"])
    with pytest.raises(Exception, match="may not import collections"):
        load(engine, "collections", rows, viewer=rep)


def test_goals_link_into_the_tree_and_count_metrics_keep_their_numbers(engine, company):
    header = ["期间", "指标", "产品线", "区域", "团队", "销售代表", "目标值（万元）"]
    rows = [
        header,
        ["2026Q4", "销售额", None, None, None, None, 1000],
        ["2026Q4", "销售额", "云服务", None, None, None, 600],
        ["2026Q4", "销售额", "云服务", "华南", None, None, 350],
        ["2026Q4", "销售额", "云服务", None, "华南一组", None, 350],
        ["2026Q4", "销售额", "云服务", None, None, "zhang.wei", 200],
        ["2026-10", "拜访", None, None, None, "li.na", "120"],
    ]  # fmt: skip
    leader = viewer(engine, company["leader"])
    validation, result = load(engine, "goals", rows, viewer=leader)
    assert result.inserted == 6, problems(validation)
    goals = {(g.scope, g.metric): g for g in all_rows(engine, Goal)}
    company_goal = goals[("company", "revenue")]
    line, region, team, rep = (goals[(s, "revenue")] for s in
                               ("product_line", "region", "team", "rep"))  # fmt: skip
    assert company_goal.target == Decimal(1000 * 10_000 * 100)  # 1000 万元 in fen
    assert (line.parent_id, region.parent_id, team.parent_id, rep.parent_id) == (
        company_goal.id,
        line.id,
        region.id,
        team.id,
    )
    assert (team.region_id, team.product_line_id) == (
        company["region_south"],
        company["line_cloud"],
    )
    assert (rep.user_id, rep.team_id, rep.owner_id) == (
        company["rep_a"],
        company["team_south"],
        company["rep_a"],
    )
    visits = goals[("rep", "visits")]
    assert visits.target == Decimal(120) and visits.period_start == date(2026, 10, 1)
    assert visits.parent_id is None  # no team goal for visits: nothing to hang it on


def test_customers_by_name_and_region(engine, company):
    header = ["客户名称", "区域", "行业", "客户类型", "潜力", "负责人"]
    rows = [header, ["某科技有限公司", "华南", "制造业", "大客户", "高", "zhang.wei"],
            ["某科技有限公司", "华东区", "电子", "政府", "低", None],
            ["新能源公司", "South China", None, "渠道伙伴", None, None]]  # fmt: skip
    _, result = load(engine, "customers", rows, mode="update")
    assert (result.updated, result.inserted) == (1, 2)
    with read_session(engine) as s:
        tech = s.get(Customer, company["customer_tech"])
        east = s.execute(select(Customer).where(Customer.name == "某科技有限公司",
                                                Customer.region_id == company["region_east"])).scalar_one()  # fmt: skip
        fresh = s.execute(select(Customer).where(Customer.name == "新能源公司")).scalar_one()
    assert (tech.industry, tech.customer_type, tech.potential) == ("制造业", "enterprise", "high")
    assert (east.customer_type, east.potential) == ("government", "low")
    assert (fresh.customer_type, fresh.region_id) == ("渠道伙伴", company["region_south"])


def test_users_and_teams(engine, company):
    admin = viewer(engine, company["admin"])
    header = ["用户名", "姓名", "角色", "团队", "区域", "邮箱", "在职"]
    rows = [header,
            ["zhao.lei", "赵磊", "销售经理", "华北一组", "华东", "zhao.lei@example.com", "是"],
            ["qian.li", "钱丽", "销售", "华北一组", "华东", None, None],
            ["wang.fang", "王芳", "销售", "华东一组", None, None, "否"]]  # fmt: skip
    validation, result = load(engine, "users", rows, viewer=admin, mode="update")
    assert (result.inserted, result.updated) == (2, 1), problems(validation)
    with read_session(engine) as s:
        team = s.execute(select(Team).where(Team.name == "华北一组")).scalar_one()
        zhao = s.execute(select(User).where(User.username == "zhao.lei")).scalar_one()
        wang = s.get(User, company["rep_b"])
        led = s.execute(select(TeamManager).where(TeamManager.user_id == zhao.id)).scalars().all()
    assert team.region_id == company["region_east"]
    assert (zhao.role, zhao.team_id, zhao.must_change_password) == ("manager", team.id, True)
    # a one-time password, handed to the importer only
    one_time = {c[0]: c[2] for c in result.credentials}
    assert sorted(one_time) == ["qian.li", "zhao.lei"]
    assert verify_password(zhao.password_hash, one_time["zhao.lei"])
    assert [t.team_id for t in led] == [team.id]
    assert not wang.active
    before_undo = snapshot(engine)
    with write_session(engine) as s:
        undo_last_import(s, admin)
    after = snapshot(engine)
    assert after != before_undo
    with read_session(engine) as s:
        assert s.execute(select(Team).where(Team.name == "华北一组")).first() is None
        assert s.get(User, company["rep_b"]).active


def test_rep_imports_own_key_actions_only(engine, company):
    rep = viewer(engine, company["rep_a"])
    header = ["商机编号", "销售阶段", "关键动作", "计划完成时间"]
    rows = [header, ["XS202405001", "需求分析", "访谈", "2024-05-10"],
            ["XS202405002", "方案制定", "方案", "2024-05-15"]]  # fmt: skip
    validation, result = load(engine, "key_actions", rows, viewer=rep)
    assert (result.inserted, result.failed) == (1, 1)
    assert {c for _, _, c in problems(validation)} == {"forbidden"}
    assert [k.opportunity_id for k in all_rows(engine, KeyAction)] == [company["o1"]]
