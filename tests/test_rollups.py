"""The per-day deal rollups and each deal's next undone key action (``next_action_on``) stay
equal to a recomputation from the rows, on both backends, whatever writes: random sequences
of the app's write paths (create, stage moves forward and back, win, lose, amount edits,
key actions planned, re-planned and done, imports that add and change deals, their undo), a
write that fails half-way, and SQL typed by hand. Also: the migrations fill both for a store
that had deals, ``check`` finds a tampered row or date, ``rebuild`` repairs it, the CLI's
exit status."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pandas as pd
import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, inspect, select, text, update

from salesboard.accounts.access import SYSTEM, viewer_for
from salesboard.cli.main import main
from salesboard.deals.create import create_deal
from salesboard.deals.errors import DealError
from salesboard.deals.fields import edit_deal
from salesboard.deals.key_actions import add_key_action, complete_key_action, replan_key_action
from salesboard.deals.moves import lose_deal, move_stage, win_deal
from salesboard.figures import facts
from salesboard.figures.sales import closed_deals
from salesboard.importing.service import file_sha256, prepare, read_upload, run_import
from salesboard.importing.undo import UndoRefused, undo_last_import
from salesboard.store import rollups, schema
from salesboard.store.db import create_store_engine, read_session, write_session
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import GoalMetric, Role, User
from salesboard.store.queries import days_after
from salesboard.store.tables import ACTION, ACTION_ROLLUP, HISTORY, OPP, PIPELINE, ROLLUP
from tests.companies.importing import TODAY, seed
from tests.concurrency import second_waits_for_first
from tests.importing.helpers import workbook

HEADER = ["商机编号", "客户名称", "销售阶段", "负责人", "金额", "产品线"]
STAGES = ["lead", "needs_analysis", "proposal", "negotiation", "contract"]
STAGE_ZH = {"lead": "线索获取", "needs_analysis": "需求分析", "proposal": "方案制定",
            "negotiation": "商务谈判", "contract": "合同签订", "delivery": "售后交付"}  # fmt: skip
OWNERS = ["zhang.wei", "li.na", "wang.fang"]
CUSTOMER = {"zhang.wei": "某科技有限公司", "li.na": "某科技有限公司", "wang.fang": "YY制造集团"}


@pytest.fixture
def company(engine):
    return seed(engine)


def _codes(engine) -> list[str]:
    with read_session(engine) as s:
        return list(s.execute(select(OPP.c.code).order_by(OPP.c.id)).scalars())


def _assert_in_step(engine) -> None:
    with engine.connect() as conn:
        result = rollups.check(conn)
    assert result.ok, result.differences.head(10).to_string()


def _import(engine, rows) -> None:
    data = workbook([HEADER, *rows])
    table = read_upload(data, "商机.xlsx")
    with read_session(engine) as s:
        prepared = prepare(s, table, SYSTEM, "opportunities")
    run_import(engine, table, prepared.kind, prepared.mapping, SYSTEM, file_name="商机.xlsx",
               file_hash=file_sha256(data))  # fmt: skip


def _apply(engine, op: tuple, done: Counter) -> None:
    """Run one write; refusals (a move of a closed deal, an undo after a change) are part of
    the sequence: they must leave the rollups as they were."""
    kind, *args = op
    codes = _codes(engine)
    code = codes[args[0] % len(codes)] if kind not in ("create", "import", "undo") else None
    on = TODAY - timedelta(days=op[-1] % 5) if kind in ("move", "win", "lose") else TODAY
    try:
        with write_session(engine) as s:
            if kind == "create":
                owner = OWNERS[args[0] % 3]
                create_deal(s, SYSTEM, customer=CUSTOMER[owner], product_line="cloud",
                            amount=f"{args[1]}万", on=TODAY, today=TODAY, owner=owner)  # fmt: skip
            elif kind == "move":
                move_stage(s, SYSTEM, code, STAGES[args[1] % 5], reason="测试", on=on, today=TODAY)
            elif kind == "win":
                win_deal(s, SYSTEM, code, signed_on=on, reason="测试", today=TODAY)
            elif kind == "lose":
                lose_deal(s, SYSTEM, code, reason_code="price", on=on, today=TODAY)
            elif kind in ("amount", "close"):
                version = s.execute(select(OPP.c.version).where(OPP.c.code == code)).scalar_one()
                # The expected close date moves a deal between months of the open pipeline
                # per day (every 5th clears it: no date counts in every period).
                close = None if args[1] % 5 == 0 else TODAY + timedelta(days=9 * args[1] - 120)
                change = (
                    {"amount": f"{args[1]}万"} if kind == "amount" else {"expected_close_on": close}
                )
                edit_deal(s, SYSTEM, code, change, seen_version=version, today=TODAY)
            elif kind == "undo":
                undo_last_import(s, SYSTEM)
            elif kind in ("plan", "replan", "done"):
                _key_action(s, kind, code, args[1])
        if kind == "import":
            rows = [
                [f"XS2099120{n % 8:02d}", CUSTOMER[OWNERS[o % 3]], STAGE_ZH[STAGES[g % 5]],
                 OWNERS[o % 3], f"{a}万", "云服务"]
                for n, g, o, a in args[0]
            ]  # fmt: skip
            _import(engine, list({r[0]: r for r in rows}.values()))  # one row per code
        done[kind] += 1
    except (DealError, UndoRefused):
        done[f"{kind} refused"] += 1


def _key_action(s, kind: str, code: str, n: int) -> None:
    """Plan a key action ``n`` days ahead, or re-plan / complete the deal's ``n``-th undone
    one (of any stage: an action of a stage the deal has left changes nothing)."""
    if kind == "plan":
        add_key_action(s, SYSTEM, code, action=f"测试{n}", planned_on=TODAY + timedelta(days=n),
                       today=TODAY)  # fmt: skip
        return
    undone = s.execute(
        select(ACTION.c.id).join(OPP, OPP.c.id == ACTION.c.opportunity_id)
        .where(OPP.c.code == code, ACTION.c.done_on.is_(None)).order_by(ACTION.c.id)
    ).scalars().all()  # fmt: skip
    if not undone:
        raise DealError("no_action", "nothing undone", "action")
    action_id = undone[n % len(undone)]
    if kind == "replan":
        replan_key_action(s, SYSTEM, code, action_id, planned_on=TODAY + timedelta(days=n % 7),
                          today=TODAY)  # fmt: skip
    else:
        complete_key_action(s, SYSTEM, code, action_id, done_on=TODAY, today=TODAY)


small = st.integers(min_value=0, max_value=40)
OPS = st.one_of(
    st.tuples(st.just("create"), small, st.integers(1, 500)),
    st.tuples(st.just("move"), small, small, small),
    st.tuples(st.just("win"), small, small),
    st.tuples(st.just("lose"), small, small),
    st.tuples(st.just("amount"), small, st.integers(1, 500)),
    st.tuples(st.just("import"), st.lists(st.tuples(small, small, small, st.integers(1, 900)),
                                          min_size=1, max_size=6)),
    st.tuples(st.just("undo")),
    st.tuples(st.just("plan"), small, small),
    st.tuples(st.just("replan"), small, small),
    st.tuples(st.just("done"), small, small),
    st.tuples(st.just("close"), small, small),
)  # fmt: skip


def test_rollups_equal_the_rows_after_random_write_sequences(engine, company):
    done: Counter = Counter()

    @settings(max_examples=60, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(st.lists(OPS, min_size=1, max_size=8))
    def run(ops):
        for op in ops:
            _apply(engine, op, done)
        _assert_in_step(engine)

    run()
    # Every write path ran for real, not only its refusals.
    for kind in ("create", "move", "win", "lose", "amount", "close", "import", "undo", "plan",
                 "replan", "done"):  # fmt: skip
        assert done[kind] > 0, done
    with engine.connect() as conn:
        stored = conn.execute(select(ROLLUP.c.kind, ROLLUP.c.deals)).all()
    assert {k for k, n in stored if n} >= {"created", "won", "lost", "entered", "left"}
    with engine.connect() as conn:  # the open pipeline was kept, not only left empty
        closes = conn.execute(select(PIPELINE.c.close_month).where(PIPELINE.c.deals != 0))
        assert len({str(c) for c in closes.scalars()}) > 2
    with engine.connect() as conn:  # next actions were kept, not only left empty
        kept = conn.execute(select(func.count()).where(OPP.c.next_action_on.is_not(None)))
        assert kept.scalar_one() > 0


def test_a_failed_write_leaves_the_rollups_as_they_were(engine, company):
    before = _rows(engine)
    with pytest.raises(RuntimeError), write_session(engine) as s:
        code = s.execute(select(OPP.c.code).limit(1)).scalar_one()
        move_stage(s, SYSTEM, code, "contract", reason="测试", on=TODAY, today=TODAY)
        assert _rows_in(s) != before  # the trigger wrote inside the transaction …
        raise RuntimeError("the page crashed after the move")
    assert _rows(engine) == before  # … and the rollback took it back
    _assert_in_step(engine)


def _rows_in(session) -> list[tuple]:
    query = select(*ROLLUP.c).where(ROLLUP.c.deals != 0).order_by(*ROLLUP.primary_key.columns)
    return [tuple(r) for r in session.execute(query).all()]


def _rows(engine) -> list[tuple]:
    with read_session(engine) as s:
        return _rows_in(s)


def test_sql_typed_by_hand_is_followed_too(engine, company):
    with engine.begin() as conn:  # a DBA's fix: reassign a deal and halve its amount
        conn.execute(update(OPP).where(OPP.c.code == "XS202405001").values(
            owner_id=select(OPP.c.owner_id).where(OPP.c.code == "XS202405002").scalar_subquery(),
            amount_minor=OPP.c.amount_minor / 2))  # fmt: skip
        conn.execute(update(OPP).where(OPP.c.code == "XS202405002").values(
            team_id=select(OPP.c.team_id).where(OPP.c.code == "XS202405001").scalar_subquery(),
            expected_close_on=date(2024, 7, 9)))  # fmt: skip
        conn.execute(update(HISTORY).where(HISTORY.c.opportunity_id == select(OPP.c.id).where(
            OPP.c.code == "XS202405001").scalar_subquery()).values(
            entered_on=days_after(HISTORY.c.entered_on, -10)))  # fmt: skip
    _assert_in_step(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM stage_history WHERE opportunity_id = "
                          "(SELECT id FROM opportunity WHERE code = 'XS202405002')"))  # fmt: skip
    _assert_in_step(engine)


def _plan_by_hand(conn, code: str, planned: list[date]) -> None:
    """Undone key actions of the deal's current stage, inserted as SQL."""
    deal = conn.execute(select(OPP.c.id, OPP.c.current_stage_id, OPP.c.owner_id)
                        .where(OPP.c.code == code)).one()  # fmt: skip
    for day in planned:
        conn.execute(ACTION.insert().values(
            opportunity_id=deal.id, stage_id=deal.current_stage_id, owner_id=deal.owner_id,
            action="手工", planned_on=day, deliverable="", customer_feedback="", risk_flag=""))  # fmt: skip


