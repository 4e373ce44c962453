"""What can be imported: one ``KindSpec`` per kind of row the store holds, with its fields
(type, required, header synonyms in Chinese and English), its business key and who may
import it. Validation and writing read these specs; nothing here touches the store. The
words a header or a choice cell may be written with live in ``vocabulary``.

Field types:

| type | cell | value after validation |
|---|---|---|
| text | any text (normalised: width, spaces) | str |
| amount | 85万, ¥850,000, 850000 (a 万元 header scales bare numbers) | int, minor units (分) |
| date | Excel dates and serials, 2024-05-10, 2024/5/10, 2024年5月10日 | date |
| int | 45, 45.0 | int |
| bool | 是/否, Y/N, ✓ | bool |
| choice | a code or any of its zh/en spellings | the code |
| ref | a name looked up in the store (stage, user, customer …) | the id |
| period | 2026-10, 2026Q4, 2026 | the period label |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from salesboard.importing.vocabulary import SYNONYMS
from salesboard.store.models import Role


@dataclass(frozen=True)
class FieldSpec:
    """One importable field: ``name`` (also its i18n key ``import.field.<name>``), ``type``
    (see the module docstring), ``concept`` (key of ``SYNONYMS``), and for refs the lookup
    (stage, user, customer, region, team, product_line, opportunity)."""

    name: str
    type: str
    concept: str
    required: bool = False
    ref: str = ""
    choices: str = ""  # key of CHOICES
    open_choice: bool = False  # a value outside CHOICES is kept (customer types are free)
    max_length: int | None = None
    nonnegative: bool = False
    per_deal: bool = False  # an amount of one deal: at most SALESBOARD_MAX_DEAL_AMOUNT
    example_zh: object = None
    example_en: object = None

    def synonyms(self) -> tuple[str, ...]:
        """Every header spelling of this field, Chinese first."""
        zh, en = SYNONYMS[self.concept]
        return (*zh, *en)

    def header(self, lang: str) -> str:
        """The header a blank template uses for this field in ``lang``."""
        zh, en = SYNONYMS[self.concept]
        return zh[0] if lang == "zh" else en[0]


@dataclass(frozen=True)
class KindSpec:
    """One kind of import: its fields, business key (field names) and the roles allowed."""

    name: str
    entity: str  # the table written
    fields: tuple[FieldSpec, ...]
    key: tuple[str, ...]
    roles: frozenset[str]
    notes: tuple[str, ...] = ()  # i18n keys of extra notes for the template's notes sheet
    extra: Mapping[str, object] = field(default_factory=dict)
    # (earlier, later) date fields: a row giving both must not have the later one first.
    date_order: tuple[tuple[str, str], ...] = ()
    # Ref fields whose unknown names ``create_missing`` creates (regions and product lines by
    # an admin only; an opportunity's customers by whoever imports it).
    creatable: tuple[str, ...] = ()

    def field(self, name: str) -> FieldSpec:
        """The field called ``name`` (KeyError if the kind has none)."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the fields every row must fill."""
        return tuple(f.name for f in self.fields if f.required)


def _f(name: str, type_: str, concept: str | None = None, **kwargs) -> FieldSpec:
    """A field; an example that reads the same in both languages (a date, a code, a number)
    is given once, as ``example_zh``."""
    kwargs.setdefault("example_en", kwargs.get("example_zh"))
    return FieldSpec(name=name, type=type_, concept=concept or name, **kwargs)


WRITERS = frozenset({Role.REP, Role.MANAGER, Role.ADMIN})

