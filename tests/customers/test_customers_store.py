"""Customers on a real store (both backends): value figures worked by hand, who sees which
customer, the matrix in SQL against the rule in Python, the list's filters and pages, one
customer's tabs, and potential set by hand (scoped, audited)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from salesboard.accounts.access import SYSTEM
from salesboard.accounts.audit import audit_trail
from salesboard.customers.directory import (
    CustomerQuery,
    customer_collections,
    customer_contacts,
    customer_deals,
    customer_page,
    customer_visits,
    list_customers,
)
from salesboard.customers.errors import CustomerError
from salesboard.customers.matrix import customer_rows, potential_of, quadrant, region_matrix
from salesboard.customers.potential import RULE, set_potential
from salesboard.customers.settings import MatrixSettings, load_settings, save_settings
from salesboard.figures.customers import customer_values, retention
from salesboard.store import rollups
from salesboard.store.db import read_session, write_session
from salesboard.store.models import OpportunityStatus, Role
from salesboard.store.queries import frame_of
from salesboard.store.tables import OPP
from tests import builders as b

TODAY = date(2026, 11, 23)
WAN = 10_000 * 100
WON = OpportunityStatus.WON
SETTINGS = MatrixSettings(value_threshold_minor=100 * WAN, pipeline_threshold_minor=50 * WAN)


@pytest.fixture
def company(engine):
    """Teams 一组 (m1, r1) and 二组 (m2, r2), a leader; customers:
    A (owner r1): r1 won 60万 2025-12-01, 40万 2026-06-01, 10万 2026-09-01; open 30万; an
      instalment of 40万 due 2026-06-30, 30万 collected 2026-07-05; two visits;
    B (owner r2): r1 won 120万 2026-10-01; r2 open 60万;
    C (owner r2): nothing; D (owner r1): r1 open 80万."""
    with write_session(engine) as s:
        b.stages(s)
        one, two = b.team(s, "一组"), b.team(s, "二组")
        m1 = b.user(s, "m1", Role.MANAGER, team=one, manages=[one])
        m2 = b.user(s, "m2", Role.MANAGER, team=two, manages=[two])
        r1, r2 = b.user(s, "r1", team=one), b.user(s, "r2", team=two)
        boss = b.user(s, "boss", Role.LEADER)
        a = b.customer(s, "甲公司", owner=r1)
        bb = b.customer(s, "乙公司", owner=r2)
        c = b.customer(s, "丙公司", owner=r2)
        d = b.customer(s, "丁公司", owner=r1)
        first = b.opportunity(s, owner=r1, customer=a, status=WON, amount_minor=60 * WAN,
                              created_on="2025-10-01", won_on="2025-12-01")  # fmt: skip
        second = b.opportunity(s, owner=r1, customer=a, status=WON, amount_minor=40 * WAN,
                               created_on="2026-05-01", won_on="2026-06-01")  # fmt: skip
        b.opportunity(s, owner=r1, customer=a, status=WON, amount_minor=10 * WAN,
                      created_on="2026-08-01", won_on="2026-09-01")  # fmt: skip
        b.opportunity(s, owner=r1, customer=a, amount_minor=30 * WAN, created_on="2026-10-01")
        b.opportunity(s, owner=r1, customer=bb, status=WON, amount_minor=120 * WAN,
                      created_on="2026-08-01", won_on="2026-10-01")  # fmt: skip
        b.opportunity(s, owner=r2, customer=bb, amount_minor=60 * WAN, created_on="2026-10-01")
        b.opportunity(s, owner=r1, customer=d, amount_minor=80 * WAN, created_on="2026-10-01")
        b.collection(s, second, due_on="2026-06-30", due_minor=40 * WAN,
                     collected_on="2026-07-05", collected_minor=30 * WAN)  # fmt: skip
        b.visit(s, customer=a, rep=r1, visited_on="2026-10-02", opportunity_id=first.id,
                contact_name="王总", contact_role="总经理", effective=True)  # fmt: skip
        b.visit(s, customer=a, rep=r1, visited_on="2026-11-02", contact_name="王总",
                contact_role="总经理")  # fmt: skip
        ids = {"one": one.id, "two": two.id, "A": a.id, "B": bb.id, "C": c.id, "D": d.id}
        people = {"m1": m1.id, "m2": m2.id, "r1": r1.id, "r2": r2.id, "boss": boss.id}
    return {**ids, **{k: b.viewer(engine, v) for k, v in people.items()}, "ids": people}


YEAR = (date(2025, 11, 24), TODAY)


def test_value_figures_by_customer_and_owner(engine, company):
    c = company
    with read_session(engine) as s:
        per = customer_values(s, SYSTEM, *YEAR, by="customer")
        owners = customer_values(s, SYSTEM, *YEAR, by="owner")
        total = customer_values(s, SYSTEM, *YEAR)
        kept = retention(s, SYSTEM, date(2026, 7, 1), TODAY)
    a = per[c["A"]]
    assert (a.won_deals, a.won_minor, a.buyers, a.repurchasers) == (3, 110 * WAN, 1, 1)
    assert a.average_order_minor == pytest.approx(110 * WAN / 3, abs=1)
    assert (a.due_minor, a.collected_minor, a.collection_rate) == (40 * WAN, 30 * WAN, 0.75)
    assert per[c["B"]].repurchase_rate == 0.0  # one deal: no repurchase
    r1 = owners[c["ids"]["r1"]]
    assert (r1.won_deals, r1.won_minor, r1.buyers, r1.repurchasers) == (4, 230 * WAN, 2, 1)
    assert r1.repurchase_rate == 0.5
    assert total == r1
    # A bought in the 12 months before July and again after it; B only after: 1 of 1 kept.
    assert kept == (1, 1)


def test_the_first_deal_is_no_repurchase_and_a_year_gap_breaks_it(engine, company):
    with read_session(engine) as s:
        only_december = customer_values(s, SYSTEM, date(2025, 12, 1), date(2025, 12, 31))
    assert (only_december.buyers, only_december.repurchasers) == (1, 0)


def visible_names(engine, viewer) -> set[str]:
    with read_session(engine) as s:
        frame, total = list_customers(s, viewer, SETTINGS, TODAY)
    assert total == len(frame)
    return set(frame["name"])


def test_who_sees_which_customer(engine, company):
    c = company
    assert visible_names(engine, c["r1"]) == {"甲公司", "乙公司", "丁公司"}  # owns A, D; deal at B
    assert visible_names(engine, c["r2"]) == {"乙公司", "丙公司"}
    assert visible_names(engine, c["m1"]) == {"甲公司", "乙公司", "丁公司"}
    assert visible_names(engine, c["m2"]) == {"乙公司", "丙公司"}
    assert visible_names(engine, c["boss"]) == {"甲公司", "乙公司", "丙公司", "丁公司"}
    with read_session(engine) as s, pytest.raises(CustomerError) as hidden:
        customer_page(s, c["r2"], SETTINGS, TODAY, c["A"])
    assert hidden.value.code == "not_found"
    with read_session(engine) as s, pytest.raises(CustomerError) as missing:
        customer_page(s, c["r2"], SETTINGS, TODAY, 999_999)
    assert str(hidden.value).split()[:2] == str(missing.value).split()[:2]
    # One customer asked by id (its page) is checked the same way, narrowed to that id.
    names = {"A": "甲公司", "B": "乙公司", "C": "丙公司", "D": "丁公司"}
    for who in ("r1", "r2", "m1", "m2", "boss"):
        sees = visible_names(engine, c[who])
        for key, name in names.items():
            with read_session(engine) as s:
                try:
                    shown = customer_page(s, c[who], SETTINGS, TODAY, c[key])["name"] == name
                except CustomerError as error:
                    assert error.code == "not_found"
                    shown = False
            assert shown == (name in sees), (who, key)


def test_a_manager_sees_the_customers_of_their_teams_deals_as_the_deals_move(engine, company):
    """The teams' customers are kept per team (migration 0037): a deal given to another team
    brings its customer into that team's manager's sight, and taken back takes it out (the
    count left at 0 grants nothing); ``check`` stays clean."""
    c = company
    with engine.begin() as conn:
        deal = conn.execute(select(OPP.c.id).where(OPP.c.customer_id == c["A"])
                            .order_by(OPP.c.id)).first()[0]  # fmt: skip
        conn.execute(update(OPP).where(OPP.c.id == deal).values(team_id=c["two"]))
    assert visible_names(engine, c["m2"]) == {"甲公司", "乙公司", "丙公司"}
    assert "甲公司" in visible_names(engine, c["m1"])  # owned by r1 all along
    with engine.begin() as conn:
        conn.execute(update(OPP).where(OPP.c.id == deal).values(team_id=c["one"]))
        assert rollups.check(conn).ok
    assert visible_names(engine, c["m2"]) == {"乙公司", "丙公司"}
    with read_session(engine) as s, pytest.raises(CustomerError):
        customer_page(s, c["m2"], SETTINGS, TODAY, c["A"])


def test_the_matrix_places_customers_by_the_rule_in_sql(engine, company):
    c = company
    with write_session(engine) as s:
        set_potential(s, c["m2"], c["C"], "high")
    with read_session(engine) as s:
        rows = frame_of(s, customer_rows(SYSTEM, SETTINGS, TODAY)).set_index("name")
        as_r1 = frame_of(s, customer_rows(c["r1"], SETTINGS, TODAY)).set_index("name")
        matrix = region_matrix(s, SYSTEM, SETTINGS, TODAY).set_index("quadrant")
    assert rows["quadrant"].to_dict() == {
        "甲公司": "maintain",  # 110万 won, 30万 open
        "乙公司": "key",  # 120万 won, 60万 open
        "丙公司": "develop",  # nothing, high by hand
        "丁公司": "develop",  # nothing won, 80万 open
    }
    assert as_r1.loc["乙公司", "quadrant"] == "maintain"  # r1 cannot read r2's open deal
    for row in rows.itertuples():
        potential = potential_of(bool(row.potential_by_hand), "high" if row.Index == "丙公司" else "low",
                                 int(row.pipeline_minor), row.customer_type, SETTINGS)  # fmt: skip
        assert row.potential == potential
        assert row.quadrant == quadrant(potential, int(row.value_minor), SETTINGS)
    assert matrix.loc["develop", "customers"] == 2
    assert matrix.loc["key", "value_minor"] == 120 * WAN
    assert matrix.loc["low_touch", "customers"] == 0


def test_list_filters_and_pages(engine, company):
    with read_session(engine) as s:
        first, total = list_customers(s, SYSTEM, SETTINGS, TODAY, CustomerQuery(), page_size=3)
        second, again = list_customers(s, SYSTEM, SETTINGS, TODAY, CustomerQuery(page=1),
                                       page_size=3)  # fmt: skip
        past, beyond = list_customers(
            s, SYSTEM, SETTINGS, TODAY, CustomerQuery(page=5), page_size=3
        )
        found, n = list_customers(s, SYSTEM, SETTINGS, TODAY, CustomerQuery(search="乙"))
        develop, d = list_customers(s, SYSTEM, SETTINGS, TODAY, CustomerQuery(quadrant="develop"))
        owned, o = list_customers(s, SYSTEM, SETTINGS, TODAY,
                                  CustomerQuery(owner_id=company["ids"]["r2"]))  # fmt: skip
        percent, p = list_customers(s, SYSTEM, SETTINGS, TODAY, CustomerQuery(search="%"))
    assert total == again == beyond == 4 and len(first) == 3 and len(second) == 1
    assert past.empty  # a page past the end still says how many there are
    assert set(first["name"]).isdisjoint(second["name"])
    assert (n, found["name"].tolist()) == (1, ["乙公司"])
    assert (d, set(develop["name"])) == (1, {"丁公司"})
    assert (o, set(owned["name"])) == (2, {"乙公司", "丙公司"})
    assert p == 0  # a wildcard is searched as text
    with read_session(engine) as s, pytest.raises(CustomerError):
        list_customers(s, SYSTEM, SETTINGS, TODAY, CustomerQuery(quadrant="bogus"))


def test_one_customer_and_its_tabs(engine, company):
    c = company
    with read_session(engine) as s:
        page = customer_page(s, c["r1"], SETTINGS, TODAY, c["A"])
        deals = customer_deals(s, c["r1"], c["A"])
        visits = customer_visits(s, c["r1"], c["A"])
        contacts = customer_contacts(s, c["r1"], c["A"])
        money = customer_collections(s, c["r1"], c["A"])
        b_as_r2 = customer_deals(s, c["r2"], c["B"])
        visits_as_r2 = customer_visits(s, c["r2"], c["B"])
    assert page.figures.won_minor == 110 * WAN and page["quadrant"] == "maintain"
    assert page.previous.won_deals == 0
    assert len(deals) == 4 and len(visits) == 2
    assert contacts[["contact_name", "contact_role", "visits"]].values.tolist() == [
        ["王总", "总经理", 2]
    ]
    assert money["due_minor"].tolist() == [40 * WAN]
    assert len(b_as_r2) == 1 and b_as_r2["amount_minor"].tolist() == [60 * WAN]
    assert visits_as_r2.empty


def test_potential_by_hand_is_scoped_and_audited(engine, company):
    c = company
    tries = ((c["r1"], "A", "read_only"), (c["boss"], "C", "read_only"),
             (c["m1"], "C", "not_found"), (c["r1"], "C", "not_found"))  # fmt: skip
    for actor, customer, code in tries:
        with write_session(engine) as s, pytest.raises(CustomerError) as refused:
            set_potential(s, actor, c[customer], "high")
        assert refused.value.code == code
    with write_session(engine) as s, pytest.raises(CustomerError) as bad:
        set_potential(s, c["m2"], c["C"], "huge")
    assert bad.value.field == "potential"
    with write_session(engine) as s:
        set_potential(s, c["m2"], c["C"], "high")
    with read_session(engine) as s:
        assert customer_page(s, c["m2"], SETTINGS, TODAY, c["C"])["potential_by_hand"]
    with write_session(engine) as s:
        set_potential(s, c["m2"], c["C"], RULE)
    with read_session(engine) as s:
        page = customer_page(s, c["m2"], SETTINGS, TODAY, c["C"])
        trail = audit_trail(s, entity="customer")
    assert not page["potential_by_hand"] and page["potential"] == "low"
    assert len(trail) == 2  # high by hand, then back to the rule (newest first)
    assert "rule" in trail.iloc[0]["new_values"] and "high" in trail.iloc[1]["new_values"]


def test_settings_admin_only_and_audited(engine, company):
    with write_session(engine) as s:
        admin_id = b.user(s, "root", Role.ADMIN).id
    root = b.viewer(engine, admin_id)
    with write_session(engine) as s, pytest.raises(CustomerError) as refused:
        save_settings(s, company["boss"], {"window_months": 6})
    assert refused.value.code == "admin_only"
    with write_session(engine) as s, pytest.raises(CustomerError):
        save_settings(s, root, {"window_months": 0})
    with write_session(engine) as s:
        save_settings(s, root, {"window_months": 6, "high_potential_types": ["government"]})
    with read_session(engine) as s:
        stored = load_settings(s)
        trail = audit_trail(s, entity="setting")
    assert (stored.window_months, stored.high_potential_types) == (6, ("government",))
    assert len(trail) == 1


def test_the_scorecard_reads_customer_value_metrics_when_weighted(engine, company):
    from salesboard.evaluation.scorecard import compute_scorecard
    from salesboard.evaluation.weights import DEFAULT_WEIGHTS, Weights

    chosen = {**DEFAULT_WEIGHTS, "revenue": 20, "repurchase_rate": 5, "retention": 5,
              "collection_rate": 5}  # fmt: skip
    weighted = Weights(None, "standard", 0, None, chosen)
    r1 = company["ids"]["r1"]
    with read_session(engine) as s:
        card = compute_scorecard(s, "rep", r1, "2026Q2", TODAY, weights=weighted)
        plain = compute_scorecard(s, "rep", r1, "2026Q2", TODAY)
        team = compute_scorecard(s, "team", company["one"], "2026Q2", TODAY, weights=weighted)
    # Q2: A's 40万 of 2026-06-01 repeats its 2025-12-01 deal; A bought in the 12 months
    # before April and again in Q2; its 40万 due 06-30 was collected after the quarter.
    assert card.line("repurchase_rate").actual == 1.0
    assert card.line("retention").actual == 1.0
    assert card.line("collection_rate").actual == 0.0
    assert card.line("collection_rate").score == 0.0 and card.line("retention").score == 100.0
    assert team.line("repurchase_rate").actual == 1.0
    for metric in ("repurchase_rate", "retention", "collection_rate"):
        assert plain.line(metric).actual is None and plain.line(metric).weight == 0


def test_a_managers_and_a_reps_list_pages_through_the_customers_in_sight(engine, company):
    """Counted and paged in one read of the customers in sight (not a leader's path): each
    page holds the next names, every page says how many there are, past the end too."""
    c = company
    pages = {}
    with read_session(engine) as s:
        for who, size in (("m1", 2), ("r2", 1)):
            pages[who] = [
                list_customers(s, c[who], SETTINGS, TODAY, CustomerQuery(page=n), page_size=size)
                for n in range(4)
            ]
    m1 = [(total, list(page["name"])) for page, total in pages["m1"]]
    assert m1 == [(3, ["丁公司", "乙公司"]), (3, ["甲公司"]), (3, []), (3, [])]
    r2 = [(total, list(page["name"])) for page, total in pages["r2"]]
    assert r2 == [(2, ["丙公司"]), (2, ["乙公司"]), (2, []), (2, [])]
