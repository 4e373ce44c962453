"""Importing deal ratings from a survey sheet (SQLite and PostgreSQL): Chinese and English
headers, a rating already stored is re-rated (updated, as on the deal page) and undone
back, and every bad row is named with its field — an unknown code and a deal outside the
importer's scope alike, an unknown stage, a score that is not a whole number 1–5, the same
(deal, stage, kind) twice in the file. The CLI imports them too."""

from __future__ import annotations

from datetime import date

import pytest

from salesboard.accounts.access import PermissionDenied
from salesboard.cli.main import main
from salesboard.importing.report import report_frame
from salesboard.importing.undo import undo_last_import
from salesboard.pipeline.ratings import deal_ratings, record_rating
from salesboard.store.db import read_session, write_session
from tests.companies.importing import seed, viewer
from tests.importing import files
from tests.importing.helpers import FIRST_DATA_ROW, check, load, problems

HEADER = ["商机编号", "阶段", "评分类型", "评分", "评价日期", "备注"]
MINE, THEIRS, MISSING = "XS202405001", "XS202405002", "XS209999999"


@pytest.fixture
def company(engine):
    return seed(engine)


def stored(engine, company) -> list[tuple[str, str, int, str]]:
    with read_session(engine) as s:
        rows = deal_ratings(s, viewer(engine, company["admin"]), company["o1"])
    return sorted((r.stage_en, r.kind, r.score, r.note) for r in rows)


def test_a_survey_sheet_rates_deals_and_a_second_sheet_rerates(engine, company):
    mgr = viewer(engine, company["mgr"])
    validation, result = load(engine, "ratings", [
        HEADER,
        [MINE, "方案制定", "沟通满意度", 4, "2024-06-20", "客户认可"],
        [MINE, "方案制定", "方案匹配度", "5", "2024-06-20", None],
    ], viewer=mgr)  # fmt: skip
    assert (result.inserted, result.failed) == (2, 0), validation.problems
    assert stored(engine, company) == [("Proposal", "communication", 4, "客户认可"),
                                       ("Proposal", "proposal_match", 5, "")]  # fmt: skip
    # Rating again replaces, whatever the mode (insert is the default), like the deal page.
    validation, result = load(engine, "ratings", [
        HEADER,
        [MINE, "方案制定", "沟通满意度", 2, "2024-07-01", "复评"],
        [MINE, "方案制定", "方案匹配度", 5, "2024-06-20", None],
    ], viewer=mgr)  # fmt: skip
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 1)
    assert stored(engine, company)[0] == ("Proposal", "communication", 2, "复评")
    with write_session(engine) as s:
        undo_last_import(s, mgr)
    assert stored(engine, company)[0] == ("Proposal", "communication", 4, "客户认可")


def test_every_bad_row_is_named_with_its_field(engine, company):
    mgr = viewer(engine, company["mgr"])
    validation = check(engine, "ratings", [
        HEADER,
        [MISSING, "方案制定", "沟通满意度", 4, "2024-06-20", None],
        [THEIRS, "方案制定", "沟通满意度", 4, "2024-06-20", None],
        [MINE, "不存在的阶段", "沟通满意度", 4, "2024-06-20", None],
        [MINE, "需求分析", "沟通满意度", 6, "2024-06-20", None],
        [MINE, "需求分析", "方案匹配度", "好", "2024-06-20", None],
        [MINE, "方案制定", "方案匹配度", 3.5, "2024-06-20", None],
        [MINE, "商务谈判", "沟通满意度", 3, "2024-06-20", None],
        [MINE, "商务谈判", "沟通满意度", 5, "2024-06-21", None],
        [MINE, "方案制定", "沟通满意度", 0, "2024-06-20", None],
        [MINE, "线索获取", "沟通满意度", 3, "2024-06-20", None],
    ], viewer=mgr)  # fmt: skip
    row = FIRST_DATA_ROW
    found = problems(validation)
    codes = {(r - row, c) for r, _, c in found}
    # The unknown code and the deal of another team read the same: no way to tell them apart.
    assert {(0, "forbidden"), (1, "forbidden")} <= codes
    for lang in ("zh", "en"):
        frame = report_frame(validation, lang)
        messages = [str(m).replace(MISSING, "#").replace(THEIRS, "#") for m in frame.iloc[:, -1]]
        assert messages[0] == messages[1]
    assert (2, "unknown_stage") in codes
    assert (3, "rating_range") in codes and (8, "rating_range") in codes
    assert (4, "bad_int") in codes and (5, "bad_int") in codes
    assert {(6, "duplicate_key"), (7, "duplicate_key")} <= codes
    by_row = {r - row: column for r, column, _ in found}
    assert by_row[3] == by_row[4] == by_row[8] == "评分" and by_row[2] == "阶段"
    assert list(validation.action) == ["failed"] * 9 + ["insert"]


def test_a_stored_rating_counts_as_there_and_reps_may_not_import(engine, company):
    with write_session(engine) as s:
        record_rating(s, viewer(engine, company["admin"]), company["o1"],
                      stage_id=company["stage_proposal"], kind="communication", score=3,
                      rated_on=date(2024, 6, 1))  # fmt: skip
    validation = check(engine, "ratings", [
        ["Deal ID", "Stage", "Rating kind", "Score", "Rated on"],
        [MINE, "Proposal", "communication", 3, "2024-06-01"],
        [MINE, "proposal", "Communication satisfaction", 4, "2024-06-02"],
    ], viewer=viewer(engine, company["admin"]))  # fmt: skip
    assert list(validation.action) == ["failed", "failed"]  # the same key twice in the file
    validation = check(engine, "ratings", [
        ["Deal ID", "Stage", "Rating kind", "Score", "Rated on"],
        [MINE, "Proposal", "communication", 4, "2024-06-02"],
    ], viewer=viewer(engine, company["admin"]))  # fmt: skip
    assert list(validation.action) == ["update"]
    with pytest.raises(PermissionDenied) as refused:  # reps do not rate deals
        check(engine, "ratings", [["Deal ID", "Stage", "Rating kind", "Score", "Rated on"],
                                  [MINE, "Proposal", "communication", 4, "2024-06-02"]],
              viewer=viewer(engine, company["rep_a"]))  # fmt: skip
    assert refused.value.code == "import_forbidden"


def test_the_cli_imports_a_survey_sheet(engine, company, tmp_path, capsys):
    path = tmp_path / "满意度调查.xlsx"
    path.write_bytes(files.simple_xlsx([
        ["Deal ID", "Stage", "Rating kind", "Score", "Rated on", "Note"],
        [MINE, "Proposal", "communication", 5, "2024-06-20", "survey"],
    ]))  # fmt: skip
    url = engine.url.render_as_string(hide_password=False)
    assert main(["--database-url", url, "import", "--kind", "ratings", str(path),
                 "--lang", "en"]) == 0  # fmt: skip
    assert "1 inserted" in capsys.readouterr().out
    assert stored(engine, company) == [("Proposal", "communication", 5, "survey")]