OPPORTUNITIES = KindSpec(
    name="opportunities",
    entity="opportunity",
    key=("code",),
    roles=WRITERS,
    creatable=("customer", "region", "product_line"),
    fields=(
        _f("code", "text", "opportunity_code", required=True, max_length=32,
           example_zh="XS202405001"),
        _f("customer", "ref", ref="customer", required=True, max_length=128,
           example_zh="某科技有限公司", example_en="Acme Technology Ltd"),
        _f("stage", "ref", ref="stage", required=True, example_zh="需求分析",
           example_en="Needs analysis"),
        _f("owner", "ref", ref="user", required=True, example_zh="张伟", example_en="zhang.wei"),
        _f("amount", "amount", required=True, nonnegative=True, per_deal=True, example_zh="85万",
           example_en=850000),
        _f("product_line", "ref", ref="product_line", required=True, example_zh="智能制造",
           example_en="Smart manufacturing"),
        _f("opportunity_name", "text", max_length=200, example_zh="某科技MES项目",
           example_en="Acme MES project"),
        _f("region", "ref", ref="region", example_zh="华东", example_en="East China"),
        _f("team", "ref", ref="team"),
        _f("source", "text", max_length=32, example_zh="展会", example_en="exhibition"),
        _f("created_on", "date", example_zh="2024-05-06"),
        _f("stage_entered_on", "date", example_zh="2024-05-08"),
        _f("status", "choice", choices="status", example_zh="进行中", example_en="open"),
        _f("expected_close_on", "date", example_zh="2024-07-31"),
        _f("won_on", "date"),
        _f("lost_on", "date"),
        _f("lost_stage", "ref", ref="stage"),
        _f("lost_reason", "text", max_length=200),
        _f("risk_flag", "text", max_length=64, example_zh="延迟(客户原因)",
           example_en="delayed (customer)"),
        _f("next_step", "text", max_length=200, example_zh="3日内完成初步方案框架",
           example_en="Draft the proposal outline within 3 days"),
    ),
    notes=("import.note.opportunities", "import.note.stage_dates"),
    date_order=(("created_on", "expected_close_on"),),
)  # fmt: skip

KEY_ACTIONS = KindSpec(
    name="key_actions",
    entity="key_action",
    key=("opportunity", "stage", "action"),
    roles=WRITERS,
    fields=(
        _f("opportunity", "ref", "opportunity_code", ref="opportunity", required=True,
           example_zh="XS202405001"),
        _f("customer", "text", max_length=128, example_zh="某科技有限公司",
           example_en="Acme Technology Ltd"),
        _f("stage", "ref", ref="stage", required=True, example_zh="需求分析",
           example_en="Needs analysis"),
        _f("action", "text", required=True, max_length=200,
           example_zh="完成客户痛点访谈并输出报告", example_en="Pain-point interviews, report"),
        _f("planned_on", "date", required=True, example_zh="2024-05-10"),
        _f("done_on", "date", example_zh="2024-05-09"),
        _f("deliverable", "text", max_length=200, example_zh="《客户痛点访谈记录》",
           example_en="Interview notes"),
        _f("customer_feedback", "text", max_length=500, example_zh="希望方案包含定制化功能",
           example_en="Wants custom features"),
        _f("owner", "ref", ref="user", example_zh="张伟", example_en="zhang.wei"),
        _f("risk_flag", "text", max_length=64, example_zh="延迟(客户原因)",
           example_en="delayed (customer)"),
    ),
    notes=("import.note.key_actions",),
)  # fmt: skip

# Seed table 1 with the deal's own columns: one row per opportunity x key action; the rows
# of one code are one deal (``resolve_tracking``).
TRACKING = KindSpec(
    name="tracking",
    entity="opportunity",
    key=("code", "stage", "action"),
    roles=WRITERS,
    creatable=("customer", "region", "product_line"),
    fields=(
        *(OPPORTUNITIES.field(name) for name in ("code", "customer", "stage")),
        replace(OPPORTUNITIES.field("owner"), required=False),  # a key action: the deal's
        *(KEY_ACTIONS.field(name) for name in ("action", "planned_on", "done_on", "deliverable",
                                               "customer_feedback", "risk_flag")),
        replace(OPPORTUNITIES.field("amount"), required=False),
        OPPORTUNITIES.field("created_on"),
        replace(OPPORTUNITIES.field("product_line"), required=False),
        OPPORTUNITIES.field("opportunity_name"),
    ),
    notes=("import.note.tracking",),
)  # fmt: skip

