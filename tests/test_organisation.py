"""The organisation lists on both backends (issue 14 item 1): an admin adds regions, teams,
product lines, customer types and lead sources with Chinese and English names, renames and
retires them (never deletes), sets the managers of a team (one manager may lead several);
every change is audited; what is refused names the field; nobody but an admin may change
anything."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from salesboard.accounts.access import PermissionDenied
from salesboard.i18n.names import name_key, same_name
from salesboard.organisation import lists
from salesboard.organisation.lists import OrganisationError
from salesboard.store.db import read_session, write_session
from salesboard.store.models import AuditLog, CustomerType, LeadSource, Role, Team
from salesboard.store.reference_data import (
    DEFAULT_CUSTOMER_TYPES,
    DEFAULT_LEAD_SOURCES,
    ensure_reference_data,
)
from tests import builders as b


@pytest.fixture
def org(engine):
    """An empty company with reference data, an admin, a rep and two managers."""
    with write_session(engine) as s:
        ensure_reference_data(s)
        ids = {
            "admin": b.user(s, "root", Role.ADMIN).id,
            "mia": b.user(s, "mia", Role.MANAGER).id,
            "max": b.user(s, "max", Role.MANAGER).id,
            "rita": b.user(s, "rita", Role.REP).id,
        }
    return engine, {name: b.viewer(engine, user_id) for name, user_id in ids.items()}


def run(engine, change, *args, **kwargs):
    with write_session(engine) as s:
        return change(s, *args, **kwargs)


def rows(engine, kind):
    with read_session(engine) as s:
        return lists.entries(s, kind)


def audit_entries(engine, entity):
    with read_session(engine) as s:
        found = s.exec(select(AuditLog).where(AuditLog.entity == entity).order_by(AuditLog.id))
        return [(a.action, json.loads(a.old_values or "{}"), json.loads(a.new_values or "{}"))
                for a in found]  # fmt: skip


def test_a_new_store_offers_the_usual_customer_types_and_lead_sources(org):
    engine, _ = org
    types = rows(engine, "customer_type")
    assert list(types["key"]) == list(DEFAULT_CUSTOMER_TYPES)
    assert types.loc[types["key"] == "smb", "name_zh"].item() == "中小企业"
    assert list(rows(engine, "lead_source")["key"]) == list(DEFAULT_LEAD_SOURCES)


def test_an_admin_sets_up_regions_teams_and_lines_and_every_step_is_audited(org):
    engine, who = org
    admin = who["admin"]
    run(engine, lists.add_entry, admin, "region", code="south", name_zh="华南", name_en="South")
    run(engine, lists.add_entry, admin, "region", code="east", name_zh="华东")
    team = run(engine, lists.add_entry, admin, "team", name_zh="华南一组", name_en="South 1",
               region="south")  # fmt: skip
    run(engine, lists.add_entry, admin, "team", name_zh="华南二组", region="south")
    run(engine, lists.add_entry, admin, "product_line", code="mfg", name_zh="智能制造",
        name_en="Smart manufacturing")  # fmt: skip
    regions = rows(engine, "region")
    assert list(regions["key"]) == ["south", "east"]
    assert regions.loc[1, "name_en"] == "华东"  # no English name given: the Chinese one
    teams = rows(engine, "team")
    assert list(teams["key"]) == ["华南一组", "华南二组"]
    assert list(teams["region"]) == ["south", "south"]
    assert list(teams["name_en"]) == ["South 1", "华南二组"]
    assert rows(engine, "product_line")["name_en"].tolist() == ["Smart manufacturing"]
    # One manager leads both teams; a team has two managers.
    run(engine, lists.set_team_managers, admin, "华南一组", ["mia", "max"])
    run(engine, lists.set_team_managers, admin, "华南二组", ["mia"])
    assert rows(engine, "team")["managers"].tolist() == [["max", "mia"], ["mia"]]
    assert (
        "create",
        {},
        {"name": "华南一组", "name_en": "South 1", "active": True, "region_id": 1},
    ) in [  # fmt: skip
        (a, o, n) for a, o, n in audit_entries(engine, "team") if a == "create"
    ]
    assert audit_entries(engine, "team")[-2] == (
        "update",
        {"managers": []},
        {"managers": ["max", "mia"]},
    )
    assert team == int(rows(engine, "team")["id"].iloc[0])


def test_renaming_keeps_the_code_and_retiring_keeps_the_row(org):
    engine, who = org
    admin = who["admin"]
    run(engine, lists.add_entry, admin, "product_line", code="mfg", name_zh="制造")
    assert run(engine, lists.change_entry, admin, "product_line", "mfg", name_zh="智能制造",
               name_en="Smart manufacturing")  # fmt: skip
    assert not run(engine, lists.change_entry, admin, "product_line", "mfg", name_zh="智能制造")
    assert run(engine, lists.change_entry, admin, "customer_type", "smb", active=False)
    with read_session(engine) as s:
        smb = s.exec(select(CustomerType).where(CustomerType.code == "smb")).one()
    assert smb.active is False and smb.name_zh == "中小企业"
    assert audit_entries(engine, "product_line")[-1] == (
        "update", {"name_zh": "制造", "name_en": "制造"},
        {"name_zh": "智能制造", "name_en": "Smart manufacturing"},
    )  # fmt: skip
    assert audit_entries(engine, "customer_type")[-1] == (
        "deactivate",
        {"active": True},
        {"active": False},
    )
    run(engine, lists.change_entry, admin, "customer_type", "smb", active=True)
    assert rows(engine, "customer_type").set_index("key").loc["smb", "active"]


@pytest.mark.parametrize(
    ("kind", "fields", "code", "field"),
    [
        ("region", {"code": "South!", "name_zh": "华南"}, "bad_code", "code"),
        ("region", {"code": "", "name_zh": "华南"}, "bad_code", "code"),
        ("region", {"code": "west", "name_zh": "  "}, "name_missing", "name_zh"),
        ("region", {"code": "west", "name_zh": "西" * 65}, "name_too_long", "name_zh"),
        ("region", {"code": "south", "name_zh": "南方"}, "code_taken", "code"),
        ("region", {"code": "south2", "name_zh": "华 南"}, "name_taken", "name_zh"),
        ("lead_source", {"code": "web", "name_zh": "官网"}, "name_taken", "name_zh"),
        ("team", {"name_zh": "一组", "region": "north"}, "unknown_region", "region"),
        ("team", {"name_zh": "华南一组", "region": "south"}, "name_taken", "name_zh"),
        ("shop", {"code": "x", "name_zh": "店"}, "unknown_kind", ""),
    ],
)
def test_a_refused_entry_names_its_field_and_writes_nothing(org, kind, fields, code, field):
    engine, who = org
    admin = who["admin"]
    run(engine, lists.add_entry, admin, "region", code="south", name_zh="华南")
    run(engine, lists.add_entry, admin, "team", name_zh="华南一组", region="south")
    with read_session(engine) as s:
        before = [len(s.exec(select(m)).all()) for m in (Team, CustomerType, LeadSource)]
    with pytest.raises(OrganisationError) as refused:
        run(engine, lists.add_entry, admin, kind, **fields)
    assert (refused.value.code, refused.value.field) == (code, field)
    with read_session(engine) as s:
        assert [len(s.exec(select(m)).all()) for m in (Team, CustomerType, LeadSource)] == before
    assert len(rows(engine, "region")) == 1


def test_what_is_in_use_is_retired_last_and_managers_must_be_managers(org):
    engine, who = org
    admin = who["admin"]
    run(engine, lists.add_entry, admin, "region", code="south", name_zh="华南")
    run(engine, lists.add_entry, admin, "team", name_zh="华南一组", region="south")
    with write_session(engine) as s:
        team = s.exec(select(Team)).one()
        b.user(s, "ann", Role.REP, team=team.id)
    with pytest.raises(OrganisationError) as region_busy:
        run(engine, lists.change_entry, admin, "region", "south", active=False)
    assert (region_busy.value.code, region_busy.value.params) == ("region_has_teams", {"count": 1})
    with pytest.raises(OrganisationError) as team_busy:
        run(engine, lists.change_entry, admin, "team", "华南一组", active=False)
    assert team_busy.value.code == "team_has_people"
    for username in ("rita", "nobody"):
        with pytest.raises(OrganisationError) as not_manager:
            run(engine, lists.set_team_managers, admin, "华南一组", ["mia", username])
        assert not_manager.value.params == {"user": username}
    assert rows(engine, "team")["managers"].tolist() == [[]]
    with pytest.raises(OrganisationError) as retired_region:
        run(engine, lists.change_entry, admin, "region", "nowhere", active=False)
    assert retired_region.value.code == "unknown_entry"


@pytest.mark.parametrize("who_acts", ["mia", "rita"])
def test_nobody_but_an_admin_changes_the_organisation(org, who_acts):
    engine, who = org
    actor = who[who_acts]
    changes = [
        (lists.add_entry, (actor, "region"), {"code": "x", "name_zh": "某"}),
        (lists.change_entry, (actor, "customer_type", "smb"), {"active": False}),
        (lists.set_team_managers, (actor, "一组", ["mia"]), {}),
    ]
    for change, args, kwargs in changes:
        with pytest.raises(PermissionDenied):
            run(engine, change, *args, **kwargs)
    assert audit_entries(engine, "region") == audit_entries(engine, "customer_type") == []


def test_names_written_differently_are_the_same_name():
    assert name_key("华南 区") == name_key("华南区") == name_key("华南区\u3000")
    assert name_key("ＡＢＣ（华南）") == name_key("abc(华南)")
    assert same_name("Ｓｍａｒｔ Ｍｆｇ", ["Other", "smart mfg"]) == "smart mfg"
    assert same_name("华南区", ["华南"]) is None  # a near name is not the same name


def test_the_pipeline_filters_read_the_names_the_admin_gave(org):
    """A renamed customer type and a team's English name are what the filter bar offers; a
    code in use that no list knows is offered as it is."""
    from salesboard.pipeline.view_filters import filter_options

    engine, who = org
    admin = who["admin"]
    run(engine, lists.add_entry, admin, "region", code="south", name_zh="华南")
    run(engine, lists.add_entry, admin, "team", name_zh="华南一组", name_en="South 1",
        region="south")  # fmt: skip
    with write_session(engine) as s:
        b.customer(s, "客户甲", customer_type="smb")
        b.customer(s, "客户乙", customer_type="ngo")
    run(engine, lists.change_entry, admin, "customer_type", "smb", name_en="Small business")
    with read_session(engine) as s:
        options = filter_options(s, admin).choices
    assert [(o.code, o.name_zh, o.name_en) for o in options["ctype"]] == [
        ("smb", "中小企业", "Small business"), ("ngo", "ngo", "ngo"),
    ]  # fmt: skip
    assert [(o.name_zh, o.name_en) for o in options["team"]] == [("华南一组", "South 1")]


def test_an_import_refuses_a_retired_product_line_and_takes_it_back_once_restored(org):
    """A retired entry stays on old records but an import naming it is refused on its row
    (the message says where to restore it); restored, the same file goes through."""
    from salesboard.i18n import t
    from salesboard.importing.report import problem_text
    from tests.importing.helpers import FIRST_DATA_ROW, check, problems

    engine, who = org
    admin = who["admin"]
    run(engine, lists.add_entry, admin, "region", code="south", name_zh="华南")
    run(engine, lists.add_entry, admin, "team", name_zh="一组", region="south")
    run(engine, lists.add_entry, admin, "product_line", code="cloud", name_zh="云服务")
    with write_session(engine) as s:
        b.user(s, "zhang.wei", Role.REP, team=s.exec(select(Team)).one())
        b.customer(s, "某科技有限公司")
    rows = [["商机编号", "客户名称", "销售阶段", "负责人", "金额", "产品线"],
            ["XS209912001", "某科技有限公司", "需求分析", "zhang.wei", "85万", "云服务"]]  # fmt: skip
    assert problems(check(engine, "opportunities", rows)) == set()
    run(engine, lists.change_entry, admin, "product_line", "cloud", active=False)
    refused = check(engine, "opportunities", rows)
    assert problems(refused) == {(FIRST_DATA_ROW, "产品线", "retired")}
    assert problem_text("retired", "云服务", None, "zh") == (
        "“云服务”已停用，不能用于新记录（可在组织架构页恢复）"
    )
    assert t("import.problem.retired", "en", value="x").startswith("“x” is retired")
    run(engine, lists.change_entry, admin, "product_line", "cloud", active=True)
    assert problems(check(engine, "opportunities", rows)) == set()
