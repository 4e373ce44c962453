"""My work (AppTest on the demo store): a rep lands on it, sees their own items in sections
with counts, each linked to its deal page (and the link opens that deal); a manager sees the
team by rep and can narrow to one rep; both languages."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from salesboard.i18n import t
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.models import Opportunity, Role, User
from salesboard.worklist.lists import my_work
from tests.apptest_support import first_user, open_app
from tests.builders import viewer
from tests.conftest import DEMO_TODAY
from tests.test_tile_links import follow

DEAL_LINK = re.compile(r"\[\*\*(XS\w+)\*\*\]\((/opportunity\?[^)]*)\)")


def deal_links(at) -> list[tuple[str, str]]:
    """(code, URL) of every deal linked on the page, in order."""
    return [m.groups() for md in at.markdown for m in DEAL_LINK.finditer(md.value)]


def work_of(url: str, username: str, rep: str | None = None):
    engine = create_store_engine(url)
    with read_session(engine) as s:
        user_id = s.execute(select(User.id).where(User.username == username)).scalar_one()
        rep_id = (
            s.execute(select(User.id).where(User.username == rep)).scalar_one() if rep else None
        )
    try:
        with read_session(engine) as s:
            return my_work(s, viewer(engine, user_id), date.fromisoformat(DEMO_TODAY), rep_id)
    finally:
        engine.dispose()


def owners_of(url: str, codes) -> set[str]:
    engine = create_store_engine(url)
    with read_session(engine) as s:
        rows = s.execute(
            select(User.username)
            .join(Opportunity, Opportunity.owner_id == User.id)
            .where(Opportunity.code.in_(list(codes)))
        )
        return set(rows.scalars())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rep_lands_on_their_own_work(demo_app_env, lang):
    rep = first_user(Role.REP)
    at = open_app(lang=lang, user=rep)  # no page asked for: the rep's landing page
    assert at.title[0].value == t("work.title", lang)
    work = work_of(demo_app_env, rep)
    bold = [m.value for m in at.markdown if m.value.startswith("**")]
    for section, found in (
        ("overdue_actions", work.overdue_actions),
        ("due_actions", work.due_actions),
        ("stalled", work.stalled),
    ):
        title = t("work.section_count", lang, title=t(f"work.section.{section}", lang),
                  count=f"{found.total:,}")  # fmt: skip
        assert f"**{title}**" in bold
    links = deal_links(at)
    assert links, "the demo rep has work with deals"
    assert owners_of(demo_app_env, {code for code, _ in links}) == {rep}  # only their own
    shown = work.overdue_actions.rows["code"].tolist()
    assert [code for code, _ in links][: len(shown)] == shown  # overdue first, oldest first
    code, url = links[0]
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert params == {"code": code, "lang": lang}
    deal = follow("pages/opportunity_detail.py", {"code": code}, rep, lang)
    assert deal.text_input[0].value == code
    assert deal.dataframe or deal.subheader, "the deal opens (its stays, actions, history)"
    assert not deal.warning and not deal.error  # not "not found", no refusal


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_manager_sees_the_team_by_rep_and_narrows_to_one(demo_app_env, lang):
    manager = first_user(Role.MANAGER)
    at = open_app("pages/my_work.py", lang=lang, user=manager)
    assert at.title[0].value == t("work.title_team", lang)
    team = work_of(demo_app_env, manager)
    reps = set(team.overdue_actions.per_rep["owner"])
    assert len(reps) > 1
    # A heading per rep, each on its own line above that rep's items.
    italic = {h.group(1) for m in at.markdown
              for h in re.finditer(r"(?:^|\n\n)\*([^*\n]+)\*\n\n", m.value)}  # fmt: skip
    assert reps <= italic
    picker = at.selectbox(key="rep")
    assert picker.value == "" and len(picker.options) > 2
    one = team.overdue_actions.per_rep.iloc[0]
    engine = create_store_engine(demo_app_env)
    with read_session(engine) as s:
        username = s.get(User, int(one["owner_id"])).username
    engine.dispose()
    name = str(one["owner"])
    picker.select_index(next(i for i, o in enumerate(picker.options) if o.startswith(name))).run()
    assert at.query_params["rep"] == username
    codes = {code for code, _ in deal_links(at)}
    assert codes and owners_of(demo_app_env, codes) == {username}
    narrowed = work_of(demo_app_env, manager, username)
    assert narrowed.overdue_actions.total == int(one["count"])


def test_a_manager_cannot_narrow_to_another_teams_rep(demo_app_env):
    manager = first_user(Role.MANAGER)
    engine = create_store_engine(demo_app_env)
    with read_session(engine) as s:
        user_id = s.execute(select(User.id).where(User.username == manager)).scalar_one()
    teams = viewer(engine, user_id).team_ids
    with read_session(engine) as s:
        other = (
            s.execute(
                select(User.username).where(User.role == Role.REP, User.team_id.not_in(teams))
            )
            .scalars()
            .first()
        )
    engine.dispose()
    at = follow("pages/my_work.py", {"rep": other}, manager, "zh")  # another team's rep
    picker = at.selectbox(key="rep")
    assert picker.value == ""  # not a choice: the team view, nothing of theirs
    assert not any(o.startswith(other) for o in picker.options)
    assert other not in owners_of(demo_app_env, {code for code, _ in deal_links(at)})


def test_leaders_and_admins_do_not_get_my_work(demo_app_env):
    for role in (Role.LEADER, Role.ADMIN):
        at = open_app(user=first_user(role))
        assert at.title[0].value != t("work.title", "zh")  # they land on the Overview
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("pages/my_work.py")  # not in their navigation
