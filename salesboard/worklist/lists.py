"""The lists of My work (我的工作台) and the reminders digest, one query function each, all
scoped by the viewer: a rep gets their own items, a manager their teams' (each row names its
rep, so the page and the digest group by rep), leaders and admins everything.

Each list returns a ``WorkList``: at most ``limit`` rows (limited in SQL where the rule is
SQL) and the total count, so a list stays fast at a million deals.

Support requests (issue 17) are the ``support`` section (``support_requests``): the page and
the digest show every section in ``SECTIONS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.calendar.periods import Period, period_containing, previous_period
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.feedback.permissions import may_edit, may_review, may_start
from salesboard.feedback.queries import NOT_STARTED, visible_reps
from salesboard.pipeline.deals import WON_STAGES, with_deal_columns
from salesboard.pipeline.overdue import overdue_ranking
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import OpportunityStatus, Role, VisitStatus
from salesboard.store.queries import frame_of
from salesboard.store.reference_data import key_action_names
from salesboard.store.tables import ACTION, CUSTOMER, FORM, OPP, STAGE, USER, VISIT
from salesboard.support.requests import member_department_ids, queue

LIMIT = 50
# The reasons of the overdue rule that make a deal "stalled" here; a late key action is
# listed with the key actions instead.
STALLED_REASONS = ("over_standard", "idle")

ROW_COLUMNS = (
    "code", "customer", "stage_zh", "stage_en", "owner_id", "owner", "what", "on",
    "days_late", "why",
)  # fmt: skip


@dataclass(frozen=True)
class WorkList:
    """One list: the rows shown (``ROW_COLUMNS``: the deal's code, customer and stage, the
    rep, what is due, its date, working days late, why it is listed), how many in all, and
    how many per rep (``owner_id, owner, count``, most first)."""

    rows: pd.DataFrame
    total: int
    per_rep: pd.DataFrame

    @property
    def empty(self) -> bool:
        """True when nothing is waiting."""
        return self.total == 0


def work_week(as_of: date) -> Period:
    """The week (Monday to Sunday) that contains ``as_of``."""
    return period_containing("week", as_of)


def _scope(viewer: Viewer, rep_id: int | None) -> OpportunityFilter:
    """The deals ``viewer`` may read, narrowed to ``rep_id``'s when given (never widened)."""
    wanted = OpportunityFilter(owner_ids=(rep_id,) if rep_id is not None else ())
    return scoped_filter(viewer, wanted)


def _under_control():
    """Deals whose key actions are still worked on: open ones, and won ones in a stage after
    signing (delivery, collection), as the overdue rule has it."""
    return or_(
        OPP.c.status == OpportunityStatus.OPEN,
        and_(OPP.c.status == OpportunityStatus.WON, OPP.c.current_stage_id.in_(WON_STAGES)),
    )


def _empty(extra: tuple[str, ...] = ()) -> WorkList:
    rows = pd.DataFrame(columns=[*ROW_COLUMNS, *extra])
    return WorkList(rows, 0, pd.DataFrame(columns=["owner_id", "owner", "count"]))


def _per_rep(session: Session, query, owner) -> pd.DataFrame:
    """``query``'s rows counted per rep (``owner`` is the rep column), most first."""
    counted = query.with_only_columns(owner.label("owner_id"), func.count().label("count"))
    return _with_names(session, frame_of(session, counted.group_by(owner)))


def _with_names(session: Session, counts: pd.DataFrame) -> pd.DataFrame:
    """``owner_id, count`` rows with the rep's name, most first."""
    if counts.empty:
        return pd.DataFrame(columns=["owner_id", "owner", "count"])
    ids = [int(i) for i in counts["owner_id"]]
    names = dict(
        session.execute(select(USER.c.id, USER.c.display_name).where(USER.c.id.in_(ids))).all()
    )
    counts = counts.assign(owner=counts["owner_id"].map(names).fillna(""))
    counts = counts.sort_values(["count", "owner"], ascending=[False, True], kind="stable")
    return counts.reset_index(drop=True)[["owner_id", "owner", "count"]]


