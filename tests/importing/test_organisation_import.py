"""``import FILE --kind organisation`` (issue 14 item 1) on both backends: an HR-style sheet
(GBK CSV, a title row above the header) sets up regions, teams with their region — one added
further up the same sheet, named by its Chinese name — and managers, product lines and a
customer type in one pass; every rule of the organisation page holds per row; undo takes the
entries back."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from salesboard.cli.main import main
from salesboard.store.db import write_session
from salesboard.store.models import Role
from salesboard.store.reference_data import ensure_reference_data
from tests import builders as b
from tests.importing import files

HEADER = ["类型", "编码", "中文名称", "英文名称", "所属区域", "团队经理"]
GOOD = [
    ["区域", "south", "华南", "South China", "", ""],
    ["区域", "east", "华东", "East China", "", ""],
    ["团队", "", "华南一组", "South 1", "华南", "li.wei"],
    ["团队", "", "华东一组", "", "east", "li.wei、wang.min"],
    ["产品线", "mfg", "智能制造", "Smart manufacturing", "", ""],
    ["客户类型", "school", "学校", "School", "", ""],
]


@pytest.fixture
def url(engine):
    with write_session(engine) as s:
        ensure_reference_data(s)
        b.user(s, "li.wei", Role.MANAGER)
        b.user(s, "wang.min", Role.MANAGER)
        b.user(s, "zhao.rep", Role.REP)
    return engine.url.render_as_string(hide_password=False)


def sheet(tmp_path, rows) -> str:
    path = tmp_path / "组织架构.csv"
    body = files.text_table([["2026年组织架构"], [], HEADER, *rows], ",")
    path.write_bytes(body.encode("gbk"))
    return str(path)


def rows(engine, sql):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_an_hr_sheet_sets_up_the_organisation_and_undo_takes_it_back(url, engine, tmp_path,
                                                                     capsys):  # fmt: skip
    path = sheet(tmp_path, GOOD)
    assert main(["--database-url", url, "import", path, "--kind", "organisation"]) == 0
    assert "可新增 6" in capsys.readouterr().out
    assert rows(engine, "SELECT code, name_zh, name_en FROM region ORDER BY id") == [
        ("south", "华南", "South China"), ("east", "华东", "East China"),
    ]  # fmt: skip
    assert rows(engine, "SELECT t.name, t.name_en, r.code FROM team t JOIN region r "
                        "ON r.id = t.region_id ORDER BY t.id") == [
        ("华南一组", "South 1", "south"), ("华东一组", "", "east"),
    ]  # fmt: skip
    assert rows(engine, 'SELECT t.name, u.username FROM team_manager m JOIN team t ON '
                        't.id = m.team_id JOIN "user" u ON u.id = m.user_id ORDER BY 1, 2') == [
        ("华东一组", "li.wei"), ("华东一组", "wang.min"), ("华南一组", "li.wei"),
    ]  # fmt: skip
    assert ("school", "学校") in rows(engine, "SELECT code, name_zh FROM customer_type")
    audited = rows(engine, "SELECT entity, action FROM audit_log WHERE action = 'create' "
                           "ORDER BY id")  # fmt: skip
    assert [e for e, _ in audited] == ["region", "region", "product_line", "customer_type",
                                       "team", "team"]  # fmt: skip
    assert main(["--database-url", url, "import-undo"]) == 0
    assert rows(engine, "SELECT count(*) FROM region") == [(0,)]
    assert rows(engine, "SELECT count(*) FROM team") == [(0,)]
    assert rows(engine, "SELECT count(*) FROM team_manager") == [(0,)]


def test_each_rule_is_a_row_problem_and_nothing_is_written(url, engine, tmp_path, capsys):
    bad = [
        ["区域", "South!", "华南", "", "", ""],          # row 4: a code is a-z, 0-9, _ or -
        ["区域", "east", "华东", "", "", ""],
        ["区域", "east2", "华 东", "", "", ""],          # row 6: 华东 written differently
        ["产品线", "", "智能制造", "", "", ""],          # row 7: a code is needed
        ["团队", "", "西北一组", "", "西北", ""],        # row 8: no such region
        ["团队", "", "华东一组", "", "", ""],            # row 9: a team needs its region
        ["团队", "", "华东二组", "", "east", "zhao.rep"],  # row 10: a rep leads no team
    ]  # fmt: skip
    status = main(["--database-url", url, "import", sheet(tmp_path, bad), "--kind",
                   "organisation", "--lang", "en"])  # fmt: skip
    out = capsys.readouterr().out
    assert status == 1
    for expected in (
        "Code “South!” is not valid",
        "“华 东” is there already as “华东”",
        "A code is needed",
        "No such region: 西北",
        "A team needs its region",
        "“zhao.rep” is no active manager and cannot lead a team",
    ):
        assert expected in out, expected
    assert rows(engine, "SELECT count(*) FROM region") == [(0,)]


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (["客户名称", "区域", "客户类型"], "customers"),  # 类型 and 名称 inside other words
        (["类型", "编码", "中文名称", "英文名称", "所属区域"], "organisation"),
        (["类型", "中文名称", "所属区域", "团队经理"], "organisation"),
    ],
)
def test_an_organisation_sheet_and_a_customer_list_are_told_apart(headers, kind):
    from salesboard.importing.mapping import detect_kind

    assert detect_kind(headers)[0] == kind
