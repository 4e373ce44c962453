"""Opportunity assessment on screen (机会评估五维度): the deal page's tab (the latest score and
its dimensions, the history, the form) and the weekly review's deal-quality tab (the open
pipeline by quality band, the deals it flags). Reads and writes are in
``pipeline.assessment`` and ``deals.assessment``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.deals.assessment import assess_deal
from salesboard.i18n import format_money, locale_for
from salesboard.pipeline import charts
from salesboard.pipeline.assessment import (
    BANDS,
    FLAG_LIMIT,
    FLAGS,
    AssessmentRow,
    AssessmentSettings,
    deal_assessments,
    flag_counts,
    flagged_deals,
    load_settings,
    pipeline_quality,
    quality_band,
)
from salesboard.pipeline.durations import stage_info
from salesboard.pipeline.opportunity import OpportunityCard
from salesboard.store.models import OpportunityStatus
from salesboard.ui.deal_actions import run_write, seen_version
from salesboard.ui.filter_bar import FilterBar
from salesboard.ui.pipeline_common import deals_table

BAND_BADGE = {"high": "green", "medium": "orange", "low": "red", "none": "gray"}


def _dimension_name(settings: AssessmentSettings, code: str, lang: str) -> str:
    dim = settings.dimension(code)
    if dim is None:
        return code
    return dim.name(lang) + ("" if dim.active else ui.tr_text("assess.retired"))


def _latest(row: AssessmentRow, settings: AssessmentSettings) -> None:
    lang = ui.lang()
    band = quality_band(row.score, settings)
    text = ui.tr_text("assess.latest", score=f"{row.score:.1f}",
                      band=ui.tr_text(f"assess.band.{band}"),
                      day=locale_for(lang).stamp(row.assessed_at), who=row.assessed_by or "—")  # fmt: skip
    st.markdown(f":{BAND_BADGE[band]}-badge[:material/insights: {ui.escape_markdown(text)}]")
    order = [d.code for d in settings.dimensions]  # the settings' order, unknown codes last
    codes = sorted(row.scores, key=lambda c: order.index(c) if c in order else len(order))
    st.dataframe(
        pd.DataFrame({
            ui.tr_text("assess.dimension"): [_dimension_name(settings, c, lang) for c in codes],
            ui.tr_text("assess.dim_score"): [row.scores[c][0] for c in codes],
            ui.tr_text("assess.dim_note"): [row.scores[c][1] for c in codes],
        }),
        hide_index=True, key="assess_latest", width="stretch",
    )  # fmt: skip
    if row.note:
        st.text(row.note)  # user text stays text


def _history(rows: list[AssessmentRow], settings: AssessmentSettings) -> None:
    lang = ui.lang()
    locale = locale_for(lang)
    codes = [d.code for d in settings.dimensions]
    frame = pd.DataFrame({
        ui.tr_text("assess.when"): [locale.stamp(r.assessed_at) for r in rows],
        ui.tr_text("assess.stage"): [r.stage_zh if lang == "zh" else r.stage_en for r in rows],
        ui.tr_text("assess.score"): [round(r.score, 2) for r in rows],
        **{
            _dimension_name(settings, c, lang): [
                r.scores[c][0] if c in r.scores else None for r in rows
            ]
            for c in codes
            if any(c in r.scores for r in rows)
        },
        ui.tr_text("assess.by"): [r.assessed_by or "—" for r in rows],
        ui.tr_text("assess.note"): [r.note for r in rows],
    })  # fmt: skip
    st.dataframe(frame, hide_index=True, key="assess_history", width="stretch", placeholder="—")


def assessment_tab(card: OpportunityCard, editable: bool) -> None:
    """The deal's latest assessment, the form for a new one, the history."""
    settings = ui.cached(load_settings)()
    rows = ui.cached(deal_assessments)(ui.viewer(), card.id)
    st.caption(ui.tr("assess.caption"))
    if rows:
        _latest(rows[0], settings)
    else:
        st.info(ui.tr("assess.never"))
    if editable and card.status == OpportunityStatus.OPEN:
        _form(card, settings, rows[0] if rows else None)
    elif editable:
        st.caption(ui.tr("assess.closed"))
    if rows:
        with st.expander(ui.tr("assess.history"), icon=":material/history:"):
            _history(rows, settings)


