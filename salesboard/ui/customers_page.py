"""The customers pages (issue 17): the customer list (filters in the URL as codes, pages read
in SQL), one customer (value figures and tabs, potential by hand), the customer matrix per
region (2×2 with counts, amounts and the suggested effort; each quadrant opens the list
filtered by it; admins edit the thresholds) and the region page."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.customers import directory, matrix, potential, region
from salesboard.customers.directory import CustomerQuery
from salesboard.customers.errors import CustomerError
from salesboard.customers.settings import load_settings, save_settings
from salesboard.i18n import format_percent
from salesboard.i18n.locale import Locale, locale_for
from salesboard.pipeline.charts import funnel_chart
from salesboard.pipeline.view_filters import filter_options


def _money(minor) -> str:
    return locale_for(ui.lang()).money(None if minor is None else int(minor))


def _amounts(minor: pd.Series) -> pd.Series:
    """Amounts in the language's display unit (万元 / currency units), for table columns."""
    return minor.astype("float64") / locale_for(ui.lang()).money_unit().minor_per_unit


def _amount_header(key: str) -> str:
    locale = locale_for(ui.lang())
    return locale.with_unit(ui.tr_text(key), locale.money_unit().label)


def settings():
    """The company's matrix settings (cached)."""
    return ui.cached(load_settings)()


def refusal(error: CustomerError) -> None:
    """A refused read or write in the user's language (the field's name when it has one)."""
    field = (
        ui.tr_text(f"matrix.set.{_FIELD_KEYS[error.field]}")
        if error.field in _FIELD_KEYS
        else error.field
    )
    ui.refuse(error, f"cust.error.{error.code}", field=field, **error.params)


_FIELD_KEYS = {"window_months": "window", "repurchase_months": "repurchase",
               "value_threshold_minor": "value", "pipeline_threshold_minor": "pipeline",
               "high_potential_types": "types"}  # fmt: skip


def _options(dimension: str) -> dict[str, tuple[int | str, str]]:
    """The viewer's choices of a filter dimension ("region", "rep", "ctype"): code → (key,
    name in the user's language)."""
    options = ui.cached(filter_options)(ui.viewer())
    lang = ui.lang()
    return {o.code: (o.key, o.name_zh if lang == "zh" else o.name_en)
            for o in options.choices.get(dimension, ())}  # fmt: skip


def _option_choice(container, key: str, label, dimension: str, placeholder: str):
    """A select box of a filter dimension bound to ``?key=`` by code (no choice: all);
    returns the chosen option's key (an id) or None."""
    options = _options(dimension)
    codes = list(options)
    initial = st.query_params.get(key)
    code = container.selectbox(
        label, codes, key=f"cust_{key}", format_func=lambda c: options[c][1],
        placeholder=placeholder, index=codes.index(initial) if initial in options else None,
    )  # fmt: skip
    ui.mirror_to_url(key, code)
    return None if code is None else options[code][0]


def quadrant_name(code: str) -> str:
    return ui.tr_text(f"matrix.q.{code}")


def potential_text(value: str, by_hand: bool) -> str:
    text = ui.tr_text(f"cust.potential.{value}")
    return ui.tr_text("cust.potential.by_hand", value=text) if by_hand else text


# --- the list ---------------------------------------------------------------------------------


def _url_int(key: str) -> int | None:
    value = st.query_params.get(key, "")
    return int(value) if value.isdigit() else None


