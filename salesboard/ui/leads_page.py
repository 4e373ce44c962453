"""The Leads page (线索): status tiles, the list with its filters in the URL, assignment
breaches against the ≤ 1 working hour standard, lead → opportunity conversion by source and
month; one lead (``?lead=ID``) with assign (managers, admins), convert and reject."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from salesboard import ui
from salesboard.deals.errors import DealError
from salesboard.i18n import TRANSLATIONS, format_count, format_percent
from salesboard.i18n import t as translate
from salesboard.i18n.locale import locale_for
from salesboard.importing.problems import SpreadsheetRejected
from salesboard.leads import actions, queries
from salesboard.leads.errors import LeadError
from salesboard.leads.settings import load_settings, lookup_names
from salesboard.leads.sheet import import_leads
from salesboard.store.models import Role
from salesboard.store.settings import get_settings
from salesboard.ui.deal_actions import refusal as deal_refusal
from salesboard.ui.file_drop import file_drop
from salesboard.ui.flash import show_flash, write_then_rerun

PATH = "/leads"
ALL = "all"
_FLASH = "lead_done"
BREACHES_SHOWN = 200  # the longest; the tile counts them all


def lead_url(lead_id: int, lang: str | None = None) -> str:
    """The Leads page opened on one lead (in ``lang``, by default the user's). Both values
    are URL-safe as they are (a number, a language code): no encoding per row of the list."""
    return f"{PATH}?lead={int(lead_id)}&lang={lang or ui.lang()}"


def _name(pair: tuple[str, str] | None, fallback: str = "", lang: str | None = None) -> str:
    if not pair:
        return fallback
    return pair[0] if (lang or ui.lang()) == "zh" else pair[1]


def refusal_text(error: Exception) -> str:
    """A refused lead (or deal) write in the user's language, fields named in it."""
    if isinstance(error, DealError):
        return deal_refusal(error)
    assert isinstance(error, LeadError)
    params = {k: v if isinstance(v, int) else str(v) for k, v in error.params.items()}
    if "field" in params and f"leads.field.{params['field']}" in TRANSLATIONS:
        params["field"] = ui.tr_text(f"leads.field.{params['field']}")
    key = f"lead.error.{error.code}"
    return ui.tr(key, **params) if key in TRANSLATIONS else ui.tr("lead.error.read_only")


def _minutes(value: object, lang: str | None = None) -> str:
    return translate("leads.minutes", lang or ui.lang(), minutes=format_count(int(value)))


def lead_table(frame: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Leads as the list shows them: translated headers and values, text as text."""
    # The language read once: per cell it was a session-state read each (4,000 a rerun).
    lang = ui.lang()
    locale = locale_for(lang)
    field = lambda k: ui.tr_text(f"leads.field.{k}")  # noqa: E731
    status = [translate(f"leads.status.{s}", lang) for s in frame["status"]]
    waiting = frame["waiting"] if "waiting" in frame else pd.Series(False, index=frame.index)
    waits = " · " + ui.tr_text("leads.col.waiting")
    minutes = [
        (_minutes(m, lang) + (waits if w else ""))
        if (a is not None and not pd.isna(a)) or w else "—"
        for m, a, w in zip(frame["minutes_to_assign"], frame["assigned_at"], waiting, strict=True)
    ]  # fmt: skip
    return pd.DataFrame(
        {
            "link": [lead_url(int(i), lang) for i in frame["id"]],
            ui.tr_text("leads.col.received"): [locale.stamp(t) for t in frame["received_at"]],
            field("source"): [_name(names["sources"].get(s), s, lang) for s in frame["source"]],
            field("company"): frame["company"],
            field("contact_name"): frame["contact_name"],
            field("contact_phone"): frame["contact_phone"],
            ui.tr_text("leads.col.score"): frame["score"].astype(int),
            ui.tr_text("leads.col.status"): status,
            ui.tr_text("leads.col.assignee"): frame["assignee"].fillna("—"),
            ui.tr_text("leads.col.team"): [
                _name(names["teams"].get(t), lang=lang) if t is not None and not pd.isna(t) else "—"
                for t in frame["team_id"]
            ],
            ui.tr_text("leads.col.minutes"): minutes,
            ui.tr_text("leads.col.deal"): frame["deal_code"].fillna(""),
        }
    )


def _show_table(table: pd.DataFrame, key: str) -> None:
    st.dataframe(
        table, hide_index=True, key=key, placeholder="—",
        column_config={"link": st.column_config.LinkColumn(
            ui.tr_text("leads.col.open"), display_text=ui.tr_text("leads.col.open"), width="small",
        )},
    )  # fmt: skip


def tiles(viewer, standard: int) -> None:
    """How many leads in each status, and how many took longer than the standard."""
    counts = ui.cached(queries.status_counts)(viewer)
    breaches = _breaches(viewer)
    columns = st.columns(5)
    for column, status in zip(columns, queries.STATUSES, strict=False):
        column.metric(ui.tr(f"leads.status.{status}"), format_count(counts.get(status, 0)))
    columns[4].metric(ui.tr("leads.tile_breaches"), format_count(breaches.count),
                      help=ui.tr_text("leads.breaches_caption", minutes=standard))  # fmt: skip


def _breaches(viewer) -> queries.Breaches:
    """The breaches of the last 90 days: all counted, the ``BREACHES_SHOWN`` longest listed."""
    return ui.cached(queries.lead_breaches)(viewer, _since(), None, BREACHES_SHOWN)


def _since() -> datetime:
    """Breaches over the last 90 days (the weekly review's horizon and then some)."""
    return datetime.combine(ui.as_of() - timedelta(days=90), time.min, UTC)


def leads_list() -> None:
    """Tiles, then the list, the breaches and the conversion chart in tabs."""
    viewer = ui.viewer()
    settings = ui.cached(load_settings)()
    names = ui.cached(lookup_names)()
    st.caption(ui.tr("leads.caption", minutes=settings.standard_minutes))
    tiles(viewer, settings.standard_minutes)
    tab_list, tab_breaches, tab_conv = st.tabs(
        [ui.tr_text("leads.tab_list"), ui.tr_text("leads.tab_breaches"),
         ui.tr_text("leads.tab_conversion")]
    )  # fmt: skip
    with tab_list:
        import_box(viewer)
        _list(viewer, names)
    with tab_breaches:
        st.caption(ui.tr("leads.breaches_caption", minutes=settings.standard_minutes))
        late = _breaches(viewer)
        if not late.count:
            st.success(ui.tr("leads.no_breaches"))
        else:
            _show_table(lead_table(late.longest, names), "lead_breaches")
            if late.count > BREACHES_SHOWN:
                st.caption(
                    ui.tr(
                        "leads.breaches_limited",
                        limit=BREACHES_SHOWN,
                        count=format_count(late.count),
                    )
                )
    with tab_conv:
        conversion_chart(viewer, names)


def _list(viewer, names: dict) -> None:
    left, middle, right = st.columns([3, 2, 2])
    statuses = [ALL, *queries.STATUSES]
    status_names = {
        s: ui.tr_text("leads.all" if s == ALL else f"leads.status.{s}") for s in statuses
    }
    status = ui.url_select("status", ui.tr("leads.filter_status"), statuses, ALL,
                           status_names.__getitem__, container=left)  # fmt: skip
    sources = [ALL, *names["sources"]]
    source_names = {
        s: ui.tr_text("leads.all") if s == ALL else _name(names["sources"][s]) for s in sources
    }
    source = ui.url_select("source", ui.tr("leads.filter_source"), sources, ALL,
                           source_names.__getitem__, container=middle)  # fmt: skip
    search = right.text_input(ui.tr("leads.search"), key="lead_search", max_chars=64)
    chosen = () if status == ALL else (status,)
    frame = ui.cached(queries.list_leads)(viewer, chosen, None if source == ALL else source, search)
    if frame.empty:
        filtered = status != ALL or source != ALL or bool(search.strip())
        st.info(ui.tr("leads.none_filtered" if filtered else "leads.none"))
        return
    _show_table(lead_table(frame, names), "lead_table")
    if len(frame) >= queries.LIST_LIMIT:
        st.caption(ui.tr("leads.limited", limit=queries.LIST_LIMIT))
    labels = {int(i): f"#{i} {c}" for i, c in zip(frame["id"], frame["company"], strict=True)}
    picked = st.selectbox(ui.tr("leads.open_lead"), list(labels), index=None,
                          format_func=labels.__getitem__, key="lead_pick",
                          placeholder=ui.tr_text("leads.pick"))  # fmt: skip
    if picked is not None:
        st.query_params["lead"] = str(picked)
        st.rerun()


def conversion_chart(viewer, names: dict) -> None:
    """Lead → opportunity conversion by source over the last 12 months."""
    today = ui.as_of()
    start = date(today.year - 1, today.month, 1) + timedelta(days=31)
    start = start.replace(day=1)
    frame = ui.cached(queries.conversion_by_source)(viewer, start, today, get_settings().timezone)
    st.caption(ui.tr("leads.conv_caption"))
    if frame.empty:
        st.info(ui.tr("leads.conv_none"))
        return
    source = ui.tr_text("leads.field.source")
    month, rate = ui.tr_text("leads.conv_month"), ui.tr_text("leads.conv_rate")
    received, converted = ui.tr_text("leads.conv_received"), ui.tr_text("leads.conv_converted")
    shown = pd.DataFrame({
        month: frame["month"], source: [_name(names["sources"].get(s), s) for s in frame["source"]],
        received: frame["received"].astype(int), converted: frame["converted"].astype(int),
        rate: [format_percent(r) for r in frame["rate"]],
    })  # fmt: skip
    # One stacked bar trace per source, built directly: plotly express took 0.1 s of every
    # rerun (the page's whole warm budget) to split the frame and type its columns. The
    # hover names the source from the trace (escaped as every name is), then the figures.
    hover = (f"%{{fullData.name}}<br>{month}: %{{x}}<br>{received}: %{{y}}<br>"
             f"{converted}: %{{customdata[0]}}<br>{rate}: %{{customdata[1]}}<extra></extra>")  # fmt: skip
    figure = go.Figure([
        go.Bar(x=part[month], y=part[received], name=name, hovertemplate=hover,
               customdata=part[[converted, rate]].to_numpy())
        for name, part in shown.groupby(source, sort=False)
    ])  # fmt: skip
    figure.update_layout(height=340, margin={"l": 10, "r": 10, "t": 10, "b": 10}, barmode="relative",
                         legend={"orientation": "h", "y": -0.25, "title": {"text": source}},
                         xaxis={"type": "category", "categoryorder": "category ascending"},
                         xaxis_title=month, yaxis_title=received)  # fmt: skip
    ui.plotly_chart(figure, key="lead_conversion_chart")
    totals = frame.groupby("source", sort=False)[["received", "converted"]].sum().reset_index()
    st.dataframe(pd.DataFrame({
        source: [_name(names["sources"].get(s), s) for s in totals["source"]],
        received: totals["received"].astype(int), converted: totals["converted"].astype(int),
        rate: [format_percent(c / r if r else None) for c, r in zip(totals["converted"], totals["received"], strict=True)],
    }), hide_index=True, key="lead_conversion_totals")  # fmt: skip
    with st.expander(ui.tr("leads.conv_by_month")):
        st.dataframe(shown, hide_index=True, key="lead_conversion_table")


# --- one lead ----------------------------------------------------------------------------------


def lead_detail(lead_id: int) -> None:
    """One lead: its fields, time to assign, and what the viewer may do with it."""
    viewer = ui.viewer()
    names = ui.cached(lookup_names)()
    st.page_link("pages/lead_inbox.py", label=ui.tr_text("leads.back"), icon=":material/arrow_back:",
                 query_params={"lang": ui.lang()})  # fmt: skip
    show_flash(_FLASH)
    try:
        lead = ui.cached(queries.lead_view)(viewer, lead_id)
    except LeadError as error:
        st.title(ui.tr("leads.title"))
        st.error(refusal_text(error))
        return
    st.title(ui.tr("leads.detail_title", id=lead_id))
    _facts(lead, names)
    if lead["status"] == "converted":
        st.success(ui.tr("leads.closed_converted", code=lead["deal_code"] or ""))
        if lead["deal_code"]:
            st.page_link("pages/opportunity_detail.py", label=ui.tr_text("leads.open_deal", code=lead["deal_code"]),
                         query_params={"code": lead["deal_code"], "lang": ui.lang()})  # fmt: skip
        return
    if lead["status"] == "rejected":
        reason = ui.tr_text(f"leads.reason.{lead['reject_reason']}")
        st.info(
            ui.tr(
                "leads.closed_rejected",
                reason=" · ".join(p for p in (reason, lead["reject_note"]) if p),
            )
        )
        return
    if actions.may_assign(viewer, lead["team_id"]):
        _assign_form(viewer, lead)
    if actions.may_work(viewer, lead):
        _convert_form(lead, names)
        _reject_form(lead)


def _facts(lead: dict, names: dict) -> None:
    locale = locale_for(ui.lang())
    field = lambda k: ui.tr_text(f"leads.field.{k}")  # noqa: E731
    level = lambda v: ui.tr_text(f"leads.level.{v}") if v else "—"  # noqa: E731
    region = names["regions"].get(lead["region_id"])
    team = names["teams"].get(lead["team_id"])
    if lead["assignee"]:
        assignee = lead["assignee"]
    else:
        assignee = ui.tr_text("leads.unassigned" if lead["team_id"] else "leads.not_routed")
    waited = _minutes(lead["minutes_to_assign"])
    if lead["breach"]:
        waited += " · " + ui.tr_text("leads.over_standard")
    rows = [
        (field("company"), lead["company"]),
        (field("contact_name"), lead["contact_name"] or "—"),
        (field("contact_phone"), lead["contact_phone"] or "—"),
        (field("contact_email"), lead["contact_email"] or "—"),
        (field("source"), _name(names["sources"].get(lead["source"]), lead["source"])),
        (field("industry"), lead["industry"] or "—"),
        (field("region"), (region[1] if ui.lang() == "zh" else region[2]) if region else "—"),
        (field("budget"), locale.money(lead["budget_minor"])),
        (field("urgency"), level(lead["urgency"])),
        (field("fit"), level(lead["fit"])),
        (ui.tr_text("leads.col.score"), str(lead["score"])),
        (ui.tr_text("leads.col.status"), ui.tr_text(f"leads.status.{lead['status']}")),
        (ui.tr_text("leads.col.assignee"), assignee),
        (ui.tr_text("leads.col.team"), _name(team, "—")),
        (ui.tr_text("leads.received_at"), locale.stamp(lead["received_at"])),
        (ui.tr_text("leads.assigned_at"), locale.stamp(lead["assigned_at"]) or "—"),
        (ui.tr_text("leads.time_to_assign"), waited),
        (field("message"), lead["message"] or "—"),
    ]
    half = (len(rows) + 1) // 2
    for column, part in zip(st.columns(2), (rows[:half], rows[half:]), strict=True):
        column.markdown("  \n".join(
            f"{ui.escape_markdown(label, inline=True)}：**{ui.escape_markdown(str(value), inline=True)}**"
            if ui.lang() == "zh" else
            f"{ui.escape_markdown(label, inline=True)}: **{ui.escape_markdown(str(value), inline=True)}**"
            for label, value in part
        ))  # fmt: skip


def _write(action, message: str) -> None:
    write_then_rerun(action, lambda result: message.format(result=result), flash_key=_FLASH,
                     refused=(LeadError, DealError), refusal=refusal_text)  # fmt: skip


def _assign_form(viewer, lead: dict) -> None:
    people = ui.cached(actions.assignable_people)(viewer)
    names = {p.username: p.display_name for p in people}
    with st.form("lead_assign"):
        st.markdown(f"**{ui.tr('leads.assign_title')}**")
        who = st.selectbox(ui.tr("leads.assign_to"), list(names), index=None,
                           format_func=names.__getitem__, key="lead_assignee",
                           placeholder=ui.tr_text("lset.choose"))  # fmt: skip
        if st.form_submit_button(ui.tr("leads.assign_submit"), key="lead_assign_submit"):
            if who is None:
                st.error(ui.tr("lead.error.unknown_rep", value="—"))
                return
            _write(lambda s: actions.assign_lead(s, ui.viewer(), lead["id"], who,
                                                 seen_version=lead["version"]),
                   ui.tr_text("leads.assigned_ok", name=names[who]))  # fmt: skip


def _convert_form(lead: dict, names: dict) -> None:
    lines = names["lines"]
    with st.form("lead_convert"):
        st.markdown(f"**{ui.tr('leads.convert_title')}**")
        left, right = st.columns(2)
        line = left.selectbox(ui.tr("leads.product_line"), list(lines), key="lead_line",
                              format_func={c: _name(n) for c, n in lines.items()}.__getitem__)  # fmt: skip
        amount = right.text_input(ui.tr("leads.amount"), key="lead_amount", max_chars=32,
                                  help=ui.tr_text("leads.amount_help"))  # fmt: skip
        close = left.date_input(ui.tr("leads.expected_close"), ui.as_of() + timedelta(days=60),
                                min_value=ui.as_of(), key="lead_close", format="YYYY-MM-DD")  # fmt: skip
        if st.form_submit_button(
            ui.tr("leads.convert_submit"), type="primary", key="lead_convert_submit"
        ):
            _write(
                lambda s: actions.convert_lead(
                    s, ui.viewer(), lead["id"], seen_version=lead["version"], product_line=line,
                    amount=amount.strip() or None, today=ui.as_of(), expected_close_on=close,
                ),
                ui.tr_text("leads.converted_ok", code="{result}"),
            )  # fmt: skip


def _reject_form(lead: dict) -> None:
    reasons = {r: ui.tr_text(f"leads.reason.{r}") for r in actions.REJECT_REASONS}
    with st.form("lead_reject"):
        st.markdown(f"**{ui.tr('leads.reject_title')}**")
        reason = st.selectbox(ui.tr("leads.reject_reason"), list(reasons), index=None,
                              format_func=reasons.__getitem__, key="lead_reason",
                              placeholder=ui.tr_text("lset.choose"))  # fmt: skip
        note = st.text_input(
            ui.tr("leads.reject_note"), key="lead_note", max_chars=actions.MAX_NOTE
        )
        if st.form_submit_button(ui.tr("leads.reject_submit"), key="lead_reject_submit"):
            _write(lambda s: actions.reject_lead(s, ui.viewer(), lead["id"],
                                                 seen_version=lead["version"],
                                                 reason=reason or "", note=note),
                   ui.tr_text("leads.rejected_ok"))  # fmt: skip


def my_new_leads(viewer) -> None:
    """My work's section for a rep: the leads assigned to them not yet worked, oldest first,
    each linking to the lead (phone as text, readable on a phone)."""
    rows = ui.cached(queries.new_leads_for)(viewer)
    locale = locale_for(ui.lang())
    with st.container(border=True, key="work_leads"):
        st.markdown(f"**{ui.tr('leads.work_title')}** ({format_count(len(rows))})")
        if rows.empty:
            st.caption(ui.tr("leads.work_none"))
            return
        lines = []
        for row in rows.itertuples(index=False):
            text = ui.tr_text("leads.work_item", company=row.company, score=row.score,
                              contact=" ".join(p for p in (row.contact_name, row.contact_phone) if p) or "—",
                              received=locale.stamp(row.received_at))  # fmt: skip
            lines.append(f"[{ui.escape_markdown(text, inline=True)}]({lead_url(int(row.id))})")
        st.markdown("\n\n".join(lines))


def problem_lines(report) -> list[str]:
    """The import's problems, one line each: row, field, message (in the user's language)."""
    lines = []
    for row, field, code, params in report.problems:
        label = (
            ui.tr_text(f"leads.field.{field}") if f"leads.field.{field}" in TRANSLATIONS else "—"
        )
        message = refusal_text(LeadError(code, code, field, **params))
        lines.append(ui.tr_text("leads.import_problem", row=row, field=label, message=str(message)))
    return lines


def import_box(viewer) -> None:
    """Managers and admins: leads from a spreadsheet (all rows or none)."""
    if viewer.role not in (Role.MANAGER, Role.ADMIN):
        return
    with st.expander(ui.tr("leads.import_title"), icon=":material/upload_file:"):
        st.caption(ui.tr("leads.import_caption"))
        with st.form("lead_import", clear_on_submit=True):
            upload = file_drop(ui.tr("leads.import_file"), ["csv", "xlsx", "xls"], key="lead_import_file",
                               limit_mb=get_settings().max_upload_mb)  # fmt: skip
            if (
                not st.form_submit_button(ui.tr("leads.import_submit"), key="lead_import_submit")
                or upload is None
            ):
                return
        try:
            with ui.writing() as session:
                report = import_leads(session, ui.viewer(), upload.getvalue(), upload.name)
        except SpreadsheetRejected:
            st.error(ui.tr("leads.import_unreadable"))
            return
        if report.ok:
            st.success(ui.tr("leads.import_done", count=len(report.created)))
        else:
            st.error(ui.tr("leads.import_failed", count=len(report.problems)))
            st.text("\n".join(problem_lines(report)))
