"""Which KPIs the feedback form shows, and how they are judged (configurable, seed 003).

Stored as JSON in ``app_setting`` under ``feedback.metrics``; absent means the defaults
below. Each metric has a category (result / process), a direction (higher or lower is
better), a weight (%), whether it is shown, its order, and a default monthly target used
when no rep goal exists for it. ``threshold`` is the completion below which a KPI row needs
an anomaly reason before the form can be submitted.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace

from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, require
from salesboard.store.models import AppSetting

SETTING_KEY = "feedback.metrics"
CATEGORIES = ("result", "process")
DIRECTIONS = ("higher", "lower")
# How a metric is measured: money in minor units, a ratio 0–1, or a count.
KINDS = ("amount", "rate", "count")
# Process metrics should weigh at least this share of the evaluation (seed 003 §4.2).
MIN_PROCESS_SHARE = 0.40
DEFAULT_THRESHOLD = 0.90


@dataclass(frozen=True)
class FormMetric:
    """One KPI row of the form; ``weight`` in percent, ``default_target`` in the metric's
    stored unit (minor units, ratio or count); ``goal_metric`` names the ``Goal.metric``
    whose rep goals give the target."""

    code: str
    category: str
    kind: str
    direction: str = "higher"
    weight: float = 0.0
    shown: bool = True
    order: int = 0
    default_target: float | None = None
    goal_metric: str | None = None

    @property
    def lower_is_better(self) -> bool:
        """True when a smaller actual is better (e.g. cycle days)."""
        return self.direction == "lower"


# Weights are percentages of the score that add up to 100 over the shown metrics, and the
# weight a form shows is the weight it applies (``applied_weights``). The seed's example:
# sales completion 30 %, new customers 25 %, on-time collection 20 %; the other 25 % go to
# the process metrics that have a target (a metric without one, such as effective visits
# or proposals, cannot be scored and weighs 0). That is below the 40 % the seed recommends
# for process metrics, which the settings page says (``weight_warnings``).
DEFAULT_METRICS: tuple[FormMetric, ...] = (
    FormMetric("sales", "result", "amount", weight=30, order=1, goal_metric="revenue"),
    FormMetric("collection_rate", "result", "rate", weight=0, order=2, default_target=0.9),
    FormMetric("on_time_collection", "result", "rate", weight=20, order=3, default_target=0.9),
    FormMetric("new_customers", "result", "count", weight=25, order=4, goal_metric="new_customers"),
    FormMetric("visits", "process", "count", weight=10, order=5, goal_metric="visits"),
    FormMetric("effective_visits", "process", "count", weight=0, order=6),
    FormMetric("lead_conversion", "process", "rate", weight=5, order=7, default_target=0.25),
    FormMetric("proposals", "process", "count", weight=0, order=8),
    FormMetric("key_action_completion", "process", "rate", weight=10, order=9, default_target=0.9),
    FormMetric("key_action_on_time", "process", "rate", weight=0, order=10, default_target=0.9),
)
# Shown weights must add up to this (percent); a little float slack for typed decimals.
WEIGHT_TOTAL = 100.0
_WEIGHT_SLACK = 0.01
METRIC_CODES = tuple(m.code for m in DEFAULT_METRICS)


@dataclass(frozen=True)
class FormConfig:
    """The form's metrics (in display order) and the anomaly-reason threshold (ratio)."""

    metrics: tuple[FormMetric, ...]
    threshold: float = DEFAULT_THRESHOLD

    @property
    def shown(self) -> tuple[FormMetric, ...]:
        """The metrics that appear on the form, in order."""
        return tuple(m for m in self.metrics if m.shown)

    def metric(self, code: str) -> FormMetric | None:
        """The metric with ``code`` (shown or not), or None."""
        return next((m for m in self.metrics if m.code == code), None)


DEFAULT_CONFIG = FormConfig(DEFAULT_METRICS)