VISITS = KindSpec(
    name="visits",
    entity="visit",
    key=("customer", "rep", "visited_on"),
    roles=WRITERS,
    fields=(
        _f("customer", "ref", ref="customer", required=True, example_zh="某科技有限公司",
           example_en="Acme Technology Ltd"),
        _f("rep", "ref", "visitor", ref="user", required=True, example_zh="张伟",
           example_en="zhang.wei"),
        _f("visited_on", "date", required=True, example_zh="2024-05-08"),
        _f("opportunity", "ref", "opportunity_code", ref="opportunity", example_zh="XS202405001"),
        _f("region", "ref", ref="region"),
        _f("minutes", "int", nonnegative=True, example_zh=45),
        _f("with_decision_maker", "bool", example_zh="是", example_en="yes"),
        _f("need_obtained", "bool", example_zh="是", example_en="yes"),
        _f("goal", "text", "visit_goal", max_length=200, example_zh="方案演示",
           example_en="Demo"),
        _f("commitment", "text", max_length=200, example_zh="安排技术交流",
           example_en="Schedules a technical session"),
    ),
    notes=("import.note.visits",),
)  # fmt: skip

COLLECTIONS = KindSpec(
    name="collections",
    entity="collection",
    key=("opportunity", "due_on"),
    roles=frozenset({Role.MANAGER, Role.ADMIN}),
    fields=(
        _f("opportunity", "ref", "opportunity_code", ref="opportunity", required=True,
           example_zh="XS202405001"),
        _f("due_on", "date", required=True, example_zh="2024-08-31"),
        _f("due_amount", "amount", required=True, nonnegative=True, per_deal=True,
           example_zh="42.5万",
           example_en=425000),
        _f("collected_on", "date", example_zh="2024-09-05"),
        _f("collected_amount", "amount", nonnegative=True, per_deal=True, example_zh="42.5万",
           example_en=425000),
    ),
)  # fmt: skip

GOALS = KindSpec(
    name="goals",
    entity="goal",
    key=("period", "metric", "scope", "product_line", "region", "team", "rep"),
    roles=frozenset({Role.LEADER, Role.ADMIN}),
    fields=(
        _f("period", "period", required=True, example_zh="2026Q4"),
        _f("target", "amount", required=True, nonnegative=True, example_zh="1000万",
           example_en=10000000),
        _f("metric", "choice", choices="metric", example_zh="销售额", example_en="revenue"),
        _f("scope", "choice", choices="scope", example_zh="公司", example_en="company"),
        _f("product_line", "ref", ref="product_line"),
        _f("region", "ref", ref="region"),
        _f("team", "ref", ref="team"),
        _f("rep", "ref", "goal_rep", ref="user"),
        _f("owner", "ref", "goal_owner", ref="user"),
    ),
    notes=("import.note.goals",),
)  # fmt: skip

CUSTOMERS = KindSpec(
    name="customers",
    entity="customer",
    key=("customer_name", "region"),
    roles=frozenset({Role.ADMIN}),
    creatable=("region",),
    fields=(
        _f("customer_name", "text", required=True, max_length=128,
           example_zh="某科技有限公司", example_en="Acme Technology Ltd"),
        _f("region", "ref", ref="region", required=True, example_zh="华东",
           example_en="East China"),
        _f("industry", "text", max_length=64, example_zh="制造业", example_en="Manufacturing"),
        _f("customer_type", "choice", choices="customer_type", open_choice=True, max_length=32,
           example_zh="企业", example_en="enterprise"),
        _f("potential", "choice", choices="potential", example_zh="高", example_en="high"),
        _f("owner", "ref", "customer_owner", ref="user", example_zh="张伟",
           example_en="zhang.wei"),
        _f("created_on", "date", example_zh="2024-01-15"),
    ),
)  # fmt: skip

