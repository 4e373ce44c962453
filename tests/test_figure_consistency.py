"""One figure, one number (issue 13): for every viewer role and a sample of people and
periods on the demo company, each figure that two or more pages or reports show — a
person's attainment (actual, target, %), won amount, overdue count, win rate, key-action
completion and on-time rate, on-time collection, effective visits, open pipeline — reads
the same everywhere, the scorecard (issue 16) included. The numbers are read from what the
pages show (AppTest: tiles, tables, captions) and from the CLI's report files, not from
the functions behind them.

Money is compared as shown: each page rounds it for display, so two readings agree when
they are within the coarser of their two roundings; percentages must be the same text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from salesboard.calendar.periods import parse_period
from salesboard.cli.main import main as cli
from salesboard.evaluation.weights import METRIC_GROUPS
from salesboard.goals.format import display_factor
from salesboard.i18n import format_percent, t
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.models import Role, Team, TeamManager, User
from tests.conftest import DEMO_TODAY
from tests.test_feedback_pages import open_page, store_copy  # noqa: F401

LANG = "en"
QUARTER = "2026Q4"
MONTH = "2026-11"  # the demo has no feedback forms for it: the form is prefilled live
MONEY = re.compile(r"([-\d,.]+)\s*([KMB万亿]?)")
SCALE = {"": 1, "K": 1e3, "M": 1e6, "B": 1e9, "万": 1e4, "亿": 1e8}


@dataclass(frozen=True)
class Money:
    """An amount read off a page, in yuan, and how far its display rounding may be off."""

    yuan: float
    slack: float

    def agrees(self, other: Money) -> bool:
        return abs(self.yuan - other.yuan) <= max(self.slack, other.slack) + 1e-6


def money(text: str, unit: float = 1.0) -> Money:
    """Parse "¥6.01M", "¥950K", "601.0万" or a plain number in ``unit`` yuan."""
    match = MONEY.search(str(text).replace("¥", ""))
    assert match, f"no amount in {text!r}"
    digits, suffix = match.group(1), match.group(2)
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    scale = SCALE[suffix] * unit
    return Money(float(digits.replace(",", "")) * scale, 0.5 * 10**-decimals * scale)


def from_minor(minor: float) -> Money:
    return Money(minor / 100, 0.005)


@dataclass(frozen=True)
class People:
    """The sample: a manager, two reps of their team, a leader and the admin."""

    manager: str
    reps: tuple[str, ...]
    leader: str
    names: dict[str, str]  # username -> display name


@pytest.fixture(scope="module")
def people(demo_store) -> People:
    engine = create_store_engine(demo_store)
    with read_session(engine) as s:
        manager_id, team_id = s.execute(
            select(TeamManager.user_id, TeamManager.team_id).order_by(TeamManager.team_id)
        ).first()
        reps = (
            s.execute(
                select(User.username)
                .where(User.team_id == team_id, User.role == Role.REP, User.active.is_(True))
                .order_by(User.id)
            )
            .scalars()
            .all()
        )
        leader = s.execute(
            select(User.username).where(User.role == Role.LEADER).order_by(User.id)
        ).scalar()
        names = dict(s.execute(select(User.username, User.display_name)).all())
        manager = s.get(User, manager_id).username
    engine.dispose()
    return People(manager, tuple(reps[:2]), leader, names)


def period_query(label: str) -> dict[str, str]:
    kind = parse_period(label).kind
    return {"period_kind": kind, f"period_{kind}": label}


def tiles(at) -> dict[str, object]:
    return {m.label: m for m in at.metric}


# --- what each page shows -----------------------------------------------------------------


@dataclass(frozen=True)
class Attained:
    """A person's attainment as one page shows it."""

    ratio: str | None  # None: the page shows target and actual, no percentage
    target: Money | None = None
    actual: Money | None = None


