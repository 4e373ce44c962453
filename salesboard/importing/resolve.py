"""Kind-specific validation: each resolver turns parsed fields into the stored columns
(``final``), finds the stored row each business key names, checks the rows the viewer may
write, and plans insert / update / unchanged / skip per row. Opportunities live in
``resolve_opportunities``.

Updating keeps the stored value wherever the file's cell is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Table, select

from salesboard.importing.context import Context, check_duplicates, plan_actions
from salesboard.importing.lookups import opportunities_by_code
from salesboard.importing.resolve_common import (
    changed_columns,
    ctx_days,
    ctx_ids,
    load_rows,
    lookup,
    texts,
    user_names,
    writable,
)
from salesboard.importing.resolve_opportunities import resolve_opportunities
from salesboard.importing.values import match_key
from salesboard.store.models import (
    MONEY_METRICS,
    Collection,
    Customer,
    Goal,
    GoalMetric,
    GoalScope,
    KeyAction,
    Role,
    TeamManager,
    User,
    Visit,
)
from salesboard.store.queries import chunks


def _filled(ctx: Context, name: str) -> np.ndarray:
    if name not in ctx.values:
        return np.zeros(ctx.size, dtype=bool)
    return ctx.values[name].notna().to_numpy()


def _finish(
    ctx: Context,
    table: Table,
    final: dict[str, np.ndarray],
    given: dict[str, np.ndarray],
    existing_id: np.ndarray,
    existing: pd.DataFrame | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Merge updates (empty cells keep stored values), find unchanged rows, plan actions."""
    final = {k: np.array(v) for k, v in final.items()}  # writable copies (pandas hands views)
    if existing is None:
        existing = load_rows(ctx.session, table, existing_id[existing_id > 0].tolist())
    rows = np.flatnonzero(existing_id > 0)
    changes: dict[int, list[str]] = {}
    unchanged = np.zeros(ctx.size, dtype=bool)
    if ctx.mode == "update" and len(rows):
        old = existing.reindex(existing_id[rows])
        for column, values in final.items():
            keep = ~given.get(column, np.zeros(ctx.size, dtype=bool))[rows]
            stored = old[column]
            if np.issubdtype(values.dtype, np.datetime64):
                stored_values = pd.to_datetime(stored, errors="coerce").to_numpy("datetime64[D]")
            elif np.issubdtype(values.dtype, np.integer):
                stored_values = pd.to_numeric(stored, errors="coerce").fillna(0).to_numpy(np.int64)
            else:
                stored_values = stored.to_numpy(dtype=object)
            values[rows[keep]] = stored_values[keep]
        ok = rows[~ctx.log.bad[rows]]
        changes = changed_columns(final, existing, ok, existing_id, list(final))
        for pos, cols in changes.items():
            unchanged[pos] = not cols
    action = plan_actions(ctx, existing_id, unchanged)
    return {
        "_action": action,
        "final": final,
        "existing": existing,
        "existing_id": existing_id,
        "changes": changes,
        **extra,
    }


def _opportunity_refs(ctx: Context, name: str = "opportunity") -> dict[str, np.ndarray]:
    """Opportunity id, owner, team and customer per row from the code column."""
    codes = texts(ctx.value(name), None)
    found = opportunities_by_code(ctx.session, [c for c in codes if c])
    out = {
        "id": lookup({c: r.id for c, r in found.items()}, codes),
        "owner": lookup({c: r.owner_id for c, r in found.items()}, codes),
        "team": lookup({c: r.team_id for c, r in found.items()}, codes),
        "customer": lookup({c: r.customer_id for c, r in found.items()}, codes),
    }
    unknown = pd.notna(codes) & (out["id"] == 0)
    ctx.problem(unknown, name, "unknown_opportunity")
    return out


def _customer_names(ctx: Context, customer_ids: np.ndarray) -> dict[int, str]:
    wanted = sorted({int(i) for i in customer_ids if i})
    names: dict[int, str] = {}
    for chunk in chunks(wanted):
        names.update(
            ctx.session.execute(
                select(Customer.id, Customer.name).where(Customer.id.in_(chunk))
            ).all()
        )
    return names


