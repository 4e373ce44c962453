"""Validation before anything is written: every problem code on a real workbook (title
row above the header), row numbers as Excel shows them, and no write at all. Runs on
SQLite and PostgreSQL against the hand-made company of ``tests/companies/importing.py``."""

from __future__ import annotations

import pytest

from salesboard.accounts.access import PermissionDenied
from salesboard.importing.kinds import KINDS
from salesboard.importing.validate import ImportOptions, MappingError, parse_period_cell
from salesboard.store.db import create_store_engine
from tests.companies.importing import seed, viewer
from tests.conftest import BACKENDS, database_on
from tests.importing.helpers import FIRST_DATA_ROW, check, problems, row_counts

R = FIRST_DATA_ROW
OPP_HEADER = ["商机编号", "客户名称", "销售阶段", "负责人", "金额", "产品线"]
GOOD_OPP = ["XS209912001", "某科技有限公司", "需求分析", "zhang.wei", "85万", "云服务"]


@pytest.fixture(scope="module", params=BACKENDS)
def company_store(request, tmp_path_factory):
    """(engine, company) of a seeded store shared by the module (validation never writes)."""
    with database_on(request, tmp_path_factory.mktemp("validate")) as url:
        engine = create_store_engine(url)
        company = seed(engine)
        yield engine, company
        engine.dispose()


def opp_row(**changes) -> list[object]:
    row = dict(zip(OPP_HEADER, GOOD_OPP, strict=True))
    row.update(changes)
    return list(row.values())


CASES = [
    # (kind, header, bad row, expected column, expected code, options)
    ("opportunities", OPP_HEADER, opp_row(客户名称=None), "客户名称", "missing_required", {}),
    ("opportunities", OPP_HEADER, opp_row(商机编号="XS" + "9" * 40), "商机编号", "too_long", {}),
    ("opportunities", OPP_HEADER, opp_row(金额=-5), "金额", "negative_amount", {}),
    ("opportunities", OPP_HEADER, opp_row(金额="八十五万"), "金额", "bad_amount", {}),
    ("opportunities", OPP_HEADER, opp_row(金额="$100"), "金额", "currency_mismatch", {}),
    ("opportunities", OPP_HEADER, opp_row(金额="1e20"), "金额", "out_of_range", {}),
    ("opportunities", OPP_HEADER, opp_row(金额="#N/A"), "金额", "cell_error", {}),
    ("opportunities", OPP_HEADER, opp_row(销售阶段="火星阶段"), "销售阶段", "unknown_stage", {}),
    ("opportunities", OPP_HEADER, opp_row(负责人="nobody"), "负责人", "unknown_owner", {}),
    ("opportunities", OPP_HEADER, opp_row(负责人="张伟"), "负责人", "ambiguous_owner", {}),
    ("opportunities", OPP_HEADER, opp_row(客户名称="没有的公司"), "客户名称", "unknown_customer", {}),
    ("opportunities", OPP_HEADER, opp_row(产品线="卫星"), "产品线", "unknown_product_line", {}),
    ("opportunities", OPP_HEADER, opp_row(商机编号="XS202405001"), "商机编号", "already_exists", {}),
    ("opportunities", [*OPP_HEADER, "区域"], [*GOOD_OPP, "火星区"], "区域", "unknown_region", {}),
    ("opportunities", [*OPP_HEADER, "团队"], [*GOOD_OPP, "不存在组"], "团队", "unknown_team", {}),
    ("opportunities", [*OPP_HEADER, "状态"], [*GOOD_OPP, "半成交"], "状态", "bad_choice", {}),
    ("opportunities", [*OPP_HEADER, "状态"], [*GOOD_OPP, "赢单"], "状态", "status_conflict", {}),
    ("opportunities", [*OPP_HEADER, "需求分析日期", "方案制定日期"],
     [*opp_row(销售阶段="方案制定"), "2024-05-20", "2024-05-10"], "需求分析日期",
     "dates_out_of_order", {}),
    ("opportunities", [*OPP_HEADER, "创建日期"], [*GOOD_OPP, "2024-02-30"], "创建日期", "bad_date",
     {}),
    ("opportunities", [*OPP_HEADER, "创建日期"], [*GOOD_OPP, "05/10/2024"], "创建日期",
     "ambiguous_date", {}),
    ("opportunities", OPP_HEADER, opp_row(负责人="no.team"), "", "no_team", {}),
    ("opportunities", OPP_HEADER, opp_row(负责人="no.team", 客户名称="全新客户"), "客户名称",
     "no_region", {"create_missing": True}),
    ("key_actions", ["商机编号", "销售阶段", "关键动作", "计划完成时间"],
     ["XS999999999", "需求分析", "访谈", "2024-05-10"], "商机编号", "unknown_opportunity", {}),
    ("key_actions", ["商机编号", "客户名称", "销售阶段", "关键动作", "计划完成时间"],
     ["XS202405001", "YY制造集团", "需求分析", "访谈", "2024-05-10"], "客户名称",
     "customer_mismatch", {}),
    ("visits", ["客户名称", "拜访人", "拜访日期"], ["同名客户", "no.team", "2024-06-01"], "客户名称",
     "ambiguous_customer", {}),
    ("visits", ["客户名称", "拜访人", "拜访日期", "拜访时长"], ["某科技有限公司", "zhang.wei",
     "2024-06-01", -3], "拜访时长", "negative_number", {}),
    ("visits", ["客户名称", "拜访人", "拜访日期", "拜访时长"], ["某科技有限公司", "zhang.wei",
     "2024-06-01", "abc"], "拜访时长", "bad_int", {}),
    ("visits", ["客户名称", "拜访人", "拜访日期", "见到决策人"], ["某科技有限公司", "zhang.wei",
     "2024-06-01", "也许"], "见到决策人", "bad_bool", {}),
    ("goals", ["期间", "目标值"], ["明年", "1000万"], "期间", "bad_period", {}),
    ("goals", ["期间", "层级", "团队", "目标值"], ["2026Q4", "公司", "华南一组", "100万"], "层级",
     "scope_conflict", {}),
    ("users", ["用户名", "姓名", "邮箱"], ["new user", "新人", "x@example.com"], "用户名",
     "bad_username", {}),
    ("users", ["用户名", "姓名", "邮箱"], ["new.user", "新人", "not-an-email"], "邮箱",
     "bad_email", {}),
    ("users", ["用户名", "姓名", "角色"], ["admin", "管理员", "销售代表"], "角色", "self_change", {}),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "header", "row", "column", "code", "options"), CASES,
                         ids=[c[4] for c in CASES])  # fmt: skip
