"""Strings of the weekly pipeline review, the shared filter bar, the opportunity detail view
and the stage settings page (issue 3)."""

STRINGS: dict[str, dict[str, str]] = {
    # --- filter bar ---
    "filters.as_of": {"zh": "截至日期", "en": "As of"},
    "filters.as_of_help": {
        "zh": "所有时长、滞后与“本周变化”都计算到这一天（默认今天）。",
        "en": "Every duration, overdue clock and weekly change is counted up to this day "
        "(default: today).",
    },
    "filters.kind_week": {"zh": "周", "en": "Week"},
    "filters.kind_month": {"zh": "月", "en": "Month"},
    "filters.kind_quarter": {"zh": "季度", "en": "Quarter"},
    "filters.kind_year": {"zh": "年", "en": "Year"},
    "filters.kind_custom": {"zh": "自定义", "en": "Custom"},
    "filters.range": {"zh": "日期范围", "en": "Date range"},
    "filters.region": {"zh": "区域", "en": "Region"},
    "filters.team": {"zh": "团队", "en": "Team"},
    "filters.rep": {"zh": "销售代表", "en": "Rep"},
    "filters.product": {"zh": "产品线", "en": "Product line"},
    "filters.ctype": {"zh": "客户类型", "en": "Customer type"},
    "filters.source": {"zh": "线索来源", "en": "Lead source"},
    "filters.all": {"zh": "全部", "en": "All"},
    # --- page ---
    "pipeline.nav": {"zh": "销售过程复盘", "en": "Pipeline review"},
    "pipeline.title": {"zh": "每周销售过程复盘", "en": "Weekly pipeline review"},
    "pipeline.caption": {
        "zh": "周期 {period}（{start} 至 {end}）",
        "en": "Period {period} ({start} to {end})",
    },
    "pipeline.tab_funnel": {"zh": "销售漏斗", "en": "Funnel"},
    "pipeline.tab_durations": {"zh": "阶段用时", "en": "Stage durations"},
    "pipeline.tab_overdue": {"zh": "滞后商机", "en": "Overdue deals"},
    "pipeline.tab_changes": {"zh": "本周变化", "en": "This week"},
    "pipeline.tab_risks": {"zh": "共性风险", "en": "Common risks"},
    "pipeline.tab_kpis": {"zh": "阶段指标", "en": "Stage KPIs"},
    "pipeline.scope_all": {"zh": "全部可见商机", "en": "All visible opportunities"},
    "pipeline.as_user": {"zh": "按 {user} 的权限", "en": "as seen by {user}"},
    # --- funnel ---
    "pipeline.mode": {"zh": "漏斗口径", "en": "Funnel basis"},
    "pipeline.mode_cohort": {"zh": "本期新建商机", "en": "Created in period"},
    "pipeline.mode_flow": {"zh": "本期进入各阶段", "en": "Stage entries in period"},
    "pipeline.funnel_empty_cohort": {
        "zh": "{period} 还没有新建商机：这个漏斗跟踪本期新建的商机。"
        "可改看“本期进入各阶段”，或选择更长的周期。",
        "en": "No deals were created in {period} yet: this funnel follows the deals created "
        "in the period. Switch to “Stage entries in period” or pick a longer period.",
    },
    "pipeline.funnel_empty_flow": {
        "zh": "{period} 没有商机进入任何阶段，请选择更长的周期。",
        "en": "No deal entered a stage in {period}. Pick a longer period.",
    },
    "pipeline.mode_help": {
        "zh": "“本期新建商机”：本期创建的商机各自走到了哪一步（转化率是同一批商机的真实转化）。"
        "“本期进入各阶段”：本期内进入每个阶段的商机数（反映各阶段的流量，不是同一批商机）。",
        "en": "Created in period: how far the deals created in the period got (conversion of "
        "the same deals). Stage entries: how many deals entered each stage during the period "
        "(throughput; not the same deals from stage to stage).",
    },
    "pipeline.measure": {"zh": "显示", "en": "Show"},
    "pipeline.measure_count": {"zh": "个数", "en": "Count"},
    "pipeline.measure_amount": {"zh": "金额", "en": "Amount"},
    "pipeline.compare": {"zh": "对比", "en": "Compare with"},
    "pipeline.compare_none": {"zh": "不对比", "en": "No comparison"},
    "pipeline.compare_previous": {"zh": "上一周期", "en": "Previous period"},
    "pipeline.compare_last_year": {"zh": "去年同期", "en": "Same period last year"},
    "pipeline.compare_rest": {"zh": "其余团队/人员", "en": "The rest (not chosen)"},
    "pipeline.first_cohort": {"zh": "本期新建商机", "en": "Deals created"},
    "pipeline.first_flow": {"zh": "本期新进线索阶段", "en": "Entered the first stage"},
    "pipeline.lead_to_won": {"zh": "线索→成交转化率", "en": "Lead → won"},
    "pipeline.lead_to_won_help": {
        "zh": "走到签约阶段的商机 ÷ 第一阶段的商机；与对比对象的差值以百分点显示。",
        "en": "Deals that reached signing ÷ deals in the first stage; the difference to the "
        "comparison is in percentage points.",
    },
    "pipeline.funnel_title_count": {"zh": "销售漏斗（个数）", "en": "Sales funnel (count)"},
    "pipeline.funnel_title_amount": {"zh": "销售漏斗（金额）", "en": "Sales funnel (amount)"},
    "pipeline.series_current": {"zh": "本期", "en": "This period"},
    "pipeline.series_other": {"zh": "对比", "en": "Comparison"},
    "pipeline.lost_title": {"zh": "输单节点（按阶段）", "en": "Where deals were lost"},
    "pipeline.reached": {"zh": "到达数", "en": "Reached"},
    "pipeline.conversion": {"zh": "阶段转化率", "en": "Stage conversion"},
    "pipeline.from_first": {"zh": "累计转化率", "en": "From first stage"},
    "pipeline.other_reached": {"zh": "对比到达数", "en": "Comparison reached"},
    "pipeline.other_conversion": {"zh": "对比转化率", "en": "Comparison conversion"},
    "pipeline.conversion_points": {"zh": "差值", "en": "Difference"},
    "pipeline.drill_title": {"zh": "数字背后的商机", "en": "The deals behind a number"},
    "pipeline.drill_pick": {
        "zh": "选择阶段（也可点击漏斗图）",
        "en": "Choose a stage (or click the funnel)",
    },
    "pipeline.drill_reached": {"zh": "到达「{stage}」", "en": "Reached {stage}"},
    "pipeline.drill_lost": {"zh": "在「{stage}」输单", "en": "Lost in {stage}"},
    "pipeline.drill_caption": {
        "zh": "显示 {shown} 个（金额从高到低，最多 {limit} 个；导出包含全部）。点击编号查看商机详情。",
        "en": "Showing {shown} (largest first, at most {limit}; exports have all). Click a "
        "code to open the deal.",
    },
    # --- shared columns ---
    "pipeline.code": {"zh": "商机编号", "en": "Code"},
    "pipeline.deal": {"zh": "商机名称", "en": "Opportunity"},
    "pipeline.customer": {"zh": "客户名称", "en": "Customer"},
    "pipeline.owner": {"zh": "负责人", "en": "Owner"},
    "pipeline.stage": {"zh": "销售阶段", "en": "Stage"},
    "pipeline.amount": {"zh": "金额", "en": "Amount"},
    "pipeline.amount_yuan": {"zh": "金额(元)", "en": "Amount (CNY)"},
    "pipeline.col_status": {"zh": "状态", "en": "Status"},
    "pipeline.no_deals": {"zh": "没有符合条件的商机。", "en": "No deals match."},
    "pipeline.col_change": {"zh": "变化", "en": "Change"},
    "pipeline.col_detail": {"zh": "明细", "en": "Detail"},
    "pipeline.col_on": {"zh": "日期", "en": "Date"},
    "pipeline.col_from": {"zh": "原值", "en": "From"},
    "pipeline.col_to": {"zh": "新值", "en": "To"},
    "pipeline.col_reason": {"zh": "原因", "en": "Reason"},
    "pipeline.col_quote": {"zh": "客户原话/备注", "en": "What was said"},
    "pipeline.col_risk_flag": {"zh": "风险标识", "en": "Risk flag"},
    "status.open": {"zh": "进行中", "en": "Open"},
    "status.won": {"zh": "已成交", "en": "Won"},
    "status.lost": {"zh": "已输单", "en": "Lost"},
    # --- durations ---
    "pipeline.bottleneck": {
        "zh": "瓶颈阶段：{stage} 平均 {mean} 个工作日，标准 {standard} 天（{ratio} 倍），"
        "{share} 的商机超标准。",
        "en": "Bottleneck: {stage} averages {mean} working days against a standard of "
        "{standard} ({ratio}×); {share} of deals ran over.",
    },
    "pipeline.bottleneck_short": {"zh": "瓶颈", "en": "Bottleneck"},
    "pipeline.no_bottleneck": {
        "zh": "各阶段平均用时都在标准之内。",
        "en": "Every stage's average is within its standard.",
    },
    "pipeline.durations_caption": {
        "zh": "按本期离开该阶段的商机计算（含在该阶段输单的），单位：工作日（扣除周末、法定节假日，含调休）。",
        "en": "Stays that ended in the period (incl. deals lost in the stage), in working "
        "days (weekends and public holidays excluded, make-up workdays counted).",
    },
    "pipeline.box_title": {
        "zh": "各阶段用时分布（箱体：25%–75%，须：10%–90%）",
        "en": "Time per stage (box: 25–75 %, whiskers: 10–90 %)",
    },
    "pipeline.series_stays": {"zh": "阶段用时", "en": "Time in stage"},
    "pipeline.series_standard": {"zh": "时间标准（工作日）", "en": "Standard (working days)"},
    "pipeline.working_days": {"zh": "工作日", "en": "Working days"},
    "pipeline.standard": {"zh": "标准（工作日）", "en": "Standard (working days)"},
    "pipeline.stays": {"zh": "商机数", "en": "Deals"},
    "pipeline.mean": {"zh": "平均（工作日）", "en": "Mean (working days)"},
    "pipeline.median": {"zh": "中位数（工作日）", "en": "Median (working days)"},
    "pipeline.p90": {"zh": "90%分位（工作日）", "en": "90th pct (working days)"},
    "pipeline.over_share": {"zh": "超标准占比", "en": "Over standard"},
    "pipeline.flag": {"zh": "提示", "en": "Flag"},
    "pipeline.trend": {"zh": "月度趋势", "en": "Monthly trend"},
    "pipeline.trend_months": {"zh": "范围", "en": "Range"},
    "pipeline.months": {"zh": "近 {n} 个月", "en": "Last {n} months"},
    "pipeline.relative": {"zh": "显示为标准的倍数", "en": "Show as multiple of the standard"},
    "pipeline.trend_title_days": {
        "zh": "各阶段平均用时（工作日，按离开月份）",
        "en": "Mean working days per stage (by month left)",
    },
    "pipeline.trend_title_relative": {
        "zh": "各阶段平均用时 ÷ 标准（1 = 正好达标）",
        "en": "Mean time ÷ standard per stage (1 = on standard)",
    },
    "pipeline.times_standard": {"zh": "标准的倍数", "en": "× standard"},
    # --- overdue ---
    "pipeline.overdue_rules": {
        "zh": "滞后商机：在当前阶段的工作日超过时间标准；或关键动作计划日期已过仍未完成；或超过阶段的停滞上限"
        "（两个时钟：阶段内用时、距最近一次活动——拜访、关键动作、备注）。按严重程度（超出的工作日）排序。",
        "en": "Overdue: working days in the current stage over its standard; or the key "
        "action's planned date passed without it being done; or idle past the stage's limit "
        "(two clocks: time in stage and time since the last activity — visit, key action, "
        "note). Worst first (working days over).",
    },
    "pipeline.past_as_of": {
        "zh": "截至日期早于今天：时钟计算到该日，但商机的阶段与编辑为当前状态。",
        "en": "The as-of date is in the past: clocks count up to that day, but stages and "
        "edits are as they are now.",
    },
    "pipeline.owner_filter": {"zh": "按负责人筛选", "en": "Filter by owner"},
    "pipeline.overdue_count": {"zh": "滞后商机", "en": "Overdue deals"},
    "pipeline.overdue_amount": {"zh": "滞后金额", "en": "Overdue amount"},
    "pipeline.overdue_amount_help": {
        "zh": "列表中全部滞后商机的金额合计（超过显示上限时见导出）。",
        "en": "Total amount of the overdue deals (see the export when the list is capped).",
    },
    "pipeline.newly_overdue": {"zh": "本周新增滞后", "en": "Newly overdue this week"},
    "pipeline.overdue_shown": {
        "zh": "显示最严重的 {shown} 个，共 {total} 个；导出包含全部。",
        "en": "Showing the worst {shown} of {total}; exports have all.",
    },
    "pipeline.no_overdue": {"zh": "没有滞后商机。", "en": "No overdue deals."},
    "pipeline.read_only": {
        "zh": "你的角色只能查看，不能修改商机。",
        "en": "Your role can view but not change opportunities.",
    },
    "pipeline.key_action": {"zh": "关键动作", "en": "Key action"},
    "pipeline.planned_on": {"zh": "计划完成", "en": "Planned"},
    "pipeline.done_on": {"zh": "实际完成", "en": "Done"},
    "pipeline.deliverable": {"zh": "交付物", "en": "Deliverable"},
    "pipeline.customer_feedback": {"zh": "客户反馈", "en": "Customer feedback"},
    "pipeline.risk_flag": {"zh": "风险标识", "en": "Risk flag"},
    "pipeline.next_step": {"zh": "下一步", "en": "Next step"},
    "pipeline.new_planned_on": {"zh": "新计划日期", "en": "New planned date"},
    "pipeline.new_planned_on_help": {
        "zh": "改期当前关键动作（记录在商机历史中）。",
        "en": "Re-plans the current key action (recorded in the deal's history).",
    },
    "pipeline.comment": {"zh": "评论", "en": "Comment"},
    "pipeline.last_comment": {"zh": "最近评论", "en": "Last comment"},
    "pipeline.severity": {"zh": "滞后工作日", "en": "Working days over"},
    "pipeline.severity_help": {
        "zh": "超出阶段标准、计划日期或停滞上限的工作日，取最大者。",
        "en": "Working days past the stage standard, the planned date or the idle limit, "
        "whichever is most.",
    },
    "pipeline.days_in_stage": {"zh": "阶段内工作日", "en": "Working days in stage"},
    "pipeline.reasons": {"zh": "滞后原因", "en": "Why"},
    "overdue.over_standard": {"zh": "超阶段标准", "en": "over standard"},
    "overdue.action_late": {"zh": "关键动作逾期", "en": "key action late"},
    "overdue.idle": {"zh": "停滞无活动", "en": "idle"},
    "pipeline.save": {"zh": "保存修改", "en": "Save changes"},
    "pipeline.reload": {"zh": "放弃修改并刷新", "en": "Discard and reload"},
    "pipeline.saved": {
        "zh": "已保存 {count} 个商机：{codes}",
        "en": "Saved ({count}): {codes}",
    },
    "pipeline.conflicts": {
        "zh": "未保存（其他人刚修改过，请刷新后重做）：{codes}",
        "en": "Not saved — someone else changed them meanwhile; reload and redo: {codes}",
    },
    "pipeline.denied": {
        "zh": "未保存（你无权修改）：{codes}",
        "en": "Not saved — you may not change: {codes}",
    },
    "pipeline.invalid": {"zh": "{code} 未保存：{reason}", "en": "{code} not saved: {reason}"},
    "pipeline.nothing_changed": {"zh": "没有修改。", "en": "Nothing was changed."},
    "edit.risk_flag_too_long": {
        "zh": "风险标识过长（最多 64 字）",
        "en": "risk flag too long (64 max)",
    },
    "edit.next_step_too_long": {
        "zh": "下一步过长（最多 200 字）",
        "en": "next step too long (200 max)",
    },
    "edit.comment_too_long": {
        "zh": "评论过长（最多 1000 字）",
        "en": "comment too long (1000 max)",
    },
    "edit.planned_in_past": {
        "zh": "新计划日期不能早于今天",
        "en": "the new planned date is in the past",
    },
    "edit.no_open_action": {
        "zh": "当前阶段没有未完成的关键动作可改期",
        "en": "no open key action in the current stage to re-plan",
    },
    "edit.not_open": {"zh": "商机已关闭", "en": "the deal is closed"},
    # --- changes ---
    "pipeline.changes_caption": {
        "zh": "{start} 至 {end}（截至日期前 7 天）",
        "en": "{start} to {end} (the 7 days up to the as-of date)",
    },
    "pipeline.changes_show": {"zh": "只看", "en": "Show only"},
    "pipeline.changes_shown": {
        "zh": "每类显示金额最大的 {shown} 个（{kinds}）；上方计数与金额含全部，导出包含全部明细。",
        "en": "Showing the {shown} biggest deals of each kind ({kinds}); the counts and amounts "
        "above include all, and exports list every change.",
    },
    "pipeline.change_new": {"zh": "新增", "en": "New"},
    "pipeline.change_advanced": {"zh": "推进", "en": "Advanced"},
    "pipeline.change_moved_back": {"zh": "回退", "en": "Moved back"},
    "pipeline.change_slipped": {"zh": "延期", "en": "Slipped"},
    "pipeline.change_won": {"zh": "成交", "en": "Won"},
    "pipeline.change_lost": {"zh": "输单", "en": "Lost"},
    "pipeline.change_newly_overdue": {"zh": "新增滞后", "en": "Newly overdue"},
    "pipeline.change_new_help": {"zh": "本周创建的商机。", "en": "Created this week."},
    "pipeline.change_advanced_help": {
        "zh": "与一周前相比进入了更靠后的阶段（仍在进行中）。",
        "en": "In a later stage than a week ago (still open).",
    },
    "pipeline.change_moved_back_help": {
        "zh": "与一周前相比退回到更靠前的阶段。",
        "en": "In an earlier stage than a week ago.",
    },
    "pipeline.change_slipped_help": {
        "zh": "预计成交日期或关键动作计划日期被推后。",
        "en": "Expected close or a key action's planned date pushed out.",
    },
    "pipeline.change_won_help": {"zh": "本周签约。", "en": "Signed this week."},
    "pipeline.change_lost_help": {"zh": "本周输单。", "en": "Lost this week."},
    "pipeline.change_newly_overdue_help": {
        "zh": "今天滞后、一周前尚未滞后（同一规则）。",
        "en": "Overdue now, not overdue a week ago (same rule).",
    },
    # --- risks ---
    "pipeline.risks_caption": {
        "zh": "在途商机按风险标识分组，并按客户反馈、备注与评论中反复出现的主题归类。"
        "中文没有空格分词，这里用一份公开的关键词词表（见下）做匹配，每个商机每个主题只计一次。",
        "en": "Open deals grouped by risk flag, and by themes recurring in customer feedback, "
        "notes and comments. Chinese has no spaces between words, so themes come from a "
        "published keyword list (below); a deal counts once per theme.",
    },
    "pipeline.flags_title": {"zh": "按风险标识", "en": "By risk flag"},
    "pipeline.themes_title": {"zh": "客户反馈主题", "en": "Feedback themes"},
    "pipeline.no_flags": {
        "zh": "没有标记风险的在途商机。",
        "en": "No open deal carries a risk flag.",
    },
    "pipeline.theme_words": {"zh": "主题关键词表", "en": "Theme keywords"},
    "pipeline.theme_pick": {"zh": "查看主题背后的商机", "en": "Deals behind a theme"},
    "pipeline.theme": {"zh": "反馈主题", "en": "Feedback theme"},
    "pipeline.group": {"zh": "分组", "en": "Grouped by"},
    "pipeline.name": {"zh": "名称", "en": "Name"},
    "pipeline.deals": {"zh": "商机数", "en": "Deals"},
    "theme.price": {"zh": "价格", "en": "Price"},
    "theme.competitor": {"zh": "竞品", "en": "Competitor"},
    "theme.budget": {"zh": "预算", "en": "Budget"},
    "theme.decision": {"zh": "决策链", "en": "Decision chain"},
    "theme.needs": {"zh": "需求不明确", "en": "Unclear needs"},
    "theme.process": {"zh": "流程/审批", "en": "Process / approvals"},
    "theme.delivery": {"zh": "交付周期", "en": "Delivery time"},
    "theme.references": {"zh": "案例/参考", "en": "References"},
    # --- KPIs ---
    "pipeline.kpis_caption": {
        "zh": "绿色：达到阈值；红色：未达到；括号内为（分子/分母）。阈值由管理员在“阶段设置”中配置。",
        "en": "Green meets the threshold, red misses it; (numerator/denominator) in brackets. "
        "Admins set thresholds under Stage settings.",
    },
    "pipeline.kpi_definitions": {"zh": "指标口径", "en": "How the KPIs are computed"},
    "pipeline.threshold": {"zh": "阈值", "en": "Threshold"},
    "pipeline.kpi": {"zh": "指标", "en": "KPI"},
    "pipeline.value": {"zh": "实际", "en": "Actual"},
    "pipeline.status": {"zh": "结果", "en": "Result"},
    "pipeline.numerator": {"zh": "分子", "en": "Numerator"},
    "pipeline.denominator": {"zh": "分母", "en": "Denominator"},
    "kpi.on_time": {"zh": "关键动作按时完成率", "en": "Key actions on time"},
    "kpi.on_time_help": {
        "zh": "本期计划的关键动作中，在计划日期当天或之前完成的比例（方案阶段即“方案提交及时率”）。",
        "en": "Key actions planned in the period done by their planned date (for the proposal "
        "stage: on-time proposal submission).",
    },
    "kpi.pass_rate": {"zh": "阶段通过率", "en": "Pass rate"},
    "kpi.pass_rate_help": {
        "zh": "本期离开该阶段的商机中，推进到后续阶段的比例（在此输单或回退都不算通过；方案阶段即“方案通过率”）。",
        "en": "Deals leaving the stage in the period that moved on to a later stage (lost "
        "there or moved back does not count; for the proposal stage: proposal acceptance).",
    },
    "kpi.within_standard": {"zh": "时间达标率", "en": "Within standard"},
    "kpi.within_standard_help": {
        "zh": "本期离开该阶段的商机中，用时不超过时间标准的比例。",
        "en": "Deals leaving the stage in the period within its time standard.",
    },
    "kpi.satisfaction": {"zh": "客户满意度", "en": "Satisfaction"},
    "kpi.satisfaction_help": {
        "zh": "本期对该阶段的评分（方案匹配度、沟通满意度，1–5 分）的平均分；阈值也是 1–5 分。",
        "en": "Mean of the 1–5 ratings given to the stage in the period (proposal/needs match, "
        "communication satisfaction); its threshold is a 1–5 score too.",
    },
    "pipeline.score": {"zh": "评分（1–5）", "en": "Score (1–5)"},
    "kpi.status_met": {"zh": "达标", "en": "met"},
    "kpi.status_missed": {"zh": "未达标", "en": "missed"},
    "kpi.status_no_threshold": {"zh": "未设阈值", "en": "no threshold"},
    "kpi.status_no_data": {"zh": "无数据", "en": "no data"},
    # --- export ---
    "pipeline.export": {"zh": "导出", "en": "Export"},
    "pipeline.format": {"zh": "格式", "en": "Format"},
    "pipeline.format_xlsx": {
        "zh": "Excel（滞后商机、阶段指标等，每表一页）",
        "en": "Excel (overdue, stage KPIs …, one sheet per table)",
    },
    "pipeline.format_html": {
        "zh": "HTML 报告（整页图表，可打印）",
        "en": "HTML report (whole page, printable)",
    },
    "pipeline.format_csv": {"zh": "CSV（滞后商机表）", "en": "CSV (overdue table)"},
    "pipeline.format_json": {"zh": "JSON（全部数字）", "en": "JSON (every figure)"},
    "pipeline.prepare": {"zh": "生成文件", "en": "Prepare file"},
    "pipeline.preparing": {"zh": "正在计算…", "en": "Computing…"},
    "pipeline.download": {"zh": "下载", "en": "Download"},
    "pipeline.report_title": {
        "zh": "销售过程复盘 {period}（截至 {as_of}）",
        "en": "Pipeline review {period} (as of {as_of})",
    },
    "pipeline.report_funnel": {
        "zh": "本期新建商机 {first} 个，线索→成交转化率 {won}。",
        "en": "{first} deals created in the period; lead → won {won}.",
    },
    "pipeline.report_overdue": {
        "zh": "滞后商机 {count} 个（本周新增 {fresh} 个），金额合计 {amount}。",
        "en": "{count} overdue deals ({fresh} new this week), {amount} in total.",
    },
    "pipeline.sheet_overdue": {"zh": "滞后商机", "en": "Overdue"},
    "pipeline.sheet_kpis": {"zh": "阶段指标", "en": "Stage KPIs"},
    "pipeline.sheet_funnel": {"zh": "销售漏斗", "en": "Funnel"},
    "pipeline.sheet_durations": {"zh": "阶段用时", "en": "Stage durations"},
    "pipeline.sheet_changes": {"zh": "本周变化", "en": "This week"},
    "pipeline.sheet_risks": {"zh": "共性风险", "en": "Risks"},
    # --- opportunity detail ---
    "deal.nav": {"zh": "商机", "en": "Deal"},
    "deals.title": {"zh": "数字背后的商机", "en": "The deals behind the figure"},
    "deals.title_won": {"zh": "{period} 成交的商机", "en": "Deals won in {period}"},
    "deals.title_lost": {"zh": "{period} 输单的商机", "en": "Deals lost in {period}"},
    "deals.title_closed": {
        "zh": "{period} 成交与输单的商机（赢单率的分子与分母）",
        "en": "Deals won or lost in {period} (what the win rate counts)",
    },
    "deals.title_open": {"zh": "当前在途的商机", "en": "Open deals now"},
    "deals.summary": {"zh": "共 {count} 个，合计 {amount}", "en": "{count} deals, {amount} in all"},
    "deals.limited": {
        "zh": "列出金额最大的 {limit} 个；合计包含全部。",
        "en": "The {limit} biggest are listed; the totals cover all of them.",
    },
    "deals.link_won": {"zh": "成交商机", "en": "Deals won"},
    "deals.link_open": {"zh": "在途商机", "en": "Open deals"},
    "deals.link_closed": {"zh": "成交与输单", "en": "Won and lost"},
    "deals.link_lost": {"zh": "输单商机", "en": "Deals lost"},
    "deals.link_overdue": {"zh": "滞后商机", "en": "Overdue deals"},
    "deals.link_goals": {"zh": "目标拆解", "en": "Goals"},
    "deal.title": {"zh": "商机", "en": "Deal"},
    "deal.code": {"zh": "商机编号", "en": "Opportunity code"},
    "deal.enter_code": {
        "zh": "输入商机编号（如 XS202611001），或在复盘页点击编号；也可以打开下面的商机列表。",
        "en": "Enter a code (e.g. XS202611001) or click one on the review page, or open a "
        "list below.",
    },
    "deal.not_found": {
        "zh": "找不到商机 {code}，或你无权查看。",
        "en": "Opportunity {code} not found, or you have no access to it.",
    },
    "deal.status": {"zh": "状态", "en": "Status"},
    "deal.created_on": {"zh": "创建日期", "en": "Created"},
    "deal.stage_entered_on": {"zh": "进入当前阶段", "en": "In current stage since"},
    "deal.expected_close_on": {"zh": "预计成交", "en": "Expected close"},
    "deal.last_activity_on": {"zh": "最近活动", "en": "Last activity"},
    "deal.won_on": {"zh": "成交日期", "en": "Won on"},
    "deal.lost_on": {"zh": "输单", "en": "Lost"},
    "deal.tab_stages": {"zh": "阶段历程", "en": "Stages"},
    "deal.tab_actions": {"zh": "关键动作", "en": "Key actions"},
    "deal.tab_history": {"zh": "变更历史", "en": "History"},
    "deal.entered_on": {"zh": "进入", "en": "Entered"},
    "deal.left_on": {"zh": "离开", "en": "Left"},
    "deal.still_here": {"zh": "（当前阶段）", "en": "(current)"},
    "deal.working_days": {"zh": "工作日", "en": "Working days"},
    "deal.over": {"zh": "超标准（工作日）", "en": "Working days over"},
    "deal.action_stage_zh": {"zh": "阶段", "en": "Stage"},
    "deal.action_stage_en": {"zh": "阶段", "en": "Stage"},
    "deal.action_action": {"zh": "关键动作", "en": "Key action"},
    "deal.action_planned_on": {"zh": "计划完成", "en": "Planned"},
    "deal.action_done_on": {"zh": "实际完成", "en": "Done"},
    "deal.action_deliverable": {"zh": "交付物", "en": "Deliverable"},
    "deal.action_customer_feedback": {"zh": "客户反馈", "en": "Customer feedback"},
    "deal.action_risk_flag": {"zh": "风险标识", "en": "Risk flag"},
    "deal.happened_on": {"zh": "日期", "en": "Date"},
    "deal.event": {"zh": "事件", "en": "Event"},
    "deal.old_value": {"zh": "原值", "en": "From"},
    "deal.new_value": {"zh": "新值", "en": "To"},
    "deal.note": {"zh": "内容", "en": "Note"},
    "deal.actor": {"zh": "操作人", "en": "By"},
    "deal.back": {"zh": "返回销售过程复盘", "en": "Back to the pipeline review"},
    "event.created": {"zh": "创建", "en": "Created"},
    "event.stage": {"zh": "进入阶段", "en": "Entered stage"},
    "event.status": {"zh": "状态变化", "en": "Status"},
    "event.amount": {"zh": "金额变化", "en": "Amount"},
    "event.expected_close": {"zh": "预计成交日期", "en": "Expected close"},
    "event.planned_date": {"zh": "关键动作改期", "en": "Key action re-planned"},
    "event.risk_flag": {"zh": "风险标识", "en": "Risk flag"},
    "event.next_step": {"zh": "下一步", "en": "Next step"},
    "event.comment": {"zh": "评论", "en": "Comment"},
    "event.note": {"zh": "跟进备注", "en": "Note"},
    # --- stage settings ---
    "stages.nav": {"zh": "阶段设置", "en": "Stage settings"},
    "stages.title": {"zh": "销售阶段设置", "en": "Sales stage settings"},
    "stages.caption": {
        "zh": "增删改阶段、排序、时间标准与关键动作；保存前整体校验，所有页面立即按新设置计算。"
        "已有商机使用的阶段不能删除，可以停用或改名。",
        "en": "Add, rename, reorder stages and set standards and key actions; the list is "
        "checked as a whole before saving and every page uses it at once. A stage deals use "
        "cannot be deleted — deactivate or rename it instead.",
    },
    "stages.position": {"zh": "顺序", "en": "Order"},
    "stages.code": {"zh": "代码", "en": "Code"},
    "stages.code_help": {
        "zh": "英文小写字母、数字和下划线；保存后不能修改（链接与阈值引用它）。",
        "en": "Lower-case letters, digits and _; fixed once saved (links and thresholds use it).",
    },
    "stages.name_zh": {"zh": "中文名称", "en": "Name (Chinese)"},
    "stages.name_en": {"zh": "英文名称", "en": "Name (English)"},
    "stages.kind": {"zh": "类型", "en": "Kind"},
    "stages.kind_open": {"zh": "进行中", "en": "open"},
    "stages.kind_won": {"zh": "成交", "en": "won"},
    "stages.kind_lost": {"zh": "输单", "en": "lost"},
    "stages.thresholds_not_saved": {
        "zh": "未保存：每个阈值须在 0 到 100% 之间，或留空。",
        "en": "Not saved: every threshold must be between 0 and 100 %, or empty.",
    },
    "stages.standard_days": {"zh": "时间标准(工作日)", "en": "Standard (working days)"},
    "stages.idle_days": {"zh": "停滞上限(工作日)", "en": "Idle limit (working days)"},
    "stages.days_help": {
        "zh": "在该阶段停留超过此工作日数即为滞后。",
        "en": "A deal in the stage longer than this many working days is overdue.",
    },
    "stages.idle_help": {
        "zh": "超过此工作日数没有任何活动（拜访、关键动作、备注）即为停滞。",
        "en": "No activity (visit, key action, note) for longer than this is idle.",
    },
    "stages.key_actions_zh": {"zh": "关键动作(中文)", "en": "Key actions (Chinese)"},
    "stages.key_actions_en": {"zh": "关键动作(英文)", "en": "Key actions (English)"},
    "stages.list_help": {"zh": "多个用分号分隔。", "en": "Separate several with semicolons."},
    "stages.deliverable_zh": {"zh": "交付物(中文)", "en": "Deliverable (Chinese)"},
    "stages.deliverable_en": {"zh": "交付物(英文)", "en": "Deliverable (English)"},
    "stages.active": {"zh": "启用", "en": "Active"},
    "stages.key_actions_required": {"zh": "关键动作必做", "en": "Key actions required"},
    "stages.key_actions_required_help": {
        "zh": "勾选：关键动作或交付物未完成就推进到下一阶段时，必须填写原因。",
        "en": "Checked: moving a deal on with a key action or deliverable of this stage undone "
        "needs a reason.",
    },
    "stages.usage": {"zh": "已使用", "en": "In use"},
    "stages.usage_help": {
        "zh": "有商机、阶段历史或关键动作引用该阶段；已使用的阶段不能删除。",
        "en": "Deals, stage history or key actions refer to the stage; a stage in use cannot "
        "be deleted.",
    },
    "stages.save": {"zh": "保存阶段", "en": "Save stages"},
    "stages.saved": {
        "zh": "已保存：新增 {created}、修改 {updated}、删除 {deleted}。",
        "en": "Saved: {created} added, {updated} changed, {deleted} deleted.",
    },
    "stages.unchanged": {"zh": "没有修改。", "en": "Nothing was changed."},
    "stages.thresholds": {"zh": "阶段指标阈值", "en": "Stage KPI thresholds"},
    "stages.thresholds_caption": {
        "zh": "百分比；留空表示该阶段不考核此指标。默认：方案提交及时率 ≥ 95%，方案通过率 ≥ 80%（种子文件）。",
        "en": "Percent; empty means the KPI is not judged for that stage. Defaults: proposal "
        "on-time submission ≥ 95 %, proposal acceptance ≥ 80 % (seed document).",
    },
    "stages.save_thresholds": {"zh": "保存阈值", "en": "Save thresholds"},
    "stages.thresholds_saved": {"zh": "阈值已保存。", "en": "Thresholds saved."},
    "stages.problem_in_use": {
        "zh": "阶段 {stage} 已被商机使用，不能删除（可以停用或改名）。",
        "en": "Stage {stage} is used by opportunities and cannot be deleted (deactivate or "
        "rename it).",
    },
    "stages.problem_code_fixed": {
        "zh": "阶段 {stage} 的代码保存后不能修改。",
        "en": "The code of stage {stage} cannot change once saved.",
    },
    "stages.problem_bad_code": {
        "zh": "阶段 {stage}：代码须为英文小写字母开头，只含小写字母、数字、下划线。",
        "en": "Stage {stage}: the code must start with a lower-case letter and contain only "
        "lower-case letters, digits and _.",
    },
    "stages.problem_name_missing": {
        "zh": "阶段 {stage}：中英文名称都要填写。",
        "en": "Stage {stage}: both names (Chinese and English) are needed.",
    },
    "stages.problem_bad_kind": {
        "zh": "阶段 {stage}：类型无效。",
        "en": "Stage {stage}: unknown kind.",
    },
    "stages.problem_bad_standard_days": {
        "zh": "阶段 {stage}：时间标准须为正整数（工作日）。",
        "en": "Stage {stage}: the standard must be a positive whole number of working days.",
    },
    "stages.problem_bad_idle_days": {
        "zh": "阶段 {stage}：停滞上限须为正整数（工作日）。",
        "en": "Stage {stage}: the idle limit must be a positive whole number of working days.",
    },
    "stages.problem_bad_position": {
        "zh": "阶段 {stage}：顺序须为整数。",
        "en": "Stage {stage}: the order must be a whole number.",
    },
    "stages.problem_duplicate_code": {
        "zh": "代码 {stage} 重复。",
        "en": "Code {stage} is used twice.",
    },
    "stages.problem_duplicate_position": {
        "zh": "顺序 {stage} 重复。",
        "en": "Order {stage} is used twice.",
    },
    "stages.problem_no_open_stage": {
        "zh": "至少需要一个启用的“进行中”阶段。{stage}",
        "en": "At least one active open stage is needed.{stage}",
    },
    "stages.problem_no_won_stage": {
        "zh": "至少需要一个启用的“成交”阶段。{stage}",
        "en": "At least one active won stage is needed.{stage}",
    },
}
