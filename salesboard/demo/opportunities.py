"""Demo opportunities: who sells what to whom for how much, each deal's walk through the
stages (won, lost or still open), its stage history, its key actions, and the last activity,
next step and risk flag that follow from them.

Stage history rows are stays in a stage, with no gaps (``left_on`` = next ``entered_on``).
An open deal's last row is open and is its current stage. A lost deal's last row is the
stage it was lost in (``lost_stage_id``), closed on ``lost_on``; its current stage is the
terminal ``lost`` stage (``stage_entered_on`` = ``lost_on``), which gets no row of its own.
A deal is won when its contract is signed: when it leaves contract signing for delivery
(``won_on``); the delivery row closes when delivery is done.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import numpy as np

from salesboard.demo.context import NOT_YET, DemoContext, pick_weighted
from salesboard.demo.sizes import YUAN
from salesboard.demo.vocabulary import (
    CUSTOMER_TYPE_AMOUNT,
    DELAY_FLAGS,
    GOOD_FEEDBACK,
    LOST_REASONS,
    PROBLEM_FEEDBACK,
    PRODUCT_LINES,
    SOURCE_LEAD_SKILL,
    SOURCE_SHARES,
    SOURCES,
)

# Stage timing: median actual/standard ratio and its spread, per stage column. Negotiation is
# the bottleneck the seed describes (~15 working days against a standard of 7).
_STAGE_MEDIAN_RATIO = (0.85, 0.85, 0.85, 1.6, 0.9, 0.9)
_STAGE_SIGMA = (0.45, 0.45, 0.45, 0.7, 0.3, 0.35)
_STAGE_LOSS = (0.30, 0.18, 0.18, 0.20)  # base loss probability in each open stage


def created_days(ctx: DemoContext, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` sorted creation days (working-day indices), volume growing ~40 % over the window."""
    span = ctx.today_idx - ctx.start_idx + 1
    trend = 1.0 + 0.4 * np.arange(span) / span
    return np.sort(ctx.start_idx + rng.choice(span, size=n, p=trend / trend.sum()))


def rep_accounts(customers: dict[str, Any], reps: int) -> list[tuple[np.ndarray, ...]]:
    """Per rep: its customers by arrival, their arrivals and cumulative buying weights
    (computed once: a streamed generation picks from them chunk after chunk)."""
    if "_rep_accounts" not in customers:
        arrival = customers["arrival"]
        by_owner = np.argsort(customers["owner"], kind="stable")  # ascending rows per rep
        bounds = np.searchsorted(customers["owner"][by_owner], np.arange(reps + 1))
        accounts = []
        for r in range(reps):
            own = by_owner[bounds[r] : bounds[r + 1]]
            own = own[np.argsort(arrival[own], kind="stable")]
            accounts.append((own, arrival[own], np.cumsum(customers["weight"][own])))
        customers["_rep_accounts"] = accounts
    return customers["_rep_accounts"]


