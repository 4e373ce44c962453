"""The goal report: the goal tree of a period and metric as XLSX (indented levels, with the
decomposition check), CSV or JSON (``python -m salesboard report goals``)."""

from __future__ import annotations

from salesboard.figures.attainment import Attainment
from salesboard.goals import present
from salesboard.outputs.export import to_csv_bytes, to_json_bytes, to_xlsx

FORMATS = ("xlsx", "csv", "json")


def render(view, fmt: str, lang: str, total: Attainment | None = None) -> bytes:
    """The export of ``view`` in ``fmt`` (xlsx, csv or json); the JSON carries ``total``,
    the viewer's attainment over all their goals (``figures.attainment``), when given."""
    if fmt == "xlsx":
        return to_xlsx([present.export_sheet(view, lang), present.findings_sheet(view, lang)])
    if fmt == "csv":
        return to_csv_bytes(present.csv_frame(view, lang))
    if fmt == "json":
        payload = present.json_payload(view, lang)
        if total is not None:
            payload["total"] = {
                "goal_ids": list(total.goal_ids),
                "target": total.target,
                "actual": total.actual,
                "attainment": total.ratio,
                "pace": total.pace,
            }
        return to_json_bytes(payload)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
