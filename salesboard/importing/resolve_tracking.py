"""The tracking table in one pass (seed table 1 with amount and created date, issue 14): one
row per opportunity x key action. The rows of one code are one deal, resolved as an
opportunity import of one row per deal (``resolve_opportunities``, so its rules, customers
it may create and permissions hold); each row is then that deal's key action.

Per deal: customer, owner and amount must agree on every row that fills them (else every
row of the deal fails, the two rows named); other deal fields take the first row that fills
them. The deal's stage is the furthest stage its rows reach (a stored deal never moves
back); a stage was entered on the earliest planned or actual date of its rows, and no later
than any later stage was (stage dates never go backwards). A problem of the deal is a
problem of each of its rows: nothing of a deal is written half.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from salesboard.importing.context import (
    Context,
    ProblemLog,
    Validation,
    check_duplicates,
)
from salesboard.importing.kinds import OPPORTUNITIES, STAGE_DATE_PREFIX, stage_date_field
from salesboard.importing.readers import RawTable
from salesboard.importing.resolve_common import (
    NAT,
    ctx_days,
    ctx_ids,
    filled,
    finish_plan,
    refuse,
    texts,
    writable,
)
from salesboard.importing.resolve_key_actions import key_action_columns, stored_key_actions
from salesboard.importing.resolve_opportunities import resolve_opportunities
from salesboard.importing.text import cell_text
from salesboard.importing.values import match_key
from salesboard.store.models import KeyAction, StageKind
from salesboard.store.queries import chunks
from salesboard.store.tables import OPP

AGREEING = ("customer", "owner", "amount")  # one value per deal, or the rows contradict
# Deal fields taken from the first row that fills them.
FIRST_FILLED = ("amount", "created_on", "product_line", "opportunity_name")
# A deal's problem on an opportunity field is shown on this column of its rows.
SHOWN_ON = {"team": "owner", "region": "owner", "status": "stage", "lost_stage": "stage",
            "stage_entered_on": "planned_on"}  # fmt: skip


def _deal_rows(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(deal index per row, -1 without a code; position of each deal's first row)."""
    deal_of, uniques = pd.factorize(pd.Series(codes, dtype=object), use_na_sentinel=True)
    first = np.full(len(uniques), -1, dtype=np.int64)
    for pos in np.flatnonzero(deal_of >= 0)[::-1].tolist():
        first[deal_of[pos]] = pos
    return deal_of, first


def _agreement(ctx: Context, deal_of: np.ndarray) -> np.ndarray:
    """Rows of deals whose rows contradict each other on customer, owner or amount; both
    rows of each contradiction are problems naming the other, the deal's other rows too."""
    rows = ctx.table.row_numbers
    keys = {
        "customer": [match_key(v) if v else None for v in ctx.text("customer")],
        "owner": [int(v) if v > 0 else None for v in ctx_ids(ctx, "owner")],
        "amount": [None if pd.isna(v) else int(v) for v in ctx.value("amount", "Int64")],
    }
    conflicted = np.zeros(len(deal_of), dtype=bool)
    for name in AGREEING:
        if not ctx.has(name):
            continue
        first: dict[int, int] = {}  # deal -> the first row filling the field
        pairs: list[tuple[int, int]] = []
        for pos, (deal, key) in enumerate(zip(deal_of.tolist(), keys[name], strict=True)):
            if deal < 0 or key is None:
                continue
            ref = first.setdefault(deal, pos)
            if keys[name][ref] != key:
                pairs.append((pos, ref))
        if not pairs:
            continue
        cells = ctx.table.frame[ctx.mapping[name]].to_numpy(dtype=object)
        where, params = [], []
        for pos, ref in pairs:
            for here, there in ((pos, ref), (ref, pos)):
                where.append(here)
                params.append({"row": int(rows[there]), "other": cell_text(cells[there]) or ""})
        ctx.problem(np.array(where, dtype=np.int64), name, "deal_conflict", params)
        conflicted[where] = True
    bad_deals = np.unique(deal_of[conflicted])
    rest = np.isin(deal_of, bad_deals) & ~conflicted & (deal_of >= 0)
    if rest.any():
        numbers = {d: ", ".join(str(int(r)) for r in rows[conflicted & (deal_of == d)])
                   for d in bad_deals.tolist()}  # fmt: skip
        ctx.problem(rest, "code", "deal_rejected", [{"rows": numbers[d]} for d in deal_of[rest]])
    return conflicted | rest