USERS = KindSpec(
    name="users",
    entity="user",
    key=("username",),
    roles=frozenset({Role.ADMIN}),
    creatable=("region",),
    fields=(
        # 姓名 alone is enough: a row without a username gets one (``usernames``)
        _f("display_name", "text", required=True, max_length=64, example_zh="张伟",
           example_en="Zhang Wei"),
        _f("username", "text", max_length=64, example_zh="zhang.wei"),
        _f("employee_no", "text", max_length=64, example_zh="A0012"),
        _f("role", "choice", choices="role", example_zh="销售代表", example_en="rep"),
        _f("team", "text", max_length=64, example_zh="华东销售一组",
           example_en="East China team 1"),
        _f("region", "ref", ref="region", example_zh="华东", example_en="East China"),
        _f("email", "text", max_length=128, example_zh="zhang.wei@example.com"),
        _f("active", "bool", example_zh="是", example_en="yes"),
    ),
    notes=("import.note.users",),
)  # fmt: skip

ORGANISATION = KindSpec(
    name="organisation",
    entity="organisation",
    key=("list", "entry_code"),
    roles=frozenset({Role.ADMIN}),
    fields=(
        _f("list", "choice", "org_list", required=True, choices="org_list",
           example_zh="区域", example_en="region"),
        _f("entry_code", "text", "org_code", max_length=32, example_zh="south"),
        _f("name_zh", "text", required=True, max_length=64, example_zh="华南",
           example_en="华南"),
        _f("name_en", "text", max_length=64, example_zh="South China"),
        _f("region", "text", "org_region", max_length=64, example_zh="south"),
        _f("managers", "text", max_length=500, example_zh="li.wei"),
    ),
    notes=("import.note.organisation",),
)  # fmt: skip

# A survey sheet of deal ratings (1–5 at a stage's exit); rating a deal again replaces the
# rating, as on the deal page, so a rating already stored is updated whatever the mode.
RATINGS = KindSpec(
    name="ratings",
    entity="deal_rating",
    key=("opportunity", "stage", "kind"),
    roles=frozenset({Role.MANAGER, Role.ADMIN}),
    fields=(
        _f("opportunity", "ref", "opportunity_code", ref="opportunity", required=True,
           example_zh="XS202405001"),
        _f("stage", "ref", ref="stage", required=True, example_zh="方案制定",
           example_en="Proposal"),
        _f("kind", "choice", "rating_kind", required=True, choices="rating_kind",
           example_zh="沟通满意度", example_en="communication"),
        _f("score", "int", required=True, example_zh=4),
        _f("rated_on", "date", required=True, example_zh="2024-06-20"),
        _f("note", "text", max_length=500, example_zh="客户认可方案",
           example_en="The customer liked the proposal"),
    ),
    notes=("import.note.ratings",),
)  # fmt: skip

KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        OPPORTUNITIES, KEY_ACTIONS, TRACKING, VISITS, COLLECTIONS, RATINGS, GOALS, CUSTOMERS,
        USERS, ORGANISATION,
    )
}  # fmt: skip
MODES = ("insert", "update", "skip")  # insert-only, update existing (upsert), skip existing

# Opportunities may carry the date each stage was entered: one column per stage, headed
# e.g. "需求分析日期" / "Needs analysis date" (``stage_date_field``).
STAGE_DATE_PREFIX = "stage_date."
STAGE_DATE_SUFFIXES_ZH = ("日期", "时间", "进入日期", "开始日期")
STAGE_DATE_PREFIXES_ZH = ("进入",)
STAGE_DATE_SUFFIXES_EN = (" date", " entered", " entered on", " since")
STAGE_DATE_PREFIXES_EN = ("entered ",)


def stage_date_field(stage_code: str) -> str:
    """The field name of the "date this stage was entered" column of ``stage_code``."""
    return STAGE_DATE_PREFIX + stage_code


def stage_date_headers(name_zh: str, name_en: str, code: str) -> tuple[str, ...]:
    """Header spellings of one stage's entry-date column."""
    zh = [name_zh + s for s in STAGE_DATE_SUFFIXES_ZH] + [
        p + name_zh for p in STAGE_DATE_PREFIXES_ZH
    ]
    en = [
        *(name + s for name in (name_en, code) for s in STAGE_DATE_SUFFIXES_EN),
        *(p + name_en for p in STAGE_DATE_PREFIXES_EN),
    ]
    return (*zh, *en)


def allowed_kinds(role: str) -> list[str]:
    """The kinds a user with ``role`` may import, in display order."""
    return [name for name, spec in KINDS.items() if role in spec.roles]
