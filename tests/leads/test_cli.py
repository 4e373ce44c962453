"""``python -m salesboard lead …`` on both backends: a lead added from the command line is
routed and assigned; a bad option is refused in one line naming it and writes nothing; a
token is printed once and stored hashed; a rep may not make tokens."""

from __future__ import annotations

from sqlalchemy import func, select

from salesboard.cli.main import main
from salesboard.leads.tokens import token_hash
from salesboard.store.db import read_session
from salesboard.store.tables import LEAD, LEAD_TOKEN
from tests.leads.company import build


def test_lead_add_routes_and_refusals_name_the_option(engine, store_url, capsys):
    co = build(engine)
    base = ["--database-url", store_url]
    assert main([*base, "lead", "add", "--source", "website", "--company", "甲公司",
                 "--region", "east", "--industry", "制造业", "--budget", "50万"]) == 0  # fmt: skip
    assert capsys.readouterr().out.startswith("lead ")
    assert main([*base, "lead", "add", "--source", "website", "--company", "乙公司",
                 "--urgency", "asap"]) == 1  # fmt: skip
    assert capsys.readouterr().err.strip().startswith("error: --urgency:")
    with read_session(engine) as s:
        rows = s.execute(select(LEAD.c.company, LEAD.c.assigned_to)).all()
    assert rows == [("甲公司", co.ids["e1"])]


def test_tokens_are_printed_once_and_stored_hashed(engine, store_url, capsys):
    build(engine)
    base = ["--database-url", store_url]
    assert main([*base, "lead", "token", "create", "--source", "website"]) == 0
    token = capsys.readouterr().out.strip()
    with read_session(engine) as s:
        stored = s.execute(select(LEAD_TOKEN.c.token_hash, LEAD_TOKEN.c.id)).one()
    assert stored.token_hash == token_hash(token) and token not in stored.token_hash
    assert main([*base, "lead", "token", "list"]) == 0
    assert token not in capsys.readouterr().out
    assert main([*base, "--as-user", "e1", "lead", "token", "create", "--source", "website"]) == 1
    assert main([*base, "lead", "token", "revoke", "--id", str(stored.id)]) == 0
    with read_session(engine) as s:
        assert (
            s.execute(select(func.count()).where(LEAD_TOKEN.c.revoked_at.is_not(None))).scalar_one()
            == 1
        )
