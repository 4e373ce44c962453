"""Strings of the page "what top performers do differently" (issue 16, point 3)."""

STRINGS: dict[str, dict[str, str]] = {
    "top.nav": {"zh": "高绩效行为对比", "en": "Top performers"},
    "top.title": {"zh": "高绩效销售做了什么不同", "en": "What top performers do differently"},
    "top.caption": {
        "zh": "按{by}把销售排序，比较前 25% 与后 25% 在 {period} 的行为。每个行为都是其他页面上的同一个数字。",
        "en": "Reps ranked by {by}; the top and bottom quarters compared on their behaviour in "
        "{period}. Each behaviour is the same figure other pages show.",
    },
    "top.rank_by": {"zh": "排序依据", "en": "Rank by"},
    "top.by.attainment": {"zh": "销售额目标达成率", "en": "sales attainment"},
    "top.by.actual": {"zh": "成交金额", "en": "won amount"},
    "top.by.win_rate": {"zh": "赢单率", "en": "win rate"},
    "top.behaviour": {"zh": "行为", "en": "Behaviour"},
    "top.b.visits_per_week": {"zh": "每周拜访次数", "en": "Visits per week"},
    "top.b.effective_share": {"zh": "有效拜访占比", "en": "Effective visit share"},
    "top.b.action_on_time": {"zh": "关键动作按时完成率", "en": "Key actions on time"},
    "top.b.stage_pace": {"zh": "阶段用时 ÷ 标准", "en": "Stage time ÷ standard"},
    "top.b.proposal_days": {
        "zh": "方案提交周期（工作日）",
        "en": "Proposal turnaround (working days)",
    },
    "top.col.top": {"zh": "前 25%（{n} 人）", "en": "Top quarter ({n})"},
    "top.col.bottom": {"zh": "后 25%（{n} 人）", "en": "Bottom quarter ({n})"},
    "top.col.top_mean": {"zh": "前 25% 平均", "en": "Top mean"},
    "top.col.bottom_mean": {"zh": "后 25% 平均", "en": "Bottom mean"},
    "top.col.ratio": {"zh": "倍数", "en": "Ratio"},
    "top.col.effect": {"zh": "效应量 d", "en": "Effect size d"},
    "top.col.verdict": {"zh": "结论", "en": "Verdict"},
    "top.verdict.clear": {"zh": "差异明显", "en": "clear difference"},
    "top.verdict.moderate": {"zh": "有一定差异", "en": "some difference"},
    "top.verdict.none": {"zh": "两组重叠，看不出差异", "en": "groups overlap: no difference"},
    "top.verdict.thin": {"zh": "人数太少，无法判断", "en": "too few people to tell"},
    "top.finding": {
        "zh": "前 25% 的销售{behaviour}平均为 {top}，后 25% 为 {bottom}（{ratio} 倍，效应量 {effect}）。",
        "en": "Top-quarter reps: {behaviour} {top} on average; bottom quarter {bottom} "
        "({ratio}×, effect size {effect}).",
    },
    "top.findings": {"zh": "发现", "en": "Findings"},
    "top.no_finding": {
        "zh": "没有足以下结论的差异：每组至少需要 {n} 人，且差异要大于组内波动（效应量 ≥ 0.5）。",
        "en": "No difference strong enough to state: each group needs at least {n} people and a "
        "difference larger than the spread within the groups (effect size ≥ 0.5).",
    },
    "top.thin": {
        "zh": "只有 {count} 名销售有{by}数据，每组不足 {n} 人：以下数字仅供参考，不作结论。",
        "en": "Only {count} reps have a {by}, fewer than {n} per group: the numbers below are for "
        "reference, not a finding.",
    },
    "top.method": {"zh": "方法说明", "en": "How this is computed"},
    "top.method_text": {
        "zh": "按所选结果排序后取前 25% 与后 25%（无数据者不计）。效应量 d = 两组均值之差 ÷ 合并标准差；"
        "|d| ≥ 0.8 为差异明显，0.5–0.8 为有一定差异，低于 0.5 视为两组重叠。每组少于 {n} 人不下结论。"
        "阶段用时 ÷ 标准与方案提交周期越低越好。",
        "en": "Reps ranked by the chosen result; the top and bottom quarters (reps without a "
        "value left out). Effect size d = difference of the means ÷ pooled standard deviation; "
        "|d| ≥ 0.8 is a clear difference, 0.5–0.8 some difference, below 0.5 the groups "
        "overlap. No finding from fewer than {n} people per group. Lower stage time ÷ standard "
        "and proposal turnaround are better.",
    },
    "top.scatter": {"zh": "行为与结果", "en": "Behaviour against result"},
    "top.scatter_x": {"zh": "横轴行为", "en": "Behaviour on the x axis"},
    "top.group.top": {"zh": "前 25%", "en": "Top quarter"},
    "top.group.middle": {"zh": "中间", "en": "Middle"},
    "top.group.bottom": {"zh": "后 25%", "en": "Bottom quarter"},
    "top.group": {"zh": "分组", "en": "Group"},
    "top.empty": {"zh": "这一期没有可比较的销售。", "en": "No reps to compare in this period."},
}