def customer_list() -> None:
    """Search, region, quadrant and owner filters (kept in the URL), one page of customers."""
    viewer, today, config = ui.viewer(), ui.as_of(), settings()
    st.caption(ui.tr("cust.caption", months=config.window_months))
    search_col, region_col, quadrant_col, owner_col = st.columns([3, 2, 2, 2])
    search = search_col.text_input(ui.tr("cust.search"), value=st.query_params.get("q", ""),
                                   key="cust_q", placeholder=ui.tr_text("cust.search"))  # fmt: skip
    ui.mirror_to_url("q", search.strip())
    all_ = ui.tr_text("cust.all")
    region_id = _option_choice(region_col, "region", ui.tr("cust.region"), "region", all_)
    quadrants = {q: quadrant_name(q) for q in matrix.QUADRANTS}
    chosen = st.query_params.get("quadrant")
    quadrant = quadrant_col.selectbox(
        ui.tr("cust.quadrant"), list(quadrants), key="cust_quadrant", format_func=quadrants.get,
        index=list(quadrants).index(chosen) if chosen in quadrants else None, placeholder=all_,
    )  # fmt: skip
    ui.mirror_to_url("quadrant", quadrant)
    owner_id = _option_choice(owner_col, "owner", ui.tr("cust.owner"), "rep", all_)
    filters = (search, region_id, quadrant, owner_id)
    if "cust_page" not in st.session_state:  # opened from a link: its page
        st.session_state["cust_page"] = _url_int("page") or 0
    elif st.session_state.get("cust_filters") != filters:  # new filters: the first page
        st.session_state["cust_page"] = 0
    st.session_state["cust_filters"] = filters
    page = st.session_state["cust_page"]
    query = CustomerQuery(search, region_id, quadrant, owner_id, page)
    frame, total = ui.cached(directory.list_customers)(viewer, config, today, query)
    if total == 0:
        st.info(ui.tr("cust.none"))
        return
    pages = max(1, math.ceil(total / directory.PAGE_SIZE))
    customer_table(frame)
    left, middle, right = st.columns([1, 3, 1])
    if left.button(ui.tr("cust.prev"), key="cust_prev", disabled=page <= 0):
        st.session_state["cust_page"] = page - 1
        st.rerun()
    middle.caption(ui.tr("cust.count", n=f"{total:,}", page=page + 1, pages=pages))
    if right.button(ui.tr("cust.next"), key="cust_next", disabled=page + 1 >= pages):
        st.session_state["cust_page"] = page + 1
        st.rerun()
    ui.mirror_to_url("page", str(page) if page else None)


def customer_table(frame: pd.DataFrame) -> None:
    """The customers with their value columns and a link to each one's page."""
    lang = ui.lang()
    table = pd.DataFrame({
        "link": [f"/customer?id={int(i)}" for i in frame["id"]],
        "name": frame["name"],
        "region": frame[f"region_{lang}"],
        "type": frame["customer_type"].map(_type_names()).fillna(frame["customer_type"]),
        "industry": frame["industry"],
        "owner": frame["owner"].fillna(""),
        "value": _amounts(frame["value_minor"]),
        "pipeline": _amounts(frame["pipeline_minor"]),
        "potential": [potential_text(p, bool(h)) for p, h in
                      zip(frame["potential"], frame["potential_by_hand"], strict=True)],
        "quadrant": frame["quadrant"].map(quadrant_name),
    })  # fmt: skip
    digits = locale_for(lang).money_unit().decimals
    config = {c: ui.tr_text(f"cust.col.{c}") for c in ("name", "region", "industry", "owner",
                                                      "potential", "quadrant")}  # fmt: skip
    config |= {
        "link": st.column_config.LinkColumn(ui.tr_text("cust.col.open"), width=70, pinned=True,
                                            display_text=ui.tr_text("cust.open")),
        "type": ui.tr_text("cust.col.type"),
        "value": st.column_config.NumberColumn(_amount_header("cust.col.value"), format=f"%,.{digits}f"),
        "pipeline": st.column_config.NumberColumn(_amount_header("cust.col.pipeline"),
                                                  format=f"%,.{digits}f"),
    }  # fmt: skip
    st.dataframe(table, hide_index=True, column_config=config, width="stretch")


def _type_names() -> dict[str, str]:
    return {code: name for code, (_key, name) in _options("ctype").items()}


# --- one customer -----------------------------------------------------------------------------


def customer_detail(customer_id: int) -> None:
    """One customer: header, value figures, tabs; "not found" for one out of sight."""
    viewer, today, config = ui.viewer(), ui.as_of(), settings()
    try:
        page = ui.cached(directory.customer_page)(viewer, config, today, customer_id)
    except CustomerError:
        st.title(ui.tr("cust.title"))
        st.warning(ui.tr("cust.not_found"))
        _back()
        return
    lang = ui.lang()
    st.title(ui.tr("cust.page_title", name=page["name"]))
    st.caption(ui.tr(
        "cust.header", region=page[f"region_{lang}"],
        type=_type_names().get(page["customer_type"], page["customer_type"]),
        industry=page["industry"] or "—", owner=page["owner"] or "—",
        since=Locale.day(page["created_on"]),
    ))  # fmt: skip
    place = page["quadrant"]
    shown = potential_text(page["potential"], bool(page["potential_by_hand"]))
    st.markdown(
        f"**{ui.tr_text('cust.col.quadrant')}**: {ui.escape_markdown(quadrant_name(place))}"
        f" · **{ui.tr_text('cust.col.potential')}**: {ui.escape_markdown(shown)}"
        f" — {ui.tr('matrix.effort.' + place)}"
    )
    value_figures(page, config)
    tabs = ["deals", "visits", "actions", "collections", "contacts"]
    editable = potential.may_set_potential(viewer)
    shown = st.tabs([ui.tr_text(f"cust.tab.{t}") for t in tabs]
                    + ([ui.tr_text("cust.tab.potential")] if editable else []))  # fmt: skip
    readers = {"deals": _deals_tab, "visits": _visits_tab, "actions": _actions_tab,
               "collections": _collections_tab, "contacts": _contacts_tab}  # fmt: skip
    for name, tab in zip(tabs, shown, strict=False):
        with tab:
            readers[name](page.id)
    if editable:
        with shown[-1]:
            potential_form(page, config)
    _back()


