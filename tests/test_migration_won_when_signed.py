"""Migration 0009 on both backends (issue 13): a store written under the old definitions —
won on entering 合同签订, feedback weights relative (30/25/20 of 125) — is moved to the new
ones and back again.

The store at 0008: A entered 合同签订 on 10-01 and sits there (counted won since 10-01);
B entered 合同签订 on 09-01 and 售后交付 on 09-20 (won since 09-01); C is open in
negotiation; D was lost. The form configuration and one form weigh 30/0/20/25/10/10/10/10/10.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from alembic import command
from sqlalchemy import column as sa_column
from sqlalchemy import inspect, text
from sqlalchemy import table as sa_table
from sqlmodel import select

from salesboard.store import schema
from salesboard.store.db import create_store_engine, read_session, write_session
from salesboard.store.models import (
    AppSetting,
    Customer,
    FeedbackForm,
    Opportunity,
    Stage,
    StageHistory,
    User,
)
from salesboard.store.reference_data import DEFAULT_STAGES
from tests.conftest import BACKENDS, database_on

OLD_WEIGHTS = [30, 0, 20, 25, 10, 10, 10, 10, 10]
CODES = ["sales", "collection_rate", "on_time_collection", "new_customers", "visits",
         "effective_visits", "lead_conversion", "proposals", "key_action_completion"]  # fmt: skip


def add_old(session, *rows) -> None:
    """Insert model ``rows`` into a store at an old revision: only the columns its tables
    have (today's models carry columns later revisions add)."""
    for row in rows:
        table = type(row).__table__
        have = {c["name"] for c in inspect(session.connection()).get_columns(table.name)}
        values = {k: v for k, v in row.model_dump().items() if k in have and (k != "id" or v)}
        # A bare table of those columns: the model's own would add its later columns' defaults.
        old = sa_table(table.name, *(sa_column(name) for name in values))
        session.execute(old.insert().values(**values))


@pytest.fixture(params=BACKENDS)
def old_store(request, tmp_path):
    """A store at revision 0008 holding the deals and weights of the module docstring."""
    with database_on(request, tmp_path, migrated=False) as url:
        engine = create_store_engine(url)
        schema.upgrade(engine, "0008")
        with write_session(engine) as s:
            # Rows written as revision 0008 had them: today's models carry later columns.
            add_old(s, *(stage.to_model() for stage in DEFAULT_STAGES))
            s.execute(
                text(
                    "UPDATE stage SET kind = 'won', name_en = 'Contract signed' WHERE code = 'contract'"
                )
            )
            stage = dict(s.execute(select(Stage.code, Stage.id)).all())
            for sql in (
                "INSERT INTO region (id, code, name_zh, name_en) VALUES (1, 'east', '华东', 'East')",
                "INSERT INTO product_line (id, code, name_zh, name_en) "
                "VALUES (1, 'mfg', '智能制造', 'Manufacturing')",
                "INSERT INTO team (id, name, region_id) VALUES (1, '一组', 1)",
            ):
                s.execute(text(sql))
            add_old(s, User(id=1, username="alice", display_name="alice", role="rep", team_id=1),
                    Customer(id=1, name="客户", region_id=1, created_on=date(2026, 1, 1)))  # fmt: skip
            deals = {
                "A": ("contract", "won", date(2026, 10, 1), [("contract", "2026-10-01", None)]),
                "B": ("delivery", "won", date(2026, 9, 1),
                      [("contract", "2026-09-01", "2026-09-20"), ("delivery", "2026-09-20", None)]),
                "C": ("negotiation", "open", None, [("negotiation", "2026-10-05", None)]),
                "D": ("lost", "lost", None, [("lead", "2026-08-01", "2026-08-10")]),
            }  # fmt: skip
            for i, (name, (current, status, won_on, stays)) in enumerate(deals.items(), start=1):
                add_old(s, Opportunity(
                    id=i, code=f"XS2026{i:04d}", name=name, customer_id=1, owner_id=1, team_id=1,
                    region_id=1, product_line_id=1, amount_minor=100, status=status,
                    created_on=date(2026, 1, 5), current_stage_id=stage[current],
                    stage_entered_on=date.fromisoformat(stays[-1][1]), won_on=won_on,
                ))  # fmt: skip
                s.flush()
                for code, entered, left in stays:
                    add_old(s, StageHistory(
                        opportunity_id=i, stage_id=stage[code],
                        entered_on=date.fromisoformat(entered),
                        left_on=date.fromisoformat(left) if left else None,
                    ))  # fmt: skip
            metrics = [
                {"code": c, "weight": w, "shown": True}
                for c, w in zip(CODES, OLD_WEIGHTS, strict=True)
            ]
            s.add(AppSetting(key="feedback.metrics", value=json.dumps({"metrics": metrics})))
            body = {
                "kpis": [{"code": c, "weight": w} for c, w in zip(CODES, OLD_WEIGHTS, strict=True)]
            }
            s.add(FeedbackForm(rep_id=1, period="2026-10", body=json.dumps(body)))
        yield engine
        engine.dispose()


def _state(engine) -> dict:
    with read_session(engine) as s:
        contract = s.execute(
            select(Stage.kind, Stage.name_en).where(Stage.code == "contract")
        ).one()
        deals = {
            name: (status, won_on)
            for name, status, won_on in s.execute(
                select(Opportunity.name, Opportunity.status, Opportunity.won_on)
            )
        }
        config = json.loads(s.get(AppSetting, "feedback.metrics").value)
        form = json.loads(s.exec(select(FeedbackForm)).one().body)
    return {
        "contract": (contract.kind, contract.name_en),
        "deals": deals,
        "config": [m["weight"] for m in config["metrics"]],
        "form": [r["weight"] for r in form["kpis"]],
    }


def _indexes(engine) -> set[str]:
    return {ix["name"] for ix in inspect(engine).get_indexes("key_action")}


def test_0009_moves_won_to_signing_and_weights_to_percent_and_back(old_store):
    engine = old_store
    before = _state(engine)
    assert before["deals"]["A"] == ("won", date(2026, 10, 1))
    schema.upgrade(engine)
    after = _state(engine)
    # 合同签订 is where the contract is signed, not yet won: A is open again; B was won
    # when it moved on to delivery (09-20), not when it entered signing (09-01).
    assert after["contract"] == ("open", "Contract signing")
    assert after["deals"] == {
        "A": ("open", None),
        "B": ("won", date(2026, 9, 20)),
        "C": ("open", None),
        "D": ("lost", None),
    }
    # Weights in percent adding up to 100: what was applied all along (30/125 = 24 % …).
    percent = [24.0, 0.0, 16.0, 20.0, 8.0, 8.0, 8.0, 8.0, 8.0]
    assert after["config"] == percent and after["form"] == percent
    assert "ix_key_action_undone" in _indexes(engine)

    command.downgrade(schema.alembic_config(engine), "0008")  # the old definitions' data
    down = _state(engine)
    assert down["contract"] == ("won", "Contract signed")
    assert down["deals"] == before["deals"]
    assert down["config"] == percent  # still valid relative weights: the same scores
    assert "ix_key_action_undone" not in _indexes(engine)
    schema.upgrade(engine)
    assert _state(engine) == after
    assert schema.is_up_to_date(engine)