def overview(user: str, label: str) -> dict:
    at = open_page("pages/overview.py", user, LANG, **period_query(label))
    shown = tiles(at)
    goal = next(
        (c.value for c in at.caption if c.value.startswith(t("overview.goal", LANG, goal=""))),
        None,
    )
    return {
        "attainment": Attained(
            shown[t("overview.attainment", LANG)].value,
            money(goal.split("·")[0]) if goal else None,
        ),
        "won": money(shown[t("overview.won_amount", LANG)].value),
        "pipeline": money(shown[t("overview.open_pipeline", LANG)].value),
        "overdue": shown[t("overview.overdue", LANG)].value,
        "win_rate": shown[t("overview.win_rate", LANG)].value,
    }


def total_tile(at) -> Attained:
    """The attainment over all of the viewer's goals on a goal page: the "All your goals"
    tile beside a branch, else the drilled goal's own tiles (it is all of them)."""
    shown = tiles(at)
    total = next((m for label, m in shown.items() if label.startswith("All your goals")), None)
    if total is not None:
        found = re.search(r"Actual (.+?) ÷ target (.+?):", total.help or "")
        return Attained(total.value, money(found.group(2)), money(found.group(1)))
    actual = (
        shown.get(t("goals.col.actual", LANG)) or shown[t("goals.forecast.actual_so_far", LANG)]
    )
    ratio = shown.get(t("goals.col.attainment", LANG))
    return Attained(
        ratio.value if ratio else None,
        money(shown[t("goals.col.target", LANG)].value),
        money(actual.value),
    )


def goal_page(user: str, label: str) -> Attained:
    return total_tile(open_page("pages/goal_attainment.py", user, LANG, **period_query(label)))


def forecast_page(user: str, label: str) -> Attained:
    return total_tile(open_page("pages/goal_forecast.py", user, LANG, **period_query(label)))


def leaderboard(user: str, label: str, level: str) -> dict[str, dict]:
    """Rows of the leaderboard by name: attainment as shown (1 decimal), target and actual
    (in the unit the page states), win rate and key-action completion (percent)."""
    at = open_page("pages/goal_leaderboard.py", user, LANG, level=level, **period_query(label))
    table = at.dataframe[0].value
    unit = display_factor("revenue", LANG) / 100  # yuan per unit of the table's money columns
    rows = {}
    for row in table.to_dict("records"):
        rows[row["name"]] = {
            "attainment": format_percent(row["attainment"] / 100),
            "target": Money(row["target"] * unit, 0.01),
            "actual": Money(row["actual"] * unit, 0.01),
            "win_rate": row["win_rate"],
            "action_completion": row["action_completion"],
            "action_on_time": row["action_on_time"],
        }
    return rows


def scorecard(user: str, label: str, who: int | None = None) -> dict[str, str]:
    """The actual column of a rep's scorecard (the viewer's own, or ``who``'s) by metric
    code, as the page shows it."""
    query = {"level": "rep", **period_query(label), **({"who": str(who)} if who else {})}
    at = open_page("pages/scorecard.py", user, LANG, **query)
    table = next(d.value for d in at.dataframe if {"metric", "actual"} <= set(d.value.columns))
    codes = {t(f"score.metric.{m}", LANG): m for m in METRIC_GROUPS}
    return {codes[row["metric"]]: row["actual"] for row in table.to_dict("records")}


