"""The audit log as a person reads it: action and entity names, a summary and the old and new
values in the reader's language (``{"status": "submitted"}`` reads "状态：已提交"), never the
stored codes, ``submitted -> confirmed`` transitions or raw JSON."""

from __future__ import annotations

import json
import re

from salesboard.i18n import TRANSLATIONS, t
from salesboard.i18n.locale import locale_for

# Where the name of a stored field is looked up, in order (the first key that exists wins).
FIELD_NAMESPACES = (
    "audit.field", "feedback.section", "feedback.metric", "feedback.col", "goals.col",
    "goals.field", "users.col", "stages", "pipeline",
)  # fmt: skip
# Where a stored code value is looked up, by the field it is the value of.
VALUE_NAMESPACES = {
    "status": ("feedback.status", "feedback.item", "status"),
    "cause_category": ("feedback.cause",),
    "role": ("role",),
    "action": ("audit.action",),
    "kind": ("import.kind", "audit.entity"),
    "mode": ("import.mode",),
    "scope": ("goals.scope",),
    "metric": ("goals.metric",),
}
CODE = re.compile(r"[a-z][a-z0-9_]*")
OPAQUE = re.compile(r".*\d.*")  # a row key or an id inside a field path ("demo-2026-10-0", "30")
MAX_ITEMS = 12  # fields listed in a cell; the rest are counted


def code_label(kind: str, code: str, lang: str) -> str:
    """A translated label for an audit action or entity code (the code itself if unknown)."""
    key = f"audit.{kind}.{code}"
    return t(key, lang) if key in TRANSLATIONS else code


def _first(keys, lang: str) -> str | None:
    return next((t(key, lang) for key in keys if key in TRANSLATIONS), None)


def field_label(path: str, lang: str) -> str:
    """A stored field path ("items.demo-2026-10-0.cause") as words ("改进计划 · 根本原因分析");
    row keys and ids inside the path are left out."""
    words = []
    for part in path.split("."):
        if OPAQUE.fullmatch(part):
            continue
        part = part.removesuffix("_minor")  # amounts are shown in money, not minor units
        label = _first((f"{space}.{part}" for space in FIELD_NAMESPACES), lang)
        words.append(label or part.replace("_", " "))
    return " · ".join(words) or path


def value_text(field: str, value: object, lang: str) -> str:
    """A stored value as read: "—" when empty, a code in words, a list joined."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return t("audit.yes" if value else "audit.no", lang)
    if isinstance(value, list):
        return locale_for(lang).join(value_text(field, v, lang) for v in value)
    if isinstance(value, dict):
        return values_text(value, lang)
    text = str(value)
    name = field.rsplit(".", 1)[-1]
    if name.endswith("_minor") and isinstance(value, int | float):
        return locale_for(lang).money(value)  # an amount in minor units
    if CODE.fullmatch(text):
        spaces = VALUE_NAMESPACES.get(name, ())
        return _first((f"{space}.{text}" for space in spaces), lang) or text.replace("_", " ")
    return text


def values_text(values: dict, lang: str) -> str:
    """Stored old or new values as "字段：值；字段：值" / "Field: value; field: value"."""
    locale = locale_for(lang)
    items = [
        locale.labelled(field_label(path, lang), value_text(path, value, lang))
        for path, value in list(values.items())[:MAX_ITEMS]
    ]
    if len(values) > MAX_ITEMS:
        items.append(t("audit.more_fields", lang, count=len(values) - MAX_ITEMS))
    return ("；" if lang == "zh" else "; ").join(items)


def _parsed(raw: object) -> dict | None:
    if raw is None or raw == "" or (isinstance(raw, float) and raw != raw):
        return None
    try:
        parsed = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def readable_values(raw: object, lang: str) -> str:
    """A stored JSON cell of old or new values as ``values_text`` ("" when there is none;
    text that is not JSON as it is)."""
    parsed = _parsed(raw)
    if parsed is None:
        return "" if raw is None or raw != raw else str(raw)
    return values_text(parsed, lang)


def readable_summary(action: str, summary: str, old: object, new: object, lang: str) -> str:
    """What happened, in words: a status change as "已提交 → 已确认", a record created,
    changed or deleted as the number of fields (listed beside it); otherwise the recorded
    summary (a user name, a file, a date)."""
    before, after = _parsed(old) or {}, _parsed(new) or {}
    if action == "transition" and "status" in after:
        return " → ".join(
            value_text("status", side.get("status"), lang) for side in (before, after)
        )
    if action in ("create", "update", "delete") and (after or before):
        return t("audit.fields_changed", lang, count=len(after or before))
    return summary or ""