def _existing_by_key(
    ctx: Context, table: Table, parent: str, parent_ids: np.ndarray, key_columns: Sequence[str],
    key_of: Callable[[tuple], tuple],
) -> dict[tuple, int]:  # fmt: skip
    """Stored rows of ``table`` under the given parents, by business key."""
    wanted = sorted({int(i) for i in parent_ids if i})
    found: dict[tuple, int] = {}
    columns = [table.c.id, *(table.c[k] for k in key_columns)]
    for chunk in chunks(wanted):
        for row in ctx.session.execute(select(*columns).where(table.c[parent].in_(chunk))):
            found.setdefault(key_of(tuple(row[1:])), row[0])
    return found


def _refuse(ctx: Context, allowed: np.ndarray, name: str, who: np.ndarray) -> None:
    refused = ~allowed
    ctx.problem(refused, name, "forbidden", [{"who": w} for w in user_names(ctx, who[refused])])


def _date_key(value: object) -> str:
    return str(pd.Timestamp(value).date()) if value is not None and not pd.isna(value) else ""


# --- key actions ------------------------------------------------------------------------------


def resolve_key_actions(ctx: Context) -> dict[str, Any]:
    """Seed table 1 rows: an opportunity's key action per stage, with plan and actual dates."""
    opp = _opportunity_refs(ctx)
    if ctx.has("customer"):
        names = _customer_names(ctx, opp["customer"])
        typed = ctx.text("customer").to_numpy(dtype=object)
        expected = [names.get(int(c), "") for c in opp["customer"]]
        mismatch = np.array(
            [t is not None and o > 0 and match_key(t) != match_key(e)
             for t, o, e in zip(typed, opp["id"], expected, strict=True)],
            dtype=bool,
        )  # fmt: skip
        params = [{"expected": e} for e, m in zip(expected, mismatch, strict=True) if m]
        ctx.problem(mismatch, "customer", "customer_mismatch", params)
    stage = ctx_ids(ctx, "stage")
    owner = np.where(_filled(ctx, "owner"), ctx_ids(ctx, "owner"), opp["owner"])
    action_text = texts(ctx.value("action"), None)
    keys = pd.Series([match_key(a) if a else None for a in action_text], dtype=object)
    existing = _existing_by_key(
        ctx, KeyAction.__table__, "opportunity_id", opp["id"], ("opportunity_id", "stage_id", "action"),
        lambda r: (r[0], r[1], match_key(r[2])),
    )  # fmt: skip
    existing_id = np.array(
        [
            existing.get((o, s, k), 0)
            for o, s, k in zip(opp["id"].tolist(), stage.tolist(), keys, strict=True)
        ],
        dtype=np.int64,
    )
    allowed = writable(ctx.viewer, owner, opp["team"]) & writable(
        ctx.viewer, opp["owner"], opp["team"]
    )
    stored = load_rows(ctx.session, KeyAction.__table__, existing_id[existing_id > 0].tolist())
    old_owner = lookup(stored["owner_id"].to_dict(), existing_id) if len(stored) else owner
    allowed &= writable(ctx.viewer, np.where(existing_id > 0, old_owner, owner), opp["team"])
    _refuse(ctx, allowed | (opp["id"] == 0), "owner", owner)
    check_duplicates(ctx, {"opportunity": pd.Series(opp["id"]).replace(0, None),
                           "stage": pd.Series(stage).replace(0, None), "action": keys})  # fmt: skip
    final = {
        "opportunity_id": opp["id"],
        "stage_id": stage,
        "owner_id": owner,
        "action": texts(ctx.value("action")),
        "planned_on": ctx_days(ctx, "planned_on"),
        "done_on": ctx_days(ctx, "done_on"),
        "deliverable": texts(ctx.value("deliverable")),
        "customer_feedback": texts(ctx.value("customer_feedback")),
        "risk_flag": texts(ctx.value("risk_flag")),
    }
    given = {
        "owner_id": _filled(ctx, "owner"), "planned_on": _filled(ctx, "planned_on"),
        "done_on": _filled(ctx, "done_on"), "deliverable": _filled(ctx, "deliverable"),
        "customer_feedback": _filled(ctx, "customer_feedback"),
        "risk_flag": _filled(ctx, "risk_flag"), "action": _filled(ctx, "action"),
        "opportunity_id": _filled(ctx, "opportunity"), "stage_id": _filled(ctx, "stage"),
    }  # fmt: skip
    return _finish(ctx, KeyAction.__table__, final, given, existing_id, stored)


