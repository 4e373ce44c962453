"""Sending digests: e-mail through SMTP and chat-bot webhooks (WeCom, DingTalk, Feishu), or
files for a dry run (``.eml``, ``.json``). Each message is sent on its own: one that fails is
reported and the others still go. Passwords and webhook keys never appear in a message of
ours (a webhook URL carries its key: only its host is named)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from salesboard.reminders.digest import Digest
from salesboard.store.settings import Settings

WEBHOOK_FORMATS = ("wecom", "dingtalk", "feishu")
# WeCom refuses Markdown content over 4096 bytes; DingTalk and Feishu allow more, but a
# digest that long is cut the same way everywhere (the page has the rest).
WEBHOOK_MAX_BYTES = 4000
TIMEOUT_S = 20


class DeliveryError(Exception):
    """A message that could not be delivered (the reason, without secrets)."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one message: channel ("email" / "webhook"), where (an address or a
    file), and the error, if any."""

    username: str
    channel: str
    target: str
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when the message went out (or was written)."""
        return not self.error


def channels(settings: Settings) -> tuple[str, ...]:
    """The configured channels: "email" with an SMTP host, "webhook" with a webhook URL."""
    found = []
    if settings.smtp_host:
        found.append("email")
    if settings.webhook_url:
        found.append("webhook")
    return tuple(found)


def check_settings(settings: Settings) -> None:
    """Refuse settings that cannot work (``ValueError`` naming the variable)."""
    if settings.webhook_format not in WEBHOOK_FORMATS:
        raise ValueError(
            f"SALESBOARD_WEBHOOK_FORMAT={settings.webhook_format!r}: use one of "
            + ", ".join(WEBHOOK_FORMATS)
        )
    if settings.smtp_host and not settings.smtp_from:
        raise ValueError("SALESBOARD_SMTP_FROM is needed to send e-mail")


# --- e-mail ---------------------------------------------------------------------------------


def email_message(digest: Digest, settings: Settings) -> EmailMessage:
    """The digest as a plain-text UTF-8 e-mail to the person's address."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = settings.smtp_from or "salesboard@localhost"
    message["To"] = digest.recipient.email
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="salesboard")
    message["Content-Language"] = "zh-CN" if digest.recipient.language == "zh" else "en"
    message.set_content(digest.text)
    return message


def smtp_connection(settings: Settings) -> smtplib.SMTP:
    """A connection to the SMTP server, with STARTTLS and login when configured."""
    try:
        server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_S)
        if settings.smtp_starttls:
            server.starttls()
        if settings.smtp_user:
            server.login(settings.smtp_user, settings.smtp_password)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(
            f"SMTP {settings.smtp_host}:{settings.smtp_port}: {_reason(exc)}"
        ) from exc
    return server


def send_email(server: smtplib.SMTP, message: EmailMessage) -> None:
    """Send ``message`` over an open connection."""
    try:
        server.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(_reason(exc)) from exc


def _reason(exc: Exception) -> str:
    """What the server said (code and text), or the kind of failure."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, text = next(iter(exc.recipients.values()))
        return f"{code} {_text(text)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return exc.__class__.__name__ + (f": {exc}" if str(exc) else "")


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


# --- webhooks -------------------------------------------------------------------------------


def _cut(text: str, limit: int = WEBHOOK_MAX_BYTES) -> str:
    """``text`` cut to ``limit`` UTF-8 bytes at a line end."""
    if len(text.encode()) <= limit:
        return text
    kept = text.encode()[:limit].decode("utf-8", "ignore")
    return kept.rsplit("\n", 1)[0] + "\n…"


def webhook_body(digest: Digest, fmt: str, secret: str = "", now: float | None = None) -> dict:
    """The JSON body of the chat bot's message in format ``fmt``:

    - WeCom group bot: ``{"msgtype": "markdown", "markdown": {"content": …}}``;
    - DingTalk custom bot: ``{"msgtype": "markdown", "markdown": {"title": …, "text": …}}``
      (its signature goes in the URL, ``webhook_url``);
    - Feishu custom bot: ``{"msg_type": "text", "content": {"text": …}}``, with
      ``timestamp`` and ``sign`` when the bot has a signing secret.
    """
    if fmt == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": _cut(digest.markdown)}}
    if fmt == "dingtalk":
        title = digest.subject
        return {"msgtype": "markdown", "markdown": {"title": title, "text": _cut(digest.markdown)}}
    if fmt == "feishu":
        body: dict = {
            "msg_type": "text",
            "content": {"text": _cut(f"{digest.subject}\n\n{digest.text}")},
        }
        if secret:
            stamp = str(int(now if now is not None else time.time()))
            # Feishu: HMAC-SHA256 keyed with "timestamp\nsecret" over an empty message.
            key = f"{stamp}\n{secret}".encode()
            body["timestamp"] = stamp
            body["sign"] = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
        return body
    raise ValueError(f"unknown webhook format {fmt!r}")


