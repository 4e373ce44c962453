"""Sales funnel: stage-to-stage and overall conversion."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

FUNNEL_COLUMNS = ("position", "stage", "reached", "amount_minor")


def funnel_conversion(reached: Sequence[int]) -> list[float | None]:
    """Conversion ratio from the previous stage for each stage (None first, or after a 0)."""
    return [
        None if i == 0 or reached[i - 1] == 0 else reached[i] / reached[i - 1]
        for i in range(len(reached))
    ]


def funnel_table(df: pd.DataFrame) -> pd.DataFrame:
    """The funnel sorted by position, with ratio columns ``conversion`` and ``from_first``.

    Input: one row per stage with ``position, stage, reached, amount_minor`` (any order).
    ``conversion`` is reached / reached of the previous stage, ``from_first`` reached /
    reached of the first stage; both NaN where the divisor is 0 (and ``conversion`` for the
    first stage).
    """
    missing = [c for c in FUNNEL_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"funnel table lacks columns: {', '.join(missing)}")
    out = df.sort_values("position", kind="stable").reset_index(drop=True)
    reached = out["reached"].to_numpy(dtype=float)
    previous = np.concatenate(([np.nan], reached[:-1]))
    first = reached[0] if len(reached) else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        out["conversion"] = np.where(previous > 0, reached / previous, np.nan)
        out["from_first"] = np.where(first > 0, reached / first, np.nan)
    return out


def overall_conversion(reached_first: int, won: int) -> float | None:
    """Overall conversion ratio from the first stage to won; None when nothing entered."""
    if reached_first == 0:
        return None
    return won / reached_first
