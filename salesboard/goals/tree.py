"""The goal tree as plain frames (no database): display order, roll-up of actuals to every
node, attainment against the time elapsed, and the decomposition check.

A node's dimensions are ``product_line_id, region_id, team_id, user_id``; an empty one means
"all". A node's actual is everything that matches its set dimensions, so a team's actual
includes the deals of a rep who has no goal of their own: it is not the sum of its children.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from salesboard import metrics
from salesboard.figures.attainment import pace_reference
from salesboard.figures.facts import (  # AVERAGE_METRICS: part of the tree's vocabulary
    AVERAGE_METRICS,  # noqa: F401
    DIMENSIONS,
    METRIC_DIMENSIONS,
    actual_value,
)
from salesboard.figures.goal_nodes import owns_goal
from salesboard.store.models import LOWER_IS_BETTER_METRICS, GoalScope

# Depth of each scope in the decomposition company → product line → region → team → rep.
SCOPE_ORDER = {
    GoalScope.COMPANY: 0,
    GoalScope.PRODUCT_LINE: 1,
    GoalScope.REGION: 2,
    GoalScope.TEAM: 3,
    GoalScope.REP: 4,
}
# The dimension a scope adds to its parent's.
SCOPE_DIMENSION = {
    GoalScope.PRODUCT_LINE: "product_line_id",
    GoalScope.REGION: "region_id",
    GoalScope.TEAM: "team_id",
    GoalScope.REP: "user_id",
}
# Children may differ from their parent by less than this (minor units or counts) and still
# count as adding up: targets are exact decimals, this only absorbs float noise.
TOLERANCE = 0.01
# Id of the node added above several roots so the tree has one top.
VIRTUAL_ROOT = 0
FINDING_KINDS = ("over_allocated", "under_allocated", "no_owner")


def is_lower_better(metric: str) -> bool:
    """True for metrics where less is better (cycle days)."""
    return metric in LOWER_IS_BETTER_METRICS


def order_tree(goals: pd.DataFrame, *, root_target_label: str = "") -> pd.DataFrame:
    """Goals in display order (parents first, siblings by target, largest first) with
    ``depth`` (0 at the top), ``path`` (ids from the top) and ``child_count``.

    Several roots get a virtual top node (id ``VIRTUAL_ROOT``, scope "all", target = their
    sum) so the tree has one top. Nodes caught in a parent cycle (only possible in data that
    bypassed validation) become roots rather than disappearing.
    """
    frame = goals.reset_index(drop=True).copy()
    frame["target"] = frame["target"].astype("float64")
    ids = frame["id"].astype("int64").tolist()
    known = set(ids)
    parents = [
        None if _missing(p) or int(p) not in known else int(p) for p in frame["parent_id"].tolist()
    ]
    children: dict[int | None, list[int]] = {}
    target = dict(zip(ids, frame["target"].tolist(), strict=True))
    for node, parent in zip(ids, parents, strict=True):
        children.setdefault(parent, []).append(node)
    for kids in children.values():
        kids.sort(key=lambda n: (-target[n], n))
    order: list[int] = []
    depth: dict[int, int] = {}
    path: dict[int, tuple[int, ...]] = {}
    seen: set[int] = set()

    def walk(roots: Iterable[int], base: tuple[int, ...]) -> None:
        stack = [(r, base) for r in reversed(list(roots))]
        while stack:
            node, above = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            order.append(node)
            path[node] = (*above, node)
            depth[node] = len(above)
            stack.extend((c, path[node]) for c in reversed(children.get(node, [])))

    roots = list(children.get(None, []))
    walk(roots, ())
    stranded = sorted(known - seen)
    for node in stranded:  # a cycle: cut it at its smallest id
        roots.append(node)
        walk([node], ())
    frame["parent_id"] = pd.array(parents, dtype="Int64")
    for node in stranded:
        frame.loc[frame["id"] == node, "parent_id"] = pd.NA
    if len(roots) > 1:
        top = dict.fromkeys(frame.columns)
        top.update(
            id=VIRTUAL_ROOT,
            scope="all",
            target=float(sum(target[r] for r in roots)),
            period=frame["period"].iloc[0],
            period_start=frame["period_start"].iloc[0],
            period_end=frame["period_end"].iloc[0],
            metric=frame["metric"].iloc[0],
        )
        frame.loc[frame["id"].isin(roots), "parent_id"] = VIRTUAL_ROOT
        frame = pd.concat([pd.DataFrame([top]), frame], ignore_index=True)
        order.insert(0, VIRTUAL_ROOT)
        path = {n: (VIRTUAL_ROOT, *p) for n, p in path.items()}
        path[VIRTUAL_ROOT] = (VIRTUAL_ROOT,)
        depth = {n: d + 1 for n, d in depth.items()}
        depth[VIRTUAL_ROOT] = 0
    frame = frame.set_index("id", drop=False).loc[order].reset_index(drop=True)
    frame["parent_id"] = frame["parent_id"].astype("Int64")
    frame["depth"] = [depth[n] for n in order]
    frame["path"] = [path[n] for n in order]
    counts = frame["parent_id"].value_counts()
    frame["child_count"] = frame["id"].map(counts).fillna(0).astype("int64")
    frame["virtual"] = frame["id"] == VIRTUAL_ROOT
    return frame


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def rollup_facts(nodes: pd.DataFrame, facts: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Each node's ``actual_sum`` and ``actual_count``: the facts matching its set dimensions.

    ``facts`` holds events already grouped by ``product_line_id, region_id, team_id,
    user_id`` with ``value_sum`` and ``value_count`` (empty dimension = unknown). Dimensions a
    metric's events do not carry (``METRIC_DIMENSIONS``) are ignored on the node. The facts
    are summed once per pattern of set dimensions (at most 16), never once per node; both
    sides are small (hundreds of rows), so plain dictionaries beat pandas joins here.
    """
    usable = [d in METRIC_DIMENSIONS.get(metric, DIMENSIONS) for d in DIMENSIONS]
    fact_dims = [[None if _missing(v) else int(v) for v in facts[d].tolist()] for d in DIMENSIONS]
    fact_rows = list(
        zip(*fact_dims, facts["value_sum"].astype("float64").tolist(),
            facts["value_count"].astype("float64").tolist(), strict=True)
    )  # fmt: skip
    node_dims = [[None if _missing(v) else int(v) for v in nodes[d].tolist()] for d in DIMENSIONS]
    sums: dict[tuple[bool, ...], dict[tuple[int, ...], list[float]]] = {}
    actual_sum, actual_count = [], []
    for values in zip(*node_dims, strict=True):
        pattern = tuple(v is not None and ok for v, ok in zip(values, usable, strict=True))
        if pattern not in sums:
            totals: dict[tuple[int, ...], list[float]] = {}
            for row in fact_rows:
                key = tuple(row[i] for i in range(len(DIMENSIONS)) if pattern[i])
                if None in key:
                    continue
                total = totals.setdefault(key, [0.0, 0.0])
                total[0] += row[-2]
                total[1] += row[-1]
            sums[pattern] = totals
        key = tuple(values[i] for i in range(len(DIMENSIONS)) if pattern[i])
        found = sums[pattern].get(key, (0.0, 0.0))
        actual_sum.append(found[0])
        actual_count.append(found[1])
    return pd.DataFrame(
        {"actual_sum": actual_sum, "actual_count": actual_count},
        index=nodes.index,
        dtype="float64",
    )


