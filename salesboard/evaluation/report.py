"""The scorecards as a file: XLSX (a summary sheet and a metrics sheet), CSV (the summary)
or JSON (every card with its lines), for the page's download and ``report scorecard``."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from salesboard.evaluation.scorecard import ScoreCard
from salesboard.i18n import t
from salesboard.outputs.export import Sheet, to_csv_bytes, to_json_bytes, to_xlsx

FORMATS = ("xlsx", "csv", "json")


def weights_label(card: ScoreCard) -> str:
    """ "standard v2" (the built-in default before it is stored: "standard v0")."""
    return card.weights.label


def summary_frame(cards: Sequence[ScoreCard], lang: str) -> pd.DataFrame:
    """One row per card: name, team, period, total, process, result, weights, saved."""
    h = {k: t(f"score.col.{k}", lang) for k in ("name", "team", "period", "weights", "saved")}
    return pd.DataFrame(
        {
            h["name"]: [c.name for c in cards],
            h["team"]: [c.team for c in cards],
            h["period"]: [c.period for c in cards],
            t("score.total", lang): [round(c.total, 1) for c in cards],
            t("score.process", lang): [round(c.process, 1) for c in cards],
            t("score.result", lang): [round(c.result, 1) for c in cards],
            h["weights"]: [weights_label(c) for c in cards],
            h["saved"]: [
                "" if c.computed_at is None else c.computed_at.strftime("%Y-%m-%d %H:%M")
                for c in cards
            ],
        }
    )


def lines_frame(cards: Sequence[ScoreCard], lang: str) -> pd.DataFrame:
    """One row per card and metric: actual, score (empty: not rated), weights, contribution."""
    rows = []
    for c in cards:
        for line in c.lines:
            rows.append(
                {
                    t("score.col.name", lang): c.name,
                    t("score.col.group", lang): t(f"score.group.{line.group}", lang),
                    t("score.col.metric", lang): t(f"score.metric.{line.metric}", lang),
                    t("score.col.actual", lang): line.actual,
                    t("score.col.score", lang): None
                    if line.score is None
                    else round(line.score, 1),
                    t("score.col.weight", lang): line.weight,
                    t("score.col.effective_weight", lang): round(line.effective_weight, 1),
                    t("score.col.contribution", lang): round(line.contribution, 2),
                }
            )
    return pd.DataFrame(rows)


def render(cards: Sequence[ScoreCard], fmt: str, lang: str, *, title: str = "") -> bytes:
    """The scorecards in ``fmt`` (``FORMATS``)."""
    if fmt == "csv":
        return to_csv_bytes(summary_frame(cards, lang))
    if fmt == "json":
        return to_json_bytes(
            [
                {
                    "level": c.level,
                    "id": c.subject_id,
                    "name": c.name,
                    "team": c.team,
                    "period": c.period,
                    "as_of": c.as_of,
                    "total": c.total,
                    "process": c.process,
                    "result": c.result,
                    "weight_set": {
                        "id": c.weights.id,
                        "name": c.weights.name,
                        "version": c.weights.version,
                    },
                    "saved_id": c.saved_id,
                    "computed_at": c.computed_at,
                    "metrics": [line.__dict__ for line in c.lines],
                }  # fmt: skip
                for c in cards
            ]
        )
    if fmt != "xlsx":
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    summary = summary_frame(cards, lang)
    number = dict.fromkeys(summary.columns[3:6], "number")
    lines = lines_frame(cards, lang)
    line_formats = {
        t("score.col.score", lang): "number",
        t("score.col.effective_weight", lang): "number",
        t("score.col.contribution", lang): "number",
    }
    return to_xlsx(
        [
            Sheet(t("score.sheet", lang), summary, number, title=title),
            Sheet(t("score.sheet_lines", lang), lines, line_formats, title=title),
        ]
    )