def process_share(metrics: tuple[FormMetric, ...]) -> float | None:
    """Share (0–1) of the shown metrics' total weight that is on process metrics; None when
    nothing is weighted."""
    shown = [m for m in metrics if m.shown]
    total = sum(m.weight for m in shown)
    if total <= 0:
        return None
    return sum(m.weight for m in shown if m.category == "process") / total


def weight_warnings(metrics: tuple[FormMetric, ...]) -> list[tuple[str, dict]]:
    """Warnings as (i18n key, values): process metrics weigh below 40 %, or nothing weighs."""
    share = process_share(metrics)
    if share is None:
        return [("feedback.config.no_weights", {})]
    if share < MIN_PROCESS_SHARE - 1e-9:
        return [("feedback.config.process_low", {"share": f"{share * 100:.1f}%"})]
    return []


def validate_config(config: FormConfig) -> list[str]:
    """Problems that make a configuration unusable (unknown codes, bad categories …)."""
    problems = []
    seen = set()
    for m in config.metrics:
        if m.code not in METRIC_CODES:
            problems.append(f"unknown metric {m.code!r}")
        if m.code in seen:
            problems.append(f"metric {m.code!r} listed twice")
        seen.add(m.code)
        if m.category not in CATEGORIES:
            problems.append(f"{m.code}: category must be one of {', '.join(CATEGORIES)}")
        if m.direction not in DIRECTIONS:
            problems.append(f"{m.code}: direction must be one of {', '.join(DIRECTIONS)}")
        if m.kind not in KINDS:
            problems.append(f"{m.code}: kind must be one of {', '.join(KINDS)}")
        if not 0 <= m.weight <= 100:
            problems.append(f"{m.code}: weight must be between 0 and 100")
    total = sum(m.weight for m in config.metrics if m.shown)
    if abs(total - WEIGHT_TOTAL) > _WEIGHT_SLACK:
        problems.append(f"the shown metrics' weights add up to {total:g} %, not 100 %")
    if not 0 < config.threshold <= 2:
        problems.append("threshold must be a ratio between 0 and 2")
    return problems


def _from_json(text: str) -> FormConfig:
    data = json.loads(text)
    defaults = {m.code: m for m in DEFAULT_METRICS}
    metrics = []
    for row in data.get("metrics", []):
        base = defaults.get(row.get("code"))
        if base is None:
            continue  # a metric this version no longer computes
        fields = {k: row[k] for k in asdict(base) if k in row and k != "code"}
        metrics.append(replace(base, **fields))
    listed = {m.code for m in metrics}
    # Metrics added in a later version appear, hidden, after the configured ones.
    metrics += [replace(m, shown=False) for m in DEFAULT_METRICS if m.code not in listed]
    metrics.sort(key=lambda m: m.order)
    return FormConfig(tuple(metrics), float(data.get("threshold", DEFAULT_THRESHOLD)))


def load_config(session: Session) -> FormConfig:
    """The company's form configuration (defaults when none was saved)."""
    row = session.get(AppSetting, SETTING_KEY)
    if row is None or not row.value:
        return DEFAULT_CONFIG
    try:
        return _from_json(row.value)
    except (ValueError, TypeError, AttributeError):
        return DEFAULT_CONFIG


def save_config(session: Session, actor: Viewer, config: FormConfig) -> None:
    """Store ``config`` (admins only); raises ValueError listing what is wrong."""
    require(actor.is_admin, "feedback.config", "only an admin changes the form's metrics")
    problems = validate_config(config)
    if problems:
        raise ValueError("; ".join(problems))
    row = session.get(AppSetting, SETTING_KEY) or AppSetting(key=SETTING_KEY)
    old = row.value
    row.value = json.dumps(
        {"threshold": config.threshold, "metrics": [asdict(m) for m in config.metrics]},
        ensure_ascii=False,
    )
    session.add(row)
    audit.record(
        session, actor, action="update", entity="setting", entity_id=SETTING_KEY,
        summary="feedback form metrics", old={"value": old}, new={"value": row.value},
    )  # fmt: skip