def _late_days(planned: pd.Series, as_of: date, calendar: WorkCalendar) -> np.ndarray:
    """Working days from each planned date to ``as_of`` (0 for dates not before it)."""
    days = pd.to_datetime(planned).to_numpy(dtype="datetime64[D]")
    today = np.datetime64(as_of, "D")
    late = calendar.working_days_between_many(np.minimum(days, today), today)
    return np.where(days < today, late, 0).astype(np.int64)


def key_actions(
    session: Session,
    viewer: Viewer,
    as_of: date,
    *,
    overdue: bool,
    rep_id: int | None = None,
    limit: int = LIMIT,
    calendar: WorkCalendar | None = None,
) -> WorkList:
    """Key actions of the deals' current stage not done yet: planned before ``as_of``
    (``overdue``, oldest first, with working days late) or from ``as_of`` to the end of its
    week (Monday–Sunday). A rep's are the ones they own on their own deals; a manager's the
    ones on their teams' deals (``rep_id`` narrows to one rep's)."""
    week = work_week(as_of)
    when = ACTION.c.planned_on < as_of if overdue else ACTION.c.planned_on.between(as_of, week.end)
    # A deal holds such an action only if its next one (the earliest undone action of its
    # stage, kept on the deal: migration 0025) is due by then: the deals are picked from the
    # next-action index before any key action is read (10M deals, a manager's overdue
    # actions: 174k team deals read and seeked 1.57 s → 8.6k deals 0.11 s).
    soonest = OPP.c.next_action_on < as_of if overdue else OPP.c.next_action_on <= week.end
    query = (
        select(OPP.c.id)
        .select_from(OPP)
        .join(
            ACTION,
            and_(
                ACTION.c.opportunity_id == OPP.c.id,
                ACTION.c.stage_id == OPP.c.current_stage_id,
                ACTION.c.done_on.is_(None),
            ),
        )
        .where(when, soonest, _under_control())
    )
    if viewer.role == "rep":
        query = query.where(ACTION.c.owner_id == viewer.user_id)
    query = _scope(viewer, rep_id).apply(query)
    found = frame_of(
        session, query.with_only_columns(ACTION.c.id, OPP.c.owner_id, ACTION.c.planned_on)
    )
    if found.empty:
        return _empty()
    found = found.sort_values(["planned_on", "id"], kind="stable")
    shown = with_deal_columns(
        select(OPP.c.owner_id, ACTION.c.action.label("what"), ACTION.c.planned_on.label("on"))
        .select_from(ACTION)
        .join(OPP, OPP.c.id == ACTION.c.opportunity_id)
        .where(ACTION.c.id.in_(found["id"].head(limit).tolist()))
    )
    rows = frame_of(session, shown.order_by(ACTION.c.planned_on, OPP.c.code, ACTION.c.id))
    calendar = calendar or load_calendar(session)
    english = key_action_names(session)
    rows["days_late"] = _late_days(rows["on"], as_of, calendar) if overdue else 0
    rows["why"] = "action_late" if overdue else "action_due"
    # Key actions are stored by their Chinese name; the stage settings give the English.
    rows["what_en"] = rows["what"].map(lambda name: english.get(name, name))
    per_rep = _with_names(session, _counted(found["owner_id"]))
    return WorkList(rows.reindex(columns=[*ROW_COLUMNS, "what_en"]), len(found), per_rep)


def _counted(owners: pd.Series) -> pd.DataFrame:
    """``owner_id, count``: how many of ``owners`` each rep is."""
    return owners.value_counts().rename_axis("owner_id").reset_index(name="count")


