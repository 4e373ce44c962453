"""User text in Streamlit's Markdown: shown as typed, never as markup.

Nearly every Streamlit text element renders Markdown (captions, alerts, subheaders, button,
tab and expander labels, metric values and help): a deal called ``![x](http://…)`` would load
a remote image in the manager's browser, ``[verify](http://…)`` would be a clickable link.
So text that comes from users, files or the store is escaped before it is placed in
Markdown; our own translations keep their markup. ``Markdown`` marks text that is Markdown
already (our templates, escaped values), so nothing is escaped twice.

Only what can build markup is escaped, so names, codes, dates and numbers read the same in
the Markdown source as on the screen: brackets and angle brackets (links, images, tags,
auto-links, Streamlit's ``:color[…]``), emphasis and code marks, ``$`` (formulas), the
backslash itself, the colon of Streamlit's ``:red[…]`` and ``:material/…:``, and, at the start of a text that
begins a line, heading, quote and list markers. Bare web addresses, which Streamlit links
even when escaped, get an invisible word joiner inside ``://`` and after ``www``.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(r"([\\`*_\[\]<>~$|])")
# Streamlit reads ``:red[…]``, ``:blue-badge[…]`` and ``:material/…:`` even with the bracket
# escaped: the colon is escaped instead.
_DIRECTIVE = re.compile(r":(?=material/|[\w-]+\\\[)")
_LINE_START = re.compile(r"^(\s*\d*)([#+\-=.)])")
_WEB_ADDRESS = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)")
WORD_JOINER = "\u2060"


class Markdown(str):
    """Text that is Markdown on purpose (a template of ours, or escaped user text)."""


def escape_markdown(text: object, *, inline: bool = False) -> Markdown:
    """``text`` as Markdown that renders as typed, on one line (web addresses carry an
    invisible word joiner so that they stay text). ``inline``: the text sits inside a
    line (a value in a sentence), so line-start markers need no escape."""
    if isinstance(text, Markdown):
        return text
    plain = " ".join(str(text).splitlines())
    escaped = _DIRECTIVE.sub(r"\\:", _MARKUP.sub(r"\\\1", _WEB_ADDRESS.sub(WORD_JOINER, plain)))
    if not inline:
        escaped = _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}", escaped)
    return Markdown(escaped)
