"""Deal rating rows (a survey sheet): the deal by its code, the stage and the rating kind as
the business key, a whole-number score 1–5, the day rated and a note. Who may import them is
who may rate on the deal page (managers of the deal's team, admins); a deal out of the
importer's scope reads as an unknown code. A rating already stored is re-rated (updated)
in every mode but "skip", as rating a deal again does on the deal page."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from salesboard.importing.context import Context, check_duplicates
from salesboard.importing.resolve_common import (
    ctx_days,
    ctx_ids,
    existing_by_key,
    filled,
    finish_plan,
    opportunity_refs,
    texts,
)
from salesboard.store.models import RATING_MAX, RATING_MIN, DealRating


def resolve_ratings(ctx: Context) -> dict[str, Any]:
    """1–5 ratings of deals at a stage, one per deal, stage and kind."""
    opp = opportunity_refs(ctx)
    stage = ctx_ids(ctx, "stage")
    kind = texts(ctx.value("kind"), None)
    score = ctx.value("score", "Int64")
    outside = (score.notna() & ((score < RATING_MIN) | (score > RATING_MAX))).to_numpy(bool)
    ctx.problem(outside, "score", "rating_range")
    existing = existing_by_key(
        ctx, DealRating.__table__, "opportunity_id", opp["id"],
        ("opportunity_id", "stage_id", "kind"), tuple,
    )  # fmt: skip
    existing_id = np.array(
        [existing.get((o, s, k), 0) if o else 0
         for o, s, k in zip(opp["id"].tolist(), stage.tolist(), kind, strict=True)],
        dtype=np.int64,
    )  # fmt: skip
    check_duplicates(ctx, {"opportunity": pd.Series(opp["id"]).replace(0, None),
                           "stage": pd.Series(stage).replace(0, None),
                           "kind": pd.Series(kind, dtype=object)})  # fmt: skip
    final = {
        "opportunity_id": opp["id"],
        "stage_id": stage,
        "kind": kind,
        "score": score.fillna(0).to_numpy(dtype=np.int64),
        "rated_on": ctx_days(ctx, "rated_on"),
        "note": texts(ctx.value("note")),
        "rated_by": np.full(ctx.size, ctx.viewer.user_id or 0, dtype=np.int64),
    }
    given = {name: filled(ctx, field) for name, field in (
        ("opportunity_id", "opportunity"), ("stage_id", "stage"), ("kind", "kind"),
        ("score", "score"), ("rated_on", "rated_on"), ("note", "note"),
    )}  # fmt: skip
    given["rated_by"] = np.ones(ctx.size, dtype=bool)  # a re-rating is the importer's
    rerate = replace(ctx, mode="update") if ctx.mode == "insert" else ctx
    return finish_plan(rerate, DealRating.__table__, final, given, existing_id)
