"""The inbound API: ``POST /v1/leads`` with ``Authorization: Bearer <token>`` (the token's
source is the lead's) and an optional ``Idempotency-Key``; ``GET /v1/health``; OpenAPI at
``/docs`` and ``/openapi.json``.

Refusals are 4xx with a JSON ``detail`` and write nothing: 401 an unknown or revoked token,
413 a body over ``MAX_BODY_BYTES`` (checked on the header and while reading, before any
parsing), 415 a body that is not JSON, 422 a malformed body or field (the field named in
``loc``), 409 an idempotency key the source already used for a different lead. A retried post
with the same key and body answers 200 with the lead it created (201 the first time)."""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import BackgroundTasks, FastAPI, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select, text

from salesboard.leads.arrival import LeadInput, receive_lead
from salesboard.leads.errors import LeadError
from salesboard.leads.tokens import api_viewer, source_of_token
from salesboard.reminders.lead_alert import send_lead_alert
from salesboard.store.db import get_engine, read_session, write_session
from salesboard.store.settings import get_settings
from salesboard.store.tables import LEAD

MAX_BODY_BYTES = 16 * 1024
LOG = logging.getLogger(__name__)
Level = Literal["high", "medium", "low", ""]


class LeadPost(BaseModel):
    """A lead as a form or marketing tool posts it (unknown fields are refused)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    company: str = Field(min_length=1, max_length=128, description="the company (客户名称)")
    contact_name: str = Field("", max_length=64)
    contact_phone: str = Field("", max_length=32)
    contact_email: str = Field("", max_length=128)
    industry: str = Field("", max_length=64, description="matched by the assignment rules")
    region: str = Field("", max_length=32, description="a region code (east, south …)")
    budget: str | int | None = Field(None, description="yuan, or text such as 85万 / ¥850,000")
    urgency: Level = ""
    fit: Level = ""
    message: str = Field("", max_length=2000)


class LeadCreated(BaseModel):
    """The stored lead: its id, status (assigned or new) and whether this post created it."""

    id: int
    status: str
    created: bool


def _error(status: int, detail: object, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


async def _body(request: Request) -> bytes | JSONResponse:
    """The request body, refused (413) past ``MAX_BODY_BYTES`` before it is all read."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return _error(413, f"body over {MAX_BODY_BYTES} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return _error(413, f"body over {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _bearer(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _engine():
    return get_engine(get_settings().database_url)


def _authenticate(token: str) -> str | None:
    """The source of a live token (its last use stamped); None otherwise, nothing written."""
    if not token:
        return None
    with write_session(_engine()) as session:
        return source_of_token(session, token)


def _store(source: str, post: LeadPost, key: str | None) -> tuple[int, str, bool]:
    """Store the lead in one write transaction: (id, status, created)."""
    with write_session(_engine()) as session:
        lead = LeadInput(source=source, **post.model_dump())
        lead_id, created = receive_lead(session, api_viewer(source), lead, idempotency_key=key)
        status = session.execute(select(LEAD.c.status).where(LEAD.c.id == lead_id)).scalar_one()
        return lead_id, status, created


def _alert(lead_id: int) -> None:
    """Tell the rep a new lead is theirs (after the response: the poster never waits on a
    mail server); a channel that fails is logged, the lead stays stored and assigned."""
    try:
        outcomes = send_lead_alert(_engine(), lead_id)
    except Exception:  # a broken channel must not take the service down
        LOG.exception("lead %s: the alert could not be sent", lead_id)
        return
    for outcome in outcomes:
        if not outcome.ok:
            LOG.warning("lead %s: alert to %s by %s failed: %s", lead_id, outcome.username,
                        outcome.channel, outcome.error)  # fmt: skip


def create_app() -> FastAPI:
    """The inbound API application (uvicorn's factory: ``salesboard.inbound.app:create_app``)."""
    app = FastAPI(
        title="Salesboard inbound leads API",
        version="1",
        description="Post leads (线索) from a website form or a marketing tool. Each source has "
        "its own token (Lead settings page or `python -m salesboard lead token create`).",
    )

    @app.get("/v1/health")
    def health() -> dict[str, str]:
        """Up, and the store answers."""
        with read_session(_engine()) as session:
            session.execute(text("SELECT 1"))
        return {"status": "ok"}

    @app.post(
        "/v1/leads",
        status_code=201,
        response_model=LeadCreated,
        responses={200: {"model": LeadCreated, "description": "a replay of an earlier post"},
                   401: {}, 409: {}, 413: {}, 415: {}, 422: {}},
        openapi_extra={"requestBody": {"required": True, "content": {
            "application/json": {"schema": LeadPost.model_json_schema()}}}},
    )  # fmt: skip
    async def post_lead(
        request: Request,
        background: BackgroundTasks,
        authorization: str | None = Header(None),
        idempotency_key: str | None = Header(None, max_length=128),
    ):
        """Store a lead; it is scored, routed and assigned at once."""
        source = await run_in_threadpool(_authenticate, _bearer(authorization))
        if source is None:
            return _error(401, "invalid or revoked token", {"WWW-Authenticate": "Bearer"})
        body = await _body(request)
        if isinstance(body, JSONResponse):
            return body
        if "json" not in request.headers.get("content-type", ""):
            return _error(415, "send the lead as application/json")
        try:
            post = LeadPost.model_validate_json(body)
        except ValidationError as error:
            detail = [{"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}
                      for e in error.errors(include_url=False, include_input=False)]  # fmt: skip
            return _error(422, detail)
        try:
            lead_id, status, created = await run_in_threadpool(
                _store, source, post, idempotency_key
            )
        except LeadError as error:
            if error.code == "idempotency_conflict":
                return _error(409, "this Idempotency-Key was used for a different lead")
            return _error(422, [{"loc": ["body", error.field or "lead"], "msg": str(error),
                                 "type": error.code}])  # fmt: skip
        if created and status == "assigned":  # a replay was alerted the first time
            background.add_task(_alert, lead_id)
        return JSONResponse(
            LeadCreated(id=lead_id, status=status, created=created).model_dump(),
            status_code=201 if created else 200,
        )

    return app