def opportunities(
    ctx: DemoContext,
    org: dict[str, Any],
    customers: dict[str, Any],
    created: np.ndarray | None = None,
    numbering: tuple[int, np.ndarray | None] = (0, None),
) -> dict[str, Any]:
    """Opportunities as a column dict plus the arrays of their stage walk: ``enter[:, c]``
    and ``next_enter[:, c]`` are the working days a deal enters and leaves column c.
    ``created`` (sorted creation days) gives a chunk of a streamed generation its deals,
    ``numbering`` its first row's index among all and all deals' months (``deal_codes``)."""
    rng = ctx.rng(4)
    if created is None:
        created = created_days(ctx, rng, ctx.spec.opportunities)
    n = len(created)
    # Who sells it: a rep by capacity, then one of that rep's customers by weight.
    rep = rng.choice(len(org["rep_id"]), size=n, p=org["capacity"] / org["capacity"].sum())
    customer = np.empty(n, dtype=np.int64)
    by_rep = np.argsort(rep, kind="stable")  # ascending rows per rep, as flatnonzero gives
    bounds = np.searchsorted(rep[by_rep], np.arange(len(org["rep_id"]) + 1))
    for r, (own, arrival, cum) in enumerate(rep_accounts(customers, len(org["rep_id"]))):
        rows = by_rep[bounds[r] : bounds[r + 1]]
        # Weighted pick among the rep's accounts that had arrived by the deal's date.
        eligible = np.maximum(np.searchsorted(arrival, created[rows], "right"), 1)
        pick = np.searchsorted(cum, rng.random(len(rows)) * cum[eligible - 1], "right")
        customer[rows] = own[np.minimum(pick, eligible - 1)]
    pl = rng.choice(3, size=n, p=[p[3] for p in PRODUCT_LINES])
    source = rng.choice(len(SOURCES), size=n, p=SOURCE_SHARES)
    ctype = customers["type"][customer]
    high = customers["high"][customer]
    median = np.array([p[4] for p in PRODUCT_LINES])[pl] * np.array(CUSTOMER_TYPE_AMOUNT)[ctype]
    median = median * np.where(high, 1.4, 1.0)
    yuan = median * np.exp(rng.normal(0, 0.7, n))
    for _ in range(5):  # redraw outliers instead of piling them up at the bounds
        out = (yuan < 50_000) | (yuan > 3_000_000)
        yuan[out] = median[out] * np.exp(rng.normal(0, 0.7, out.sum()))
    amount = (np.rint(np.clip(yuan, 50_000, 3_000_000) / 1000) * 1000).astype(np.int64) * YUAN

    # Stage durations in working days around each stage's standard.
    ratio = np.exp(rng.normal(np.log(_STAGE_MEDIAN_RATIO), _STAGE_SIGMA, (n, 6)))
    ratio *= org["speed"][rep][:, None]
    ratio[:, 1:4] *= np.where(amount > 1_000_000 * YUAN, 1.15, 1.0)[:, None]
    duration = np.maximum(1, np.rint(ctx.standard * ratio)).astype(np.int64)
    stalled = rng.random(n) < 0.08  # deals that sit in one stage far too long
    stalled_col = rng.integers(0, 4, n)
    rows = np.flatnonzero(stalled)
    duration[rows, stalled_col[rows]] = np.rint(
        duration[rows, stalled_col[rows]] * rng.uniform(3, 6, len(rows))
    ).astype(np.int64)

    # Where each deal will be lost (-1: it will be won), given rep, source and customer.
    skill = org["win"][rep] * np.where(high, 1.15, 1.0)
    lost_at = np.full(n, -1)
    alive = np.ones(n, dtype=bool)
    u = rng.random((n, 4))
    for s, p in enumerate(_STAGE_LOSS):
        s_skill = skill * (np.array(SOURCE_LEAD_SKILL)[source] if s == 0 else 1.0)
        lose = alive & (u[:, s] < 1 - (1 - p) ** (1 / s_skill))
        lost_at[lose] = s
        alive &= ~lose

    # enter[:, c]: working-day index the deal enters column c (stages, then "lost").
    walk = np.empty((n, 6), dtype=np.int64)
    walk[:, 0] = created
    for c in range(1, 6):
        walk[:, c] = walk[:, c - 1] + duration[:, c - 1]
    lost = lost_at >= 0
    lr = np.flatnonzero(lost)
    lost_idx = walk[lr, lost_at[lr]] + duration[lr, lost_at[lr]]
    enter = np.full((n, 7), NOT_YET, dtype=np.int64)
    enter[:, :6] = walk
    enter[:, :6][lost[:, None] & (np.arange(6)[None, :] > lost_at[:, None])] = NOT_YET
    enter[lr, 6] = lost_idx
    next_enter = np.full((n, 7), NOT_YET, dtype=np.int64)
    next_enter[:, :5] = enter[:, 1:6]
    next_enter[:, 5] = walk[:, 5] + duration[:, 5]  # delivery complete
    next_enter[lr, lost_at[lr]] = lost_idx
    happened = enter <= ctx.today_idx
    current = np.where(happened, np.arange(7), -1).max(axis=1)
    # Won when the contract is signed: the end of contract signing, entering delivery.
    status = np.where(happened[:, 6], 2, np.where(happened[:, 5], 1, 0))  # open/won/lost
    # Open deals that went quiet: stalled ones since their standard ran out, and some others.
    entered = enter[np.arange(n), current]
    quiet = np.full(n, ctx.today_idx)
    gone_quiet = (status == 0) & (rng.random(n) < 0.15)
    quiet[gone_quiet] -= rng.integers(8, 30, gone_quiet.sum())
    stuck = (status == 0) & stalled & (stalled_col == current)
    quiet[stuck] = entered[stuck] + ctx.standard[current[stuck]]
    quiet = np.clip(quiet, entered, ctx.today_idx)

    created_d = ctx.dates(created)
    codes = deal_codes(created_d.astype("datetime64[M]"), *numbering)

    plan = created + np.rint(ctx.standard[:4].sum() * rng.uniform(0.8, 1.5, n)).astype(np.int64)
    reason = np.full(n, "", dtype=object)
    for s, options in enumerate(LOST_REASONS):
        rows = np.flatnonzero((status == 2) & (lost_at == s))
        reason[rows] = pick_weighted(rng, options, len(rows))
    pl_names = np.array([p[1] for p in PRODUCT_LINES], dtype=object)
    names = customers["short"][customer] + pl_names[pl] + "项目"
    return {
        "n": n,
        "rep": rep,
        "customer": customer,
        "pl": pl,
        "amount": amount,
        "created": created,
        "duration": duration,
        "lost_at": lost_at,
        "enter": enter,
        "next_enter": next_enter,
        "happened": happened,
        "current": current,
        "status": status,
        "stalled": stalled,
        "quiet": quiet,
        "table": {
            "id": np.arange(1, n + 1),
            "code": codes,
            "name": names,
            "customer_id": customers["table"]["id"][customer],
            "owner_id": org["rep_id"][rep],
            "team_id": org["rep_team"][rep] + 1,
            "region_id": org["rep_region"][rep] + 1,
            "product_line_id": pl + 1,
            "amount_minor": amount,
            "source": np.array(SOURCES, dtype=object)[source],
            "created_on": created_d,
            "current_stage_id": ctx.stage_col_ids[current],
            "stage_entered_on": ctx.dates(entered),
            "status": np.array(["open", "won", "lost"], dtype=object)[status],
            "lost_stage_id": np.where(status == 2, ctx.stage_col_ids[lost_at.clip(0)], None),
            "lost_reason": reason,
            "expected_close_on": ctx.dates(plan),
            "won_on": ctx.dates(np.where(status == 1, enter[:, 5], NOT_YET)),
            "lost_on": ctx.dates(np.where(status == 2, enter[:, 6], NOT_YET)),
            "version": np.ones(n, dtype=np.int64),
        },
    }