def _back() -> None:
    st.page_link("pages/customer_list.py", label=ui.tr("cust.back"), icon=":material/arrow_back:")


def value_figures(page: directory.CustomerPage, config) -> None:
    """The value tiles over the window, the window before beside each."""
    start, end = page.window
    st.caption(ui.tr("cust.window", start=Locale.day(start), end=Locale.day(end),
                     months=config.window_months, repurchase=config.repurchase_months))  # fmt: skip
    now, before = page.figures, page.previous
    yes_no = {None: ui.tr_text("cust.not_applicable"), True: ui.tr_text("cust.yes"),
              False: ui.tr_text("cust.no")}  # fmt: skip
    repurchased = None if not now.buyers else now.repurchasers > 0
    tiles = [
        ("cust.fig.won", _money(now.won_minor), _money(before.won_minor)),
        ("cust.fig.deals", f"{now.won_deals:,}", f"{before.won_deals:,}"),
        ("cust.fig.aov", _money(now.average_order_minor), _money(before.average_order_minor)),
        ("cust.fig.repurchase", yes_no[repurchased], None),
        ("cust.fig.collection", format_percent(now.collection_rate),
         format_percent(before.collection_rate)),
        ("cust.fig.retained", yes_no[None if not before.buyers else now.buyers > 0], None),
    ]  # fmt: skip
    columns = [*st.columns(3), *st.columns(3)]  # two rows, read in order on a phone too
    for (key, value, earlier), column in zip(tiles, columns, strict=True):
        column.metric(ui.tr_text(key), value)
        if earlier is not None:
            column.caption(ui.tr("cust.vs_before", value=earlier))


def _table(frame: pd.DataFrame, columns: dict[str, pd.Series], money: tuple[str, ...] = ()) -> None:
    if frame.empty:
        st.caption(ui.tr("cust.empty"))
        return
    digits = locale_for(ui.lang()).money_unit().decimals
    config = {name: ui.tr_text(f"cust.col.{name}") for name in columns if name not in money}
    config |= {name: st.column_config.NumberColumn(_amount_header(f"cust.col.{name}"),
                                                   format=f"%,.{digits}f") for name in money}  # fmt: skip
    st.dataframe(pd.DataFrame(columns), hide_index=True, column_config=config, width="stretch")
    if len(frame) >= directory.TAB_LIMIT:
        st.caption(ui.tr("cust.tab_limit", n=directory.TAB_LIMIT))


def _days(values: pd.Series) -> pd.Series:
    return values.map(lambda d: "" if d is None or d != d else Locale.day(d))


def _deals_tab(customer_id: int) -> None:
    frame = ui.cached(directory.customer_deals)(ui.viewer(), customer_id)
    if frame.empty:
        return _table(frame, {})
    lang = ui.lang()
    _table(frame, {
        "code": [f"/opportunity?code={c}" for c in frame["code"]],
        "deal_name": frame["name"], "stage": frame[f"stage_{lang}"],
        "status": frame["status"].map(lambda s: ui.tr_text(f"cust.status.{s}")),
        "amount": _amounts(frame["amount_minor"]), "owner": frame["owner"],
        "created": _days(frame["created_on"]), "won_on": _days(frame["won_on"]),
    }, money=("amount",))  # fmt: skip


def _visits_tab(customer_id: int) -> None:
    frame = ui.cached(directory.customer_visits)(ui.viewer(), customer_id)
    if frame.empty:
        return _table(frame, {})
    yes = {True: ui.tr_text("cust.yes"), False: ui.tr_text("cust.no")}
    _table(frame, {
        "day": _days(frame["visited_on"]),
        "visit_status": frame["status"].map(lambda s: ui.tr_text(f"cust.visit.{s}")),
        "rep": frame["rep"], "code": frame["code"].fillna(""), "goal": frame["goal"],
        "contact": frame["contact_name"], "role": frame["contact_role"],
        "effective": frame["effective"].map(lambda v: yes[bool(v)]),
        "commitment": frame["commitment"],
    })  # fmt: skip