def feedback_form(user: str) -> dict[str, dict]:
    """The KPI rows of the rep's new form for ``MONTH`` (started on the page) by metric."""
    at = open_page("pages/feedback_form.py", user, LANG, period=MONTH)
    at.button(key="fb_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    # Labels carry the unit: "Sales (10k CNY)"; keyed by the name before it.
    return {row["metric"].rsplit(" (", 1)[0]: row for row in table.to_dict("records")}


def pipeline_overdue(user: str) -> str:
    at = open_page("pages/pipeline_review.py", user, LANG, section="overdue")
    return tiles(at)[t("pipeline.overdue_count", LANG)].value


def cli_json(url: str, user: str, tmp_path, *args: str) -> dict:
    out = tmp_path / f"{user}-{'-'.join(args[:2])}.json"
    code = cli(["--database-url", url, "--as-user", user, *args, "--format", "json",
                "--output", str(out)])  # fmt: skip
    assert code == 0
    return json.loads(out.read_text())


def actual_of(mine: Attained, other: Attained) -> Money:
    """The actual the Overview implies: its attainment × its target, as precise as the
    percentage (one decimal) allows, or the other page's own reading when that is finer."""
    ratio = float(mine.ratio.rstrip("%")) / 100
    slack = mine.target.yuan * 0.0005 + mine.target.slack * ratio
    return Money(ratio * mine.target.yuan, max(slack, other.actual.slack))


def percent_of(value: float | None) -> str:
    return format_percent(None if value is None or value != value else value / 100)


# --- the test ----------------------------------------------------------------------------


def test_every_figure_reads_the_same_on_every_page(store_copy, people, tmp_path):  # noqa: F811
    by_name = {people.names[u]: u for u in (*people.reps, people.manager)}
    seen: dict[tuple[str, str], dict] = {}
    for user in (*people.reps, people.manager, people.leader, "admin"):
        for label in (QUARTER, MONTH):
            seen[user, label] = shown = overview(user, label)
            mine = shown["attainment"]
            for page, read in (("goal attainment", goal_page), ("forecast", forecast_page)):
                if page == "forecast" and label == MONTH:
                    continue  # the forecast page is read for the quarter
                other = read(user, label)
                assert other.ratio in (mine.ratio, None), (user, label, page)
                if mine.target is not None:
                    assert other.target.agrees(mine.target), (user, label, page)
                    assert other.actual.agrees(actual_of(mine, other)), (user, label, page)
            report = cli_json(store_copy, user, tmp_path, "report", "goals", "--period", label,
                              "--as-of", DEMO_TODAY)  # fmt: skip
            assert format_percent(report["total"]["attainment"]) == mine.ratio, (user, label)
            assert from_minor(report["total"]["target"]).agrees(mine.target), (user, label)
        # Overdue deals: the Overview tile, the review's overdue tab and the CLI report.
        overdue = seen[user, QUARTER]["overdue"]
        assert pipeline_overdue(user) == overdue, user
        review = cli_json(store_copy, user, tmp_path, "report", "pipeline", "--as-of", DEMO_TODAY)
        assert f"{review['overdue_count']:,}" == overdue, user

    # The leaderboard, as the manager and as the leader: each rep's row is that rep's own
    # attainment and win rate; the team's row is its manager's.
    team = team_name(store_copy, people.manager)
    for viewer in (people.manager, people.leader):
        for label in (QUARTER, MONTH):
            for level in ("rep", "team"):
                for name, row in leaderboard(viewer, label, level).items():
                    user = by_name.get(name) if level == "rep" else None
                    if level == "team" and name == team:
                        user = people.manager
                    if user is None:
                        continue
                    mine = seen[user, label]
                    assert row["attainment"] == mine["attainment"].ratio, (viewer, name, label)
                    assert row["target"].agrees(mine["attainment"].target), (viewer, name, label)
                    assert percent_of(row["win_rate"]) == mine["win_rate"], (viewer, name, label)

    # The feedback form's sales row is the rep's attainment of the month; its key-action
    # completion is the leaderboard's.
    board = leaderboard(people.manager, MONTH, "rep")
    quarters = []
    for rep in people.reps:
        form = feedback_form(rep)
        sales = form[t("feedback.metric.sales", LANG)]
        mine = seen[rep, MONTH]["attainment"]
        assert sales["completion"] == mine.ratio, rep
        assert money(sales["target"], 1e4).agrees(mine.target), rep
        row = board[people.names[rep]]
        assert money(sales["actual"], 1e4).agrees(row["actual"]), rep
        completion = form[t("feedback.metric.key_action_completion", LANG)]["actual"]
        assert percent_of(completion) == percent_of(row["action_completion"]), rep

        # The scorecard, as the rep sees it and as their manager does: revenue attainment
        # is the Overview's; key-action completion and on-time rate the leaderboard's and
        # the form's; on-time collection and effective visits the form's.
        on_time = form[t("feedback.metric.key_action_on_time", LANG)]["actual"]
        collection = form[t("feedback.metric.on_time_collection", LANG)]["actual"]
        visits = form[t("feedback.metric.effective_visits", LANG)]["actual"]
        for card in (
            scorecard(rep, MONTH),
            scorecard(people.manager, MONTH, user_id(store_copy, rep)),
        ):
            assert card["revenue"] == mine.ratio, rep
            assert card["key_action_completion"] == percent_of(row["action_completion"]), rep
            assert card["key_action_completion"] == percent_of(completion), rep
            assert card["key_action_on_time"] == percent_of(row["action_on_time"]), rep
            assert card["key_action_on_time"] == percent_of(on_time), rep
            assert card["on_time_collection"] == percent_of(collection), rep
            assert card["effective_visits"].split(" / ")[0] == f"{visits:,.0f}", rep
        quarters.append(scorecard(rep, QUARTER)["revenue"])
        assert quarters[-1] == seen[rep, QUARTER]["attainment"].ratio, rep
    assert set(quarters) - {"0.0%", "—"}, quarters  # someone sold something


def team_name(url: str, manager: str) -> str:
    engine = create_store_engine(url)
    with read_session(engine) as s:
        user = s.execute(select(User).where(User.username == manager)).scalar_one()
        name = s.get(Team, user.team_id).name
    engine.dispose()
    return name


def user_id(url: str, username: str) -> int:
    engine = create_store_engine(url)
    with read_session(engine) as s:
        found = s.execute(select(User.id).where(User.username == username)).scalar_one()
    engine.dispose()
    return found


def test_customer_value_metrics_read_the_same_on_the_scorecard(store_copy, people):  # noqa: F811
    """Issue 17: with the customer value metrics weighted, a rep's scorecard (as the rep and
    as their manager) shows the repurchase, retention and collection rates of
    ``figures.customers`` — the function the customer list, page and matrix read — over the
    quarter's days counted, as the rep sees their deals."""
    from datetime import date

    from salesboard.accounts.access import SYSTEM, viewer_for
    from salesboard.evaluation.weights import DEFAULT_WEIGHTS, save_weights
    from salesboard.figures.customers import customer_values, retention
    from salesboard.store.db import write_session

    chosen = {**DEFAULT_WEIGHTS, "revenue": 20, "repurchase_rate": 5, "retention": 5,
              "collection_rate": 5}  # fmt: skip
    engine = create_store_engine(store_copy)
    with write_session(engine) as s:
        save_weights(s, SYSTEM, chosen, date(2000, 1, 1))
    period = parse_period(QUARTER)
    today = date.fromisoformat(DEMO_TODAY)
    shown = set()
    for rep in people.reps:
        with read_session(engine) as s:
            user = s.execute(select(User).where(User.username == rep)).scalar_one()
            viewer = viewer_for(s, user)
            value = customer_values(s, viewer, period.start, min(period.end, today))
            kept = retention(s, viewer, period.start, min(period.end, today))
        expected = {
            "repurchase_rate": format_percent(value.repurchase_rate),
            "collection_rate": format_percent(value.collection_rate),
            "retention": format_percent(kept[1] / kept[0] if kept[0] else None),
        }
        for card in (scorecard(rep, QUARTER), scorecard(people.manager, QUARTER, user.id)):
            assert {m: card[m] for m in expected} == expected, rep
        shown |= set(expected.values())
    assert shown - {"—"}, shown  # the demo's reps have rates to compare
    engine.dispose()