def deal_codes(months: np.ndarray, first: int = 0, every: np.ndarray | None = None) -> list[str]:
    """Codes XS + yyyymm + sequence within the month of deals created in sorted ``months``;
    a chunk of a streamed generation gives its first row's index in ``every`` month."""
    every = months if every is None else every
    seq = first + np.arange(len(months)) - np.searchsorted(every, months, "left") + 1
    yyyymm = np.char.replace(months.astype(str), "-", "")
    return [f"XS{ym}{s:03d}" for ym, s in zip(yyyymm.tolist(), seq.tolist(), strict=True)]


def stage_history(ctx: DemoContext, opps: dict[str, Any]) -> dict[str, Any]:
    """One row per stay in a stage (the terminal "lost" stage is an outcome, not a stay)."""
    opp, col = np.nonzero(opps["happened"][:, :6])  # row-major: by opportunity, then stage
    left = opps["next_enter"][opp, col]
    left = np.where(left <= ctx.today_idx, left, NOT_YET)
    return {
        "id": np.arange(1, len(opp) + 1),
        "opportunity_id": opp + 1,
        "stage_id": ctx.stage_col_ids[col],
        "entered_on": ctx.dates(opps["enter"][opp, col]),
        "left_on": ctx.dates(left),
    }


def key_actions(ctx: DemoContext, opps: dict[str, Any]) -> dict[str, Any]:
    """Planned steps of every stage reached; done dates follow the stage's real pace."""
    rng = ctx.rng(5)
    k = ctx.spec.actions_per_stage
    happened = opps["happened"][:, :6]
    if ctx.spec.key_action_months is not None:  # only recent deals have key actions
        happened = happened & (opps["created"] >= ctx.key_action_from)[:, None]
    per_stage = np.array([min(k, len(s.key_actions_zh)) for s in ctx.stages])
    opp, col = np.nonzero(happened)
    n_act = per_stage[col]
    slot = np.repeat(np.arange(k), len(opp))
    opp = np.tile(opp, k)
    col = np.tile(col, k)
    n_act = np.tile(n_act, k)
    keep = slot < n_act
    opp, col, i, n_act = opp[keep], col[keep], slot[keep], n_act[keep]
    order = np.lexsort((i, col, opp))
    opp, col, i, n_act = opp[order], col[order], i[order], n_act[order]
    n = len(opp)
    enter = opps["enter"][opp, col]
    dur = opps["duration"][opp, col]
    frac = (i + 1) / n_act
    planned = enter + np.maximum(1, np.rint(ctx.standard[col] * frac)).astype(np.int64)
    progress = enter + np.maximum(1, np.rint(dur * frac)).astype(np.int64)
    progress = np.clip(progress - rng.choice(3, n, p=[0.6, 0.3, 0.1]), enter, enter + dur)
    dropped = (opps["lost_at"][opp] == col) & (i == n_act - 1)  # lost before finishing
    # Nothing gets done on a deal after it went quiet.
    done = np.where((progress <= opps["quiet"][opp]) & ~dropped, progress, NOT_YET)
    late = np.where(done < NOT_YET, done > planned, planned <= ctx.today_idx)
    flag = np.where(
        late, pick_weighted(rng, DELAY_FLAGS, n), np.where(rng.random(n) < 0.03, "竞品威胁", "")
    )
    feedback = np.where(
        late,
        np.array(PROBLEM_FEEDBACK, dtype=object)[rng.integers(0, len(PROBLEM_FEEDBACK), n)],
        np.where(done < NOT_YET, pick_weighted(rng, GOOD_FEEDBACK, n), ""),
    )
    action_names = [s.key_actions_zh for s in ctx.stages]
    texts = np.array(
        [names[-p + j] for names, p in zip(action_names, per_stage, strict=True) for j in range(k)],
        dtype=object,
    )
    text = texts[col * k + i]
    deliverables = np.array([s.deliverable_zh for s in ctx.stages], dtype=object)
    return {
        "opp": opp,
        "col": col,
        "done": done,
        "planned": planned,
        "text": text,
        "flag": flag,
        "table": {
            "id": np.arange(1, n + 1),
            "opportunity_id": opp + 1,
            "stage_id": ctx.stage_col_ids[col],
            "owner_id": opps["table"]["owner_id"][opp],
            "action": text,
            "planned_on": ctx.dates(planned),
            "done_on": ctx.dates(done),
            "deliverable": np.where((done < NOT_YET) & (i == n_act - 1), deliverables[col], ""),
            "customer_feedback": feedback,
            "risk_flag": flag,
            # The deal's owner and team, as the triggers would copy them (migration 0029).
            "deal_owner_id": opps["table"]["owner_id"][opp],
            "deal_team_id": opps["table"]["team_id"][opp],
        },
    }


