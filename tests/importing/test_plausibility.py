"""Implausible imports (issue 18, item 11): dates from year 1 to 9999, a deal created after its
expected close, and a CSV that mixes UTF-8 and GBK (read as gb18030 with a note, it created
a garbled customer) are refused or flagged on their rows; nothing is created from text that
did not decode cleanly."""

from __future__ import annotations

import pytest

from salesboard.cli.main import main
from salesboard.importing import RejectCode, SpreadsheetRejected, read_sheet
from tests.companies.importing import seed
from tests.importing.files import text_table
from tests.importing.helpers import FIRST_DATA_ROW, check, problems, snapshot

R = FIRST_DATA_ROW
HEADER = [
    "商机编号",
    "客户名称",
    "销售阶段",
    "负责人",
    "金额",
    "产品线",
    "创建日期",
    "预计成交日期",
]
GOOD = ["XS209912001", "某科技有限公司", "需求分析", "zhang.wei", "85万", "云服务", "2026-10-08",
        "2026-12-31"]  # fmt: skip


def row(**changes) -> list[object]:
    values = dict(zip(HEADER, GOOD, strict=True))
    values.update(changes)
    return list(values.values())


@pytest.fixture
def company(engine):
    return seed(engine)


@pytest.mark.parametrize(
    ("column", "value"),
    [("创建日期", "0001-01-01"), ("创建日期", "1899-12-31"), ("预计成交日期", "9999-12-31"),
     ("预计成交日期", "2099-01-01"), ("创建日期", "1/1/1")],
)  # fmt: skip
def test_dates_outside_a_plausible_window_are_flagged_on_their_row(engine, company, column, value):
    found = problems(check(engine, "opportunities", [HEADER, row(**{column: value})]))
    assert {(r, c) for r, c, code in found if code in ("date_out_of_range", "bad_date")} == {
        (R, column)
    }


def test_a_deal_created_after_its_expected_close_is_flagged(engine, company):
    found = problems(check(engine, "opportunities", [HEADER, row(创建日期="2026-11-30",
                                                                 预计成交日期="2026-10-31")]))  # fmt: skip
    assert (R, "预计成交日期", "date_before") in found
    assert not problems(check(engine, "opportunities", [HEADER, row()]))


def mixed_csv() -> bytes:
    """A CSV saved partly as UTF-8 and partly as GBK (two exports pasted together)."""
    header = text_table([HEADER], ",")
    utf8 = text_table([row(商机编号="XS209912002", 客户名称="全新客户甲")], ",").encode("utf-8")
    gbk = text_table([row(商机编号="XS209912003", 客户名称="全新客户乙")], ",").encode("gbk")
    return header.encode("utf-8") + utf8 + gbk


def test_a_csv_mixing_utf8_and_gbk_is_refused():
    with pytest.raises(SpreadsheetRejected) as refused:
        read_sheet(mixed_csv(), "deals.csv")
    assert refused.value.code == RejectCode.MIXED_ENCODING
    assert refused.value.detail == {"utf8_line": 1, "other_line": 3}  # the header is UTF-8


def test_a_mixed_csv_creates_no_customer_through_the_command(engine, company, tmp_path, capsys):
    path = tmp_path / "deals.csv"
    path.write_bytes(mixed_csv())
    before = snapshot(engine)
    url = engine.url.render_as_string(hide_password=False)
    assert main(["--database-url", url, "import", str(path), "--create-missing",
                 "--skip-invalid", "--lang", "en"]) == 1  # fmt: skip
    assert "UTF-8 and another encoding" in capsys.readouterr().err
    assert snapshot(engine) == before


def test_clean_gbk_and_clean_utf8_files_still_read():
    for encoding in ("utf-8", "gbk", "gb18030"):
        data = text_table([HEADER, row(客户名称="全新客户乙")], ",").encode(encoding)
        assert read_sheet(data, "deals.csv").frame.iloc[0, 1] == "全新客户乙"


def test_a_guessed_encoding_creates_no_customer(engine, company):
    from salesboard.importing.service import prepare, read_upload
    from salesboard.importing.validate import ImportOptions, validate
    from salesboard.store.db import read_session
    from tests.companies.importing import viewer

    western = [["Opportunity ID", "Customer", "Stage", "Owner", "Amount", "Product line"],
               ["XS209912009", "Müller Maschinenbau GmbH", "Needs analysis", "zhang.wei",
                "850000", "Cloud Services"]]  # fmt: skip
    table = read_upload(text_table(western, ",").encode("cp1252"), "deals.csv")
    assert [w.code.value for w in table.warnings] == ["encoding_guessed"]
    rep = viewer(engine, company["rep_a"])
    with read_session(engine) as s:
        prepared = prepare(s, table, rep, "opportunities")
        checked = validate(s, table, prepared.kind, prepared.mapping, rep,
                           options=ImportOptions(create_missing=True, today=None))  # fmt: skip
    assert ("import.note.no_create_encoding_guessed", {}) in checked.notes
    assert (2, "Customer", "unknown_customer") in problems(checked)
