"""One value for every row (issue 14 item 4): ``--set 产品线=智能制造`` fills a field the
file lacks, checked like a cell (a bad value is a row problem naming the constant's column),
on both backends; an unknown field is a one-line error in the configured language."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from salesboard.cli.main import main
from salesboard.importing.constants import ConstantError, parse_assignments, with_constants
from salesboard.importing.kinds import KINDS
from salesboard.importing.service import read_upload
from tests.companies.importing import seed
from tests.importing import files

HEADER = ["商机编号", "客户名称", "销售阶段", "负责人", "金额"]  # no 产品线 column
ROWS = [["XS209906001", "某科技有限公司", "需求分析", "zhang.wei", "85万"],
        ["XS209906002", "YY制造集团", "方案制定", "wang.fang", "120万"]]  # fmt: skip


@pytest.fixture
def url(engine):
    seed(engine)
    return engine.url.render_as_string(hide_password=False)


def csv_file(tmp_path) -> str:
    path = tmp_path / "商机.csv"
    path.write_text(files.text_table([HEADER, *ROWS], ","), encoding="utf-8-sig")
    return str(path)


def lines_of(engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT o.code, p.code FROM opportunity o JOIN product_line p "
            "ON p.id = o.product_line_id WHERE o.code LIKE 'XS209906%' ORDER BY o.code"))]  # fmt: skip


def test_set_fills_a_field_the_file_lacks(url, engine, tmp_path, capsys):
    path = csv_file(tmp_path)
    # Without it the file cannot be imported: the product line is required.
    assert (
        main(["--database-url", url, "import", path, "--kind", "opportunities", "--dry-run"]) == 1
    )
    assert "产品线" in capsys.readouterr().err
    assert (
        main(
            [
                "--database-url",
                url,
                "import",
                path,
                "--kind",
                "opportunities",
                "--set",
                "产品线=智能制造",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "产品线（所有行） = 智能制造 -> 产品线" in out
    assert lines_of(engine) == [("XS209906001", "smart_mfg"), ("XS209906002", "smart_mfg")]


def test_a_bad_constant_is_a_row_problem_and_writes_nothing(url, engine, tmp_path, capsys):
    path = csv_file(tmp_path)
    status = main(["--database-url", url, "import", path, "--kind", "opportunities", "--set", "product_line=不存在的线",
                   "--lang", "en"])  # fmt: skip
    out = capsys.readouterr().out
    assert status == 1
    assert "Product line (all rows)" in out and "不存在的线" in out
    assert lines_of(engine) == []


@pytest.mark.parametrize(
    ("assignment", "lang", "message"),
    [
        ("颜色=红", "zh", "error: --set 颜色：“商机”导入没有这个字段"),
        (
            "colour=red",
            "en",
            "error: --set colour: the import of “Opportunities” has no such field",
        ),
    ],
)
def test_an_unknown_field_is_one_line(url, tmp_path, capsys, assignment, lang, message):
    status = main(["--database-url", url, "import", csv_file(tmp_path), "--kind", "opportunities", "--set", assignment,
                   "--lang", lang])  # fmt: skip
    assert status == 1
    assert capsys.readouterr().err.strip() == message


def test_a_constant_becomes_a_checked_column():
    kind = KINDS["opportunities"]
    assert parse_assignments(kind, ["产品线=智能制造", "amount = 10万"]) == {
        "product_line": "智能制造", "amount": "10万",
    }  # fmt: skip
    with pytest.raises(ConstantError):
        parse_assignments(kind, ["不存在=1"])
    with pytest.raises(ValueError, match="FIELD=VALUE"):
        parse_assignments(kind, ["产品线"])
    table = read_upload(files.text_table([HEADER, *ROWS], ",").encode(), "a.csv")
    filled, mapping = with_constants(table, {"code": "商机编号"}, {"product_line": "云服务"}, "en")
    assert mapping == {"code": "商机编号", "product_line": "Product line (all rows)"}
    assert filled.frame["Product line (all rows)"].tolist() == ["云服务", "云服务"]
    assert "Product line (all rows)" not in table.columns  # the file's table is unchanged
