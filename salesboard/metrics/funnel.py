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


def same_deal_conversion(
    positions: Sequence[int], entered: pd.DataFrame
) -> tuple[list[float | None], list[float | None]]:
    """Conversions of a flow funnel computed on the same deals, so none exceeds 100 %.

    ``entered`` has one row per (stage ``position`` entered in the period, ``furthest``
    position the deal reached, ``deals``). For each stage of ``positions`` (in order):
    ``conversion`` = of the deals that entered the previous stage in the period, the share
    that went on to reach this one; ``from_first`` = of the deals that entered the first
    stage in the period, the share that reached this one. None where no deal entered.
    """
    conversion: list[float | None] = []
    from_first: list[float | None] = []

    def share(start: int, target: int) -> float | None:
        rows = entered[entered["position"] == start]
        total = float(rows["deals"].sum())
        reached = float(rows.loc[rows["furthest"] >= target, "deals"].sum())
        return reached / total if total else None

    for i, position in enumerate(positions):
        conversion.append(None if i == 0 else share(positions[i - 1], position))
        from_first.append(share(positions[0], position) if positions else None)
    return conversion, from_first
