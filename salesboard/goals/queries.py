"""Loading goals, names and one node's actuals: a few grouped SQL queries per tree, never
one per node.

Actuals come from ``figures.facts`` (what each metric counts, grouped once by the goal
dimensions and narrowed to the viewer); ``tree.rollup_facts`` then gives every node its
share in pandas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.calendar.workdays import WorkCalendar
from salesboard.figures.facts import actual_value, metric_facts
from salesboard.store.models import ProductLine, Region
from salesboard.store.tables import TEAM, USER


@dataclass(frozen=True)
class Names:
    """Display names by id: product lines and regions in both languages, teams, users."""

    product_lines: dict[int, tuple[str, str]]
    regions: dict[int, tuple[str, str]]
    teams: dict[int, str]
    users: dict[int, str]
    usernames: dict[int, str]


def load_names(session: Session) -> Names:
    """Every product line, region, team and user name (small reference tables)."""
    product_lines = {
        r.id: (r.name_zh, r.name_en)
        for r in session.execute(select(ProductLine.id, ProductLine.name_zh, ProductLine.name_en))
    }
    regions = {
        r.id: (r.name_zh, r.name_en)
        for r in session.execute(select(Region.id, Region.name_zh, Region.name_en))
    }
    teams = dict(session.execute(select(TEAM.c.id, TEAM.c.name)).all())
    users = session.execute(select(USER.c.id, USER.c.display_name, USER.c.username)).all()
    return Names(
        product_lines=product_lines,
        regions=regions,
        teams=teams,
        users={u.id: u.display_name for u in users},
        usernames={u.id: u.username for u in users},
    )


def node_actual(
    session: Session,
    viewer: Viewer,
    metric: str,
    dims: dict[str, int | None],
    ranges: Sequence[tuple[date, date]],
    calendar: WorkCalendar,
    effective_visits: bool = False,
) -> list[float | None]:
    """The actual of a node with ``dims`` over each date range (ranges may overlap): one
    query summing the node's events per day, then each range adds up its days."""
    if not ranges:
        return []
    daily = metric_facts(
        session, viewer, metric, min(s for s, _ in ranges), max(e for _, e in ranges),
        calendar, effective_visits=effective_visits, dims=dims, by_day=True,
    )  # fmt: skip
    out = []
    for start, end in ranges:
        inside = daily[(daily["day"] >= start) & (daily["day"] <= end)] if len(daily) else daily
        out.append(
            actual_value(
                float(inside["value_sum"].sum()), float(inside["value_count"].sum()), metric
            )
        )
    return out
