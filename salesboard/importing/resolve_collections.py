"""Collection rows (回款): the deal by its code and the due date as the business key, with what
was collected and when."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from salesboard.importing.context import Context, check_duplicates
from salesboard.importing.resolve_common import (
    ctx_days,
    date_key,
    existing_by_key,
    filled,
    finish_plan,
    opportunity_refs,
    refuse,
    writable,
)
from salesboard.store.models import Collection


def resolve_collections(ctx: Context) -> dict[str, Any]:
    """Amounts due from a deal by a date (回款), with what was collected and when."""
    opp = opportunity_refs(ctx)
    due_on = ctx_days(ctx, "due_on")
    collected_amount = ctx.value("collected_amount", "Int64")
    dated_without_amount = filled(ctx, "collected_on") & collected_amount.isna().to_numpy()
    ctx.problem(dated_without_amount, "collected_amount", "missing_required")
    existing = existing_by_key(
        ctx, Collection.__table__, "opportunity_id", opp["id"], ("opportunity_id", "due_on"),
        lambda r: (r[0], date_key(r[1])),
    )  # fmt: skip
    due_keys = [date_key(v) for v in due_on]
    existing_id = np.array(
        [existing.get((o, d), 0) for o, d in zip(opp["id"].tolist(), due_keys, strict=True)],
        dtype=np.int64,
    )
    refuse(ctx, writable(ctx.viewer, opp["owner"], opp["team"]) | (opp["id"] == 0),
            "opportunity", opp["owner"])  # fmt: skip
    check_duplicates(ctx, {"opportunity": pd.Series(opp["id"]).replace(0, None),
                           "due_on": pd.Series([d or None for d in due_keys], dtype=object)})  # fmt: skip
    final = {
        "opportunity_id": opp["id"],
        "due_on": due_on,
        "due_minor": ctx.value("due_amount", "Int64").fillna(0).to_numpy(dtype=np.int64),
        "collected_on": ctx_days(ctx, "collected_on"),
        "collected_minor": collected_amount.fillna(0).to_numpy(dtype=np.int64),
    }
    given = {
        "due_minor": filled(ctx, "due_amount"), "collected_on": filled(ctx, "collected_on"),
        "collected_minor": filled(ctx, "collected_amount"),
        "opportunity_id": filled(ctx, "opportunity"), "due_on": filled(ctx, "due_on"),
    }  # fmt: skip
    return finish_plan(ctx, Collection.__table__, final, given, existing_id)
