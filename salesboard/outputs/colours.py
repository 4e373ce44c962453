"""Readable colours: the WCAG contrast ratio of two colours and the text colour (black or
white) that reads on a given fill. For every fill one of the two reaches at least 4.58:1,
above the 4.5:1 WCAG asks of normal text."""

from __future__ import annotations

import re

BLACK = "#000000"
WHITE = "#ffffff"
# The categorical colours and marker symbols a multi-line chart takes its series from: D3's
# category10 (none of the first six closer than 90 in RGB), and each series also gets its own marker, so no
# two lines read alike even in greyscale.
SERIES_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                  "#e377c2", "#17becf")  # fmt: skip
SERIES_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross",
                  "triangle-down")  # fmt: skip


def rgb(colour: str) -> tuple[int, int, int]:
    """ "#1f6feb" or "rgb(31, 111, 235)" as (31, 111, 235)."""
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    red, green, blue = (int(float(v)) for v in re.findall(r"[\d.]+", colour)[:3])
    return red, green, blue


def luminance(colour: str) -> float:
    """The relative luminance of ``colour`` (WCAG 2: 0 black … 1 white)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours (1 … 21)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill``."""
    return BLACK if contrast_ratio(BLACK, fill) >= contrast_ratio(WHITE, fill) else WHITE


def series_style(index: int) -> dict:
    """The colour and marker of the ``index``-th series of a chart (see ``SERIES_COLOURS``)."""
    return {
        "line": {"color": SERIES_COLOURS[index % len(SERIES_COLOURS)]},
        "marker": {"symbol": SERIES_SYMBOLS[index % len(SERIES_SYMBOLS)], "size": 8},
    }