def _next_action_in(conn, code: str) -> date | None:
    day = conn.execute(select(OPP.c.next_action_on).where(OPP.c.code == code)).scalar_one()
    return None if day is None else date.fromisoformat(str(day))


def _next_action(engine, code: str) -> date | None:
    with engine.connect() as conn:
        return _next_action_in(conn, code)


def test_key_actions_written_by_hand_move_the_next_action_of_their_deals(engine, company):
    early, late = TODAY + timedelta(days=2), TODAY + timedelta(days=9)
    with engine.begin() as conn:
        _plan_by_hand(conn, "XS202405001", [late, early])
    assert _next_action(engine, "XS202405001") == early
    with engine.begin() as conn:  # the early one moved to another deal: both deals follow
        other = conn.execute(select(OPP.c.id, OPP.c.current_stage_id)
                             .where(OPP.c.code == "XS202405002")).one()  # fmt: skip
        conn.execute(update(ACTION).where(ACTION.c.planned_on == early).values(
            opportunity_id=other.id, stage_id=other.current_stage_id))  # fmt: skip
    assert (_next_action(engine, "XS202405001"), _next_action(engine, "XS202405002")) == (
        late, early)  # fmt: skip
    with engine.begin() as conn:  # done, then deleted
        conn.execute(update(ACTION).where(ACTION.c.planned_on == late).values(done_on=TODAY))
        conn.execute(ACTION.delete().where(ACTION.c.planned_on == early))
    assert (_next_action(engine, "XS202405001"), _next_action(engine, "XS202405002")) == (
        None, None)  # fmt: skip
    _assert_in_step(engine)


