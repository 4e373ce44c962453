"""Strings of the monthly feedback form (业绩跟踪与反馈表) and the manager's team view."""

STRINGS: dict[str, dict[str, str]] = {
    "nav.feedback": {"zh": "月度反馈", "en": "Monthly feedback"},
    "feedback.nav": {"zh": "业绩跟踪与反馈表", "en": "Feedback form"},
    "feedback_team.nav": {"zh": "团队反馈表", "en": "Team feedback"},
    "feedback.title": {"zh": "销售业绩跟踪与反馈表", "en": "Sales performance feedback form"},
    "feedback.rep": {"zh": "销售代表", "en": "Sales rep"},
    "feedback.month": {"zh": "填写周期（月）", "en": "Month"},
    "feedback.not_visible": {
        "zh": "没有可显示的表单。",
        "en": "There is no form to show.",
    },
    "feedback.not_started": {
        "zh": "{rep} 的 {period} 反馈表尚未开始。",
        "en": "{rep} has not started the feedback form for {period} yet.",
    },
    "feedback.start": {
        "zh": "开始填写（按系统数据预填）",
        "en": "Start the form (prefilled from the data)",
    },
    "feedback.start_help": {
        "zh": "目标取自个人目标，实际值取自商机、回款与拜访记录；上月改进事项自动带入。",
        "en": "Targets come from the rep's goals, actuals from opportunities, collections and "
        "visits; last month's improvement items are carried over.",
    },
    # --- header ---
    "feedback.header.period": {"zh": "填写周期", "en": "Period"},
    "feedback.header.team": {"zh": "销售团队", "en": "Team"},
    "feedback.header.manager": {"zh": "销售经理", "en": "Manager"},
    "feedback.header.rep": {"zh": "销售代表", "en": "Sales rep"},
    "feedback.header.filled_on": {"zh": "填表日期", "en": "Filled on"},
    "feedback.header.status": {"zh": "状态", "en": "Status"},
    "feedback.revision": {"zh": "第 {revision} 版", "en": "revision {revision}"},
    "feedback.saved_line": {
        "zh": "每次修改自动保存 · 版本 {version} · 最后保存：{name}，{time}",
        "en": "Every change is saved automatically · version {version} · last saved by {name} at {time}",
    },
    "feedback.status.draft": {"zh": "草稿", "en": "Draft"},
    "feedback.status.submitted": {"zh": "已提交", "en": "Submitted"},
    "feedback.status.confirmed": {"zh": "已确认", "en": "Confirmed"},
    "feedback.status.returned": {"zh": "已退回", "en": "Returned"},
    "feedback.status.not_started": {"zh": "未开始", "en": "Not started"},
    # --- sections ---
    "feedback.section.kpis": {"zh": "业绩指标跟踪表", "en": "KPI tracking"},
    "feedback.section.actions": {
        "zh": "关键动作与客户记录",
        "en": "Key actions & customer records",
    },
    "feedback.section.items": {"zh": "问题分析与改进计划", "en": "Problems & improvement plan"},
    "feedback.section.carried": {"zh": "上月改进事项跟进", "en": "Last month's improvement items"},
    "feedback.section.signoff": {"zh": "反馈与确认", "en": "Feedback & sign-off"},
    "feedback.kpis_caption": {
        "zh": "目标取自个人目标，实际值由系统计算；修改实际值须填写修改原因。加权完成率 {score}；完成率低于 {threshold} 须说明异常原因。",
        "en": "Targets come from the goals, actuals are computed from the data; changing an "
        "actual needs a reason. Weighted completion {score}; below {threshold} a row needs an "
        "anomaly reason.",
    },
    "feedback.caption.actions": {
        "zh": "已按本月完成的关键动作与拜访预填，可增删修改（表格底部可新增行）。",
        "en": "Suggested from this month's completed key actions and visits; add, change or "
        "delete rows (add rows at the bottom of the table).",
    },
    "feedback.caption.items": {
        "zh": "按「人、货、场」分析根本原因；完成时间须在本月之后，检查节点不晚于完成时间。",
        "en": "Root cause by people / product / market; the due date must fall after this "
        "month, the checkpoint on or before it.",
    },
    "feedback.caption.carried": {
        "zh": "请更新上月（及更早未完成）改进事项的状态与进展。",
        "en": "Update the status and progress of last month's (and older open) improvement items.",
    },
    # --- columns ---
    "feedback.col.category": {"zh": "指标类别", "en": "Category"},
    "feedback.col.metric": {"zh": "指标名称", "en": "Metric"},
    "feedback.col.unit": {"zh": "单位", "en": "Unit"},
    "feedback.col.target": {"zh": "目标值", "en": "Target"},
    "feedback.col.prefilled": {"zh": "系统值", "en": "From data"},
    "feedback.col.actual": {"zh": "实际值", "en": "Actual"},
    "feedback.col.completion": {"zh": "完成率", "en": "Completion"},
    "feedback.col.mom": {"zh": "环比", "en": "MoM"},
    "feedback.col.yoy": {"zh": "同比", "en": "YoY"},
    "feedback.col.reason": {"zh": "异常原因说明", "en": "Anomaly reason"},
    "feedback.col.override_reason": {"zh": "修改原因", "en": "Why changed"},
    "feedback.col.flag": {"zh": "标记", "en": "Flag"},
    "feedback.col.edited": {"zh": "✎ 手改", "en": "✎ Edited"},
    "feedback.col.customer": {"zh": "客户/项目名称", "en": "Customer / project"},
    "feedback.col.action": {"zh": "关键动作", "en": "Key action"},
    "feedback.col.date": {"zh": "时间节点", "en": "Date"},
    "feedback.col.progress": {"zh": "当前进展", "en": "Progress"},
    "feedback.col.support": {"zh": "需支持资源", "en": "Support needed"},
    "feedback.col.problem": {"zh": "存在问题", "en": "Problem"},
    "feedback.col.cause_category": {"zh": "原因类别", "en": "Cause category"},
    "feedback.col.cause": {"zh": "根本原因分析", "en": "Root cause"},
    "feedback.col.measure": {"zh": "改进措施", "en": "Measure"},
    "feedback.col.owner": {"zh": "责任人", "en": "Owner"},
    "feedback.col.due_on": {"zh": "完成时间", "en": "Due date"},
    "feedback.col.checkpoint_on": {"zh": "检查节点", "en": "Checkpoint"},
    "feedback.col.status": {"zh": "状态", "en": "Status"},
    "feedback.col.period": {"zh": "提出月份", "en": "Raised in"},
    "feedback.col.note": {"zh": "进展说明", "en": "Progress note"},
    "feedback.help.prefilled": {
        "zh": "系统根据商机、回款、拜访记录计算的值",
        "en": "Computed from opportunities, collections and visits",
    },
    "feedback.help.actual": {
        "zh": "与系统值不同时请在「修改原因」中说明（数据真实性）",
        "en": "If it differs from the data, say why in 'Why changed' (data authenticity)",
    },
    "feedback.help.reason": {
        "zh": "完成率低于阈值时必填，如：大客户A订单延迟交付",
        "en": "Required when completion is below the threshold, e.g. big customer A's delivery slipped",
    },
    "feedback.flag.overridden": {"zh": "✎ 已手工修改", "en": "✎ changed by hand"},
    "feedback.flat": {"zh": "持平", "en": "flat"},
    "feedback.row": {"zh": "第 {row} 行", "en": "row {row}"},
    "feedback.category.result": {"zh": "结果指标", "en": "Result"},
    "feedback.category.process": {"zh": "过程指标", "en": "Process"},
    "feedback.metric.sales": {"zh": "销售额", "en": "Sales"},
    "feedback.metric.collection_rate": {"zh": "回款率", "en": "Collection rate"},
    "feedback.metric.on_time_collection": {"zh": "回款及时率", "en": "On-time collection"},
    "feedback.metric.new_customers": {"zh": "新客户数", "en": "New customers"},
    "feedback.metric.visits": {"zh": "客户拜访量", "en": "Customer visits"},
    "feedback.metric.effective_visits": {"zh": "有效拜访量", "en": "Effective visits"},
    "feedback.metric.lead_conversion": {"zh": "有效线索转化率", "en": "Effective lead conversion"},
    "feedback.metric.proposals": {"zh": "方案提交数", "en": "Proposals submitted"},
    "feedback.metric.key_action_completion": {
        "zh": "关键动作完成率",
        "en": "Key-action completion",
    },
    "feedback.unit.amount": {"zh": "万元", "en": "10k CNY"},
    "feedback.unit.rate": {"zh": "%", "en": "%"},
    "feedback.unit.count": {"zh": "个/次", "en": "count"},
    "feedback.cause.people": {"zh": "人（人员因素）", "en": "People"},
    "feedback.cause.product": {"zh": "货（产品/服务）", "en": "Product / service"},
    "feedback.cause.market": {"zh": "场（市场/客户）", "en": "Market / customer"},
    "feedback.item.not_started": {"zh": "未启动", "en": "Not started"},
    "feedback.item.in_progress": {"zh": "进行中", "en": "In progress"},
    "feedback.item.done": {"zh": "已完成", "en": "Done"},
    # --- problems ---
    "feedback.problem_line": {
        "zh": "{section} · {row}「{field}」：{message}",
        "en": "{section} · {row} '{field}': {message}",
    },
    "feedback.not_saved": {
        "zh": "以下输入未保存（其余内容已保存）：",
        "en": "These entries were not saved (everything else was):",
    },
    "feedback.blocking": {
        "zh": "还不能提交，请先补充或更正：",
        "en": "The form cannot be submitted yet. Please complete or correct:",
    },
    "feedback.problem.not_a_number": {"zh": "须为数字", "en": "must be a number"},
    "feedback.problem.bad_date": {
        "zh": "日期格式应为 YYYY-MM-DD（如 2026-11-10）",
        "en": "a date must look like YYYY-MM-DD (e.g. 2026-11-10)",
    },
    "feedback.problem.bad_choice": {"zh": "请从列表中选择", "en": "choose a value from the list"},
    "feedback.problem.too_long": {
        "zh": "内容过长：最多 {limit} 字，此项未保存",
        "en": "too long: at most {limit} characters; this entry was not saved",
    },
    "feedback.problem.too_many_rows": {
        "zh": "最多 {limit} 行{length}",
        "en": "at most {limit} rows{length}",
    },
    "feedback.problem.required": {"zh": "必填", "en": "required"},
    "feedback.problem.reason_required": {
        "zh": "完成率低于 {threshold}，须说明异常原因",
        "en": "completion is below {threshold}: an anomaly reason is required",
    },
    "feedback.problem.override_reason_required": {
        "zh": "实际值与系统值不同，须说明修改原因",
        "en": "the actual differs from the data: say why it was changed",
    },
    "feedback.problem.due_in_period": {
        "zh": "完成时间须晚于本月末（{end}）",
        "en": "the due date must be after the month ({end})",
    },
    "feedback.problem.checkpoint_after_due": {
        "zh": "检查节点不能晚于完成时间",
        "en": "the checkpoint cannot be after the due date",
    },
    # --- conflict and merge ---
    "feedback.conflict": {
        "zh": "保存被拒绝：这份表单已被 {name} 于 {time} 修改。你的输入保留在下方——请逐项选择后保存合并结果，不会覆盖对方的修改。",
        "en": "Not saved: {name} changed this form at {time}. Your input is kept below — "
        "choose field by field and save the merge; nothing of theirs is overwritten.",
    },
    "feedback.merge.title": {"zh": "合并两个版本", "en": "Merge the two versions"},
    "feedback.merge.theirs": {"zh": "已保存的版本", "en": "Saved version"},
    "feedback.merge.mine": {"zh": "我的输入", "en": "My input"},
    "feedback.merge.take_mine": {"zh": "用我的", "en": "Keep mine"},
    "feedback.merge.take_theirs": {"zh": "用已保存的", "en": "Take saved"},
    "feedback.merge.save": {"zh": "保存合并结果", "en": "Save the merge"},
    "feedback.merge.discard": {"zh": "放弃我的输入", "en": "Discard my input"},
    "feedback.merge.both": {
        "zh": "⚠ 双方都修改了此项，请选择",
        "en": "⚠ both changed this, please choose",
    },
    "feedback.merge.same": {"zh": "两个版本内容相同。", "en": "Both versions are the same."},
    "feedback.reloaded": {
        "zh": "表单已更新为 {name} 于 {time} 保存的版本 {version}。",
        "en": "The form was updated to version {version}, saved by {name} at {time}.",
    },
    "feedback.stale_action": {
        "zh": "操作未执行：表单已被 {name} 于 {time} 修改，请查看最新内容后重试。",
        "en": "Not done: {name} changed the form at {time}. Check the latest version and try again.",
    },
    # --- workflow ---
    "feedback.submit": {"zh": "提交给经理", "en": "Submit to manager"},
    "feedback.submitted_ok": {
        "zh": "已提交，等待经理确认。",
        "en": "Submitted; waiting for the manager.",
    },
    "feedback.review": {"zh": "经理审阅", "en": "Manager review"},
    "feedback.return_comment": {
        "zh": "反馈意见（退回时必填）",
        "en": "Comments (required to return)",
    },
    "feedback.confirm": {"zh": "确认", "en": "Confirm"},
    "feedback.confirmed_ok": {"zh": "已确认，表单已锁定。", "en": "Confirmed; the form is locked."},
    "feedback.return": {"zh": "退回修改", "en": "Return for changes"},
    "feedback.returned_ok": {"zh": "已退回给销售代表。", "en": "Returned to the rep."},
    "feedback.returned_comment": {
        "zh": "{name} 于 {time} 退回了表单：",
        "en": "{name} returned the form at {time}:",
    },
    "feedback.resubmitted": {
        "zh": "已提交 {count} 次（含退回后重新提交）",
        "en": "Submitted {count} times (resubmitted after a return)",
    },
    "feedback.amend": {"zh": "修订（生成新版本）", "en": "Amend (new revision)"},
    "feedback.amend_help": {
        "zh": "已确认的版本保持不变；修订生成新的草稿版本，并显示与已确认版本的差异。",
        "en": "The confirmed revision stays as signed; an amendment is a new draft revision "
        "showing its differences to the confirmed one.",
    },
    "feedback.diff_title": {
        "zh": "与已确认的第 {revision} 版相比：{count} 处修改",
        "en": "Compared with confirmed revision {revision}: {count} changes",
    },
    "feedback.diff.field": {"zh": "字段", "en": "Field"},
    "feedback.diff.before": {"zh": "已确认版本", "en": "Confirmed"},
    "feedback.diff.after": {"zh": "本次修订", "en": "This amendment"},
    "feedback.sign.rep": {
        "zh": "销售代表签字：**{name}**　日期：{time}",
        "en": "Rep signature: **{name}**　date: {time}",
    },
    "feedback.sign.manager": {
        "zh": "销售经理签字：**{name}**　日期：{time}",
        "en": "Manager signature: **{name}**　date: {time}",
    },
    "feedback.no_overrides": {
        "zh": "所有实际值均与系统数据一致。",
        "en": "Every actual matches the data.",
    },
    "feedback.overrides_title": {
        "zh": "数据真实性：{count} 项实际值由销售代表手工修改，请核对：",
        "en": "Data authenticity: the rep changed {count} actuals by hand — please check:",
    },
    "feedback.refresh_info": {
        "zh": "系统数据在预填后有变化。",
        "en": "The data changed since the form was prefilled.",
    },
    "feedback.refresh": {"zh": "用最新数据更新", "en": "Update from the data"},
    "feedback.error.locked": {
        "zh": "表单已提交或已确认，不能再修改。",
        "en": "The form is submitted or confirmed and cannot be changed.",
    },
    "feedback.error.illegal": {
        "zh": "当前状态下不能执行此操作。",
        "en": "This step is not possible in the form's current state.",
    },
    "feedback.error.comment_required": {
        "zh": "退回时请填写反馈意见。",
        "en": "Say what to change when returning a form.",
    },
    "feedback.error.too_long": {"zh": "内容过长，未保存。", "en": "Too long; not saved."},
    "feedback.error.too_large": {
        "zh": "表单内容过大，未保存。",
        "en": "The form is too large; not saved.",
    },
    "feedback.error.invalid": {"zh": "表单尚不完整。", "en": "The form is not complete yet."},
    "feedback.error.not_found": {"zh": "找不到该表单。", "en": "The form was not found."},
    "feedback.error.not_a_rep": {
        "zh": "只有销售代表有反馈表。",
        "en": "Only sales reps have feedback forms.",
    },
    "feedback.error.bad_period": {"zh": "请选择一个月份。", "en": "Choose a month."},
    "feedback.error.permission": {"zh": "你没有权限执行此操作。", "en": "You may not do this."},
    "feedback.download.html": {"zh": "下载打印版（HTML）", "en": "Download printable (HTML)"},
    "feedback.download.xlsx": {"zh": "下载 Excel", "en": "Download Excel"},
    "feedback.download.json": {"zh": "下载 JSON", "en": "Download JSON"},
    # --- report ---
    "feedback.report.title": {
        "zh": "销售团队业绩跟踪与反馈表（月度）",
        "en": "Sales performance tracking and feedback form (monthly)",
    },
    "feedback.report.basic": {"zh": "基本信息", "en": "Basic information"},
    "feedback.report.weighted": {"zh": "加权完成率", "en": "Weighted completion"},
    "feedback.report.overridden": {
        "zh": "［手工修改，系统值 {value}：{reason}］",
        "en": "[changed by hand, data shows {value}: {reason}]",
    },
    "feedback.report.rep_signature": {"zh": "销售代表签字", "en": "Rep signature"},
    "feedback.report.manager_signature": {"zh": "销售经理签字", "en": "Manager signature"},
    # --- team view ---
    "feedback_team.title": {"zh": "团队业绩反馈表", "en": "Team feedback forms"},
    "feedback_team.caption": {
        "zh": "{period} 的反馈表：提交情况、完成率、待提醒人员与改进事项",
        "en": "Feedback forms for {period}: who handed in, completion, reminders and improvement items",
    },
    "feedback_team.tab_forms": {"zh": "表单与提醒", "en": "Forms & reminders"},
    "feedback_team.tab_items": {"zh": "改进事项", "en": "Improvement items"},
    "feedback_team.tab_config": {"zh": "表单指标设置", "en": "Form metrics"},
    "feedback_team.no_reps": {"zh": "没有可查看的销售代表。", "en": "There are no reps to show."},
    "feedback_team.reps": {"zh": "销售代表", "en": "Reps"},
    "feedback_team.handed_in": {"zh": "已提交", "en": "Handed in"},
    "feedback_team.completion": {"zh": "加权完成率", "en": "Weighted completion"},
    "feedback_team.completion_help": {
        "zh": "各表单加权完成率的平均值（按表单指标权重计算）",
        "en": "Mean of the forms' weighted completion (weights from the form metrics)",
    },
    "feedback_team.overrides": {"zh": "手工修改", "en": "Changed by hand"},
    "feedback_team.overrides_help": {
        "zh": "实际值与系统数据不同的指标数（数据真实性）",
        "en": "How many actuals differ from the data (data authenticity)",
    },
    "feedback_team.submitted_at": {"zh": "提交时间", "en": "Submitted at"},
    "feedback_team.open": {"zh": "查看", "en": "Review"},
    "feedback_team.open_text": {"zh": "打开表单", "en": "Open form"},
    "feedback_team.reminders": {"zh": "待提交（{count} 人）", "en": "Not handed in ({count})"},
    "feedback_team.all_in": {"zh": "全部已提交。", "en": "Everyone has handed in."},
    "feedback_team.reminder_hint": {
        "zh": "提醒文字（可复制发送）：",
        "en": "Reminder text to copy and send:",
    },
    "feedback_team.reminder_text": {
        "zh": "{names}：请于本周内完成并提交 {period} 的业绩跟踪与反馈表，谢谢！",
        "en": "{names}: please complete and submit your {period} performance feedback form this week. Thank you!",
    },
    "feedback_team.items": {
        "zh": "未完成的改进事项：{count} 项，其中逾期 {overdue} 项",
        "en": "Open improvement items: {count}, of which {overdue} overdue",
    },
    "feedback_team.no_items": {"zh": "没有未完成的改进事项。", "en": "No open improvement items."},
    "feedback_team.overdue": {"zh": "逾期", "en": "Overdue"},
    "feedback_team.overdue_yes": {"zh": "⚠ 已逾期", "en": "⚠ overdue"},
    # --- metric configuration ---
    "feedback.config.process_low": {
        "zh": "过程指标权重仅占 {share}，建议不低于 40%，以便及时发现「无效努力」。",
        "en": "Process metrics weigh only {share}; at least 40 % is recommended so that "
        "ineffective effort shows early.",
    },
    "feedback.config.no_weights": {
        "zh": "所有显示的指标权重均为 0，无法计算加权完成率。",
        "en": "Every shown metric weighs 0: no weighted completion can be computed.",
    },
    "feedback_config.share": {
        "zh": "过程指标占权重 {share}（显示指标的权重是百分比，合计须为 100%）。",
        "en": "Process metrics carry {share} of the weight (the shown metrics' weights are percentages adding up to 100 %).",
    },
    "feedback_config.direction": {"zh": "方向", "en": "Direction"},
    "feedback_config.direction_higher": {"zh": "越高越好", "en": "Higher is better"},
    "feedback_config.direction_lower": {"zh": "越低越好", "en": "Lower is better"},
    "feedback_config.weight": {"zh": "权重", "en": "Weight"},
    "feedback_config.shown": {"zh": "显示", "en": "Shown"},
    "feedback_config.order": {"zh": "顺序", "en": "Order"},
    "feedback_config.default_target": {"zh": "默认月目标", "en": "Default monthly target"},
    "feedback_config.default_target_help": {
        "zh": "没有个人目标时使用（万元 / % / 个）",
        "en": "Used when the rep has no goal for it (10k CNY / % / count)",
    },
    "feedback_config.threshold": {
        "zh": "完成率低于此值须说明异常原因（%）",
        "en": "Completion below this needs an anomaly reason (%)",
    },
    "feedback_config.save": {"zh": "保存设置", "en": "Save settings"},
    "feedback_config.not_saved": {
        "zh": "未保存：请检查各指标的类别、方向与权重（0–100）。",
        "en": "Not saved: check each metric's category, direction and weight (0–100).",
    },
    "feedback_config.saved": {
        "zh": "已保存。新开始的表单使用新设置。",
        "en": "Saved. Forms started from now on use it.",
    },
}
