"""``python -m salesboard report goals | pipeline | feedback``: a page's figures as a file,
for schedulers and e-mail. ``--as-user`` applies that user's visibility (a rep gets only their
own deals and forms)."""

from __future__ import annotations

import argparse
from datetime import date

from sqlalchemy import select

from salesboard.calendar import clock
from salesboard.calendar.periods import parse_period, period_containing
from salesboard.cli.common import (
    CliError,
    engine_for,
    iso_date,
    scoped_by_user,
    viewer_for_args,
    write_output,
)
from salesboard.evaluation import report as scorecard_report
from salesboard.evaluation.scorecard import scorecards, subjects
from salesboard.feedback import queries as feedback_queries
from salesboard.feedback import report as feedback_report
from salesboard.figures.attainment import viewer_attainment
from salesboard.goals import report as goal_report
from salesboard.goals.view import goal_tree
from salesboard.i18n import LANGUAGES, t
from salesboard.pipeline.funnel import DEFAULT_MODE, FUNNEL_MODES
from salesboard.pipeline.report import EXPORT_FORMATS, build_report, export_bytes
from salesboard.pipeline.view_filters import DIMENSIONS, ViewFilters, filter_options, visible_filter
from salesboard.store.db import read_session
from salesboard.store.models import GoalMetric, User
from salesboard.store.settings import get_settings


def add_parsers(sub) -> None:
    """Register ``report`` and its kinds."""
    report = sub.add_parser("report", help="export a page's figures (xlsx, csv, json …)")
    kinds = report.add_subparsers(dest="report_kind", required=True)
    _add_goals(kinds)
    _add_pipeline(kinds)
    _add_feedback(kinds)
    _add_scorecard(kinds)


# --- goals ----------------------------------------------------------------------------------


def _add_goals(subparsers) -> None:
    """``report goals``: the goal tree of a period and metric as XLSX, CSV or JSON."""
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
    parser.add_argument("--format", default="xlsx", choices=goal_report.FORMATS)
    parser.add_argument("--output", default="-", help="file to write ('-' = standard output)")
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help="language of the labels")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="business date")
    parser.add_argument(
        "--effective-visits",
        action="store_true",
        help="visits goals: count effective visits only",
    )
    scoped_by_user(parser).set_defaults(func=cmd_goals)


def cmd_goals(args: argparse.Namespace) -> None:
    """Write the goal report the arguments ask for."""
    lang = args.lang or get_settings().default_language
    as_of = args.as_of or clock.today()
    engine = engine_for(args)
    with read_session(engine) as session:
        viewer = viewer_for_args(session, args)
        view = goal_tree(session, viewer, args.period, args.metric, as_of, args.effective_visits)
        total = viewer_attainment(
            session, viewer, view.period, args.metric, as_of, args.effective_visits
        )
    if view.empty:
        raise CliError(
            f"no {args.metric} goals for {view.period.label} visible to {viewer.username}"
        )
    write_output(goal_report.render(view, args.format, lang, total), args.output)


# --- pipeline -------------------------------------------------------------------------------

# CLI option → filter dimension (``--team`` takes a team's name or id).
OPTIONS = {
    "region": "region",
    "team": "team",
    "rep": "rep",
    "product": "product",
    "customer_type": "ctype",
    "source": "source",
}


def _add_pipeline(subparsers) -> None:
    """``report pipeline``: the weekly review as XLSX, CSV (the overdue table), JSON (every
    figure) or one-file HTML, for a scheduler."""
    parser = subparsers.add_parser(
        "pipeline",
        help="weekly pipeline review: overdue table, KPIs, funnel, durations, changes, risks",
        description=_add_pipeline.__doc__,
    )
    parser.add_argument(
        "--as-of", type=iso_date, default=None, help="business date (default: today)"
    )
    parser.add_argument(
        "--period",
        default=None,
        help="2026-W48, 2026-11, 2026Q4, 2026 or 2026-11-01..2026-11-23 (default: as-of week)",
    )
    parser.add_argument("--team", action="append", default=[], help="team name or id (repeatable)")
    parser.add_argument("--region", action="append", default=[], help="region code, e.g. east")
    parser.add_argument("--rep", action="append", default=[], help="rep username")
    parser.add_argument("--product", action="append", default=[], help="product line code")
    parser.add_argument("--customer-type", action="append", default=[], help="enterprise, smb …")
    parser.add_argument("--source", action="append", default=[], help="lead source code")
    parser.add_argument("--mode", choices=FUNNEL_MODES, default=DEFAULT_MODE, help="funnel kind")
    parser.add_argument("--format", choices=EXPORT_FORMATS, default="xlsx")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of headers")
    parser.add_argument("--output", required=True, help='file to write ("-" for standard output)')
    scoped_by_user(parser).set_defaults(func=cmd_pipeline)


