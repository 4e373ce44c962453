"""Widget state kept in the URL: stable codes in the query string (never translated labels),
so a link reopens the same view in either language."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


def url_choice(key: str, options: list[str], default: str | Callable[[], str]) -> str:
    """The value a URL-bound widget starts with: its own state once it exists, else
    ``?key=`` when valid, else ``default`` (or what it returns, when a function: called only
    when needed, so a costly default such as reading the settings is not paid on every call —
    ``lang()`` runs for every label).

    Streamlit's own ``bind="query-params"`` writes the *displayed* label into the URL, which
    differs per language; we keep the stable code, so a link works in both languages. The
    value goes in as the widget's initial index/default (setting ``st.session_state`` first
    would pin the widget to it on later reruns).
    """
    if st.session_state.get(key) in options:
        return st.session_state[key]
    from_url = st.query_params.get(key)
    if from_url in options:
        return from_url
    return default() if callable(default) else default


def distinct_labels(options: list[str], format_func: Callable[[str], str]) -> Callable[[str], str]:
    """``format_func`` with every label made distinct: Streamlit keeps a select box's choice
    by its label, so of two options that read the same it would give back the other one on
    the next run. A repeated label gets invisible zero-width spaces (callers should still
    make labels say the difference)."""
    labels = {option: str(format_func(option)) for option in options}
    if len(set(labels.values())) == len(labels):
        return format_func
    seen: dict[str, int] = {}
    for option, text in labels.items():
        seen[text] = seen.get(text, 0) + 1
        labels[option] = text + "\u200b" * (seen[text] - 1)
    return labels.__getitem__


def url_select(
    key: str,
    label: str,
    options: list[str],
    default: str | Callable[[], str],
    format_func: Callable[[str], str] = str,
    *,
    container=None,
    **widget_args,
) -> str:
    """A selectbox of stable codes bound to ``?key=``: starts from the URL, writes the chosen
    code back, shows each code through ``format_func`` (the label in the user's language)."""
    initial = url_choice(key, options, default)
    value = (container or st).selectbox(
        label,
        options,
        index=options.index(initial) if initial in options else 0,
        key=key,
        format_func=distinct_labels(options, format_func),
        **widget_args,
    )
    mirror_to_url(key, value)
    return value


def url_segments(
    key: str,
    label: str,
    options: list[str],
    default: str,
    format_func: Callable[[str], str] = str,
    *,
    container=None,
    **widget_args,
) -> str:
    """A segmented control of stable codes bound to ``?key=`` (as ``url_select``); an
    unselected control falls back to ``default``."""
    initial = url_choice(key, options, default)
    value = (container or st).segmented_control(
        label, options, default=initial, format_func=format_func, key=key, **widget_args
    )
    value = value or default
    mirror_to_url(key, value)
    return value


def mirror_to_url(key: str, value: str | None) -> None:
    """Keep ``?key=value`` in the address bar (removed when ``value`` is None or empty, the
    "any" choice); writes only on a change, since every write costs the browser a history
    update."""
    if not value:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def lasting_default(key: str, value: str) -> str:
    """``value`` as the default of widget ``key`` when the widget is created, and the same
    default for as long as it lives. ``st.tabs`` counts its default in its identity: a tab
    bar whose default followed the open tab (from the URL) became a new widget on each
    switch, and the click after a switch went to the old one and was lost."""
    defaults = st.session_state.setdefault("_lasting_defaults", {})
    if key not in st.session_state or key not in defaults:
        defaults[key] = value
    return defaults[key]
