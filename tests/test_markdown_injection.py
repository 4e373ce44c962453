"""User text is shown as text (issue 18, item 6): deal, customer, team and people's names,
next steps and risk flags typed as Markdown or HTML never reach a Markdown renderer
unescaped, in the app, the HTML reports or chart labels (a remote image loaded in the
manager's browser and clickable phishing links were possible)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from salesboard.outputs.charts import pipeline_by_stage_chart, safe_figure
from salesboard.outputs.export import Section, html_report
from salesboard.store.db import create_store_engine, read_session, write_session
from salesboard.store.models import Customer, Opportunity, OpportunityStatus, Team, User
from tests.apptest_support import open_app, use_store
from tests.conftest import DEMO_TODAY, copy_sqlite
from tests.test_page_smoke import TEXT_ATTRIBUTES, TEXT_ELEMENTS

IMAGE = "![p](http://evil.example/p.png)"
LINK = "[请点此验证](http://phish.example/login)"
HTML = "<img src=x onerror=alert(1)>"
BARE = "www.phish.example"
PAYLOAD = f"{IMAGE} {LINK} {HTML} {BARE} **粗** :red[红] $x^2$"
# What must never be live syntax in Markdown source: the payload's image, link, tag, bold,
# colour directive and formula …
RAW = ("![p](", "[请点此验证](", "<img src", "**粗**", ":red[红]", "$x^2$")
# … nor, once escapes are read, a bare URL Streamlit would turn into a link.
AUTOLINK = re.compile(r"(?i)(https?://|www\.)(evil|phish)\.example")
# Streamlit reads a colour directive even with its bracket escaped.
DIRECTIVE = re.compile(r"(?<!\\):red\\?\[")


def inject(url: str) -> dict[str, str]:
    """Put PAYLOAD into an open deal of the busiest team (name, next step, risk flag), its
    customer, the team's name and its owner's display name; returns the deal's code and
    the owner's and a manager's usernames."""
    engine = create_store_engine(url)
    with write_session(engine) as s:
        deal = s.execute(
            select(Opportunity).where(Opportunity.status == OpportunityStatus.OPEN)
            .order_by(Opportunity.amount_minor.desc())
        ).scalars().first()  # fmt: skip
        deal.name = f"项目 {PAYLOAD}"
        deal.next_step = f"下一步 {PAYLOAD}"
        deal.risk_flag = f"风险 {PAYLOAD}"
        s.execute(update(Customer).where(Customer.id == deal.customer_id)
                  .values(name=f"客户 {PAYLOAD}"))  # fmt: skip
        s.execute(update(Team).where(Team.id == deal.team_id).values(name=f"组 {PAYLOAD}"))
        owner = s.get(User, deal.owner_id)
        owner.display_name = f"张 {PAYLOAD}"
        manager = s.execute(
            select(User.username).where(User.role == "manager", User.team_id == deal.team_id)
        ).scalar()
        found = {"code": deal.code, "owner": owner.username, "manager": manager}
    engine.dispose()
    return found


@pytest.fixture(scope="module")
def hostile_store(demo_store, tmp_path_factory) -> tuple[str, dict[str, str]]:
    path = tmp_path_factory.mktemp("hostile") / "store.db"
    copy_sqlite(demo_store.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    return url, inject(url)


def live_syntax(markdown: str) -> str:
    """What Markdown reads as syntax: the text without its backslash-escaped characters."""
    return re.sub(r"\\.", "", markdown)


def read_text(markdown: str) -> str:
    """The text Markdown shows (escapes resolved)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def leaks(markdown: str) -> bool:
    """Would this Markdown turn typed text into an image, link, tag or format?"""
    return (
        any(raw in live_syntax(markdown) for raw in RAW)
        or bool(AUTOLINK.search(read_text(markdown)))
        or bool(DIRECTIVE.search(markdown))
    )


