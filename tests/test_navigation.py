"""The navigation is named for the user: no section is named for a role (a rep never reads
"Leadership" above their own figures), the figures section says whose figures they are; the
filter bar shows only filters the user can change; the README names the pages as the
sidebar does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from salesboard.accounts.access import viewer_for
from salesboard.i18n import LANGUAGES, t
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.models import Role, User
from salesboard.ui import navigation
from tests.apptest_support import first_user, open_app

ROOT = Path(__file__).resolve().parent.parent
ROLE_WORDS = {t(f"role.{role}", lang) for role in Role for lang in LANGUAGES} | {
    "Leadership", "管理层", "Manager", "经理",
}  # fmt: skip


def viewer_of(url: str, role: str):
    engine = create_store_engine(url)
    with read_session(engine) as session:
        user = session.execute(select(User).where(User.username == first_user(role))).scalar_one()
        viewer = viewer_for(session, user)
    engine.dispose()
    return viewer


@pytest.mark.parametrize(
    ("role", "results"),
    [
        (Role.REP, "nav.results_own"),
        (Role.MANAGER, "nav.results_teams"),
        (Role.LEADER, "nav.results_company"),
        (Role.ADMIN, "nav.results_company"),
    ],
)
def test_sections_are_named_for_the_user_not_for_a_role(demo_app_env, monkeypatch, role, results):
    current = viewer_of(demo_app_env, role)
    for lang in LANGUAGES:
        monkeypatch.setattr(navigation, "tr", lambda key, lang=lang: t(key, lang))
        sections = navigation.sections_for(current)
        assert not set(sections) & ROLE_WORDS, sections.keys()
        titles = list(sections)
        # Who works on deals starts with the day's work: My work (reps and managers, whose
        # own items it lists), then the day's forms: a new deal, a visit. Leaders read only.
        work = {Role.REP: ["pages/my_work.py", "pages/deal_new.py", "pages/visit_log.py"],
                Role.ADMIN: ["pages/deal_new.py", "pages/visit_log.py"]}  # fmt: skip
        work[Role.MANAGER] = work[Role.REP]
        if role in work:
            assert titles[0] == t("nav.work", lang)
            assert [e.path for e in sections[titles[0]]] == work[role]
            titles = titles[1:]
        assert titles[0] == t(results, lang)
        assert sections[titles[0]][0].path == "pages/overview.py"


def multiselects(at) -> set[str]:
    return {w.key for w in at.multiselect}


def test_the_filter_bar_shows_only_filters_the_user_can_change(demo_app_env):
    rep = open_app("pages/pipeline_review.py", user=first_user(Role.REP))
    assert not multiselects(rep) & {"fb_region", "fb_team", "fb_rep"}
    assert {"fb_product", "fb_source"} <= multiselects(rep)
    manager = open_app("pages/pipeline_review.py", user=first_user(Role.MANAGER))
    assert "fb_rep" in multiselects(manager)  # their reps
    assert not multiselects(manager) & {"fb_region", "fb_team"}  # one team in one region
    leader = open_app("pages/pipeline_review.py", user=first_user(Role.LEADER))
    assert {"fb_region", "fb_team", "fb_rep"} <= multiselects(leader)


def test_the_readme_names_the_pages_as_the_sidebar_does():
    section = (ROOT / "README.md").read_text().split("## What is there", 1)[1]
    table = section.split("\n\n", 2)[1]
    rows = re.findall(r"^\| ([^|]+?) \|", table, re.M)
    pages = [row for row in rows if row not in ("page", "---")]
    expected = [f"{t(e.title, 'zh')} {t(e.title, 'en')}" for e in navigation.PAGES]
    assert pages == expected
