"""Key action rows (seed table 1): the opportunity by its code, the stage, the action text
as the business key, plan and actual dates, and whether the viewer may write them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from salesboard.importing.context import Context, check_duplicates
from salesboard.importing.resolve_common import (
    ctx_days,
    ctx_ids,
    existing_by_key,
    filled,
    finish_plan,
    load_rows,
    lookup,
    opportunity_refs,
    refuse,
    texts,
    writable,
)
from salesboard.importing.values import match_key
from salesboard.store.models import Customer, KeyAction
from salesboard.store.queries import chunks


def _customer_names(ctx: Context, customer_ids: np.ndarray) -> dict[int, str]:
    """The stored name of each customer id (to check the file's customer column)."""
    wanted = sorted({int(i) for i in customer_ids if i})
    names: dict[int, str] = {}
    for chunk in chunks(wanted):
        names.update(
            ctx.session.execute(
                select(Customer.id, Customer.name).where(Customer.id.in_(chunk))
            ).all()
        )
    return names


def resolve_key_actions(ctx: Context) -> dict[str, Any]:
    """Seed table 1 rows: an opportunity's key action per stage, with plan and actual dates."""
    opp = opportunity_refs(ctx, refuse_on="owner")
    if ctx.has("customer"):
        names = _customer_names(ctx, opp["customer"])
        typed = ctx.text("customer").to_numpy(dtype=object)
        expected = [names.get(int(c), "") for c in opp["customer"]]
        mismatch = np.array(
            [t is not None and o > 0 and match_key(t) != match_key(e)
             for t, o, e in zip(typed, opp["id"], expected, strict=True)],
            dtype=bool,
        )  # fmt: skip
        params = [{"expected": e} for e, m in zip(expected, mismatch, strict=True) if m]
        ctx.problem(mismatch, "customer", "customer_mismatch", params)
    stage = ctx_ids(ctx, "stage")
    owner = np.where(filled(ctx, "owner"), ctx_ids(ctx, "owner"), opp["owner"])
    action_text = texts(ctx.value("action"), None)
    keys = pd.Series([match_key(a) if a else None for a in action_text], dtype=object)
    existing_id = stored_key_actions(ctx, opp["id"], stage, keys)
    allowed = writable(ctx.viewer, owner, opp["team"]) & writable(
        ctx.viewer, opp["owner"], opp["team"]
    )
    stored = load_rows(ctx.session, KeyAction.__table__, existing_id[existing_id > 0].tolist())
    old_owner = lookup(stored["owner_id"].to_dict(), existing_id) if len(stored) else owner
    allowed &= writable(ctx.viewer, np.where(existing_id > 0, old_owner, owner), opp["team"])
    refuse(ctx, allowed | (opp["id"] == 0), "owner", owner)
    check_duplicates(ctx, {"opportunity": pd.Series(opp["id"]).replace(0, None),
                           "stage": pd.Series(stage).replace(0, None), "action": keys})  # fmt: skip
    final, given = key_action_columns(ctx, opp["id"], stage, owner)
    given["opportunity_id"] = filled(ctx, "opportunity")
    return finish_plan(ctx, KeyAction.__table__, final, given, existing_id, stored)


def stored_key_actions(
    ctx: Context, opp_ids: np.ndarray, stage: np.ndarray, keys: pd.Series
) -> np.ndarray:
    """Per row the id of the stored key action with its deal, stage and action (0: none)."""
    existing = existing_by_key(
        ctx, KeyAction.__table__, "opportunity_id", opp_ids, ("opportunity_id", "stage_id", "action"),
        lambda r: (r[0], r[1], match_key(r[2])),
    )  # fmt: skip
    return np.array(
        [existing.get((o, s, k), 0) if o else 0
         for o, s, k in zip(opp_ids.tolist(), stage.tolist(), keys, strict=True)], dtype=np.int64,
    )  # fmt: skip


def key_action_columns(
    ctx: Context, opp_ids: np.ndarray, stage: np.ndarray, owner: np.ndarray
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(the stored columns of each row's key action, per column the rows whose file cell
    gave it; the opportunity's is the caller's to say)."""
    final = {
        "opportunity_id": opp_ids,
        "stage_id": stage,
        "owner_id": owner,
        "action": texts(ctx.value("action")),
        "planned_on": ctx_days(ctx, "planned_on"),
        "done_on": ctx_days(ctx, "done_on"),
        "deliverable": texts(ctx.value("deliverable")),
        "customer_feedback": texts(ctx.value("customer_feedback")),
        "risk_flag": texts(ctx.value("risk_flag")),
    }
    given = {name: filled(ctx, field) for name, field in (
        ("owner_id", "owner"), ("planned_on", "planned_on"), ("done_on", "done_on"),
        ("deliverable", "deliverable"), ("customer_feedback", "customer_feedback"),
        ("risk_flag", "risk_flag"), ("action", "action"), ("stage_id", "stage"),
    )}  # fmt: skip
    return final, given
