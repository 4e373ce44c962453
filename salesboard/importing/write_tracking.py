"""Writing a tracking table: its deals first (``write_opportunities``: new customers, new
deals with their stage history, updates with stage moves), then each row's key action
under its deal's id, all in the one transaction and recorded for undo."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from salesboard.importing.lookups import opportunities_by_code
from salesboard.importing.write_common import WriteState, insert_simple, update_simple
from salesboard.importing.write_opportunities import write_opportunities
from salesboard.store.models import KeyAction


def write_tracking(state: WriteState) -> None:
    """The deals, then the key actions of the rows planned insert or update."""
    deals = state.plan["deals"]
    write_opportunities(replace(state, validation=deals))
    codes = deals.plan["final"]["code"]
    ids = opportunities_by_code(state.session, [c for c in codes.tolist() if c])
    deal_of = state.plan["deal_of"]
    final = state.plan["final"]
    rows = np.flatnonzero(deal_of >= 0)
    final["opportunity_id"][rows] = [ids[codes[d]].id if codes[d] in ids else 0
                                     for d in deal_of[rows].tolist()]  # fmt: skip
    insert_simple(state, KeyAction.__table__)
    update_simple(state, KeyAction.__table__)
