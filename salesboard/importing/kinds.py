"""What can be imported: one ``KindSpec`` per kind of row the store holds, with its fields
(type, required, header synonyms in Chinese and English), its business key and who may
import it. Validation and writing read these specs; nothing here touches the store.

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

from salesboard.store.models import GoalMetric, GoalScope, OpportunityStatus, Role

# Header spellings per concept (zh, en). Matching ignores case, spaces and width, and a
# trailing "*", "(必填)" or unit in brackets; the first spelling is what blank templates use.
SYNONYMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "opportunity_code": (
        ("商机编号", "商机编码", "商机号", "商机ID", "机会编号", "项目编号", "编号"),
        ("Opportunity ID", "Opportunity code", "Opportunity no", "Opp ID", "Deal ID",
         "Deal code", "Code"),
    ),
    "opportunity_name": (
        ("商机名称", "项目名称", "机会名称", "商机"),
        ("Opportunity name", "Deal name", "Project name", "Opportunity", "Project"),
    ),
    "customer": (
        ("客户名称", "客户", "客户全称", "公司名称", "单位名称"),
        ("Customer", "Customer name", "Account", "Account name", "Company", "Client"),
    ),
    "stage": (
        ("销售阶段", "阶段", "当前阶段", "商机阶段"),
        ("Stage", "Sales stage", "Current stage", "Deal stage"),
    ),
    "owner": (
        ("负责人", "销售负责人", "销售代表", "销售", "业务员", "跟进人", "客户经理", "销售人员"),
        ("Owner", "Rep", "Sales rep", "Salesperson", "Account manager", "Opportunity owner"),
    ),
    "amount": (
        ("金额", "商机金额", "预计金额", "合同金额", "预计成交金额", "项目金额"),
        ("Amount", "Deal amount", "Value", "Deal value", "Deal size", "Expected amount"),
    ),
    "product_line": (("产品线", "产品", "产品类别"), ("Product line", "Product")),
    "region": (
        ("区域", "大区", "地区", "销售区域"),
        ("Region", "Area", "Territory", "Sales region"),
    ),
    "team": (("团队", "销售团队", "小组", "所属团队"), ("Team", "Sales team")),
    "source": (("来源", "线索来源", "商机来源"), ("Source", "Lead source")),
    "created_on": (
        ("创建日期", "创建时间", "立项日期", "录入日期", "建档日期"),
        ("Created on", "Created", "Created date", "Create date", "Open date"),
    ),
    "stage_entered_on": (
        ("进入阶段日期", "阶段开始日期", "阶段日期", "进入当前阶段日期"),
        ("Stage entered on", "Stage entered", "Stage since", "Stage date"),
    ),
    "status": (("状态", "商机状态", "赢单状态"), ("Status", "Deal status")),
    "expected_close_on": (
        ("预计成交日期", "预计签约日期", "预计结单日期", "预计成交时间"),
        ("Expected close", "Expected close date", "Close date"),
    ),
    "won_on": (("赢单日期", "成交日期", "签约日期"), ("Won on", "Won date", "Closed won date")),
    "lost_on": (("输单日期", "丢单日期"), ("Lost on", "Lost date")),
    "lost_stage": (
        ("输单阶段", "流失阶段", "流失节点", "丢单阶段"),
        ("Lost at stage", "Lost stage"),
    ),
    "lost_reason": (("输单原因", "丢单原因", "流失原因"), ("Lost reason", "Loss reason")),
    "risk_flag": (("风险标识", "风险", "风险标记"), ("Risk flag", "Risk")),
    "next_step": (("下一步", "下一步计划", "下一步行动"), ("Next step", "Next steps")),
    "action": (
        ("关键动作", "关键行动", "动作", "行动"),
        ("Key action", "Action", "Activity"),
    ),
    "planned_on": (
        ("计划完成时间", "计划完成日期", "计划日期", "计划时间"),
        ("Planned date", "Planned on", "Plan date", "Due date"),
    ),
    "done_on": (
        ("实际完成时间", "实际完成日期", "完成日期", "实际日期"),
        ("Actual date", "Done on", "Completed on", "Actual completion date", "Done date"),
    ),
    "deliverable": (("交付物", "交付成果"), ("Deliverable", "Deliverables", "Output")),
    "customer_feedback": (("客户反馈", "反馈"), ("Customer feedback", "Feedback")),
    "visitor": (
        ("拜访人", "拜访人员", "销售代表", "负责人", "销售"),
        ("Rep", "Visited by", "Sales rep", "Owner"),
    ),
    "visited_on": (
        ("拜访日期", "拜访时间", "日期"),
        ("Visit date", "Visited on", "Date"),
    ),
    "minutes": (
        ("拜访时长", "时长", "时长分钟", "拜访时长分钟"),
        ("Minutes", "Duration", "Duration min"),
    ),
    "with_decision_maker": (
        ("是否见到决策人", "见到决策人", "决策人"),
        ("Decision maker", "With decision maker", "Met decision maker"),
    ),
    "need_obtained": (
        ("是否获取明确需求", "获取明确需求", "明确需求"),
        ("Need obtained", "Clear need"),
    ),
    "visit_goal": (("拜访目的", "拜访目标", "目的"), ("Visit goal", "Goal", "Purpose")),
    "commitment": (
        ("晋级承诺", "客户承诺", "承诺"),
        ("Commitment", "Advancement commitment", "Next commitment"),
    ),
    "due_on": (
        ("应收日期", "计划回款日期", "应回款日期", "到期日"),
        ("Due date", "Due on"),
    ),
    "due_amount": (
        ("应收金额", "计划回款金额", "应回款金额"),
        ("Amount due", "Due amount"),
    ),
    "collected_on": (
        ("实际回款日期", "回款日期", "到账日期"),
        ("Collected on", "Collection date", "Paid on"),
    ),
    "collected_amount": (
        ("实收金额", "回款金额", "已回款金额", "到账金额"),
        ("Collected amount", "Collected", "Amount collected", "Paid amount"),
    ),
    "period": (
        ("期间", "周期", "考核期", "月份", "季度", "年度"),
        ("Period", "Month", "Quarter", "Year"),
    ),
    "metric": (("指标", "目标指标", "考核指标"), ("Metric", "KPI", "Measure")),
    "scope": (("层级", "目标层级", "范围"), ("Scope", "Level")),
    "goal_rep": (
        ("销售代表", "员工", "姓名", "人员", "个人"),
        ("Rep", "Salesperson", "Employee", "Person"),
    ),
    "goal_owner": (("负责人",), ("Owner",)),
    "target": (
        ("目标", "目标值", "目标金额", "目标额", "销售目标"),
        ("Target", "Goal", "Target value"),
    ),
    "customer_name": (
        ("客户名称", "客户", "客户全称", "公司名称", "单位名称"),
        ("Customer name", "Customer", "Name", "Company", "Account name"),
    ),
    "industry": (("行业", "所属行业"), ("Industry", "Sector")),
    "customer_type": (("客户类型", "类型", "客户类别"), ("Customer type", "Type")),
    "potential": (("潜力", "客户潜力", "潜力等级"), ("Potential",)),
    "customer_owner": (("负责人", "客户经理", "销售代表"), ("Owner", "Account manager")),
    "username": (("用户名", "账号", "登录名", "登录账号"), ("Username", "Login", "User name")),
    "employee_no": (
        ("工号", "员工编号", "员工号", "职工号", "人员编号"),
        ("Employee ID", "Employee no", "Employee number", "Staff ID", "Staff no"),
    ),
    "display_name": (("姓名", "名字", "显示名称"), ("Name", "Display name", "Full name")),
    "email": (("邮箱", "电子邮件", "邮件"), ("Email", "E-mail", "Mail")),
    "role": (("角色", "岗位", "职务"), ("Role", "Position")),
    "active": (("在职", "是否在职", "启用", "是否启用"), ("Active", "Enabled")),
    "org_list": (("类型", "列表", "类别", "组织类型"), ("List", "Type", "Kind")),
    "org_code": (("编码", "代码", "编号"), ("Code",)),
    "name_zh": (("中文名称", "名称", "中文名"), ("Chinese name", "Name (zh)", "Name")),
    "name_en": (("英文名称", "英文名"), ("English name", "Name (en)")),
    "org_region": (("所属区域", "区域", "大区"), ("Region",)),
    "managers": (("团队经理", "经理"), ("Managers", "Manager")),
}  # fmt: skip

# Cell spellings of choice values (matched like headers).
CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "status": {
        OpportunityStatus.OPEN: ("进行中", "跟进中", "开放", "未结束", "open", "in progress",
                                 "active"),
        OpportunityStatus.WON: ("赢单", "成交", "已成交", "签约", "已签约", "won",
                                "closed won"),
        OpportunityStatus.LOST: ("输单", "丢单", "流失", "已输单", "lost", "closed lost"),
    },
    "metric": {
        GoalMetric.REVENUE: ("销售额", "营收", "收入", "业绩", "销售收入", "营业额", "销售",
                             "revenue", "sales"),
        GoalMetric.NEW_CUSTOMERS: ("新客户数", "新客户", "新增客户", "新增客户数",
                                   "new customers"),
        GoalMetric.COLLECTION: ("回款", "回款额", "回款金额", "collection", "collections"),
        GoalMetric.VISITS: ("拜访", "拜访次数", "拜访量", "客户拜访", "visits"),
        GoalMetric.CYCLE_DAYS: ("成交周期", "平均成交周期", "销售周期", "cycle days",
                                "deal cycle", "sales cycle"),
    },
    "scope": {
        GoalScope.COMPANY: ("公司", "全公司", "总目标", "company"),
        GoalScope.PRODUCT_LINE: ("产品线", "product line"),
        GoalScope.REGION: ("区域", "大区", "region"),
        GoalScope.TEAM: ("团队", "小组", "team"),
        GoalScope.REP: ("个人", "销售", "销售代表", "rep", "individual"),
    },
    "customer_type": {
        "enterprise": ("企业", "大客户", "大型企业", "enterprise"),
        "smb": ("中小企业", "中小客户", "smb", "sme"),
        "government": ("政府", "政府机构", "事业单位", "government", "public sector"),
    },
    "potential": {
        "high": ("高", "高潜力", "高潜", "high"),
        "low": ("低", "低潜力", "低潜", "low"),
    },
    "org_list": {
        "region": ("区域", "大区", "地区", "region"),
        "team": ("团队", "销售团队", "小组", "team"),
        "product_line": ("产品线", "产品", "product line", "product_line"),
        "customer_type": ("客户类型", "customer type", "customer_type"),
        "lead_source": ("线索来源", "来源", "lead source", "lead_source", "source"),
    },
    "role": {
        Role.REP: ("销售代表", "销售", "业务员", "销售人员", "销售专员", "客户经理", "业务代表",
                   "销售工程师", "rep", "sales rep", "salesperson", "account manager"),
        Role.MANAGER: ("销售经理", "经理", "主管", "团队经理", "销售主管", "区域经理", "大区经理",
                       "组长", "团队负责人", "manager", "sales manager", "team lead"),
        Role.LEADER: ("领导", "总监", "高管", "销售总监", "销售副总", "副总经理", "总经理",
                      "leader", "director", "executive", "vp"),
        Role.ADMIN: ("管理员", "系统管理员", "admin", "administrator"),
    },
}  # fmt: skip


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

KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        OPPORTUNITIES, KEY_ACTIONS, TRACKING, VISITS, COLLECTIONS, GOALS, CUSTOMERS, USERS,
        ORGANISATION,
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
