"""The goal tree of one period and metric as a viewer may see it: targets, actuals,
attainment against the time elapsed, and the decomposition findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlmodel import Session

from salesboard import metrics
from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import Period, parse_period
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.figures.facts import metric_facts
from salesboard.figures.goal_nodes import load_goals
from salesboard.goals import tree
from salesboard.goals.queries import Names, load_names
from salesboard.i18n import t
from salesboard.store.models import GoalMetric, GoalScope


@dataclass(frozen=True)
class GoalTreeView:
    """One period's goal tree for one metric, ready to show.

    ``nodes``: one row per visible goal in display order with the goal columns, ``depth``,
    ``path``, ``child_count``, ``context``, ``virtual``, ``name_zh``/``name_en``,
    ``owner_name``, ``actual_sum``/``actual_count``, ``actual``, ``attainment``, ``gap``,
    ``share_of_parent``, ``elapsed``, ``vs_pace``, ``pace``. Money in minor units.
    ``findings``: ``tree.decomposition_findings`` of the visible part.
    """

    period: Period
    metric: str
    as_of: date
    elapsed: float
    nodes: pd.DataFrame
    findings: pd.DataFrame
    effective_visits: bool = False

    @property
    def empty(self) -> bool:
        """True when the viewer sees no goal for this period and metric."""
        return self.nodes.empty

    @property
    def root_id(self) -> int | None:
        """The top node's id (``tree.VIRTUAL_ROOT`` above several roots); None if empty."""
        return None if self.nodes.empty else int(self.nodes["id"].iloc[0])

    def has(self, node_id: int | None) -> bool:
        """True if ``node_id`` is a node of this (visible) tree."""
        return node_id is not None and bool((self.nodes["id"] == node_id).any())

    def node(self, node_id: int) -> pd.Series:
        """The row of ``node_id`` (KeyError when it is not visible)."""
        rows = self.nodes[self.nodes["id"] == node_id]
        if rows.empty:
            raise KeyError(node_id)
        return rows.iloc[0]

    def name(self, node_id: int, lang: str) -> str:
        """The node's display name in ``lang``."""
        return str(self.node(node_id)[f"name_{lang}"])

    def breadcrumb(self, node_id: int) -> list[int]:
        """Ids from the top down to ``node_id``."""
        return tree.ancestors(self.nodes, node_id)

    def children(self, node_id: int) -> pd.DataFrame:
        """The direct children of ``node_id`` in display order."""
        return tree.children_of(self.nodes, node_id)

    @property
    def lower_is_better(self) -> bool:
        """True when a smaller actual is better (cycle days)."""
        return tree.is_lower_better(self.metric)


def node_names(nodes: pd.DataFrame, names: Names) -> pd.DataFrame:
    """``name_zh``, ``name_en`` and ``owner_name`` for each node from its scope and ids."""
    zh, en = [], []
    for row in nodes.itertuples(index=False):
        scope = row.scope
        if scope == GoalScope.PRODUCT_LINE:
            pair = names.product_lines.get(row.product_line_id, ("?", "?"))
        elif scope == GoalScope.REGION:
            pair = names.regions.get(row.region_id, ("?", "?"))
        elif scope == GoalScope.TEAM:
            name = names.teams.get(row.team_id, "?")
            pair = (name, name)
        elif scope == GoalScope.REP:
            name = names.users.get(row.user_id, "?")
            pair = (name, name)
        elif scope == GoalScope.COMPANY:
            pair = (t("goals.company", "zh"), t("goals.company", "en"))
        else:
            pair = (t("goals.all_goals", "zh"), t("goals.all_goals", "en"))
        zh.append(pair[0])
        en.append(pair[1])
    owners = ["" if tree._missing(o) else names.users.get(int(o), "?") for o in nodes["owner_id"]]
    return nodes.assign(name_zh=zh, name_en=en, owner_name=owners)


def build_view(
    goals: pd.DataFrame,
    facts: pd.DataFrame,
    names: Names,
    viewer: Viewer,
    period: Period,
    metric: str,
    as_of: date,
    effective_visits: bool = False,
) -> GoalTreeView:
    """Assemble the view from loaded goals and facts (pure: no database)."""
    elapsed = metrics.time_elapsed_share(period.start, period.end, as_of)
    visible = tree.restrict_to_viewer(goals, viewer)
    if visible.empty:
        nodes = visible.assign(depth=0, path=None, child_count=0, virtual=False)
        findings = tree.decomposition_findings(nodes.assign(owner_id=pd.NA))
        return GoalTreeView(period, metric, as_of, elapsed, nodes, findings, effective_visits)
    nodes = tree.order_tree(visible)
    nodes["context"] = nodes["context"].astype("boolean").fillna(False).astype(bool)
    nodes = node_names(nodes, names)
    nodes = pd.concat([nodes, tree.rollup_facts(nodes, facts, metric)], axis=1)
    nodes = tree.attainment_table(nodes, metric, elapsed)
    findings = tree.decomposition_findings(nodes)
    return GoalTreeView(period, metric, as_of, elapsed, nodes, findings, effective_visits)


def goal_tree(
    session: Session,
    viewer: Viewer,
    period_label: str,
    metric: str,
    as_of: date,
    effective_visits: bool = False,
    calendar: WorkCalendar | None = None,
) -> GoalTreeView:
    """The goal tree of ``period_label`` ("2026Q4") and ``metric`` as ``viewer`` may see it,
    with actuals through ``as_of`` (a future period has none yet).

    Three small queries for goals and names plus one or two grouped queries for the actuals,
    whatever the size of the tree.
    """
    if metric not in set(GoalMetric):
        raise ValueError(f"unknown goal metric {metric!r}; choose one of {', '.join(GoalMetric)}")
    period = parse_period(period_label)
    goals = load_goals(session, period.label, metric)
    names = load_names(session)
    end = min(period.end, as_of)
    facts = metric_facts(
        session,
        viewer,
        metric,
        period.start,
        end,
        calendar or (load_calendar(session) if metric == GoalMetric.CYCLE_DAYS else None),
        effective_visits=effective_visits,
    )
    return build_view(goals, facts, names, viewer, period, metric, as_of, effective_visits)
