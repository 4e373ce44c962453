"""Strings of My work (我的工作台) and the reminders digest."""

STRINGS: dict[str, dict[str, str]] = {
    "nav.work": {"zh": "今日工作", "en": "Today"},
    "work.nav": {"zh": "我的工作台", "en": "My work"},
    "work.title": {"zh": "我的工作台", "en": "My work"},
    "work.title_team": {"zh": "团队工作台", "en": "My team's work"},
    "work.as_of": {
        "zh": "截至 {day} · 本周 {start} 至 {end}",
        "en": "As of {day} · this week {start} to {end}",
    },
    "work.rep": {"zh": "销售代表", "en": "Sales rep"},
    "work.everyone": {"zh": "全部销售代表", "en": "All reps"},
    "work.rep_count": {"zh": "{rep}（{count} 项待办）", "en": "{rep} ({count} to do)"},
    "work.all_clear": {
        "zh": "今天没有待办：没有逾期或本周到期的关键动作、超标准或停滞的商机、计划拜访和待处理的反馈表。",
        "en": "Nothing waiting today: no overdue or due key actions, no deal over its standard "
        "or idle, no planned visit and no feedback form to handle.",
    },
    "work.limited": {
        "zh": "显示前 {shown} 项，共 {total} 项。",
        "en": "Showing the first {shown} of {total}.",
    },
    "work.open_pipeline": {
        "zh": "全部滞后商机见销售过程复盘",
        "en": "Every overdue deal: pipeline review",
    },
    # --- sections ---
    "work.section.overdue_actions": {"zh": "逾期关键动作", "en": "Overdue key actions"},
    "work.section.due_actions": {"zh": "本周到期关键动作", "en": "Key actions due this week"},
    "work.section.stalled": {
        "zh": "超标准或停滞的商机",
        "en": "Deals over their stage standard or idle",
    },
    "work.section.visits_today": {"zh": "今日计划拜访", "en": "Visits planned today"},
    "work.section.visits_week": {"zh": "本周后续计划拜访", "en": "Visits planned later this week"},
    "work.section.forms": {"zh": "待处理的反馈表", "en": "Feedback forms waiting on you"},
    "work.section_count": {"zh": "{title}（{count}）", "en": "{title} ({count})"},
    "work.visit_counts": {
        "zh": "本周拜访：计划中 {planned} 次，已完成 {done} 次。",
        "en": "Visits this week: {planned} planned, {done} done.",
    },
    # --- empty states: what to do ---
    "work.empty.overdue_actions": {
        "zh": "没有逾期的关键动作。完成关键动作后请在商机页记录实际日期。",
        "en": "No overdue key action. Record the actual date on the deal page when you finish one.",
    },
    "work.empty.due_actions": {
        "zh": "本周没有到期的关键动作。请在商机页为当前阶段计划下一步关键动作。",
        "en": "No key action due this week. Plan the next key action of each deal's stage on "
        "its page.",
    },
    "work.empty.stalled": {
        "zh": "所有商机都在阶段时间标准内且近期有跟进。",
        "en": "Every deal is within its stage standard and was worked on recently.",
    },
    "work.empty.visits_today": {
        "zh": "今天没有计划拜访。可在商机或客户页计划拜访。",
        "en": "No visit planned today. Plan visits from a deal or a customer.",
    },
    "work.empty.visits_week": {
        "zh": "本周后续没有计划拜访。",
        "en": "No more visits planned this week.",
    },
    "work.empty.forms": {
        "zh": "没有需要你处理的反馈表。",
        "en": "No feedback form is waiting on you.",
    },
    # --- why a row is listed ---
    "work.why.action_late": {
        "zh": "{what} · 计划 {on} · 逾期 {days} 个工作日",
        "en": "{what} · planned {on} · {days} working days late",
    },
    "work.why.action_due": {"zh": "{what} · 计划 {on}", "en": "{what} · planned {on}"},
    "work.why.over_standard": {
        "zh": "本阶段已 {in_stage} 个工作日（标准 {standard} 个工作日）",
        "en": "{in_stage} working days in stage (standard {standard})",
    },
    "work.why.idle": {"zh": "长时间无跟进", "en": "no activity for too long"},
    "work.why.days_over": {
        "zh": "超出 {days} 个工作日",
        "en": "{days} working days over",
    },
    "work.why.visit_planned": {"zh": "拜访 {on}：{what}", "en": "Visit {on}: {what}"},
    "work.why.visit_no_goal": {"zh": "拜访 {on}", "en": "Visit {on}"},
    "work.no_deal": {"zh": "（未关联商机）", "en": "(no deal)"},
    "work.form.review": {
        "zh": "{rep} 的 {period} 反馈表已提交，待你确认",
        "en": "{rep}'s form for {period} is submitted: confirm or return it",
    },
    "work.form.revise": {
        "zh": "{period} 反馈表被退回，请修改后重新提交",
        "en": "Your form for {period} was returned: revise and resubmit it",
    },
    "work.form.submit": {
        "zh": "{period} 反馈表尚未提交",
        "en": "Your form for {period} is not submitted yet",
    },
    "work.form.start": {
        "zh": "{period} 反馈表尚未开始",
        "en": "Your form for {period} is not started yet",
    },
    "work.form.open": {"zh": "打开反馈表", "en": "Open the form"},
    # --- the digest ---
    "digest.subject": {
        "zh": "Salesboard 每日待办 · {name} · {day}",
        "en": "Salesboard to-do · {name} · {day}",
    },
    "digest.subject_team": {
        "zh": "Salesboard 团队待办 · {name} · {day}",
        "en": "Salesboard team to-do · {name} · {day}",
    },
    "digest.greeting": {"zh": "{name}，你好：", "en": "Hello {name},"},
    "digest.intro": {
        "zh": "以下是截至 {day} 等你处理的事项。",
        "en": "Here is what is waiting on you as of {day}.",
    },
    "digest.intro_team": {
        "zh": "以下是截至 {day} 你的团队等待处理的事项（按销售代表）。",
        "en": "Here is what is waiting on your team as of {day}, by rep.",
    },
    "digest.more": {"zh": "……另有 {count} 项", "en": "… and {count} more"},
    "digest.open": {"zh": "在 Salesboard 中打开：{url}", "en": "Open Salesboard: {url}"},
    "digest.review_pack": {"zh": "本周销售过程复盘", "en": "This week's pipeline review"},
    "digest.review_overdue": {
        "zh": "滞后商机 {count} 个，金额 {amount}；本周新增滞后 {newly} 个",
        "en": "{count} overdue deals worth {amount}; {newly} became overdue this week",
    },
    "digest.review_changes": {
        "zh": "本周商机变化 {count} 条",
        "en": "{count} deal changes this week",
    },
    "digest.review_flags": {"zh": "最常见风险：{flags}", "en": "Most common risks: {flags}"},
    "digest.footer": {
        "zh": "此邮件由 Salesboard 自动发送。",
        "en": "Sent automatically by Salesboard.",
    },
}
