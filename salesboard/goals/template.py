"""Goals in and out of a spreadsheet: a template XLSX (today's goals, or examples) and a small
validated reader that reports problems by row number. All rows are checked before anything
is written, and the import is one transaction: all rows or none.

Columns (codes, so a sheet works in both languages): period, metric, scope, product_line,
region, team, rep, owner, target. Product lines and regions by code or name, teams by name,
reps and owners by username or display name; money targets in 万元 (10,000 CNY).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import parse_period
from salesboard.goals.format import MINOR_PER_WAN
from salesboard.goals.tree import DIMENSIONS, SCOPE_ORDER
from salesboard.goals.validation import GoalDraft, GoalError, as_target, fill_dimensions, validate
from salesboard.goals.writes import create_goal, existing_goal, update_goal
from salesboard.i18n import TRANSLATIONS, t
from salesboard.outputs.export import Sheet, to_xlsx
from salesboard.store.models import MONEY_METRICS, Goal, GoalMetric, ProductLine, Region, Team, User

COLUMNS = ("period", "metric", "scope", "product_line", "region", "team", "rep", "owner", "target")
MAX_ROWS = 20_000


class TemplateError(ValueError):
    """Problems found in an uploaded sheet: ``problems`` = [(row number, column, text)]."""

    def __init__(self, problems: list[tuple[int, str, str]]) -> None:
        self.problems = problems
        first = problems[0] if problems else (0, "", "")
        super().__init__(f"{len(problems)} problem(s); row {first[0]} {first[1]}: {first[2]}")


@dataclass(frozen=True)
class TemplateRow:
    """One goal read from a sheet, with the sheet row it came from."""

    row: int
    draft: GoalDraft


@dataclass
class ImportResult:
    """What an import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    goal_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Lookup:
    lines: dict[str, int]
    regions: dict[str, int]
    teams: dict[str, int]
    users: dict[str, int]
    line_code: dict[int, str]
    region_code: dict[int, str]
    team_name: dict[int, str]
    username: dict[int, str]


def _lookup(session: Session) -> _Lookup:
    lines, regions, teams, users = {}, {}, {}, {}
    line_code, region_code, team_name, username = {}, {}, {}, {}
    for row in session.execute(select(ProductLine)).scalars():
        for key in (row.code, row.name_zh, row.name_en):
            lines[key.strip().lower()] = row.id
        line_code[row.id] = row.code
    for row in session.execute(select(Region)).scalars():
        for key in (row.code, row.name_zh, row.name_en):
            regions[key.strip().lower()] = row.id
        region_code[row.id] = row.code
    for row in session.execute(select(Team)).scalars():
        teams[row.name.strip().lower()] = row.id
        team_name[row.id] = row.name
    for row in session.execute(select(User)).scalars():
        users.setdefault(row.display_name.strip().lower(), row.id)
        users[row.username.strip().lower()] = row.id
        username[row.id] = row.username
    return _Lookup(lines, regions, teams, users, line_code, region_code, team_name, username)


def _money_factor(metric: str) -> int:
    return MINOR_PER_WAN if metric in MONEY_METRICS else 1


