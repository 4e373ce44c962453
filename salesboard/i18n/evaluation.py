"""Strings of the scorecard (绩效评估) page, its export and the deal ratings."""

_METRICS = {
    "key_action_completion": ("关键动作完成率", "Key-action completion"),
    "key_action_on_time": ("关键动作按时率", "Key actions on time"),
    "effective_visits": ("有效拜访", "Effective visits"),
    "stage_time": ("阶段用时 vs 标准", "Stage time vs standard"),
    "satisfaction": ("客户满意度", "Customer satisfaction"),
    "revenue": ("销售额达成率", "Revenue attainment"),
    "on_time_collection": ("回款及时率", "On-time collection"),
    "new_customers": ("新客户达成率", "New-customer attainment"),
}
_RULES = {
    "key_action_completion": (
        "完成率即得分（本期应完成的关键动作中已完成的比例，含逾期完成）；无应完成动作则不评分。",
        "The rate is the score (key actions due in the period that are done, late ones "
        "included); nothing due → not rated.",
    ),
    "key_action_on_time": (
        "按时率即得分（按计划日期完成的比例）；无应完成动作则不评分。",
        "The rate is the score (done by the planned date); nothing due → not rated.",
    ),
    "effective_visits": (
        "有效拜访数 ÷ 拜访目标（有拜访目标时），否则 ÷ 每人每周 4 次的基准，封顶 100 分。",
        "Effective visits ÷ the visits goal (when there is one), else ÷ 4 a week per rep; "
        "capped at 100.",
    ),
    "stage_time": (
        "各阶段平均用时 ÷ 时间标准（按停留次数加权）：不超标 = 100 分，超标 x% 扣 x 分（两倍标准 = 0）；本期无阶段结束则不评分。",
        "Mean working days per stage ÷ its standard (weighted by stays): within standard = "
        "100, over by x % loses x points (twice the standard = 0); no stay ended → not rated.",
    ),
    "satisfaction": (
        "1–5 分评分的平均分线性换算：1 分 = 0，5 分 = 100（4.2 → 80，4.5 → 87.5）；无评分则不评分。",
        "The mean 1–5 rating mapped linearly: 1 = 0, 5 = 100 (4.2 → 80, 4.5 → 87.5); no "
        "rating → not rated.",
    ),
    "revenue": (
        "实际 ÷ 目标，封顶 100%（超额不额外加分，以免掩盖其他指标）；无目标则不评分。",
        "Actual ÷ target, capped at 100 % (over-achievement earns nothing extra, so it "
        "cannot hide another metric); no goal → not rated.",
    ),
    "on_time_collection": (
        "本期到期应收中按期收回的金额比例；本期无到期应收则不评分。",
        "Share of the amount due in the period collected by its due date; nothing due → not rated.",
    ),
    "new_customers": (
        "新客户数 ÷ 目标，封顶 100%；无目标则不评分。",
        "New customers ÷ target, capped at 100 %; no goal → not rated.",
    ),
}

