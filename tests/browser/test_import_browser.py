"""The import in a real browser: upload an XLSX with 3 bad rows, see them listed, download
the error workbook (only those rows, with reasons), import the rest, undo."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import text
from sqlalchemy.engine import make_url

from salesboard.store.db import create_store_engine
from tests.browser.conftest import _serve, ensure_signed_in, screenshot, wait_for_app
from tests.conftest import copy_sqlite
from tests.importing.files import simple_xlsx

pytestmark = pytest.mark.browser

SLOW = 90_000  # ms: the machine is shared; a dry run or an import may take a while
HEADER = ["商机编号", "客户名称", "销售阶段", "负责人", "金额（万元）", "产品线", "计划完成时间"]
BAD = {2: ("销售阶段", "火星阶段"), 4: ("负责人", "查无此人"), 6: ("金额（万元）", -5)}


@pytest.fixture
def store_url(demo_store, tmp_path):
    """A private copy of the demo store: this test writes to it."""
    path = tmp_path / "browser-import.db"
    copy_sqlite(make_url(demo_store).database, path)
    return f"sqlite:///{path}"


@pytest.fixture
def server(store_url):
    yield from _serve(store_url)


def query(url: str, sql: str):
    engine = create_store_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(sql)).all()
    engine.dispose()
    return rows


def deals_file(url: str, path) -> list[str]:
    reps = [r[0] for r in query(url, "SELECT display_name FROM user WHERE role='rep' ORDER BY id")]
    customers = [r[0] for r in query(url, "SELECT name FROM customer ORDER BY id")]
    rows, codes = [], []
    for i in range(8):
        code = f"XS20261298{i:02d}"
        codes.append(code)
        row = dict(zip(HEADER, [code, customers[i], "需求分析", reps[i % len(reps)], 20 + i,
                                "云服务", date(2026, 12, 1 + i)], strict=True))  # fmt: skip
        if i in BAD:
            row[BAD[i][0]] = BAD[i][1]
        rows.append(list(row.values()))
    path.write_bytes(simple_xlsx([["商机清单（浏览器测试）"], [], HEADER, *rows]))
    return codes


@pytest.mark.slow  # > 10 s on a loaded 2-core machine
def test_upload_see_bad_rows_download_them_and_import_the_rest(server, store_url, page, tmp_path):
    upload = tmp_path / "商机清单.xlsx"
    codes = deals_file(store_url, upload)
    page.goto(f"{server}/upload?lang=zh")
    ensure_signed_in(page)
    expect(page.get_by_role("heading", name="上传表格：分析与导入")).to_be_visible(timeout=SLOW)
    page.locator('[data-testid="stFileUploaderDropzone"] input[type="file"]').set_input_files(
        str(upload)
    )
    expect(page.get_by_role("tab", name="导入到系统")).to_be_visible(timeout=SLOW)
    wait_for_app(page)
    page.get_by_role("tab", name="导入到系统").click()
    page.locator(".st-key-import_check button").click()
    expect(page.get_by_text("3 行有问题")).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("有问题的行（Excel 行号）：6、8、10")).to_be_visible(timeout=SLOW)
    wait_for_app(page)
    screenshot(page, "import_report_zh")

    with page.expect_download() as download_info:
        page.locator(".st-key-error_workbook button").click()
    saved = tmp_path / "errors.xlsx"
    download_info.value.save_as(saved)
    sheet = load_workbook(saved).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:7] == HEADER and values[0][-1] == "错误原因"
    assert [v[0] for v in values[1:]] == [codes[i] for i in sorted(BAD)]
    assert "火星阶段" in values[1][-1] and "查无此人" in values[2][-1] and "-5" in values[3][-1]

    page.locator(".st-key-import_run button").click()
    expect(page.get_by_text("新增 5")).to_be_visible(timeout=SLOW)
    wait_for_app(page)
    imported = {
        r[0] for r in query(store_url, "SELECT code FROM opportunity WHERE code LIKE 'XS20261298%'")
    }
    assert imported == {c for i, c in enumerate(codes) if i not in BAD}
    screenshot(page, "import_done_zh")

    page.locator(".st-key-import_undo button").click()
    expect(page.get_by_text("已撤销导入")).to_be_visible(timeout=SLOW)
    assert not query(store_url, "SELECT code FROM opportunity WHERE code LIKE 'XS20261298%'")
