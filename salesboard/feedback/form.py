"""The form's content as plain data, and the pure rules on it (no database, no Streamlit).

A form body is a dict with four sections, each a list of row dicts:

- ``kpis``: one row per configured metric — ``code, category, kind, direction, weight``,
  ``target`` and ``target_source`` (goal / default), ``prefilled`` (computed from the store),
  ``actual`` (what the rep stands by; differs from ``prefilled`` only with an
  ``override_reason``), ``prev`` / ``prev_year`` (last month's and last year's actuals, for
  MoM / YoY) and ``reason`` (anomaly reason, 异常原因说明);
- ``actions``: key actions & customer records (customer, action, date, progress, support);
- ``items``: the improvement plan (``key`` stable per row, problem, cause category
  人/货/场 = people/product/market, cause, measure, owner, due_on, checkpoint_on, status);
- ``carried``: last month's improvement items under review (``item_id``, their text, and the
  editable ``status`` and ``note``).

Values are stored in canonical units: money in minor units, rates as ratios, dates as ISO
text. The editor shows money in 万元 and rates in %, and ``apply_editor_changes`` converts
back. Every problem found is a ``Problem`` naming the section, row and field, so the page can
say exactly what is wrong; a problem never stops the rest of an edit from being kept.

The field-level differences between two bodies (amendments, the merge after a refused save)
are ``changes``'s.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from salesboard import metrics
from salesboard.feedback.config import FormConfig, FormMetric

SECTIONS = ("kpis", "actions", "items", "carried")
CAUSE_CATEGORIES = ("people", "product", "market")  # 人 / 货 / 场
ITEM_STATUSES = ("not_started", "in_progress", "done")
# One cell holds at most this many characters; a longer paste is refused (the rest kept).
MAX_TEXT = 500
MAX_ROWS = 50
MONEY_DISPLAY_DIVISOR = 1_000_000  # minor units (分) per 万元
# Two actuals closer than this (in the stored unit) are the same value.
_SAME = 1e-9

# Editable columns per section and their type: "number", "text", "date" or a choice tuple.
EDITABLE: dict[str, dict[str, Any]] = {
    "kpis": {"actual": "number", "override_reason": "text", "reason": "text"},
    "actions": {
        "customer": "text", "action": "text", "date": "date", "progress": "text",
        "support": "text",
    },
    "items": {
        "problem": "text", "cause_category": CAUSE_CATEGORIES, "cause": "text",
        "measure": "text", "owner": "text", "due_on": "date", "checkpoint_on": "date",
        "status": ITEM_STATUSES,
    },
    "carried": {"status": ITEM_STATUSES, "note": "text"},
}  # fmt: skip
# Sections whose rows the user may add and delete.
GROWABLE = frozenset({"actions", "items"})


@dataclass(frozen=True)
class Problem:
    """Something wrong with one field: ``code`` is an i18n suffix (``feedback.problem.<code>``),
    ``row`` the 1-based row number in its section (0 for the whole section)."""

    section: str
    row: int
    field: str
    code: str
    params: dict = field(default_factory=dict, hash=False, compare=False)


# --- units --------------------------------------------------------------------------------


def to_display(kind: str, value: float | int | None) -> float | None:
    """A stored value in the unit the editor shows: money in 万元, rates in %."""
    if value is None:
        return None
    if kind == "amount":
        return round(float(value) / MONEY_DISPLAY_DIVISOR, 4)
    if kind == "rate":
        return round(float(value) * 100, 4)
    return float(value)


def from_display(kind: str, value: float | None) -> float | int | None:
    """The stored value for a number typed in the editor's unit."""
    if value is None:
        return None
    if kind == "amount":
        return int(round(float(value) * MONEY_DISPLAY_DIVISOR))
    if kind == "rate":
        return float(value) / 100
    if kind == "count" and float(value).is_integer():
        return int(value)
    return float(value)


# --- parsing one typed cell ------------------------------------------------------------------