def test_concurrent_writers_of_one_deal_keep_its_earliest_action(engine, company):
    """Two transactions add key actions to one deal at once, the later-planned one waiting
    for the earlier's lock: the deal ends with the earlier day (PostgreSQL, READ COMMITTED:
    a recompute from the waiting statement's snapshot would not see the other action)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    early, late = TODAY + timedelta(days=2), TODAY + timedelta(days=6)
    # The first holds the deal's row lock; the second is blocked on it.
    second_waits_for_first(
        engine,
        lambda conn: _plan_by_hand(conn, "XS202405001", [early]),
        lambda conn: _plan_by_hand(conn, "XS202405001", [late]),
    )
    assert _next_action(engine, "XS202405001") == early
    _assert_in_step(engine)


def test_a_deal_moved_on_leaves_its_old_stage_actions_behind(engine, company):
    with engine.begin() as conn:
        _plan_by_hand(conn, "XS202405001", [TODAY + timedelta(days=3)])
    assert _next_action(engine, "XS202405001") == TODAY + timedelta(days=3)
    with write_session(engine) as s:
        stage = s.execute(select(OPP.c.current_stage_id).where(OPP.c.code == "XS202405001"))
        target = "contract" if stage.scalar_one() != s.execute(
            text("SELECT id FROM stage WHERE code = 'contract'")).scalar_one() else "proposal"  # fmt: skip
        move_stage(s, SYSTEM, "XS202405001", target, reason="测试", on=TODAY, today=TODAY)
    with engine.connect() as conn:  # the new stage's own plan (the move planned its checklist)
        planned = conn.execute(
            select(func.min(ACTION.c.planned_on)).join(OPP, OPP.c.id == ACTION.c.opportunity_id)
            .where(OPP.c.code == "XS202405001", ACTION.c.stage_id == OPP.c.current_stage_id,
                   ACTION.c.done_on.is_(None))).scalar_one()  # fmt: skip
    assert planned is not None and _next_action(engine, "XS202405001") == planned
    assert planned != TODAY + timedelta(days=3)
    _assert_in_step(engine)


def test_check_finds_a_tampered_row_and_rebuild_repairs_it(engine, company, capsys):
    with engine.begin() as conn:
        conn.execute(
            update(ROLLUP).where(ROLLUP.c.kind == "entered").values(deals=ROLLUP.c.deals + 1)
        )
    url = engine.url.render_as_string(hide_password=False)
    with engine.connect() as conn:
        result = rollups.check(conn)
    assert not result.ok and set(result.differences["kind"]) == {"entered"}
    assert (result.differences["stored_deals"] - result.differences["expected_deals"] == 1).all()
    assert main(["--database-url", url, "rollups", "--check"]) == 1
    assert "entered" in capsys.readouterr().out
    assert main(["--database-url", url, "rollups", "--rebuild"]) == 0
    assert main(["--database-url", url, "rollups", "--check"]) == 0
    _assert_in_step(engine)


def test_check_finds_a_tampered_next_action_and_rebuild_repairs_it(engine, company, capsys):
    with engine.begin() as conn:
        _plan_by_hand(conn, "XS202405001", [TODAY + timedelta(days=4)])
        conn.execute(update(OPP).where(OPP.c.code.in_(["XS202405001", "XS202405002"]))
                     .values(next_action_on=TODAY - timedelta(days=30)))  # fmt: skip
    with engine.connect() as conn:
        result = rollups.check(conn)
    assert result.differences.empty and result.next_actions_wrong == 2 and not result.ok
    assert list(result.next_actions["code"]) == ["XS202405001", "XS202405002"]
    url = engine.url.render_as_string(hide_password=False)
    assert main(["--database-url", url, "rollups", "--check"]) == 1
    assert "2 deals have a wrong next key action date" in capsys.readouterr().out
    assert main(["--database-url", url, "rollups", "--rebuild"]) == 0
    assert main(["--database-url", url, "rollups", "--check"]) == 0
    assert _next_action(engine, "XS202405001") == TODAY + timedelta(days=4)
    assert _next_action(engine, "XS202405002") is None


def test_check_finds_tampered_key_action_rows_and_rebuild_repairs_them(engine, company, capsys):
    with engine.begin() as conn:
        _plan_by_hand(conn, "XS202405001", [TODAY + timedelta(days=3)])
        conn.execute(update(ACTION_ROLLUP).where(ACTION_ROLLUP.c.planned_on == TODAY + timedelta(days=3))
                     .values(done=ACTION_ROLLUP.c.done + 1))  # fmt: skip
        conn.execute(
            delete(ACTION_ROLLUP).where(ACTION_ROLLUP.c.planned_on < TODAY - timedelta(days=400))
        )
    with engine.connect() as conn:
        result = rollups.check(conn)
    assert result.differences.empty and not result.ok and result.actions_wrong > 1
    url = engine.url.render_as_string(hide_password=False)
    assert main(["--database-url", url, "rollups", "--check"]) == 1
    assert f"key actions per planned day differ from the actions in {result.actions_wrong:,} rows" in (
        capsys.readouterr().out)  # fmt: skip
    assert main(["--database-url", url, "rollups", "--rebuild"]) == 0
    assert main(["--database-url", url, "rollups", "--check"]) == 0


def test_the_migration_fills_the_rollups_of_a_store_that_had_deals(engine, company):
    command.downgrade(schema.alembic_config(engine), "0021")
    assert "deal_rollup" not in inspect(engine).get_table_names()  # and its triggers with it
    with engine.begin() as conn:  # written while no trigger watched
        conn.execute(update(OPP).values(amount_minor=OPP.c.amount_minor + 100))
        _plan_by_hand(conn, "XS202405001", [TODAY + timedelta(days=6), TODAY + timedelta(days=5)])
    schema.upgrade(engine)
    _assert_in_step(engine)
    assert _next_action(engine, "XS202405001") == TODAY + timedelta(days=5)
    with engine.connect() as conn:
        assert rollups.trigger_names(conn) == {n for n, _ in rollups.TRIGGERS}


def test_a_bulk_load_with_the_triggers_paused_ends_rebuilt_and_watched(engine, company):
    with engine.begin() as conn, rollups.triggers_paused(conn):
        assert rollups.trigger_names(conn) == set()
        conn.execute(update(OPP).values(amount_minor=OPP.c.amount_minor * 3))
        _plan_by_hand(conn, "XS202405001", [TODAY + timedelta(days=8)])
        assert _next_action_in(conn, "XS202405001") is None  # not followed while paused
    _assert_in_step(engine)
    assert _next_action(engine, "XS202405001") == TODAY + timedelta(days=8)
    with write_session(engine) as s:  # watched again
        code = s.execute(select(OPP.c.code).limit(1)).scalar_one()
        move_stage(s, SYSTEM, code, "negotiation", reason="测试", on=TODAY, today=TODAY)
    _assert_in_step(engine)


def test_revenue_facts_from_the_rollups_equal_those_from_the_deal_rows(demo_store):
    """The goal pages' revenue (and order value) facts read the rollups; the same grouping
    over the won deals' own rows gives the same sums and counts for every role, by month."""
    engine = create_store_engine(demo_store)
    months = [(date(2026, m, 1), date(2026, m + 1, 1) - timedelta(days=1)) for m in range(1, 12)]
    with read_session(engine) as s:
        for role in (Role.LEADER, Role.MANAGER, Role.REP):
            user = (
                s.execute(select(User).where(User.role == role).order_by(User.id)).scalars().first()
            )
            viewer = viewer_for(s, user)
            rolled = facts.metric_facts(s, viewer, GoalMetric.REVENUE, months[0][0],
                                        months[-1][1], None, buckets=months)  # fmt: skip
            rows = facts._spec_facts(s, viewer, facts.WON_DEALS, months[0][0], months[-1][1],
                                     months, None, False)  # fmt: skip
            key = [*facts.DIMENSIONS, "bucket"]
            assert not rolled.empty and rolled["value_count"].sum() > 0
            pd.testing.assert_frame_equal(
                rolled.sort_values(key, ignore_index=True), rows.sort_values(key, ignore_index=True)
            )
    engine.dispose()


