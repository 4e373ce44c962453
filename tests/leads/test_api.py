"""The inbound API against the real service (``python -m salesboard.inbound``: uvicorn on a
free loopback port) on both backends: a post with a live token stores an assigned lead (201),
a retry with the same Idempotency-Key answers 200 with the same lead, and each refusal — bad
or revoked token (401), oversized body (413), not JSON (415), malformed fields (422, the field
named), the key reused for another lead (409) — is a clear 4xx that writes nothing."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from sqlalchemy import func, select

from salesboard.accounts.access import SYSTEM
from salesboard.leads.tokens import create_token, revoke_token
from salesboard.store.db import read_session, write_session
from salesboard.store.tables import LEAD, LEAD_TOKEN
from tests.leads.company import build


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(store_url: str):
    """The inbound service on a free loopback port for ``store_url``: yields its base URL."""
    port = _free_port()
    env = {**os.environ, "SALESBOARD_DATABASE_URL": store_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "salesboard.inbound", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/v1/health", timeout=2) as answer:
                if json.load(answer) == {"status": "ok"}:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def service(engine, store_url):
    co = build(engine)
    with write_session(engine) as s:
        token = create_token(s, SYSTEM, "website", "官网表单")
        revoked = create_token(s, SYSTEM, "partner")
        revoke_token(s, SYSTEM, s.execute(select(LEAD_TOKEN.c.id).where(
            LEAD_TOKEN.c.source == "partner")).scalar_one())  # fmt: skip
    for base in serve(store_url):
        yield base, token, revoked, co


def post(base, token, body, *, key=None, raw: bytes | None = None, kind="application/json"):
    data = raw if raw is not None else json.dumps(body).encode()
    headers = {"Content-Type": kind}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(f"{base}/v1/leads", data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def leads(engine) -> int:
    with read_session(engine) as s:
        return s.execute(select(func.count()).select_from(LEAD)).scalar_one()


BODY = {"company": "甲公司", "contact_name": "李雷", "contact_phone": "13800138000",
        "region": "east", "industry": "制造业", "budget": "50万", "urgency": "high"}  # fmt: skip


def test_a_post_is_stored_assigned_and_a_retry_replays(service, engine):
    base, token, _, co = service
    status, answer = post(base, token, BODY, key="form-1")
    assert status == 201 and answer["created"] and answer["status"] == "assigned"
    status, again = post(base, token, BODY, key="form-1")
    assert status == 200 and again == {**answer, "created": False}
    with read_session(engine) as s:
        row = s.execute(select(LEAD)).one()
        used = s.execute(
            select(LEAD_TOKEN.c.last_used_at).where(LEAD_TOKEN.c.source == "website")
        ).scalar_one()
    assert (row.source, row.assigned_to, row.score) == ("website", co.ids["e1"], 30 + 20 + 5)
    assert used is not None
    status, conflict = post(base, token, {**BODY, "company": "乙公司"}, key="form-1")
    assert status == 409 and "Idempotency-Key" in conflict["detail"]
    assert leads(engine) == 1


def test_a_bad_token_is_401_and_an_oversized_body_413_writing_nothing(service, engine):
    base, token, revoked, _ = service
    for bad in (None, "sbl_not-a-token", revoked):
        status, answer = post(base, bad, BODY)
        assert status == 401 and answer["detail"] == "invalid or revoked token"
    status, answer = post(base, token, {**BODY, "message": "x" * 20_000})
    assert status == 413 and "bytes" in answer["detail"]
    assert leads(engine) == 0


MALFORMED = [
    ({**BODY, "company": ""}, "company"), ({**BODY, "urgency": "asap"}, "urgency"),
     ({**BODY, "contact_email": "nobody"}, "contact_email"), ({**BODY, "region": "mars"}, "region"),
     ({**BODY, "colour": "red"}, "colour"), ({**BODY, "company": "x" * 129}, "company"),
]  # fmt: skip


def test_malformed_bodies_are_refused_naming_the_field_and_write_nothing(service, engine):
    base, token, _, _ = service
    for body, field in MALFORMED:
        status, answer = post(base, token, body)
        assert status == 422, body
        assert [field] == [e["loc"][1] for e in answer["detail"]]
    assert post(base, token, None, raw=b"{not json")[0] == 422
    assert (
        post(base, token, None, raw=b"company=x", kind="application/x-www-form-urlencoded")[0]
        == 415
    )
    assert leads(engine) == 0


def test_openapi_documents_the_post(service):
    base = service[0]
    with urllib.request.urlopen(f"{base}/openapi.json", timeout=5) as answer:
        spec = json.load(answer)
    body = spec["paths"]["/v1/leads"]["post"]["requestBody"]["content"]["application/json"]
    assert "company" in body["schema"]["properties"]
    with urllib.request.urlopen(f"{base}/docs", timeout=5) as answer:
        assert answer.status == 200
