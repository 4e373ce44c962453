"""The pipeline board's widgets: the stage picker (``?stage=``), the stage columns with their
totals and cards, "show more" per column and the move dialog.

On a phone (under 640 px) the columns do not squeeze: they scroll sideways one stage per
screen (CSS scroll snapping), and the stage picker shows one stage alone."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.i18n import format_count, format_money
from salesboard.pipeline.board import CARD_LIMIT, BoardColumn
from salesboard.store.models import StageKind
from salesboard.ui import board_moves
from salesboard.ui.pipeline_common import detail_links

BOARD_KEY = "board_columns"
_LIMITS = "_board_limits"
# Streamlit's badge colour per clock (within / near / over the stage standard).
CLOCK_COLOURS = {"within": "green", "near": "orange", "over": "red", "none": "gray"}
# Under 640 px Streamlit stacks columns; the board scrolls them sideways, one per screen.
PHONE_STYLE = (
    "<style>@media (max-width: 640px) {"
    f".st-key-{BOARD_KEY} [data-testid='stHorizontalBlock'] {{flex-wrap: nowrap; "
    "overflow-x: auto; scroll-snap-type: x mandatory;}"
    f".st-key-{BOARD_KEY} [data-testid='stColumn'] {{min-width: 85vw; "
    "scroll-snap-align: start;}"
    "}</style>"
)


def stage_picker(stages: list[tuple[str, str]]) -> str:
    """The stage shown alone ("" = all), from ``?stage=``; ``stages`` are (code, name)."""
    names = {"": ui.tr_text("board.all_stages"), **dict(stages)}
    return ui.url_select("stage", ui.tr("board.stage_picker"), list(names), "", names.get)


def card_limits() -> tuple[tuple[str, int], ...]:
    """How many cards each column loads (raised by "show more"), as the query's argument."""
    return tuple(sorted(st.session_state.get(_LIMITS, {}).items()))


def _show_more(stage: str) -> None:
    limits = st.session_state.setdefault(_LIMITS, {})
    limits[stage] = limits.get(stage, CARD_LIMIT) + CARD_LIMIT


def board(columns: list[BoardColumn], may_move: bool) -> None:
    """The columns side by side (one column: full width)."""
    st.html(PHONE_STYLE)
    with st.container(key=BOARD_KEY):
        for place, column in zip(st.columns(len(columns)), columns, strict=True):
            with place:
                _column(column, may_move)


def _column(column: BoardColumn, may_move: bool) -> None:
    lang = ui.lang()
    st.markdown(f"**{ui.escape_markdown(getattr(column, f'name_{lang}'))}**")
    total = ui.tr(
        "board.column_total",
        count=format_count(column.count),
        amount=format_money(column.amount_minor, lang),
    )
    standard = (
        ui.tr("board.standard", days=column.standard_days)
        if column.standard_days is not None
        else ui.tr("board.no_standard")
    )
    st.caption(f"{total}  \n{standard}")
    if not column.count:
        st.caption(ui.tr("board.empty_column"))
        return
    links = detail_links(column.cards["code"])
    for card, link in zip(column.cards.itertuples(index=False), links, strict=True):
        _card(card, link, column.stage, may_move and column.kind == StageKind.OPEN)
    if column.more > 0:
        st.button(
            ui.tr("board.more", n=min(CARD_LIMIT, column.more), left=format_count(column.more)),
            key=f"board_more_{column.stage}",
            on_click=_show_more,
            args=(column.stage,),
            width="stretch",
        )


def _card(card, link: str, stage: str, may_move: bool) -> None:
    lang = ui.lang()
    colour = CLOCK_COLOURS[card.clock]
    days = ui.tr("board.days", days=int(card.days_in_stage))
    clock = ui.tr(f"board.clock_{card.clock}")
    with st.container(border=True, key=f"card_{card.code}"):
        st.markdown(
            f"[{ui.escape_markdown(card.code)}]({link})  \n"
            f"{ui.escape_markdown(card.customer)}  \n"
            f":material/person: {ui.escape_markdown(card.owner)} · "
            f"**{format_money(card.amount_minor, lang)}**  \n"
            f":{colour}-badge[{days} · {clock}]"
        )
        if may_move:
            board_moves.move_button(card.code, int(card.version), stage)
