"""The filters every analysis page shares (period, "as of" date, region, team, rep, product
line, customer type, lead source): which choices a viewer may pick, how a choice is kept in
the URL query string with stable codes (never translated labels), and the
``OpportunityFilter`` it stands for.

Pure except ``filter_options`` (one small query per list); the Streamlit widgets live in
``salesboard.ui.filter_bar``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.calendar.periods import Period, parse_period, period_containing
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import CustomerType, LeadSource, ProductLine, Region, Role, Team, User
from salesboard.store.tables import CUSTOMER, OPP

# The dimensions, in the order the filter bar shows them; each is a URL parameter name.
# The filter dimensions by their URL code, each with the ``OpportunityFilter`` field it narrows.
FILTER_FIELDS = {
    "region": "region_ids",
    "team": "team_ids",
    "rep": "owner_ids",
    "product": "product_line_ids",
    "ctype": "customer_types",
    "source": "sources",
}
DIMENSIONS = tuple(FILTER_FIELDS)


@dataclass(frozen=True)
class FilterOption:
    """One choice: ``code`` goes into the URL, ``key`` into the query (an id or a code)."""

    code: str
    key: int | str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class FilterOptions:
    """What a viewer may pick in each dimension (reps and teams only within their sight)."""

    choices: Mapping[str, tuple[FilterOption, ...]]

    def codes(self, dimension: str) -> list[str]:
        """The codes offered for ``dimension``."""
        return [o.code for o in self.choices.get(dimension, ())]

    def label(self, dimension: str, code: str, lang: str) -> str:
        """The display name of ``code`` in ``dimension`` (the code itself if unknown)."""
        for option in self.choices.get(dimension, ()):
            if option.code == code:
                return option.name_zh if lang == "zh" else option.name_en
        return code

    def keys(self, dimension: str, codes: Sequence[str]) -> tuple:
        """The query keys (ids or codes) of ``codes``; unknown codes are dropped."""
        by_code = {o.code: o.key for o in self.choices.get(dimension, ())}
        return tuple(by_code[c] for c in codes if c in by_code)


@dataclass(frozen=True)
class ViewFilters:
    """A filter bar's state: the period, the "as of" date and the chosen codes per dimension."""

    period: Period
    as_of: date
    selected: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def codes(self, dimension: str) -> tuple[str, ...]:
        """The codes chosen in ``dimension`` (empty: all)."""
        return tuple(self.selected.get(dimension, ()))

    def opportunity_filter(self, options: FilterOptions) -> OpportunityFilter:
        """The ``OpportunityFilter`` these choices stand for (before access scoping)."""
        return opportunity_filter(options, self.selected)


def _named(codes: Sequence[str], names: Mapping[str, tuple[str, str]]) -> tuple[FilterOption, ...]:
    """The codes in use named from the organisation's list (in its order), then any codes
    the list lacks, alphabetically and as they are."""
    present = set(codes)
    ordered = [c for c in names if c in present] + sorted(present - set(names) - {""})
    return tuple(FilterOption(c, c, *names.get(c, (c, c))) for c in ordered)


def _list_names(session: Session, model) -> dict[str, tuple[str, str]]:
    """Code → (Chinese, English name) of a customer-type or lead-source list, in its order."""
    rows = session.execute(select(model.code, model.name_zh, model.name_en).order_by(model.id))
    return {code: (zh, en) for code, zh, en in rows}


def distinct_values(session: Session, column) -> list[str]:
    """The distinct values of an indexed ``column``, in order, with one index seek per value
    (a recursive "loose index scan"): a handful of lead sources among a million deals costs
    microseconds instead of a full scan."""
    table = column.table
    steps = select(func.min(column).label("value")).select_from(table).cte("steps", recursive=True)
    following = (
        select(func.min(column)).select_from(table).where(column > steps.c.value).scalar_subquery()
    )
    steps = steps.union_all(select(following).where(steps.c.value.is_not(None)))
    values = session.execute(select(steps.c.value).where(steps.c.value.is_not(None))).scalars()
    return list(values)


