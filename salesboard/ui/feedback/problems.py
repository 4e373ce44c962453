"""Field-level messages: each problem found in a typed cell or before submission as a
sentence naming the section, row and field."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.feedback.form import Problem
from salesboard.i18n import format_percent


def problem_lines(problems: list[Problem], body: dict) -> list[str]:
    """Each problem as a sentence naming the section, row and field."""
    lines = []
    for p in problems:
        row = ""
        if p.section == "kpis" and 0 < p.row <= len(body["kpis"]):
            row = ui.tr(f"feedback.metric.{body['kpis'][p.row - 1]['code']}")
        elif p.row:
            row = ui.tr("feedback.row", row=p.row)
        values = {k: (format_percent(v) if k == "threshold" else v) for k, v in p.params.items()}
        values = {"limit": "", "length": "", "end": "", "threshold": "", **values}
        message = ui.tr(f"feedback.problem.{p.code}", **values)
        field = ui.tr(f"feedback.col.{p.field}") if p.field else ""
        lines.append(
            ui.tr("feedback.problem_line", section=ui.tr(f"feedback.section.{p.section}"),
                  row=row, field=field, message=message)
        )  # fmt: skip
    return lines


def show_problems(problems: list[Problem], body: dict, *, blocking: bool = False) -> None:
    """List problems in one message box (an error when they block submission)."""
    if not problems:
        return
    text = "\n".join(f"- {line}" for line in problem_lines(problems, body))
    (st.error if blocking else st.warning)(
        ui.tr("feedback.blocking" if blocking else "feedback.not_saved") + "\n\n" + text
    )
