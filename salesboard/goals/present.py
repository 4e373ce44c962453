"""The goal tree in the reader's language and units: the table under the chart, the
decomposition sentence ("1,000 万元 = A 600 万元（60%）+ B 400 万元（40%）"), the findings
and the exports (XLSX with indented levels, CSV, JSON). No Streamlit here."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from salesboard.goals.format import (
    format_goal_value,
    format_share,
    is_money,
    to_display,
    unit_label,
)
from salesboard.goals.view import GoalTreeView
from salesboard.i18n import TRANSLATIONS, t
from salesboard.outputs.export import Sheet

PATH_SEPARATOR = " › "
# Table columns under the chart, in order; money columns are in display units.
TABLE_COLUMNS = (
    "id", "name", "scope", "owner", "target", "share_of_parent", "actual", "attainment",
    "pace", "vs_pace", "gap", "elapsed",
)  # fmt: skip
VALUE_COLUMNS = ("target", "actual", "gap")
RATIO_COLUMNS = ("share_of_parent", "attainment", "elapsed")
PACE_MARKS = {"ahead": "▲ ", "on_track": "● ", "behind": "▼ "}


def _nan_to_none(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def with_unit(label: str, unit: str, lang: str) -> str:
    """ "目标（万元）" / "Target (k CNY)"."""
    return f"{label}（{unit}）" if lang == "zh" else f"{label} ({unit})"


def column_label(column: str, metric: str, lang: str) -> str:
    """The header of a table/export column, with the unit for value columns."""
    label = t(f"goals.col.{column}", lang)
    if column in VALUE_COLUMNS:
        return with_unit(label, unit_label(metric, lang), lang)
    return label


def path_text(view: GoalTreeView, node_id: int, lang: str) -> str:
    """The node's names from the top: "全公司 › 智能制造套件 › 华南"."""
    return PATH_SEPARATOR.join(view.name(n, lang) for n in view.breadcrumb(node_id))


def pace_text(pace: str, lang: str) -> str:
    """Pace with a mark: "▲ 超前" / "● 符合进度" / "▼ 落后"; "—" when unknown."""
    return PACE_MARKS.get(pace, "") + t(f"goals.pace.{pace}", lang)


def node_table(view: GoalTreeView, node_id: int, lang: str) -> pd.DataFrame:
    """The node's direct children (or the node itself when it has none), columns
    ``TABLE_COLUMNS``: values in display units, ratios as 0–1, ``vs_pace`` in percentage
    points, ``pace`` as text. The node's own figures are the tiles above the table."""
    rows = view.children(node_id)
    if rows.empty:
        rows = view.nodes[view.nodes["id"] == node_id]
    return _display_frame(view, rows, lang)


