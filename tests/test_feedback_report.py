"""The filled form as XLSX (the seed's layout), printable HTML and JSON, through the CLI
``report feedback``, in Chinese and English; a rep cannot export a colleague's form."""

from __future__ import annotations

import json
import shutil
from datetime import UTC

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from salesboard.accounts.access import SYSTEM
from salesboard.cli.main import main
from salesboard.feedback import queries
from salesboard.feedback.form import weighted_completion
from salesboard.i18n import t
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.models import FeedbackForm, User

PERIOD = "2026-10"


@pytest.fixture(scope="module")
def confirmed(demo_store):
    """(store URL, rep username, the rep's confirmed October form, a colleague's username)."""
    engine = create_store_engine(demo_store)
    with read_session(engine) as s:
        form_row = (
            s.execute(
                select(FeedbackForm)
                .where(FeedbackForm.period == PERIOD, FeedbackForm.status == "confirmed")
                .order_by(FeedbackForm.id)
            )
            .scalars()
            .first()
        )
        rep = s.get(User, form_row.rep_id)
        colleague = (
            s.execute(
                select(User.username).where(User.role == "rep", User.id != rep.id).order_by(User.id)
            )
            .scalars()
            .first()
        )
        form = queries.get_form(s, SYSTEM, form_row.id)
    engine.dispose()
    return demo_store, rep.username, form, colleague


def run(url: str, *args: str) -> int:
    return main(["--database-url", url, *args])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_has_the_seed_sections_one_under_another(confirmed, tmp_path, lang):
    url, rep, form, _ = confirmed
    out = tmp_path / "form.xlsx"
    code = run(url, "report", "feedback", "--period", PERIOD, "--rep", rep, "--format", "xlsx",
               "--lang", lang, "--output", str(out))  # fmt: skip
    assert code == 0
    sheet = load_workbook(out).active
    column_a = [c.value for c in sheet["A"] if c.value]
    assert column_a[0] == t("feedback.report.title", lang)
    sections = [
        "report.basic",
        "section.kpis",
        "section.actions",
        "section.items",
        "section.signoff",
    ]
    positions = [column_a.index(t(f"feedback.{key}", lang)) for key in sections]
    assert positions == sorted(positions)
    # The KPI header row and one row per metric, with completion as a percent number.
    header = next(c.row for c in sheet["A"] if c.value == t("feedback.col.category", lang))
    row = header + 1
    assert sheet.cell(row, 2).value == t(f"feedback.metric.{form.body['kpis'][0]['code']}", lang)
    assert sheet.cell(header, 1).fill.fgColor.rgb.endswith("1F6FEB")
    assert sheet.cell(row, 6).number_format == "0.0%"


def test_json_and_html_carry_the_stored_form(confirmed, tmp_path):
    url, rep, form, _ = confirmed
    out = tmp_path / "form.json"
    assert run(url, "report", "feedback", "--period", PERIOD, "--rep", rep, "--format", "json",
               "--output", str(out)) == 0  # fmt: skip
    payload = json.loads(out.read_text())
    assert payload["status"] == "confirmed" and payload["version"] == form.version
    assert [k["code"] for k in payload["kpis"]] == [k["code"] for k in form.body["kpis"]]
    assert payload["weighted_completion"] == pytest.approx(weighted_completion(form.body["kpis"]))
    assert payload["confirmed_by"] == form.confirmed_by_name
    for lang in ("zh", "en"):
        page = tmp_path / f"form_{lang}.html"
        assert run(url, "report", "feedback", "--period", PERIOD, "--rep", rep, "--format",
                   "html", "--lang", lang, "--output", str(page)) == 0  # fmt: skip
        text = page.read_text()
        assert t("feedback.report.title", lang) in text and form.rep_name in text
        assert "@page{size:A4" in text and "<script" not in text  # print CSS, no scripts
        assert t("feedback.report.manager_signature", lang) in text


def test_a_rep_cannot_export_a_colleagues_form(confirmed, tmp_path, capsys):
    url, rep, _, colleague = confirmed
    code = run(url, "--as-user", colleague, "report", "feedback", "--period", PERIOD, "--rep",
               rep, "--format", "json", "--output", str(tmp_path / "x.json"))  # fmt: skip
    assert code == 1 and not (tmp_path / "x.json").exists()
    assert "no feedback form" in capsys.readouterr().err


@pytest.mark.skipif(not shutil.which("chromium"), reason="PDF needs Debian's chromium")
def test_pdf_through_headless_chromium(confirmed, tmp_path):
    url, rep, _, _ = confirmed
    out = tmp_path / "form.pdf"
    assert run(url, "report", "feedback", "--period", PERIOD, "--rep", rep, "--format", "pdf",
               "--output", str(out)) == 0  # fmt: skip
    assert out.read_bytes()[:5] == b"%PDF-"


def test_the_forms_stamps_read_in_the_company_zone(confirmed, monkeypatch):
    """Submitted/confirmed times are stored in UTC and shown in SALESBOARD_TIMEZONE, not in the
    server's zone (this server runs in UTC)."""
    from zoneinfo import ZoneInfo

    from salesboard.feedback.report import form_document
    from salesboard.store.settings import get_settings

    _, _, form, _ = confirmed
    for zone in ("Asia/Shanghai", "America/New_York"):
        monkeypatch.setenv("SALESBOARD_TIMEZONE", zone)
        get_settings.cache_clear()
        text = json.dumps(form_document(form, "en"), ensure_ascii=False, default=str)
        submitted = form.submitted_at
        stored_utc = submitted if submitted.tzinfo else submitted.replace(tzinfo=UTC)
        local = stored_utc.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
        assert local in text
    get_settings.cache_clear()