# --- visits -----------------------------------------------------------------------------------


def resolve_visits(ctx: Context) -> dict[str, Any]:
    """Customer visits by a rep on a day; effective = decision maker, ≥ 10 minutes, a need."""
    ref = ctx.reference
    rep = ctx_ids(ctx, "rep")
    rep_team = lookup({u.id: u.team_id or 0 for u in ref.users.values()}, rep)
    team_region = lookup({t.id: t.region_id for t in ref.teams.values()}, rep_team)
    region = np.where(ctx_ids(ctx, "region") > 0, ctx_ids(ctx, "region"), team_region)
    names = ctx.text("customer")
    found, ambiguous = ref.customers(ctx.session).resolve(
        names, pd.Series(np.where(region > 0, region, None), dtype=object)
    )
    customer = found.fillna(0).to_numpy(dtype=np.int64)
    ctx.problem(ambiguous.to_numpy(), "customer", "ambiguous_customer")
    ctx.problem(names.notna().to_numpy() & (customer == 0) & ~ambiguous.to_numpy(), "customer",
                "unknown_customer")  # fmt: skip
    opp_id = np.zeros(ctx.size, dtype=np.int64)
    if ctx.has("opportunity"):
        opp = _opportunity_refs(ctx)
        opp_id = opp["id"]
        other = (opp_id > 0) & (customer > 0) & (opp["customer"] != customer)
        ctx.problem(other, "opportunity", "customer_mismatch")
    visited = ctx_days(ctx, "visited_on")
    minutes = ctx.value("minutes", "Int64").fillna(30).to_numpy(dtype=np.int64)
    decision = ctx.value("with_decision_maker", "boolean").fillna(False).to_numpy(dtype=bool)
    need = ctx.value("need_obtained", "boolean").fillna(False).to_numpy(dtype=bool)
    existing = _existing_by_key(
        ctx, Visit.__table__, "customer_id", customer, ("customer_id", "rep_id", "visited_on"),
        lambda r: (r[0], r[1], _date_key(r[2])),
    )  # fmt: skip
    keys = list(zip(customer.tolist(), rep.tolist(), (_date_key(v) for v in visited), strict=True))
    existing_id = np.array([existing.get(k, 0) for k in keys], dtype=np.int64)
    _refuse(ctx, writable(ctx.viewer, rep, rep_team) | (rep == 0), "rep", rep)
    check_duplicates(ctx, {
        "customer": pd.Series(customer).replace(0, None), "rep": pd.Series(rep).replace(0, None),
        "visited_on": pd.Series([k[2] or None for k in keys], dtype=object),
    })  # fmt: skip
    final = {
        "customer_id": customer,
        "opportunity_id": opp_id,
        "rep_id": rep,
        "visited_on": visited,
        "minutes": minutes,
        "with_decision_maker": decision,
        "need_obtained": need,
        "effective": decision & need & (minutes >= 10),
        "goal": texts(ctx.value("goal")),
        "commitment": texts(ctx.value("commitment")),
    }
    given = {
        "opportunity_id": _filled(ctx, "opportunity"), "minutes": _filled(ctx, "minutes"),
        "with_decision_maker": _filled(ctx, "with_decision_maker"),
        "need_obtained": _filled(ctx, "need_obtained"), "goal": _filled(ctx, "goal"),
        "commitment": _filled(ctx, "commitment"), "customer_id": _filled(ctx, "customer"),
        "rep_id": _filled(ctx, "rep"), "visited_on": _filled(ctx, "visited_on"),
    }  # fmt: skip
    plan = _finish(ctx, Visit.__table__, final, given, existing_id)
    # "effective" follows the (merged) parts; an update must not keep a stale flag.
    f = plan["final"]
    f["effective"] = (
        f["with_decision_maker"].astype(bool)
        & f["need_obtained"].astype(bool)
        & (f["minutes"] >= 10)
    )
    return plan


