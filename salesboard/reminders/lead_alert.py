"""The message a rep gets the moment a lead is assigned to them (seed 002: a lead is followed
up within the hour, so waiting for the next daily digest is too late): who, how to reach
them, where the lead came from, and the link — on the digests' channels (e-mail, WeCom /
DingTalk / Feishu). Nothing is sent when no channel is configured.

What a website visitor typed reaches a chat as Markdown, so it is escaped there: a company
name cannot become a link or a heading in someone's chat."""

from __future__ import annotations

import re

from sqlalchemy import Engine, select
from sqlmodel import Session

from salesboard.i18n import format_money, locale_for, t
from salesboard.reminders.delivery import Outcome, channels, send_all
from salesboard.reminders.digest import Digest, Recipient
from salesboard.store.db import read_session
from salesboard.store.models import LeadSource, User
from salesboard.store.settings import Settings, get_settings
from salesboard.store.tables import LEAD

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def markdown_text(value: str) -> str:
    """``value`` as literal text in chat Markdown (every markup character escaped)."""
    return _MARKDOWN.sub(r"\\\1", value)


def lead_alert(session: Session, lead_id: int) -> Digest | None:
    """The alert of lead ``lead_id`` for the rep it is assigned to (None when it is not
    assigned to anyone active), in the rep's reminder language."""
    row = session.execute(
        select(LEAD.c.id, LEAD.c.company, LEAD.c.contact_name, LEAD.c.contact_phone,
               LEAD.c.contact_email, LEAD.c.industry, LEAD.c.budget_minor, LEAD.c.score,
               LEAD.c.received_at, LEAD.c.message, LEAD.c.source, LEAD.c.assigned_to)
        .where(LEAD.c.id == lead_id)
    ).one_or_none()  # fmt: skip
    if row is None or row.assigned_to is None:
        return None
    user = session.get(User, row.assigned_to)
    if user is None or not user.active:
        return None
    lang = user.language or get_settings().default_language
    person = Recipient(user.id, user.username, user.display_name, user.email or "", lang)
    source = session.execute(select(LeadSource).where(LeadSource.code == row.source)).scalar()
    facts = [
        (t("alert.lead.company", lang), row.company),
        (t("alert.lead.contact", lang),
         " · ".join(p for p in (row.contact_name, row.contact_phone, row.contact_email) if p)),
        (t("alert.lead.source", lang), locale_for(lang).name(source) if source else row.source),
        (t("alert.lead.industry", lang), row.industry),
        (t("alert.lead.budget", lang),
         format_money(row.budget_minor, lang) if row.budget_minor is not None else ""),
        (t("alert.lead.score", lang), str(row.score)),
        (t("alert.lead.received", lang), locale_for(lang).stamp(row.received_at)),
        (t("alert.lead.message", lang), row.message),
    ]  # fmt: skip
    facts = [(k, v) for k, v in facts if v]
    base = get_settings().app_url.rstrip("/")
    link = f"{base}/leads?lead={row.id}" if base else ""
    subject = t("alert.lead.subject", lang, id=row.id, company=row.company)

    def body(markdown: bool) -> str:
        shown = markdown_text if markdown else str
        lines = [t("digest.greeting", lang, name=person.name), "", t("alert.lead.intro", lang), ""]
        lines += [f"- {k}：{shown(v)}" if lang == "zh" else f"- {k}: {shown(v)}" for k, v in facts]
        if link:
            lines += ["", t("digest.open", lang, url=link)]
        if not markdown:
            lines += ["", "--", t("digest.footer", lang)]
        return "\n".join(lines) + "\n"

    return Digest(person, subject, body(False), body(True), {"leads": 1})


def send_lead_alert(
    engine: Engine, lead_id: int, settings: Settings | None = None
) -> list[Outcome]:
    """Send lead ``lead_id``'s alert to its rep on every configured channel; an empty list
    when no channel is configured or the lead has nobody to tell. A failed channel is an
    ``Outcome`` with its error (the lead stays stored and assigned either way)."""
    settings = settings or get_settings()
    if not channels(settings):
        return []
    with read_session(engine) as session:
        alert = lead_alert(session, lead_id)
    return send_all([alert], settings) if alert else []