def _actions_tab(customer_id: int) -> None:
    frame = ui.cached(directory.customer_key_actions)(ui.viewer(), customer_id)
    if frame.empty:
        return _table(frame, {})
    lang = ui.lang()
    _table(frame, {
        "code": frame["code"],
        "action": [ui.key_action_name(a, lang) for a in frame["action"]],
        "stage": frame[f"stage_{lang}"], "planned": _days(frame["planned_on"]),
        "done": _days(frame["done_on"]), "owner": frame["owner"],
        "feedback": frame["customer_feedback"],
    })  # fmt: skip


def _collections_tab(customer_id: int) -> None:
    frame = ui.cached(directory.customer_collections)(ui.viewer(), customer_id)
    if frame.empty:
        return _table(frame, {})
    _table(frame, {
        "code": frame["code"], "due_on": _days(frame["due_on"]),
        "due": _amounts(frame["due_minor"]), "collected_on": _days(frame["collected_on"]),
        "collected": _amounts(frame["collected_minor"]),
    }, money=("due", "collected"))  # fmt: skip


def _contacts_tab(customer_id: int) -> None:
    st.caption(ui.tr("cust.contacts_caption"))
    frame = ui.cached(directory.customer_contacts)(ui.viewer(), customer_id)
    if frame.empty:
        return _table(frame, {})
    _table(frame, {"contact": frame["contact_name"], "role": frame["contact_role"],
                   "visits": frame["visits"], "last_visit": frame["last_visit"]})  # fmt: skip


def potential_form(page: directory.CustomerPage, config) -> None:
    """Set the potential by hand, or back to the rule (managers within scope, admins)."""
    st.caption(ui.tr("cust.potential_caption",
                     value=potential_text(page["potential"], bool(page["potential_by_hand"])),
                     pipeline=_money(config.pipeline_threshold_minor)))  # fmt: skip
    choices = [potential.RULE, *matrix.POTENTIALS]
    names = {potential.RULE: ui.tr_text("cust.potential.rule"),
             **{p: ui.tr_text(f"cust.potential.{p}") for p in matrix.POTENTIALS}}  # fmt: skip
    current = page["stored_potential"] if page["potential_by_hand"] else potential.RULE
    with st.form(f"cust_potential_{page.id}"):
        choice = st.radio(ui.tr("cust.potential_choice"), choices, format_func=names.get,
                          index=choices.index(current) if current in choices else 0,
                          horizontal=True, key="cust_potential")  # fmt: skip
        if st.form_submit_button(ui.tr("cust.potential_save")):
            try:
                with ui.writing() as session:
                    potential.set_potential(session, ui.viewer(), page.id, choice)
            except CustomerError as error:
                refusal(error)
            else:
                st.success(ui.tr("cust.potential_saved"))
                st.rerun()


# --- the matrix --------------------------------------------------------------------------------


def matrix_grid(region_id: int | None, region_code: str | None, *, key: str = "matrix") -> None:
    """The 2×2 of the customers the viewer sees (of ``region_id``): high potential on top,
    high value on the right; each cell its count, current value, open pipeline, the effort and
    a link to its customers."""
    viewer, today, config = ui.viewer(), ui.as_of(), settings()
    cells = ui.cached(matrix.region_matrix)(viewer, config, today, region_id).set_index("quadrant")
    st.caption(ui.tr("matrix.potential_axis") + " · " + ui.tr("matrix.value_axis"))
    for row in (("develop", "key"), ("low_touch", "maintain")):
        for code, column in zip(row, st.columns(2), strict=True):
            cell = cells.loc[code]
            box = column.container(border=True, key=f"{key}_{code}")
            box.markdown(f"**{ui.tr(f'matrix.q.{code}')}** · {ui.tr(f'matrix.axes.{code}')}")
            left, right = box.columns(2)
            left.metric(ui.tr_text("matrix.customers"), f"{int(cell['customers']):,}")
            right.metric(ui.tr_text("matrix.value"), _money(cell["value_minor"]))
            box.caption(f"{ui.tr_text('matrix.pipeline')}: {_money(cell['pipeline_minor'])}")
            box.caption(f"{ui.tr_text('matrix.effort')}: {ui.tr_text(f'matrix.effort.{code}')}")
            box.page_link("pages/customer_list.py", label=ui.tr("matrix.drill"),
                          icon=":material/arrow_forward:",
                          query_params={"quadrant": code, **({"region": region_code}
                                                             if region_code else {})})  # fmt: skip