# --- collections ------------------------------------------------------------------------------


def resolve_collections(ctx: Context) -> dict[str, Any]:
    """Amounts due from a deal by a date (回款), with what was collected and when."""
    opp = _opportunity_refs(ctx)
    due_on = ctx_days(ctx, "due_on")
    collected_amount = ctx.value("collected_amount", "Int64")
    dated_without_amount = _filled(ctx, "collected_on") & collected_amount.isna().to_numpy()
    ctx.problem(dated_without_amount, "collected_amount", "missing_required")
    existing = _existing_by_key(
        ctx, Collection.__table__, "opportunity_id", opp["id"], ("opportunity_id", "due_on"),
        lambda r: (r[0], _date_key(r[1])),
    )  # fmt: skip
    due_keys = [_date_key(v) for v in due_on]
    existing_id = np.array(
        [existing.get((o, d), 0) for o, d in zip(opp["id"].tolist(), due_keys, strict=True)],
        dtype=np.int64,
    )
    _refuse(ctx, writable(ctx.viewer, opp["owner"], opp["team"]) | (opp["id"] == 0),
            "opportunity", opp["owner"])  # fmt: skip
    check_duplicates(ctx, {"opportunity": pd.Series(opp["id"]).replace(0, None),
                           "due_on": pd.Series([d or None for d in due_keys], dtype=object)})  # fmt: skip
    final = {
        "opportunity_id": opp["id"],
        "due_on": due_on,
        "due_minor": ctx.value("due_amount", "Int64").fillna(0).to_numpy(dtype=np.int64),
        "collected_on": ctx_days(ctx, "collected_on"),
        "collected_minor": collected_amount.fillna(0).to_numpy(dtype=np.int64),
    }
    given = {
        "due_minor": _filled(ctx, "due_amount"), "collected_on": _filled(ctx, "collected_on"),
        "collected_minor": _filled(ctx, "collected_amount"),
        "opportunity_id": _filled(ctx, "opportunity"), "due_on": _filled(ctx, "due_on"),
    }  # fmt: skip
    return _finish(ctx, Collection.__table__, final, given, existing_id)


# --- goals ------------------------------------------------------------------------------------

SCOPES = (GoalScope.COMPANY, GoalScope.PRODUCT_LINE, GoalScope.REGION, GoalScope.TEAM,
          GoalScope.REP)  # fmt: skip
GOAL_KEY = ("period", "metric", "scope", "product_line_id", "region_id", "team_id", "user_id")


