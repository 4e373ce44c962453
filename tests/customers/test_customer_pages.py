"""The customers pages (AppTest on the demo store): the list with its filters from the URL,
one customer with figures and tabs (out of scope reads as not found), the matrix with a
customer in every quadrant, the region page, both languages; a manager sets a potential by
hand."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from salesboard.accounts.access import SYSTEM
from salesboard.customers.directory import CustomerQuery, list_customers
from salesboard.customers.matrix import QUADRANTS, region_matrix
from salesboard.customers.settings import load_settings
from salesboard.i18n import t
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.models import Customer, Role, User
from tests.apptest_support import first_user, open_app
from tests.conftest import DEMO_TODAY

LIST, DETAIL, MATRIX, REGION = (
    "pages/customer_list.py", "pages/customer_detail.py", "pages/customer_matrix.py",
    "pages/region_page.py",
)  # fmt: skip


def texts(at) -> str:
    return "\n".join(
        [m.value for m in at.markdown] + [c.value for c in at.caption]
        + [a.value for a in at.info] + [a.value for a in at.warning] + [a.value for a in at.error]
        + [m.label for m in at.metric]
    )  # fmt: skip


def demo_matrix(url: str):
    from datetime import date

    engine = create_store_engine(url)
    with read_session(engine) as s:
        settings = load_settings(s)
        frame = region_matrix(s, SYSTEM, settings, date.fromisoformat(DEMO_TODAY))
        key, _ = list_customers(s, SYSTEM, settings, date.fromisoformat(DEMO_TODAY),
                                CustomerQuery(quadrant="key"))  # fmt: skip
    engine.dispose()
    return frame, key


def test_the_demo_has_customers_in_every_quadrant_of_every_region(demo_app_env):
    engine = create_store_engine(demo_app_env)
    from datetime import date

    with read_session(engine) as s:
        settings = load_settings(s)
        for region_id in (1, 2, 3):
            frame = region_matrix(s, SYSTEM, settings, date.fromisoformat(DEMO_TODAY), region_id)
            assert (frame["customers"] > 0).all(), frame
    engine.dispose()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_list_with_a_quadrant_from_the_url(demo_app_env, lang):
    _, key = demo_matrix(demo_app_env)
    at = open_app(LIST, lang=lang, user=first_user(Role.LEADER))
    assert at.title[0].value == t("cust.title", lang)
    assert len(at.dataframe) == 1
    at.query_params["quadrant"] = "key"
    at = open_app(None, lang=lang, user=first_user(Role.LEADER))
    at.query_params["quadrant"] = "key"
    at.switch_page(LIST).run()
    shown = at.dataframe[0].value
    assert set(shown["quadrant"]) == {t("matrix.q.key", lang)}
    assert shown["name"].tolist()[:3] == key["name"].tolist()[:3]
    at.text_input(key="cust_q").set_value("不存在的客户名").run()
    assert t("cust.none", lang) in texts(at)


def test_paging_moves_through_the_list(demo_app_env):
    at = open_app(LIST, lang="en", user=first_user(Role.ADMIN))
    first = at.dataframe[0].value["name"].tolist()
    at.button(key="cust_next").click().run()
    second = at.dataframe[0].value["name"].tolist()
    assert first and second and not set(first) & set(second)
    assert "page 2 of" in texts(at)


def a_customer_of(url: str, username: str) -> tuple[int, int]:
    """(a customer the user owns, a customer owned in another region)."""
    engine = create_store_engine(url)
    with read_session(engine) as s:
        user = s.execute(select(User).where(User.username == username)).scalar_one()
        own = s.execute(select(Customer.id).where(Customer.owner_id == user.id)
                        .order_by(Customer.id)).scalars().first()  # fmt: skip
        region = s.get(Customer, own).region_id
        other = s.execute(select(Customer.id).where(Customer.region_id != region)
                          .order_by(Customer.id)).scalars().first()  # fmt: skip
    engine.dispose()
    return own, other


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_customer_and_one_out_of_scope(demo_app_env, lang):
    rep = first_user(Role.REP)
    own, other = a_customer_of(demo_app_env, rep)
    at = open_app(None, lang=lang, user=rep)
    at.query_params["id"] = str(own)
    at.switch_page(DETAIL).run()
    assert not at.exception
    labels = {m.label for m in at.metric}
    assert t("cust.fig.aov", lang) in labels and t("cust.fig.collection", lang) in labels
    assert len(at.tabs) == 5  # a rep does not set potential
    at.query_params["id"] = str(other)
    at.run()
    assert t("cust.not_found", lang) in texts(at)
    at.query_params["id"] = "99999999"
    at.run()
    assert t("cust.not_found", lang) in texts(at)


def test_a_manager_sets_potential_by_hand(private_demo_env):
    manager = first_user(Role.MANAGER)
    engine = create_store_engine(private_demo_env)
    with read_session(engine) as s:
        team = s.execute(select(User.team_id).where(User.username == manager)).scalar_one()
        own = s.execute(
            select(Customer.id).join(User, User.id == Customer.owner_id)
            .where(User.team_id == team, Customer.potential_by_hand.is_(False))
            .order_by(Customer.id)
        ).scalars().first()  # fmt: skip
    engine.dispose()
    at = open_app(None, lang="en", user=manager)
    at.query_params["id"] = str(own)
    at.switch_page(DETAIL).run()
    assert len(at.tabs) == 6
    at.radio(key="cust_potential").set_value("high")  # submitted with the form
    [b for b in at.button if b.label == t("cust.potential_save", "en")][0].click().run()
    assert not at.exception
    engine = create_store_engine(private_demo_env)
    with read_session(engine) as s:
        row = s.get(Customer, own)
        assert (row.potential, row.potential_by_hand) == ("high", True)
    engine.dispose()
    assert t("cust.potential.by_hand", "en", value="High") in texts(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_matrix_page_shows_four_quadrants_with_their_effort(demo_app_env, lang):
    at = open_app(MATRIX, lang=lang, user=first_user(Role.ADMIN))
    assert at.title[0].value == t("matrix.title", lang)
    body = texts(at)
    for code in QUADRANTS:
        assert t(f"matrix.q.{code}", lang) in body
        assert t(f"matrix.effort.{code}", lang) in body
    assert len(at.metric) == 8
    assert at.get("expander")  # the admin's settings


def test_matrix_settings_refuse_nothing_and_save(private_demo_env):
    at = open_app(MATRIX, lang="en", user=first_user(Role.ADMIN))
    at.number_input(key="ms_window").set_value(6)  # submitted with the form
    [b for b in at.button if b.label == t("matrix.set.save", "en")][0].click().run()
    assert not at.exception
    engine = create_store_engine(private_demo_env)
    with read_session(engine) as s:
        assert load_settings(s).window_months == 6
    engine.dispose()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_region_page(demo_app_env, lang):
    at = open_app(REGION, lang=lang, user=first_user(Role.MANAGER))
    assert not at.exception
    assert t("region.attainment", lang) in texts(at) or t("region.no_goal", lang) in texts(at)
    assert t("region.goal", lang) in [h.value for h in at.subheader]
    assert len(at.get("plotly_chart")) == 1
    assert at.dataframe and len(at.dataframe[0].value) > 0
    assert len([m for m in at.metric if m.label == t("matrix.customers", lang)]) == 4


def test_a_rep_is_not_offered_the_region_page():
    from salesboard.ui.navigation import entry_for

    assert Role.REP not in entry_for(REGION).roles
    assert Role.REP in entry_for(LIST).roles and Role.REP in entry_for(MATRIX).roles