def matrix_page() -> None:
    """The matrix page: region choice (in the URL), the grid, admins' settings."""
    config = settings()
    st.caption(ui.tr("matrix.caption", months=config.window_months,
                     value=_money(config.value_threshold_minor)))  # fmt: skip
    region_id = _option_choice(st, "region", ui.tr("cust.region"), "region",
                               ui.tr_text("matrix.all_regions"))  # fmt: skip
    matrix_grid(region_id, st.query_params.get("region") if region_id is not None else None)
    if ui.viewer().is_admin:
        settings_form(config)


def settings_form(config) -> None:
    """Admins: the matrix thresholds and windows (validated, audited)."""
    types = _type_names()
    with st.expander(ui.tr("matrix.settings")), st.form("matrix_settings"):
        window = st.number_input(
            ui.tr("matrix.set.window"), 1, 60, config.window_months, key="ms_window"
        )
        value = st.number_input(
            ui.tr("matrix.set.value"),
            0,
            10**13,
            config.value_threshold_minor // 100,
            step=10_000,
            key="ms_value",
        )
        pipeline = st.number_input(
            ui.tr("matrix.set.pipeline"),
            0,
            10**13,
            config.pipeline_threshold_minor // 100,
            step=10_000,
            key="ms_pipe",
        )
        high = st.multiselect(
            ui.tr("matrix.set.types"),
            list(types),
            format_func=types.get,
            default=[t for t in config.high_potential_types if t in types],
            placeholder=ui.tr_text("matrix.set.none"),
            key="ms_types",
        )
        months = st.number_input(
            ui.tr("matrix.set.repurchase"), 1, 60, config.repurchase_months, key="ms_repurchase"
        )
        if st.form_submit_button(ui.tr("matrix.set.save")):
            values = {
                "window_months": int(window),
                "value_threshold_minor": int(value) * 100,
                "pipeline_threshold_minor": int(pipeline) * 100,
                "high_potential_types": list(high),
                "repurchase_months": int(months),
            }
            try:
                with ui.writing() as session:
                    save_settings(session, ui.viewer(), values)
            except CustomerError as error:
                refusal(error)
            else:
                st.success(ui.tr("matrix.set.saved"))
                st.rerun()  # fmt: skip


# --- the region page --------------------------------------------------------------------------


def region_page() -> None:
    """One region (``?code=``) the viewer may see: goal, funnel, matrix, reps."""
    viewer, today = ui.viewer(), ui.as_of()
    regions = ui.cached(region.regions_in_sight)(viewer)
    if regions.empty:
        st.title(ui.tr("region.nav"))
        st.info(ui.tr("region.none"))
        return
    lang = ui.lang()
    names = dict(zip(regions["code"], regions[f"name_{lang}"], strict=True))
    title = st.empty()  # above the region choice, named after it
    code = ui.url_select("code", ui.tr("region.pick"), list(names), list(names)[0], names.get)
    row = regions[regions["code"] == code].iloc[0]
    region_id = int(row["id"])
    title.title(ui.tr("region.title", name=names[code]))
    period = ui.period_picker("period", default_kind="quarter")
    goal = ui.cached(region.region_goal)(viewer, region_id, period, today)
    st.subheader(ui.tr("region.goal"))
    if goal.target is None:
        st.info(ui.tr("region.no_goal"))
    else:
        a, b, c = st.columns(3)
        a.metric(ui.tr_text("region.target"), _money(goal.target))
        b.metric(ui.tr_text("region.actual"), _money(goal.actual))
        c.metric(ui.tr_text("region.attainment"), format_percent(goal.attainment))
    st.subheader(ui.tr("region.funnel"))
    funnel = ui.cached(region.region_funnel)(viewer, region_id, period)
    ui.plotly_chart(funnel_chart(funnel, lang), key="region_funnel")
    st.subheader(ui.tr("region.matrix"))
    matrix_grid(region_id, code, key="region_matrix")
    st.subheader(ui.tr("region.reps"))
    reps = ui.cached(region.region_reps)(viewer, region_id, period, today)
    if reps.empty:
        st.info(ui.tr("region.no_reps"))
        return
    table = pd.DataFrame({
        "rep": reps["name"], "team": reps["team"],
        "target": [_money(v) if v == v else "—" for v in reps["target"]],
        "actual": [_money(v) if v == v else "—" for v in reps["actual"]],
        "attainment": [format_percent(v if v == v else None) for v in reps["attainment"]],
        "won": reps["won"], "visits": reps["visits"],
    })  # fmt: skip
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={c: ui.tr_text(f"region.col.{c}") for c in table.columns},
    )
