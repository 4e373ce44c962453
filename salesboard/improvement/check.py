"""Did an action work: its target metric for the pilot teams and for the rest of the teams
the viewer may see, over the before and after windows (``did.windows``), compared by
difference-in-differences (``did``). The rest are the visible teams that are not pilots: a
leader compares with the whole company, a manager with their other teams (often none: then
the verdict says there is no comparison group rather than comparing with teams they may not
see)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.improvement.actions import action_for
from salesboard.improvement.did import Cell, Comparison, Windows, verdict, windows
from salesboard.improvement.targets import METRICS, minus, read_metric
from salesboard.store.tables import TEAM


@dataclass(frozen=True)
class Check:
    """The check of one action: the windows, the four cells, the verdict code and the
    metric's unit and direction; ``windows`` None (not started), ``comparison`` None (no
    target metric or no pilots) leave nothing to compare."""

    metric: str
    unit: str
    lower_is_better: bool
    windows: Windows | None
    comparison: Comparison | None
    verdict: str
    pilot_teams: tuple[int, ...]
    rest_teams: tuple[int, ...]


def visible_teams(session: Session, viewer: Viewer) -> tuple[int, ...]:
    """The teams whose figures ``viewer`` may read."""
    if viewer.sees_everything:
        return tuple(session.execute(select(TEAM.c.id).order_by(TEAM.c.id)).scalars())
    return tuple(viewer.team_ids)


def compare(
    session: Session,
    viewer: Viewer,
    metric: str,
    pilots: tuple[int, ...],
    rest: tuple[int, ...],
    window: Windows,
    *,
    rest_is_everyone_else: bool = False,
) -> Comparison:
    """The four cells of ``metric`` for ``pilots`` and ``rest`` over ``window``. With
    ``rest_is_everyone_else`` (the rest are all other teams of the company) the rest is read
    as the company minus the pilots: the unfiltered figures are index reads, a filter on
    nearly every team is not."""

    def cells(start: date, end: date) -> tuple[Cell, Cell]:
        pilot = read_metric(session, viewer, metric, pilots, start, end)
        if rest_is_everyone_else and rest:
            others = minus(read_metric(session, viewer, metric, None, start, end), pilot)
        else:
            others = read_metric(session, viewer, metric, rest, start, end)
        return Cell(pilot.value, pilot.denominator), Cell(others.value, others.denominator)

    pilot_before, rest_before = cells(window.before_start, window.before_end)
    pilot_after, rest_after = cells(window.after_start, window.after_end)
    return Comparison(pilot_before, pilot_after, rest_before, rest_after)


def check_action(session: Session, viewer: Viewer, action_id: int, today: date) -> Check:
    """Did action ``action_id`` work, as ``viewer`` may see it, as of ``today``."""
    action = action_for(session, viewer, action_id, today)
    code = action["metric"]
    spec = METRICS.get(code)
    teams = visible_teams(session, viewer)
    pilots = tuple(t for t in action.pilots if t in teams)
    rest = tuple(t for t in teams if t not in action.pilots)
    window = windows(action["start_on"], action["due_on"], today)
    if spec is None:
        return Check(code, "", False, window, None, "no_metric", pilots, rest)
    if window is None:
        return Check(code, spec.unit, spec.lower_is_better, None, None, "not_started", pilots, rest)
    if not pilots:
        return Check(code, spec.unit, spec.lower_is_better, window, None, "no_pilots", pilots, rest)
    comparison = compare(
        session, viewer, code, pilots, rest, window, rest_is_everyone_else=viewer.sees_everything
    )
    result = verdict(comparison, spec.unit, spec.lower_is_better)
    return Check(code, spec.unit, spec.lower_is_better, window, comparison, result, pilots, rest)
