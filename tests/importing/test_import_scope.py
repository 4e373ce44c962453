"""What an import reveals and what it may reference (issue 18, items 4 and 5): a code of a
deal the importer may not see reads exactly like a code that does not exist (no owner's
name, no customer), and every deal a row references is checked against the importer's
scope — a rep attached a visit to a colleague's deal."""

from __future__ import annotations

import pytest

from salesboard.importing.report import report_frame
from salesboard.store.models import Visit
from tests.companies.importing import seed, viewer
from tests.importing.helpers import check, load, snapshot

THEIRS, MISSING, MINE = "XS202405002", "XS209999999", "XS202405001"
# What the colleague's deal would give away: its owner and its customer.
SECRETS = ("王芳", "wang.fang", "YY制造集团")

KINDS = {
    "key_actions": (["商机编号", "客户名称", "销售阶段", "关键动作", "计划完成时间"],
                    lambda code: [code, "某科技有限公司", "方案制定", "提交方案", "2024-05-15"]),
    # The colleague's own customer, in its region: only the deal's owner is out of scope.
    "visits": (["客户名称", "区域", "拜访人", "拜访日期", "商机编号"],
               lambda code: ["某科技有限公司", "华南", "zhang.wei", "2024-06-01", code]
               if code == MINE else ["YY制造集团", "华东", "zhang.wei", "2024-06-01", code]),
    "collections": (["商机编号", "应收金额", "应收日期"],
                    lambda code: [code, "10万", "2024-08-31"]),
}  # fmt: skip


@pytest.fixture
def company(engine):
    return seed(engine)


def reasons(validation, lang: str) -> list[tuple[str, str]]:
    """(column, message) of every problem, with the code the row named blanked out."""
    frame = report_frame(validation, lang)
    return [(str(r.iloc[1]), str(r.iloc[-1]).replace(THEIRS, "#").replace(MISSING, "#"))
            for _, r in frame.iterrows()]  # fmt: skip


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("who", ["rep_a", "mgr"])
def test_a_code_out_of_scope_reads_exactly_like_a_missing_one(engine, company, kind, who):
    header, make = KINDS[kind]
    importer = viewer(engine, company[who])
    if kind == "collections" and who == "rep_a":
        importer = viewer(engine, company["mgr"])  # reps do not import collections
    theirs = check(engine, kind, [header, make(THEIRS)], viewer=importer)
    missing = check(engine, kind, [header, make(MISSING)], viewer=importer)
    assert list(theirs.action) == list(missing.action) == ["failed"]
    for lang in ("zh", "en"):
        assert reasons(theirs, lang) == reasons(missing, lang)
        shown = " ".join(m for _, m in reasons(theirs, lang))
        assert not any(secret in shown for secret in SECRETS), shown
    mine = check(engine, kind, [header, make(MINE)], viewer=importer)
    assert list(mine.action) == ["insert"]


def test_a_rep_cannot_attach_a_visit_to_a_colleagues_deal(engine, company):
    header, make = KINDS["visits"]
    rep = viewer(engine, company["rep_a"])
    before = snapshot(engine)
    validation, result = load(engine, "visits", [header, make(THEIRS)], viewer=rep,
                              skip_invalid=False)  # fmt: skip
    assert result is None and list(validation.action) == ["failed"]
    assert snapshot(engine) == before
    validation, result = load(engine, "visits", [header, make(MINE)], viewer=rep)
    assert result.inserted == 1
    from sqlmodel import Session, select

    with Session(engine) as session:
        assert session.exec(select(Visit.opportunity_id)).all() == [company["o1"]]


def test_an_admin_still_hears_that_a_code_does_not_exist(engine, company):
    header, make = KINDS["key_actions"]
    admin = viewer(engine, company["admin"])
    result = check(engine, "key_actions", [header, make(MISSING)], viewer=admin)
    assert set(result.problems["code"]) == {"unknown_opportunity"}
