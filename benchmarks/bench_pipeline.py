"""Pipeline review computation per section (what one tab of the page computes), company-wide
and for one team (a manager's default view), on a store.

Usage: python benchmarks/bench_pipeline.py [--size small|default|large] [--url URL] [--runs 3]
                                          [--pages]
Without --url a temporary SQLite store is generated with the demo company of --size. With
--pages, each tab is also rendered as a user sees it (AppTest, signed in as admin): cold
(query cache cleared, the first look at the tab) and warm (touching a widget).
Prints figures; asserts nothing (speed targets live here, not in timed tests). The calendar
is loaded once up front, as the page's process does; each run uses a fresh session.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_store import (  # noqa: E402
    TODAY,
    argument_parser,
    cold_and_warm,
    signed_in_app,
    store_url,
)
from sqlmodel import Session  # noqa: E402

from salesboard.accounts.access import SYSTEM  # noqa: E402
from salesboard.calendar.periods import period_containing  # noqa: E402
from salesboard.calendar.workdays import load_calendar  # noqa: E402
from salesboard.pipeline import (  # noqa: E402
    assessment,
    changes,
    durations,
    funnel,
    kpis,
    overdue,
    risks,
)
from salesboard.pipeline.view_filters import filter_options  # noqa: E402
from salesboard.store.db import create_store_engine  # noqa: E402
from salesboard.store.filters import OpportunityFilter  # noqa: E402


def sections(period, as_of, calendar):
    """Each tab's computation, as ``name → call(session, filters)`` (no caching)."""
    v = SYSTEM
    return {
        "filter options": lambda s, f: filter_options(s, v),
        "funnel (flow)": lambda s, f: (
            funnel.stage_funnel(s, v, period, f, "flow"),
            funnel.funnel_opportunities(s, v, period, f, "lead", "flow"),
        ),
        "funnel (cohort + lost, default)": lambda s, f: (
            funnel.stage_funnel(s, v, period, f, "cohort"),
            funnel.lost_dropouts(s, v, period, f),
            funnel.funnel_opportunities(s, v, period, f, "lead", "cohort"),
        ),
        "durations + 6-month trend": lambda s, f: (
            durations.stage_duration_summary(s, v, period, f, calendar),
            durations.stage_duration_trend(s, v, as_of, f, 6, calendar),
        ),
        # The tab reads the open deals once for the table, its tiles and "newly overdue".
        "overdue (top 200) + newly": lambda s, f: overdue.overdue_review(
            s, v, f, as_of, (), 200, calendar
        ),
        # The tab lists each kind's biggest 200 deals; the export reads every row.
        "this week's changes": lambda s, f: changes.week_changes(s, v, f, as_of, 7, calendar, 200),
        "changes, every row (export)": lambda s, f: changes.week_changes(
            s, v, f, as_of, 7, calendar
        ),
        "common risks": lambda s, f: _risks_tab(s, v, f),
        "deal quality + flags": lambda s, f: _quality_tab(s, v, f),
        "stage KPIs": lambda s, f: kpis.stage_kpis(s, v, period, f, as_of, calendar),
    }


def _quality_tab(session, viewer, filters):
    """What the deal-quality tab reads: the pipeline by band, the flag counts, both lists."""
    settings = assessment.load_settings(session)
    return (
        assessment.pipeline_quality(session, viewer, filters, settings),
        assessment.flag_counts(session, viewer, filters, settings),
        [assessment.flagged_deals(session, viewer, f, filters, settings) for f in assessment.FLAGS],
    )


def _risks_tab(session, viewer, filters):
    """What the risks tab reads: flags, the theme texts once, themes and one theme's deals."""
    matching = risks.theme_texts(session, viewer, filters)
    return (
        risks.risk_flag_counts(session, viewer, filters),
        risks.feedback_themes(session, viewer, filters, matching),
        risks.theme_opportunities(session, viewer, filters, "price", risks.THEME_LIMIT, matching),
    )


def main() -> None:
    parser = argument_parser(runs=3)
    parser.add_argument("--team", type=int, default=1, help="team id for the manager's view")
    parser.add_argument("--pages", action="store_true", help="also render each tab (AppTest)")
    args = parser.parse_args()
    url = store_url(args)
    engine = create_store_engine(url)
    with Session(engine) as session:
        calendar = load_calendar(session)
    period = period_containing("month", TODAY)
    scopes = {
        "company": OpportunityFilter(),
        f"team {args.team}": OpportunityFilter(team_ids=(args.team,)),
    }
    print(f"{'section':28s} " + " ".join(f"{name:>22s}" for name in scopes))
    totals = dict.fromkeys(scopes, 0.0)
    for name, call in sections(period, TODAY, calendar).items():
        cells = []
        for scope, flt in scopes.items():
            times = []
            for _ in range(args.runs):
                with Session(engine) as session:
                    started = time.perf_counter()
                    call(session, flt)
                    times.append(time.perf_counter() - started)
            median = statistics.median(times)
            if "(export)" not in name:  # not a tab: the export runs on demand
                totals[scope] = max(totals[scope], median)
            cells.append(f"{median * 1000:9.0f} ms (max {max(times) * 1000:5.0f})")
        print(f"{name:28s} " + " ".join(f"{c:>22s}" for c in cells))
    print(
        f"{'slowest tab (median)':28s} " + " ".join(f"{totals[s] * 1000:19.0f} ms" for s in scopes)
    )
    if args.pages:
        render_tabs(url, args.runs)


def render_tabs(url: str, runs: int) -> None:
    """Each tab of the page through AppTest: cold (cache cleared) and warm render times."""
    from salesboard.i18n import t
    from salesboard.ui.pipeline_review import SECTIONS

    at = signed_in_app(url)
    at.run()
    at.switch_page("pages/pipeline_review.py").run()
    print(f"\n{'page tab (AppTest, company)':28s} {'cold':>22s} {'warm':>22s}")
    for section in SECTIONS:

        def open_tab(at, section=section):
            at.session_state["pl_tabs_zh"] = t(f"pipeline.tab_{section}", "zh")

        cold, warm = cold_and_warm(at, runs, open_tab)
        print(f"{section:28s} {cold:19.2f} s  {warm:19.2f} s")


if __name__ == "__main__":
    main()