def _codes(options, dimension: str, given: list[str]) -> tuple[str, ...]:
    """The option codes for what was typed (a team also by its name); unknown → CliError."""
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


def cmd_pipeline(args: argparse.Namespace) -> None:
    """Build the report for the arguments and write it."""
    as_of = args.as_of or clock.today()
    # The weekly review: the week containing the as-of date unless told otherwise.
    period = parse_period(args.period) if args.period else period_containing("week", as_of)
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


# --- feedback -------------------------------------------------------------------------------


def _add_feedback(subparsers) -> None:
    """``report feedback --period 2026-10 --rep NAME --format html|xlsx|json``."""
    parser = subparsers.add_parser("feedback", help="a rep's monthly feedback form")
    parser.add_argument("--period", required=True, help="month, e.g. 2026-10")
    parser.add_argument("--rep", required=True, help="the rep's username")
    parser.add_argument("--revision", type=int, help="a revision (default: the newest)")
    parser.add_argument("--format", choices=feedback_report.FORMATS, default="html")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--output", default="-", help="file to write ('-' = standard output)")
    scoped_by_user(parser).set_defaults(func=cmd_feedback)


def cmd_feedback(args: argparse.Namespace) -> None:
    """Write one rep's monthly feedback form in the format asked for."""
    if parse_period(args.period).kind != "month":
        raise CliError(f"--period {args.period!r} is not a month like 2026-10")
    with read_session(engine_for(args)) as session:
        viewer = viewer_for_args(session, args)
        rep_id = session.execute(select(User.id).where(User.username == args.rep)).scalar()
        form = None if rep_id is None else feedback_queries.find_form(
            session, viewer, rep_id, parse_period(args.period).label, args.revision
        )  # fmt: skip
        if form is None:
            # Same answer for an unknown rep and one the user may not see.
            raise CliError(f"no feedback form for {args.rep!r} in {args.period}")
    if args.format == "pdf":
        data = feedback_report.form_pdf(form, args.lang)
    else:
        data = feedback_report.form_bytes(form, args.format, args.lang)
    write_output(data, args.output)


# --- scorecard ------------------------------------------------------------------------------


def _add_scorecard(subparsers) -> None:
    """``report scorecard --period 2026-10 [--team T] [--level rep|team]``: the scorecards
    the user may see (saved ones, else computed now with the current weights)."""
    parser = subparsers.add_parser("scorecard", help="scorecards (绩效评估) of reps or teams")
    parser.add_argument("--period", required=True, help="2026-10, 2026Q4 or 2026")
    parser.add_argument("--team", default=None, help="team name or id")
    parser.add_argument("--level", choices=("rep", "team"), default="rep")
    parser.add_argument("--format", choices=scorecard_report.FORMATS, default="xlsx")
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help="language of the labels")
    parser.add_argument("--as-of", type=iso_date, default=None, help="business date")
    parser.add_argument("--output", default="-", help="file to write ('-' = standard output)")
    scoped_by_user(parser).set_defaults(func=cmd_scorecard)


def cmd_scorecard(args: argparse.Namespace) -> None:
    """Write the scorecards the arguments ask for."""
    lang = args.lang or get_settings().default_language
    as_of = args.as_of or clock.today()
    try:
        period = parse_period(args.period)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    with read_session(engine_for(args)) as session:
        viewer = viewer_for_args(session, args)
        team_id = None
        if args.team:
            teams = subjects(session, viewer, "team")
            match = teams[(teams["name"] == args.team) | (teams["id"].astype(str) == args.team)]
            if match.empty:  # unknown and out of sight read the same
                raise CliError(f"--team: no team {args.team!r} you may see")
            team_id = int(match["id"].iloc[0])
        cards = scorecards(session, viewer, args.level, period, as_of, team_id=team_id)
    if not cards:
        raise CliError(f"no scorecards for {period.label} visible to {viewer.username}")
    title = t("score.report_title", lang, period=period.label, date=as_of.isoformat())
    write_output(scorecard_report.render(cards, args.format, lang, title=title), args.output)
