"""``python -m salesboard digest``: each person's reminder in their language, from My work's
lists, delivered to a real SMTP server and a real HTTP receiver on loopback (both run in
threads here), or written to files with ``--dry-run``; one refused recipient does not stop
the others. Both backends."""

from __future__ import annotations

import base64
import email
import hashlib
import hmac
import json
import socketserver
import threading
import urllib.parse
from email import policy
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlmodel import select

from salesboard.cli.main import main
from salesboard.store.db import write_session
from salesboard.store.models import FeedbackForm, KeyAction, User
from salesboard.store.settings import get_settings
from tests import builders as b
from tests.companies.worklist import worklist_company

AS_OF = "2026-11-25"
REFUSED = "bob@example.com"


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for ``smtplib``: EHLO, MAIL, RCPT (refuses ``REFUSED``), DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 test SMTP")
        rcpt: list[str] = []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb == "MAIL":
                rcpt = []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip(" <>")
                if address == REFUSED:
                    self.reply("550 no such mailbox")
                else:
                    rcpt.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.server.messages.append(
                    (rcpt, email.message_from_bytes(data, policy=policy.default))
                )
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.append((self.path, json.loads(body)))
        answer = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args) -> None:
        pass


def _serve(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages = []
    yield _serve(server)
    server.shutdown()
    server.server_close()


@pytest.fixture
def receiver():
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    server.posts = []
    yield _serve(server)
    server.shutdown()
    server.server_close()


@pytest.fixture
def company(engine, store_url, monkeypatch):
    """The worklist company with e-mail addresses: ann reads English, the rest the company
    default (Chinese); bob's address is refused by the SMTP server."""
    ids = worklist_company(engine)
    with write_session(engine) as s:
        for name in ("ann", "bob", "cat", "mia", "max"):
            user = s.get(User, ids[name])
            user.email = f"{name}@example.com"
        s.get(User, ids["ann"]).language = "en"
    for name in ("SMTP_HOST", "WEBHOOK_URL", "WEBHOOK_SECRET", "APP_URL"):
        monkeypatch.delenv(f"SALESBOARD_{name}", raising=False)
    monkeypatch.setenv("SALESBOARD_DEFAULT_LANGUAGE", "zh")
    get_settings.cache_clear()
    yield store_url
    get_settings.cache_clear()


def _configure(monkeypatch, **env: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(f"SALESBOARD_{name.upper()}", value)
    get_settings.cache_clear()


def run(url: str, *args: str) -> int:
    return main(["--database-url", url, "digest", *args, "--as-of", AS_OF])


def test_email_to_each_rep_in_their_language(company, smtp_server, monkeypatch, capsys):
    port = smtp_server.server_address[1]
    _configure(monkeypatch, smtp_host="127.0.0.1", smtp_port=str(port), smtp_from="sb@example.com",
               smtp_starttls="false", app_url="https://sales.example.com")  # fmt: skip
    status = run(company, "--to", "reps", "--send")
    out, err = capsys.readouterr()
    mails = {tuple(rcpt): message for rcpt, message in smtp_server.messages}
    # ann and cat get theirs; bob's address is refused, reported, and did not stop cat's.
    assert set(mails) == {("ann@example.com",), ("cat@example.com",)}
    assert status == 1
    assert "bob: email failed: 550 no such mailbox" in err
    ann = mails[("ann@example.com",)]
    assert ann["Subject"].startswith("Salesboard to-do · ann")
    body = ann.get_content()
    assert "Overdue key actions (2)" in body and "Key actions due this week (2)" in body
    assert "late friday · planned 2026-11-20 · 3 working days late" in body
    assert "due sunday · planned 2026-11-29" in body
    assert "bob late" not in body and "cat late" not in body  # nobody else's items
    assert "Open Salesboard: https://sales.example.com/my-work" in body
    cat = mails[("cat@example.com",)].get_content()
    assert "逾期关键动作（1）" in cat and "cat late" in cat and "逾期 2 个工作日" in cat
    assert "password" not in out + err


def test_managers_get_their_team_by_rep_with_the_review(company, smtp_server, monkeypatch):
    port = smtp_server.server_address[1]
    _configure(monkeypatch, smtp_host="127.0.0.1", smtp_port=str(port), smtp_from="sb@example.com",
               smtp_starttls="false")  # fmt: skip
    assert run(company, "--to", "managers", "--send") == 0
    mails = {tuple(rcpt): message.get_content() for rcpt, message in smtp_server.messages}
    mia = mails[("mia@example.com",)]
    assert (
        mia.index("[ann]") < mia.index("late friday") < mia.index("[bob]") < mia.index("bob late")
    )
    assert "cat late" not in mia
    assert "本周销售过程复盘" in mia and "滞后商机" in mia
    assert "cat late" in mails[("max@example.com",)]


@pytest.mark.parametrize("fmt", ["wecom", "dingtalk", "feishu"])
def test_webhook_message_per_format(company, receiver, monkeypatch, fmt):
    port = receiver.server_address[1]
    _configure(monkeypatch, webhook_url=f"http://127.0.0.1:{port}/hook?key=k1",
               webhook_format=fmt, webhook_secret="s3cret")  # fmt: skip
    assert run(company, "--to", "reps", "--send") == 0
    assert len(receiver.posts) == 3  # ann, bob, cat
    path, body = next((p, b) for p, b in receiver.posts if "ann" in json.dumps(b))
    if fmt == "wecom":
        assert body["msgtype"] == "markdown"
        assert "### Overdue key actions (2)" in body["markdown"]["content"]
        assert path == "/hook?key=k1"
    elif fmt == "dingtalk":
        assert body["msgtype"] == "markdown"
        assert body["markdown"]["title"].startswith("Salesboard to-do · ann")
        assert "late friday" in body["markdown"]["text"]
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
        stamp, sign = query["timestamp"][0], query["sign"][0]
        expected = hmac.new(b"s3cret", f"{stamp}\ns3cret".encode(), hashlib.sha256).digest()
        assert base64.b64decode(sign) == expected
    else:
        assert body["msg_type"] == "text"
        assert "late friday" in body["content"]["text"]
        key = f"{body['timestamp']}\ns3cret".encode()
        assert base64.b64decode(body["sign"]) == hmac.new(key, b"", hashlib.sha256).digest()


def test_dry_run_writes_files_and_sends_nothing(company, smtp_server, tmp_path, monkeypatch):
    port = smtp_server.server_address[1]
    _configure(monkeypatch, smtp_host="127.0.0.1", smtp_port=str(port), smtp_from="sb@example.com",
               smtp_starttls="false", webhook_url="http://127.0.0.1:9/never",
               webhook_format="feishu")  # fmt: skip
    out = tmp_path / "out"
    assert run(company, "--to", "reps", "--dry-run", str(out)) == 0
    assert smtp_server.messages == []
    names = sorted(p.name for p in out.iterdir())
    assert names == ["ann.eml", "ann.json", "bob.eml", "bob.json", "cat.eml", "cat.json"]
    message = email.message_from_bytes((out / "ann.eml").read_bytes(), policy=policy.default)
    assert message["To"] == "ann@example.com" and "late friday" in message.get_content()
    assert json.loads((out / "cat.json").read_text())["msg_type"] == "text"


def test_summary_skips_people_with_nothing_due(company, engine, capsys):
    with write_session(engine) as s:  # bob does his action and submits October's form
        for action in s.exec(select(KeyAction).where(KeyAction.action == "bob late")):
            action.done_on = action.planned_on
        bob = s.exec(select(User).where(User.username == "bob")).one()
        form = b.feedback_form(s, bob, "2026-10")
        s.get(FeedbackForm, form.id).status = "submitted"
    assert run(company, "--to", "reps") == 0
    out = capsys.readouterr().out
    assert "ann (en): overdue_actions 2, due_actions 2, stalled 2, forms 1" in out
    assert "cat (zh): overdue_actions 1, forms 1" in out
    assert "bob" not in out
    assert "2 digest(s) for 2026-11-25; 1 with nothing due skipped" in out


def test_send_without_a_channel_is_refused(company, capsys):
    assert run(company, "--to", "reps", "--send") == 1
    assert "SALESBOARD_SMTP_HOST" in capsys.readouterr().err
