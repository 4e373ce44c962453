"""My work's rows in words, in one language: the page and the digest say the same thing."""

from __future__ import annotations

from datetime import date

import pandas as pd

from salesboard.i18n import format_count, t
from salesboard.i18n.locale import Locale
from salesboard.worklist.lists import MyWork, WorkList, section_list


def _day(value) -> str:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return ""
    return Locale.day(pd.Timestamp(value).date())


def deal_words(row, lang: str) -> tuple[str, str, str]:
    """(code, customer, stage) of a row in ``lang``; the code is empty for a visit without
    a deal."""
    code = row["code"] if isinstance(row["code"], str) else ""
    stage = row[f"stage_{lang}"] if isinstance(row[f"stage_{lang}"], str) else ""
    return code, str(row["customer"] or ""), stage


def why_text(row, lang: str) -> str:
    """Why a row is on the list: the due or late key action, the stage clock, the visit."""
    why = row["why"]
    on = _day(row["on"])
    what = str(row["what"] or "")
    if lang == "en" and isinstance(row.get("what_en"), str):
        what = row["what_en"]
    if why in ("action_late", "action_due"):
        days = format_count(int(row["days_late"]))
        return t(f"work.why.{why}", lang, what=what, on=on, days=days)
    if str(why).startswith("support_"):
        return t(
            f"work.why.{why}", lang, what=what, on=on, days=format_count(int(row["days_late"]))
        )
    if why == "visit_planned":
        key = "work.why.visit_planned" if what else "work.why.visit_no_goal"
        return t(key, lang, on=on, what=what)
    parts = []
    for reason in str(why).split(","):
        if reason == "over_standard":
            parts.append(
                t(
                    "work.why.over_standard",
                    lang,
                    in_stage=format_count(int(row["days_in_stage"])),
                    standard=format_count(int(row["standard_days"])),
                )
            )
        elif reason == "idle":
            parts.append(t("work.why.idle", lang))
    parts.append(t("work.why.days_over", lang, days=format_count(int(row["days_late"]))))
    return " · ".join(parts)


def form_text(row, lang: str) -> str:
    """What to do with a waiting feedback form."""
    return t(f"work.form.{row['action']}", lang, rep=row["rep"], period=row["period"])


def section_title(section: str, count: int, lang: str) -> str:
    """A section's title with its count."""
    title = t(f"work.section.{section}", lang)
    return t("work.section_count", lang, title=title, count=format_count(count))


def section_count(work: MyWork, section: str) -> int:
    """How many items ``section`` has in all."""
    found = section_list(work, section)
    return len(work.forms) if found is None else found.total


def rows_by_rep(found: WorkList) -> list[tuple[str, list[dict]]]:
    """The shown rows grouped by rep, reps with most items first: (rep name, rows as
    dicts, in list order). The rows are turned into dicts once: a small frame per rep cost
    a manager's page 2 ms each (55 a team)."""
    order = {owner: i for i, owner in enumerate(found.per_rep["owner_id"])}
    groups: dict[int, tuple[str, list[dict]]] = {}
    for row in found.rows.to_dict("records"):
        place = order.get(row["owner_id"], len(order))
        groups.setdefault(place, (str(row["owner"]), []))[1].append(row)
    return [groups[place] for place in sorted(groups)]
