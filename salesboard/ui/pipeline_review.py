"""The sections (tabs) of the weekly pipeline review page. Each draws widgets and calls
``salesboard.pipeline`` queries through ``ui.cached``; no SQL and no business rules here.
Only the open tab runs (lazy tabs), so a tab's cost is the page's cost."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.i18n import format_count, format_list, format_money, format_percent, format_points
from salesboard.outputs.charts import chart_text
from salesboard.pipeline import changes, charts, durations, edits, funnel, kpis, overdue, risks
from salesboard.ui.deal_assess import quality_section
from salesboard.ui.filter_bar import FilterBar
from salesboard.ui.improvement_link import current_link, new_action_button
from salesboard.ui.overdue_editor import overdue_editor
from salesboard.ui.pipeline_common import deals_table, display_money, money_column, money_header
from salesboard.ui.support_review import breaches_section

# Rows the overdue editor shows at once (the export has every row).
OVERDUE_ROWS = 200
# Rows per kind of change listed at once (the tiles count all; the export has every row).
CHANGE_ROWS = 200


# --- funnel ---------------------------------------------------------------------------------


def funnel_section(bar: FilterBar) -> None:
    """Funnel by count or amount, optional comparison, lost drop-outs and drill-down."""
    viewer, lang = ui.viewer(), ui.lang()
    left, middle, right = st.columns([3, 2, 3])
    # The view choices live in the URL (codes), so a link reopens this funnel.
    modes = {m: ui.tr(f"pipeline.mode_{m}") for m in funnel.FUNNEL_MODES}
    mode = ui.url_segments(
        "pl_mode", ui.tr("pipeline.mode"), list(modes), funnel.DEFAULT_MODE, modes.get,
        container=left, help=ui.tr("pipeline.mode_help"),
    )  # fmt: skip
    measures = {m: ui.tr(f"pipeline.measure_{m}") for m in ("count", "amount")}
    measure = ui.url_segments(
        "pl_measure", ui.tr("pipeline.measure"), list(measures), "count", measures.get,
        container=middle,
    )  # fmt: skip
    # Labels computed now: a format function must not look the language up later.
    compare_labels = {
        c: comparison_label(c, bar)
        for c in ["", *funnel.comparison_codes(bar.options, bar.filters)]
    }
    compare = ui.url_select(
        "pl_compare", ui.tr("pipeline.compare"), list(compare_labels), "", compare_labels.get,
        container=right,
    )  # fmt: skip
    current = ui.cached(funnel.stage_funnel)(viewer, bar.period, bar.filters, mode)
    other = None
    if compare:
        comparison = funnel.comparison_for(compare, bar.options, bar.period, bar.filters)
        other = ui.cached(funnel.stage_funnel)(viewer, comparison.period, comparison.filters, mode)
    won = funnel.won_stage(current)
    first = int(current["reached"].iloc[0]) if len(current) else 0
    if not current["reached"].any() and (other is None or not other["reached"].any()):
        # An empty funnel draws only stage names: say why and what to change instead.
        st.info(ui.tr(f"pipeline.funnel_empty_{mode}", period=bar.period.label))
        return
    tiles = st.columns(4)
    tiles[0].metric(ui.tr(f"pipeline.first_{mode}"), format_count(first))
    if won is not None:
        other_won = funnel.won_stage(other) if other is not None else None
        change = None
        if (
            other_won is not None
            and not pd.isna(won["from_first"])
            and not pd.isna(other_won["from_first"])
        ):
            change = format_points((won["from_first"] - other_won["from_first"]) * 100)
        tiles[1].metric(
            ui.tr("pipeline.lead_to_won"), format_percent(won["from_first"]), delta=change,
            help=ui.tr("pipeline.lead_to_won_help"),
        )  # fmt: skip
        tiles[2].metric(ui.tr(f"pipeline.won_count_{mode}"), format_count(int(won["reached"])))
        tiles[3].metric(
            ui.tr(f"pipeline.won_amount_{mode}"),
            format_money(int(won["amount_minor"]), lang),
        )
    labels = (bar.period.label, comparison_label(compare, bar)) if compare else ("", "")
    chart_col, table_col = st.columns([3, 2])
    event = ui.plotly_chart(where=chart_col, figure=
        charts.funnel_chart(current, lang, measure, other, labels),
        on_select="rerun", selection_mode="points", key="pl_funnel_chart",
    )  # fmt: skip
    table_col.dataframe(
        funnel_table_frame(current, other), hide_index=True, key="pl_funnel_table",
        column_config={
            "conversion": st.column_config.TextColumn(ui.tr("pipeline.conversion")),
            money_header(): money_column(money_header()),
        }, placeholder="—",
    )  # fmt: skip
    if mode == "flow":
        table_col.caption(ui.tr("pipeline.flow_note_same_deals"))
    if mode == "cohort":
        lost = ui.cached(funnel.lost_dropouts)(viewer, bar.period, bar.filters)
        if not lost.empty:
            names = dict(zip(current["stage"], current[f"name_{lang}"], strict=True))
            ui.plotly_chart(
                where=table_col, figure=charts.lost_chart(lost, names, lang), key="pl_lost_chart"
            )
    drill_down(bar, current, mode, event)


def comparison_label(code: str, bar: FilterBar) -> str:
    """How a comparison choice reads in the selectbox."""
    lang = ui.lang()
    if not code:
        return ui.tr("pipeline.compare_none")
    if code in ("previous", "last_year", "rest"):
        return ui.tr(f"pipeline.compare_{code}")
    kind, _, value = code.partition(":")
    return f"{ui.tr(f'filters.{kind}')}: {bar.options.label(kind, value, lang)}"


def funnel_table_frame(current: pd.DataFrame, other: pd.DataFrame | None) -> pd.DataFrame:
    """The funnel as a small table: stage, reached, amount, conversion (and comparison)."""
    lang = ui.lang()
    table = pd.DataFrame(
        {
            ui.tr("pipeline.stage"): current[f"name_{lang}"],
            ui.tr("pipeline.reached"): current["reached"],
            money_header(): display_money(current["amount_minor"]),
            "conversion": current["conversion"].map(format_percent),
        }
    )
    if other is not None:
        merged = funnel.compare_funnels(current, other)
        table[ui.tr("pipeline.other_reached")] = merged["other_reached"].fillna(0).astype(int)
        table[ui.tr("pipeline.other_conversion")] = merged["other_conversion"].map(format_percent)
        table[ui.tr("pipeline.conversion_points")] = merged["conversion_points"].map(
            lambda v: "" if pd.isna(v) else format_points(v)
        )
    return table


def drill_down(bar: FilterBar, current: pd.DataFrame, mode: str, event) -> None:
    """The deals behind a funnel bar: picked in the list or by clicking the chart."""
    lang = ui.lang()
    stages = current["stage"].tolist()
    choices = list(stages)
    if mode == "cohort":
        choices += [f"lost:{s}" for s in funnel.open_stage_codes(current)]
    names = dict(zip(current["stage"], current[f"name_{lang}"], strict=True))
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if points:
        shown = points[0].get("y")  # the label as the chart drew it (escaped)
        clicked = next((s for s, n in names.items() if shown in (n, chart_text(n))), None)
        if clicked and st.session_state.get("pl_drill_clicked") != clicked:
            st.session_state["pl_drill_clicked"] = clicked
            st.session_state["pl_drill"] = clicked

    labels = {
        c: ui.tr_text("pipeline.drill_lost", stage=names[c[5:]])
        if c.startswith("lost:")
        else ui.tr_text("pipeline.drill_reached", stage=names[c])
        for c in choices
    }
    st.subheader(ui.tr("pipeline.drill_title"))
    choice = st.selectbox(
        ui.tr("pipeline.drill_pick"), choices, format_func=labels.__getitem__, key="pl_drill"
    )
    lost = choice.startswith("lost:")
    stage = choice[5:] if lost else choice
    deals = ui.cached(funnel.funnel_opportunities)(
        ui.viewer(), bar.period, bar.filters, stage, mode, lost
    )
    st.caption(
        ui.tr("pipeline.drill_caption", shown=format_count(len(deals)), limit=funnel.DRILL_LIMIT)
    )
    deals_table(
        deals, "pl_drill_table", {"status": deals["status"].map(lambda s: ui.tr(f"status.{s}"))}
    )


# --- durations ------------------------------------------------------------------------------


def durations_section(bar: FilterBar) -> None:
    """Mean/median working days per stage vs standard, the bottleneck, distribution, trend."""
    viewer, lang = ui.viewer(), ui.lang()
    summary = ui.cached(durations.stage_duration_summary)(viewer, bar.period, bar.filters)
    neck = durations.bottleneck(summary)
    if neck is not None:
        st.warning(
            ui.tr(
                "pipeline.bottleneck",
                stage=neck[f"name_{lang}"],
                mean=f"{neck['mean_days']:.1f}",
                standard=f"{neck['standard_days']:.0f}",
                ratio=f"{neck['ratio']:.1f}",
                share=format_percent(neck["over_share"]),
            ),
            icon=":material/warning:",
        )
        new_action_button("bottleneck", neck["stage"], {"area": neck[f"name_{lang}"], "metric": "over_standard",
                          "pain_point": ui.tr_text("improve.finding.bottleneck", stage=neck[f"name_{lang}"])},
                          current_link("/pipeline", section="durations"))  # fmt: skip
    elif summary["count"].sum():
        st.success(ui.tr("pipeline.no_bottleneck"))
    st.caption(ui.tr("pipeline.durations_caption"))
    ui.plotly_chart(charts.duration_box_chart(summary, lang), key="pl_box")
    st.dataframe(
        pd.DataFrame(
            {
                ui.tr("pipeline.stage"): summary[f"name_{lang}"],
                ui.tr("pipeline.standard"): summary["standard_days"],
                ui.tr("pipeline.stays"): summary["count"],
                ui.tr("pipeline.mean"): summary["mean_days"].round(1),
                ui.tr("pipeline.median"): summary["median_days"],
                ui.tr("pipeline.p90"): summary["p90_days"],
                ui.tr("pipeline.over_share"): summary["over_share"].map(format_percent),
                ui.tr("pipeline.flag"): summary["bottleneck"].map(lambda b: "⚠" if b else ""),
            }
        ),
        hide_index=True,
        key="pl_duration_table",
        placeholder="—",
    )
    st.subheader(ui.tr("pipeline.trend"))
    left, right = st.columns([1, 3])
    month_labels = {m: ui.tr("pipeline.months", n=m) for m in (6, 12)}
    months = left.segmented_control(
        ui.tr("pipeline.trend_months"), list(month_labels), default=6, key="pl_trend_months",
        format_func=month_labels.__getitem__,
    ) or 6  # fmt: skip
    relative = right.toggle(ui.tr("pipeline.relative"), key="pl_trend_relative")
    trend = ui.cached(durations.stage_duration_trend)(viewer, bar.as_of, bar.filters, months)
    ui.plotly_chart(charts.duration_trend_chart(trend, lang, relative), key="pl_trend")


# --- overdue --------------------------------------------------------------------------------


def overdue_section(bar: FilterBar) -> None:
    """The overdue table, editable in place for managers (see ``overdue_editor``)."""
    viewer, lang = ui.viewer(), ui.lang()
    st.caption(ui.tr("pipeline.overdue_rules"))
    new_action_button("overdue_cluster", str(bar.as_of), {"metric": "over_standard",
                      "pain_point": ui.tr_text("improve.finding.overdue")},
                      current_link("/pipeline", section="overdue"))  # fmt: skip
    if bar.as_of != ui.as_of():
        st.info(ui.tr("pipeline.past_as_of"))
    owner_codes = bar.options.codes("rep")
    owners = []
    if len(owner_codes) > 1:  # a rep's own deals only: nothing to choose
        owners = st.multiselect(
            ui.tr("pipeline.owner_filter"), owner_codes, key="pl_overdue_owner",
            format_func=lambda c: bar.options.label("rep", c, lang),
            placeholder=ui.tr("filters.all"),
        )  # fmt: skip
    owner_ids = bar.options.keys("rep", owners)
    review = ui.cached(overdue.overdue_review)(
        viewer, bar.filters, bar.as_of, owner_ids, OVERDUE_ROWS
    )
    table, total, amount, fresh = (
        review.table,
        review.total,
        review.amount_minor,
        review.newly_overdue,
    )
    tiles = st.columns(3)
    tiles[0].metric(ui.tr("pipeline.overdue_count"), format_count(total))
    tiles[1].metric(ui.tr("pipeline.overdue_amount"), format_money(amount, lang))
    tiles[2].metric(ui.tr("pipeline.newly_overdue"), format_count(len(fresh)))
    if total > len(table):
        st.caption(
            ui.tr(
                "pipeline.overdue_shown", shown=format_count(len(table)), total=format_count(total)
            )
        )
    overdue_editor(table, (bar.filters, bar.as_of, tuple(owner_ids)))


# --- changes --------------------------------------------------------------------------------


def changes_section(bar: FilterBar) -> None:
    """New, advanced, moved back, slipped, won, lost and newly overdue deals this week."""
    lang = ui.lang()
    start, end = changes.week_window(bar.as_of)
    st.caption(ui.tr("pipeline.changes_caption", start=start, end=end))
    week = ui.cached(changes.week_changes)(
        ui.viewer(), bar.filters, bar.as_of, 7, None, CHANGE_ROWS
    )
    frame, summary = week.rows, week.summary
    tiles = st.columns(len(summary))
    for tile, row in zip(tiles, summary.itertuples(index=False), strict=True):
        tile.metric(
            ui.tr(f"pipeline.change_{row.kind}"),
            format_count(row.count),
            help=ui.tr(f"pipeline.change_{row.kind}_help"),
        )
        tile.caption(format_money(row.amount_minor, lang))
    kinds = {k: ui.tr(f"pipeline.change_{k}") for k in changes.CHANGE_KINDS}
    shown = st.pills(
        ui.tr("pipeline.changes_show"), list(kinds), selection_mode="multi",
        format_func=kinds.__getitem__, key="pl_changes_kinds",
    )  # fmt: skip
    rows = frame[frame["kind"].isin(shown)] if shown else frame
    capped = summary[summary["count"] > CHANGE_ROWS]
    if len(capped):
        names = format_list((kinds[k] for k in capped["kind"]), lang)
        st.caption(ui.tr("pipeline.changes_shown", shown=format_count(CHANGE_ROWS), kinds=names))
    stage_names = ui.cached(changes.stage_names)()
    deals_table(
        rows,
        "pl_changes_table",
        {
            "change": rows["kind"].map(kinds),
            "detail": [change_detail(r, stage_names, lang) for r in rows.itertuples(index=False)],
            "on": rows["happened_on"],
        },
        extra_first=True,
    )


def change_detail(row, stage_names: dict, lang: str) -> str:
    """What moved: "需求分析 → 方案制定" or "2026-11-30 → 2026-12-20"."""
    if row.kind in ("advanced", "moved_back"):
        index = 0 if lang == "zh" else 1
        old = stage_names.get(row.from_value, (row.from_value,) * 2)[index]
        new = stage_names.get(row.to_value, (row.to_value,) * 2)[index]
        # The reason given for moving back or past undone key actions (user text).
        return f"{old} → {new}" + (f" · {row.reason}" if getattr(row, "reason", "") else "")
    if row.kind == "slipped":
        return f"{row.from_value} → {row.to_value}"
    return ""


# --- risks ----------------------------------------------------------------------------------


def risks_section(bar: FilterBar) -> None:
    """Open deals by risk flag and by recurring theme in what customers said."""
    viewer, lang = ui.viewer(), ui.lang()
    st.caption(ui.tr("pipeline.risks_caption"))
    left, right = st.columns(2)
    flags = ui.cached(risks.risk_flag_counts)(viewer, bar.filters)
    labels = [edits.risk_flag_label(f, lang) for f in flags["risk_flag"]]
    if flags.empty:
        left.info(ui.tr("pipeline.no_flags"))
    else:
        ui.plotly_chart(
            where=left,
            figure=charts.count_bars(
                labels, flags["count"].tolist(), ui.tr("pipeline.flags_title"), "#cf222e"
            ),
            key="pl_flags_chart",
        )
    # One scan of the texts picks out what mentions each theme; both views below reuse it.
    matching = ui.cached(risks.theme_texts)(viewer, bar.filters)
    themes = ui.cached(risks.feedback_themes)(viewer, bar.filters, matching)
    theme_names = [ui.tr(f"theme.{t}") for t in themes["theme"]]
    ui.plotly_chart(
        where=right,
        figure=charts.count_bars(
            theme_names, themes["count"].tolist(), ui.tr("pipeline.themes_title")
        ),
        key="pl_themes_chart",
    )
    with right.expander(ui.tr("pipeline.theme_words")):
        st.markdown(
            "\n".join(
                f"- **{ui.tr(f'theme.{t}')}**: {'、'.join(w)}" for t, w in risks.THEMES.items()
            )
        )
    theme_labels = {
        row.theme: f"{ui.tr(f'theme.{row.theme}')} ({row.count:,})"
        for row in themes.itertuples(index=False)
    }
    theme = st.selectbox(
        ui.tr("pipeline.theme_pick"),
        list(theme_labels),
        key="pl_theme",
        format_func=theme_labels.__getitem__,
    )
    new_action_button("risk_theme", theme, {"pain_point": ui.tr_text("improve.finding.theme",
                      theme=ui.tr_text(f"theme.{theme}")), "metric": "win_rate"},
                      current_link("/pipeline", section="risks"))  # fmt: skip
    deals = ui.cached(risks.theme_opportunities)(
        viewer, bar.filters, theme, risks.THEME_LIMIT, matching
    )
    deals_table(
        deals,
        "pl_theme_table",
        {
            "quote": deals["quote"],
            "risk_flag": deals["risk_flag"].map(lambda f: edits.risk_flag_label(f, lang)),
        },
    )


# --- KPIs -----------------------------------------------------------------------------------


def kpis_section(bar: FilterBar) -> None:
    """Per-stage KPIs against their thresholds, red/green."""
    frame = ui.cached(kpis.stage_kpis)(ui.viewer(), bar.period, bar.filters, bar.as_of)
    st.caption(ui.tr("pipeline.kpis_caption"))
    st.dataframe(kpi_table(frame), hide_index=True, key="pl_kpi_table", placeholder="—")
    low = frame[frame["status"] == "missed"]
    if len(low):  # the first missed KPI: a finding to act on
        row = low.iloc[0]
        new_action_button("stage_kpi", f"{row['stage']}:{row['kpi']}", {"area": row[f"name_{ui.lang()}"],
                          "pain_point": f"{row[f'name_{ui.lang()}']} · {ui.tr_text(f'kpi.{row.kpi}')}"},
                          current_link("/pipeline", section="kpis"))  # fmt: skip
    with st.expander(ui.tr("pipeline.kpi_definitions")):
        for kpi in kpis.KPI_CODES:
            st.markdown(f"**{ui.tr(f'kpi.{kpi}')}** — {ui.tr(f'kpi.{kpi}_help')}")


def kpi_table(frame: pd.DataFrame):
    """Stage × KPI with "value (numerator/denominator)" and the threshold, styled green
    where the KPI meets its threshold and red where it misses it."""
    lang = ui.lang()
    rows, colors = [], []
    for _, group in frame.groupby("position", sort=True):
        row = {ui.tr("pipeline.stage"): group[f"name_{lang}"].iloc[0]}
        color = {ui.tr("pipeline.stage"): ""}
        for item in group.itertuples(index=False):
            name = ui.tr(f"kpi.{item.kpi}")
            score = item.kpi in kpis.SCORE_KPIS  # a 1–5 mean, not a ratio
            value = format_percent(item.value) if not score else _score_text(item.value)
            if item.denominator:
                value += f" ({item.numerator:,}/{item.denominator:,})"
            row[name] = value
            color[name] = KPI_STYLES.get(item.status, "")
            limit = f"{name} · {ui.tr('pipeline.threshold')}"
            shown = _score_text(item.threshold) if score else format_percent(item.threshold, 0)
            row[limit] = "" if pd.isna(item.threshold) else "≥ " + shown
            color[limit] = ""
        rows.append(row)
        colors.append(color)
    table = pd.DataFrame(rows)
    styles = pd.DataFrame(colors, columns=table.columns)
    return table.style.apply(lambda _: styles, axis=None)


def _score_text(value: float) -> str:
    """A 1–5 mean score ("4.3"), "—" without one."""
    return "—" if value is None or pd.isna(value) else f"{value:.1f}"


KPI_STYLES = {
    "met": "background-color: #dafbe1; color: #116329",
    "missed": "background-color: #ffebe9; color: #a40e26; font-weight: 600",
}


# The tabs in order: URL code → the function that draws it (the code goes in ?section=).
SECTIONS: dict[str, Callable[[FilterBar], None]] = {
    "funnel": funnel_section,
    "durations": durations_section,
    "overdue": overdue_section,
    "changes": changes_section,
    "risks": risks_section,
    "quality": quality_section,
    "kpis": kpis_section,
    "support": breaches_section,  # issue 17: support requests past their response standard
}