STRINGS: dict[str, dict[str, str]] = {
    "score.nav": {"zh": "绩效评估", "en": "Scorecard"},
    "score.title": {"zh": "绩效评估", "en": "Scorecard"},
    "score.level": {"zh": "对象", "en": "Level"},
    "score.level.rep": {"zh": "销售代表", "en": "Reps"},
    "score.level.team": {"zh": "团队", "en": "Teams"},
    "score.person": {"zh": "查看", "en": "Show"},
    "score.group.process": {"zh": "过程指标", "en": "Process"},
    "score.group.result": {"zh": "结果指标", "en": "Result"},
    "score.total": {"zh": "综合得分", "en": "Total score"},
    "score.process": {"zh": "过程得分", "en": "Process score"},
    "score.result": {"zh": "结果得分", "en": "Result score"},
    "score.points_of": {"zh": "满分 {max}", "en": "of {max}"},
    "score.caption": {
        "zh": "{period} · 截至 {date} · 得分 0–100，各指标贡献 = 权重 × 得分。",
        "en": "{period} · as of {date} · scores 0–100; each metric contributes weight × score.",
    },
    "score.saved_with": {
        "zh": "已于 {at} 保存，使用权重 {weights}。",
        "en": "Saved {at} with weights {weights}.",
    },
    "score.live_with": {
        "zh": "按当前权重 {weights} 即时计算（未保存）。",
        "en": "Computed now with the current weights {weights} (not saved).",
    },
    "score.not_rated": {"zh": "不评分", "en": "not rated"},
    "score.redistributed": {
        "zh": "未评分指标的权重（{weight}%）已按比例分配给其余指标。",
        "en": "The weight of the metrics not rated ({weight} %) went to the others in "
        "proportion to their weights.",
    },
    "score.col.group": {"zh": "类别", "en": "Group"},
    "score.col.metric": {"zh": "指标", "en": "Metric"},
    "score.col.actual": {"zh": "实际", "en": "Actual"},
    "score.col.score": {"zh": "得分", "en": "Score"},
    "score.col.weight": {"zh": "权重 %", "en": "Weight %"},
    "score.col.effective_weight": {"zh": "实际权重 %", "en": "Applied weight %"},
    "score.col.contribution": {"zh": "贡献分", "en": "Contribution"},
    "score.col.rule": {"zh": "换算规则", "en": "Rule"},
    "score.col.name": {"zh": "姓名/团队", "en": "Name"},
    "score.col.team": {"zh": "团队", "en": "Team"},
    "score.col.period": {"zh": "期间", "en": "Period"},
    "score.col.weights": {"zh": "权重版本", "en": "Weights"},
    "score.col.saved": {"zh": "已保存", "en": "Saved"},
    "score.waterfall": {"zh": "得分构成", "en": "How the score adds up"},
    "score.distribution": {"zh": "同组分布", "en": "Distribution"},
    "score.distribution_caption": {
        "zh": "可见范围内的全部{level}的综合得分；菱形为 {name}。",
        "en": "Total score of every {level} in sight; the diamond is {name}.",
    },
    "score.trend": {"zh": "近 6 期趋势", "en": "Last 6 periods"},
    "score.show_trend": {"zh": "显示近 6 期趋势", "en": "Show the last 6 periods"},
    "score.trend_caption": {
        "zh": "已保存的期间显示保存的得分，其余按当前权重即时计算。",
        "en": "Saved periods show the saved score; the others are computed now with the "
        "current weights.",
    },
    "score.all": {"zh": "全部得分", "en": "All scores"},
    "score.normalisation": {
        "zh": "各指标如何换算为 0–100 分",
        "en": "How each metric becomes a 0–100 score",
    },
    "score.normalisation_intro": {
        "zh": "每个指标换算为 0–100 分；未评分指标的权重按比例分给其余指标，所以总分始终是满分 100。",
        "en": "Each metric becomes a 0–100 score; a metric not rated passes its weight to the "
        "others in proportion, so a total is always out of 100.",
    },
    "score.save": {"zh": "保存本期得分", "en": "Save this period's scores"},
    "score.recompute": {"zh": "按当前权重重新计算并保存", "en": "Recompute with current weights"},
    "score.save_help": {
        "zh": "为当前可见的全部对象各保存一条新记录；已保存的记录不会被改写。",
        "en": "Saves a new row for everyone shown; rows saved before are never rewritten.",
    },
    "score.saved_notice": {"zh": "已保存 {count} 条得分。", "en": "Saved {count} scores."},
    "score.export": {"zh": "导出 Excel", "en": "Export to Excel"},
    "score.empty": {"zh": "没有可显示的评估对象。", "en": "Nobody to show."},
    "score.weights": {"zh": "评估权重", "en": "Weights"},
    "score.weights_caption": {
        "zh": "当前版本：{weights}，自 {since} 起生效。修改会生成新版本，历史得分保持不变。",
        "en": "Current version: {weights}, valid from {since}. Editing adds a version; "
        "saved scores keep theirs.",
    },
    "score.weights_default": {"zh": "默认（未保存）", "en": "the default (not saved yet)"},
    "score.weights_valid_from": {"zh": "生效日期", "en": "Valid from"},
    "score.weights_note": {"zh": "说明", "en": "Note"},
    "score.weights_save": {"zh": "保存为新版本", "en": "Save as a new version"},
    "score.weights_saved": {"zh": "已保存权重 {weights}。", "en": "Saved weights {weights}."},
    "score.weights_sum": {"zh": "合计 {total}%", "en": "Total {total} %"},
    "score.weights_warning": {
        "zh": "过程指标权重为 {process}%，低于 40%（评估中过程指标应至少占 40%）。",
        "en": "Process metrics weigh {process} %, under 40 % (an evaluation should weigh "
        "process at least 40 %).",
    },
    "score.weights_error_total": {
        "zh": "权重合计须为 100%，当前为 {total}%。",
        "en": "Weights must add up to 100 %, not {total} %.",
    },
    "score.weights_error_metric": {
        "zh": "“{metric}”的权重须在 0–100% 之间。",
        "en": "The weight of “{metric}” must be 0–100 %.",
    },
    "score.weights_versions": {"zh": "历史版本", "en": "Versions"},
    "score.sheet": {"zh": "绩效评估", "en": "Scorecards"},
    "score.sheet_lines": {"zh": "指标明细", "en": "Metrics"},
    "score.report_title": {
        "zh": "绩效评估 {period}（截至 {date}）",
        "en": "Scorecards {period} (as of {date})",
    },
    # --- deal ratings ---
    "work.tab_ratings": {"zh": "评分", "en": "Ratings"},
    "rating.kind.proposal_match": {"zh": "方案匹配度", "en": "Proposal / needs match"},
    "rating.kind.communication": {"zh": "沟通满意度", "en": "Communication satisfaction"},
    "rating.stage": {"zh": "阶段", "en": "Stage"},
    "rating.kind": {"zh": "评分项", "en": "Rating"},
    "rating.score": {"zh": "分数（1–5）", "en": "Score (1–5)"},
    "rating.rated_on": {"zh": "评分日期", "en": "Rated on"},
    "rating.note": {"zh": "备注", "en": "Note"},
    "rating.rated_by": {"zh": "评分人", "en": "Rated by"},
    "rating.none": {"zh": "该商机还没有评分。", "en": "No ratings on this deal yet."},
    "rating.form": {"zh": "阶段结束评分", "en": "Rate a stage exit"},
    "rating.save": {"zh": "保存评分", "en": "Save rating"},
    "rating.saved": {"zh": "评分已保存。", "en": "Rating saved."},
    "rating.pick_stage": {"zh": "选择阶段", "en": "Choose a stage"},
    "rating.help": {
        "zh": "由商机所在团队的经理在阶段结束时评分；同一阶段同一评分项再次评分会覆盖原评分（有审计记录）。",
        "en": "The deal team's manager rates a stage when the deal leaves it; rating the same "
        "stage and item again replaces the rating (audited).",
    },
    "rating.error.score": {"zh": "分数须为 1–5 的整数。", "en": "A rating is a whole number 1–5."},
    "rating.error.kind": {"zh": "未知的评分项。", "en": "Unknown rating item."},
    "rating.error.stage": {"zh": "未知的阶段。", "en": "Unknown stage."},
}
STRINGS.update(
    {f"score.metric.{code}": {"zh": zh, "en": en} for code, (zh, en) in _METRICS.items()}
)
STRINGS.update({f"score.rule.{code}": {"zh": zh, "en": en} for code, (zh, en) in _RULES.items()})