def webhook_url(url: str, fmt: str, secret: str = "", now: float | None = None) -> str:
    """The URL to post to: DingTalk's signed with ``timestamp`` (ms) and ``sign`` (HMAC-SHA256
    of "timestamp\\nsecret" keyed with the secret, Base64, URL-encoded) when it has a secret."""
    if fmt != "dingtalk" or not secret:
        return url
    stamp = str(int((now if now is not None else time.time()) * 1000))
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={sign}"


def webhook_host(url: str) -> str:
    """Where a webhook goes, without its key: the host."""
    return urllib.parse.urlsplit(url).netloc or "webhook"


def post_webhook(digest: Digest, settings: Settings) -> None:
    """Post the digest to the chat bot; a refusal (HTTP error or the bot's error code) raises
    ``DeliveryError``."""
    fmt, secret = settings.webhook_format, settings.webhook_secret
    data = json.dumps(webhook_body(digest, fmt, secret), ensure_ascii=False).encode()
    request = urllib.request.Request(
        webhook_url(settings.webhook_url, fmt, secret),
        data=data,
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    host = webhook_host(settings.webhook_url)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            answer = response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"{host}: HTTP {exc.code}") from exc
    except (OSError, urllib.error.URLError) as exc:
        raise DeliveryError(f"{host}: {exc.__class__.__name__}") from exc
    _check_answer(answer, host)


def _check_answer(answer: bytes, host: str) -> None:
    """The bots answer HTTP 200 with an error code in the JSON (``errcode`` for WeCom and
    DingTalk, ``code`` for Feishu); 0 means sent."""
    try:
        reply = json.loads(answer or b"{}")
    except ValueError:
        return
    if not isinstance(reply, dict):
        return
    code = reply.get("errcode", reply.get("code", reply.get("StatusCode", 0)))
    if code not in (0, None):
        message = reply.get("errmsg") or reply.get("msg") or ""
        raise DeliveryError(f"{host}: error {code} {message}".strip())


# --- dry run --------------------------------------------------------------------------------


def write_files(
    digest: Digest, directory: Path, settings: Settings, wanted: tuple[str, ...]
) -> list[Outcome]:
    """The messages ``wanted`` ("email", "webhook") as files in ``directory``:
    ``<username>.eml`` (for a person with an e-mail address) and ``<username>.json`` (the
    webhook body in the configured format)."""
    directory.mkdir(parents=True, exist_ok=True)
    person = digest.recipient
    done = []
    if "email" in wanted:
        if person.email:
            path = directory / f"{person.username}.eml"
            path.write_bytes(bytes(email_message(digest, settings)))
            done.append(Outcome(person.username, "email", str(path)))
        else:
            done.append(Outcome(person.username, "email", "", "no e-mail address"))
    if "webhook" in wanted:
        path = directory / f"{person.username}.json"
        body = webhook_body(digest, settings.webhook_format, settings.webhook_secret)
        path.write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")
        done.append(Outcome(person.username, "webhook", str(path)))
    return done


def send_all(digests: list[Digest], settings: Settings) -> list[Outcome]:
    """Send every digest on every configured channel: one SMTP connection for all e-mail;
    a failure is recorded for its message and the next one is tried."""
    outcomes: list[Outcome] = []
    wanted = channels(settings)
    server = None
    if "email" in wanted and any(d.recipient.email for d in digests):
        try:
            server = smtp_connection(settings)
        except DeliveryError as exc:
            outcomes += [
                Outcome(d.recipient.username, "email", d.recipient.email, str(exc))
                for d in digests
                if d.recipient.email
            ]
    try:
        for digest in digests:
            outcomes += _send_one(digest, settings, wanted, server)
    finally:
        if server is not None:
            try:
                server.quit()
            except (OSError, smtplib.SMTPException):
                pass
    return outcomes


def _send_one(digest: Digest, settings: Settings, wanted, server) -> list[Outcome]:
    person = digest.recipient
    done = []
    if "email" in wanted:
        if not person.email:
            done.append(Outcome(person.username, "email", "", "no e-mail address"))
        elif server is not None:
            try:
                send_email(server, email_message(digest, settings))
                done.append(Outcome(person.username, "email", person.email))
            except DeliveryError as exc:
                done.append(Outcome(person.username, "email", person.email, str(exc)))
    if "webhook" in wanted:
        host = webhook_host(settings.webhook_url)
        try:
            post_webhook(digest, settings)
            done.append(Outcome(person.username, "webhook", host))
        except DeliveryError as exc:
            done.append(Outcome(person.username, "webhook", host, str(exc)))
    return done