def is_blank(value: Any) -> bool:
    """True for None, NaN and blank text: a cell the user left empty."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def parse_number(value: Any) -> tuple[float | None, str | None]:
    """(number, problem code): accepts numbers and numeric text ("85", "1,200.5", "83.3%")."""
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        return None, "not_a_number"
    if isinstance(value, int | float | Decimal):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "").replace("，", "").rstrip("%％")
        if len(text) > 40:
            return None, "not_a_number"
        try:
            number = float(Decimal(text))
        except (InvalidOperation, ValueError):
            return None, "not_a_number"
    if math.isnan(number) or math.isinf(number) or abs(number) > 1e15:
        return None, "not_a_number"
    return number, None


def parse_date(value: Any) -> tuple[str | None, str | None]:
    """(ISO date text, problem code): accepts dates and "YYYY-MM-DD" (a time part is ignored)."""
    if is_blank(value):
        return None, None
    if isinstance(value, datetime):
        return value.date().isoformat(), None
    if isinstance(value, date):
        return value.isoformat(), None
    text = str(value).strip()
    if len(text) > 40:
        return None, "bad_date"
    try:
        return date.fromisoformat(text[:10]).isoformat(), None
    except ValueError:
        return None, "bad_date"


def parse_cell(spec: Any, value: Any) -> tuple[Any, str | None]:
    """Parse a typed cell by its column ``spec``; (value, problem code or None)."""
    if spec == "number":
        return parse_number(value)
    if spec == "date":
        return parse_date(value)
    if isinstance(spec, tuple):
        if is_blank(value):
            return None, None
        return (value, None) if value in spec else (None, "bad_choice")
    if is_blank(value):
        return "", None
    text = value if isinstance(value, str) else str(value)
    if len(text) > MAX_TEXT:
        return None, "too_long"
    return text, None


# --- applying the editor's changes ------------------------------------------------------------


def _row_defaults(section: str) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for name, spec in EDITABLE[section].items():
        defaults[name] = "" if spec == "text" else None
    if section == "items":
        defaults["status"] = "not_started"
    return defaults


def _apply_cell(
    section: str, row: dict, position: int, name: str, value: Any, problems: list[Problem]
) -> None:
    spec = EDITABLE[section].get(name)
    if spec is None:
        return  # a read-only column: the editor disables it, anything else is ignored
    if section == "kpis" and name == "actual":
        number, code = parse_number(value)
        if number is None and code is None:
            # An emptied actual is what a browser's number editor leaves after letters were
            # typed into it; the figure stays as it was (to undo a change, type the value).
            code = "not_a_number"
        if code:
            problems.append(Problem(section, position, name, code))
            return
        row[name] = from_display(row.get("kind", "count"), number)
        return
    parsed, code = parse_cell(spec, value)
    if code:
        params = {"limit": MAX_TEXT, "length": len(str(value))} if code == "too_long" else {}
        problems.append(Problem(section, position, name, code, params))
        return
    row[name] = parsed


def apply_editor_changes(
    section: str, rows: list[dict], changes: dict | None, *, key_prefix: str = "new"
) -> tuple[list[dict], list[Problem]]:
    """``rows`` with a ``st.data_editor`` state applied (``edited_rows`` by position, then
    ``deleted_rows``, then ``added_rows``), and the problems found.

    ``changes`` is cumulative relative to ``rows`` (the editor's base data), so applying it
    again gives the same result. A bad cell is reported and left at its old value; every
    other change is kept. Added improvement items get the key ``{key_prefix}-{n}``.
    """
    if section not in EDITABLE:
        raise ValueError(f"unknown form section {section!r}")
    out = copy.deepcopy(rows)
    problems: list[Problem] = []
    changes = changes or {}
    for index, edits in sorted((changes.get("edited_rows") or {}).items(), key=lambda i: int(i[0])):
        position = int(index)
        if not 0 <= position < len(out):
            continue
        for name, value in (edits or {}).items():
            _apply_cell(section, out[position], position + 1, name, value, problems)
    if section in GROWABLE:
        deleted = {int(i) for i in changes.get("deleted_rows") or []}
        out = [row for i, row in enumerate(out) if i not in deleted]
        for n, added in enumerate(changes.get("added_rows") or []):
            if len(out) >= MAX_ROWS:
                problems.append(Problem(section, 0, "", "too_many_rows", {"limit": MAX_ROWS}))
                break
            row = _row_defaults(section)
            if section == "items":
                row["key"] = f"{key_prefix}-{n}"[:32]
            for name, value in (added or {}).items():
                _apply_cell(section, row, len(out) + 1, name, value, problems)
            out.append(row)
    return out, problems


def editor_rows(section: str, rows: list[dict]) -> list[dict]:
    """Rows as the editor shows them (KPI actuals in the display unit)."""
    if section != "kpis":
        return copy.deepcopy(rows)
    shown = []
    for row in rows:
        kind = row.get("kind", "count")
        shown.append(
            {
                **row,
                "target": to_display(kind, row.get("target")),
                "actual": to_display(kind, row.get("actual")),
                "prefilled": to_display(kind, row.get("prefilled")),
            }
        )
    return shown


# --- derived figures ---------------------------------------------------------------------------


def is_overridden(row: dict) -> bool:
    """True when the rep's actual differs from the value computed from the store."""
    actual, prefilled = row.get("actual"), row.get("prefilled")
    if actual is None and prefilled is None:
        return False
    if actual is None or prefilled is None:
        return True
    return abs(float(actual) - float(prefilled)) > _SAME * max(1.0, abs(float(prefilled)))


def completion(row: dict) -> float | None:
    """Attainment ratio of a KPI row (target / actual when lower is better)."""
    return metrics.attainment(
        row.get("actual"), row.get("target"), lower_is_better=row.get("direction") == "lower"
    )


def change_kind(row: dict) -> str:
    """The ``period_change`` kind of a KPI row: "rate", "amount" or "count"."""
    return row.get("kind", "count")


def month_on_month(row: dict) -> float | None:
    """MoM change: percentage points for rates, a relative change for amounts and counts."""
    return metrics.period_change(row.get("actual"), row.get("prev"), kind=change_kind(row))


def year_on_year(row: dict) -> float | None:
    """YoY change, like ``month_on_month`` against the same month last year."""
    return metrics.period_change(row.get("actual"), row.get("prev_year"), kind=change_kind(row))


# One KPI counts at most this completion in the weighted score, so a single outlier (a big
# deal in a quiet month) cannot hide the rest.
WEIGHTED_CAP = 1.5


def applied_weights(kpis: list[dict]) -> list[float]:
    """The weight (percent, adding up to 100) each KPI row carries in the weighted
    completion: its configured weight, re-based over the rows that have a completion — a
    row without a target cannot be scored and carries 0. The form shows these, so the
    weight shown is the weight applied; they equal the configured weights (which add up to
    100) whenever every weighted row has a completion."""
    weights = [float(row.get("weight") or 0) if completion(row) is not None else 0.0
               for row in kpis]  # fmt: skip
    total = sum(weights)
    return [w * 100.0 / total if total else 0.0 for w in weights]


def weighted_completion(kpis: list[dict]) -> float | None:
    """Σ applied weight × completion (each capped at ``WEIGHTED_CAP``, 150 %) / 100 over
    the KPI rows; None when no weighted row has a completion."""
    weights = applied_weights(kpis)
    if not any(weights):
        return None
    return sum(
        w / 100.0 * min(completion(row), WEIGHTED_CAP)
        for w, row in zip(weights, kpis, strict=True)
        if w
    )


def overrides(body: dict) -> list[dict]:
    """KPI rows whose actual was changed by hand (for the manager's authenticity check)."""
    return [row for row in body.get("kpis", []) if is_overridden(row)]


# --- building and refreshing ---------------------------------------------------------------------


def kpi_row(
    metric: FormMetric,
    *,
    target: float | None,
    target_source: str | None,
    actual: float | None,
    prev: float | None,
    prev_year: float | None,
) -> dict:
    """A fresh KPI row for ``metric`` with values in the stored units."""
    return {
        "code": metric.code,
        "category": metric.category,
        "kind": metric.kind,
        "direction": metric.direction,
        "weight": metric.weight,
        "target": target,
        "target_source": target_source,
        "prefilled": actual,
        "actual": actual,
        "override_reason": "",
        "prev": prev,
        "prev_year": prev_year,
        "reason": "",
    }


def new_body(kpis: list[dict], actions: list[dict], carried: list[dict]) -> dict:
    """A form body with the prefilled KPI rows, suggested actions and carried-over items."""
    return {"kpis": kpis, "actions": actions, "items": [], "carried": carried}


def normalized(body: Any) -> dict:
    """``body`` with every section present as a list of dicts (tolerates old or odd data)."""
    data = body if isinstance(body, dict) else {}
    out = {k: v for k, v in data.items() if k not in SECTIONS}
    for section in SECTIONS:
        rows = data.get(section)
        out[section] = [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []
    return out


def refresh_prefill(body: dict, fresh: list[dict]) -> dict:
    """``body`` with targets, prefilled actuals and comparisons taken from ``fresh`` KPI rows;
    an actual the rep did not override follows the new prefilled value; reasons are kept."""
    out = normalized(copy.deepcopy(body))
    old = {row["code"]: row for row in out["kpis"] if "code" in row}
    rows = []
    for new in fresh:
        row = dict(new)
        before = old.get(new["code"])
        if before is not None:
            row["reason"] = before.get("reason", "")
            row["override_reason"] = before.get("override_reason", "")
            if is_overridden(before):
                row["actual"] = before.get("actual")
        rows.append(row)
    out["kpis"] = rows
    return out


def prefill_differs(body: dict, fresh: list[dict]) -> bool:
    """True when the store's figures moved since the form was prefilled."""
    watched = ("target", "prefilled", "prev", "prev_year")
    old = {row.get("code"): row for row in normalized(body)["kpis"]}
    if set(old) != {row["code"] for row in fresh}:
        return True
    return any(old[row["code"]].get(name) != row.get(name) for row in fresh for name in watched)


# --- validation before submission -------------------------------------------------------------


def submission_problems(body: dict, period_end: date, config: FormConfig) -> list[Problem]:
    """Everything that blocks submitting ``body`` for the month ending ``period_end``.

    - a KPI whose completion is below ``config.threshold`` needs an anomaly reason;
    - an overridden actual needs an override reason;
    - an improvement item needs a problem, a measure, an owner and a due date after the
      month; its checkpoint may not be after its due date;
    - a key action row needs a customer and an action.
    """
    data = normalized(body)
    problems: list[Problem] = []
    for n, row in enumerate(data["kpis"], start=1):
        ratio = completion(row)
        if (
            ratio is not None
            and ratio < config.threshold
            and not str(row.get("reason", "")).strip()
        ):
            problems.append(
                Problem("kpis", n, "reason", "reason_required", {"threshold": config.threshold})
            )
        if is_overridden(row) and not str(row.get("override_reason", "")).strip():
            problems.append(Problem("kpis", n, "override_reason", "override_reason_required"))
    for n, row in enumerate(data["actions"], start=1):
        for name in ("customer", "action"):
            if not str(row.get(name) or "").strip():
                problems.append(Problem("actions", n, name, "required"))
    for n, row in enumerate(data["items"], start=1):
        for name in ("problem", "measure", "owner", "due_on"):
            if is_blank(row.get(name)):
                problems.append(Problem("items", n, name, "required"))
        due = _as_date(row.get("due_on"))
        if due is not None and due <= period_end:
            problems.append(
                Problem("items", n, "due_on", "due_in_period", {"end": period_end.isoformat()})
            )
        checkpoint = _as_date(row.get("checkpoint_on"))
        if due is not None and checkpoint is not None and checkpoint > due:
            problems.append(Problem("items", n, "checkpoint_on", "checkpoint_after_due"))
    for n, row in enumerate(data["carried"], start=1):
        if row.get("status") not in ITEM_STATUSES:
            problems.append(Problem("carried", n, "status", "required"))
    return problems


def _as_date(value: Any) -> date | None:
    parsed, _ = parse_date(value)
    return date.fromisoformat(parsed) if parsed else None
