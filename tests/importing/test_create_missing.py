"""``--create-missing`` (issue 14 item 2) on both backends: a customer list creates the
regions it names and a deal list its product lines, the dry run names what it would create
first, a name close to an existing one is a row problem instead of a second entry, only an
admin creates regions and product lines, and undo takes the created entries back."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from salesboard.cli.main import main
from salesboard.importing.report import note_texts
from salesboard.importing.validate import ImportOptions
from tests.builders import viewer
from tests.companies.importing import seed
from tests.importing import files
from tests.importing.helpers import FIRST_DATA_ROW, check, problems

CUSTOMERS = [["客户名称", "区域"],
             ["甲机械有限公司", "华北"], ["乙贸易公司", "西北"], ["丙科技", "华南大区"],
             ["丁制造", "华北"]]  # fmt: skip


@pytest.fixture
def company(engine):
    return engine, seed(engine)


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def csv_file(tmp_path, table) -> str:
    path = tmp_path / "list.csv"
    path.write_text(files.text_table(table, ","), encoding="utf-8-sig")
    return str(path)


def test_a_customer_list_creates_its_regions_and_undo_removes_them(company, tmp_path, capsys):
    engine, _ = company
    url, path = url_of(engine), csv_file(tmp_path, CUSTOMERS)
    # Without the option the unknown regions are row problems.
    assert main(["--database-url", url, "import", path, "--kind", "customers", "--dry-run"]) == 1
    assert "系统中没有这个区域：华北" in capsys.readouterr().out
    assert main(["--database-url", url, "import", path, "--kind", "customers", "--dry-run",
                 "--create-missing"]) == 0  # fmt: skip
    assert "将新建 2 个区域：华北、西北" in capsys.readouterr().out
    assert rows(engine, "SELECT count(*) FROM region") == [(2,)]  # a dry run writes nothing
    assert main(["--database-url", url, "import", path, "--kind", "customers",
                 "--create-missing"]) == 0  # fmt: skip
    capsys.readouterr()
    assert rows(engine, "SELECT code, name_zh, name_en FROM region ORDER BY id") == [
        ("south", "华南", "South China"), ("east", "华东", "East China"),
        ("huabei", "华北", "华北"), ("xibei", "西北", "西北"),
    ]  # fmt: skip
    placed = rows(engine, "SELECT c.name, r.code FROM customer c JOIN region r "
                          "ON r.id = c.region_id WHERE c.name IN ('甲机械有限公司', '乙贸易公司', "
                          "'丙科技', '丁制造') ORDER BY c.name")  # fmt: skip
    assert sorted(placed) == sorted([("甲机械有限公司", "huabei"), ("乙贸易公司", "xibei"),
                                     ("丙科技", "south"), ("丁制造", "huabei")])  # fmt: skip
    assert main(["--database-url", url, "import-undo"]) == 0
    assert rows(engine, "SELECT count(*) FROM region") == [(2,)]


def test_a_name_close_to_an_existing_one_is_a_problem_not_a_new_entry(company):
    engine, _ = company
    header = ["商机编号", "客户名称", "销售阶段", "负责人", "金额", "产品线"]
    table = [header,
             ["XS209907001", "某科技有限公司", "需求分析", "zhang.wei", "85万", "智能制造2"],
             ["XS209907002", "某科技有限公司", "需求分析", "zhang.wei", "85万", "云服务平台"],
             ["XS209907003", "某科技有限公司", "需求分析", "zhang.wei", "85万", "工业互联网"]]  # fmt: skip
    validation = check(engine, "opportunities", table, options=ImportOptions(create_missing=True))
    assert problems(validation) == {
        (FIRST_DATA_ROW, "产品线", "near_duplicate"),
        (FIRST_DATA_ROW + 1, "产品线", "near_duplicate"),
    }
    shown = validation.problems.set_index("row")["params"].to_dict()
    assert shown[FIRST_DATA_ROW] == {"existing": "智能制造"}
    assert shown[FIRST_DATA_ROW + 1] == {"existing": "云服务"}
    assert "将新建 1 条产品线：工业互联网" in note_texts(validation, "zh")
    assert "Will create 1 product line(s): 工业互联网" in note_texts(validation, "en")


def test_only_an_admin_creates_regions_and_product_lines(company):
    engine, ids = company
    header = ["商机编号", "客户名称", "销售阶段", "负责人", "金额", "产品线"]
    table = [
        header,
        ["XS209907001", "某科技有限公司", "需求分析", "zhang.wei", "85万", "工业互联网"],
    ]
    rep = viewer(engine, ids["rep_a"])
    validation = check(engine, "opportunities", table, viewer=rep,
                       options=ImportOptions(create_missing=True))  # fmt: skip
    assert problems(validation) == {(FIRST_DATA_ROW, "产品线", "unknown_product_line")}
    assert not note_texts(validation, "zh")


def test_a_roster_creates_its_regions_and_the_teams_in_them(company):
    from tests.importing.helpers import load

    engine, _ = company
    roster = [["姓名", "团队", "区域", "角色"],
              ["赵敏", "西北一组", "西北", "销售代表"], ["钱进", "西北一组", "西北", "销售经理"]]  # fmt: skip
    validation, result = load(engine, "users", roster, options=ImportOptions(create_missing=True))
    assert result.inserted == 2, problems(validation)
    assert rows(engine, "SELECT t.name, r.name_zh FROM team t JOIN region r ON r.id = t.region_id "
                        "WHERE t.name = '西北一组'") == [("西北一组", "西北")]  # fmt: skip
    assert rows(engine, 'SELECT u.display_name, t.name FROM "user" u JOIN team t '
                        "ON t.id = u.team_id WHERE t.name = '西北一组' ORDER BY u.id") == [
        ("赵敏", "西北一组"), ("钱进", "西北一组"),
    ]  # fmt: skip
