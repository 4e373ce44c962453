"""A link reopens the same view in either language: for each page with view choices, set them
in one language, read the URL (codes only, never a translated label), open it in the other
language in a fresh session, and find the same widget values and the same figures."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from salesboard.i18n import TRANSLATIONS
from salesboard.store.models import Goal, Role, User
from salesboard.ui.signin import TOKEN_KEY
from tests.apptest_support import APP_PATH, first_user, open_app, session_token

CHOICE_KINDS = (
    "selectbox", "segmented_control", "multiselect", "radio", "text_input", "date_input",
)  # fmt: skip
# What a code looks like (ids, periods "2026Q4", dates, usernames, "team:3") and the English
# labels that would pass for one ("Month", "Revenue"): neither Chinese nor a label in a URL.
CODE = re.compile(r"[A-Za-z0-9_.:\-]+")
EN_LABELS = {text["en"] for text in TRANSLATIONS.values() if text["en"][:1].isupper()}


def first_child(at) -> int:
    """The first goal in the children table (what the drill box offers first)."""
    return int(at.dataframe[0].value["id"].iloc[0])


def store_value(query):
    """One value from the demo store."""
    from salesboard.store.db import create_store_engine, read_session
    from salesboard.store.settings import Settings

    engine = create_store_engine(Settings().database_url)
    with read_session(engine) as session:
        value = session.execute(query).scalars().first()
    engine.dispose()
    return value


def product_line_goal(at) -> str:
    """A product line's revenue goal of the quarter (the forecast's picker takes ids)."""
    return str(
        store_value(
            select(Goal.id)
            .where(Goal.period == "2026Q4", Goal.metric == "revenue", Goal.scope == "product_line")
            .order_by(Goal.id)
        )
    )


def last_rep(at) -> str:
    """The username of the last rep the manager's rep picker offers."""
    name = widget(at, "rep").options[-1].split(" · ")[0]
    return store_value(select(User.username).where(User.display_name == name))


# page, who opens it, and the view choices to make: (widget key, code or a function of the
# page giving the code), in order (a later widget may only exist after an earlier choice).
CASES = [
    ("pages/overview.py", Role.MANAGER, [("period_kind", "month"), ("period_month", "2026-09")]),
    (
        "pages/goal_attainment.py",
        Role.ADMIN,
        [("period_kind", "year"), ("metric", "new_customers"), ("goal_drill", first_child)],
    ),
    (
        "pages/goal_forecast.py",
        Role.ADMIN,
        [("period_kind", "quarter"), ("node", product_line_goal)],
    ),
    (
        "pages/goal_leaderboard.py",
        Role.LEADER,
        [("period_kind", "month"), ("metric", "visits"), ("level", "team")],
    ),
    ("pages/goal_settings.py", Role.ADMIN, [("plan_kind", "month"), ("metric", "collection")]),
    (
        "pages/pipeline_review.py",
        Role.MANAGER,
        [
            ("fb_kind", "quarter"),
            ("fb_product", ["cloud"]),
            ("fb_source", ["website", "referral"]),
            ("pl_mode", "cohort"),
            ("pl_measure", "amount"),
            ("pl_compare", "last_year"),
        ],
    ),
    ("pages/opportunity_detail.py", Role.ADMIN, [("deal_code", "XS202501001")]),
    ("pages/feedback_form.py", Role.MANAGER, [("period", "2026-09"), ("rep", last_rep)]),
    ("pages/feedback_team.py", Role.MANAGER, [("period", "2026-08")]),
    (
        "pages/audit_log.py",
        Role.ADMIN,
        [("audit_action", "transition"), ("audit_entity", "feedback_form")],
    ),
]


def widget(at, key: str):
    """The widget with ``key`` on the page."""
    for kind in CHOICE_KINDS:
        for element in at.get(kind):
            if element.key == key:
                return element
    raise AssertionError(f"no widget {key!r} on the page")


def choose(at, key: str, value) -> None:
    """Set widget ``key`` to ``value`` (a function: of the page) and rerun."""
    if callable(value):
        value = value(at)
    element = widget(at, key)
    if element.type == "text_input":
        element.input(value).run()
    else:
        element.set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]


def view_state(at, keys: list[str]) -> dict:
    """What a link must carry: the chosen values and what the page shows, language aside
    (the number of tiles and each table's shape)."""
    return {
        "widgets": {key: widget(at, key).value for key in keys},
        "tiles": len(at.metric),
        "tables": [element.value.shape for element in at.dataframe],
    }


def open_link(page: str, params: dict, user: str) -> AppTest:
    """A fresh session opening ``params`` (a copied link) on ``page``."""
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.session_state[TOKEN_KEY] = session_token(user)
    at.query_params = dict(params)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(("start", "other"), [("zh", "en"), ("en", "zh")])
@pytest.mark.parametrize(("page", "role", "choices"), CASES, ids=[c[0][6:-3] for c in CASES])
def test_a_link_reopens_the_same_view_in_the_other_language(
    demo_app_env, page, role, choices, start, other
):
    user = first_user(role)
    at = open_app(page, lang=start, user=user, timeout=60)
    for key, value in choices:
        choose(at, key, value)
    keys = [key for key, _ in choices]
    before = view_state(at, keys)
    params = {k: v for k, v in at.query_params.items() if k != "lang"}
    values = [
        v for value in params.values() for v in (value if isinstance(value, list) else [value])
    ]
    assert all(CODE.fullmatch(v) and v not in EN_LABELS for v in values), params

    reopened = open_link(page, {**params, "lang": other}, user)
    assert view_state(reopened, keys) == before