def _first_filled(series: pd.Series, deal_of: np.ndarray, first: np.ndarray) -> pd.Series:
    """Per deal the value of its first row that has one (missing when none does)."""
    frame = pd.DataFrame({"deal": deal_of, "value": series.to_numpy(dtype=object)})
    frame = frame[(frame["deal"] >= 0) & frame["value"].notna()]
    found = frame.groupby("deal", sort=False)["value"].first()
    values = [found.get(d) for d in range(len(first))]
    return pd.Series(pd.array(values, dtype=series.dtype), dtype=series.dtype)


def _stored_stages(ctx: Context, codes: list[str]) -> dict[str, int]:
    """The current stage of the stored deals among ``codes``."""
    found: dict[str, int] = {}
    for chunk in chunks(sorted(set(codes))):
        found.update(ctx.session.execute(
            select(OPP.c.code, OPP.c.current_stage_id).where(OPP.c.code.in_(chunk))
        ).all())  # fmt: skip
    return found


def _stage_dates(ctx: Context, deal_of: np.ndarray, n_deals: int, stages) -> np.ndarray:
    """(deals x stages) the date each stage was entered: the earliest planned or actual date
    of the deal's rows in it, brought forward to any later stage's earlier date. A stage is
    never entered after today: one whose rows are only planned later (delivery planned for
    next month) was entered when the stages before it last had work done, else today."""
    stage = ctx_ids(ctx, "stage")
    nat = np.datetime64("NaT", "D").astype(np.int64)
    big = np.iinfo(np.int64).max  # "no date" (NaT as int64 would sort first)
    planned, done = ctx_days(ctx, "planned_on"), ctx_days(ctx, "done_on")
    row_date = np.minimum(np.where(np.isnat(planned), big, planned.astype(np.int64)),
                          np.where(np.isnat(done), big, done.astype(np.int64)))  # fmt: skip
    matrix = np.full((n_deals, len(stages)), big, dtype=np.int64)
    column = {s.id: i for i, s in enumerate(stages)}
    for pos in np.flatnonzero((deal_of >= 0) & (row_date < big)).tolist():
        col = column.get(int(stage[pos]))
        if col is not None:
            matrix[deal_of[pos], col] = min(matrix[deal_of[pos], col], row_date[pos])
    today = np.datetime64(ctx.today, "D").astype(np.int64)
    done_in = np.full((n_deals, len(stages)), -1, dtype=np.int64)  # latest work done per stage
    done_days = np.where(np.isnat(done), -1, done.astype(np.int64))
    for pos in np.flatnonzero((deal_of >= 0) & (done_days >= 0) & (done_days <= today)).tolist():
        col = column.get(int(stage[pos]))
        if col is not None:
            done_in[deal_of[pos], col] = max(done_in[deal_of[pos], col], done_days[pos])
    done_before = np.maximum.accumulate(np.c_[np.full(n_deals, -1), done_in[:, :-1]], axis=1)
    future = (matrix < big) & (matrix > today)
    matrix[future] = np.where(done_before[future] >= 0, done_before[future], today)
    later = np.minimum.accumulate(matrix[:, ::-1], axis=1)[:, ::-1]
    out = np.where(matrix < big, later, nat)
    return out.astype("datetime64[D]")


