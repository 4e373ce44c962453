"""Each person's digest: My work's lists (``worklist.my_work``, the same functions as the
page) in the person's language, as plain text (e-mail) and Markdown (chat bots); for a
manager the team's lists by rep and a summary of the weekly pipeline review
(``pipeline.report.build_report``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import viewer_for
from salesboard.calendar.periods import period_containing
from salesboard.i18n import format_count, format_list, format_money, t
from salesboard.i18n.locale import Locale
from salesboard.improvement.actions import overdue_actions
from salesboard.pipeline.report import build_report
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import Role, User
from salesboard.store.settings import get_settings
from salesboard.support.requests import breaches
from salesboard.worklist.lists import (
    SECTIONS,
    MyWork,
    WorkList,
    my_work,
    section_list,
    work_week,
)
from salesboard.worklist.present import (
    deal_words,
    form_text,
    rows_by_rep,
    section_count,
    section_title,
    why_text,
)

# Who gets which digest (``--to``).
AUDIENCES = {"reps": Role.REP, "managers": Role.MANAGER, "support": Role.SUPPORT}
# Items per section in a message (the page shows more; the message says how many are left).
DIGEST_ROWS = 10


@dataclass(frozen=True)
class Recipient:
    """A person a digest is for."""

    user_id: int
    username: str
    name: str
    email: str
    language: str


@dataclass(frozen=True)
class Digest:
    """One person's digest: subject, plain text and Markdown, and how many items per
    section (for the summary)."""

    recipient: Recipient
    subject: str
    text: str
    markdown: str
    counts: dict[str, int]


def recipients(session: Session, audience: str) -> list[Recipient]:
    """The active users of ``audience`` ("reps" or "managers"), in username order, with
    their reminder language (the company default when they have none)."""
    default = get_settings().default_language
    rows = session.execute(
        select(User.id, User.username, User.display_name, User.email, User.language)
        .where(User.role == AUDIENCES[audience], User.active.is_(True))
        .order_by(User.username)
    ).all()
    return [
        Recipient(r.id, r.username, r.display_name, r.email or "", r.language or default)
        for r in rows
    ]


def build_digests(
    session: Session, audience: str, as_of: date, *, review: bool | None = None
) -> Iterator[Digest | Recipient]:
    """Each recipient's digest, or the recipient alone when nothing is waiting on them.
    Managers' digests carry the weekly review summary unless ``review`` is False."""
    with_review = audience == "managers" if review is None else review
    for person in recipients(session, audience):
        viewer = viewer_for(session, session.get(User, person.user_id))
        work = my_work(session, viewer, as_of)
        if work.nothing_due:
            yield person
            continue
        summary = review_summary(session, viewer, as_of, person.language) if with_review else []
        yield render(person, work, viewer.role == Role.MANAGER, summary)


def review_summary(session: Session, viewer, as_of: date, lang: str) -> list[str]:
    """The weekly review pack in a few lines: overdue deals and their amount, newly overdue,
    this week's changes, the most common risk flags, the improvement actions past due."""
    week = period_containing("week", as_of)
    report = build_report(session, viewer, week, OpportunityFilter(), as_of)
    overdue = report.overdue
    amount = int(overdue["amount_minor"].sum()) if len(overdue) else 0
    lines = [
        t(
            "digest.review_overdue",
            lang,
            count=format_count(len(overdue)),
            amount=format_money(amount, lang),
            newly=format_count(len(report.newly_overdue)),
        ),
        t("digest.review_changes", lang, count=format_count(len(report.changes))),
    ]
    names = [str(flag) for flag in report.flags["risk_flag"].head(3)]  # most first
    if names:
        lines.append(t("digest.review_flags", lang, flags=format_list(names, lang)))
    late = overdue_actions(session, viewer, as_of)  # improvement actions past due (issue 16)
    if len(late):
        items = format_list(
            (f"#{i} {p}" for i, p in zip(late["id"], late["pain_point"], strict=True)), lang
        )
        lines.append(
            t("digest.improvement_overdue", lang, count=format_count(len(late)), items=items)
        )
    support = breaches(session, viewer, as_of, work_week(as_of).start)  # issue 17
    if len(support):
        items = format_list((f"{c} {n}" for c, n in zip(support["code"], support[f"type_{lang}"],
                                                         strict=True)), lang)  # fmt: skip
        lines.append(t("digest.support_breaches", lang, count=format_count(len(support)),
                       items=items))  # fmt: skip
    return lines


def _link(code: str, markdown: bool) -> str:
    base = get_settings().app_url.rstrip("/")
    if markdown and base:
        return f"[{code}]({base}/opportunity?code={code})"
    return code


def _item(row, lang: str, markdown: bool) -> str:
    code, customer, stage = deal_words(row, lang)
    head = [_link(code, markdown) if code else t("work.no_deal", lang), customer, stage]
    return f"- {' · '.join(p for p in head if p)} — {why_text(row, lang)}"


def _section_lines(work: MyWork, section: str, lang: str, grouped: bool, md: bool) -> list[str]:
    found = section_list(work, section)
    if found is None:
        return [f"- {form_text(row, lang)}" for _, row in work.forms.iterrows()]
    rows = found.rows.head(DIGEST_ROWS)
    lines = []
    if grouped:
        for rep, group in rows_by_rep(WorkList(rows, found.total, found.per_rep)):
            lines.append(f"**{rep}**" if md else f"[{rep}]")
            lines.extend(_item(row, lang, md) for row in group)
    else:
        lines.extend(_item(row, lang, md) for _, row in rows.iterrows())
    if found.total > len(rows):
        lines.append(t("digest.more", lang, count=format_count(found.total - len(rows))))
    return lines


def _body(person: Recipient, work: MyWork, team: bool, summary: list[str], markdown: bool) -> str:
    lang = person.language
    day = Locale.day(work.as_of)
    lines = [
        t("digest.greeting", lang, name=person.name),
        "",
        t("digest.intro_team" if team else "digest.intro", lang, day=day),
    ]
    for section in SECTIONS:
        count = section_count(work, section)
        if not count:
            continue
        title = section_title(section, count, lang)
        lines += ["", f"### {title}" if markdown else title]
        lines += _section_lines(work, section, lang, team, markdown)
    if summary:
        title = t("digest.review_pack", lang)
        lines += ["", f"### {title}" if markdown else title, *(f"- {s}" for s in summary)]
    base = get_settings().app_url.rstrip("/")
    if base:
        lines += ["", t("digest.open", lang, url=f"{base}/my-work")]
    if not markdown:
        lines += ["", "--", t("digest.footer", lang)]
    return "\n".join(lines) + "\n"


def render(person: Recipient, work: MyWork, team: bool, summary: list[str]) -> Digest:
    """``person``'s digest of ``work`` (``team``: a manager's, grouped by rep)."""
    lang = person.language
    key = "digest.subject_team" if team else "digest.subject"
    subject = t(key, lang, name=person.name, day=Locale.day(work.as_of))
    counts = {s: section_count(work, s) for s in SECTIONS}
    return Digest(
        recipient=person,
        subject=subject,
        text=_body(person, work, team, summary, markdown=False),
        markdown=_body(person, work, team, summary, markdown=True),
        counts=counts,
    )