def stalled_deals(
    session: Session,
    viewer: Viewer,
    as_of: date,
    *,
    rep_id: int | None = None,
    limit: int = LIMIT,
    calendar: WorkCalendar | None = None,
) -> WorkList:
    """Deals over their stage's time standard or idle longer than the stage allows (working
    days, the pipeline review's overdue rule, ``pipeline.overdue.overdue_ranking``), worst
    first; ``days_late`` is the larger of the days over the standard and the idle days over
    the limit, ``why`` the reasons ("over_standard", "idle" joined by a comma)."""
    calendar = calendar or load_calendar(session)
    wanted = OpportunityFilter(owner_ids=(rep_id,) if rep_id is not None else ())
    ranking = overdue_ranking(session, viewer, wanted, as_of, calendar)
    if ranking.empty:
        return _empty()
    kept = ranking["reasons"].map(lambda r: any(x in STALLED_REASONS for x in r))
    ranking = ranking[kept.astype(bool)].copy()
    if ranking.empty:
        return _empty()
    idle_over = (ranking["idle_working_days"] - ranking["idle_days"].fillna(np.inf)).clip(lower=0)
    ranking["days_late"] = np.maximum(ranking["days_over"], idle_over.replace(np.inf, 0))
    ranking["why"] = ranking["reasons"].map(
        lambda r: ",".join(x for x in r if x in STALLED_REASONS)
    )
    ranking = ranking.sort_values(
        ["days_late", "opportunity_id"], ascending=[False, True], kind="stable"
    )
    shown = ranking.head(limit)
    details = frame_of(
        session,
        with_deal_columns(
            select(OPP.c.id.label("opportunity_id"), OPP.c.owner_id),
            OPP.c.stage_entered_on.label("on"),
        ).where(OPP.c.id.in_(shown["opportunity_id"].tolist())),
    )
    rows = shown[["opportunity_id", "days_late", "why", "days_in_stage", "standard_days"]].merge(
        details, on="opportunity_id"
    )
    rows["what"] = ""
    # The ranking carries each deal's owner (12.7k stalled deals of a manager at 10M: their
    # owners read again in chunks took 0.38 s).
    per_rep = _with_names(session, _counted(ranking["owner_id"].astype("int64")))
    extra = ("days_in_stage", "standard_days")
    return WorkList(rows.reindex(columns=[*ROW_COLUMNS, *extra]), len(ranking), per_rep)


def _visit_scope(viewer: Viewer, rep_id: int | None):
    """SQL condition on visits: the ones ``viewer`` may read (a rep's own, a manager's
    teams' reps'), narrowed to ``rep_id``'s when given."""
    if viewer.role == "rep":
        mine = VISIT.c.rep_id == viewer.user_id
        return mine if rep_id in (None, viewer.user_id) else VISIT.c.rep_id.is_(None)
    if rep_id is not None:
        condition = VISIT.c.rep_id == rep_id
    else:
        condition = VISIT.c.rep_id.is_not(None)
    if viewer.sees_everything:
        return condition
    if viewer.role == "manager":
        team_reps = select(USER.c.id).where(USER.c.team_id.in_(viewer.team_ids or (-1,)))
        return and_(condition, VISIT.c.rep_id.in_(team_reps))
    return VISIT.c.rep_id.is_(None)


@dataclass(frozen=True)
class VisitPlan:
    """Visits planned today and for the rest of the week, with the week's planned and done
    counts (visits still planned, visits logged as done)."""

    today: WorkList
    week: WorkList
    planned: int
    done: int


def planned_visits(
    session: Session,
    viewer: Viewer,
    as_of: date,
    *,
    rep_id: int | None = None,
    limit: int = LIMIT,
) -> VisitPlan:
    """Visits still planned (``Visit.status`` planned) on ``as_of`` and later this week, in
    date order; and how many visits of the week are planned and done."""
    week = work_week(as_of)
    scope = _visit_scope(viewer, rep_id)
    counts = dict(
        session.execute(
            select(VISIT.c.status, func.count())
            .where(VISIT.c.visited_on.between(week.start, week.end), scope)
            .group_by(VISIT.c.status)
        ).all()
    )

    def listed(start: date, end: date) -> WorkList:
        query = (
            select(VISIT.c.id)
            .select_from(VISIT)
            .where(
                VISIT.c.status == VisitStatus.PLANNED,
                VISIT.c.visited_on.between(start, end),
                scope,
            )
        )
        total = session.execute(query.with_only_columns(func.count())).scalar_one()
        if not total:
            return _empty()
        shown = (
            query.with_only_columns(
                OPP.c.code,
                CUSTOMER.c.name.label("customer"),
                STAGE.c.name_zh.label("stage_zh"),
                STAGE.c.name_en.label("stage_en"),
                VISIT.c.rep_id.label("owner_id"),
                USER.c.display_name.label("owner"),
                VISIT.c.goal.label("what"),
                VISIT.c.visited_on.label("on"),
            )
            .join(CUSTOMER, CUSTOMER.c.id == VISIT.c.customer_id)
            .join(USER, USER.c.id == VISIT.c.rep_id)
            .outerjoin(OPP, OPP.c.id == VISIT.c.opportunity_id)
            .outerjoin(STAGE, STAGE.c.id == OPP.c.current_stage_id)
            .order_by(VISIT.c.visited_on, VISIT.c.id)
            .limit(limit)
        )
        rows = frame_of(session, shown)
        rows["days_late"] = 0
        rows["why"] = "visit_planned"
        per_rep = _per_rep(session, query, VISIT.c.rep_id)
        return WorkList(rows.reindex(columns=list(ROW_COLUMNS)), total, per_rep)

    later = min(week.end, date.fromordinal(as_of.toordinal() + 1))
    rest = listed(later, week.end) if as_of < week.end else _empty()
    return VisitPlan(
        today=listed(as_of, as_of),
        week=rest,
        planned=int(counts.get(VisitStatus.PLANNED, 0)),
        done=int(counts.get(VisitStatus.DONE, 0)),
    )


