"""The organisation page (AppTest, a private copy of the demo store): an admin adds a region
and a team, renames and retires entries, sets a team's managers, in both languages; a refusal
reads in the page's language and names what is wrong; only admins get the page."""

from __future__ import annotations

import pytest
from sqlmodel import select

from salesboard.i18n import t
from salesboard.organisation import lists
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.models import Role, Team, TeamManager, User
from tests.apptest_support import first_user, open_app

PAGE = "pages/organisation_settings.py"


@pytest.fixture
def store(private_demo_env):
    """A private copy of the demo store (these tests change the organisation)."""
    return private_demo_env


def stored(url, kind):
    engine = create_store_engine(url)
    try:
        with read_session(engine) as s:
            return lists.entries(s, kind)
    finally:
        engine.dispose()


def open_list(kind: str, lang: str):
    at = open_app(PAGE, lang=lang)
    at.segmented_control(key="list").set_value(kind).run()
    assert not at.exception
    return at


def submit(at, form_key: str):
    next(b for b in at.button if b.proto.form_id == form_key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_admin_adds_a_region_and_a_team_in_it(store, lang):
    at = open_list("region", lang)
    shown = at.dataframe[0].value
    assert list(shown[t("org.col.key", lang)]) == stored(store, "region")["key"].tolist()
    at.text_input(key="org_add_code_region").input("northwest")
    at.text_input(key="org_add_zh_region").input("西北")
    at.text_input(key="org_add_en_region").input("Northwest")
    submit(at, "org_add_region")
    assert [s.value for s in at.success] == [t("org.added", lang, name="西北")]
    regions = stored(store, "region")
    assert regions.iloc[-1][["key", "name_zh", "name_en"]].tolist() == ["northwest", "西北",
                                                                       "Northwest"]  # fmt: skip
    assert "northwest" in at.dataframe[0].value[t("org.col.key", lang)].tolist()

    at.segmented_control(key="list").set_value("team").run()
    at.text_input(key="org_add_zh_team").input("西北一组")
    at.selectbox(key="org_add_region").set_value("northwest")
    submit(at, "org_add_team")
    teams = stored(store, "team")
    assert teams.iloc[-1][["key", "region", "active"]].tolist() == ["西北一组", "northwest", True]
    table = at.dataframe[0].value
    assert list(table.columns) == [  # a team's name is its key: no second name column
        t(f"org.col.{c}", lang) for c in ("team", "name_en", "region", "managers", "status")
    ]
    region_name = "西北" if lang == "zh" else "Northwest"
    assert table.iloc[-1][t("org.col.region", lang)] == region_name


def test_a_team_gets_a_new_name_and_managers(store):
    engine = create_store_engine(store)
    with read_session(engine) as s:
        team = s.exec(select(Team).order_by(Team.id)).first()
        managers = s.exec(
            select(User.username).where(User.role == Role.MANAGER).order_by(User.id)
        ).all()[:2]
    engine.dispose()
    at = open_list("team", "en")
    at.selectbox(key="org_edit_pick_team").set_value(team.name).run()
    suffix = f"team_{team.id}"
    at.text_input(key=f"org_en_{suffix}").input("South One")
    at.multiselect(key=f"org_managers_{suffix}").set_value(managers)
    submit(at, f"org_edit_{suffix}")
    assert [s.value for s in at.success] == [t("org.saved", "en", name=team.name)]
    row = stored(store, "team").set_index("key").loc[team.name]
    assert row["name_en"] == "South One" and sorted(row["managers"]) == sorted(managers)
    engine = create_store_engine(store)
    with read_session(engine) as s:
        led = s.exec(select(TeamManager.user_id).where(TeamManager.team_id == team.id)).all()
    engine.dispose()
    assert len(led) == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refusal_names_what_is_wrong_in_the_pages_language(store, lang):
    at = open_list("product_line", lang)
    before = stored(store, "product_line")
    existing = before.iloc[0]
    at.text_input(key="org_add_code_product_line").input("New Line")  # not a code
    at.text_input(key="org_add_zh_product_line").input("新产品")
    submit(at, "org_add_product_line")
    assert [e.value for e in at.error] == [t("org.error.bad_code", lang, code="New Line")]
    at.text_input(key="org_add_code_product_line").input("newline")
    at.text_input(key="org_add_zh_product_line").input(f" {existing['name_zh']} ")
    submit(at, "org_add_product_line")
    assert [e.value for e in at.error] == [
        t("org.error.name_taken", lang, name=existing["name_zh"])
    ]
    assert stored(store, "product_line").equals(before)  # nothing added


def test_retiring_a_region_with_teams_is_refused_and_a_type_is_retired(store):
    at = open_list("region", "zh")
    region = stored(store, "region").iloc[0]
    suffix = f"region_{region['id']}"
    at.toggle(key=f"org_on_{suffix}").set_value(False)
    submit(at, f"org_edit_{suffix}")
    assert at.error[0].value.startswith("该区域还有")
    assert stored(store, "region").iloc[0]["active"]
    at.segmented_control(key="list").set_value("customer_type").run()
    ctype = stored(store, "customer_type").iloc[-1]
    at.selectbox(key="org_edit_pick_customer_type").set_value(ctype["key"]).run()
    at.toggle(key=f"org_on_customer_type_{ctype['id']}").set_value(False)
    submit(at, f"org_edit_customer_type_{ctype['id']}")
    assert not stored(store, "customer_type").iloc[-1]["active"]
    assert t("org.retired", "zh") in at.dataframe[0].value[t("org.col.status", "zh")].tolist()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.REP, Role.LEADER])
def test_only_admins_get_the_page(store, role):
    at = open_app(user=first_user(role))
    # Not in their navigation at all, so no URL reaches it.
    with pytest.raises(ValueError, match="Known pages"):
        at.switch_page(PAGE)
