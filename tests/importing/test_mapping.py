"""Header matching: Chinese and English synonyms, markers and units in headers, kind
detection, and mappings remembered per header set (templates, both backends)."""

from __future__ import annotations

import pytest

from salesboard.accounts.access import SYSTEM
from salesboard.importing.kinds import KINDS, stage_date_field
from salesboard.importing.mapping import (
    auto_map,
    check_mapping,
    detect_kind,
    header_fingerprint,
    header_key,
    header_unit,
    save_mapping,
    saved_mapping,
)
from salesboard.store.db import read_session, write_session
from salesboard.store.reference_data import DEFAULT_STAGES

STAGES = [(s.code, s.name_zh, s.name_en) for s in DEFAULT_STAGES if s.kind != "lost"]
SEED_TABLE_1 = ["商机编号", "客户名称", "销售阶段", "关键动作", "计划完成时间", "实际完成时间",
                "交付物", "客户反馈", "负责人", "风险标识"]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "header", "field"),
    [
        ("opportunities", "商机编号", "code"),
        ("opportunities", "Opportunity ID", "code"),
        ("opportunities", "opportunity  code", "code"),
        ("opportunities", "客户名称", "customer"),
        ("opportunities", "Customer", "customer"),
        ("opportunities", "销售阶段", "stage"),
        ("opportunities", "Sales Stage", "stage"),
        ("opportunities", "负责人", "owner"),
        ("opportunities", "Owner", "owner"),
        ("opportunities", "销售代表", "owner"),
        ("opportunities", "金额", "amount"),
        ("opportunities", "Amount", "amount"),
        ("opportunities", "金额（万元）", "amount"),
        ("opportunities", "*商机金额(必填)", "amount"),
        ("opportunities", "区域", "region"),
        ("opportunities", "Region", "region"),
        ("opportunities", "产品线", "product_line"),
        ("opportunities", "Product line", "product_line"),
        ("opportunities", "团队", "team"),
        ("opportunities", "Team", "team"),
        ("opportunities", "来源", "source"),
        ("opportunities", "Lead source", "source"),
        ("opportunities", "风险标识", "risk_flag"),
        ("opportunities", "Risk flag", "risk_flag"),
        ("opportunities", "预计成交日期", "expected_close_on"),
        ("opportunities", "Expected close date", "expected_close_on"),
        ("opportunities", "需求分析日期", stage_date_field("needs_analysis")),
        ("opportunities", "Needs analysis date", stage_date_field("needs_analysis")),
        ("opportunities", "进入方案制定", stage_date_field("proposal")),
        ("key_actions", "计划完成时间", "planned_on"),
        ("key_actions", "Planned date", "planned_on"),
        ("key_actions", "实际完成时间", "done_on"),
        ("key_actions", "Actual date", "done_on"),
        ("key_actions", "交付物", "deliverable"),
        ("key_actions", "Deliverable", "deliverable"),
        ("key_actions", "客户反馈", "customer_feedback"),
        ("key_actions", "Customer feedback", "customer_feedback"),
        ("key_actions", "关键动作", "action"),
        ("key_actions", "Key action", "action"),
        ("key_actions", "商机编号", "opportunity"),
        ("visits", "拜访日期", "visited_on"),
        ("visits", "拜访时长（分钟）", "minutes"),
        ("visits", "晋级承诺", "commitment"),
        ("collections", "应收金额", "due_amount"),
        ("collections", "实收金额", "collected_amount"),
        ("goals", "期间", "period"),
        ("goals", "目标值（万元）", "target"),
        ("goals", "Target", "target"),
        ("customers", "客户名称", "customer_name"),
        ("customers", "客户类型", "customer_type"),
        ("users", "用户名", "username"),
        ("users", "姓名", "display_name"),
        ("users", "角色", "role"),
        ("users", "ＥＭＡＩＬ", "email"),  # full-width letters
    ],
)
def test_header_synonyms_map_to_fields(kind, header, field):
    mapping = auto_map([header], KINDS[kind], STAGES)
    assert mapping == {field: header}