def _deal_context(ctx: Context, deal_of: np.ndarray, first: np.ndarray) -> Context:
    """The deals as an opportunity import of one row per deal."""
    ref = ctx.reference
    n = len(first)
    stages = [s for s in ref.stages if s.kind != StageKind.LOST]
    position = {s.id: s.position for s in ref.stages}
    codes = texts(ctx.value("code"), None)[first] if n else np.empty(0, dtype=object)
    # The furthest stage the rows reach (a stored deal further on stays where it is).
    stage = ctx_ids(ctx, "stage")
    reach = np.zeros(n, dtype=np.int64)
    for pos in np.flatnonzero((deal_of >= 0) & (stage > 0)).tolist():
        d = deal_of[pos]
        if not reach[d] or position[int(stage[pos])] > position[int(reach[d])]:
            reach[d] = stage[pos]
    stored = _stored_stages(ctx, [c for c in codes if c])
    held = np.array([stored.get(c, 0) or 0 for c in codes], dtype=np.int64)
    behind = (held > 0) & np.array([position.get(int(h), 0) > position.get(int(r), 0)
                                    for h, r in zip(held, reach, strict=True)], dtype=bool)  # fmt: skip
    moved = (held > 0) & (held != reach) & ~behind
    current = np.where(behind, held, reach)
    dates = _stage_dates(ctx, deal_of, n, stages)
    values: dict[str, pd.Series] = {
        "code": pd.Series(codes, dtype=object),
        "owner": _first_filled(ctx.value("owner", "Int64"), deal_of, first),
        "stage": pd.Series(pd.array(np.where(current > 0, current, 0), dtype="Int64")).replace(
            0, pd.NA
        ),
        "customer": _first_filled(ctx.value("customer"), deal_of, first),
        "risk_flag": _last_filled(ctx.value("risk_flag"), deal_of, n),
    }
    for name in FIRST_FILLED:
        if ctx.has(name):
            values[name] = _first_filled(ctx.value(name), deal_of, first)
    mapping = {name: name for name in values}
    if n:
        # New deals: every stage's date (their history); stored ones: the date of the
        # stage they move to (a deal that stays keeps its dates).
        column = {s.id: i for i, s in enumerate(stages)}
        entered = np.array([dates[d, column[c]] if c in column else NAT
                            for d, c in enumerate(current.tolist())], dtype="datetime64[D]")  # fmt: skip
        values["stage_entered_on"] = pd.Series(np.where(moved | (held == 0), entered, NAT))
        mapping["stage_entered_on"] = "stage_entered_on"
        for i, s in enumerate(stages):
            if (held == 0).any() and not np.isnat(dates[held == 0, i]).all():
                name = stage_date_field(s.code)
                values[name] = pd.Series(np.where(held == 0, dates[:, i], NAT))
                mapping[name] = name
    table = RawTable(columns=[], frame=pd.DataFrame(index=ctx.table.row_numbers[first]),
                     header_row=ctx.table.header_row, header_rows=1, sheet=ctx.table.sheet,
                     source_format=ctx.table.source_format, column_letters=[])  # fmt: skip
    deals = Context(session=ctx.session, kind=OPPORTUNITIES, table=table, mapping=mapping,
                    viewer=ctx.viewer, mode=ctx.mode, options=ctx.options,
                    reference=ctx.reference, log=ProblemLog(n), today=ctx.today)  # fmt: skip
    deals.values.update(values)
    deals.texts["customer"] = values["customer"]
    return deals


def _last_filled(series: pd.Series, deal_of: np.ndarray, n: int) -> pd.Series:
    """Per deal the value of its last row that has one."""
    frame = pd.DataFrame({"deal": deal_of, "value": series.to_numpy(dtype=object)})
    frame = frame[(frame["deal"] >= 0) & frame["value"].notna()]
    found = frame.groupby("deal", sort=False)["value"].last()
    return pd.Series([found.get(d) for d in range(n)], dtype=object)


