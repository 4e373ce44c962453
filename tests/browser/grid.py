"""Cells of Streamlit's data grid without pixel coordinates.

``st.dataframe`` / ``st.data_editor`` draw on a canvas (glide-data-grid), which also keeps an
accessible table of the cells on screen in the DOM: ``td#glide-cell-<column>-<row>`` with
``aria-selected``, row 0 being the first data row and column 0 the first column (the row
marker of a growable table included). A cell is reached the way a keyboard user reaches it:
focus the grid, Ctrl+Home to its first cell, then the arrow keys, each step waiting until
the table shows the next cell selected; Enter opens its editor in Streamlit's overlay portal
(``get_open_cell_overlay`` in Streamlit's own e2e tests), Enter there commits.

A committed edit reaches Streamlit 150 ms later (the grid debounces it). Outside a form that
starts a rerun, which the tests wait for; inside a form there is nothing to wait for, so the
last edit before a submit is left open and the submit button clicked: the grid commits the
open editor and hands every edit to the form at once when a click outside it closes the
editor (what a user who types and clicks "Save" does).
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect


def open_cell_overlay(page: Page) -> Locator:
    """The open cell editor (the grid renders it in Streamlit's ``portal``)."""
    overlay = page.get_by_test_id("portal").locator(".gdg-clip-region")
    expect(overlay).to_be_visible()
    return overlay


class Grid:
    """One data grid on the page, addressed by (row, column) of its accessible table;
    ``first_column`` is 1 in a growable table (column 0 is its row marker)."""

    def __init__(self, root: Locator, first_column: int = 0) -> None:
        self.root = root
        self.page = root.page
        self.first_column = first_column

    def cell(self, row: int, column: int) -> Locator:
        """The accessible cell (attached only while it is on screen)."""
        return self.root.get_by_test_id(f"glide-cell-{column}-{row}")

    def texts(self, column: int) -> list[str]:
        """The texts of ``column`` in the rows on screen, top to bottom."""
        cells = self.root.locator(f'td[id^="glide-cell-{column}-"]')
        expect(cells.first).to_be_attached()
        return cells.all_inner_texts()

    def select(self, row: int, column: int) -> Locator:
        """Select the cell with the keyboard, from the first cell (Ctrl+Home) one arrow key
        at a time; each step waits until the grid shows the next cell selected (its table
        follows the selection a moment later, and a key pressed while the grid scrolls and
        rebuilds it would land nowhere). Returns the cell."""
        self.root.locator("td").first.focus()  # the keys go to the grid
        self.page.keyboard.press("ControlOrMeta+Home")
        at_row, at_column = 0, self.first_column
        expect(self.cell(at_row, at_column)).to_have_attribute("aria-selected", "true")
        while (at_row, at_column) != (row, column):
            if at_row != row:
                step, key = (1, "ArrowDown") if row > at_row else (-1, "ArrowUp")
                at_row += step
            else:
                step, key = (1, "ArrowRight") if column > at_column else (-1, "ArrowLeft")
                at_column += step
            self.page.keyboard.press(key)
            expect(self.cell(at_row, at_column)).to_have_attribute("aria-selected", "true")
        return self.cell(row, column)

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

    def commit(self) -> None:
        """Commit the open editor with Enter (the grid then selects the cell below)."""
        self.page.keyboard.press("Enter")
        expect(self.page.get_by_test_id("portal").locator(".gdg-clip-region")).to_have_count(0)

    def edit(self, row: int, column: int, text: str) -> None:
        """Replace the cell's text and commit it."""
        self.type_into(row, column, text)
        self.commit()

    def choose(self, row: int, column: int, typed: str, option: str) -> None:
        """In a dropdown cell, type ``typed`` and take the offered ``option``."""
        self.select(row, column)
        self.page.keyboard.press("Enter")
        open_cell_overlay(self.page)
        self.page.keyboard.type(typed)
        offered = self.page.get_by_test_id("portal").get_by_text(option, exact=True)
        expect(offered).to_be_visible()
        self.keys_taken()
        self.commit()

    def submit(self, button: Locator) -> None:
        """Click a form's submit ``button`` with the selected cell's editor open: the grid
        then commits it and hands every edit to the form before the click lands."""
        selected = self.root.locator('td[aria-selected="true"]').first
        selected.focus()
        self.page.keyboard.press("Enter")
        open_cell_overlay(self.page)
        button.click()
