"""``python -m salesboard [--as-user U] report scorecard`` on the demo store: the scorecards
the user may see (a rep their own, a leader everyone), the same totals as the page's
function, and a team out of sight refused like an unknown one."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import viewer_for
from salesboard.cli.main import main
from salesboard.evaluation.scorecard import scorecards
from salesboard.store.db import create_store_engine
from salesboard.store.models import Role, User
from tests.apptest_support import first_user

AS_OF = date(2026, 11, 23)


def report(url, capsys, tmp_path, user, *args) -> tuple[int, list, str]:
    out = tmp_path / "cards.json"
    out.unlink(missing_ok=True)
    status = main(["--database-url", url, "--as-user", user, "report", "scorecard", "--period",
                   "2026-10", "--format", "json", "--as-of", AS_OF.isoformat(), "--output",
                   str(out), *args])  # fmt: skip
    err = capsys.readouterr().err
    return status, (json.loads(out.read_text()) if out.exists() else []), err


def test_a_rep_gets_their_own_card_and_a_leader_everyones(demo_store, capsys, tmp_path):
    rep, leader = first_user(Role.REP, demo_store), first_user(Role.LEADER, demo_store)
    status, own, _ = report(demo_store, capsys, tmp_path, rep)
    assert status == 0 and len(own) == 1
    status, everyone, _ = report(demo_store, capsys, tmp_path, leader)
    engine = create_store_engine(demo_store)
    with Session(engine) as s:
        me = viewer_for(s, s.execute(select(User).where(User.username == leader)).scalar_one())
        cards = scorecards(s, me, "rep", "2026-10", AS_OF)
    engine.dispose()
    assert status == 0 and len(everyone) == len(cards) > 1
    totals = sorted(round(c.total, 1) for c in cards)
    assert sorted(round(card["total"], 1) for card in everyone) == totals
    assert own[0]["name"] in {card["name"] for card in everyone}


def test_a_team_out_of_sight_reads_like_an_unknown_one(demo_store, capsys, tmp_path):
    rep = first_user(Role.REP, demo_store)  # of 华南销售一组
    status, _, _ = report(demo_store, capsys, tmp_path, first_user(Role.LEADER, demo_store),
                          "--team", "华北销售一组")  # fmt: skip
    assert status == 0  # the team exists (a leader sees it)
    results = [report(demo_store, capsys, tmp_path, rep, "--team", team)
               for team in ("华北销售一组", "没有这个团队")]  # fmt: skip
    assert [r[0] for r in results] == [1, 1]  # 华北销售一组 exists, but not in the rep's sight
    assert "华北销售一组" in results[0][2] and "没有这个团队" in results[1][2]
    assert results[0][2].replace("华北销售一组", "X") == results[1][2].replace("没有这个团队", "X")
