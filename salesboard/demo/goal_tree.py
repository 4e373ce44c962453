"""Demo goals: revenue and new-customer targets per month, quarter and year, decomposed
company → product line → region → team → rep, summed bottom-up so every level adds up,
except the one ``MISALIGNED_GOAL``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np

from salesboard.demo.context import DemoContext, add_months, quarter_label
from salesboard.demo.sizes import MISALIGNED_GOAL, WAN_YUAN
from salesboard.demo.vocabulary import PRODUCT_LINES, REGIONS
from salesboard.store import models as m


def goals(ctx: DemoContext, org: dict[str, Any], opps: dict[str, Any]) -> dict[str, Any]:
    """Revenue and new-customer goals per month, quarter and year, decomposed down to
    reps and summed bottom-up, except ``MISALIGNED_GOAL``; targets follow what was sold
    (won deals by signing day, new customers by their first won deal)."""
    rng = ctx.rng(9)
    months = []
    d = ctx.goal_start
    while d <= ctx.goal_end:
        months.append(d)
        d = add_months(d, 1)
    n_months = len(months)
    first_key = ctx.goal_start.year * 12 + ctx.goal_start.month - 1
    complete = np.array([add_months(d, 1) <= ctx.today for d in months])
    n_reps = len(org["rep_id"])

    def month_index(days: np.ndarray) -> np.ndarray:
        ym = days.astype("datetime64[M]").astype(np.int64) + 1970 * 12
        return ym - first_key

    # Actual revenue per rep, product line and month (won deals by won date).
    revenue = np.zeros((n_reps, 3, n_months), dtype=np.int64)
    won = np.flatnonzero(opps["status"] == 1)
    mi = month_index(ctx.dates(opps["enter"][won, 5]))  # won = signed, entering delivery
    ok = (mi >= 0) & (mi < n_months)
    np.add.at(revenue, (opps["rep"][won][ok], opps["pl"][won][ok], mi[ok]), opps["amount"][won][ok])
    # New customers per rep and month: each customer's first won deal (not the day the
    # customer row was created), credited to that deal's rep.
    new = np.zeros((n_reps, n_months), dtype=np.int64)
    signed = opps["enter"][won, 5]
    first = np.lexsort((won, signed, opps["customer"][won]))  # by customer, then day, id
    buyer = opps["customer"][won][first]
    firsts = won[first][np.r_[True, buyer[1:] != buyer[:-1]]]
    mi = month_index(ctx.dates(opps["enter"][firsts, 5]))
    ok = (mi >= 0) & (mi < n_months)
    np.add.at(new, (opps["rep"][firsts][ok], mi[ok]), 1)

    plan_rev = _company_plan(rng, revenue.sum(axis=(0, 1)).astype(float), complete)
    plan_new = _company_plan(rng, new.sum(axis=0).astype(float), complete)
    # Shares blend what each rep sold with their expected capacity.
    pl_value = np.array([p[3] * p[4] for p in PRODUCT_LINES])
    expected = org["capacity"][:, None] * org["win"][:, None] * pl_value[None, :]
    sold = revenue[:, :, complete].sum(axis=2).astype(float)
    share = 0.6 * sold / max(sold.sum(), 1) + 0.4 * expected / expected.sum()
    leaf_rev = np.maximum(1, np.rint(plan_rev[None, None, :] * share[:, :, None] / WAN_YUAN))
    leaf_rev = leaf_rev.astype(np.int64) * WAN_YUAN
    new_share = 0.5 * new.sum(axis=1) / max(new.sum(), 1) + 0.5 / n_reps
    leaf_new = np.stack([_largest_remainder(int(round(t)), new_share) for t in plan_new], axis=1)

    periods = [
        (f"{d:%Y-%m}", d, add_months(d, 1) - timedelta(days=1), [j]) for j, d in enumerate(months)
    ]
    for j in range(0, n_months, 3):
        q = months[j]
        periods.append(
            (quarter_label(q), q, add_months(q, 3) - timedelta(days=1), list(range(j, j + 3)))
        )
    for year in sorted({d.year for d in months}):
        idx = [j for j, d in enumerate(months) if d.year == year]
        if len(idx) == 12:
            periods.append((str(year), date(year, 1, 1), date(year, 12, 31), idx))
    return _GoalTree(org, ctx.today).build(periods, leaf_rev, leaf_new)


def _company_plan(rng: np.random.Generator, actual: np.ndarray, complete: np.ndarray) -> np.ndarray:
    """Company target per month: a stretch over the smoothed actuals for past months,
    the recent run rate with growth for the current and future months."""
    plan = np.zeros(len(actual))
    done = np.flatnonzero(complete)
    if len(done):
        smooth = np.convolve(actual[done], np.ones(3), "same") / np.convolve(
            np.ones(len(done)), np.ones(3), "same"
        )
        plan[done] = smooth * rng.uniform(0.95, 1.3, len(done))
        run = actual[done[-3:]].mean()
    else:
        run = actual.mean()
    ahead = np.flatnonzero(~complete)
    plan[ahead] = run * 1.02 ** np.arange(1, len(ahead) + 1) * rng.uniform(1.0, 1.15, len(ahead))
    return plan


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split the integer ``total`` proportionally to ``weights`` so the parts add up exactly."""
    raw = total * weights / weights.sum()
    parts = np.floor(raw).astype(np.int64)
    short = total - int(parts.sum())
    parts[np.argsort(-(raw - parts), kind="stable")[:short]] += 1
    return parts