def _deal_problems_to_rows(ctx: Context, deals: Context, deal_of: np.ndarray) -> None:
    """Each problem of a deal, on every row of that deal."""
    for part in deals.log.parts:
        name = part.field
        if name.startswith(STAGE_DATE_PREFIX):
            name = "planned_on"
        name = SHOWN_ON.get(name, name)
        per_deal = part.params if isinstance(part.params, list) else [part.params] * len(
            part.positions)  # fmt: skip
        params_of = dict(zip(part.positions.tolist(), per_deal, strict=True))
        rows = np.flatnonzero(np.isin(deal_of, part.positions))
        ctx.problem(rows, name, part.code, [params_of[int(deal_of[r])] for r in rows])


def resolve_tracking(ctx: Context) -> dict[str, Any]:
    """Seed table 1 rows: each row's deal (created or updated once per code) and key action
    (see the module docstring)."""
    codes = texts(ctx.value("code"), None)
    deal_of, first = _deal_rows(codes)
    _agreement(ctx, deal_of)
    deals = _deal_context(ctx, deal_of, first)
    deal_plan = resolve_opportunities(deals)
    deal_action = deal_plan.pop("_action")
    notes = deal_plan.pop("_notes", [])
    deal_plan["today"] = ctx.today
    _deal_problems_to_rows(ctx, deals, deal_of)
    new_deal = (deal_of >= 0) & (deal_plan["existing_id"][np.maximum(deal_of, 0)] == 0)
    for name in ("owner", "amount", "product_line"):  # a new deal needs them on one row
        missing = deals.value(name).isna().to_numpy()
        ctx.problem(new_deal & missing[np.maximum(deal_of, 0)], name, "new_deal_needs")
    # Each row: a key action of its deal.
    has_deal = deal_of >= 0
    opp_id = np.where(has_deal, deal_plan["existing_id"][np.maximum(deal_of, 0)], 0)
    team = np.where(has_deal, deal_plan["final"]["team_id"][np.maximum(deal_of, 0)], 0)
    deal_owner = np.where(has_deal, deal_plan["final"]["owner_id"][np.maximum(deal_of, 0)], 0)
    stage = ctx_ids(ctx, "stage")
    owner = np.where(filled(ctx, "owner"), ctx_ids(ctx, "owner"), deal_owner)
    refuse(ctx, writable(ctx.viewer, owner, team) | (owner == 0), "owner", owner)
    action_text = texts(ctx.value("action"), None)
    keys = pd.Series([match_key(a) if a else None for a in action_text], dtype=object)
    existing_id = stored_key_actions(ctx, opp_id, stage, keys)
    check_duplicates(ctx, {"code": pd.Series(codes, dtype=object),
                           "stage": pd.Series(stage).replace(0, None), "action": keys})  # fmt: skip
    final, given = key_action_columns(ctx, opp_id, stage, owner)  # new deals' ids: at writing
    given["opportunity_id"] = np.zeros(ctx.size, dtype=bool)
    plan = finish_plan(ctx, KeyAction.__table__, final, given, existing_id)
    # A deal none of whose rows is written is not written either.
    written = np.zeros(len(first), dtype=bool)
    written[deal_of[has_deal & (plan["_action"] != "failed")]] = True
    deal_action[~written & (deal_action != "failed")] = "failed"
    plan["deals"] = Validation(
        kind=OPPORTUNITIES, mode=ctx.mode, mapping=deals.mapping, table=deals.table,
        problems=pd.DataFrame(), action=deal_action, notes=[], plan=deal_plan,
    )  # fmt: skip
    plan["deal_of"] = deal_of
    plan["_notes"] = [*notes, *_deal_counts(deal_action)]
    return plan


def _deal_counts(action: np.ndarray) -> list[tuple[str, dict]]:
    counts = {a: int((action == a).sum()) for a in ("insert", "update")}
    if not counts["insert"] and not counts["update"]:
        return []
    return [("import.note.tracking_deals", {"new": counts["insert"], "updated": counts["update"]})]
