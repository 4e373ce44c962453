"""Charts read as the rest of the app does: treemap text readable on every tile colour, the
unallocated remainder labelled, month axes in the page's language, bar labels showing what
the bar's length shows, stage trend lines that never look alike, the forecast's target label
beside its line."""

from __future__ import annotations

from datetime import date
from itertools import combinations
from types import SimpleNamespace

import pandas as pd
import pytest

from salesboard.accounts.access import SYSTEM
from salesboard.goals import charts as goal_charts
from salesboard.goals.view import goal_tree
from salesboard.i18n.locale import locale_for
from salesboard.outputs.charts import pipeline_by_stage_chart, won_vs_goal_chart
from salesboard.outputs.colours import contrast_ratio, rgb, text_colour_on
from salesboard.pipeline.charts import duration_trend_chart
from salesboard.store.db import create_store_engine, read_session
from tests.conftest import DEMO_TODAY

FILLS = [
    *(goal_charts.pace_colour(points / 2) for points in range(-80, 81)),
    goal_charts.pace_colour(None),
    goal_charts.CONTEXT_COLOUR,
    goal_charts.REMAINDER_COLOUR,
]


@pytest.mark.parametrize("fill", sorted(set(FILLS)))
def test_treemap_text_is_readable_on_every_tile_colour(fill):
    assert contrast_ratio(text_colour_on(fill), fill) >= 4.5


def test_contrast_ratio_matches_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert rgb("rgb(31, 111, 235)") == rgb("#1f6feb") == (31, 111, 235)


@pytest.fixture
def company_tree(demo_store):
    engine = create_store_engine(demo_store)
    with read_session(engine) as session:
        view = goal_tree(session, SYSTEM, "2026Q4", "revenue", date.fromisoformat(DEMO_TODAY))
    engine.dispose()
    return view


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_drawn_treemap_uses_readable_text_and_labels_the_remainder(company_tree, lang):
    view = company_tree
    nodes = view.nodes
    sums = nodes.groupby("parent_id")["target"].sum()
    short = [
        int(i)
        for i, target in zip(nodes["id"], nodes["target"], strict=True)
        if i in sums.index and sums[i] < target
    ]
    assert short, "the demo has an under-allocated goal"
    parent = short[0]
    trace = goal_charts.goal_treemap(view, parent, lang).data[0]
    for fill, text in zip(trace.marker.colors, trace.textfont.color, strict=True):
        assert contrast_ratio(text, fill) >= 4.5
    rest = list(trace.ids).index(f"{parent}-rest")
    target = float(nodes.loc[nodes["id"] == parent, "target"].iloc[0])
    assert trace.labels[rest] == ("未分配" if lang == "zh" else "Unallocated")
    assert trace.values[rest] == pytest.approx(target - float(sums[parent]))
    assert trace.text[rest] == locale_for(lang).money(target - float(sums[parent]))


def test_month_axes_keep_their_labels_and_amounts_read_as_elsewhere():
    frame = pd.DataFrame(
        {"month": ["2026-01", "2026-02"], "won_minor": [12_345_600_00, 0], "goal_minor": [None, 1]}
    )
    figure = won_vs_goal_chart(frame, "zh")
    assert figure.layout.xaxis.type == "category"  # "2026-01", never "Jan 2026"
    assert figure.layout.yaxis.title.text == "金额（万元）"
    assert figure.layout.yaxis.tickformat == ",.0f"  # "1,200", never "1.2k"
    assert list(figure.data[0].customdata) == ["1,234.6万元", "0元"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bars_are_labelled_with_what_their_length_shows(lang):
    frame = pd.DataFrame(
        {
            "name_zh": ["线索获取", "方案制定"],
            "name_en": ["Lead", "Proposal"],
            "amount_minor": [45_000_000, 227_000_000],
            "count": [2, 1],
        }
    )
    bar = pipeline_by_stage_chart(frame, lang).data[0]
    assert list(bar.text) == [locale_for(lang).money(a) for a in frame["amount_minor"]]
    assert list(bar.x) == list(frame["amount_minor"] / locale_for(lang).money_unit().minor_per_unit)


def test_stage_trend_lines_never_look_alike():
    trend = pd.DataFrame(
        [
            {"position": p, "month": m, "mean_days": 5.0 + p, "standard_days": 7,
             "name_zh": f"阶段{p}", "name_en": f"Stage {p}"}
            for p in range(1, 7)
            for m in ("2026-10", "2026-11")
        ]
    )  # fmt: skip
    lines = duration_trend_chart(trend, "zh").data
    styles = [(rgb(line.line.color), line.marker.symbol) for line in lines]
    for (first, first_symbol), (second, second_symbol) in combinations(styles, 2):
        distance = sum((a - b) ** 2 for a, b in zip(first, second, strict=True)) ** 0.5
        assert distance >= 80 and first_symbol != second_symbol


def test_the_forecast_target_label_sits_beside_its_line():
    result = SimpleNamespace(
        metric="revenue", actual=1_135_000_00, run_rate=2_069_700_00, pipeline=2_592_700_00,
        target=2_760_000_00,
    )  # fmt: skip
    figure = goal_charts.forecast_chart(result, "zh")
    [label] = figure.layout.annotations
    assert label.text == "目标 276.0万元"
    assert label.xanchor == "right" and label.bgcolor  # left of the line, on its own ground


def test_an_empty_pipeline_says_so_instead_of_drawing_empty_axes():
    empty = pd.DataFrame(columns=["name_zh", "name_en", "amount_minor", "count"])
    figure = pipeline_by_stage_chart(empty, "zh")
    assert [a.text for a in figure.layout.annotations] == ["目前没有在途商机"]
    assert figure.layout.xaxis.visible is False


def test_funnel_shares_never_read_infinity():
    """Nothing entered the first stage (a rep's month): shares read "—", not "Infinity%"."""
    from salesboard.outputs.charts import safe_figure
    from salesboard.pipeline.charts import funnel_chart

    frame = pd.DataFrame(
        {"name_zh": ["线索获取", "商务谈判"], "name_en": ["Lead", "Negotiation"],
         "reached": [0, 1], "amount_minor": [0, 7_100_000]}
    )  # fmt: skip
    trace = funnel_chart(frame, "zh").data[0]
    assert [list(c) for c in trace.customdata] == [["0", "—"], ["1", "—"]]
    frame["reached"] = [4, 1]
    drawn = safe_figure(funnel_chart(frame, "zh")).data[0]  # as the page draws it
    assert [list(c) for c in drawn.customdata] == [["4", "100.0%"], ["1", "25.0%"]]
    # Two lines from the template, which escaping leaves alone (a "<br>" in the text itself
    # was escaped and showed as "4<br>100.0%" on the bars).
    assert drawn.texttemplate == "%{customdata[0]}<br>%{customdata[1]}" and drawn.text is None