def _form(card: OpportunityCard, settings: AssessmentSettings, last: AssessmentRow | None) -> None:
    lang = ui.lang()
    previous = last.scores if last else {}
    with st.form("deal_assess_form"):
        st.markdown(f"**{ui.tr('assess.form')}**")
        st.caption(ui.tr("assess.rule", high=settings.high_mark, low=settings.low_mark))
        scores, notes = {}, {}
        for dim in settings.active:
            name = dim.name(lang)
            scores[dim.code] = st.slider(
                ui.tr_text("assess.score_of", dimension=name, weight=dim.weight), 1, 5,
                previous.get(dim.code, (3, ""))[0], help=dim.hint(lang) or None,
                key=f"assess_score_{dim.code}",
            )  # fmt: skip
            notes[dim.code] = st.text_input(
                ui.tr_text("assess.note_of", dimension=name), max_chars=500,
                key=f"assess_note_{dim.code}",
            )  # fmt: skip
        note = st.text_area(ui.tr("assess.note"), max_chars=1000, height=68, key="assess_note")
        if st.form_submit_button(ui.tr("assess.save"), type="primary", icon=":material/save:"):
            run_write(
                card,
                lambda s: assess_deal(s, ui.viewer(), card.code, scores, notes=notes, note=note,
                                      today=ui.as_of(), seen_version=seen_version(card)),
                lambda score: ui.tr("assess.saved", score=f"{score:.1f}"),
                reset=("assess_note", *(f"assess_note_{d.code}" for d in settings.active)),
            )  # fmt: skip


# --- the weekly review -----------------------------------------------------------------------


def quality_section(bar: FilterBar) -> None:
    """The open pipeline by assessed quality, and the deals the review flags."""
    viewer, lang = ui.viewer(), ui.lang()
    settings = ui.cached(load_settings)()
    st.caption(ui.tr("pipeline.quality_caption") + " " +
               ui.tr("assess.rule", high=settings.high_mark, low=settings.low_mark))  # fmt: skip
    quality = ui.cached(pipeline_quality)(viewer, bar.filters, settings)
    if quality.empty:
        st.info(ui.tr("pipeline.no_quality"))
        return
    bands = {b: ui.tr_text(f"assess.band.{b}") for b in BANDS}
    left, right = st.columns([3, 2])
    ui.plotly_chart(where=left, figure=charts.quality_chart(quality, bands, lang),
                    key="pl_quality_chart")  # fmt: skip
    totals = quality.groupby("band")[["count", "amount_minor"]].sum()
    right.dataframe(
        pd.DataFrame({
            ui.tr_text("pipeline.quality_band"): [bands[b] for b in BANDS if b in totals.index],
            ui.tr_text("pipeline.quality_count"): [int(totals.loc[b, "count"]) for b in BANDS
                                                   if b in totals.index],
            ui.tr_text("pipeline.quality_amount"): [format_money(int(totals.loc[b, "amount_minor"]), lang)
                                                    for b in BANDS if b in totals.index],
        }),
        hide_index=True, key="pl_quality_totals", width="stretch",
    )  # fmt: skip
    counts = ui.cached(flag_counts)(viewer, bar.filters, settings)
    stages = ui.cached(stage_info)()
    by_code = dict(zip(stages["stage"], stages[f"name_{lang}"], strict=True))
    values = {
        "low_score_high_amount": {"amount": format_money(settings.high_amount_minor, lang),
                                  "low": settings.low_mark},
        "unassessed": {"stage": by_code.get(settings.assess_by, settings.assess_by)},
    }  # fmt: skip
    for flag in FLAGS:
        st.markdown(f"**{ui.tr(f'pipeline.flag.{flag}', count=counts[flag], **values[flag])}**")
        if counts[flag] > FLAG_LIMIT:
            st.caption(ui.tr("pipeline.flag_more", limit=FLAG_LIMIT))
        deals = ui.cached(flagged_deals)(viewer, flag, bar.filters, settings)
        deals_table(
            deals, f"pl_flag_{flag}",
            {"score": deals["score"].map(lambda v: "—" if pd.isna(v) else f"{v:.1f}"),
             "assessed_at": deals["assessed_at"].map(locale_for(lang).stamp)},
        )  # fmt: skip
