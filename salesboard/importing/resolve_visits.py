"""Visit rows: the customer (by name, within the rep's region), an optional deal, the rep and
day as the business key; "effective" follows its parts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from salesboard.importing.context import Context, check_duplicates
from salesboard.importing.resolve_common import (
    ctx_days,
    ctx_ids,
    date_key,
    existing_by_key,
    filled,
    finish_plan,
    lookup,
    opportunity_refs,
    refuse,
    texts,
    writable,
)
from salesboard.store.models import Visit


def resolve_visits(ctx: Context) -> dict[str, Any]:
    """Customer visits by a rep on a day; effective = decision maker, ≥ 10 minutes, a need."""
    ref = ctx.reference
    rep = ctx_ids(ctx, "rep")
    rep_team = lookup({u.id: u.team_id or 0 for u in ref.users.values()}, rep)
    team_region = lookup({t.id: t.region_id for t in ref.teams.values()}, rep_team)
    region = np.where(ctx_ids(ctx, "region") > 0, ctx_ids(ctx, "region"), team_region)
    names = ctx.text("customer")
    found, ambiguous = ref.customers(ctx.session).resolve(
        names, pd.Series(np.where(region > 0, region, None), dtype=object)
    )
    customer = found.fillna(0).to_numpy(dtype=np.int64)
    ctx.problem(ambiguous.to_numpy(), "customer", "ambiguous_customer")
    ctx.problem(names.notna().to_numpy() & (customer == 0) & ~ambiguous.to_numpy(), "customer",
                "unknown_customer")  # fmt: skip
    opp_id = np.zeros(ctx.size, dtype=np.int64)
    if ctx.has("opportunity"):
        opp = opportunity_refs(ctx)
        opp_id = opp["id"]
        other = (opp_id > 0) & (customer > 0) & (opp["customer"] != customer)
        ctx.problem(other, "opportunity", "customer_mismatch")
    visited = ctx_days(ctx, "visited_on")
    minutes = ctx.value("minutes", "Int64").fillna(30).to_numpy(dtype=np.int64)
    decision = ctx.value("with_decision_maker", "boolean").fillna(False).to_numpy(dtype=bool)
    need = ctx.value("need_obtained", "boolean").fillna(False).to_numpy(dtype=bool)
    existing = existing_by_key(
        ctx, Visit.__table__, "customer_id", customer, ("customer_id", "rep_id", "visited_on"),
        lambda r: (r[0], r[1], date_key(r[2])),
    )  # fmt: skip
    keys = list(zip(customer.tolist(), rep.tolist(), (date_key(v) for v in visited), strict=True))
    existing_id = np.array([existing.get(k, 0) for k in keys], dtype=np.int64)
    refuse(ctx, writable(ctx.viewer, rep, rep_team) | (rep == 0), "rep", rep)
    check_duplicates(ctx, {
        "customer": pd.Series(customer).replace(0, None), "rep": pd.Series(rep).replace(0, None),
        "visited_on": pd.Series([k[2] or None for k in keys], dtype=object),
    })  # fmt: skip
    final = {
        "customer_id": customer,
        "opportunity_id": opp_id,
        "rep_id": rep,
        "visited_on": visited,
        "minutes": minutes,
        "with_decision_maker": decision,
        "need_obtained": need,
        "effective": decision & need & (minutes >= 10),
        "goal": texts(ctx.value("goal")),
        "commitment": texts(ctx.value("commitment")),
    }
    given = {
        "opportunity_id": filled(ctx, "opportunity"), "minutes": filled(ctx, "minutes"),
        "with_decision_maker": filled(ctx, "with_decision_maker"),
        "need_obtained": filled(ctx, "need_obtained"), "goal": filled(ctx, "goal"),
        "commitment": filled(ctx, "commitment"), "customer_id": filled(ctx, "customer"),
        "rep_id": filled(ctx, "rep"), "visited_on": filled(ctx, "visited_on"),
    }  # fmt: skip
    plan = finish_plan(ctx, Visit.__table__, final, given, existing_id)
    # "effective" follows the (merged) parts; an update must not keep a stale flag.
    f = plan["final"]
    f["effective"] = (
        f["with_decision_maker"].astype(bool)
        & f["need_obtained"].astype(bool)
        & (f["minutes"] >= 10)
    )
    return plan
