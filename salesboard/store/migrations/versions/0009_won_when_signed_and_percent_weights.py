"""won when the contract is signed; delivery's open key actions indexed; form weights in percent

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 10:00:00

Issue 13 corrected definitions (DOMAIN.md §1, §4) that stored data carries:

- A deal is won when its contract is signed: the END of 合同签订, when it moves on to
  售后交付 — not the moment it enters 合同签订. Where a store has two or more ``won``
  stages (the default: contract, delivery), the first of them (signing) becomes an open
  stage; the deals sitting in it are open again (no ``won_on``), and every won deal's
  ``won_on`` becomes the day it entered the first stage after signing (from its stage
  history; kept where the history does not say). English name "Contract signed" (the
  default) reads "Contract signing".
- Delivery stays controlled: its key actions not done are indexed by stage (partial index),
  so the overdue check finds won deals whose delivery or collection is late.
- New customers are customers whose first won deal falls in the period: a customer's won
  deals are indexed by day, so "is this the first" is one seek.
- The feedback form's weights are percentages adding up to 100 over the shown metrics, and
  the weight shown is the weight applied: the stored form configuration and every stored
  form's KPI rows are re-based to percent of their total (the relative weights, hence every
  score, are unchanged; 30/25/20 of 125 become 24/20/16, what was applied all along).

Downgrade restores the stage kind, the deals in signing as won (won the day they entered
it) and the won dates; the weights stay in percent (still valid relative weights).
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNDONE_INDEX = "ix_key_action_undone"
CUSTOMER_WON_INDEX = "ix_opportunity_customer_won"
FORM_SETTING = "feedback.metrics"

stage = sa.table(
    "stage",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("position", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("name_en", sa.String),
)
opportunity = sa.table(
    "opportunity",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("current_stage_id", sa.Integer),
    sa.column("stage_entered_on", sa.Date),
    sa.column("won_on", sa.Date),
)
history = sa.table(
    "stage_history",
    sa.column("opportunity_id", sa.Integer),
    sa.column("stage_id", sa.Integer),
    sa.column("entered_on", sa.Date),
)
setting = sa.table("app_setting", sa.column("key", sa.String), sa.column("value", sa.Text))
form = sa.table("feedback_form", sa.column("id", sa.Integer), sa.column("body", sa.Text))
key_action = sa.table(
    "key_action",
    sa.column("stage_id", sa.Integer),
    sa.column("opportunity_id", sa.Integer),
    sa.column("done_on", sa.Date),
)


def _won_stages(conn) -> list[tuple[int, str]]:
    """(id, name_en) of the ``won`` stages in order."""
    rows = conn.execute(
        sa.select(stage.c.id, stage.c.name_en).where(stage.c.kind == "won").order_by(stage.c.position)
    )
    return [(int(i), n) for i, n in rows]


def _entered(stage_ids):
    """The day a deal first entered one of ``stage_ids`` (correlated to the deal)."""
    return (
        sa.select(sa.func.min(history.c.entered_on))
        .where(history.c.opportunity_id == opportunity.c.id, history.c.stage_id.in_(stage_ids))
        .scalar_subquery()
    )


def _set_won_dates(conn, stage_ids) -> None:
    """Every won deal's ``won_on``: the day it entered ``stage_ids``, where known."""
    entered = _entered(stage_ids)
    conn.execute(
        opportunity.update()
        .where(opportunity.c.status == "won", entered.is_not(None))
        .values(won_on=entered)
    )


def _rebased(weights: list[float]) -> list[float]:
    """Relative weights as percent adding up to exactly 100 (two decimals; the rounding
    remainder on the largest); unchanged when they add up to 0."""
    total = sum(weights)
    if total <= 0:
        return weights
    out = [round(w * 100 / total, 2) for w in weights]
    largest = max(range(len(out)), key=out.__getitem__)
    out[largest] = round(out[largest] + 100 - sum(out), 2)
    return out


def _rebase_rows(rows: list, shown=lambda row: True) -> bool:
    """Re-base the ``weight`` of the dict rows that ``shown`` keeps, in place; True if any."""
    kept = [r for r in rows if isinstance(r, dict) and shown(r)]
    weights = [float(r.get("weight") or 0) for r in kept]
    new = _rebased(weights)
    if new == weights:
        return False
    for row, weight in zip(kept, new, strict=True):
        row["weight"] = weight
    return True


def _rebase_weights(conn) -> None:
    text = conn.execute(sa.select(setting.c.value).where(setting.c.key == FORM_SETTING)).scalar()
    if text:
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        metrics = data.get("metrics") if isinstance(data, dict) else None
        if isinstance(metrics, list) and _rebase_rows(metrics, lambda r: r.get("shown", True)):
            conn.execute(
                setting.update()
                .where(setting.c.key == FORM_SETTING)
                .values(value=json.dumps(data, ensure_ascii=False))
            )
    for form_id, body in conn.execute(sa.select(form.c.id, form.c.body)).all():
        try:
            data = json.loads(body or "{}")
        except ValueError:
            continue
        kpis = data.get("kpis") if isinstance(data, dict) else None
        if isinstance(kpis, list) and _rebase_rows(kpis):
            conn.execute(
                form.update()
                .where(form.c.id == form_id)
                .values(body=json.dumps(data, ensure_ascii=False))
            )


def upgrade() -> None:
    conn = op.get_bind()
    won = _won_stages(conn)
    if len(won) >= 2:
        (signing, name), after = won[0], [i for i, _ in won[1:]]
        conn.execute(
            opportunity.update()
            .where(opportunity.c.status == "won", opportunity.c.current_stage_id == signing)
            .values(status="open", won_on=None)
        )
        _set_won_dates(conn, after)
        values = {"kind": "open"}
        if name == "Contract signed":
            values["name_en"] = "Contract signing"
        conn.execute(stage.update().where(stage.c.id == signing).values(**values))
    with op.batch_alter_table("key_action", schema=None) as batch_op:
        batch_op.create_index(
            UNDONE_INDEX,
            ["stage_id", "opportunity_id"],
            unique=False,
            sqlite_where=key_action.c.done_on.is_(None),
            postgresql_where=key_action.c.done_on.is_(None),
        )
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.create_index(
            CUSTOMER_WON_INDEX, ["customer_id", "status", "won_on"], unique=False
        )
    _rebase_weights(conn)


def downgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("key_action", schema=None) as batch_op:
        batch_op.drop_index(UNDONE_INDEX)
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.drop_index(CUSTOMER_WON_INDEX)
    signing = conn.execute(
        sa.select(stage.c.id).where(stage.c.code == "contract", stage.c.kind == "open")
    ).scalar()
    if signing is None or not _won_stages(conn):
        return
    conn.execute(
        opportunity.update()
        .where(opportunity.c.status == "open", opportunity.c.current_stage_id == signing)
        .values(status="won", won_on=opportunity.c.stage_entered_on)
    )
    _set_won_dates(conn, [signing])
    conn.execute(
        stage.update()
        .where(stage.c.id == signing, stage.c.name_en == "Contract signing")
        .values(name_en="Contract signed")
    )
    conn.execute(stage.update().where(stage.c.id == signing).values(kind="won"))
