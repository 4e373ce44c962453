"""``python -m salesboard report pipeline``: the weekly review as XLSX, CSV (the overdue
table), JSON (every figure) or one-file HTML, for a scheduler. ``--as-user`` applies that
user's visibility (a rep gets only their own deals)."""

from __future__ import annotations

import argparse
from datetime import date

from salesboard import clock
from salesboard.periods import parse_period, period_containing
from salesboard.pipeline.funnel import FUNNEL_MODES
from salesboard.pipeline.report import EXPORT_FORMATS, build_report, export_bytes
from salesboard.view_filters import DIMENSIONS, ViewFilters, filter_options, visible_filter

# CLI option → filter dimension (``--team`` takes a team's name or id).
OPTIONS = {
    "region": "region",
    "team": "team",
    "rep": "rep",
    "product": "product",
    "customer_type": "ctype",
    "source": "source",
}


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from exc


def add_report_parser(subparsers) -> None:
    """Register ``report pipeline`` on the CLI's report sub-commands."""
    parser = subparsers.add_parser(
        "pipeline",
        help="weekly pipeline review: overdue table, KPIs, funnel, durations, changes, risks",
        description=__doc__,
    )
    parser.add_argument("--as-of", type=_date, default=None, help="business date (default: today)")
    parser.add_argument(
        "--period",
        default=None,
        help="2026-W48, 2026-11, 2026Q4, 2026 or 2026-11-01..2026-11-23 (default: as-of month)",
    )
    parser.add_argument("--team", action="append", default=[], help="team name or id (repeatable)")
    parser.add_argument("--region", action="append", default=[], help="region code, e.g. east")
    parser.add_argument("--rep", action="append", default=[], help="rep username")
    parser.add_argument("--product", action="append", default=[], help="product line code")
    parser.add_argument("--customer-type", action="append", default=[], help="enterprise, smb …")
    parser.add_argument("--source", action="append", default=[], help="lead source code")
    parser.add_argument("--mode", choices=FUNNEL_MODES, default="cohort", help="funnel kind")
    parser.add_argument("--format", choices=EXPORT_FORMATS, default="xlsx")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of headers")
    parser.add_argument("--output", required=True, help='file to write ("-" for standard output)')
    parser.set_defaults(func=run)


def _codes(options, dimension: str, given: list[str]) -> tuple[str, ...]:
    """The option codes for what was typed (a team also by its name); unknown → CliError."""
    from salesboard.cli import CliError

    codes = []
    for value in given:
        match = [
            o.code
            for o in options.choices.get(dimension, ())
            if value in (o.code, o.name_zh, o.name_en)
        ]
        if not match:
            known = ", ".join(f"{o.code} ({o.name_zh})" for o in options.choices.get(dimension, ()))
            raise CliError(f"--{dimension}: {value!r} is not one you may pick; known: {known}")
        codes.extend(match)
    return tuple(codes)


def run(args: argparse.Namespace) -> None:
    """Build the report for the arguments and write it."""
    from salesboard.cli import engine_for, viewer_for_args, write_output
    from salesboard.db import read_session
    from salesboard.i18n import t

    as_of = args.as_of or clock.today()
    period = parse_period(args.period) if args.period else period_containing("month", as_of)
    engine = engine_for(args)
    with read_session(engine) as session:
        viewer = viewer_for_args(session, args)
        options = filter_options(session, viewer)
        selected = {
            dimension: codes
            for option, dimension in OPTIONS.items()
            if (codes := _codes(options, dimension, getattr(args, option)))
        }
        view = ViewFilters(period=period, as_of=as_of, selected=selected)
        scope = "; ".join(
            f"{t(f'filters.{d}', args.lang)}: "
            + ", ".join(options.label(d, c, args.lang) for c in view.codes(d))
            for d in DIMENSIONS
            if view.codes(d)
        )
        if viewer.username != "system":
            scope = (scope + "; " if scope else "") + t(
                "pipeline.as_user", args.lang, user=viewer.display_name
            )
        report = build_report(
            session, viewer, period, visible_filter(viewer, options, view), as_of,
            scope=scope, mode=args.mode,
        )  # fmt: skip
    write_output(export_bytes(report, args.format, args.lang), args.output)