def resolve_goals(ctx: Context) -> dict[str, Any]:
    """Targets per period, metric and scope (company, product line, region, team, rep).

    The scope is the column's, else the finest dimension filled in. A rep's team and a
    team's region are filled in from the store; a scope stores the dimensions down to its
    own (a region goal may carry a product line, as in the demo's goal tree)."""
    ref = ctx.reference
    line_t, region_t = ctx_ids(ctx, "product_line"), ctx_ids(ctx, "region")
    team_t, rep = ctx_ids(ctx, "team"), ctx_ids(ctx, "rep")
    rep_team = lookup({u.id: u.team_id or 0 for u in ref.users.values()}, rep)
    team = np.where(team_t > 0, team_t, rep_team)
    region = np.where(region_t > 0, region_t,
                      lookup({t.id: t.region_id for t in ref.teams.values()}, team))  # fmt: skip
    derived = np.select(
        [rep > 0, team_t > 0, region_t > 0, line_t > 0], list(reversed(SCOPES[1:])),
        default=GoalScope.COMPANY,
    ).astype(object)  # fmt: skip
    given_scope = texts(ctx.value("scope"), "")
    scope = np.where(given_scope != "", given_scope, derived).astype(object)
    level = lookup({s: i for i, s in enumerate(SCOPES)}, scope, default=0)
    typed = [line_t > 0, region_t > 0, team_t > 0, rep > 0]  # levels 1..4
    own = np.select([level == i for i in range(1, 5)], typed, default=True)
    finer = np.zeros(ctx.size, dtype=bool)
    for i, present in enumerate(typed, start=1):
        finer |= present & (i > level)
    ctx.problem((given_scope != "") & (~own | finer), "scope", "scope_conflict")
    line = np.where(level >= 1, line_t, 0)
    region = np.where(level >= 2, region, 0)
    team = np.where(level >= 3, team, 0)
    user = np.where(level >= 4, rep, 0)
    metric = texts(ctx.value("metric"), GoalMetric.REVENUE).astype(object)
    money = np.isin(metric, [str(m) for m in MONEY_METRICS])
    fen = ctx.value("target", "Int64").fillna(0).to_numpy(dtype=np.int64)
    unscaled = ctx.extra.get("unscaled", {}).get("target")
    if unscaled is not None:  # 目标值（万元）: the unit is for money targets only
        fen = np.where(money, fen, unscaled.fillna(0).to_numpy(dtype=np.int64))
    target = np.array(
        [Decimal(int(v)) if m else Decimal(int(v)) / 100 for v, m in zip(fen, money, strict=True)],
        dtype=object,
    )
    periods = ctx.value("period").to_numpy(dtype=object)
    labels = np.array([p.label if p is not None else None for p in periods], dtype=object)
    keys = list(zip(labels.tolist(), metric.tolist(), scope.tolist(), line.tolist(),
                    region.tolist(), team.tolist(), user.tolist(), strict=True))  # fmt: skip
    g = Goal.__table__
    stored: dict[tuple, int] = {}
    for chunk in chunks(sorted({lab for lab in labels if lab})):
        query = select(g.c.id, *(g.c[k] for k in GOAL_KEY)).where(g.c.period.in_(chunk))
        for row in ctx.session.execute(query):
            stored.setdefault(tuple(v if v is not None else 0 for v in row[1:]), row[0])
    existing_id = np.array([stored.get(k, 0) if k[0] else 0 for k in keys], dtype=np.int64)
    check_duplicates(ctx, {"period": pd.Series(labels, dtype=object),
                           "key": pd.Series([repr(k[1:]) for k in keys], dtype=object)})  # fmt: skip
    final = {
        "period": labels,
        "period_start": np.array([p.start if p else None for p in periods], dtype="datetime64[D]"),
        "period_end": np.array([p.end if p else None for p in periods], dtype="datetime64[D]"),
        "metric": metric,
        "scope": scope,
        "product_line_id": line,
        "region_id": region,
        "team_id": team,
        "user_id": user,
        "owner_id": np.where(_filled(ctx, "owner"), ctx_ids(ctx, "owner"), user),
        "target": target,
    }
    given = {column: np.ones(ctx.size, dtype=bool) for column in final}
    given["owner_id"] = _filled(ctx, "owner") | (user > 0)
    return _finish(ctx, Goal.__table__, final, given, existing_id)


# --- customers --------------------------------------------------------------------------------


def resolve_customers(ctx: Context) -> dict[str, Any]:
    """Customers by name and region (the same name may exist once per region)."""
    names = texts(ctx.value("customer_name"), None)
    region = ctx_ids(ctx, "region")
    index = ctx.reference.customers(ctx.session)
    by_key = {(k, r): i for k, pairs in index.by_key.items() for i, r in pairs}
    keys = [match_key(n) if n else None for n in names]
    existing_id = np.array(
        [by_key.get((k, int(r)), 0) for k, r in zip(keys, region, strict=True)], dtype=np.int64
    )
    check_duplicates(ctx, {"customer_name": pd.Series(keys, dtype=object),
                           "region": pd.Series(region).replace(0, None)})  # fmt: skip
    today = np.datetime64(ctx.today, "D")
    created = ctx_days(ctx, "created_on")
    final = {
        "name": texts(ctx.value("customer_name")),
        "region_id": region,
        "industry": texts(ctx.value("industry")),
        "customer_type": texts(ctx.value("customer_type"), "enterprise"),
        "potential": texts(ctx.value("potential"), "low"),
        "owner_id": ctx_ids(ctx, "owner"),
        "created_on": np.where(np.isnat(created), today, created),
    }
    given = {
        "industry": _filled(ctx, "industry"), "customer_type": _filled(ctx, "customer_type"),
        "potential": _filled(ctx, "potential"), "owner_id": _filled(ctx, "owner"),
        "created_on": _filled(ctx, "created_on"), "region_id": _filled(ctx, "region"),
    }  # fmt: skip
    return _finish(ctx, Customer.__table__, final, given, existing_id)


