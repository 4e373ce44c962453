"""Streamlit's file uploader draws English texts in its drop zone; on a Chinese page the
size/type line is hidden and the button reads in Chinese (``ui.file_drop``), with the same
facts in a Chinese caption."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ensure_signed_in, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("lang", "button"), [("zh", "浏览文件"), ("en", "Browse files")])
def test_the_drop_zone_reads_in_the_pages_language(app_server, page, lang, button):
    page.goto(f"{app_server}/upload?lang={lang}")
    ensure_signed_in(page)
    box = page.locator(".st-key-upload_file")
    expect(box.get_by_test_id("stFileUploaderDropzoneInstructions")).to_be_hidden()
    label = box.get_by_test_id("stFileUploaderDropzone").locator("button p")
    shown = label.evaluate("p => getComputedStyle(p, '::after').content")
    assert shown == f'"{button}"'
    assert label.evaluate("p => getComputedStyle(p).fontSize") == "0px"  # "Upload" unseen
    expect(page.get_by_text(button, exact=False).first).to_be_visible()  # the caption
    screenshot(page, f"uploader_{lang}")
