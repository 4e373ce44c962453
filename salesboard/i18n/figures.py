"""Strings of the shared figures: what "vs previous period" compares with, what an
attainment counts, and the total beside one branch of a viewer's goals."""

STRINGS: dict[str, dict[str, str]] = {
    "figures.vs_previous_part": {
        "zh": "与{previous}的前 {days} 个工作日（{start} 至 {end}）相比：本期至今同样是 {days} 个工作日。",
        "en": "Compared with the first {days} working days of {previous} ({start} – {end}): "
        "as many working days as this period has had so far.",
    },
    "figures.vs_previous_whole": {
        "zh": "与{previous}全期相比。",
        "en": "Compared with all of {previous}.",
    },
    "figures.vs_previous_none": {
        "zh": "本期尚无工作日，暂无可比数据。",
        "en": "No working day of this period has passed yet: nothing to compare.",
    },
    "figures.attainment_help": {
        "zh": "实际 {actual} ÷ 目标 {target}，按你的 {goals} 个目标计（{elapsed} 时间进度）。",
        "en": "Actual {actual} ÷ target {target} over your {goals} goal(s) ({elapsed} of the "
        "period elapsed).",
    },
    "figures.all_goals": {
        "zh": "你的全部目标（{goals} 个）达成率",
        "en": "All your goals ({goals}): attainment",
    },
    "figures.all_goals_help": {
        "zh": "实际 {actual} ÷ 目标 {target}：与总览、排行榜上的达成率是同一个数。",
        "en": "Actual {actual} ÷ target {target}: the attainment the Overview and the "
        "leaderboard show.",
    },
    "figures.one_branch": {
        "zh": "上方是你 {goals} 个目标中的一个分支；左侧是全部目标合计。",
        "en": "Above is one branch of your {goals} goals; on the left, all of them together.",
    },
    "feedback.metric.key_action_on_time": {"zh": "关键动作按时完成率", "en": "Key actions on time"},
    "feedback.col.weight": {"zh": "权重", "en": "Weight"},
    "feedback.help.weight": {
        "zh": "该指标在加权完成率中的权重（合计 100%）；无目标的指标无法计分，权重为 0，其余按比例分摊。",
        "en": "The metric's share of the weighted completion (adding up to 100%); a metric "
        "without a target cannot be scored and weighs 0, the others share its weight.",
    },
    "kpi.completion": {"zh": "关键动作完成率", "en": "Key-action completion"},
    "kpi.completion_help": {
        "zh": "本期计划的关键动作中，截至统计日已完成的比例（逾期完成也算完成，但不算按时；方案阶段只计“提交方案”）。",
        "en": "Key actions planned in the period that are done by the as-of date, late ones "
        "included (they are done, not on time; for the proposal stage: proposals submitted).",
    },
    "pipeline.flow_note_same_deals": {
        "zh": "柱长是本期进入各阶段的商机数（流量）；转化率按同一批商机计算：本期进入上一阶段的商机中，后来走到本阶段的比例。",
        "en": "Bar length: deals that entered each stage in the period (throughput). "
        "Conversion is of the same deals: of those that entered the previous stage in the "
        "period, the share that went on to reach this one.",
    },
    "pipeline.won_count_cohort": {"zh": "其中已签约", "en": "Of them signed"},
    "pipeline.won_amount_cohort": {"zh": "其中签约金额", "en": "Of them, amount signed"},
    "pipeline.won_count_flow": {"zh": "本期签约个数", "en": "Signed in period"},
    "pipeline.won_amount_flow": {"zh": "本期签约金额", "en": "Amount signed in period"},
    "figures.overdue_help": {
        "zh": "在途商机，以及已签约但交付或回款动作未完成的商机中：超出阶段时间标准、关键动作过了计划日期未完成、或长期无跟进的个数。",
        "en": "Open deals, and signed deals whose delivery or collection is not done yet, "
        "that are over their stage's time standard, past a key action's planned date, or idle.",
    },
    "goals.board.action_completion": {"zh": "关键动作完成率", "en": "Key-action completion"},
}