def test_each_problem_is_reported_on_its_row_and_column(company_store, kind, header, row, column,
                                                        code, options):  # fmt: skip
    engine, company = company_store
    actor = viewer(engine, company["admin"]) if kind == "users" else None
    kwargs = {"viewer": actor} if actor else {}
    before = row_counts(engine)
    result = check(engine, kind, [header, row], options=ImportOptions(**options), **kwargs)
    found = {(r, c, k) for r, c, k in problems(result) if k == code}
    assert found, problems(result)
    assert (R, column, code) in found
    assert result.action[0] == "failed"
    assert row_counts(engine) == before  # validation never writes


def test_every_problem_refusal_and_warning_code_has_messages_in_both_languages():
    from salesboard.i18n import TRANSLATIONS
    from salesboard.importing.problems import ProblemCode, RejectCode, WarningCode
    from salesboard.importing.validate import ImportProblem

    keys = [f"import.problem.{c.value}" for c in [*ProblemCode, *ImportProblem]]
    keys += [f"import.reject.{c.value}" for c in RejectCode]
    keys += [f"import.warning.{c.value}" for c in WarningCode]
    for key in keys:
        assert TRANSLATIONS[key]["zh"] and TRANSLATIONS[key]["en"], key


def test_a_clean_file_plans_inserts_and_a_duplicate_key_flags_every_copy(company_store):
    engine, _ = company_store
    second = opp_row(商机编号="XS209912002")
    result = check(engine, "opportunities", [OPP_HEADER, GOOD_OPP, second, GOOD_OPP])
    dupes = sorted((r, c) for r, c, k in problems(result) if k == "duplicate_key")
    assert dupes == [(R, "商机编号"), (R + 2, "商机编号")]
    assert list(result.action) == ["failed", "insert", "failed"]
    assert result.counts() == {"insert": 1, "update": 0, "unchanged": 0, "skip": 0,
                               "failed": 2, "rows": 3, "valid": 1}  # fmt: skip
    messages = result.problems.set_index("row").loc[R, "params"]
    assert messages == {"rows": str(R + 2)}


def test_modes_plan_updates_skips_and_unchanged_rows(company_store):
    engine, company = company_store
    same = ["XS202405001", "某科技有限公司", "需求分析", "zhang.wei", 850000, "云服务"]
    changed = ["XS202405002", "YY制造集团", "商务谈判", "wang.fang", "130万", "智能制造"]
    rows = [OPP_HEADER, same, changed, GOOD_OPP]
    update = check(engine, "opportunities", rows, mode="update")
    assert list(update.action) == ["unchanged", "update", "insert"]
    assert update.plan["changes"][1] == ["amount_minor", "current_stage_id", "stage_entered_on"]
    skip = check(engine, "opportunities", rows, mode="skip")
    assert list(skip.action) == ["skip", "skip", "insert"]
    insert = check(engine, "opportunities", rows, mode="insert")
    assert list(insert.action) == ["failed", "failed", "insert"]


