"""Demo customers: companies and public bodies per region with an owner, a potential and a
buying weight, and when each became a customer."""

from __future__ import annotations

from typing import Any

import numpy as np

from salesboard.demo.context import NOT_YET, DemoContext
from salesboard.demo.vocabulary import (
    CITIES,
    COMPANY_WORD1,
    COMPANY_WORD2,
    CUSTOMER_TYPE_SHARES,
    CUSTOMER_TYPES,
    GOVERNMENT_UNITS,
    INDUSTRIES,
)


def customers(ctx: DemoContext, org: dict[str, Any]) -> dict[str, Any]:
    """Customers as a column dict plus the arrays deals are drawn from (region, type, owner,
    potential, weight, arrival); ``created`` is filled in by ``finish_customers``."""
    rng = ctx.rng(2)
    n = ctx.spec.customers
    rep_region = org["rep_region"]
    region_share = np.bincount(rep_region, minlength=3) / len(rep_region)
    region = np.sort(rng.choice(3, size=n, p=region_share))
    ctype = rng.choice(3, size=n, p=CUSTOMER_TYPE_SHARES)
    names = np.empty(n, dtype=object)
    short = np.empty(n, dtype=object)
    industry = np.empty(n, dtype=object)
    for r in range(3):
        rows = np.flatnonzero(region == r)
        gov_pool = [(c + unit, c, ind) for c in CITIES[r] for unit, ind in GOVERNMENT_UNITS]
        gov_rows = rows[ctype[rows] == 2]
        take = min(len(gov_rows), len(gov_pool))
        pick = rng.permutation(len(gov_pool))[:take]
        for row, p in zip(gov_rows[:take], pick.tolist(), strict=True):
            names[row], short[row], industry[row] = (
                gov_pool[p][0],
                gov_pool[p][0],
                gov_pool[p][2],
            )
        ctype[gov_rows[take:]] = 0  # the public pool is finite; the rest are enterprises
        company_rows = np.setdiff1d(rows, gov_rows[:take])
        for row, (name, sh, ind) in zip(
            company_rows, company_names(rng, r, len(company_rows)), strict=True
        ):
            names[row], short[row], industry[row] = name, sh, ind
    owner = np.empty(n, dtype=np.int64)
    existing = rng.random(n) < 0.3  # accounts from before the data window
    for r in range(3):
        rows = np.flatnonzero(region == r)
        reps = np.flatnonzero(rep_region == r)
        cap = org["capacity"][reps]
        owner[rows] = reps[rng.choice(len(reps), size=len(rows), p=cap / cap.sum())]
        owner[rows[: len(reps)]] = reps[: len(rows)]  # every rep owns some accounts
        existing[rows[: len(reps)]] = True
    potential_high = rng.random(n) < np.where(ctype == 1, 0.2, 0.45)
    # How often a customer buys: high potential and a heavy tail of key accounts.
    weight = np.where(potential_high, 3.0, 1.0) * rng.pareto(2.5, n).clip(0, 8) + 0.3
    # New accounts arrive evenly over the window; deals only go to accounts that exist.
    arrival = np.where(existing, -1, rng.integers(ctx.start_idx, ctx.today_idx + 1, n))
    return {
        "n": n,
        "existing": existing,
        "arrival": arrival,
        "region": region,
        "type": ctype,
        "owner": owner,
        "high": potential_high,
        "weight": weight,
        "short": short,
        "table": {
            "id": np.arange(1, n + 1),
            "name": names,
            "industry": industry,
            "region_id": region + 1,
            "customer_type": np.array(CUSTOMER_TYPES, dtype=object)[ctype],
            "potential": np.where(potential_high, "high", "low").astype(object),
            "owner_id": org["rep_id"][owner],
        },
    }


def company_names(rng: np.random.Generator, region: int, n: int) -> list[tuple[str, str, str]]:
    """``n`` unique (name, short name, industry) for companies in ``region``."""
    cities = CITIES[region]
    inds = list(INDUSTRIES)
    seen: set[str] = set()
    result: list[tuple[str, str, str]] = []
    while len(result) < n:
        batch = 2 * (n - len(result)) + 16
        c = rng.integers(0, len(cities), batch)
        w1 = rng.integers(0, len(COMPANY_WORD1), batch)
        w2 = rng.integers(0, len(COMPANY_WORD2), batch)
        ind = rng.integers(0, len(inds), batch)
        suf = rng.integers(0, 6, batch)
        for ci, a, b, ii, si in zip(
            c.tolist(), w1.tolist(), w2.tolist(), ind.tolist(), suf.tolist(), strict=True
        ):
            if COMPANY_WORD1[a] == COMPANY_WORD2[b]:
                continue
            suffixes = INDUSTRIES[inds[ii]]
            sh = cities[ci] + COMPANY_WORD1[a] + COMPANY_WORD2[b]
            name = sh + suffixes[si % len(suffixes)]
            if name not in seen:
                seen.add(name)
                result.append((name, sh, inds[ii]))
                if len(result) == n:
                    break
    return result


def finish_customers(ctx: DemoContext, customers: dict[str, Any], opps: dict[str, Any]) -> None:
    """Customer since: its arrival (never after its first deal), years ago for old accounts."""
    rng = ctx.rng(3)
    n = customers["n"]
    first = np.full(n, NOT_YET, dtype=np.int64)
    np.minimum.at(first, opps["customer"], opps["created"])
    created = ctx.dates(np.minimum(np.maximum(customers["arrival"], 0), first))
    existing = customers["existing"]
    created[existing] = np.datetime64(ctx.data_start, "D") - rng.integers(
        30, 5 * 365, existing.sum()
    )
    customers["created"] = created
    customers["table"]["created_on"] = created
