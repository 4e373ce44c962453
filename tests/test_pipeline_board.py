"""The pipeline board: ``pipeline.board`` on both backends over the pipeline company (columns,
scope, filters, card limits, clocks, totals equal to the open-pipeline figure), the clock
rule itself, and the page as a rep, a manager and a leader in both languages, with a move
through ``deals.moves`` (refused without a reason at the gate, done with one)."""

from __future__ import annotations

import numpy as np
import pytest
from sqlmodel import select

from salesboard.accounts.access import SYSTEM
from salesboard.figures.sales import open_pipeline
from salesboard.i18n import format_count, format_money, t
from salesboard.metrics.durations import overdue_mask, stage_clock
from salesboard.pipeline.board import pipeline_board
from salesboard.store.db import read_session, write_session
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import KeyAction, Opportunity, OpportunityEvent, Stage, StageKind
from salesboard.store.settings import get_settings
from tests import builders as b
from tests.apptest_support import open_app
from tests.companies import pipeline as company

PAGE = "pages/pipeline_board.py"
AS_OF = company.AS_OF


@pytest.fixture
def store(engine):
    seeded = company.build(engine)
    with write_session(engine) as s:  # D4 (won 03-05) still has its delivery to do
        b.key_action(s, seeded.deals["D4"], stage="delivery", planned_on="2026-03-20",
                     action="交付实施")  # fmt: skip
    return seeded


def board(store, who: str, filters=NO_FILTER, **kw):
    with read_session(store.engine) as session:
        viewer = SYSTEM if who == "system" else store.viewers[who]
        return pipeline_board(session, viewer, filters, AS_OF, **kw)


def cards(column) -> list[str]:
    return list(column.cards["code"])


def test_columns_are_the_open_stages_in_order_then_delivery(store):
    columns = board(store, "admin")
    assert [c.stage for c in columns] == [
        "lead", "needs_analysis", "proposal", "negotiation", "contract", "delivery",
    ]  # fmt: skip
    by_stage = {c.stage: cards(c) for c in columns}
    codes = store.codes
    # longest in the stage first: D1 since 02-13, D5 since 03-02
    assert by_stage["lead"] == [codes["D1"], codes["D5"]]
    assert by_stage["needs_analysis"] == [codes["D7"], codes["D6"]]
    assert by_stage["negotiation"] == [codes["D2"]]
    assert by_stage["delivery"] == [codes["D4"]]  # won, delivery undone; D3 (lost) nowhere
    assert by_stage["proposal"] == []


def test_the_delivery_column_follows_the_undone_actions_after_signing(store):
    """With one stage after signing, a won deal is in delivery while its key action there is
    undone (its next action); with a second such stage, a deal moved on still owing the
    first stage's action stays on the board in the stage it is in."""
    d4 = store.deals["D4"]
    with read_session(store.engine) as s:
        action = s.scalars(select(KeyAction.id).where(KeyAction.opportunity_id == d4)).one()
    with write_session(store.engine) as s:
        s.get(KeyAction, action).done_on = AS_OF
    assert cards(_column(board(store, "admin"), "delivery")) == []
    with write_session(store.engine) as s:
        s.get(KeyAction, action).done_on = None
        collection = Stage(code="collection", position=7, name_zh="回款", name_en="Collection",
                           kind=StageKind.WON, standard_days=30)  # fmt: skip
        s.add(collection)
        s.flush()
        s.get(Opportunity, d4).current_stage_id = collection.id
    columns = board(store, "admin")
    assert cards(_column(columns, "delivery")) == []
    assert cards(_column(columns, "collection")) == [store.codes["D4"]]


def _column(columns, stage: str):
    return next(c for c in columns if c.stage == stage)


def test_each_viewer_sees_only_their_deals_and_the_filters_apply(store):
    codes = store.codes
    rep_b = {c.stage: cards(c) for c in board(store, "rb")}
    assert rep_b["needs_analysis"] == [codes["D6"]] and rep_b["delivery"] == [codes["D4"]]
    assert not rep_b["lead"]
    manager_a = [code for c in board(store, "ma") for code in cards(c)]
    assert sorted(manager_a) == sorted(codes[d] for d in ("D1", "D2", "D5", "D7"))
    team_b = OpportunityFilter(team_ids=(store.teams["B"],))
    assert board(store, "ma", team_b)[1].count == 0  # another team's column reads empty
    assert {c.stage: cards(c) for c in board(store, "admin", team_b)} == rep_b


