"""Strings of the organisation page and its CLI (regions, teams, product lines, customer
types, lead sources)."""

STRINGS = {
    "org.nav": {"zh": "组织架构", "en": "Organisation"},
    "org.title": {"zh": "组织架构", "en": "Organisation"},
    "org.caption": {
        "zh": "公司的区域、团队（所属区域与经理）、产品线、客户类型、线索来源、输单原因，以及资源协调的部门（成员）和支持类型（响应时限）。编码一经设定不再修改；"
        "已被记录引用的条目只能停用，不会删除。",
        "en": "The company's regions, teams (their region and managers), product lines, "
        "customer types, lead sources, the reasons deals are lost, and for support requests the "
        "departments (their members) and support types (their response standards). A code never changes once set; an entry that "
        "records refer to is retired, never deleted.",
    },
    "org.list": {"zh": "列表", "en": "List"},
    "org.kind.region": {"zh": "区域", "en": "Regions"},
    "org.kind.team": {"zh": "团队", "en": "Teams"},
    "org.kind.product_line": {"zh": "产品线", "en": "Product lines"},
    "org.kind.customer_type": {"zh": "客户类型", "en": "Customer types"},
    "org.kind.lead_source": {"zh": "线索来源", "en": "Lead sources"},
    "org.kind.lost_reason": {"zh": "输单原因", "en": "Lost reasons"},
    "org.col.key": {"zh": "编码", "en": "Code"},
    "org.col.team": {"zh": "团队名称", "en": "Team name"},
    "org.col.name_zh": {"zh": "中文名称", "en": "Chinese name"},
    "org.col.name_en": {"zh": "英文名称", "en": "English name"},
    "org.col.region": {"zh": "所属区域", "en": "Region"},
    "org.col.managers": {"zh": "团队经理", "en": "Managers"},
    "org.col.status": {"zh": "状态", "en": "Status"},
    "org.active": {"zh": "在用", "en": "In use"},
    "org.retired": {"zh": "已停用", "en": "Retired"},
    "org.empty": {
        "zh": "还没有{kind}。用下面的表单添加第一个。",
        "en": "No {kind} yet. Add the first one with the form below.",
    },
    "org.add": {"zh": "添加", "en": "Add"},
    "org.add_title": {"zh": "新增{kind}", "en": "Add to the list: {kind}"},
    "org.code_help": {
        "zh": "小写字母、数字、下划线或连字符，最多 32 位，例如 south、smart_mfg；用于链接和导入，设定后不可修改。",
        "en": "Lower-case letters, digits, _ or -, up to 32, e.g. south, smart_mfg; used in "
        "links and imports, and never changed afterwards.",
    },
    "org.name_en_help": {
        "zh": "可留空：英文界面将显示中文名称。",
        "en": "May stay empty: the English pages then show the Chinese name.",
    },
    "org.added": {"zh": "已添加：{name}", "en": "Added: {name}"},
    "org.edit_title": {"zh": "修改或停用", "en": "Rename or retire"},
    "org.entry": {"zh": "条目", "en": "Entry"},
    "org.in_use": {
        "zh": "在用（停用后不再用于新记录）",
        "en": "In use (a retired entry takes no new records)",
    },
    "org.save": {"zh": "保存修改", "en": "Save changes"},
    "org.saved": {"zh": "已保存：{name}", "en": "Saved: {name}"},
    "org.unchanged": {"zh": "没有改动。", "en": "Nothing changed."},
    "org.no_regions": {
        "zh": "请先添加区域：每个团队属于一个区域。",
        "en": "Add a region first: every team belongs to one.",
    },
    "org.error.unknown_kind": {"zh": "没有“{kind}”这个列表。", "en": "There is no list “{kind}”."},
    "org.error.unknown_entry": {"zh": "找不到“{entry}”。", "en": "“{entry}” was not found."},
    "org.error.bad_code": {
        "zh": "编码“{code}”无效：只能用小写字母、数字、下划线或连字符，最多 32 位。",
        "en": "Code “{code}” is not valid: lower-case letters, digits, _ or -, up to 32.",
    },
    "org.error.code_taken": {"zh": "编码“{code}”已存在。", "en": "Code “{code}” exists already."},
    "org.error.name_missing": {"zh": "请填写中文名称。", "en": "The Chinese name is empty."},
    "org.error.name_too_long": {
        "zh": "名称最多 {limit} 个字符。",
        "en": "A name has at most {limit} characters.",
    },
    "org.error.name_taken": {
        "zh": "已有同名条目“{name}”（全角/半角、空格、大小写不同也算同名）。",
        "en": "“{name}” is there already (full-width/half-width, spaces and case do not make "
        "a different name).",
    },
    "org.error.unknown_region": {
        "zh": "没有在用的区域“{region}”。",
        "en": "There is no region “{region}” in use.",
    },
    "org.error.region_has_teams": {
        "zh": "该区域还有 {count} 个在用的团队，请先停用或移走这些团队。",
        "en": "The region still has {count} team(s) in use: retire or move them first.",
    },
    "org.error.team_has_people": {
        "zh": "该团队还有 {count} 名在职成员，请先调整他们的团队或停用账号。",
        "en": "The team still has {count} active member(s): move them or deactivate their "
        "accounts first.",
    },
    "org.error.not_a_manager": {
        "zh": "“{user}”不是在职的销售经理，不能担任团队经理。",
        "en": "“{user}” is no active manager and cannot lead a team.",
    },
    "org.error.admin_only": {
        "zh": "只有系统管理员可以修改组织架构。",
        "en": "Only an admin may change the organisation.",
    },
    # --- first-run checklist ---
    "setup.title": {"zh": "开始使用：设置你的公司", "en": "Getting started: set up your company"},
    "setup.intro": {
        "zh": "按顺序完成以下几步，总览和复盘页面就会显示你公司的数据。每一步完成后会自动打勾。",
        "en": "Work through these steps in order and the overview and review pages show your "
        "company's figures. Each step ticks itself once it is done.",
    },
    "setup.progress": {
        "zh": "设置进度：已完成 {done}/{total} 步",
        "en": "Setup: {done} of {total} steps done",
    },
    "setup.step.organisation": {"zh": "组织架构", "en": "Organisation"},
    "setup.help.organisation": {
        "zh": "添加区域、团队（及其经理）和产品线。",
        "en": "Add regions, teams (and their managers) and product lines.",
    },
    "setup.step.people": {"zh": "人员", "en": "People"},
    "setup.help.people": {
        "zh": "为销售代表和经理创建账号，或在数据导入页导入花名册。",
        "en": "Create accounts for reps and managers, or import a roster on the upload page.",
    },
    "setup.step.customers": {"zh": "客户", "en": "Customers"},
    "setup.help.customers": {
        "zh": "在数据导入页导入客户清单（可下载空白模板）。",
        "en": "Import the customer list on the upload page (blank templates are there).",
    },
    "setup.step.deals": {"zh": "商机", "en": "Deals"},
    "setup.help.deals": {
        "zh": "导入商机跟踪表：商机、阶段和关键动作。",
        "en": "Import the opportunity tracking table: deals, stages and key actions.",
    },
    "setup.step.goals": {"zh": "目标", "en": "Goals"},
    "setup.help.goals": {
        "zh": "设定公司目标并拆解到产品线、区域、团队和个人。",
        "en": "Set the company goal and split it by product line, region, team and rep.",
    },
    "setup.step.stages": {"zh": "阶段标准", "en": "Stage standards"},
    "setup.help.stages": {
        "zh": "核对各销售阶段的标准时长、关键动作和指标阈值，保存一次即视为已确认。",
        "en": "Check each stage's standard duration, key actions and KPI thresholds; saving "
        "them once marks them reviewed.",
    },
    "setup.open": {"zh": "前往", "en": "Open"},
    "setup.done": {"zh": "已完成", "en": "Done"},
    "setup.todo": {"zh": "待完成", "en": "To do"},
    "setup.demo_hint": {
        "zh": "只想先看看效果？在另一个数据库上运行 {command} 生成演示公司。",
        "en": "Just looking around? Run {command} on another database for the demo company.",
    },
    "setup.waiting": {
        "zh": "Salesboard 正在设置中：还没有商机数据。系统管理员完成组织、人员和商机导入后，这里会显示你的数据。",
        "en": "Salesboard is being set up: there are no deals yet. Your figures appear here once "
        "an administrator has added the organisation, the people and the deals.",
    },
}