def attainment_table(nodes: pd.DataFrame, metric: str, elapsed: float) -> pd.DataFrame:
    """``nodes`` (with ``actual_sum``, ``actual_count`` and ``context``) plus ``actual``,
    ``attainment`` (ratio; lower-is-better inverted), ``gap`` (still to go: target − actual,
    or actual − target when lower is better; negative = beyond target), ``share_of_parent``
    (target / parent's target), ``elapsed``, ``vs_pace`` (attainment − pace reference, in
    percentage points) and ``pace`` ("ahead" / "on_track" / "behind" / "unknown").

    Context nodes (shown to a viewer for orientation only) keep their target but no actual.
    """
    out = nodes.copy()
    lower = is_lower_better(metric)
    context = out["context"] if "context" in out else pd.Series(False, index=out.index)
    actual = [
        None if ctx else actual_value(s, c, metric)
        for s, c, ctx in zip(out["actual_sum"], out["actual_count"], context, strict=True)
    ]
    out["actual"] = pd.array(actual, dtype="Float64").astype("float64")
    reference = pace_reference(metric, elapsed)
    ratios = [
        metrics.attainment(None if _missing(a) else a, t, lower_is_better=lower)
        for a, t in zip(out["actual"], out["target"], strict=True)
    ]
    out["attainment"] = pd.array(ratios, dtype="Float64").astype("float64")
    out["gap"] = (out["actual"] - out["target"]) if lower else (out["target"] - out["actual"])
    parent_target = out["parent_id"].map(out.set_index("id")["target"])
    with np.errstate(divide="ignore", invalid="ignore"):
        share = out["target"] / parent_target.astype("float64")
    out["share_of_parent"] = share.where(parent_target.notna() & (parent_target != 0))
    out["elapsed"] = elapsed
    out["vs_pace"] = (out["attainment"] - reference) * 100.0
    out["pace"] = [metrics.pace(None if _missing(a) else a, reference) for a in out["attainment"]]
    return out


