"""Remembered column mappings are per user (issue 18, item 7): a rep's template never becomes
the manager's starting mapping; a template for everyone is an explicit, audited admin action;
the mapping panel opens whenever a template was applied."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from salesboard.accounts.access import SYSTEM, PermissionDenied
from salesboard.importing.mapping import save_mapping, saved_mapping
from salesboard.importing.service import prepare, read_upload
from salesboard.store.db import read_session, write_session
from salesboard.store.models import AuditLog, ImportTemplate
from tests.companies.importing import seed, viewer
from tests.importing.helpers import workbook

# Headers no synonym knows: only a template maps them.
HEADERS = ["单号", "甲方", "进度", "对接人", "报价", "业务线"]
ROW = ["XS209901001", "某科技有限公司", "需求分析", "zhang.wei", "85万", "云服务"]
MAPPING = {"code": "单号", "customer": "甲方", "stage": "进度", "owner": "对接人",
           "amount": "报价", "product_line": "业务线"}  # fmt: skip


@pytest.fixture
def company(engine):
    return seed(engine)


def starting_mapping(engine, who) -> tuple[dict[str, str], bool]:
    table = read_upload(workbook([HEADERS, ROW]), "t.xlsx")
    with read_session(engine) as session:
        prepared = prepare(session, table, who, "opportunities")
    return prepared.mapping, prepared.from_template


def test_a_reps_template_is_not_the_managers_starting_mapping(engine, company):
    rep, manager = viewer(engine, company["rep_a"]), viewer(engine, company["mgr"])
    with write_session(engine) as session:
        save_mapping(session, rep, "opportunities", HEADERS, MAPPING)
    assert starting_mapping(engine, rep) == (MAPPING, True)
    mapping, from_template = starting_mapping(engine, manager)
    assert not from_template and mapping != MAPPING
    with read_session(engine) as session:
        assert saved_mapping(session, "opportunities", HEADERS) is None  # nobody else's
        assert saved_mapping(session, "opportunities", HEADERS, viewer=manager) is None


def test_each_user_keeps_their_own_template_for_the_same_headers(engine, company):
    rep_a, rep_b = viewer(engine, company["rep_a"]), viewer(engine, company["rep_b"])
    other = {**MAPPING, "amount": "单号", "code": "报价"}
    with write_session(engine) as session:
        save_mapping(session, rep_a, "opportunities", HEADERS, MAPPING)
        save_mapping(session, rep_b, "opportunities", HEADERS, other)
    assert starting_mapping(engine, rep_a) == (MAPPING, True)
    assert starting_mapping(engine, rep_b) == (other, True)


def test_only_an_admin_shares_a_template_and_it_is_audited(engine, company):
    rep, manager = viewer(engine, company["rep_a"]), viewer(engine, company["mgr"])
    admin = viewer(engine, company["admin"])
    with pytest.raises(PermissionDenied), write_session(engine) as session:
        save_mapping(session, rep, "opportunities", HEADERS, MAPPING, shared=True)
    with pytest.raises(PermissionDenied), write_session(engine) as session:
        save_mapping(session, manager, "opportunities", HEADERS, MAPPING, shared=True)
    with write_session(engine) as session:
        save_mapping(session, admin, "opportunities", HEADERS, MAPPING, shared=True)
    assert starting_mapping(engine, manager) == (MAPPING, True)
    with read_session(engine) as session:
        entry = session.exec(
            select(AuditLog).where(AuditLog.entity == "import_template", AuditLog.action == "share")
        ).one()
        shared = session.exec(select(ImportTemplate)).one()
    assert entry.actor_id == company["admin"] and shared.owner_id is None
    # A user's own template still wins over the shared one.
    own = {**MAPPING, "amount": "单号", "code": "报价"}
    with write_session(engine) as session:
        save_mapping(session, rep, "opportunities", HEADERS, own)
    assert starting_mapping(engine, rep) == (own, True)
    assert starting_mapping(engine, manager) == (MAPPING, True)


def test_the_command_line_without_a_user_saves_for_everyone_as_the_system(engine, company):
    with write_session(engine) as session:
        save_mapping(session, SYSTEM, "opportunities", HEADERS, MAPPING)
    assert starting_mapping(engine, viewer(engine, company["mgr"])) == (MAPPING, True)


def test_the_command_saves_a_users_own_template_and_refuses_a_reps_share(engine, company,
                                                                          tmp_path, capsys):  # fmt: skip
    from salesboard.cli.main import main

    url = engine.url.render_as_string(hide_password=False)
    path = tmp_path / "deals.xlsx"
    path.write_bytes(workbook([HEADERS, ROW]))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
    base = ["--database-url", url, "--as-user", "zhang.wei", "import", str(path), "--kind",
            "opportunities", "--dry-run", "--mapping", str(mapping), "--lang", "en"]  # fmt: skip
    assert main([*base, "--share-mapping"]) == 1
    assert "Only an admin can share" in capsys.readouterr().err
    main([*base, "--save-mapping"])
    assert starting_mapping(engine, viewer(engine, company["rep_a"])) == (MAPPING, True)
    assert starting_mapping(engine, viewer(engine, company["mgr"]))[1] is False
