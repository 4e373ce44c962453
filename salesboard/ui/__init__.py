"""The Streamlit side of Salesboard, the only package that imports Streamlit.

The shared chrome lives in one module per job and is re-exported here, so pages write
``ui.tr(...)``, ``ui.cached(query)(...)``, ``ui.page_viewer(__file__)``:

- ``language``: the language switch and ``tr``; ``markdown``: user text escaped for Markdown;
- ``charts``: ``plotly_chart``, the one way a figure is shown (user text in labels escaped);
- ``url_state``: widget values kept in the URL as codes (``url_select``, ``url_choice``);
- ``connection``: the engine, cached queries, write sessions, the schema check;
- ``errors``: the error boundary (a translated message with an error id, no traceback);
- ``gate``: the sign-in gate and the signed-in viewer; ``navigation``: the page registry;
- ``periods``: the business date, the period picker, the provisional-calendar notice.

Feature widgets live in their own modules (``filter_bar``, ``pipeline_review``, …).
"""

from salesboard.ui.charts import plotly_chart
from salesboard.ui.connection import (
    cached,
    clear_cached,
    database_url,
    engine,
    key_action_name,
    require_store,
    writing,
)
from salesboard.ui.errors import error_boundary, refuse, report_error
from salesboard.ui.gate import require_viewer, viewer
from salesboard.ui.language import lang, language_switch, tr, tr_text
from salesboard.ui.markdown import Markdown, escape_markdown
from salesboard.ui.navigation import every_page, navigation_for, page_viewer
from salesboard.ui.periods import as_of, calendar_notice, period_picker
from salesboard.ui.url_state import (
    lasting_default,
    mirror_to_url,
    url_choice,
    url_segments,
    url_select,
)

__all__ = [
    "Markdown",
    "escape_markdown",
    "plotly_chart",
    "tr_text",
    "as_of",
    "cached",
    "calendar_notice",
    "clear_cached",
    "database_url",
    "engine",
    "error_boundary",
    "every_page",
    "key_action_name",
    "lang",
    "language_switch",
    "lasting_default",
    "mirror_to_url",
    "navigation_for",
    "page_viewer",
    "period_picker",
    "refuse",
    "report_error",
    "require_store",
    "require_viewer",
    "tr",
    "url_choice",
    "url_segments",
    "url_select",
    "viewer",
    "writing",
]
