"""``python -m salesboard import``: the same report as the page, exit status 0/1, real
files (GBK CSV with a title row, Excel serial dates, 85万, formulas read as cached values),
refused files and the size limit change nothing; import-log and import-undo."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from openpyxl import load_workbook

from salesboard.cli.main import main
from salesboard.store.settings import get_settings
from tests.companies.importing import seed
from tests.importing import files
from tests.importing.helpers import snapshot

HEADER = ["商机编号", "客户名称", "销售阶段", "负责人", "金额", "产品线", "创建日期"]


@pytest.fixture
def url(engine):
    seed(engine)
    return engine.url.render_as_string(hide_password=False)


def run(url: str, *args: str) -> int:
    return main(["--database-url", url, *args])


def gbk_csv(tmp_path, rows) -> str:
    path = tmp_path / "商机清单.csv"
    text = files.text_table([["商机清单（2024年）"], [], *rows], ",")
    path.write_bytes(text.encode("gbk"))
    return str(path)


def test_gbk_csv_with_title_row_serial_dates_and_wan_amounts(url, tmp_path, capsys, engine):
    rows = [HEADER,
            ["XS209905001", "某科技有限公司", "需求分析", "张伟(zhang.wei)", "85万", "云服务", "45422"],
            ["XS209905002", "YY制造集团", "方案制定", "wang.fang", "￥1,200,000", "智能制造",
             "2024年5月10日"]]  # fmt: skip
    rows[1][3] = "zhang.wei"
    path = gbk_csv(tmp_path, rows)
    assert run(url, "import", path, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "表头在第 3 行" in out and "可新增 2" in out and "试运行" in out
    assert run(url, "import", path, "--lang", "en") == 0
    out = capsys.readouterr().out
    assert "2 inserted" in out
    from sqlalchemy import text

    with engine.connect() as conn:
        found = conn.execute(text(
            "SELECT code, amount_minor, created_on FROM opportunity WHERE code LIKE 'XS2099%' ORDER BY code"
        )).all()  # fmt: skip
    assert [(c, a, str(d)) for c, a, d in found] == [
        ("XS209905001", 85_000_000, "2024-05-10"),
        ("XS209905002", 120_000_000, "2024-05-10"),
    ]
    assert run(url, "import-log") == 0
    assert "商机清单.csv" in capsys.readouterr().out
    assert run(url, "import-undo", "--lang", "en") == 0
    assert "was undone" in capsys.readouterr().out
    assert run(url, "import-undo") == 1
    assert "没有可撤销的导入" in capsys.readouterr().err


def test_bad_rows_exit_1_list_the_rows_and_write_the_error_workbook(url, tmp_path, capsys):
    rows = [HEADER,
            ["XS209906001", "某科技有限公司", "需求分析", "zhang.wei", "85万", "云服务", None],
            ["XS209906002", "某科技有限公司", "火星阶段", "zhang.wei", "-3", "云服务", None],
            ["XS209906003", "某科技有限公司", "需求分析", "nobody", "1万", "云服务", "2024-13-01"]]  # fmt: skip
    path = gbk_csv(tmp_path, rows)
    report = tmp_path / "errors.xlsx"
    assert run(url, "import", path, "--report-xlsx", str(report)) == 1
    out = capsys.readouterr().out
    assert "5  销售阶段  [火星阶段]  系统中没有这个销售阶段" in out
    assert "6  负责人  [nobody]" in out and "存在有问题的行，未写入任何数据" in out
    sheet = load_workbook(report).worksheets[0]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert [v[0] for v in values[1:]] == ["XS209906002", "XS209906003"]
    assert values[0][-2:] == ["原文件行号", "错误原因"] and values[1][-2] == 5
    assert run(url, "import", path, "--skip-invalid") == 1  # still not clean: exit 1
    assert "新增 1" in capsys.readouterr().out


def test_formula_cells_are_read_as_their_cached_values_never_evaluated(url, tmp_path, capsys,
                                                                       engine):  # fmt: skip
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("商机")
    sheet.write_row(0, 0, [*HEADER[:6], "下一步"])
    sheet.write_row(1, 0, ["XS209907001"])
    sheet.write_formula(1, 1, '=HYPERLINK("http://example.invalid","某科技有限公司")', None,
                        "某科技有限公司")  # fmt: skip
    sheet.write_row(1, 2, ["需求分析", "zhang.wei"])
    sheet.write_formula(1, 4, "=1+1", None, 850000)  # the cached value is deliberately wrong
    sheet.write(1, 5, "云服务")
    sheet.write_formula(1, 6, "=cmd|' /C calc'!A0", None, "约见客户")
    book.close()
    path = tmp_path / "formulas.xlsx"
    path.write_bytes(buffer.getvalue())
    assert run(url, "import", str(path)) == 0
    from sqlalchemy import text

    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT o.amount_minor, o.next_step, c.name FROM opportunity o "
            "JOIN customer c ON c.id = o.customer_id WHERE o.code = 'XS209907001'"
        )).one()  # fmt: skip
    assert tuple(row) == (85_000_000, "约见客户", "某科技有限公司")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("商机.xlsx", files.png_bytes(), "这不是电子表格文件"),
        ("商机.xls", files.HTML_XLS, "网页/XML"),
        ("商机.xlsx", files.zip_bomb(60 * 1024 * 1024), "解压后异常巨大"),
        ("商机.xlsx", files.encrypted_xlsx(), "密码保护"),
    ],
    ids=["renamed-png", "html-as-xls", "zip-bomb", "encrypted"],
)
def test_files_that_are_not_spreadsheets_are_refused_and_change_nothing(
    url, engine, tmp_path, capsys, name, content, message
):
    before = snapshot(engine)
    path = tmp_path / name
    path.write_bytes(content)
    assert run(url, "import", str(path), "--kind", "opportunities") == 1
    assert message in capsys.readouterr().err
    assert snapshot(engine) == before


def test_a_far_cell_in_single_quotes_is_refused_by_the_command_with_the_cell_count(
    url, engine, tmp_path, capsys
):
    from tests.importing.test_hostile_uploads import FAR_CELL_SPELLINGS, workbook_with_sheet_xml

    path = tmp_path / "stray.xlsx"
    path.write_bytes(workbook_with_sheet_xml(FAR_CELL_SPELLINGS["single_quotes"]))
    before = snapshot(engine)
    assert run(url, "import", str(path), "--kind", "opportunities", "--lang", "en") == 1
    assert "The sheet is too large: 17,179,869,184 cells" in capsys.readouterr().err
    assert snapshot(engine) == before


def test_upload_size_limit_is_configurable_with_a_clear_message(url, engine, tmp_path, capsys,
                                                                monkeypatch):  # fmt: skip
    monkeypatch.setenv("SALESBOARD_MAX_UPLOAD_MB", "1")
    get_settings.cache_clear()
    try:
        rows = [HEADER] + [[f"XS2099{i:05d}", "某科技有限公司", "需求分析", "zhang.wei", "1万",
                            "云服务", None] for i in range(30_000)]  # fmt: skip
        path = gbk_csv(tmp_path, rows)
        before = snapshot(engine)
        assert run(url, "import", path, "--lang", "en") == 1
        err = capsys.readouterr().err
        assert (
            "too large" in err and "the limit is 1 MB" in err and "SALESBOARD_MAX_UPLOAD_MB" in err
        )
        assert snapshot(engine) == before
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_unknown_kind_and_forbidden_kind_are_one_line_errors(url, tmp_path, capsys):
    path = tmp_path / "misc.csv"
    path.write_text("姓,名\n张,三\n", encoding="utf-8")
    assert run(url, "import", str(path)) == 1
    assert "无法从表头判断导入类型" in capsys.readouterr().err
    rows = [
        HEADER,
        ["XS209908001", "某科技有限公司", "需求分析", "zhang.wei", "1万", "云服务", None],
    ]
    path = gbk_csv(tmp_path, rows)
    assert run(url, "--as-user", "leader", "import", path, "--lang", "en") == 1
    assert "cannot import" in capsys.readouterr().err