def children_targets(nodes: pd.DataFrame) -> pd.DataFrame:
    """Per node id: ``children_target`` (sum of its children's targets) and ``children``."""
    kids = nodes[nodes["parent_id"].notna()]
    sums = kids.groupby("parent_id")["target"].agg(["sum", "size"])
    sums.index = sums.index.astype("int64")
    return sums.rename(columns={"sum": "children_target", "size": "children"})


def decomposition_findings(nodes: pd.DataFrame, tolerance: float = TOLERANCE) -> pd.DataFrame:
    """Nodes whose children's targets do not add up to their own, and nodes with no owner.

    Columns: ``id, kind`` ("over_allocated": children add up to more than the node;
    "under_allocated": to less; "no_owner"), ``target, children_target, difference``
    (children − target, so positive = over-allocated) and ``children``. Context nodes
    (whose children a viewer may not all see) and the virtual top are not checked.
    """
    checked = nodes[~nodes.get("virtual", False) & ~nodes.get("context", False)]
    sums = children_targets(nodes)
    with_kids = checked.join(sums, on="id", how="inner")
    difference = with_kids["children_target"] - with_kids["target"]
    off = with_kids[difference.abs() > tolerance]
    allocation = pd.DataFrame(
        {
            "id": off["id"].astype("int64"),
            "kind": np.where(
                off["children_target"] > off["target"], "over_allocated", "under_allocated"
            ),
            "target": off["target"],
            "children_target": off["children_target"],
            "difference": off["children_target"] - off["target"],
            "children": off["children"].astype("int64"),
        }
    )
    orphans = checked[checked["owner_id"].isna()]
    no_owner = pd.DataFrame(
        {
            "id": orphans["id"].astype("int64"),
            "kind": "no_owner",
            "target": orphans["target"],
            "children_target": np.nan,
            "difference": np.nan,
            "children": orphans["child_count"].astype("int64") if "child_count" in orphans else 0,
        }
    )
    parts = [p for p in (allocation, no_owner) if not p.empty]
    if not parts:
        return pd.DataFrame(
            {
                "id": pd.Series(dtype="int64"),
                "kind": pd.Series(dtype="object"),
                "target": pd.Series(dtype="float64"),
                "children_target": pd.Series(dtype="float64"),
                "difference": pd.Series(dtype="float64"),
                "children": pd.Series(dtype="int64"),
            }
        )
    return pd.concat(parts, ignore_index=True)


def subtree(nodes: pd.DataFrame, node_id: int, depth: int | None = None) -> pd.DataFrame:
    """``node_id`` and its descendants (at most ``depth`` levels below it), in tree order."""
    inside = nodes["path"].map(lambda p: node_id in p)
    part = nodes[inside]
    if depth is not None and not part.empty:
        top = int(part.loc[part["id"] == node_id, "depth"].iloc[0])
        part = part[part["depth"] <= top + depth]
    return part


def ancestors(nodes: pd.DataFrame, node_id: int) -> list[int]:
    """Ids from the top down to ``node_id`` (inclusive); [] when it is not in the tree."""
    row = nodes.loc[nodes["id"] == node_id, "path"]
    return list(row.iloc[0]) if len(row) else []


def children_of(nodes: pd.DataFrame, node_id: int) -> pd.DataFrame:
    """The direct children of ``node_id`` in display order."""
    return nodes[nodes["parent_id"] == node_id]


def restrict_to_viewer(goals: pd.DataFrame, viewer) -> pd.DataFrame:
    """The goals ``viewer`` may see, with ``context`` = True on those shown only for
    orientation (their target, not their actual).

    Leaders and admins see every goal. A manager sees the goals of the teams they lead (team
    nodes and their reps) in full, and the targets of the goals above them. A rep sees their
    own goals in full and the targets above them, never a colleague's goal.
    """

    if viewer.sees_everything:
        return goals.assign(context=False)
    own = owns_goal(goals, viewer)
    parent = dict(
        zip(
            goals["id"].astype("int64"),
            [None if _missing(p) else int(p) for p in goals["parent_id"]],
            strict=True,
        )
    )
    keep: set[int] = set(goals.loc[own, "id"].astype("int64"))
    context: set[int] = set()
    for node in list(keep):
        above = parent.get(node)
        while above is not None and above not in keep and above not in context:
            context.add(above)
            above = parent.get(above)
    shown = goals[goals["id"].isin(keep | context)].copy()
    shown["context"] = shown["id"].isin(context)
    return shown