def test_a_large_import_pauses_the_triggers_and_leaves_the_rollups_rebuilt(
    engine, company, monkeypatch
):
    """Imports large against the table drop its secondary indexes for the load; the rollup
    triggers (which seek a deal's stays by one of them) pause with them and the rollups are
    rebuilt once, in the same transaction, and watched again after."""
    from salesboard.importing import bulk

    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 3)
    rebuilt = []
    real_rebuild = rollups.rebuild
    monkeypatch.setattr(rollups, "rebuild", lambda conn: rebuilt.append(real_rebuild(conn)))
    rows = [[f"XS2099130{n:02d}", "某科技有限公司", "方案制定", "zhang.wei", f"{n}0万", "云服务"]
            for n in range(1, 9)]  # fmt: skip
    _import(engine, rows)
    assert len(rebuilt) == 1  # paused once for the deal, stay and event tables together
    _assert_in_step(engine)
    with engine.connect() as conn:
        assert rollups.trigger_names(conn) == {n for n, _ in rollups.TRIGGERS}
        created = conn.execute(
            select(func.sum(ROLLUP.c.deals)).where(ROLLUP.c.kind == "created")
        ).scalar_one()
    assert created == 2 + 8  # the company's two deals and the file's eight
    with write_session(engine) as s:  # its undo, as large, the same way
        undo_last_import(s, SYSTEM)
    assert len(rebuilt) == 2
    _assert_in_step(engine)


