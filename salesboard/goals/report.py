"""``python -m salesboard report goals``: the goal tree of a period and metric as XLSX
(indented levels, with the decomposition check), CSV or JSON."""

from __future__ import annotations

import argparse
from datetime import date

from salesboard import clock
from salesboard.db import read_session
from salesboard.export import to_csv_bytes, to_json_bytes, to_xlsx
from salesboard.goals import present
from salesboard.goals.view import goal_tree
from salesboard.i18n import LANGUAGES
from salesboard.models import GoalMetric
from salesboard.settings import get_settings

FORMATS = ("xlsx", "csv", "json")


def add_report_parser(subparsers) -> None:
    """Register ``report goals`` on the CLI's report sub-commands."""
    parser = subparsers.add_parser(
        "goals",
        help="goal tree with attainment and the decomposition check",
        description="The goal tree of a period and metric: target, actual, attainment, gap, "
        "time elapsed and pace per node, plus every node whose children do not add up.",
    )
    parser.add_argument("--period", required=True, help="2026Q4, 2026-10 or 2026")
    parser.add_argument(
        "--metric", default=GoalMetric.REVENUE, choices=[str(m) for m in GoalMetric]
    )
    parser.add_argument("--format", default="xlsx", choices=FORMATS)
    parser.add_argument("--output", default="-", help="file to write ('-' = standard output)")
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help="language of the labels")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="business date")
    parser.add_argument(
        "--effective-visits",
        action="store_true",
        help="visits goals: count effective visits only",
    )
    parser.set_defaults(func=run)


def render(view, fmt: str, lang: str) -> bytes:
    """The export of ``view`` in ``fmt`` (xlsx, csv or json)."""
    if fmt == "xlsx":
        return to_xlsx([present.export_sheet(view, lang), present.findings_sheet(view, lang)])
    if fmt == "csv":
        return to_csv_bytes(present.csv_frame(view, lang))
    if fmt == "json":
        return to_json_bytes(present.json_payload(view, lang))
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def run(args: argparse.Namespace) -> None:
    """Write the goal report the arguments ask for."""
    from salesboard.cli import CliError, engine_for, viewer_for_args, write_output

    lang = args.lang or get_settings().default_language
    as_of = args.as_of or clock.today()
    engine = engine_for(args)
    with read_session(engine) as session:
        viewer = viewer_for_args(session, args)
        view = goal_tree(session, viewer, args.period, args.metric, as_of, args.effective_visits)
    if view.empty:
        raise CliError(
            f"no {args.metric} goals for {view.period.label} visible to {viewer.username}"
        )
    write_output(render(view, args.format, lang), args.output)