@dataclass(frozen=True)
class FormFacts:
    """A form revision as the feedback permissions look at it."""

    rep_id: int
    team_id: int | None
    status: str
    is_latest: bool = True


FORM_COLUMNS = ("rep_id", "rep", "username", "period", "status", "action")


def feedback_month(as_of: date) -> str:
    """The month a rep fills in a form for on ``as_of``: the previous one (the form reports a
    month's figures after it ends)."""
    return previous_period(period_containing("month", as_of)).label


def forms_waiting(session: Session, viewer: Viewer, as_of: date) -> pd.DataFrame:
    """Feedback forms waiting on ``viewer`` (``FORM_COLUMNS``): for a manager, their reps'
    forms submitted and awaiting sign-off (``action`` "review"); for a rep, their forms
    returned to them ("revise"), and the form of ``feedback_month`` not yet submitted
    ("start" without a form, "submit" for a draft). The rules are the feedback
    permissions' (``may_review``, ``may_edit``, ``may_start``)."""
    reps = visible_reps(session, viewer)
    if reps.empty or viewer.sees_everything:
        return pd.DataFrame(columns=list(FORM_COLUMNS))
    newest = (
        select(FORM.c.rep_id, FORM.c.period, func.max(FORM.c.revision).label("revision"))
        .where(FORM.c.rep_id.in_(reps["id"].tolist()))
        .group_by(FORM.c.rep_id, FORM.c.period)
        .subquery()
    )
    latest = frame_of(
        session,
        select(FORM.c.rep_id, FORM.c.period, FORM.c.team_id, FORM.c.status).join(
            newest,
            and_(
                newest.c.rep_id == FORM.c.rep_id,
                newest.c.period == FORM.c.period,
                newest.c.revision == FORM.c.revision,
            ),
        ),
    )
    month = feedback_month(as_of)
    found = []
    for row in latest.itertuples(index=False):
        facts = FormFacts(int(row.rep_id), row.team_id, row.status)
        if may_review(viewer, facts):
            found.append((row.rep_id, row.period, row.status, "review"))
        elif may_edit(viewer, facts) and (row.status == "returned" or row.period == month):
            found.append(
                (
                    row.rep_id,
                    row.period,
                    row.status,
                    "revise" if row.status == "returned" else "submit",
                )
            )
    if viewer.role == "rep":
        started = set(latest.loc[latest["period"] == month, "rep_id"])
        mine = reps[reps["id"] == viewer.user_id]
        for rep in mine.itertuples(index=False):
            if rep.id not in started and may_start(viewer, rep.id, rep.team_id):
                found.append((rep.id, month, NOT_STARTED, "start"))
    frame = pd.DataFrame(found, columns=["rep_id", "period", "status", "action"])
    names = reps.set_index("id")
    frame["rep"] = frame["rep_id"].map(names["display_name"])
    frame["username"] = frame["rep_id"].map(names["username"])
    frame = frame.sort_values(["period", "rep"], ascending=[False, True], kind="stable")
    return frame.reset_index(drop=True).reindex(columns=list(FORM_COLUMNS))