def test_won_and_lost_counts_from_the_rollups_equal_those_from_the_deal_rows(
    demo_store, monkeypatch
):
    """closed_deals (win rate, won amount: Overview, review, scorecards, top performers)
    reads the rollups unless the filters name sources or customer types; forced onto the
    deal rows, every role, grouping and filter gives the same counts and amounts."""
    engine = create_store_engine(demo_store)
    ranges = [(date(2026, 11, 1), date(2026, 11, 30)), (date(2025, 1, 1), date(2026, 12, 31))]
    with read_session(engine) as s:
        line = s.execute(select(OPP.c.product_line_id).limit(1)).scalar_one()
        filters = [NO_FILTER, OpportunityFilter(product_line_ids=(line,))]
        viewers = [
            viewer_for(s, s.execute(select(User).where(User.role == r).order_by(User.id))
                       .scalars().first())
            for r in (Role.LEADER, Role.MANAGER, Role.REP)
        ]  # fmt: skip
        cases = [(v, r, f, by) for v in viewers for r in ranges for f in filters
                 for by in (None, "owner", "team")]  # fmt: skip
        rolled = [closed_deals(s, v, *r, filters=f, by=by) for v, r, f, by in cases]
        with monkeypatch.context() as m:
            m.setattr(OpportunityFilter, "rollups_can_answer", property(lambda self: False))
            rows = [closed_deals(s, v, *r, filters=f, by=by) for v, r, f, by in cases]
    assert rolled == rows
    assert sum(c.won + c.lost for c in rolled if not isinstance(c, dict)) > 0
    engine.dispose()
