"""Ad-hoc analysis (types, profile, pivot, charts, join with visibility), blank templates
that map back to their fields in both languages, the sample files, and the upload limit
kept consistent with Streamlit's."""

from __future__ import annotations

import io
import tomllib
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from salesboard.accounts.access import SYSTEM
from salesboard.demo.samples import key_actions_csv, opportunities_xlsx, opportunity_rows
from salesboard.importing import adhoc
from salesboard.importing.kinds import KINDS
from salesboard.importing.lookups import load_reference
from salesboard.importing.mapping import auto_map
from salesboard.importing.readers import read_sheet
from salesboard.importing.templates import blank_template
from salesboard.store.db import read_session
from salesboard.store.settings import PROJECT_ROOT, Settings
from tests.companies.importing import seed, viewer
from tests.importing.files import simple_xlsx

ROWS = [
    ["编号", "客户", "阶段", "负责人", "金额（万元）", "日期", "赢率", "备注"],
    ["XS1", "某科技有限公司", "需求分析", "zhang.wei", "85万", date(2024, 5, 1), "30%", "首次"],
    ["XS2", "YY制造集团", "方案制定", "wang.fang", 120, "2024/6/3", "50%", None],
    ["XS3", "某科技有限公司", "方案制定", "zhang.wei", "30", 45422, "70%", "复购"],
]


@pytest.fixture(scope="module")
def sheet():
    return adhoc.typed_sheet(read_sheet(simple_xlsx(ROWS), "a.xlsx"))


def test_column_types_are_guessed_and_values_keep_the_headers_unit(sheet):
    assert sheet.kinds == {"编号": "text", "客户": "text", "阶段": "text", "负责人": "text",
                           "金额（万元）": "money", "日期": "date", "赢率": "percent",
                           "备注": "text"}  # fmt: skip
    assert list(sheet.frame["金额（万元）"]) == [85, 120, 30]  # 万元, as the header says
    assert list(sheet.frame["日期"].dt.date) == [date(2024, 5, 1), date(2024, 6, 3),
                                                date(2024, 5, 10)]  # fmt: skip
    assert list(sheet.frame.index) == [2, 3, 4]  # spreadsheet row numbers


def test_profile_counts_and_ranges(sheet):
    profile = adhoc.profile(sheet).set_index("column")
    assert profile.loc["备注", "empty"] == 1 and profile.loc["客户", "distinct"] == 2
    assert (profile.loc["金额（万元）", "min"], profile.loc["金额（万元）", "max"]) == ("30", "120")
    assert profile.loc["金额（万元）", "sum"] == 235
    assert profile.loc["赢率", "max"] == "70.0%"
    assert profile.loc["客户", "top"].startswith("某科技有限公司 (2)")


def test_pivot_sums_counts_and_groups_dates_by_month(sheet):
    table = adhoc.pivot(sheet.frame, ["阶段"], ["负责人"], "金额（万元）", "sum")
    assert table.set_index("阶段").loc["方案制定"].to_dict() == {"wang.fang": 120, "zhang.wei": 30,
                                                               "Σ": 150}  # fmt: skip
    counts = adhoc.pivot(sheet.frame, ["日期"], count_label="行数")
    assert counts.set_index("日期")["行数"].to_dict() == {"2024-05": 2, "2024-06": 1, "Σ": 3}
    assert adhoc.default_dimension(sheet) == "客户"  # 2 distinct values, leftmost
    with pytest.raises(ValueError):
        adhoc.pivot(sheet.frame, [], [])


@pytest.mark.parametrize("kind", adhoc.CHART_KINDS)
def test_charts_are_svg_figures_without_the_total_row(sheet, kind):
    table = adhoc.pivot(sheet.frame, ["阶段"], [], "金额（万元）", "sum")
    figure = adhoc.chart(table, kind, "阶段", "金额（万元）")
    traces = figure.to_dict()["data"]
    assert traces and all(not t["type"].endswith("gl") for t in traces)
    assert "Σ" not in figure.to_json()


def test_join_adds_team_and_region_only_where_the_viewer_may_see(engine, sheet):
    company = seed(engine)
    with read_session(engine) as session:
        joined, matched = adhoc.join_store(session, SYSTEM, sheet.frame, rep_column="负责人",
                                           customer_column="客户")  # fmt: skip
        assert list(joined["负责人·team"]) == ["华南一组", "华东一组", "华南一组"]
        assert list(joined["客户·region"]) == ["华南", "华东", "华南"]
        assert matched == {"rep": 3, "customer": 3}
        rep = viewer(engine, company["rep_a"])
        own, _ = adhoc.join_store(session, rep, sheet.frame, rep_column="负责人",
                                  customer_column="客户")  # fmt: skip
    assert [v if isinstance(v, str) else None for v in own["负责人·team"]] == [
        "华南一组",
        None,
        "华南一组",
    ]
    assert [v if isinstance(v, str) else None for v in own["客户·region"]] == ["华南", None, "华南"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_blank_templates_map_back_to_every_field(engine, kind, lang):
    seed(engine)
    with read_session(engine) as session:
        data = blank_template(kind, lang, load_reference(session))
    book = load_workbook(io.BytesIO(data))
    headers = [c.value for c in book.worksheets[0][1]]
    assert len(book.worksheets[0]["2"]) == len(headers)  # the example row
    mapping = auto_map(headers, KINDS[kind])
    assert mapping == {f.name: f.header(lang) for f in KINDS[kind].fields}
    notes = [c.value for c in book.worksheets[1]["A"]]
    assert headers[0] in notes and len(notes) > len(headers)


def test_samples_read_like_the_seed_layout():
    reps, customers, lines = ["张伟", "王芳"], ["某科技有限公司", "YY制造集团"], ["云服务"]
    rows = opportunity_rows(reps, customers, lines)
    table = read_sheet(opportunities_xlsx(rows), "sample_opportunities.xlsx")
    assert table.header_row == 4 and len(table.frame) == 40
    assert table.columns[:4] == ["商机编号", "客户名称", "销售阶段", "负责人"]
    csv = read_sheet(key_actions_csv(rows), "sample_key_actions.csv")
    assert csv.encoding in ("gb18030", "gbk") and csv.header_row == 2
    assert csv.columns == ["商机编号", "客户名称", "销售阶段", "关键动作", "计划完成时间",
                           "实际完成时间", "交付物", "客户反馈", "负责人", "风险标识"]  # fmt: skip
    for path in ("sample_opportunities.xlsx", "sample_key_actions.csv"):
        assert (PROJECT_ROOT / "data" / path).stat().st_size < 20_000  # committed, small


def test_upload_limit_matches_streamlits_setting():
    config = tomllib.loads(Path(PROJECT_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == Settings().max_upload_mb == 50
