"""The feedback tables read whole: the KPI table's category and metric columns are wide
enough for their longest name in both languages ("有效线索转化率（%" was cut), the hand-changed
column has a heading, and the team's completion bars are full at 100 %."""

from __future__ import annotations

import json

import pytest

from salesboard.i18n import t
from salesboard.store.models import Role
from salesboard.ui.feedback.kpi_table import kpi_widths, text_width
from tests.apptest_support import first_user, open_app


def config_of(element) -> dict:
    return json.loads(element.proto.columns)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_kpi_names_fit_their_columns_and_every_column_has_a_heading(demo_app_env, lang):
    at = open_app("pages/feedback_form.py", lang=lang, user=first_user(Role.REP))
    table = next(e for e in at.dataframe if "metric" in e.value.columns)
    config = config_of(table)
    assert {c: v.get("width") for c, v in config.items() if c in kpi_widths(lang)} == kpi_widths(
        lang
    )
    for column in ("category", "metric", "target", "completion", "mom"):
        longest = max(
            [config[column]["label"], *table.value[column].astype(str)],
            key=lambda s: text_width([s]),
        )
        assert config[column]["width"] >= text_width([longest]), (column, longest)
    assert "有效线索转化率（%）" in set(table.value["metric"]) or lang == "en"
    assert config["flag"]["label"] == t("feedback.col.edited", lang)
    assert all(config[c].get("label") for c in table.value.columns)


def test_a_full_completion_bar_is_100_percent(demo_app_env):
    at = open_app("pages/feedback_team.py", user=first_user(Role.MANAGER))
    table = next(e for e in at.dataframe if "completion" in e.value.columns)
    bar = config_of(table)["completion"]["type_config"]
    assert (bar["min_value"], bar["max_value"]) == (0, 1)


def test_text_width_counts_chinese_characters_double():
    assert text_width(["有效线索转化率（%）"]) > text_width(["Effective lead conversion"]) / 2
    assert text_width(["ab"]) == 15 + 24 and text_width(["中文"]) == 28 + 24