# --- users and teams --------------------------------------------------------------------------


def resolve_users(ctx: Context) -> dict[str, Any]:
    """Users by username, with role, team (created when the row names its region) and
    active flag. New users get no password: an admin sets one before they sign in."""

    ref = ctx.reference
    usernames = texts(ctx.value("username"), None)
    bad_name = np.array([u is not None and (any(c.isspace() for c in u)) for u in usernames])
    ctx.problem(bad_name, "username", "bad_username")
    emails = texts(ctx.value("email"), None)
    bad_email = np.array([e is not None and ("@" not in e or " " in e) for e in emails])
    ctx.problem(bad_email, "email", "bad_email")
    by_name = {match_key(u.username): u.id for u in ref.users.values()}
    existing_id = np.array([by_name.get(match_key(u), 0) if u else 0 for u in usernames],
                           dtype=np.int64)  # fmt: skip
    # Teams: existing by name, else created in the row's region.
    team_text = ctx.text("team")
    team = ref.team_index.resolve(team_text).fillna(0).to_numpy(dtype=np.int64)
    region = ctx_ids(ctx, "region")
    unknown_team = team_text.notna().to_numpy() & (team == 0)
    ctx.problem(unknown_team & (region == 0) & ~_filled(ctx, "region"), "team", "unknown_team")
    new_teams: dict[tuple[str, int], int] = {}
    for pos in np.flatnonzero(unknown_team & (region > 0)).tolist():
        key = (team_text.iat[pos], int(region[pos]))
        new_teams.setdefault(key, len(new_teams))
        team[pos] = -(new_teams[key] + 1)
    role = texts(ctx.value("role"), Role.REP).astype(object)
    active = ctx.value("active", "boolean").fillna(True).to_numpy(dtype=bool)
    self_row = (existing_id > 0) & (existing_id == (ctx.viewer.user_id or -1))
    own_role = ref.users[ctx.viewer.user_id].role if ctx.viewer.user_id in ref.users else ""
    ctx.problem(self_row & ((_filled(ctx, "role") & (role != own_role)) | ~active), "role",
                "self_change")  # fmt: skip
    check_duplicates(ctx, {"username": pd.Series([match_key(u) if u else None for u in usernames],
                                                 dtype=object)})  # fmt: skip
    final = {
        "username": texts(ctx.value("username")),
        "display_name": texts(ctx.value("display_name")),
        "role": role,
        "team_id": team,
        "email": texts(ctx.value("email"), None),
        "active": active,
    }
    given = {
        "role": _filled(ctx, "role"), "team_id": team_text.notna().to_numpy(),
        "email": _filled(ctx, "email"), "active": _filled(ctx, "active"),
        "display_name": _filled(ctx, "display_name"),
        # the stored spelling of a username stays (matching ignores case and width)
        "username": np.zeros(ctx.size, dtype=bool),
    }  # fmt: skip
    plan = _finish(ctx, User.__table__, final, given, existing_id)
    plan["new_teams"] = pd.DataFrame(
        [(name, region_id) for (name, region_id) in new_teams], columns=["name", "region_id"]
    )
    led = set(ctx.session.execute(select(TeamManager.team_id, TeamManager.user_id)).all())
    plan["team_managers"] = led
    if len(plan["new_teams"]):
        plan["_notes"] = [("import.note.new_teams", {"count": len(plan["new_teams"])})]
    return plan


RESOLVERS: dict[str, Callable[[Context], dict[str, Any]]] = {
    "opportunities": resolve_opportunities,
    "key_actions": resolve_key_actions,
    "visits": resolve_visits,
    "collections": resolve_collections,
    "goals": resolve_goals,
    "customers": resolve_customers,
    "users": resolve_users,
}

__all__ = ["RESOLVERS"]