def markdown_sources(at) -> list[str]:
    """Every text the page hands to Streamlit's Markdown renderer (labels, bodies, help,
    options of widgets that render Markdown)."""
    texts = []
    for kind in TEXT_ELEMENTS:
        if kind in ("selectbox", "multiselect", "text_input", "number_input", "date_input"):
            attributes = ("label", "help")  # their options and values are plain text
        else:
            attributes = TEXT_ATTRIBUTES
        for element in at.get(kind):
            texts += [f"{kind}: {v}" for a in attributes
                      if isinstance(v := getattr(element, a, None), str)]  # fmt: skip
            if kind in ("radio", "segmented_control"):
                texts += [f"{kind} option: {option}" for option in element.options]
    return texts


PAGES = [
    ("pages/opportunity_detail.py", "manager", "?code"),
    ("pages/opportunity_detail.py", "owner", "?code"),
    ("pages/overview.py", "owner", ""),
    ("pages/pipeline_review.py", "manager", ""),
    ("pages/feedback_team.py", "manager", ""),
    ("pages/goal_attainment.py", "manager", ""),
    ("pages/goal_leaderboard.py", "manager", ""),
    ("pages/feedback_form.py", "owner", ""),
]


@pytest.mark.parametrize(
    ("page", "who", "query"), PAGES, ids=[f"{p[6:-3]}-{w}" for p, w, _ in PAGES]
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_user_text_never_reaches_markdown_unescaped(hostile_store, monkeypatch, page, who,
                                                    query, lang):  # fmt: skip
    url, found = hostile_store
    use_store(monkeypatch, url, DEMO_TODAY)
    at = open_app(lang=lang, user=found[who], timeout=60)
    if query:
        at.query_params["code"] = found["code"]
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    leaked = [t for t in markdown_sources(at) if leaks(t)]
    assert leaked == []


def test_the_opportunity_page_shows_the_names_as_typed(hostile_store, monkeypatch):
    url, found = hostile_store
    use_store(monkeypatch, url, DEMO_TODAY)
    at = open_app(lang="en", user=found["manager"], timeout=60)
    at.query_params["code"] = found["code"]
    at.switch_page("pages/opportunity_detail.py").run()
    subheader = at.subheader[0].value
    # Escaped Markdown renders back to what was typed (plus invisible word joiners).
    shown = read_text(subheader).replace("\u2060", "")
    assert shown == f"{found['code']} · 项目 {PAYLOAD}"
    assert not leaks(subheader)


def test_chart_labels_and_html_reports_show_names_as_text():
    import pandas as pd

    frame = pd.DataFrame({"stage": ["lead"], "name_zh": [PAYLOAD], "name_en": [PAYLOAD],
                          "count": [3], "amount_minor": [100]})  # fmt: skip
    figure = safe_figure(pipeline_by_stage_chart(frame, "en"))
    shown = " ".join(str(v) for trace in figure.data for v in trace.y)
    assert "<img" not in shown and "&lt;img" in shown
    report = html_report(PAYLOAD, PAYLOAD, [Section(PAYLOAD, [PAYLOAD], figures=[figure])])
    assert "<img src=x" not in report


def test_every_chart_goes_through_the_safe_figure():
    """A chart shown any other way than ``ui.plotly_chart`` (which applies safe_figure)
    would render what users typed as plotly's HTML-like labels (links included)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(root))
        for folder in ("pages", "salesboard")
        for path in (root / folder).rglob("*.py")
        if re.search(r"(?<!\bui)\.plotly_chart\(", path.read_text()) and path.name != "charts.py"
    ]
    assert offenders == []


def test_html_escape_helpers_keep_the_store_untouched(hostile_store):
    url, found = hostile_store
    engine = create_store_engine(url)
    with read_session(engine) as s:
        name = s.execute(select(Opportunity.name).where(Opportunity.code == found["code"])).scalar()
    engine.dispose()
    assert name == f"项目 {PAYLOAD}"  # escaping happens on display, never in the data
