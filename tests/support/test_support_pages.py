"""The support pages (AppTest on the demo store): the engineer's queue and closing a request
from it; the rep raising a request from the deal's Support tab; the weekly review's breach
list (a leader's with the demo's breaches, the first manager's empty); an engineer cannot
open a deal (it reads as missing); departments' members and support types on the
Organisation page; both languages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from salesboard.i18n import t
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.models import Opportunity, Role, SupportRequest, User
from salesboard.store.tables import DEPARTMENT, SUPPORT
from tests.apptest_support import first_user, open_app

QUEUE = "pages/support_queue.py"
DEAL = "pages/opportunity_detail.py"
REVIEW = "pages/pipeline_review.py"


def texts(at) -> str:
    return "\n".join(
        [m.value for m in at.markdown] + [c.value for c in at.caption]
        + [a.value for a in at.success] + [a.value for a in at.warning] + [a.value for a in at.error]
        + [a.value for a in at.info] + [x.value for x in at.get("text")]
    )  # fmt: skip


def rows(url: str, query):
    engine = create_store_engine(url)
    with read_session(engine) as s:
        found = s.execute(query).all()
    engine.dispose()
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_engineer_sees_their_department_queue(demo_app_env, lang):
    engineer = first_user(Role.SUPPORT)
    at = open_app(QUEUE, lang=lang, user=engineer)
    assert at.title[0].value == t("support.title", lang)
    shown = at.dataframe[0].value  # the queue (then the chosen request's history)
    types = set(shown[t("support.col.type", lang)])
    assert types == {
        t("support.col.type", lang) and ("技术方案" if lang == "zh" else "Technical proposal")
    }
    statuses = set(shown[t("support.status", lang)])
    assert statuses <= {t(f"support.status.{s}", lang) for s in ("open", "in_progress")}
    assert t("support.answer_title", lang) in texts(at)  # they may work on it


def test_the_engineer_closes_a_request_from_the_queue(private_demo_env):
    url = private_demo_env
    engineer = first_user(Role.SUPPORT)
    at = open_app(QUEUE, user=engineer)
    chosen = at.selectbox(key="support_pick").value
    at.text_area(key=f"support_queue_resolution_{chosen}").input("方案已提交客户")
    at.button(key=f"support_queue_close_{chosen}").click().run()
    assert not at.exception
    assert t("support.closed", "zh", id=chosen) in texts(at)
    status, resolution = rows(
        url, select(SUPPORT.c.status, SUPPORT.c.resolution).where(SUPPORT.c.id == chosen)
    )[0]
    assert (status, resolution) == ("closed", "方案已提交客户")


def test_closing_without_a_resolution_is_refused_naming_the_field(private_demo_env):
    at = open_app(QUEUE, lang="en", user=first_user(Role.SUPPORT))
    chosen = at.selectbox(key="support_pick").value
    at.button(key=f"support_queue_close_{chosen}").click().run()
    assert any(t("support.col.resolution", "en") in e.value for e in at.error)
    status = rows(private_demo_env, select(SUPPORT.c.status).where(SUPPORT.c.id == chosen))[0][0]
    assert status != "closed"


def test_the_rep_raises_a_technical_request_from_the_deal(private_demo_env):
    url = private_demo_env
    rep = first_user(Role.REP)
    code = rows(url, select(Opportunity.code).join(User, User.id == Opportunity.owner_id)
                .where(User.username == rep, Opportunity.status == "open"))[0][0]  # fmt: skip
    at = open_app(None, user=rep)
    at.query_params["code"] = code
    at.switch_page(DEAL).run()
    assert t("work.tab_support", "zh") in [tab.label for tab in at.tabs]
    at.selectbox(key="deal_support_type").set_value("tech_proposal")
    at.text_area(key="deal_support_what").input("客户需要技术方案")
    at.checkbox(key="deal_support_risk").check()
    at.button(key="FormSubmitter:deal_support_raise-" + t("support.raise", "zh")).click().run()
    assert not at.exception
    raised = rows(url, select(SupportRequest.id, SupportRequest.status, DEPARTMENT.c.code)
                  .join(DEPARTMENT, DEPARTMENT.c.id == SupportRequest.department_id)
                  .where(SupportRequest.what == "客户需要技术方案"))  # fmt: skip
    assert len(raised) == 1 and raised[0][1:] == ("open", "tech")
    assert t("support.raised", "zh", id=raised[0][0]) in texts(at)
    flag = rows(url, select(Opportunity.risk_flag).where(Opportunity.code == code))[0][0]
    assert flag in ("等待内部支持",) or flag  # set now, or the rep's own flag kept


def test_an_empty_request_is_refused_and_nothing_written(private_demo_env):
    url = private_demo_env
    rep = first_user(Role.REP)
    code = rows(url, select(Opportunity.code).join(User, User.id == Opportunity.owner_id)
                .where(User.username == rep, Opportunity.status == "open"))[0][0]  # fmt: skip
    before = len(rows(url, select(SUPPORT.c.id)))
    at = open_app(None, lang="en", user=rep)
    at.query_params["code"] = code
    at.switch_page(DEAL).run()
    at.button(key="FormSubmitter:deal_support_raise-" + t("support.raise", "en")).click().run()
    assert any(t("support.col.what", "en") in e.value for e in at.error)
    assert len(rows(url, select(SUPPORT.c.id))) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_engineer_cannot_open_a_deal_it_reads_as_missing(demo_app_env, lang):
    code = rows(
        demo_app_env,
        select(Opportunity.code).join(SUPPORT, SUPPORT.c.opportunity_id == Opportunity.id),
    )[0][0]
    engineer = first_user(Role.SUPPORT)
    shown = []
    for asked in (code, "XS209912999"):
        at = open_app(None, lang=lang, user=engineer)
        at.query_params["code"] = asked
        at.switch_page(DEAL).run()
        shown.append([w.value for w in at.warning])
        assert not at.tabs
    assert shown[0] == [t("deal.not_found", lang, code=code)]
    assert shown[1] == [t("deal.not_found", lang, code="XS209912999")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_weekly_review_lists_breaches(demo_app_env, lang):
    at = open_app(None, lang=lang, user=first_user(Role.LEADER))
    at.query_params["section"] = "support"
    at.switch_page(REVIEW).run()
    assert not at.exception
    breaches = [d for d in at.dataframe if t("support.col.over", lang) in d.value.columns]
    assert breaches and len(breaches[0].value) >= 2
    assert (breaches[0].value[t("support.col.over", lang)] > 0).all()
    manager = open_app(None, lang=lang, user=first_user(Role.MANAGER))
    manager.query_params["section"] = "support"
    manager.switch_page(REVIEW).run()
    assert t("support.no_breaches", lang) in [s.value for s in manager.success]


def test_the_rep_sees_their_deals_requests_in_the_queue(demo_app_env):
    at = open_app(QUEUE, lang="en", user=first_user(Role.REP))
    assert len(at.dataframe[0].value) >= 1
    assert t("support.answer_title", "en") not in texts(at)  # they ask, departments answer


def test_departments_and_members_on_the_organisation_page(private_demo_env):
    at = open_app(None, lang="en", user="admin")
    at.query_params["list"] = "department"
    at.switch_page("pages/organisation_settings.py").run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    members = [f for f in frames if t("org.col.members", "en") in f.columns][0]
    assert "Technical" in set(members[t("org.kind.department", "en")])
    at.segmented_control(key="list").set_value("support_type").run()
    standards = [
        d.value for d in at.dataframe if t("org.col.response_days", "en") in d.value.columns
    ][0]
    assert list(standards[t("org.col.response_days", "en")]) == [2, 1, 3, 3]
