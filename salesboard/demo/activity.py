"""Demo field activity and money: visits during each deal's life and to look after
accounts, and the collections (instalments) of won deals."""

from __future__ import annotations

from typing import Any

import numpy as np

from salesboard.demo.context import NOT_YET, DemoContext
from salesboard.demo.sizes import YUAN
from salesboard.demo.vocabulary import COMMITMENTS, VISIT_GOALS


def visits(
    ctx: DemoContext, opps: dict[str, Any], customers: dict[str, Any], org: dict[str, Any]
) -> dict[str, Any]:
    """Visits during each deal's life, plus account-care visits; top reps visit more."""
    rng = ctx.rng(6)
    rep, status, enter, dur = opps["rep"], opps["status"], opps["enter"], opps["duration"]
    end = np.where(status == 2, enter[:, 6], opps["quiet"])
    end = np.where(status == 1, np.minimum(enter[:, 5] + dur[:, 5], ctx.today_idx), end)
    reached = opps["happened"][:, :6].sum(axis=1)
    lam = ctx.spec.visits_per_opportunity * reached / 3 * org["diligence"][rep]
    per_opp = rng.poisson(lam)
    opp = np.repeat(np.arange(opps["n"]), per_opp)
    start = opps["created"][opp]
    day = start + np.floor(rng.random(len(opp)) * (end[opp] - start + 1)).astype(np.int64)
    # Account care: visits to customers without a specific deal.
    n_care = len(opp) // 10
    care_customer = rng.choice(
        customers["n"], size=n_care, p=customers["weight"] / customers["weight"].sum()
    )
    care_day = rng.integers(ctx.start_idx, ctx.today_idx + 1, n_care)
    customer = np.r_[opps["customer"][opp], care_customer]
    visit_rep = np.r_[rep[opp], customers["owner"][care_customer]]
    day = np.r_[day, care_day]
    n = len(day)
    order = np.lexsort((np.r_[opp, np.full(n_care, opps["n"])], day))
    customer, visit_rep, day = customer[order], visit_rep[order], day[order]
    opp_id = np.r_[opp + 1, np.zeros(n_care, dtype=np.int64)][order]
    win = org["win"][visit_rep]
    minutes = np.where(
        rng.random(n) < 0.07,
        rng.integers(5, 10, n),
        (np.rint(np.clip(45 * np.exp(rng.normal(0, 0.5, n)), 10, 240) / 5) * 5).astype(np.int64),
    )
    decision_maker = rng.random(n) < np.clip(0.35 + 0.3 * (win - 1), 0.1, 0.8)
    need = rng.random(n) < np.clip(0.55 + 0.25 * (win - 1), 0.2, 0.9)
    effective = decision_maker & (minutes >= 10) & need
    commitment = np.where(
        effective | (rng.random(n) < 0.2),
        np.array(COMMITMENTS, dtype=object)[rng.integers(0, len(COMMITMENTS), n)],
        "",
    )
    return {
        "id": np.arange(1, n + 1),
        "customer_id": customer + 1,
        "opportunity_id": np.where(opp_id > 0, opp_id, None),
        "rep_id": org["rep_id"][visit_rep],
        "visited_on": ctx.dates(day),
        "minutes": minutes,
        "with_decision_maker": decision_maker,
        "need_obtained": need,
        "effective": effective,
        "goal": np.array(VISIT_GOALS, dtype=object)[rng.integers(0, len(VISIT_GOALS), n)],
        "commitment": commitment,
        "_day": day,
        "_opp": opp_id - 1,
    }


def collections(
    ctx: DemoContext, opps: dict[str, Any], slow_payer: np.ndarray | None = None
) -> dict[str, Any]:
    """1–3 instalments per won deal; most paid around the due date, some late or open.
    ``slow_payer`` (per customer) keeps a streamed generation's chunks agreeing on who
    pays late; by default it is drawn here."""
    rng = ctx.rng(8)
    won = np.flatnonzero(opps["status"] == 1)
    plans = ((1.0,), (0.5, 0.5), (0.7, 0.3), (0.3, 0.6, 0.1), (0.3, 0.4, 0.3))
    plan = rng.choice(len(plans), size=len(won), p=[0.35, 0.25, 0.15, 0.15, 0.10])
    enter, dur = opps["enter"], opps["duration"]
    signed = enter[won, 5]  # the contract is signed as the deal enters delivery
    delivered = enter[won, 5] + dur[won, 5]
    if slow_payer is None:
        slow_payer = rng.random(opps["customer"].max() + 1) < 0.06
    opp_l, due_l, amt_l = [], [], []
    for p, shares in enumerate(plans):
        rows = won[plan == p]
        amount = opps["amount"][rows]
        paid = np.zeros(len(rows), dtype=np.int64)
        base = plan == p
        for j, share in enumerate(shares):
            if j == len(shares) - 1:
                part = amount - paid
            else:
                part = (amount * share // (100 * YUAN)).astype(np.int64) * 100 * YUAN
            paid += part
            due = (signed[base] + 10, delivered[base] + 10, delivered[base] + 70)[j]
            opp_l.append(rows)
            due_l.append(due)
            amt_l.append(part)
    opp = np.concatenate(opp_l)
    due = np.concatenate(due_l)
    amount = np.concatenate(amt_l)
    order = np.lexsort((due, opp))
    opp, due, amount = opp[order], due[order], amount[order]
    n = len(opp)
    delay = np.where(rng.random(n) < 0.65, -rng.integers(0, 5, n), rng.integers(1, 40, n))
    delay = np.where(slow_payer[opps["customer"][opp]], rng.integers(30, 90, n), delay)
    paid_on = due + delay
    unpaid = rng.random(n) < 0.03
    collected = (paid_on <= ctx.today_idx) & ~unpaid
    partial = collected & (rng.random(n) < 0.03)
    collected_amount = np.where(collected, np.where(partial, amount // 2, amount), 0)
    return {
        "id": np.arange(1, n + 1),
        "opportunity_id": opp + 1,
        "due_on": ctx.dates(due),
        "due_minor": amount,
        "collected_on": ctx.dates(np.where(collected, paid_on, NOT_YET)),
        "collected_minor": collected_amount,
        # The deal's owner and team, as the triggers would copy them (migration 0028).
        "owner_id": opps["table"]["owner_id"][opp],
        "team_id": opps["table"]["team_id"][opp],
    }
