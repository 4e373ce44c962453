"""Table helpers the pipeline pages share: money in the display unit, the link to a deal's
detail page, and a read-only list of deals."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.i18n.locale import locale_for


def detail_links(codes: pd.Series) -> pd.Series:
    """The opportunity detail page's URL for each of ``codes`` (keeps the language)."""
    return "/opportunity?code=" + codes.astype(str) + f"&lang={ui.lang()}"


def money_column(label: str):
    """A read-only column of money already converted to the display unit, with the unit's
    decimals (万元: one, as ``Locale.money`` writes them)."""
    decimals = locale_for(ui.lang()).money_unit().decimals
    return st.column_config.NumberColumn(label, format=f"%,.{decimals}f")


def display_money(minor: pd.Series) -> pd.Series:
    """Minor units → the display unit of the language (``Locale.money_unit``: 万 of the
    currency in Chinese, whole currency units in English)."""
    return minor.astype("float64") / locale_for(ui.lang()).money_unit().minor_per_unit


def money_header() -> str:
    """The header of an amount column in the current language, with its unit once."""
    locale = locale_for(ui.lang())
    return locale.with_unit(ui.tr("pipeline.amount"), locale.money_unit().label)


def link_column():
    """The column that opens a deal's detail page, showing its code."""
    return st.column_config.LinkColumn(
        ui.tr("pipeline.code"), display_text=r"code=(XS[0-9A-Za-z]+)", width=115, pinned=True
    )


def deals_table(
    frame: pd.DataFrame, key: str, extra: dict | None = None, extra_first: bool = False
) -> None:
    """A read-only list of deals with a link to each one's detail page; ``extra`` columns
    (name → values) go after the deal's columns, or right after its code. No deals: a line
    saying so (an empty table reads "empty", in English)."""
    lang = ui.lang()
    if frame.empty:
        st.caption(ui.tr("pipeline.no_deals"))
        return
    deal = {
        "name": frame["name"],
        "customer": frame["customer"],
        "owner": frame["owner"],
        "stage": frame[f"stage_{lang}"],
        "amount": display_money(frame["amount_minor"]),
    }
    extra = extra or {}
    columns = {**extra, **deal} if extra_first else {**deal, **extra}
    shown = pd.DataFrame({"link": detail_links(frame["code"]), **columns})
    st.dataframe(
        shown,
        hide_index=True,
        key=key,
        column_config={
            "link": link_column(),
            "name": ui.tr("pipeline.deal"),
            "customer": ui.tr("pipeline.customer"),
            "owner": ui.tr("pipeline.owner"),
            "stage": ui.tr("pipeline.stage"),
            "amount": money_column(money_header()),
            **{k: ui.tr(f"pipeline.col_{k}") for k in extra},
        },
        placeholder="—",
    )