def template_frame(session: Session, period: str, metric: str) -> pd.DataFrame:
    """The goals of ``period`` and ``metric`` in template columns (parents first)."""
    names = _lookup(session)
    goals = (
        session.execute(select(Goal).where(Goal.period == period, Goal.metric == metric))
        .scalars()
        .all()
    )
    goals = sorted(goals, key=lambda g: (SCOPE_ORDER.get(g.scope, 9), g.id))
    factor = _money_factor(metric)
    rows = [
        {
            "period": g.period,
            "metric": g.metric,
            "scope": g.scope,
            "product_line": names.line_code.get(g.product_line_id, ""),
            "region": names.region_code.get(g.region_id, ""),
            "team": names.team_name.get(g.team_id, ""),
            "rep": names.username.get(g.user_id, ""),
            "owner": names.username.get(g.owner_id, ""),
            "target": float(Decimal(g.target) / factor),
        }
        for g in goals
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def template_xlsx(session: Session, period: str, metric: str, lang: str) -> bytes:
    """A template workbook: the period's goals (or one example row) and a sheet of the
    allowed values (product lines, regions, teams, people)."""
    frame = template_frame(session, period, metric)
    if frame.empty:
        frame = pd.DataFrame(
            [{"period": period, "metric": metric, "scope": "company", "product_line": "",
              "region": "", "team": "", "rep": "", "owner": "", "target": 0.0}]
        )  # fmt: skip
    names = _lookup(session)
    reference = pd.DataFrame(
        {
            "kind": ["product_line"] * len(names.line_code)
            + ["region"] * len(names.region_code)
            + ["team"] * len(names.team_name)
            + ["person"] * len(names.username),
            "value": [*names.line_code.values(), *names.region_code.values(),
                      *names.team_name.values(), *names.username.values()],
        }
    )  # fmt: skip
    return to_xlsx(
        [
            Sheet(
                name="goals",
                frame=frame,
                formats={"target": "number", "period": "text"},
                title=t("goals.template.title", lang),
            ),
            Sheet(name="values", frame=reference),
        ]
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _choice(value: str, codes: Sequence[str], prefix: str) -> str | None:
    """A code from its code or its zh/en label (``prefix``.code in the translations)."""
    wanted = value.strip().lower()
    for code in codes:
        labels = {code.lower()}
        key = f"{prefix}.{code}"
        if key in TRANSLATIONS:
            labels |= {TRANSLATIONS[key]["zh"].lower(), TRANSLATIONS[key]["en"].lower()}
        if wanted in labels:
            return code
    return None


def read_template(session: Session, data: bytes) -> list[TemplateRow]:
    """Goal drafts from an uploaded XLSX; TemplateError listing every problem by row."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # not an xlsx, corrupt zip …: one clear problem
        raise TemplateError(
            [(0, "file", f"not a readable .xlsx file ({type(exc).__name__})")]
        ) from None
    sheet = book["goals"] if "goals" in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header: dict[str, int] | None = None
    problems: list[tuple[int, str, str]] = []
    out: list[TemplateRow] = []
    names = _lookup(session)
    for number, values in enumerate(rows, start=1):
        cells = [_text(v) for v in values]
        if header is None:
            lowered = [c.lower() for c in cells]
            if "period" in lowered and "target" in lowered:
                header = {c: lowered.index(c) for c in COLUMNS if c in lowered}
                missing = [c for c in ("period", "metric", "scope", "target") if c not in header]
                if missing:
                    raise TemplateError([(number, c, "column missing") for c in missing])
            continue
        if not any(cells):
            continue
        if len(out) + len(problems) > MAX_ROWS:
            problems.append((number, "", f"more than {MAX_ROWS} rows"))
            break
        row = {c: (cells[i] if i < len(cells) else "") for c, i in header.items()}
        raw_target = values[header["target"]] if header["target"] < len(values) else None
        parsed = _parse_row(number, row, raw_target, names, problems)
        if parsed is not None:
            out.append(parsed)
    if header is None:
        raise TemplateError([(1, "period", "no header row with period … target")])
    if problems:
        raise TemplateError(problems)
    return out


def _parse_row(number, row, raw_target, names: _Lookup, problems) -> TemplateRow | None:
    found = len(problems)

    def problem(column: str, text: str) -> None:
        problems.append((number, column, text))

    period = row.get("period", "")
    try:
        period = parse_period(period).label
    except ValueError:
        problem("period", f"{period!r} is not 2026-10, 2026Q4 or 2026")
    metric = _choice(row.get("metric", ""), [str(m) for m in GoalMetric], "goals.metric")
    if metric is None:
        problem("metric", f"unknown metric {row.get('metric', '')!r}")
    scope = _choice(row.get("scope", ""), list(SCOPE_ORDER), "goals.scope")
    if scope is None:
        problem("scope", f"unknown scope {row.get('scope', '')!r}")
    ids: dict[str, int | None] = dict.fromkeys(DIMENSIONS)
    for column, key, table in (
        ("product_line", "product_line_id", names.lines),
        ("region", "region_id", names.regions),
        ("team", "team_id", names.teams),
        ("rep", "user_id", names.users),
    ):
        text = row.get(column, "")
        if text:
            ids[key] = table.get(text.lower())
            if ids[key] is None:
                problem(column, f"unknown {column} {text!r}")
    owner = None
    if row.get("owner"):
        owner = names.users.get(row["owner"].lower())
        if owner is None:
            problem("owner", f"unknown person {row['owner']!r}")
    target = None
    if raw_target is None or _text(raw_target) == "":
        problem("target", "a target is needed")
    else:
        try:
            target = as_target(Decimal(_text(raw_target).replace(",", "")))
        except (GoalError, InvalidOperation) as error:
            problem("target", str(error).split(": ", 1)[-1])
    if len(problems) > found:
        return None
    factor = _money_factor(metric)
    return TemplateRow(
        number,
        GoalDraft(
            period=period, metric=metric, scope=scope, target=target * factor,
            owner_id=owner, **ids,
        ),
    )  # fmt: skip


def _parent_for(draft: GoalDraft, known: list[Goal]) -> int | None:
    """The deepest known goal of the same period and metric above ``draft`` whose dimensions
    are all among ``draft``'s."""
    best, depth = None, -1
    for goal in known:
        if goal.period != draft.period or goal.metric != draft.metric:
            continue
        level = SCOPE_ORDER.get(goal.scope, 9)
        if level >= SCOPE_ORDER[draft.scope]:
            continue
        if all(
            getattr(goal, d) is None or getattr(goal, d) == getattr(draft, d) for d in DIMENSIONS
        ):
            if level > depth:
                best, depth = goal.id, level
    return best


def import_goals(session: Session, actor: Viewer, rows: Sequence[TemplateRow]) -> ImportResult:
    """Create or update the goals of ``rows`` (matched on period, metric, scope and
    dimensions); a new goal hangs under the deepest goal above it. Every row is checked; any
    problem raises TemplateError (the caller's transaction then writes nothing)."""
    result = ImportResult()
    problems: list[tuple[int, str, str]] = []
    ordered = sorted(
        rows, key=lambda r: (r.draft.period, r.draft.metric, SCOPE_ORDER[r.draft.scope], r.row)
    )
    known: dict[tuple[str, str], list[Goal]] = {}
    for item in ordered:
        draft = item.draft
        key = (draft.period, draft.metric)
        if key not in known:
            known[key] = list(
                session.execute(
                    select(Goal).where(Goal.period == draft.period, Goal.metric == draft.metric)
                ).scalars()
            )
        try:
            existing = existing_goal(
                session, draft.period, draft.metric, draft.scope, _dims(session, draft)
            )
            if existing is not None:
                changes = {"target": draft.target}
                if draft.owner_id is not None:
                    changes["owner_id"] = draft.owner_id
                if Decimal(existing.target) == draft.target and (
                    draft.owner_id is None or draft.owner_id == existing.owner_id
                ):
                    result.unchanged += 1
                    result.goal_ids.append(existing.id)
                    continue
                update_goal(session, actor, existing.id, existing.version, **changes)
                result.updated += 1
                result.goal_ids.append(existing.id)
            else:
                parent = _parent_for(validate(session, draft, goal_id=None), known[key])
                goal = create_goal(session, actor, replace_parent(draft, parent))
                known[key].append(goal)
                result.created += 1
                result.goal_ids.append(goal.id)
        except GoalError as error:
            column = {"product_line_id": "product_line", "region_id": "region", "team_id": "team",
                      "user_id": "rep", "owner_id": "owner", "parent_id": "scope"}.get(error.field, error.field)  # fmt: skip
            problems.append((item.row, column, str(error).split(": ", 1)[-1]))
    if problems:
        raise TemplateError(sorted(problems))
    return result


def replace_parent(draft: GoalDraft, parent_id: int | None) -> GoalDraft:
    """``draft`` with another parent."""
    return replace(draft, parent_id=parent_id)


def _dims(session: Session, draft: GoalDraft) -> dict[str, int | None]:
    """The draft's dimensions with the team of a rep and the region of a team filled in."""
    filled = fill_dimensions(session, draft)
    return filled.dims()
