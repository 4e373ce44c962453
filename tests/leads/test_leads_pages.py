"""The Leads and Lead settings pages (AppTest on the demo store, both languages): tiles and
the list with translated statuses, breaches, the conversion chart; a rep sees only their
own leads and converts one into a deal; a lead out of scope reads as missing; an admin's
settings page creates a token shown once and adds a rule."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from salesboard.i18n import t
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.models import Role, User
from salesboard.store.tables import LEAD, LEAD_RULE, LEAD_TOKEN, OPP
from tests.apptest_support import first_user, open_app

PAGE = "pages/lead_inbox.py"
SETTINGS = "pages/lead_settings.py"


def _rows(url: str, query):
    engine = create_store_engine(url)
    with read_session(engine) as s:
        rows = s.execute(query).all()
    engine.dispose()
    return rows


def texts(at) -> str:
    return "\n".join(
        [m.value for m in at.markdown] + [c.value for c in at.caption]
        + [a.value for a in at.success] + [a.value for a in at.info] + [a.value for a in at.error]
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_manager_sees_tiles_list_breaches_and_the_conversion_chart(demo_app_env, lang):
    at = open_app(PAGE, lang=lang, user=first_user(Role.MANAGER))
    assert at.title[0].value == t("leads.title", lang)
    labels = [m.label for m in at.metric]
    assert t("leads.status.assigned", lang) in labels and t("leads.tile_breaches", lang) in labels
    table = at.dataframe[0].value
    assert t("leads.col.assignee", lang) in table.columns and len(table) > 0
    statuses = set(table[t("leads.col.status", lang)])
    assert statuses <= {
        t(f"leads.status.{s}", lang) for s in ("new", "assigned", "converted", "rejected")
    }
    assert len(at.get("plotly_chart")) == 1
    # One stacked bar per source, named as the totals table names them.
    traces = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    names = [trace["name"] for trace in traces]
    totals = [d.value for d in at.dataframe if t("leads.conv_converted", lang) in d.value.columns
              and t("leads.conv_month", lang) not in d.value.columns]  # fmt: skip
    assert sorted(names) == sorted(totals[0][t("leads.field.source", lang)]) and len(names) > 1
    # Months in order along the axis; the hover gives each bar's converted leads and rate,
    # as the caption says.
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["xaxis"]["categoryorder"] == "category ascending"
    for trace in traces:
        assert t("leads.conv_converted", lang) in trace["hovertemplate"]
        assert len(trace["customdata"]) == len(trace["x"])
    assert t("leads.breaches_caption", lang, minutes=60) in texts(at)
    at.selectbox(key="status").select_index(3).run()
    assert set(at.dataframe[0].value[t("leads.col.status", lang)]) == {
        t("leads.status.converted", lang)
    }
    assert at.query_params["status"] in ("converted", ["converted"])


def test_a_rep_sees_their_own_leads_and_converts_one(private_demo_env):
    rep = first_user(Role.REP)
    (rep_id,) = _rows(private_demo_env, select(User.id).where(User.username == rep))[0]
    own = _rows(
        private_demo_env, select(LEAD.c.id, LEAD.c.status).where(LEAD.c.assigned_to == rep_id)
    )
    open_ids = [i for i, status in own if status == "assigned"]
    assert open_ids, "the demo gives the first rep open leads"
    at = open_app(PAGE, user=rep)
    assert len(at.dataframe[0].value) == len(own)
    at.query_params["lead"] = str(open_ids[0])
    at.run()
    assert at.title[0].value == t("leads.detail_title", "zh", id=open_ids[0])
    assert not [b for b in at.button if b.key == "lead_assign_submit"]  # reps do not assign
    at.text_input(key="lead_amount").set_value("20万")
    at.button(key="lead_convert_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    lead = _rows(
        private_demo_env,
        select(LEAD.c.status, LEAD.c.opportunity_id).where(LEAD.c.id == open_ids[0]),
    )[0]
    assert lead.status == "converted"
    code, amount, owner = _rows(private_demo_env, select(OPP.c.code, OPP.c.amount_minor, OPP.c.owner_id)
                                .where(OPP.c.id == lead.opportunity_id))[0]  # fmt: skip
    assert (amount, owner) == (20 * 1_000_000, rep_id)
    assert t("leads.converted_ok", "zh", code=code) in texts(at)


def test_a_lead_out_of_scope_reads_as_missing(demo_app_env):
    rep = first_user(Role.REP)
    (rep_id,) = _rows(demo_app_env, select(User.id).where(User.username == rep))[0]
    other = _rows(demo_app_env, select(LEAD.c.id).where(LEAD.c.assigned_to != rep_id).limit(1))[0][
        0
    ]
    at = open_app(PAGE, user=rep)
    at.query_params["lead"] = str(other)
    at.run()
    assert [e.value for e in at.error] == [t("lead.error.not_found", "zh")]
    at.query_params["lead"] = "999999"
    at.run()
    assert [e.value for e in at.error] == [t("lead.error.not_found", "zh")]


def test_a_rep_rejects_with_a_reason_and_other_needs_a_note(private_demo_env):
    rep = first_user(Role.REP)
    (rep_id,) = _rows(private_demo_env, select(User.id).where(User.username == rep))[0]
    lead_id = _rows(private_demo_env, select(LEAD.c.id).where(
        LEAD.c.assigned_to == rep_id, LEAD.c.status == "assigned"))[0][0]  # fmt: skip
    at = open_app(PAGE, lang="en", user=rep)
    at.query_params["lead"] = str(lead_id)
    at.run()
    at.selectbox(key="lead_reason").set_value("other")
    at.button(key="lead_reject_submit").click().run()
    assert [e.value for e in at.error] == [t("lead.error.required", "en", field="Note")]
    at.selectbox(key="lead_reason").set_value("spam")
    at.button(key="lead_reject_submit").click().run()
    assert (
        _rows(private_demo_env, select(LEAD.c.status).where(LEAD.c.id == lead_id))[0][0]
        == "rejected"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_settings_make_a_token_once_and_add_a_rule(private_demo_env, lang):
    at = open_app(SETTINGS, lang=lang, user="admin")
    assert at.title[0].value == t("lset.title", lang)
    before = len(_rows(private_demo_env, select(LEAD_TOKEN.c.id)))
    at.button(key="lead_token_create_submit").click().run()
    assert not at.exception
    assert len(_rows(private_demo_env, select(LEAD_TOKEN.c.id))) == before + 1
    token = at.code[0].value
    assert token.startswith("sbl_")
    at.run()  # shown once: gone on the next run
    assert not at.code
    rules = len(_rows(private_demo_env, select(LEAD_RULE.c.id)))
    at.text_input(key="lead_rule_industry").set_value("医药")
    at.button(key="lead_rule_add_submit").click().run()
    assert len(_rows(private_demo_env, select(LEAD_RULE.c.id))) == rules + 1


def test_settings_are_for_admins_only():
    from salesboard.ui.navigation import entry_for

    assert entry_for(SETTINGS).roles == {Role.ADMIN}


def test_my_work_lists_a_reps_new_leads(demo_app_env):
    rep = first_user(Role.REP)
    at = open_app("pages/my_work.py", lang="en", user=rep)
    body = texts(at)
    assert t("leads.work_title", "en") in body
    (rep_id,) = _rows(demo_app_env, select(User.id).where(User.username == rep))[0]
    company = _rows(demo_app_env, select(LEAD.c.company).where(
        LEAD.c.assigned_to == rep_id, LEAD.c.status == "assigned"))[0][0]  # fmt: skip
    assert company in body


def test_admin_saves_working_hours_and_a_reversed_day_is_refused(private_demo_env):
    from datetime import time

    from salesboard.leads.settings import load_settings

    at = open_app(SETTINGS, lang="en", user="admin")
    at.time_input(key="lead_start").set_value(time(18, 0))
    at.time_input(key="lead_end").set_value(time(9, 0))
    at.button(key="lead_hours_save").click().run()
    assert [e.value for e in at.error] == [t("lead.error.hours_order", "en")]
    at.time_input(key="lead_start").set_value(time(8, 30))
    at.time_input(key="lead_end").set_value(time(17, 30))
    at.number_input(key="lead_standard").set_value(90)
    at.button(key="lead_hours_save").click().run()
    assert t("lset.saved", "en") in [s.value for s in at.success]
    engine = create_store_engine(private_demo_env)
    with read_session(engine) as s:
        saved = load_settings(s)
    engine.dispose()
    assert (saved.hours.start, saved.hours.end, saved.standard_minutes) == (
        time(8, 30),
        time(17, 30),
        90,
    )


def test_a_lead_posted_to_the_api_is_assigned_and_its_rep_converts_it(private_demo_env):
    from salesboard.accounts.access import SYSTEM
    from salesboard.leads.tokens import create_token
    from salesboard.store.db import write_session
    from tests.leads.test_api import post, serve

    engine = create_store_engine(private_demo_env)
    with write_session(engine) as s:
        token = create_token(s, SYSTEM, "website")
    for base in serve(private_demo_env):
        status, answer = post(base, token, {"company": "接口测试有限公司", "contact_phone": "13800000000"},
                              key="e2e-1")  # fmt: skip
    assert status == 201 and answer["status"] == "assigned"  # the demo's catch-all rule
    with read_session(engine) as s:
        rep = s.execute(select(User.username).join(LEAD, LEAD.c.assigned_to == User.id)
                        .where(LEAD.c.id == answer["id"])).scalar_one()  # fmt: skip
    engine.dispose()
    at = open_app(PAGE, user=rep)
    assert "接口测试有限公司" in set(at.dataframe[0].value[t("leads.field.company", "zh")])
    at.query_params["lead"] = str(answer["id"])
    at.run()
    at.text_input(key="lead_amount").set_value("30万")
    at.button(key="lead_convert_submit").click().run()
    assert not at.error, [e.value for e in at.error]
    status = _rows(private_demo_env, select(LEAD.c.status).where(LEAD.c.id == answer["id"]))[0][0]
    assert status == "converted"


def test_a_manager_imports_leads_and_a_bad_row_is_named(private_demo_env):
    at = open_app(PAGE, lang="en", user=first_user(Role.MANAGER))
    before = len(_rows(private_demo_env, select(LEAD.c.id)))
    bad = "来源,公司,预算\nwebsite,甲公司,10万\nwebsite,乙公司,很多\n".encode()
    at.get("file_uploader")[0].set_value(("leads.csv", bad, "text/csv"))
    at.button(key="lead_import_submit").click().run()
    assert [e.value for e in at.error] == [t("leads.import_failed", "en", count=1)]
    assert "Row 3 · Budget" in at.text[0].value
    assert len(_rows(private_demo_env, select(LEAD.c.id))) == before
    good = "来源,公司,区域\nwebsite,甲公司,east\n".encode()
    at.get("file_uploader")[0].set_value(("leads.csv", good, "text/csv"))
    at.button(key="lead_import_submit").click().run()
    assert [s.value for s in at.success] == [t("leads.import_done", "en", count=1)]
    assert len(_rows(private_demo_env, select(LEAD.c.id))) == before + 1
