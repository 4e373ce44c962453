"""``python -m salesboard [--as-user U] deal …`` and ``visit add`` on both backends: the same
rules as the deal page; a refusal is one line naming the option and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from salesboard.cli.main import main
from salesboard.store.db import read_session
from salesboard.store.settings import get_settings
from salesboard.store.tables import ASSESSMENT, OPP, STAGE, VISIT
from tests.builders import WAN
from tests.companies.pipeline import AS_OF, build
from tests.test_backup import store_url


@pytest.fixture
def url(engine, monkeypatch):
    monkeypatch.setenv("SALESBOARD_TODAY", AS_OF.isoformat())
    get_settings.cache_clear()
    yield store_url(build(engine).engine)
    get_settings.cache_clear()


def run(url, capsys, *args) -> tuple[int, str, str]:
    status = main(["--database-url", url, *args])
    out, err = capsys.readouterr()
    return status, out.strip(), err.strip()


def test_a_rep_works_a_deal_from_the_command_line(engine, url, capsys):
    status, code, _ = run(url, capsys, "--as-user", "ra", "deal", "add", "--customer", "D1客户",
                          "--amount", "85万", "--product-line", "cloud")  # fmt: skip
    assert (status, code) == (0, "XS202603002")
    status, _, err = run(url, capsys, "--as-user", "ra", "deal", "move", code, "--to",
                         "needs_analysis")  # fmt: skip
    # Refused, naming the undone key actions and the option that would let it through.
    assert status == 1 and err.startswith("error: --reason:")
    assert "线索资格确认" in err and "线索评分" in err and "\n" not in err
    status, out, _ = run(url, capsys, "--as-user", "ra", "deal", "move", code, "--to",
                         "needs_analysis", "--reason", "客户已明确需求")  # fmt: skip
    assert (status, out) == (0, f"{code}: lead → needs_analysis")
    status, out, _ = run(url, capsys, "--as-user", "ra", "visit", "add", "--deal", code,
                         "--minutes", "40", "--decision-maker", "--need", "私有化部署")  # fmt: skip
    assert status == 0 and out.endswith(": effective")
    assert run(url, capsys, "--as-user", "ra", "deal", "lose", code, "--reason", "budget")[0] == 0
    with read_session(engine) as s:
        deal = s.execute(select(OPP.c.status, OPP.c.amount_minor, OPP.c.lost_reason_code,
                                STAGE.c.code).join(STAGE, STAGE.c.id == OPP.c.lost_stage_id)
                         .where(OPP.c.code == code)).one()  # fmt: skip
        visits = s.execute(select(VISIT.c.effective)).scalars().all()
    assert tuple(deal) == ("lost", 85 * WAN, "budget", "needs_analysis")
    assert visits == [True]


def test_win_and_refusals_name_the_option(engine, url, capsys):
    status, _, err = run(url, capsys, "--as-user", "rb", "deal", "win", "XS202602002")
    assert (status, err) == (1, "error: CODE: 找不到商机 XS202602002。")  # ra's deal: out of scope
    status, _, err = run(url, capsys, "deal", "add", "--customer", "D1客户", "--amount", "十万",
                         "--product-line", "cloud", "--owner", "ra")  # fmt: skip
    assert status == 1 and err.startswith("error: --amount:")
    status, out, _ = run(url, capsys, "--as-user", "ra", "deal", "win", "XS202602002",
                         "--reason", "客户提前签约")  # fmt: skip
    assert (status, out) == (0, "XS202602002: won (negotiation → delivery)")
    with read_session(engine) as s:
        assert s.execute(select(func.count()).select_from(OPP)).scalar_one() == 7


def test_a_deal_is_assessed_from_the_command_line(engine, url, capsys):
    scores = ["--score", "need=4", "--score", "budget=3", "--score", "access=5",
              "--score", "timeline=4"]  # fmt: skip
    status, _, err = run(url, capsys, "--as-user", "ra", "deal", "assess", "XS202602002", *scores)
    assert (status, err) == (1, "error: --score: 请给“竞争地位”打分（1–5）。")
    status, _, err = run(url, capsys, "--as-user", "ra", "deal", "assess", "XS202602002",
                         "--score", "need")  # fmt: skip
    assert (status, err) == (1, "error: --score: 'need' is not DIMENSION=SCORE (e.g. need=4)")
    status, out, _ = run(url, capsys, "--as-user", "ra", "deal", "assess", "XS202602002", *scores,
                         "--score", "competition=2", "--note", "竞品压价")  # fmt: skip
    assert (status, out) == (0, "XS202602002: assessed 3.60")  # (4+3+5+4+2) / 5
    with read_session(engine) as s:
        assert s.execute(select(func.count()).select_from(ASSESSMENT)).scalar_one() == 1
