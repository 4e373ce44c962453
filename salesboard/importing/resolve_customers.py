"""Customer rows: name and region as the business key (the same name may exist once per
region), with industry, type, potential, owner and since when."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from salesboard.importing.context import Context, check_duplicates
from salesboard.importing.resolve_common import ctx_days, ctx_ids, filled, finish_plan, texts
from salesboard.importing.values import match_key
from salesboard.store.models import Customer


def resolve_customers(ctx: Context) -> dict[str, Any]:
    """Customers by name and region (the same name may exist once per region)."""
    names = texts(ctx.value("customer_name"), None)
    region = ctx_ids(ctx, "region")
    index = ctx.reference.customers(ctx.session)
    by_key = {(k, r): i for k, pairs in index.by_key.items() for i, r in pairs}
    keys = [match_key(n) if n else None for n in names]
    existing_id = np.array(
        [by_key.get((k, int(r)), 0) for k, r in zip(keys, region, strict=True)], dtype=np.int64
    )
    check_duplicates(ctx, {"customer_name": pd.Series(keys, dtype=object),
                           "region": pd.Series(region).replace(0, None)})  # fmt: skip
    today = np.datetime64(ctx.today, "D")
    created = ctx_days(ctx, "created_on")
    final = {
        "name": texts(ctx.value("customer_name")),
        "region_id": region,
        "industry": texts(ctx.value("industry")),
        "customer_type": texts(ctx.value("customer_type"), "enterprise"),
        "potential": texts(ctx.value("potential"), "low"),
        "owner_id": ctx_ids(ctx, "owner"),
        "created_on": np.where(np.isnat(created), today, created),
    }
    given = {
        "industry": filled(ctx, "industry"), "customer_type": filled(ctx, "customer_type"),
        "potential": filled(ctx, "potential"), "owner_id": filled(ctx, "owner"),
        "created_on": filled(ctx, "created_on"), "region_id": filled(ctx, "region"),
    }  # fmt: skip
    return finish_plan(ctx, Customer.__table__, final, given, existing_id)
