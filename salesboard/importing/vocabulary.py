"""The words of the spreadsheets people bring: every spelling of a header (per concept, in
Chinese and English) and of a choice cell (a status, role, metric …), matched ignoring case,
spaces and width. ``kinds`` builds its fields on them."""

from __future__ import annotations

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
    "rating_kind": (
        ("评分类型", "评价类型", "评分项", "评价项", "评价维度", "类型"),
        ("Rating kind", "Rating type", "Kind", "Dimension"),
    ),
    "score": (
        ("评分", "分数", "得分", "评价分数", "满意度评分", "打分"),
        ("Score", "Rating", "Points"),
    ),
    "rated_on": (
        ("评价日期", "评分日期", "调查日期", "日期"),
        ("Rated on", "Rating date", "Survey date", "Date"),
    ),
    "note": (("备注", "说明", "评价说明", "意见"), ("Note", "Notes", "Comment", "Remark")),
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
        GoalMetric.ORDER_VALUE: ("客单价", "平均订单金额", "平均客单价", "order value",
                                 "average order value", "aov"),
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
    "rating_kind": {
        "proposal_match": ("方案匹配度", "方案匹配", "需求匹配度", "方案需求匹配度",
                           "proposal match", "needs match", "proposal/needs match",
                           "proposal_match"),
        "communication": ("沟通满意度", "客户沟通满意度", "沟通", "满意度", "communication",
                          "communication satisfaction", "satisfaction"),
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
