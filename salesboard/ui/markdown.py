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


# A Markdown link or image: (image mark, text, target).
_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\s]*)\)")
_WEB_LINK = re.compile(r"https?://", re.IGNORECASE)
_BODY_MARKUP = re.compile(r"([\\\[\]!$])")


def safe_markdown(text: object) -> Markdown:
    """A user's Markdown body (a best practice) rendered safely, keeping its structure
    (headings, lists, emphasis, line breaks): HTML shown as text (``<`` as ``&lt;``), links
    kept only to http(s) addresses, images shown as text (no remote loads), formulas and
    Streamlit's colour and icon directives shown as typed."""
    body = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        if match[1] or not _WEB_LINK.match(match[3]):
            return match[0]
        label = _DIRECTIVE.sub(r"\\:", _BODY_MARKUP.sub(r"\\\1", match[2]))
        kept.append(f"[{label}]({match[3]})")
        return f"\x00{len(kept) - 1}\x00"

    body = _DIRECTIVE.sub(r"\\:", _BODY_MARKUP.sub(r"\\\1", _LINK.sub(keep, body)))
    return Markdown(re.sub("\x00(\\d+)\x00", lambda m: kept[int(m[1])], body))
