"""A real company's first day, end to end (issue 14), on SQLite and PostgreSQL: ``init-db``,
then the company's own messy Chinese files through the command line — the organisation
(XLSX, merged title row), the HR roster (GBK CSV, no usernames), the customer list, the
tracking table (title row, 万 / ￥ / plain amounts, 年月日 dates, no product-line column:
``--set``, a customer the store lacks: ``--create-missing``) and the goals — ending with the
pipeline review and the goal pages showing the new company's numbers."""

from __future__ import annotations

import io
from datetime import date

import pytest
import xlsxwriter
from openpyxl import load_workbook
from sqlalchemy import text
from sqlmodel import select

from salesboard.accounts.access import viewer_for
from salesboard.calendar.periods import parse_period
from salesboard.cli.main import main
from salesboard.figures.attainment import viewer_attainment
from salesboard.i18n import format_count, format_money, format_percent, t
from salesboard.pipeline import funnel
from salesboard.store.db import read_session
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import User
from salesboard.store.settings import get_settings
from tests.apptest_support import open_app, use_store
from tests.conftest import DEMO_TODAY
from tests.importing import files

TODAY = date.fromisoformat(DEMO_TODAY)
WAN = 10_000 * 100  # minor units


def xlsx_with_title(title: str, header: list[str], rows: list[list[object]]) -> bytes:
    """A sheet as people make them: a merged title row, a blank row, then the table."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Sheet1")
    sheet.merge_range(0, 0, 0, len(header) - 1, title)
    sheet.write_row(2, 0, header)
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


ORGANISATION = xlsx_with_title(
    "2026年组织架构表",
    ["类型", "编码", "中文名称", "英文名称", "所属区域"],
    [["区域", "south", "华南", "South China", None],
     ["区域", "east", "华东", "East China", None],
     ["团队", None, "华南一组", "South 1", "华南"],
     ["团队", None, "华东一组", "East 1", "华东"],
     ["产品线", "mfg", "智能制造", "Smart manufacturing", None]],
)  # fmt: skip
ROSTER = [["销售人员花名册（人事部）"], [], ["姓名", "团队", "区域", "角色"],
          ["李伟", "华南一组", "华南", "销售经理"], ["张伟", "华南一组", "华南", "销售代表"],
          ["王芳", "华东一组", "华东", "销售"]]  # fmt: skip
CUSTOMERS = [["客户名称", "区域", "客户类型"],
             ["深圳智造有限公司", "华南", "企业"], ["杭州云联科技", "华东", "中小企业"]]  # fmt: skip
TRACKING = xlsx_with_title(
    "商机跟踪表（2026年第四季度）",
    ["商机编号", "客户名称", "销售阶段", "关键动作", "计划完成时间", "实际完成时间", "负责人",
     "金额", "创建日期"],
    [["XS202610001", "深圳智造有限公司", "线索获取", "线索评分", "2026年10月8日", "2026年10月8日",
      "张伟", "85万", "2026年10月8日"],
     ["XS202610001", "深圳智造有限公司", "需求分析", "客户痛点访谈", "2026年10月20日",
      "2026年10月22日", None, None, None],
     ["XS202610002", "杭州云联科技", "合同签订", "合同签署", "2026年11月2日", "2026年11月3日",
      "王芳", "￥1,200,000", "2026年10月10日"],
     ["XS202610002", "杭州云联科技", "售后交付", "交付验收", "2026年12月20日", None, None, None,
      None],
     ["XS202611001", "广州新客户有限公司", "线索获取", "线索评分", "2026年11月18日", None,
      "张伟", "300000", "2026年11月16日"]],
)  # fmt: skip
GOALS = [["期间", "指标", "层级", "团队", "销售代表", "目标"],
         ["2026Q4", "销售额", "公司", "", "", "500万"],
         ["2026Q4", "销售额", "团队", "华东一组", "", "200万"],
         ["2026Q4", "销售额", "个人", "华东一组", "王芳", "150万"]]  # fmt: skip


@pytest.fixture
def first_day(engine, monkeypatch, tmp_path):
    """The store as ``init-db`` leaves it, with its URL; the business date fixed."""
    monkeypatch.setenv("SALESBOARD_ADMIN_PASSWORD", "a long passphrase for day one")
    use_store(monkeypatch, engine.url.render_as_string(hide_password=False), DEMO_TODAY)
    url = get_settings().database_url
    assert main(["--database-url", url, "init-db"]) == 0
    yield url
    monkeypatch.undo()
    get_settings.cache_clear()


def run(url: str, capsys, *args: str) -> str:
    status = main(["--database-url", url, *args])
    out, err = capsys.readouterr()
    assert status == 0, out + err
    return out


def write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_a_company_sets_itself_up_from_its_own_files(first_day, engine, tmp_path, capsys):
    url = first_day
    run(url, capsys, "import", write(tmp_path, "组织架构.xlsx", ORGANISATION),
        "--kind", "organisation")  # fmt: skip
    roster = files.text_table(ROSTER, ",").encode("gbk")
    passwords = tmp_path / "初始密码.xlsx"
    out = run(url, capsys, "import", write(tmp_path, "花名册.csv", roster),
              "--passwords-out", str(passwords))  # fmt: skip
    assert "张伟 → zhang.wei" in out
    sheet = load_workbook(passwords).worksheets[0]
    assert {row[0].value for row in sheet.iter_rows(min_row=2)} >= {"zhang.wei", "wang.fang"}
    customers = files.text_table(CUSTOMERS, ",").encode("utf-8-sig")
    run(url, capsys, "import", write(tmp_path, "客户.csv", customers), "--kind", "customers")
    out = run(url, capsys, "import", write(tmp_path, "跟踪表.xlsx", TRACKING), "--kind",
              "tracking", "--set", "产品线=智能制造", "--create-missing")  # fmt: skip
    assert "广州新客户有限公司" in out  # named as a customer to create
    goals = files.text_table(GOALS, ",").encode("gbk")
    run(url, capsys, "import", write(tmp_path, "目标.csv", goals), "--kind", "goals")

    with engine.connect() as conn:
        deals = conn.execute(text(
            "SELECT o.code, o.amount_minor, o.status, p.code, u.username FROM opportunity o "
            "JOIN product_line p ON p.id = o.product_line_id "
            'JOIN "user" u ON u.id = o.owner_id ORDER BY o.code')).all()  # fmt: skip
    assert [tuple(d) for d in deals] == [
        ("XS202610001", 85 * WAN, "open", "mfg", "zhang.wei"),
        ("XS202610002", 120 * WAN, "won", "mfg", "wang.fang"),
        ("XS202611001", 30 * WAN, "open", "mfg", "zhang.wei"),
    ]

    with engine.connect() as conn:
        won_on = conn.execute(text("SELECT won_on FROM opportunity WHERE code = 'XS202610002'"))
        # Signed when its contract action was done (11-03), not when delivery is planned.
        assert str(won_on.scalar_one()) == "2026-11-03"
    quarter = parse_period("2026Q4")
    with read_session(engine) as session:
        admin, wang = (
            viewer_for(session, session.exec(select(User).where(User.username == name)).one())
            for name in ("admin", "wang.fang")
        )
        cohort = funnel.stage_funnel(session, admin, quarter, OpportunityFilter(), "cohort")
        company = viewer_attainment(session, admin, "2026Q4", "revenue", TODAY)
        own = viewer_attainment(session, wang, "2026Q4", "revenue", TODAY)
    assert int(cohort["reached"].iloc[0]) == 3  # three deals created this quarter
    assert (company.actual, company.target) == (120 * WAN, 500 * WAN)
    assert (own.actual, own.target) == (120 * WAN, 150 * WAN)

    # The pages show the new company's numbers.
    review = open_app("pages/pipeline_review.py", lang="en", timeout=120)
    review.segmented_control(key="fb_kind").set_value("quarter").run(timeout=120)
    shown = {m.label: m.value for m in review.metric}
    assert shown[t("pipeline.first_cohort", "en")] == format_count(3)
    assert shown[t("pipeline.won_amount_cohort", "en")] == format_money(120 * WAN, "en")
    goals_page = open_app("pages/goal_attainment.py", lang="zh", user="wang.fang")
    values = [m.value for m in goals_page.metric]
    assert format_percent(120 / 150) in values