def filter_options(session: Session, viewer: Viewer) -> FilterOptions:
    """The choices ``viewer`` may pick: every product line, customer type and lead source;
    regions, teams and reps only within what the viewer may see (a rep: only themself, their
    team and its region)."""
    region_query = select(Region.code, Region.id, Region.name_zh, Region.name_en).order_by(
        Region.id
    )
    if not viewer.sees_everything:
        region_query = region_query.where(
            Region.id.in_(select(Team.region_id).where(Team.id.in_(viewer.team_ids)))
        )
    regions = session.execute(region_query).all()
    lines = session.execute(
        select(ProductLine.code, ProductLine.id, ProductLine.name_zh, ProductLine.name_en).order_by(
            ProductLine.id
        )
    ).all()
    team_query = select(Team.id, Team.name, Team.name_en).order_by(Team.id)
    user_query = (
        select(User.username, User.id, User.display_name)
        .where(User.active, User.team_id.is_not(None), User.role.in_((Role.REP, Role.MANAGER)))
        .order_by(User.team_id, User.role, User.id)  # each team: its manager, then reps
    )
    if viewer.role == Role.REP:
        team_query = team_query.where(Team.id.in_(viewer.team_ids))
        user_query = user_query.where(User.id == viewer.user_id)
    elif not viewer.sees_everything:
        team_query = team_query.where(Team.id.in_(viewer.team_ids))
        user_query = user_query.where(User.team_id.in_(viewer.team_ids))
    teams = session.execute(team_query).all()
    users = session.execute(user_query).all()
    # A handful of codes among millions of rows: one index seek each, not a full scan.
    ctypes = distinct_values(session, CUSTOMER.c.customer_type)
    sources = distinct_values(session, OPP.c.source)
    return FilterOptions(
        {
            "region": tuple(FilterOption(c, i, zh, en) for c, i, zh, en in regions),
            "team": tuple(FilterOption(str(i), i, name, en or name) for i, name, en in teams),
            "rep": tuple(FilterOption(u, i, name, name) for u, i, name in users),
            "product": tuple(FilterOption(c, i, zh, en) for c, i, zh, en in lines),
            "ctype": _named(ctypes, _list_names(session, CustomerType)),
            "source": _named(sources, _list_names(session, LeadSource)),
        }
    )


def opportunity_filter(
    options: FilterOptions, selected: Mapping[str, Sequence[str]]
) -> OpportunityFilter:
    """The ``OpportunityFilter`` for the chosen codes. A dimension whose every chosen code is
    unknown (e.g. a link naming a team the viewer may not see) matches nothing rather than
    silently widening to "all"."""
    keys = {d: options.keys(d, selected.get(d, ())) for d in DIMENSIONS}
    nothing = any(selected.get(d) and not keys[d] for d in DIMENSIONS)
    return OpportunityFilter(**{FILTER_FIELDS[d]: keys[d] for d in DIMENSIONS}, nothing=nothing)


def visible_filter(viewer: Viewer, options: FilterOptions, view: ViewFilters) -> OpportunityFilter:
    """The view's filter narrowed to what ``viewer`` may read (what every query should use)."""
    return scoped_filter(viewer, view.opportunity_filter(options))


# --- URL query string ------------------------------------------------------------------------


def to_query(view: ViewFilters, today: date) -> dict[str, str | list[str]]:
    """The URL parameters for ``view``: ``period`` (its label), ``as_of`` when it is not
    ``today``, one repeated parameter per dimension with chosen codes."""
    params: dict[str, str | list[str]] = {"period": view.period.label}
    if view.as_of != today:
        params["as_of"] = view.as_of.isoformat()
    for dimension in DIMENSIONS:
        codes = view.codes(dimension)
        if codes:
            params[dimension] = list(codes)
    return params


def from_query(
    params: Mapping[str, str | Sequence[str]],
    today: date,
    options: FilterOptions | None = None,
    default_kind: str = "month",
) -> ViewFilters:
    """The view a URL asks for; bad or missing values fall back to the defaults (the
    ``default_kind`` period containing the "as of" date, as of ``today``). With ``options``,
    codes the viewer may not pick are dropped."""

    def values(name: str) -> list[str]:
        raw = params.get(name)
        if raw is None:
            return []
        items = [raw] if isinstance(raw, str) else list(raw)
        return [v for item in items for v in str(item).split(",") if v]

    as_of = today
    if given := values("as_of"):
        try:
            as_of = date.fromisoformat(given[0])
        except ValueError:
            as_of = today
    period = period_containing(default_kind, as_of)
    if given := values("period"):
        try:
            period = parse_period(given[0])
        except ValueError:
            pass
    selected = {}
    for dimension in DIMENSIONS:
        codes = tuple(dict.fromkeys(values(dimension)))
        if options is not None:
            allowed = set(options.codes(dimension))
            codes = tuple(c for c in codes if c in allowed)
        if codes:
            selected[dimension] = codes
    return ViewFilters(period=period, as_of=as_of, selected=selected)
