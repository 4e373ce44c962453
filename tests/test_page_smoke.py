"""Every page × every role × both languages on the demo store: a page a role may open renders
without an exception, shows no raw translation key, no "None"/"nan" (in text or as the text of
an empty table cell), no raw code (``feedback_form``, ``submitted -> confirmed``, JSON) in a
table, and no label of the other language; a page a role may not open is not in its
navigation and its guard refuses."""

from __future__ import annotations

import json
import re
from functools import cache

import pandas as pd
import pytest
from sqlalchemy import select

from salesboard.i18n import LANGUAGES, TRANSLATIONS, t
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.models import (
    BestPractice,
    Customer,
    ImprovementAction,
    ImprovementItem,
    ProductLine,
    Region,
    Role,
    Team,
    User,
)
from salesboard.ui.navigation import PAGES
from tests.apptest_support import first_user, open_app

# Element types whose text a user reads, and the attributes that hold it.
TEXT_ELEMENTS = (
    "title", "header", "subheader", "caption", "markdown", "text", "info", "warning", "error",
    "success", "metric", "button", "download_button", "selectbox", "multiselect", "radio",
    "segmented_control", "text_input", "number_input", "date_input", "checkbox", "toggle",
    "tabs", "expander",
)  # fmt: skip
TEXT_ATTRIBUTES = ("value", "label", "body", "help", "placeholder")
KEY_PATTERN = re.compile(r"\b[a-z][a-z_]*(?:\.[a-z0-9_]+)+\b")
RAW_VALUE = re.compile(r"(?<![\w.])(None|nan|NaN|NaT)(?![\w.])")
# zh labels long enough to be unmistakable when they turn up on an English page.
ZH_LABELS = {
    text["zh"]
    for text in TRANSLATIONS.values()
    if len(text["zh"]) >= 4 and "{" not in text["zh"] and text["zh"] != text["en"]
}
# English labels of two words or more (single words such as "Excel" or "CSV" are used in
# Chinese too), to catch one on a Chinese page.
EN_LABELS = {
    text["en"]
    for text in TRANSLATIONS.values()
    if " " in text["en"].strip()
    and len(text["en"]) >= 8
    and "{" not in text["en"]
    and text["en"] not in text["zh"]
    and not any(text["en"] in other["zh"] for other in TRANSLATIONS.values())
}
# What a stored code looks like when it reaches a table unread: snake_case words, a
# "from -> to" transition, a JSON object or list.
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\s->\s|^\s*[{\[]\"")


@cache
def data_names(url: str) -> tuple[str, ...]:
    """Names the company typed (people, customers, teams …): Chinese on an English page is
    data, not a leaked label, so they are taken out before the language check."""
    engine = create_store_engine(url)
    columns = (User.display_name, Customer.name, Team.name, Region.name_zh, ProductLine.name_zh,
               ImprovementItem.problem, ImprovementAction.pain_point, ImprovementAction.area,
               ImprovementAction.owner_department, BestPractice.title)  # fmt: skip
    with read_session(engine) as session:
        names = {n for column in columns for n in session.execute(select(column)).scalars()}
        tags = session.execute(select(BestPractice.tags)).scalars()
        names |= {tag.strip() for text in tags for tag in text.split(",")}
    engine.dispose()
    return tuple(sorted(names, key=len, reverse=True))


def shown_texts(at) -> list[str]:
    """Every label, value, caption and option the page shows (not data table cells)."""
    texts: list[str] = []
    for kind in TEXT_ELEMENTS:
        for element in at.get(kind):
            for attribute in TEXT_ATTRIBUTES:
                value = getattr(element, attribute, None)
                if isinstance(value, str) and value:
                    texts.append(value)
            for option in getattr(element, "options", None) or ():
                texts.append(str(option))
    return texts


def shown_frames(at) -> list[tuple[object, pd.DataFrame]]:
    """The data tables the page shows, with their elements."""
    tables = [*at.get("dataframe"), *at.get("data_editor")]
    return [(e, e.value) for e in tables if isinstance(e.value, pd.DataFrame)]


def read_columns(element) -> set:
    """The columns of a table a user reads as they are: shown (``column_order``, not hidden),
    not drawn through labels (a select-box column), and not typed by the user (an editable
    cell of an editor holds what someone typed, e.g. a stage code)."""
    config = json.loads(element.proto.columns) if element.proto.columns else {}
    shown = set(element.proto.column_order) or set(element.value.columns)
    editor = element.proto.editing_mode != 0  # 0: read-only (st.dataframe), else an editor
    readable = set()
    for column in shown:
        settings = config.get(str(column), {})
        kind = settings.get("type_config", {}).get("type")
        if settings.get("hidden") or kind == "selectbox":
            continue
        if editor and not settings.get("disabled"):
            continue
        readable.add(column)
    return readable


def _raw_text(value: object) -> bool:
    return isinstance(value, str) and bool(RAW_VALUE.fullmatch(value.strip()))


def problems_on(at, lang: str, names: tuple[str, ...] = ()) -> list[str]:
    """What a user should never see: raw keys, None/nan, the other language's labels
    (``names``: the company's own names, which may be Chinese on any page)."""
    found = [f"exception: {e.value}" for e in at.exception]
    for text in shown_texts(at):
        keys = [k for k in KEY_PATTERN.findall(text) if k in TRANSLATIONS]
        if keys:
            found.append(f"raw key {keys} in {text!r}")
        if RAW_VALUE.search(text):
            found.append(f"raw value in {text!r}")
        labels_only = text
        for name in names:
            labels_only = labels_only.replace(name, "")
        if lang == "en" and any(label in labels_only for label in ZH_LABELS):
            found.append(f"Chinese label on the English page: {text!r}")
        if lang == "zh" and any(label in labels_only for label in EN_LABELS):
            found.append(f"English label on the Chinese page: {text!r}")
    for chart in at.get("plotly_chart"):
        if re.search(r"Infinity%|NaN%|nan%", chart.proto.spec):
            found.append("a chart reads 'Infinity%' or 'NaN%'")
    for element, frame in shown_frames(at):
        if frame.empty and element.proto.editing_mode == 0:
            found.append(f"an empty table (Streamlit writes 'empty' in English): {list(frame)}")
        if frame.isna().any().any() and element.proto.placeholder in ("", "None"):
            found.append(f"empty cells read 'None' in a table with columns {list(frame.columns)}")
        for column in frame.columns:
            if isinstance(column, str) and RAW_VALUE.search(column):
                found.append(f"raw column name {column!r}")
            cells = frame[column]
            if not pd.api.types.is_string_dtype(cells):  # text: object or pandas' "str"
                continue
            if cells.map(lambda v: isinstance(v, str) and bool(RAW_VALUE.fullmatch(v))).any():
                found.append(f"'None' text in column {column!r}")
            codes = cells.map(lambda v: isinstance(v, str) and bool(RAW_CODE.search(v)))
            if column in read_columns(element) and codes.any():
                found.append(f"raw code in column {column!r}: {cells[codes].iloc[0]!r}")
    return found


CASES = [
    pytest.param(entry, role, lang, id=f"{entry.url_path}-{role}-{lang}")
    for entry in PAGES
    for role in Role
    for lang in LANGUAGES
]


@pytest.mark.parametrize(("entry", "role", "lang"), CASES)
def test_page_reads_cleanly_for_every_role_and_language(demo_app_env, entry, role, lang):
    user = first_user(role)
    if role not in entry.roles:
        at = open_app(lang=lang, user=user)
        assert t(entry.title, lang) not in shown_texts(at), "listed to a role that may not open it"
        return
    at = open_app(entry.path, lang=lang, user=user, timeout=60)
    assert problems_on(at, lang, data_names(demo_app_env)) == []
    assert t("access.denied", lang) not in [e.value for e in at.error]
