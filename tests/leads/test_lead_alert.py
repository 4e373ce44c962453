"""The alert a rep gets when a lead is assigned to them (``reminders.lead_alert``), on both
backends: the message names the lead, reaches the assigned rep in their language, and keeps
what the visitor typed as text in chat Markdown; posted to the real inbound service with a
loopback SMTP server configured, the assigned rep gets one e-mail right after the answer
(a replay of the same post sends none)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from salesboard.accounts.access import SYSTEM
from salesboard.leads.arrival import LeadInput, receive_lead
from salesboard.leads.tokens import api_viewer, create_token
from salesboard.reminders.lead_alert import lead_alert, markdown_text
from salesboard.store.db import read_session, write_session
from salesboard.store.models import User
from salesboard.store.settings import get_settings
from tests.leads.company import build
from tests.leads.test_api import BODY, post, serve

TRAP = "甲公司](https://evil.example/)[点此领取"


def test_markup_characters_are_escaped_for_chat():
    assert markdown_text("[a](b) *c* #d") == r"\[a\]\(b\) \*c\* \#d"


def test_the_alert_names_the_lead_for_its_rep_and_keeps_typed_text_as_text(engine):
    co = build(engine)
    with write_session(engine) as s:
        s.get(User, co.ids["e1"]).language = "en"
        lead = LeadInput(source="website", company=TRAP, contact_name="李雷",
                         contact_phone="13800138000", region="east", industry="制造业")  # fmt: skip
        lead_id, _ = receive_lead(s, api_viewer("website"), lead)
        unassigned, _ = receive_lead(s, api_viewer("website"),
                                     LeadInput(source="website", company="乙公司"))  # fmt: skip
    with read_session(engine) as s:
        alert = lead_alert(s, lead_id)
        assert _assignee(s, unassigned) is None  # no rule for a lead without a region
        nobody = lead_alert(s, unassigned)
    assert alert.recipient.username == "e1" and alert.recipient.language == "en"
    assert alert.subject == f"New lead #{lead_id}: {TRAP} — please follow up"
    assert "13800138000" in alert.text and TRAP in alert.text
    assert "](https" not in alert.markdown and r"\]\(https" in alert.markdown
    assert nobody is None


def _assignee(session, lead_id):
    from salesboard.store.tables import LEAD

    return session.execute(select(LEAD.c.assigned_to).where(LEAD.c.id == lead_id)).scalar()


@pytest.mark.slow
def test_the_inbound_service_alerts_the_assigned_rep_once(
    engine,
    store_url,
    smtp_server,
    monkeypatch,
):
    co = build(engine)
    with write_session(engine) as s:
        s.get(User, co.ids["e1"]).email = "e1@example.com"
        token = create_token(s, SYSTEM, "website")
    port = smtp_server.server_address[1]
    for name, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port),
                        "SMTP_FROM": "sb@example.com", "SMTP_STARTTLS": "false",
                        "APP_URL": "https://sales.example.com"}.items():  # fmt: skip
        monkeypatch.setenv(f"SALESBOARD_{name}", value)
    monkeypatch.delenv("SALESBOARD_WEBHOOK_URL", raising=False)
    get_settings.cache_clear()
    try:
        for base in serve(store_url):
            status, answer = post(base, token, BODY, key="form-alert")
            assert status == 201 and answer["status"] == "assigned"
            deadline = time.monotonic() + 20
            while not smtp_server.messages and time.monotonic() < deadline:
                time.sleep(0.1)
            assert post(base, token, BODY, key="form-alert")[0] == 200  # a replay
            time.sleep(1)
    finally:
        get_settings.cache_clear()
    assert len(smtp_server.messages) == 1
    rcpt, message = smtp_server.messages[0]
    assert rcpt == ["e1@example.com"]
    assert message["Subject"] == f"新线索 #{answer['id']}：甲公司，请尽快跟进"
    assert f"https://sales.example.com/leads?lead={answer['id']}" in message.get_content()


def test_lead_add_alerts_the_rep_and_says_so(engine, store_url, smtp_server, monkeypatch,
                                              capsys):  # fmt: skip
    from salesboard.cli.main import main

    co = build(engine)
    with write_session(engine) as s:
        s.get(User, co.ids["e1"]).email = "e1@example.com"
    port = smtp_server.server_address[1]
    for name, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port),
                        "SMTP_FROM": "sb@example.com", "SMTP_STARTTLS": "false"}.items():  # fmt: skip
        monkeypatch.setenv(f"SALESBOARD_{name}", value)
    monkeypatch.delenv("SALESBOARD_WEBHOOK_URL", raising=False)
    get_settings.cache_clear()
    try:
        assert main(["--database-url", store_url, "lead", "add", "--source", "website",
                     "--company", "甲公司", "--region", "east", "--industry", "制造业"]) == 0  # fmt: skip
    finally:
        get_settings.cache_clear()
    assert capsys.readouterr().err.strip() == "alert to e1 by email: sent"
    assert [rcpt for rcpt, _ in smtp_server.messages] == [["e1@example.com"]]