def test_column_totals_are_the_open_pipeline_figure_and_cover_unloaded_cards(store):
    for who, filters in (("admin", NO_FILTER), ("ma", NO_FILTER),
                         ("admin", OpportunityFilter(team_ids=(store.teams["A"],)))):  # fmt: skip
        columns = board(store, who, filters, limits=(("lead", 1),))
        with read_session(store.engine) as session:
            count, amount = open_pipeline(session, store.viewers[who], filters)
        open_columns = [c for c in columns if c.kind == "open"]
        assert sum(c.count for c in open_columns) == count
        assert sum(c.amount_minor for c in open_columns) == amount
    lead = board(store, "admin", limits=(("lead", 1),))[0]
    assert (lead.count, len(lead.cards), lead.more) == (2, 1, 1)
    assert lead.amount_minor == (100_000 + 50_000) * 100  # both deals, one card loaded


def test_days_in_stage_are_working_days_coloured_by_the_overdue_rule(store):
    columns = {c.stage: c for c in board(store, "admin")}
    lead = columns["lead"].cards.set_index("code")
    d1 = lead.loc[store.codes["D1"]]
    # after Fri 02-13 through 03-05: 02-14 (调休), 02-24…02-27, 02-28 (调休), 03-02…03-05
    assert (d1.days_in_stage, d1.clock) == (10, "over")  # lead standard: 7 working days
    assert lead.loc[store.codes["D5"], "clock"] == "within"  # 3 of 7


@pytest.mark.parametrize(
    ("days", "standard", "clock"),
    [(0, 7, "within"), (5, 7, "within"), (6, 7, "near"), (7, 7, "near"), (8, 7, "over"),
     (15, 20, "within"), (16, 20, "near"), (21, 20, "over"), (1, 1, "near"), (2, 1, "over"),
     (30, None, "none")],
)  # fmt: skip
def test_stage_clock(days, standard, clock):
    assert stage_clock([days], [standard]).tolist() == [clock]


def test_over_is_exactly_the_overdue_rule():
    days = np.arange(0, 40)
    standard = np.full(40, 10.0)
    assert ((stage_clock(days, standard) == "over") == overdue_mask(days, standard)).all()


# --- the page --------------------------------------------------------------------------


@pytest.fixture
def page_env(sqlite_engine, monkeypatch):
    """The pipeline company in a SQLite file, the app pointed at it as of its Thursday."""
    yield company.app_on(sqlite_engine, monkeypatch)
    monkeypatch.undo()
    get_settings.cache_clear()


def shown_codes(at, store) -> set[str]:
    text = " ".join(m.value for m in at.markdown)
    return {code for code in store.codes.values() if f"[{code}]" in text}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rep_sees_their_cards_with_totals_in_their_language(page_env, lang):
    store = page_env
    at = open_app(PAGE, lang=lang, user="ra")
    assert at.title[0].value == t("board.title", lang)
    assert shown_codes(at, store) == {store.codes[d] for d in ("D1", "D2", "D5", "D7")}
    lead_total = t("board.column_total", lang, count=format_count(2),
                   amount=format_money(150_000 * 100, lang))  # fmt: skip
    assert any(lead_total in c.value for c in at.caption)
    over = t("board.clock_over", lang)
    assert any(over in m.value and ":red-badge[" in m.value for m in at.markdown)
    assert {b.key for b in at.button if (b.key or "").startswith("move_")} == {
        f"move_{store.codes[d]}" for d in ("D1", "D2", "D5", "D7")
    }


def test_the_stage_picker_shows_one_stage_and_keeps_it_in_the_url(page_env):
    store = page_env
    at = open_app(PAGE, lang="en", user="ma")
    at.selectbox(key="stage").set_value("needs_analysis").run()
    assert at.query_params["stage"] == "needs_analysis"
    assert shown_codes(at, store) == {store.codes["D7"]}


def test_a_leader_reads_the_board_without_move_buttons(page_env):
    at = open_app(PAGE, lang="zh", user="leader")
    assert len(shown_codes(at, page_env)) == 5
    assert not [b for b in at.button if (b.key or "").startswith("move_")]


def test_a_move_from_the_board_goes_through_the_gate(page_env):
    store = page_env
    code = store.codes["D1"]  # its lead key action is undone
    at = open_app(PAGE, lang="en", user="ra")
    at.button(key=f"move_{code}").click().run()
    at.selectbox(key="move_to").set_value("needs_analysis")
    at.button[-1].click().run()  # the form's submit, without a reason
    assert at.error, "the gate refuses a move past undone key actions without a reason"
    engine = store.engine
    with read_session(engine) as s:
        assert s.exec(select(Opportunity.current_stage_id).where(Opportunity.code == code)).one()
    at.text_area(key="move_reason").set_value("客户已确认需求，访谈下周补")
    at.selectbox(key="move_to").set_value("needs_analysis")
    at.button[-1].click().run()
    with read_session(engine) as s:
        deal = s.exec(select(Opportunity).where(Opportunity.code == code)).one()
        assert deal.current_stage_id == b.stages(s)["needs_analysis"]
        notes = s.exec(
            select(OpportunityEvent.note).where(OpportunityEvent.opportunity_id == deal.id)
        ).all()
    assert "客户已确认需求，访谈下周补" in notes
    assert code in shown_codes(at, store)