def _sum_by(groups: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Exact integer sums of ``values`` per group index."""
    sums = np.zeros(size, dtype=np.int64)
    np.add.at(sums, groups, values)
    return sums


class _GoalTree:
    """Goal rows (parents before children) for every period; targets summed bottom-up."""

    COLUMNS = (
        "id", "period", "period_start", "period_end", "metric", "scope", "parent_id",
        "product_line_id", "region_id", "team_id", "user_id", "owner_id", "target",
    )  # fmt: skip

    def __init__(self, org: dict[str, Any], today: date) -> None:
        self.org = org
        self.current_quarter = quarter_label(today)
        self.rows: dict[str, Any] = {k: [] for k in self.COLUMNS}
        self.period: tuple = ()
        self.metric = ""
        self.misaligned_id = 0
        leaders = org["leaders"]
        self.company_owner = leaders[0]
        self.pl_owner = [leaders[p % len(leaders)] for p in range(len(PRODUCT_LINES))]
        # Each region's goals are owned by the manager of its first team.
        first_team = [np.flatnonzero(org["team_region"] == r)[0] for r in range(len(REGIONS))]
        self.region_owner = [int(org["team_manager"][t]) for t in first_team]

    def node(self, scope: str, parent: int | None, target: int, owner: int, **ids: int) -> int:
        """Add one goal of the current period and metric; returns its id."""
        label, start, end, _ = self.period
        goal_id = len(self.rows["id"]) + 1
        row = dict.fromkeys(self.COLUMNS)
        row.update(ids, id=goal_id, period=label, period_start=start, period_end=end)
        row.update(metric=self.metric, scope=scope, parent_id=parent, owner_id=owner)
        row["target"] = int(target)
        for key, value in row.items():
            self.rows[key].append(value)
        return goal_id

    def build(self, periods: list[tuple], leaf_rev: np.ndarray, leaf_new: np.ndarray) -> dict:
        """Goal rows of both metrics for ``periods`` (label, start, end, month indices) from
        the rep targets per month (``leaf_rev``: rep x product line x month)."""
        for period in periods:
            self.period = period
            self.revenue(leaf_rev[:, :, period[3]].sum(axis=2))
            self.new_customers(leaf_new[:, period[3]].sum(axis=1))
        self.rows["_misaligned_id"] = self.misaligned_id
        return self.rows

    def revenue(self, rep_pl: np.ndarray) -> None:
        """company -> product line -> region -> team -> rep; ``rep_pl`` is rep x product line."""
        org, self.metric = self.org, m.GoalMetric.REVENUE
        bad_pl = [p[0] for p in PRODUCT_LINES].index(MISALIGNED_GOAL.product_line_code)
        bad_region = [r[0] for r in REGIONS].index(MISALIGNED_GOAL.region_code)
        team = [
            np.bincount(org["rep_team"], rep_pl[:, p], len(org["team_region"])) for p in range(3)
        ]
        region = np.array([np.bincount(org["team_region"], t, 3) for t in team]).astype(np.int64)
        misaligned = self.period[0] == self.current_quarter
        if misaligned:
            inflated = int(region[bad_pl, bad_region] * (1 + MISALIGNED_GOAL.excess))
            region[bad_pl, bad_region] = -(-inflated // WAN_YUAN) * WAN_YUAN
        company = self.node(m.GoalScope.COMPANY, None, region.sum(), self.company_owner)
        for p in range(3):
            pl = self.node(
                m.GoalScope.PRODUCT_LINE, company, region[p].sum(), self.pl_owner[p],
                product_line_id=p + 1,
            )  # fmt: skip
            for r in range(3):
                goal = self.node(
                    m.GoalScope.REGION, pl, region[p, r], self.region_owner[r],
                    product_line_id=p + 1, region_id=r + 1,
                )  # fmt: skip
                if misaligned and (p, r) == (bad_pl, bad_region):
                    self.misaligned_id = goal
                self.teams_and_reps(goal, r, rep_pl[:, p], product_line_id=p + 1)

    def new_customers(self, rep_counts: np.ndarray) -> None:
        """company -> region -> team -> rep (new customers are not split by product line)."""
        org, self.metric = self.org, m.GoalMetric.NEW_CUSTOMERS
        region = _sum_by(org["rep_region"], rep_counts, 3)
        company = self.node(m.GoalScope.COMPANY, None, region.sum(), self.company_owner)
        for r in range(3):
            goal = self.node(
                m.GoalScope.REGION, company, region[r], self.region_owner[r], region_id=r + 1
            )
            self.teams_and_reps(goal, r, rep_counts)

    def teams_and_reps(self, parent: int, region: int, rep_targets: np.ndarray, **ids: int) -> None:
        """Under ``parent``: a goal per team of ``region`` and under it one per rep."""
        org = self.org
        for t in np.flatnonzero(org["team_region"] == region).tolist():
            reps = np.flatnonzero(org["rep_team"] == t)
            where = {**ids, "region_id": region + 1, "team_id": t + 1}
            manager = int(org["team_manager"][t])
            team = self.node(m.GoalScope.TEAM, parent, rep_targets[reps].sum(), manager, **where)
            for r in reps.tolist():
                user = int(org["rep_id"][r])
                self.node(m.GoalScope.REP, team, rep_targets[r], user, user_id=user, **where)
