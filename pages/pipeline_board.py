"""Pipeline board (issue 15): the deals the viewer may read as cards in stage columns (open
stages, then delivery), days in stage coloured against the standard, filtered like the
review (same filter bar and URL parameters); each column's count and amount cover all its
deals while only its first cards load; each card moves its deal through the stage rules."""

import streamlit as st

from salesboard import ui
from salesboard.pipeline.board import board_stages, pipeline_board
from salesboard.ui import board_moves, board_view
from salesboard.ui.filter_bar import filter_bar

viewer = ui.page_viewer(__file__)
lang = ui.lang()
st.title(ui.tr("board.title"))
bar = filter_bar(key="bd", period=False)
st.caption(ui.tr("board.caption"))
stage_rows = ui.cached(board_stages)()
stages = list(zip(stage_rows["stage"], stage_rows[f"name_{lang}"], strict=True))
only = board_view.stage_picker(stages)
columns = ui.cached(pipeline_board)(viewer, bar.filters, bar.as_of, board_view.card_limits(), only)
board_moves.moved_notice(stages)
board_view.board(columns, viewer.can_edit_opportunities)
board_moves.move_dialog(stages)
