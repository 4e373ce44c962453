"""Lead settings (admins): working hours and the time-to-assign standard, the scoring
criteria (an editor in a form), the assignment rules (add, retire) and the inbound API
tokens (create — the token shown once —, revoke)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.i18n.locale import locale_for
from salesboard.leads import settings as lset
from salesboard.leads import tokens
from salesboard.leads.actions import assignable_people
from salesboard.leads.errors import LeadError
from salesboard.leads.rules import SCORED_FIELDS, Criterion
from salesboard.ui.leads_page import refusal_text

TOKEN_SHOWN = "lead_token_made"


def _name(pair, fallback: str = "") -> str:
    if not pair:
        return fallback
    return pair[0] if ui.lang() == "zh" else pair[1]


def _save(action) -> bool:
    try:
        with ui.writing() as session:
            action(session)
    except (LeadError, ValueError) as error:
        st.error(
            refusal_text(error) if isinstance(error, LeadError) else ui.tr("lead.error.admin_only")
        )
        return False
    return True


def hours_section() -> None:
    current = ui.cached(lset.load_settings)()
    with st.form("lead_hours"):
        st.subheader(ui.tr("lset.hours"))
        left, middle, right = st.columns(3)
        start = left.time_input(
            ui.tr("lset.work_start"), current.hours.start, key="lead_start", step=900
        )
        end = middle.time_input(ui.tr("lset.work_end"), current.hours.end, key="lead_end", step=900)
        minutes = right.number_input(ui.tr("lset.standard"), 1, 2880, current.standard_minutes,
                                     key="lead_standard")  # fmt: skip
        if st.form_submit_button(ui.tr("lset.save"), key="lead_hours_save") and _save(
            lambda s: lset.save_settings(
                s, ui.viewer(), start.strftime("%H:%M"), end.strftime("%H:%M"), int(minutes)
            )  # fmt: skip
        ):
            st.success(ui.tr("lset.saved"))


def _value_words() -> dict[tuple[str, str], str]:
    """(field, stored code) → the word shown in the editor: levels and sources by name (a
    typed name or code is read back as the code)."""
    words = {(f, level): ui.tr_text(f"leads.level.{level}") for f in ("urgency", "fit")
             for level in ("high", "medium", "low")}  # fmt: skip
    words.update({("source", c): _name(n) for c, n in ui.cached(lset.active_sources)().items()})
    return words


def criteria_section() -> None:
    st.subheader(ui.tr("lset.criteria"))
    st.caption(ui.tr("lset.criteria_caption"))
    field, value, points = (ui.tr_text(f"lset.crit.{k}") for k in ("field", "value", "points"))
    rows = ui.cached(lset.load_criteria)()
    words = _value_words()
    frame = pd.DataFrame(
        {
            field: pd.Series([c.field for c in rows], dtype="object"),
            value: pd.Series(
                [words.get((c.field, c.value), c.value) for c in rows], dtype="object"
            ),
            points: pd.Series([c.points for c in rows], dtype="int64"),
        }
    )  # fmt: skip (an empty store's editor still needs text and whole-number columns)
    labels = {f: ui.tr_text(f"leads.field.{f}") for f in SCORED_FIELDS}
    with st.form("lead_criteria"):
        edited = st.data_editor(
            frame, num_rows="dynamic", hide_index=True, key="lead_criteria_editor",
            column_config={
                field: st.column_config.SelectboxColumn(field, options=list(SCORED_FIELDS), required=True,
                                                        format_func=labels.__getitem__),
                value: st.column_config.TextColumn(value, max_chars=64, required=True),
                points: st.column_config.NumberColumn(points, min_value=0, max_value=lset.MAX_POINTS,
                                                      step=1, required=True),
            },
        )  # fmt: skip
        if st.form_submit_button(ui.tr("lset.save"), key="lead_criteria_save"):
            kept = edited.dropna(how="all")
            codes = {(f, w.casefold()): c for (f, c), w in words.items()}
            criteria = [Criterion(str(f), codes.get((f, str(v).strip().casefold()), str(v)), int(p)) for f, v, p in
                        zip(kept[field], kept[value].fillna(""), kept[points].fillna(-1), strict=True)]  # fmt: skip
            if _save(lambda s: lset.save_criteria(s, ui.viewer(), criteria)):
                st.success(ui.tr("lset.saved"))


def rules_section() -> None:
    st.subheader(ui.tr("lset.rules"))
    st.caption(ui.tr("lset.rules_caption"))
    names = ui.cached(lset.lookup_names)()
    rules = ui.cached(lset.rules_frame)()
    any_ = ui.tr_text("lset.any")
    if rules.empty:
        st.info(ui.tr("lset.no_rules"))
    else:
        regions = names["regions"]
        st.dataframe(pd.DataFrame({
            ui.tr_text("lset.rule.position"): rules["position"].astype(int),
            ui.tr_text("lset.rule.region"): [
                (regions[r][1] if ui.lang() == "zh" else regions[r][2]) if r in regions else any_
                for r in rules["region_id"]],
            ui.tr_text("lset.rule.industry"): [i or any_ for i in rules["industry"]],
            ui.tr_text("lset.rule.target"): [
                rep if isinstance(rep, str) else ui.tr_text("lset.round_robin", team=_name(names["teams"].get(t), "—"))
                for rep, t in zip(rules["rep"], rules["team_id"], strict=True)],
        }), hide_index=True, key="lead_rules")  # fmt: skip
    with st.form("lead_rule_add"):
        st.markdown(f"**{ui.tr('lset.add_rule')}**")
        left, middle = st.columns(2)
        region_codes = {
            c: (zh if ui.lang() == "zh" else en) for c, zh, en in names["regions"].values()
        }
        region = left.selectbox(ui.tr("lset.rule.region"), ["", *region_codes], key="lead_rule_region",
                                format_func=lambda c: region_codes.get(c, any_))  # fmt: skip
        industry = middle.text_input(
            ui.tr("lset.rule.industry"), key="lead_rule_industry", max_chars=64
        )
        kind = left.radio(ui.tr("lset.rule_kind"), ["team", "rep"], key="lead_rule_kind", horizontal=True,
                          format_func={k: ui.tr_text(f"lset.kind.{k}") for k in ("team", "rep")}.__getitem__)  # fmt: skip
        teams = names["teams"]
        team = middle.selectbox(ui.tr("lset.rule_team"), list(teams), key="lead_rule_team",
                                format_func={t: _name(n) for t, n in teams.items()}.__getitem__)  # fmt: skip
        people = {p.username: p.display_name for p in ui.cached(assignable_people)(ui.viewer())}
        rep = middle.selectbox(ui.tr("lset.rule_rep"), list(people), key="lead_rule_rep",
                               format_func=people.__getitem__)  # fmt: skip
        if st.form_submit_button(
            ui.tr("lset.rule_add_submit"), key="lead_rule_add_submit"
        ) and _save(
            lambda s: lset.add_rule(
                s,
                ui.viewer(),
                region=region or None,
                industry=industry,
                team=team if kind == "team" else None,
                rep=rep if kind == "rep" else None,
            )  # fmt: skip
        ):
            st.rerun()
    if not rules.empty:
        with st.form("lead_rule_retire"):
            options = [int(i) for i in rules["id"]]
            positions = dict(zip(options, rules["position"].astype(int), strict=True))
            chosen = st.selectbox(ui.tr("lset.retire_rule"), options, key="lead_rule_pick",
                                  format_func=lambda i: f"#{positions[i]}")  # fmt: skip
            if st.form_submit_button(
                ui.tr("lset.retire_submit"), key="lead_rule_retire_submit"
            ) and _save(lambda s: lset.retire_rule(s, ui.viewer(), chosen)):
                st.rerun()


def tokens_section() -> None:
    st.subheader(ui.tr("lset.tokens"))
    st.caption(ui.tr("lset.tokens_caption"))
    made = st.session_state.pop(TOKEN_SHOWN, None)
    if made:
        st.warning(ui.tr("lset.token_made"))
        st.code(made, language=None)
    names = ui.cached(lset.lookup_names)()
    sources = names["sources"]
    active = ui.cached(lset.active_sources)()
    frame = ui.cached(tokens.list_tokens)()
    locale = locale_for(ui.lang())
    if frame.empty:
        st.info(ui.tr("lset.no_tokens"))
    else:
        st.dataframe(pd.DataFrame({
            ui.tr_text("leads.field.source"): [_name(sources.get(s), s) for s in frame["source"]],
            ui.tr_text("lset.token.label"): frame["label"],
            ui.tr_text("lset.token.prefix"): [f"{p}…" for p in frame["prefix"]],
            ui.tr_text("lset.token.created"): [locale.stamp(t) for t in frame["created_at"]],
            ui.tr_text("lset.token.last_used"): [locale.stamp(t) or "—" for t in frame["last_used_at"]],
            ui.tr_text("lset.token.state"): [
                ui.tr_text("lset.token.revoked" if r is not None and not pd.isna(r) else "lset.token.live")
                for r in frame["revoked_at"]],
        }), hide_index=True, key="lead_tokens")  # fmt: skip
    with st.form("lead_token_create"):
        left, right = st.columns(2)
        source = left.selectbox(ui.tr("leads.field.source"), list(active), key="lead_token_source",
                                format_func={c: _name(n) for c, n in active.items()}.__getitem__)  # fmt: skip
        label = right.text_input(ui.tr("lset.token.label"), key="lead_token_label", max_chars=64)
        if st.form_submit_button(ui.tr("lset.create_token"), key="lead_token_create_submit"):
            made: list[str] = []
            if _save(lambda s: made.append(tokens.create_token(s, ui.viewer(), source, label))):
                st.session_state[TOKEN_SHOWN] = made[0]
                st.rerun()
    live = frame[frame["revoked_at"].isna()] if not frame.empty else frame
    if not live.empty:
        with st.form("lead_token_revoke"):
            labels = {int(i): f"{_name(sources.get(s), s)} · {p}… {lab}".strip()
                      for i, s, p, lab in zip(live["id"], live["source"], live["prefix"], live["label"], strict=True)}  # fmt: skip
            chosen = st.selectbox(ui.tr("lset.revoke"), list(labels), key="lead_token_pick",
                                  format_func=labels.__getitem__)  # fmt: skip
            if st.form_submit_button(
                ui.tr("lset.revoke_submit"), key="lead_token_revoke_submit"
            ) and _save(lambda s: tokens.revoke_token(s, ui.viewer(), chosen)):
                st.rerun()