@dataclass(frozen=True)
class MyWork:
    """Everything waiting on one person on ``as_of``."""

    as_of: date
    week: Period
    overdue_actions: WorkList
    due_actions: WorkList
    stalled: WorkList
    visits: VisitPlan
    forms: pd.DataFrame
    support: WorkList

    @property
    def nothing_due(self) -> bool:
        """True when no list has anything in it (the digest skips such a person)."""
        lists = (self.overdue_actions, self.due_actions, self.stalled, self.visits.today,
                 self.support)  # fmt: skip
        return all(w.empty for w in lists) and self.forms.empty


def my_work(
    session: Session,
    viewer: Viewer,
    as_of: date,
    rep_id: int | None = None,
    *,
    limit: int = LIMIT,
) -> MyWork:
    """Every list of My work for ``viewer`` (narrowed to ``rep_id``'s items when given)."""
    calendar = load_calendar(session)
    common = {"rep_id": rep_id, "limit": limit}
    return MyWork(
        as_of=as_of,
        week=work_week(as_of),
        overdue_actions=key_actions(
            session, viewer, as_of, overdue=True, calendar=calendar, **common
        ),
        due_actions=key_actions(session, viewer, as_of, overdue=False, calendar=calendar, **common),
        stalled=stalled_deals(session, viewer, as_of, calendar=calendar, **common),
        visits=planned_visits(session, viewer, as_of, **common),
        forms=forms_waiting(session, viewer, as_of)
        if rep_id is None
        else _forms_of(forms_waiting(session, viewer, as_of), rep_id),
        support=support_requests(session, viewer, as_of, calendar=calendar, **common),
    )


def _forms_of(forms: pd.DataFrame, rep_id: int) -> pd.DataFrame:
    return forms[forms["rep_id"] == rep_id].reset_index(drop=True)


def support_requests(
    session: Session,
    viewer: Viewer,
    as_of: date,
    rep_id: int | None = None,
    *,
    limit: int = LIMIT,
    calendar: WorkCalendar | None = None,
) -> WorkList:
    """Support requests waiting (issue 17): a department member's queue (open and in
    progress), a rep's own deals' open requests and their status, a manager's (leader's,
    admin's) requests past their response standard; breaches first, then the queue's order.
    ``what`` is the type (``what_en`` in English), ``on`` the expected date, ``days_late`` the
    working days past the standard, ``why`` ``support_breach`` / ``support_<status>``."""
    frame = queue(session, viewer, as_of, calendar=calendar)
    if rep_id is not None:
        frame = frame[frame["owner_id"] == rep_id]
    in_queue = frame["department_id"].isin(member_department_ids(session, viewer))
    own = frame["owner_id"] == viewer.user_id if viewer.role == Role.REP else frame["breached"]
    frame = frame[in_queue | own]
    frame = frame.iloc[np.argsort(~frame["breached"].to_numpy(), kind="stable")]
    if frame.empty:
        return _empty(("what_en",))
    rows = pd.DataFrame({
        "code": frame["code"], "customer": frame["customer"], "stage_zh": frame["stage_zh"],
        "stage_en": frame["stage_en"], "owner_id": frame["owner_id"], "owner": frame["owner"],
        "what": frame["type_zh"], "what_en": frame["type_en"],
        "on": frame["expected_on"].where(frame["expected_on"].notna(), frame["requested_on"]),
        "days_late": frame["over_days"],
        "why": np.where(frame["breached"], "support_breach", "support_" + frame["status"]),
    }).reset_index(drop=True)  # fmt: skip
    return WorkList(rows.head(limit), len(rows), _with_names(session, _counted(rows["owner_id"])))


# The sections of My work and the digest, in order.
SECTIONS = ("overdue_actions", "due_actions", "stalled", "visits_today", "visits_week", "forms",
            "support")  # fmt: skip


def section_list(work: MyWork, section: str) -> WorkList | None:
    """The ``WorkList`` of ``section`` (None for the forms, which are a frame)."""
    return {
        "overdue_actions": work.overdue_actions,
        "due_actions": work.due_actions,
        "stalled": work.stalled,
        "visits_today": work.visits.today,
        "visits_week": work.visits.week,
        "support": work.support,
    }.get(section)
