"""The deals list: ``pipeline.deal_search`` on both backends over the pipeline company (scope,
search text, status, stage, filters, sort, paging) and the page as a rep and a manager in
both languages (search box, paging in the URL, links to the deal)."""

from __future__ import annotations

import pytest

from salesboard.i18n import format_count, t
from salesboard.pipeline.deal_search import DealSearch, search_deals
from salesboard.store.db import read_session
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.settings import get_settings
from tests.apptest_support import open_app
from tests.companies import pipeline as company

PAGE = "pages/deals.py"
AS_OF = company.AS_OF
ALL_OPEN = DealSearch()


@pytest.fixture
def store(engine):
    return company.build(engine)


def found(store, who: str, search: DealSearch = ALL_OPEN, filters=NO_FILTER, **kw):
    with read_session(store.engine) as session:
        return search_deals(session, store.viewers[who], search, filters, AS_OF, **kw)


def labels(store, page) -> list[str]:
    by_code = {code: label for label, code in store.codes.items()}
    return [by_code[c] for c in page.rows["code"]]


def test_each_viewer_finds_only_the_deals_they_may_read(store):
    assert sorted(labels(store, found(store, "admin"))) == ["D1", "D2", "D5", "D6", "D7"]
    assert sorted(labels(store, found(store, "ra"))) == ["D1", "D2", "D5", "D7"]
    assert labels(store, found(store, "rb")) == ["D6"]
    assert sorted(labels(store, found(store, "mb"))) == ["D6"]
    # another rep's deal by its code reads exactly like a code that does not exist
    other = found(store, "ra", DealSearch(text=store.codes["D6"]))
    missing = found(store, "ra", DealSearch(text="XS209901"))
    assert (other.total, len(other.rows)) == (missing.total, len(missing.rows)) == (0, 0)


def test_status_stage_and_filters(store):
    assert labels(store, found(store, "admin", DealSearch(status="won"))) == ["D4"]
    assert labels(store, found(store, "admin", DealSearch(status="lost"))) == ["D3"]
    needs = found(store, "admin", DealSearch(stage="needs_analysis"))
    assert sorted(labels(store, needs)) == ["D6", "D7"]
    team_b = OpportunityFilter(team_ids=(store.teams["B"],))
    assert labels(store, found(store, "admin", filters=team_b)) == ["D6"]
    # a manager asking for the other team's deals gets none (not an error)
    assert found(store, "ma", filters=team_b).total == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("xs202603", ["D5"]),  # code prefix, any case
        ("XS2026020", ["D1", "D2", "D6", "D7"]),
        ("D7客户", ["D7"]),  # customer name
        ("d2客", ["D2"]),
        ("销售B", ["D6"]),  # owner's name
        ("rb", ["D6"]),  # owner's username
        ("谈判", ["D2"]),  # current stage, Chinese
        ("negotiation", ["D2"]),  # and English
        ("needs_analysis", ["D6", "D7"]),  # a stage's code
        ("%", []),  # a wildcard is text, not "everything"
        ("_", []),
    ],
)
def test_one_search_box_finds_code_customer_owner_and_stage(store, text, expected):
    assert sorted(labels(store, found(store, "admin", DealSearch(text=text)))) == expected


def test_sorts_and_days_in_stage(store):
    by_amount = found(store, "admin", DealSearch(sort="amount"))
    assert labels(store, by_amount) == ["D2", "D1", "D7", "D6", "D5"]
    smallest = found(store, "admin", DealSearch(sort="amount", descending=False))
    assert labels(store, smallest) == ["D5", "D6", "D7", "D1", "D2"]
    longest = found(store, "admin", DealSearch(sort="days_in_stage"))
    # D7 in needs analysis since 02-02, D1 in lead since 02-13, D2 since 03-02 (as of 03-05)
    assert labels(store, longest)[:2] == ["D7", "D1"]
    days = dict(zip(labels(store, longest), longest.rows["days_in_stage"], strict=True))
    # after Fri 02-13 through Thu 03-05: Sat 02-14 (调休), 02-24…02-27, Sat 02-28 (调休),
    # 03-02…03-05; the Spring Festival 02-16…02-23 and the other weekend days are off
    assert days["D1"] == 1 + 4 + 1 + 4
    assert days["D5"] == 3  # Mon 03-02 → Thu 03-05
    won = found(store, "admin", DealSearch(status="won"))
    assert won.rows["days_in_stage"].isna().all()  # a closed deal has no running clock


def test_pages_cover_every_deal_once_and_a_page_past_the_end_shows_the_last(store):
    pages = [found(store, "admin", DealSearch(page=n), page_size=2) for n in (1, 2, 3)]
    assert [p.pages for p in pages] == [3, 3, 3] and pages[0].total == 5
    seen = [label for p in pages for label in labels(store, p)]
    assert seen == ["D2", "D1", "D7", "D6", "D5"]
    beyond = found(store, "admin", DealSearch(page=99), page_size=2)
    assert (beyond.page, labels(store, beyond)) == (3, ["D5"])


# --- the page --------------------------------------------------------------------------


@pytest.fixture
def page_env(sqlite_engine, monkeypatch):
    """The pipeline company in a SQLite file, the app pointed at it as of its Thursday."""
    yield company.app_on(sqlite_engine, monkeypatch)
    monkeypatch.undo()
    get_settings.cache_clear()


def shown_codes(at) -> list[str]:
    frame = at.dataframe[0].value
    return [link.split("code=")[1].split("&")[0] for link in frame["link"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rep_lists_and_searches_their_own_deals(page_env, lang):
    store = page_env
    at = open_app(PAGE, lang=lang, user="ra")
    assert at.title[0].value == t("dlist.title", lang)
    own = {store.codes[label] for label in ("D1", "D2", "D5", "D7")}
    assert set(shown_codes(at)) == own
    caption = t("dlist.count", lang, count=format_count(4), page=1, pages=1)
    assert caption in [c.value for c in at.caption]
    link = at.dataframe[0].value["link"].iloc[0]
    assert link.startswith("/opportunity?code=XS") and link.endswith(f"lang={lang}")
    at.text_input(key="q").set_value("D7客户").run()
    assert shown_codes(at) == [store.codes["D7"]]
    assert at.query_params["q"] == "D7客户"
    at.text_input(key="q").set_value(store.codes["D6"]).run()  # a colleague's deal
    assert not at.dataframe and at.info[0].value == t("dlist.none", lang)


def test_a_manager_pages_through_the_list_with_the_page_in_the_url(page_env, monkeypatch):
    monkeypatch.setattr("salesboard.pipeline.deal_search.PAGE_SIZE", 2)
    store = page_env
    at = open_app(PAGE, lang="en", user="ma")
    assert len(shown_codes(at)) == 2
    first = shown_codes(at)
    at.button(key="dl_next").click().run()
    assert at.query_params["page"] == "2"
    second = shown_codes(at)
    assert not set(first) & set(second)
    at.selectbox(key="sort").set_value("created").run()  # a new search starts on page 1
    assert "page" not in at.query_params
    assert set(first + second) <= {store.codes[label] for label in ("D1", "D2", "D5", "D7")}
