"""A file uploader that speaks the user's language. Streamlit draws fixed English texts in
its drop zone ("200MB per file • CSV", an "Upload" button) with no option to change them; the
supported way around is styling: the built-in size/type line is hidden and the button's
label replaced (scoped to this widget's ``.st-key-<key>`` class), and a caption under the
widget says the same in the user's language."""

from __future__ import annotations

import json
from collections.abc import Sequence

import streamlit as st

from salesboard.i18n.locale import locale_for
from salesboard.ui.language import lang, tr
from salesboard.ui.markdown import escape_markdown

DROPZONE = '[data-testid="stFileUploaderDropzone"]'
INSTRUCTIONS = '[data-testid="stFileUploaderDropzoneInstructions"]'


def dropzone_style(key: str, button: str) -> str:
    """The CSS that hides widget ``key``'s English size/type line and labels its button
    ``button`` (a CSS string literal: JSON's quoting of quotes and backslashes is CSS's)."""
    scope = f".st-key-{key}"
    return (
        "<style>"
        f"{scope} {INSTRUCTIONS} {{display: none;}}"
        f"{scope} {DROPZONE} button p {{font-size: 0;}}"
        f"{scope} {DROPZONE} button p::after {{content: {json.dumps(button, ensure_ascii=False)}; "
        "font-size: 0.875rem;}"
        "</style>"
    )


def file_drop(
    label: str,
    types: Sequence[str],
    *,
    key: str,
    limit_mb: int | None = None,
    help: str | None = None,
):
    """``st.file_uploader`` with its drop-zone texts in the user's language; returns the
    uploaded file (or None)."""
    chosen = st.file_uploader(label, type=list(types), key=key, max_upload_size=limit_mb, help=help)
    st.html(dropzone_style(key, tr("upload.browse")))
    kinds = locale_for(lang()).join(t.upper() for t in types)
    hint = "upload.dropzone_limit" if limit_mb else "upload.dropzone"
    st.caption(tr(hint, types=kinds, limit=limit_mb))
    return chosen


def file_list(files, read, *, key: str, label: str) -> None:
    """Stored files (a frame with ``id, filename, content_type, size_bytes, uploaded_by,
    uploaded_at``), each with its name, who attached it when (the company's time) and a
    download button labelled ``label`` whose content ``read(id)`` fetches only on click."""
    locale = locale_for(lang())
    for row in files.itertuples(index=False):
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.markdown(
            f"**{escape_markdown(row.filename)}**  \n"
            f":gray[{escape_markdown(row.uploaded_by or '—')} · {locale.stamp(row.uploaded_at)}"
            f" · {max(1, round(row.size_bytes / 1024))} KB]"
        )
        right.download_button(
            label, data=lambda file_id=int(row.id): read(file_id), file_name=row.filename,
            mime=row.content_type, key=f"{key}_{row.id}", icon=":material/download:",
            on_click="ignore",
        )  # fmt: skip
