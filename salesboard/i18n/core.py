"""Strings of the app shell, periods, the working calendar and the Overview page."""

STRINGS: dict[str, dict[str, str]] = {
    # --- shell ---
    "app.title": {"zh": "销售过程管控看板", "en": "Salesboard"},
    # Sections are named for what the user finds there (the figures: for whose they are).
    "nav.results_own": {"zh": "我的业绩", "en": "My results"},
    "nav.results_teams": {"zh": "团队业绩", "en": "My teams' results"},
    "nav.results_company": {"zh": "公司业绩", "en": "Company results"},
    "nav.process": {"zh": "销售过程", "en": "Sales process"},
    "nav.data": {"zh": "数据", "en": "Data"},
    "nav.settings": {"zh": "管理设置", "en": "Settings"},
    "error.unexpected": {
        "zh": "出错了，本页未能完整显示。错误编号 {id}：请把它告诉系统管理员，以便在日志中查找原因。",
        "en": "Something went wrong and this page could not be shown in full. Error id {id}: "
        "please pass it on to your administrator, who can look it up in the log.",
    },
    "store.unreachable": {
        "zh": "无法连接数据库。错误编号 {id}：请把它告诉系统管理员。",
        "en": "The database cannot be reached. Error id {id}: please pass it on to your "
        "administrator.",
    },
    "store.not_ready": {
        "zh": "数据库尚未初始化。请先运行：{command}",
        "en": "The database is not set up yet. Run: {command}",
    },
    "store.empty": {
        "zh": "数据库中还没有商机。运行 {command} 生成演示数据，或导入表格。",
        "en": "There are no opportunities yet. Run {command} for demo data, or import a spreadsheet.",
    },
    # --- periods ---
    "period.kind": {"zh": "周期类型", "en": "Period type"},
    "period.month": {"zh": "月", "en": "Month"},
    "period.quarter": {"zh": "季度", "en": "Quarter"},
    "period.year": {"zh": "年", "en": "Year"},
    "period.label": {"zh": "周期", "en": "Period"},
    "period.as_of": {"zh": "截至 {date}", "en": "As of {date}"},
    "calendar.provisional": {
        "zh": "{years} 年的官方节假日安排尚未发布：工作日按规则推算（不含调休）。",
        "en": "The official holiday schedule for {years} is not published yet: working days "
        "follow the rules (no make-up weekends).",
    },
    # --- calendar settings ---
    "calendar.nav": {"zh": "工作日历", "en": "Working calendar"},
    "calendar.title": {"zh": "工作日历设置", "en": "Working calendar"},
    "calendar.caption": {
        "zh": "公共日历：{kind}。公司自定义的休息日 / 额外工作日优先于公共日历，所有阶段时限按此计算。",
        "en": "Public calendar: {kind}. Company days off and extra working days override it; "
        "every stage standard is counted with this calendar.",
    },
    "calendar.kind_CN": {
        "zh": "中国（含法定节假日与调休）",
        "en": "China (public holidays and make-up weekends)",
    },
    "calendar.kind_plain": {"zh": "周一至周五", "en": "Monday to Friday"},
    "calendar.day": {"zh": "日期", "en": "Date"},
    "calendar.is_working": {"zh": "上班", "en": "Working day"},
    "calendar.note": {"zh": "说明", "en": "Note"},
    "calendar.add": {"zh": "新增或修改", "en": "Add or change"},
    "calendar.not_saved": {
        "zh": "未保存：请检查日期与说明（说明最多 200 字）。",
        "en": "Not saved: check the date and the note (200 characters at most).",
    },
    "calendar.save": {"zh": "保存", "en": "Save"},
    "calendar.saved": {"zh": "已保存 {day}", "en": "Saved {day}"},
    "calendar.remove": {"zh": "删除所选日期", "en": "Remove the chosen date"},
    "calendar.removed": {"zh": "已删除 {day}", "en": "Removed {day}"},
    "calendar.none": {"zh": "暂无公司自定义日期。", "en": "No company-specific days yet."},
    "calendar.check": {"zh": "{day}：{state}", "en": "{day}: {state}"},
    "calendar.working": {"zh": "工作日", "en": "working day"},
    "calendar.off": {"zh": "休息日", "en": "day off"},
    # --- overview ---
    "overview.nav": {"zh": "总览", "en": "Overview"},
    "overview.title": {"zh": "销售总览", "en": "Sales overview"},
    "overview.caption": {
        "zh": "{period}：成交、目标达成、在途商机与滞后商机一览。",
        "en": "{period}: won business, goal attainment, open pipeline and overdue deals.",
    },
    "overview.won_amount": {"zh": "成交金额", "en": "Won amount"},
    "overview.goal": {"zh": "目标 {goal}", "en": "Goal {goal}"},
    "overview.no_goal": {"zh": "未设目标", "en": "No goal set"},
    "overview.attainment": {"zh": "目标达成率", "en": "Goal attainment"},
    "overview.elapsed": {"zh": "时间进度 {elapsed}", "en": "{elapsed} of period elapsed"},
    "overview.open_pipeline": {"zh": "在途商机金额", "en": "Open pipeline"},
    "overview.open_count": {"zh": "{count} 个在途商机", "en": "{count} open opportunities"},
    "overview.overdue": {"zh": "滞后商机", "en": "Overdue opportunities"},
    "overview.win_rate": {"zh": "赢单率", "en": "Win rate"},
    "overview.win_rate_help": {
        "zh": "本期成交 ÷（本期成交 + 本期输单），按商机个数计。",
        "en": "Won ÷ (won + lost) among opportunities closed in the period, by count.",
    },
    "overview.vs_previous": {"zh": "较上期", "en": "vs previous"},
    "overview.vs_pace": {"zh": "较时间进度", "en": "vs time elapsed"},
    "overview.trend_title": {
        "zh": "近 12 个月成交金额与目标",
        "en": "Won amount vs goal, last 12 months",
    },
    "overview.pipeline_title": {"zh": "在途商机按阶段", "en": "Open pipeline by stage"},
    "overview.month": {"zh": "月份", "en": "Month"},
    "overview.amount": {"zh": "金额", "en": "Amount"},
    "overview.series_won": {"zh": "成交", "en": "Won"},
    "overview.series_goal": {"zh": "目标", "en": "Goal"},
    "overview.stage": {"zh": "阶段", "en": "Stage"},
    "overview.count": {"zh": "个数", "en": "Count"},
    "overview.deal_count": {"zh": "{count} 个商机", "en": "{count} deals"},
    "overview.no_open": {"zh": "目前没有在途商机", "en": "No open deals at the moment"},
    # --- units ---
    "unit.wan_yuan": {"zh": "万元", "en": "10k CNY"},
}
