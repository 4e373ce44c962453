"""Cells of Streamlit's data grid without pixel coordinates.

``st.dataframe`` / ``st.data_editor`` draw on a canvas (glide-data-grid), which also keeps an
accessible table of the cells on screen in the DOM: ``td#glide-cell-<column>-<row>`` with
``aria-selected``, row 0 being the first data row and column 0 the first column (the row
marker of a growable table included). A cell is reached the way a keyboard user reaches it:
focus the grid (which selects a cell), then the arrow keys from wherever the selection is,
until the target cell says it is selected; Enter opens its editor in Streamlit's overlay
portal (``get_open_cell_overlay`` in Streamlit's own e2e tests), Enter there commits.

A committed edit reaches Streamlit 150 ms later (the grid debounces it). Outside a form that
starts a rerun, which the tests wait for; inside a form there is nothing to wait for, so the
last edit before a submit is left open and the submit button clicked: the grid commits the
open editor and hands every edit to the form at once when a click outside it closes the
editor (what a user who types and clicks "Save" does).
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

_CELL_ID = re.compile(r"glide-cell-(\d+)-(\d+)")


def open_cell_overlay(page: Page) -> Locator:
    """The open cell editor (the grid renders it in Streamlit's ``portal``)."""
    overlay = page.get_by_test_id("portal").locator(".gdg-clip-region")
    expect(overlay).to_be_visible()
    return overlay


class Grid:
    """One data grid on the page, addressed by (row, column) of its accessible table."""

    def __init__(self, root: Locator) -> None:
        self.root = root
        self.page = root.page

    def cell(self, row: int, column: int) -> Locator:
        """The accessible cell (attached only while it is on screen)."""
        return self.root.get_by_test_id(f"glide-cell-{column}-{row}")

    def texts(self, column: int) -> list[str]:
        """The texts of ``column`` in the rows on screen, top to bottom."""
        cells = self.root.locator(f'td[id^="glide-cell-{column}-"]')
        expect(cells.first).to_be_attached()
        return cells.all_inner_texts()

    def _selected(self) -> tuple[int, int]:
        selected = self.root.locator('td[aria-selected="true"]').first
        expect(selected).to_be_attached()
        column, row = _CELL_ID.fullmatch(selected.get_attribute("id")).groups()
        return int(row), int(column)

    def select(self, row: int, column: int) -> Locator:
        """Select the cell with the arrow keys, one step at a time (each step waits until the
        grid shows the next cell selected: a key pressed while the grid scrolls and rebuilds
        its table would land nowhere); returns the cell."""
        target = self.cell(row, column)
        if target.count() and target.get_attribute("aria-selected") == "true":
            return target
        selected = self.root.locator('td[aria-selected="true"]')
        if selected.count():
            selected.first.focus()  # the keys go to the grid; the selection stays put
        else:
            self.root.locator("td").first.focus()  # the grid takes the focus, selects a cell
        at_row, at_column = self._selected()
        while (at_row, at_column) != (row, column):
            if at_row != row:
                step, key = (1, "ArrowDown") if row > at_row else (-1, "ArrowUp")
                at_row += step
            else:
                step, key = (1, "ArrowRight") if column > at_column else (-1, "ArrowLeft")
                at_column += step
            self.page.keyboard.press(key)
            expect(self.cell(at_row, at_column)).to_have_attribute("aria-selected", "true")
        return target

    def open(self, row: int, column: int) -> Locator:
        """Open the cell's editor; returns its input (focused, ready for keys)."""
        self.select(row, column)
        self.page.keyboard.press("Enter")
        entry = open_cell_overlay(self.page).locator("input, textarea").first
        expect(entry).to_be_focused()
        return entry

    def keys_taken(self) -> None:
        """Wait until the open editor has acted on every key typed so far. The grid's editor
        handles each key in a ``setTimeout(0)`` that also looks at the key that commits: a
        commit key pressed while the last letters' timers are pending is taken as "close
        without saving". Timers of equal delay run in order, so a new one resolving means
        the earlier ones have run."""
        self.page.evaluate("() => new Promise(resolve => setTimeout(resolve, 0))")

    def type_into(self, row: int, column: int, text: str) -> Locator:
        """Open the cell's editor and type ``text`` into it, not yet committed (a text
        editor shows the text in its sizing mirror once its state holds it)."""
        entry = self.open(row, column)
        entry.press("ControlOrMeta+a")
        self.page.keyboard.type(text)
        mirror = open_cell_overlay(self.page).locator(".gdg-growing-entry > div")
        if mirror.count():
            expect(mirror.first).to_have_text(re.compile(rf"^{re.escape(text)}\s*$"))
        else:
            expect(entry).to_have_value(text)
        self.keys_taken()
        return entry

    def commit(self, row: int, column: int) -> None:
        """Commit the open editor of (row, column) with Enter; the editor closes and, like a
        spreadsheet, the grid selects the cell below (if there is one): wait for both, so the
        next step starts from where the selection really is."""
        below = self.cell(row + 1, column).count() > 0
        self.page.keyboard.press("Enter")
        expect(self.page.get_by_test_id("portal").locator(".gdg-clip-region")).to_have_count(0)
        expect(self.cell(row + below, column)).to_have_attribute("aria-selected", "true")

    def edit(self, row: int, column: int, text: str) -> None:
        """Replace the cell's text and commit it."""
        self.type_into(row, column, text)
        self.commit(row, column)

    def choose(self, row: int, column: int, typed: str, option: str) -> None:
        """In a dropdown cell, type ``typed`` and take the offered ``option``."""
        self.select(row, column)
        self.page.keyboard.press("Enter")
        open_cell_overlay(self.page)
        self.page.keyboard.type(typed)
        offered = self.page.get_by_test_id("portal").get_by_text(option, exact=True)
        expect(offered).to_be_visible()
        self.keys_taken()
        self.commit(row, column)

    def submit(self, button: Locator) -> None:
        """Click a form's submit ``button`` with the selected cell's editor open: the grid
        then commits it and hands every edit to the form before the click lands."""
        selected = self.root.locator('td[aria-selected="true"]').first
        selected.focus()
        self.page.keyboard.press("Enter")
        open_cell_overlay(self.page)
        button.click()
