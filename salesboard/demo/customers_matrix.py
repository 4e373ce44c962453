"""The demo company's customer potentials (issue 17), so the customer matrix (seed 001)
shows customers in every quadrant of every region and some potentials set by hand:

- every tenth customer carries the generated potential (high for the accounts the
  generator made buy more) as a hand setting — the managers' judgement;
- then, per region, an empty quadrant is filled from a neighbour by a hand setting: no key
  account → the biggest "maintain" customer is high; no "develop" → the "low-touch" one
  with the most open pipeline is high; no "maintain" → the key account with the least open
  pipeline is low; no "low-touch" → the smallest "develop" customer is low.
Plain updates of a few rows (no per-customer loop over the large store's 250,000).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, func, select, update

from salesboard.accounts.access import SYSTEM
from salesboard.customers.matrix import customer_rows
from salesboard.customers.settings import load_settings
from salesboard.store.db import write_session
from salesboard.store.tables import CUSTOMER

HAND_EVERY = 10
# An empty quadrant: (the quadrant to take from, sort column, biggest first, set to).
FILL_FROM = {
    "key": ("maintain", "value_minor", True, "high"),
    "develop": ("low_touch", "pipeline_minor", True, "high"),
    "maintain": ("key", "pipeline_minor", False, "low"),
    "low_touch": ("develop", "value_minor", False, "low"),
}


def add_demo_potentials(engine: Engine, today: date) -> None:
    """Hand potentials for the demo (module docstring)."""
    with write_session(engine) as session:
        session.execute(
            update(CUSTOMER).where(CUSTOMER.c.id % HAND_EVERY == 0).values(potential_by_hand=True)
        )
        settings = load_settings(session)
        placed = customer_rows(SYSTEM, settings, today).subquery("placed")
        found = session.execute(
            select(placed.c.region_id, placed.c.quadrant, func.count()).group_by(
                placed.c.region_id, placed.c.quadrant
            )
        ).all()  # one aggregate for every region
        counts: dict[int, dict[str, int]] = {}
        for region_id, quadrant, n in found:
            counts.setdefault(int(region_id), {})[quadrant] = int(n)
        for region_id, have in counts.items():
            for empty, (source, order, biggest, potential) in FILL_FROM.items():
                if have.get(empty, 0) or have.get(source, 0) < 2:
                    continue
                column = placed.c[order]
                pick = session.execute(
                    select(placed.c.id)
                    .where(placed.c.region_id == region_id, placed.c.quadrant == source)
                    .order_by(column.desc() if biggest else column, placed.c.id)
                    .limit(1)
                ).scalar_one()
                session.execute(
                    update(CUSTOMER).where(CUSTOMER.c.id == int(pick))
                    .values(potential=potential, potential_by_hand=True)
                )  # fmt: skip
                have[empty], have[source] = 1, have[source] - 1