def finish_opportunities(
    ctx: DemoContext, opps: dict[str, Any], actions: dict[str, Any], visits: dict[str, Any]
) -> None:
    """Last activity, risk flag, next step and update stamp from the deal's activity."""
    rng = ctx.rng(7)
    n, status, current = opps["n"], opps["status"], opps["current"]
    entered = opps["enter"][np.arange(n), current]
    last = entered.copy()
    done = actions["done"] < NOT_YET
    np.maximum.at(last, actions["opp"][done], actions["done"][done])
    with_opp = visits["_opp"] >= 0
    np.maximum.at(last, visits["_opp"][with_opp], visits["_day"][with_opp])
    # Calls and mails keep most open deals warm; stalled ones go quiet.
    is_open = status == 0
    warm = is_open & (opps["quiet"] == ctx.today_idx) & (rng.random(n) < 0.6)
    last = np.where(warm, np.maximum(last, ctx.today_idx - rng.geometric(0.4, n) + 1), last)
    last = np.minimum(last, ctx.today_idx)
    table = opps["table"]
    table["last_activity_on"] = ctx.dates(last)
    # The current stage's first unfinished action is the next step (and carries its flag).
    a_opp, a_col = actions["opp"], actions["col"]
    pending = np.flatnonzero((~done) & is_open[a_opp] & (a_col == current[a_opp]))
    first_opp, first_row = np.unique(a_opp[pending], return_index=True)
    rows = pending[first_row]
    next_step = np.full(n, "", dtype=object)
    risk = np.full(n, "", dtype=object)
    next_step[first_opp] = actions["text"][rows]
    overdue = actions["planned"][rows] <= ctx.today_idx
    risk[first_opp[overdue]] = actions["flag"][rows[overdue]]
    table["next_step"] = next_step
    table["risk_flag"] = risk
    # What the key-action triggers keep on the deal (migration 0025), written with it: the
    # bulk load's check then finds nothing to correct (else an UPDATE of 899k deals at 10M).
    undone = np.flatnonzero((~done) & (a_col == current[a_opp]))
    first_planned = np.full(n, NOT_YET, dtype=np.int64)
    np.minimum.at(first_planned, a_opp[undone], actions["planned"][undone])
    table["next_action_on"] = ctx.dates(first_planned)
    stamps = ctx.dates(last).astype("datetime64[s]") + np.timedelta64(10, "h")
    table["updated_at"] = [d.replace(tzinfo=UTC) for d in stamps.tolist()]