def test_seed_tracking_table_maps_every_column_and_is_detected_as_key_actions():
    kind, scores = detect_kind(SEED_TABLE_1, STAGES)
    assert kind == "key_actions"
    mapping = auto_map(SEED_TABLE_1, KINDS["key_actions"], STAGES)
    assert sorted(mapping.values()) == sorted(SEED_TABLE_1)
    assert scores["opportunities"] < scores["key_actions"]


def test_opportunity_list_is_detected_and_feedback_never_feeds_customer():
    headers = ["编号", "客户", "阶段", "销售", "金额(万元)", "产品线"]
    assert detect_kind(headers, STAGES)[0] == "opportunities"
    # "客户反馈" contains 客户 but is the feedback column; with no customer column the
    # customer field stays unmapped instead of taking it.
    mapping = auto_map(["商机编号", "客户反馈"], KINDS["key_actions"], STAGES)
    assert mapping == {"opportunity": "商机编号", "customer_feedback": "客户反馈"}


def test_containment_matches_longer_headers_but_dates_only_feed_dates():
    mapping = auto_map(["本季度销售目标", "考核期间"], KINDS["goals"], STAGES)
    assert mapping["target"] == "本季度销售目标"
    mapping = auto_map(["当前阶段开始日期", "商机阶段"], KINDS["opportunities"], STAGES)
    assert mapping["stage"] == "商机阶段"
    assert mapping["stage_entered_on"] == "当前阶段开始日期"


def test_no_kind_when_required_columns_are_missing():
    kind, _ = detect_kind(["姓", "名", "爱好"], STAGES)
    assert kind is None


@pytest.mark.parametrize(
    ("header", "key", "unit"),
    [
        ("金额（万元）", "金额", 4),
        ("金额(元)", "金额", 0),
        ("金额 [千元]", "金额", 3),
        ("合同金额万元", "合同金额", 4),
        ("目标(亿元)", "目标", 8),
        ("*客户名称", "客户名称", None),
        ("商机编号（必填）", "商机编号", None),
        ("计划完成时间(yyyy-mm-dd)", "计划完成时间", None),
        ("Amount (CNY)", "amount", 0),
        ("拜访时长（分钟）", "拜访时长", None),
    ],
)
def test_header_key_and_unit(header, key, unit):
    assert header_key(header) == key
    assert header_unit(header) == unit


def test_fingerprint_ignores_order_spacing_and_width():
    a = header_fingerprint(["商机编号", "客户名称", "Amount"])
    b = header_fingerprint(["ＡＭＯＵＮＴ", " 客户 名称", "商机编号"])
    assert a == b
    assert a != header_fingerprint(["商机编号", "客户名称"])


def test_check_mapping_names_missing_required_fields_and_bad_columns():
    kind = KINDS["opportunities"]
    problems = check_mapping(kind, {"code": "编号", "customer": "编号", "stage": "X"}, ["编号"])
    assert "missing:owner" in problems and "missing:amount" in problems
    assert "twice:编号" in problems and "unknown_column:X" in problems


def test_saved_mapping_comes_back_for_the_same_header_set(engine):
    headers = ["单号", "甲方", "进度", "对接人", "报价", "业务线"]
    mapping = {"code": "单号", "customer": "甲方", "stage": "进度", "owner": "对接人",
               "amount": "报价", "product_line": "业务线"}  # fmt: skip
    with read_session(engine) as s:
        assert saved_mapping(s, "opportunities", headers) is None
    with write_session(engine) as s:
        save_mapping(s, SYSTEM, "opportunities", headers, mapping)
    reordered = ["业务线", "报价 ", "对接人", "进度", "甲方", "单号"]
    with read_session(engine) as s:
        again = saved_mapping(s, "opportunities", reordered)
    assert again["amount"] == "报价 " and again["code"] == "单号"
    # saving again replaces the template rather than adding a second one
    with write_session(engine) as s:
        save_mapping(s, SYSTEM, "opportunities", headers, {**mapping, "amount": "报价"})
    with read_session(engine) as s:
        assert saved_mapping(s, "opportunities", headers)["amount"] == "报价"
        assert saved_mapping(s, "key_actions", headers) is None