def test_permissions_per_row(company_store):
    engine, company = company_store
    own = opp_row(商机编号="XS209912010")
    other = opp_row(商机编号="XS209912011", 负责人="wang.fang")
    rep = viewer(engine, company["rep_a"])
    result = check(engine, "opportunities", [OPP_HEADER, own, other], viewer=rep)
    assert list(result.action) == ["insert", "failed"]
    assert (R + 1, "负责人", "forbidden") in problems(result)
    assert result.problems.iloc[0]["params"] == {"who": "王芳"}
    manager = viewer(engine, company["mgr"])  # leads the south team: zhang.wei yes, wang.fang no
    result = check(engine, "opportunities", [OPP_HEADER, own, other], viewer=manager)
    assert list(result.action) == ["insert", "failed"]
    # updating someone else's stored deal is refused even when the new owner is oneself
    takeover = ["XS202405002", "YY制造集团", "方案制定", "zhang.wei", "120万", "智能制造"]
    result = check(engine, "opportunities", [OPP_HEADER, takeover], viewer=rep, mode="update")
    assert list(result.action) == ["failed"]
    leader = viewer(engine, company["leader"])
    with pytest.raises(PermissionDenied):
        check(engine, "opportunities", [OPP_HEADER, own], viewer=leader)
    with pytest.raises(PermissionDenied):
        check(engine, "customers", [["客户名称", "区域"], ["新客户", "华南"]], viewer=rep)


def test_key_actions_reps_import_only_their_own(company_store):
    engine, company = company_store
    header = ["商机编号", "销售阶段", "关键动作", "计划完成时间", "负责人"]
    mine = ["XS202405001", "需求分析", "痛点访谈", "2024-05-10", ""]
    theirs = ["XS202405002", "方案制定", "提交方案", "2024-05-15", ""]
    result = check(engine, "key_actions", [header, mine, theirs],
                   viewer=viewer(engine, company["rep_a"]))  # fmt: skip
    assert list(result.action) == ["insert", "failed"]
    assert (R + 1, "负责人", "forbidden") in problems(result)


def test_missing_required_column_is_a_mapping_error(company_store):
    engine, _ = company_store
    with pytest.raises(MappingError) as caught:
        check(engine, "opportunities", [["商机编号", "客户名称"], ["XS1", "某科技有限公司"]],
              mapping={"code": "商机编号", "customer": "客户名称"})  # fmt: skip
    assert "missing:stage" in caught.value.problems


@pytest.mark.parametrize(
    ("cell", "label"),
    [("2026-10", "2026-10"), ("2026/3", "2026-03"), ("2026年10月", "2026-10"), ("2026Q4", "2026Q4"),
     ("2026年第四季度", "2026Q4"), ("2026年4季度", "2026Q4"), ("2026-Q1", "2026Q1"), (2026, "2026"),
     ("2026年度", "2026"), ("2026年", "2026")],
)  # fmt: skip
def test_goal_periods_as_people_write_them(cell, label):
    assert parse_period_cell(cell).label == label


def test_every_kind_has_translated_field_labels():
    from salesboard.i18n import TRANSLATIONS

    for kind in KINDS.values():
        for field in kind.fields:
            assert f"import.field.{field.name}" in TRANSLATIONS, field.name


def test_a_yuan_figure_under_a_wan_header_is_called_out(company_store):
    """200,000 under 金额（万元） would be 20亿: below the per-deal ceiling (100亿) the rows
    still validate (it may be true), with a note naming the column, how many, the first row
    and its value."""
    from salesboard.i18n import t
    from salesboard.importing.report import note_texts

    engine, _ = company_store
    header = [*OPP_HEADER[:4], "金额（万元）", OPP_HEADER[5]]
    rows = [
        header,
        opp_row(商机编号="XS209912001", 金额=85),
        opp_row(商机编号="XS209912002", 金额=200_000),
        opp_row(商机编号="XS209912003", 金额="500,000"),
    ]
    validation = check(engine, "opportunities", rows)
    assert not problems(validation)
    note = {"column": "金额（万元）", "count": "2", "row": R + 1, "value": "200,000"}
    assert ("import.note.amount_unit", note) in validation.notes
    assert t("import.note.amount_unit", "zh", **note) in note_texts(validation, "zh")
    plain = check(engine, "opportunities", [header, opp_row(金额=85)])
    assert not [n for n in plain.notes if n[0] == "import.note.amount_unit"]
