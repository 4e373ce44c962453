"""Scorecard weight sets: the metrics a scorecard weighs, their default weights, and the
stored versions (editing adds a version, never rewrites one; admins and leaders, audited).

Default (seed 000: process metrics at least 40 %, e.g. key-action completion and customer
satisfaction; results 60 %, e.g. attainment and on-time collection; seed 003's form weighs
sales 30, new customers 25, on-time collection 20):

| group | metric | % |
|---|---|---|
| process | key-action completion (关键动作完成率) | 10 |
| process | on-time rate (按时完成率) | 10 |
| process | effective visits (有效拜访) | 10 |
| process | stage time vs standard (阶段用时) | 5 |
| process | customer satisfaction (客户满意度, ratings) | 5 |
| result | revenue attainment (销售额达成率) | 35 |
| result | on-time collection (回款及时率) | 15 |
| result | new-customer attainment (新客户达成率) | 10 |

Selectable result metrics, 0 % by default (issue 17, customer value — ``figures.customers``,
the function the customer pages read): repurchase rate (复购率), customer retention (客户留存率),
collection rate (回款率). A scorecard reads them only when its weights give them a share.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, require
from salesboard.store.models import Role, WeightSet

# metric code → group, in display order.
METRIC_GROUPS: dict[str, str] = {
    "key_action_completion": "process",
    "key_action_on_time": "process",
    "effective_visits": "process",
    "stage_time": "process",
    "satisfaction": "process",
    "revenue": "result",
    "on_time_collection": "result",
    "new_customers": "result",
    "repurchase_rate": "result",
    "retention": "result",
    "collection_rate": "result",
}
# Customer value metrics: selectable, not in the default weights (``figures.customers``).
CUSTOMER_METRICS = ("repurchase_rate", "retention", "collection_rate")
METRICS = tuple(METRIC_GROUPS)
DEFAULT_WEIGHTS: dict[str, float] = {
    "key_action_completion": 10, "key_action_on_time": 10, "effective_visits": 10,
    "stage_time": 5, "satisfaction": 5, "revenue": 35, "on_time_collection": 15,
    "new_customers": 10, "repurchase_rate": 0, "retention": 0, "collection_rate": 0,
}  # fmt: skip
DEFAULT_NAME = "standard"
MIN_PROCESS_PERCENT = 40.0  # seed 000: process metrics weigh at least 40 %


class WeightError(ValueError):
    """Weights refused; ``field`` names the metric (or "total") at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Weights:
    """One version of a weight set (``id`` None: the built-in default, not stored yet)."""

    id: int | None
    name: str
    version: int
    valid_from: date | None
    weights: dict[str, float]

    @property
    def process_percent(self) -> float:
        """The weight of the process metrics, in percent."""
        return process_percent(self.weights)

    @property
    def label(self) -> str:
        """ "standard v2"."""
        return f"{self.name} v{self.version}" if self.id is not None else f"{self.name} (default)"


def process_percent(weights: Mapping[str, float]) -> float:
    """Sum of the process metrics' weights (percent)."""
    return float(sum(w for m, w in weights.items() if METRIC_GROUPS.get(m) == "process"))


def validate_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """The weights cleaned (every metric, percent rounded to 0.1) or ``WeightError``: an
    unknown metric, a weight outside 0–100, or a sum other than 100."""
    clean: dict[str, float] = {}
    for metric, value in weights.items():
        if metric not in METRIC_GROUPS:
            raise WeightError(metric, f"unknown scorecard metric {metric!r}")
        number = round(float(value or 0), 1)
        if not 0 <= number <= 100:
            raise WeightError(metric, f"weight of {metric} must be 0–100 %: {value}")
        clean[metric] = number
    clean = {m: clean.get(m, 0.0) for m in METRICS}
    total = round(sum(clean.values()), 1)
    if abs(total - 100) > 0.05:
        raise WeightError("total", f"weights must add up to 100 %, not {total:g} %")
    return clean


def process_warning(weights: Mapping[str, float]) -> bool:
    """True when the process metrics weigh less than 40 % (seed 000)."""
    return process_percent(weights) < MIN_PROCESS_PERCENT - 1e-9


def _row_weights(row: WeightSet) -> Weights:
    return Weights(row.id, row.name, row.version, row.valid_from, json.loads(row.weights))


def current_weights(session: Session, on: date | None = None, name: str = DEFAULT_NAME) -> Weights:
    """The newest version of weight set ``name`` valid on ``on`` (any date when None);
    the built-in default (not stored) when there is none."""
    query = select(WeightSet).where(WeightSet.name == name)
    if on is not None:
        query = query.where(WeightSet.valid_from <= on)
    row = session.execute(query.order_by(WeightSet.version.desc()).limit(1)).scalar()
    if row is None:
        return Weights(None, name, 0, None, dict(DEFAULT_WEIGHTS))
    return _row_weights(row)


def weight_versions(session: Session, name: str = DEFAULT_NAME) -> list[Weights]:
    """Every stored version of ``name``, newest first."""
    rows = session.execute(
        select(WeightSet).where(WeightSet.name == name).order_by(WeightSet.version.desc())
    ).scalars()
    return [_row_weights(r) for r in rows]


def weights_by_id(session: Session, weight_set_id: int) -> Weights | None:
    """The stored version with this id."""
    row = session.get(WeightSet, weight_set_id)
    return None if row is None else _row_weights(row)


def may_edit_weights(viewer: Viewer) -> bool:
    """Leaders and admins set the scorecard's weights."""
    return viewer.role in (Role.LEADER, Role.ADMIN)


def save_weights(
    session: Session,
    actor: Viewer,
    weights: Mapping[str, float],
    valid_from: date,
    *,
    name: str = DEFAULT_NAME,
    note: str = "",
) -> Weights:
    """Store ``weights`` as the next version of ``name`` valid from ``valid_from`` (leaders
    and admins; validated by ``validate_weights``), audited with the previous version's."""
    require(may_edit_weights(actor), "leader_only", "only leaders and admins set weights")
    clean = validate_weights(weights)
    last = session.execute(
        select(func.max(WeightSet.version)).where(WeightSet.name == name)
    ).scalar()
    before = current_weights(session, name=name)
    row = WeightSet(
        name=name, version=(last or 0) + 1, valid_from=valid_from,
        weights=json.dumps(clean, sort_keys=True), note=note[:500], created_by=actor.user_id,
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(
        session, actor, action="create", entity="weight_set", entity_id=row.id,
        summary=f"scorecard weights {name} v{row.version} from {valid_from.isoformat()}",
        old=None if before.id is None else {"version": before.version, **before.weights},
        new={"version": row.version, **clean},
    )  # fmt: skip
    return _row_weights(row)


def stored_weights(session: Session, weights: Weights, actor: Viewer) -> Weights:
    """``weights`` as stored: the built-in default is stored as version 1 the first time a
    score uses it (a saved score always names a stored version)."""
    if weights.id is not None:
        return weights
    existing = current_weights(session, name=weights.name)
    if existing.id is not None:
        return existing
    row = WeightSet(
        name=weights.name, version=1, valid_from=date(2000, 1, 1),
        weights=json.dumps(weights.weights, sort_keys=True), note="default",
        created_by=actor.user_id,
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(
        session, actor, action="create", entity="weight_set", entity_id=row.id,
        summary=f"scorecard weights {weights.name} v1 (default)", new=weights.weights,
    )  # fmt: skip
    return _row_weights(row)