def _display_frame(view: GoalTreeView, rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    metric = view.metric
    frame = pd.DataFrame(
        {
            "id": rows["id"].astype("int64").to_numpy(),
            "name": rows[f"name_{lang}"].to_numpy(),
            "scope": [t(f"goals.scope.{s}", lang) for s in rows["scope"]],
            "owner": rows["owner_name"].to_numpy(),
            "target": [to_display(v, metric, lang) for v in rows["target"]],
            "share_of_parent": rows["share_of_parent"].to_numpy(),
            "actual": [to_display(v, metric, lang) for v in rows["actual"]],
            "attainment": rows["attainment"].to_numpy(),
            "gap": [to_display(v, metric, lang) for v in rows["gap"]],
            "elapsed": rows["elapsed"].to_numpy(),
            "vs_pace": rows["vs_pace"].to_numpy(),
            "pace": [pace_text(p, lang) for p in rows["pace"]],
        }
    )
    for column in ("target", "actual", "gap"):
        frame[column] = frame[column].astype("float64")
    return frame


def split_sentence(view: GoalTreeView, node_id: int, lang: str) -> str | None:
    """How the node's target splits over its children, as the seed writes it:
    "全公司 1,000 万元 = 产品A 600 万元（60%）+ 产品B 400 万元（40%）", plus what is left
    unallocated or over-allocated. None for a node without children."""
    kids = view.children(node_id)
    if kids.empty:
        return None
    node = view.node(node_id)
    metric = view.metric
    left, right = ("（", "）") if lang == "zh" else (" (", ")")
    parts = [
        f"{k[f'name_{lang}']} {format_goal_value(k['target'], metric, lang)}"
        f"{left}{format_share(k['share_of_parent'])}{right}"
        for _, k in kids.iterrows()
    ]
    sentence = f"{node[f'name_{lang}']} {format_goal_value(node['target'], metric, lang)} = " + (
        "+ " if lang == "zh" else " + "
    ).join(parts)
    rest = float(node["target"]) - float(kids["target"].sum())
    if abs(rest) > 0.01:
        key = "goals.split.unallocated" if rest > 0 else "goals.split.over_allocated"
        sentence += t(key, lang, amount=format_goal_value(abs(rest), metric, lang))
    return sentence


def findings_table(view: GoalTreeView, lang: str) -> pd.DataFrame:
    """The decomposition findings for reading: ``id, path, problem, target, children_target,
    difference`` (values in display units; difference = children − target)."""
    findings = view.findings
    metric = view.metric
    return pd.DataFrame(
        {
            "id": findings["id"].astype("int64").to_numpy(),
            "path": [path_text(view, int(i), lang) for i in findings["id"]],
            "problem": [finding_text(view, row, lang) for _, row in findings.iterrows()],
            "target": [to_display(v, metric, lang) for v in findings["target"]],
            "children_target": [
                to_display(_nan_to_none(v), metric, lang) for v in findings["children_target"]
            ],
            "difference": [
                to_display(_nan_to_none(v), metric, lang) for v in findings["difference"]
            ],
        }
    ).astype({"target": "float64", "children_target": "float64", "difference": "float64"})


def finding_text(view: GoalTreeView, finding: pd.Series, lang: str) -> str:
    """One finding as a sentence naming the amounts."""
    metric = view.metric
    if finding["kind"] == "no_owner":
        return t("goals.finding.no_owner", lang)
    return t(
        f"goals.finding.{finding['kind']}",
        lang,
        children=format_goal_value(finding["children_target"], metric, lang),
        target=format_goal_value(finding["target"], metric, lang),
        amount=format_goal_value(abs(finding["difference"]), metric, lang),
        count=int(finding["children"]),
    )


# --- exports ---------------------------------------------------------------------------------


def export_frame(view: GoalTreeView, lang: str) -> pd.DataFrame:
    """The whole visible tree in display order with translated headers (values in display
    units); the first column holds the names, to be indented by ``depth``."""
    frame = _display_frame(view, view.nodes, lang).drop(columns=["id"])
    frame["vs_pace"] = frame["vs_pace"].astype("float64")
    problems = {
        int(row["id"]): finding_text(view, row, lang) for _, row in view.findings.iterrows()
    }
    frame["finding"] = [problems.get(int(i), "") for i in view.nodes["id"]]
    return frame.rename(columns={c: column_label(c, view.metric, lang) for c in frame.columns})


def export_sheet(view: GoalTreeView, lang: str) -> Sheet:
    """The tree as an XLSX sheet: names indented by level, numbers formatted."""
    frame = export_frame(view, lang)
    metric = view.metric
    formats = {column_label(c, metric, lang): "number" for c in VALUE_COLUMNS}
    formats.update({column_label(c, metric, lang): "percent" for c in RATIO_COLUMNS})
    formats[column_label("vs_pace", metric, lang)] = "number"
    title = t(
        "goals.export.title",
        lang,
        metric=t(f"goals.metric.{metric}", lang),
        period=view.period.label,
        date=view.as_of.isoformat(),
    )
    return Sheet(
        name=t("goals.export.sheet", lang),
        frame=frame,
        formats=formats,
        indent=view.nodes["depth"].astype(int).tolist(),
        title=title,
    )


def findings_sheet(view: GoalTreeView, lang: str) -> Sheet:
    """The decomposition findings as an XLSX sheet."""
    frame = findings_table(view, lang).drop(columns=["id"])
    metric = view.metric
    frame = frame.rename(columns={c: column_label(c, metric, lang) for c in frame.columns})
    formats = {column_label(c, metric, lang): "number" for c in ("target", "children_target")}
    formats[column_label("difference", metric, lang)] = "number"
    return Sheet(name=t("goals.export.findings_sheet", lang), frame=frame, formats=formats)


def csv_frame(view: GoalTreeView, lang: str) -> pd.DataFrame:
    """The export frame with ``id``, ``parent_id`` and ``level`` in front (CSV has no indent);
    ratios rounded to 4 decimals, values to 2, points to 1."""
    frame = export_frame(view, lang)
    metric = view.metric
    for column in VALUE_COLUMNS:
        frame[column_label(column, metric, lang)] = frame[column_label(column, metric, lang)].round(
            2
        )
    for column in RATIO_COLUMNS:
        frame[column_label(column, metric, lang)] = frame[column_label(column, metric, lang)].round(
            4
        )
    frame[column_label("vs_pace", metric, lang)] = frame[
        column_label("vs_pace", metric, lang)
    ].round(1)
    frame.insert(0, "level", view.nodes["depth"].astype(int).to_numpy())
    frame.insert(0, "parent_id", view.nodes["parent_id"].astype("Int64").array)
    frame.insert(0, "id", view.nodes["id"].astype(int).to_numpy())
    return frame


def json_payload(view: GoalTreeView, lang: str) -> dict[str, Any]:
    """The tree for machines: stored units (money in minor units), ratios as 0–1."""
    nodes = view.nodes
    records = []
    for _, row in nodes.iterrows():
        records.append(
            {
                "id": int(row["id"]),
                "parent_id": _nan_to_none(row["parent_id"]),
                "level": int(row["depth"]),
                "scope": row["scope"],
                "name": row[f"name_{lang}"],
                "owner": row["owner_name"] or None,
                "product_line_id": _nan_to_none(row["product_line_id"]),
                "region_id": _nan_to_none(row["region_id"]),
                "team_id": _nan_to_none(row["team_id"]),
                "user_id": _nan_to_none(row["user_id"]),
                "target": float(row["target"]),
                "actual": _nan_to_none(row["actual"]),
                "attainment": _nan_to_none(row["attainment"]),
                "gap": _nan_to_none(row["gap"]),
                "share_of_parent": _nan_to_none(row["share_of_parent"]),
                "vs_pace_points": _nan_to_none(row["vs_pace"]),
                "pace": row["pace"],
                "context_only": bool(row["context"]),
            }
        )
    findings = [
        {
            "id": int(f["id"]),
            "kind": f["kind"],
            "path": path_text(view, int(f["id"]), lang),
            "target": float(f["target"]),
            "children_target": _nan_to_none(f["children_target"]),
            "difference": _nan_to_none(f["difference"]),
        }
        for _, f in view.findings.iterrows()
    ]
    return {
        "period": view.period.label,
        "period_start": view.period.start,
        "period_end": view.period.end,
        "metric": view.metric,
        "as_of": view.as_of,
        "time_elapsed": view.elapsed,
        "unit": "minor currency units (1/100 yuan)"
        if is_money(view.metric)
        else unit_label(view.metric, "en"),
        "lower_is_better": view.lower_is_better,
        "nodes": records,
        "findings": findings,
    }


def error_text(error, lang: str) -> str:
    """A ``GoalError`` as a sentence in ``lang`` that names the field."""

    field_key = f"goals.field.{error.field}"
    field = t(field_key, lang) if field_key in TRANSLATIONS else str(error.field)
    key = f"goals.error.{error.code}"
    if key not in TRANSLATIONS:
        return str(error)
    return t(key, lang, field=field, **error.values)
