"""Leads for the demo company (issue 17), so the Leads page, its breaches and conversion
chart and My work's new leads show real data:

- scoring criteria (budget, urgency, fit, referral source, 制造业) and assignment rules: each
  region's first team takes its region's leads in turn, 制造业 of the region with two teams
  goes to its second team (no API token: a token is shown once, to whoever makes it);
- leads over the last 12 months from every source, received mostly in working hours: the
  older ones converted (linked to a demo deal of that source created the same days, its
  owner the assignee — different rates by source) or rejected with a reason, the recent ones
  assigned or still new; most assigned within minutes, a few over the ≤ 1 working hour
  standard, a few recent ones waiting unassigned.
Rows go in with one bulk insert; times to assign are set directly (the arrival path is the
domain's, tested on its own)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, insert, select, update

from salesboard.accounts.access import SYSTEM
from salesboard.calendar.workdays import load_calendar
from salesboard.demo.bulk import bulk_insert
from salesboard.demo.vocabulary import COMPANY_WORD1, COMPANY_WORD2, INDUSTRIES, SURNAMES
from salesboard.leads.rules import Criterion, matching_rule, score_lead
from salesboard.leads.settings import add_rule, load_rules, save_criteria
from salesboard.store.db import write_session
from salesboard.store.models import Region, Role
from salesboard.store.settings import get_settings
from salesboard.store.tables import AUDIT, CUSTOMER, LEAD, OPP, TEAM, USER

CRITERIA = (
    Criterion("budget", "500000", 30), Criterion("budget", "100000", 15),
    Criterion("urgency", "high", 25), Criterion("urgency", "medium", 10),
    Criterion("fit", "high", 30), Criterion("fit", "medium", 15),
    Criterion("source", "referral", 10), Criterion("source", "partner", 5),
    Criterion("industry", "制造业", 5),
)  # fmt: skip
# Share of leads per source and how many of a source's worked leads become deals.
SOURCES = {"website": (0.35, 0.18), "exhibition": (0.2, 0.15), "referral": (0.15, 0.45),
           "cold_call": (0.15, 0.08), "partner": (0.15, 0.3)}  # fmt: skip
REASONS = ("duplicate", "no_budget", "no_need", "unreachable", "not_target", "spam")
LEADS_PER_REP = 12
MONTHS = 12
WAN = 1_000_000  # minor units of 1万元


def _rules(session, teams) -> list[tuple[int, int]]:
    """One rule per region to its first team (and 制造业 to a second team); (region, team)
    of the round-robin rules."""
    by_region: dict[int, list[int]] = {}
    for team_id, region_id in teams:
        by_region.setdefault(region_id, []).append(team_id)
    codes = dict(session.execute(select(Region.id, Region.code)).all())
    routes = []
    for region_id, team_ids in by_region.items():
        if len(team_ids) > 1:
            add_rule(session, SYSTEM, region=codes[region_id], industry="制造业", team=team_ids[1])
        add_rule(session, SYSTEM, region=codes[region_id], team=team_ids[0])
        routes.append((region_id, team_ids[0]))
    if teams:  # a lead naming no region (a web form may not ask) goes to the first team
        add_rule(session, SYSTEM, region=None, team=teams[0][0])
    return routes


def _received(rng: random.Random, day: date, zone: ZoneInfo) -> datetime:
    """Mostly within working hours, one in six in the evening (the clock waits till 09:00)."""
    if rng.random() < 1 / 6:
        clock = time(rng.choice((7, 18, 19, 20, 21)), rng.randrange(60))
    else:
        clock = time(rng.randrange(9, 18), rng.randrange(60))
    return datetime.combine(day, clock, zone).astimezone(UTC)


def _company(rng: random.Random, industry: str) -> str:
    return rng.choice(COMPANY_WORD1) + rng.choice(COMPANY_WORD2) + rng.choice(INDUSTRIES[industry])


def add_demo_leads(engine: Engine, today: date, seed: int, per_rep: int = LEADS_PER_REP) -> int:
    """Criteria, rules and the demo's leads (``per_rep`` a year for each rep);
    returns how many leads."""
    rng = random.Random(seed + 17)
    zone = ZoneInfo(get_settings().timezone)
    with write_session(engine) as session:
        calendar = load_calendar(session)
        save_criteria(session, SYSTEM, list(CRITERIA))
        teams = session.execute(select(TEAM.c.id, TEAM.c.region_id).order_by(TEAM.c.id)).all()
        routes = _rules(session, teams)
        reps: dict[int, list[int]] = {}
        for user_id, team_id in session.execute(
            select(USER.c.id, USER.c.team_id).where(USER.c.role == Role.REP, USER.c.active)
            .order_by(USER.c.id)
        ):  # fmt: skip
            reps.setdefault(team_id, []).append(user_id)
        start = today - timedelta(days=MONTHS * 30)
        deals = session.execute(
            select(OPP.c.id, OPP.c.created_on, OPP.c.source, OPP.c.owner_id, OPP.c.team_id,
                   OPP.c.region_id, CUSTOMER.c.name, CUSTOMER.c.industry)
            .join(CUSTOMER, CUSTOMER.c.id == OPP.c.customer_id)
            .where(OPP.c.created_on >= start, OPP.c.created_on < today - timedelta(days=7))
            .order_by(OPP.c.id.desc()).limit(per_rep * 200)
        ).all()  # fmt: skip
        rows = _leads(
            rng, calendar, zone, today, (routes, load_rules(session)), reps, deals, per_rep
        )
        if rows and all(row.keys() == rows[0].keys() for row in rows):
            bulk_insert(session.connection(), LEAD, {k: [r[k] for r in rows] for k in rows[0]})
        elif rows:
            session.execute(insert(LEAD), rows)
        # The settings' audit entries on the demo's day, so a seed gives the same store.
        stamp = datetime.combine(today, time(9), zone).astimezone(UTC)
        session.execute(
            update(AUDIT).where(AUDIT.c.entity.in_(("setting", "lead_rule"))).values(at=stamp)
        )
    return len(rows)


def _leads(rng, calendar, zone, today, routing, reps, deals, per_rep) -> list[dict]:
    routes, rules = routing
    total = max(40, per_rep * sum(len(v) for v in reps.values()))
    days = [today - timedelta(days=d) for d in range(MONTHS * 30, -1, -1)]
    workdays = [d for d in days if calendar.is_working_day(d)]
    unused: dict[tuple[str, date], list] = {}
    for deal in deals:  # by source and creation day: a lead finds its deal in a few lookups
        unused.setdefault((deal.source, deal.created_on), []).append(deal)
    turn: dict[int, int] = {}
    rows = []
    cutoff = datetime.now(UTC)
    for _ in range(total):
        source = rng.choices(list(SOURCES), [w for w, _ in SOURCES.values()])[0]
        # Recent weeks are busier: a third of the leads in the last month.
        day = rng.choice(workdays[-22:] if rng.random() < 0.33 else workdays)
        received = _received(rng, day, zone)
        region_id = rng.choice(routes)[0]
        industry = "制造业" if rng.random() < 0.3 else rng.choice(list(INDUSTRIES))
        rule = matching_rule(rules, region_id, industry)
        team_id = rule.team_id if rule else None
        age = (today - day).days
        if received > cutoff:  # today's leads arrive before now
            received = cutoff - timedelta(minutes=rng.randrange(5, 240))
        budget = rng.choice((None, 5, 10, 20, 50, 80, 120))
        row = {
            "source": source, "received_at": received, "company": _company(rng, industry),
            "contact_name": rng.choice(SURNAMES)[0] + rng.choice(("先生", "女士", "经理", "总")),
            "contact_phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            "contact_email": "", "industry": industry, "region_id": region_id,
            "budget_minor": budget * WAN if budget else None,
            "urgency": rng.choice(("high", "medium", "low", "")), "fit": rng.choice(("high", "medium", "low")),
            "message": "", "score": 0, "status": "assigned", "assigned_to": None, "team_id": team_id,
            "assigned_at": None, "rule_id": rule.id if rule else None, "opportunity_id": None, "closed_at": None,
            "reject_reason": "", "reject_note": "", "idempotency_key": None, "request_hash": "",
            "created_by": None, "version": 1,
        }  # fmt: skip
        row["score"] = score_lead(row, CRITERIA)
        team_reps = reps.get(team_id) or [None]
        turn[team_id] = turn.get(team_id, -1) + 1
        row["assigned_to"] = team_reps[turn[team_id] % len(team_reps)]
        late = rng.random() < (0.2 if age <= 30 else 0.06)  # a few recent breaches per team
        minutes = rng.randrange(90, 400) if late else rng.randrange(3, 55)
        row["assigned_at"] = _after_working(received, minutes, calendar, zone)
        if age <= 3 and rng.random() < 0.25 or row["assigned_to"] is None:
            row.update(status="new", assigned_to=None, assigned_at=None)
        elif age > 10:
            _close(rng, row, source, unused, day, received)
        if row["assigned_at"] is not None and row["assigned_at"] > cutoff:  # not yet
            row.update(status="new", assigned_to=None, assigned_at=None)
        rows.append(row)
    return rows


def _after_working(received: datetime, minutes: int, calendar, zone: ZoneInfo) -> datetime:
    """The moment ``minutes`` working minutes (09:00–18:00 of working days) after arrival."""
    local = received.astimezone(zone)
    left = minutes
    while True:
        day = local.date()
        opens, closes = datetime.combine(day, time(9), zone), datetime.combine(day, time(18), zone)
        if calendar.is_working_day(day) and local < closes:
            begin = max(local, opens)
            room = int((closes - begin).total_seconds() // 60)
            if room >= left:
                return (begin + timedelta(minutes=left)).astimezone(UTC)
            left -= room
        local = datetime.combine(day + timedelta(days=1), time(0), zone)


def _close(rng, row: dict, source: str, unused: dict, day: date, received: datetime) -> None:
    """Converted into a demo deal of the source created in the next days, or rejected."""
    converts = rng.random() < SOURCES[source][1]
    if converts:
        pools = (unused.get((source, day + timedelta(days=n))) for n in range(11))
        pool = next((p for p in pools if p), None)
        if pool:
            match = pool.pop()
            row.update(status="converted", opportunity_id=match.id, assigned_to=match.owner_id,
                       team_id=match.team_id, region_id=match.region_id, company=match.name,
                       industry=match.industry or row["industry"],
                       closed_at=datetime.combine(match.created_on, time(10), UTC))  # fmt: skip
            return
    if rng.random() < 0.7:
        reason = rng.choice(REASONS)
        row.update(status="rejected", reject_reason=reason,
                   closed_at=received + timedelta(days=rng.randrange(1, 6)))  # fmt: skip
