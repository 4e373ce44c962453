"""Strings of opportunity assessment (机会评估五维度, issue 17): the deal page's assessment
tab, the weekly review's deal-quality tab, the settings on the Stage settings page and the
refusals of an assessment (``deal.error.<code>``)."""

STRINGS: dict[str, dict[str, str]] = {
    "work.tab_assess": {"zh": "机会评估", "en": "Assessment"},
    "event.assessed": {"zh": "机会评估", "en": "Assessment"},
    "deal.error.score_missing": {
        "zh": "请给“{dimension}”打分（1–5）。",
        "en": "Score “{dimension}” (1–5).",
    },
    "deal.error.score_range": {
        "zh": "“{dimension}”的分数须为 1–5 的整数，不能是 {value}。",
        "en": "The score of “{dimension}” must be a whole number 1–5, not {value}.",
    },
    "deal.error.unknown_dimension": {
        "zh": "没有评估维度“{dimension}”。",
        "en": "There is no assessment dimension “{dimension}”.",
    },
    # --- the deal page's tab ---------------------------------------------------------------
    "assess.caption": {
        "zh": "按五个维度给商机打 1–5 分（5 = 最有把握），加权得出综合分；每次评估都保留，"
        "可以看到分数的变化。",
        "en": "Score the deal 1–5 on each dimension (5 = most winnable); the weighted mean is "
        "its score. Every assessment is kept, so the score's history shows.",
    },
    "assess.latest": {
        "zh": "最近评估：{score} 分（{band}）· {day} · {who}",
        "en": "Latest assessment: {score} ({band}) · {day} · {who}",
    },
    "assess.never": {"zh": "这个商机还没有评估过。", "en": "This deal has not been assessed yet."},
    "assess.form": {"zh": "新的评估", "en": "New assessment"},
    "assess.score_of": {
        "zh": "{dimension}（权重 {weight}%）",
        "en": "{dimension} (weight {weight}%)",
    },
    "assess.note_of": {"zh": "{dimension}：依据/说明", "en": "{dimension}: evidence / note"},
    "assess.note": {"zh": "总体说明", "en": "Overall note"},
    "assess.save": {"zh": "保存评估", "en": "Save assessment"},
    "assess.saved": {"zh": "已保存评估：{score} 分。", "en": "Assessment saved: {score}."},
    "assess.history": {"zh": "评估历史", "en": "Assessment history"},
    "assess.when": {"zh": "评估时间", "en": "Assessed"},
    "assess.stage": {"zh": "当时阶段", "en": "Stage then"},
    "assess.score": {"zh": "综合分", "en": "Score"},
    "assess.by": {"zh": "评估人", "en": "By"},
    "assess.dimension": {"zh": "维度", "en": "Dimension"},
    "assess.dim_score": {"zh": "得分", "en": "Score"},
    "assess.dim_note": {"zh": "说明", "en": "Note"},
    "assess.retired": {"zh": "（已停用）", "en": " (retired)"},
    "assess.closed": {
        "zh": "只有进行中的商机可以评估。",
        "en": "Only open deals are assessed.",
    },
    "assess.band.high": {"zh": "高质量", "en": "High"},
    "assess.band.medium": {"zh": "中等", "en": "Medium"},
    "assess.band.low": {"zh": "低质量", "en": "Low"},
    "assess.band.none": {"zh": "未评估", "en": "Not assessed"},
    "assess.rule": {
        "zh": "高质量：综合分 ≥ {high}；低质量：< {low}；其余为中等。",
        "en": "High: score ≥ {high}; low: below {low}; medium in between.",
    },
    # --- the weekly review's tab -----------------------------------------------------------
    "pipeline.tab_quality": {"zh": "商机质量", "en": "Deal quality"},
    "pipeline.quality_caption": {
        "zh": "进行中的商机按最近一次机会评估（五维度）的综合分分档，按当前阶段。",
        "en": "Open deals by the score of their latest assessment (five dimensions), by "
        "current stage.",
    },
    "pipeline.quality_chart": {
        "zh": "各阶段商机质量（个数）",
        "en": "Deal quality by stage (deals)",
    },
    "pipeline.quality_band": {"zh": "质量", "en": "Quality"},
    "pipeline.quality_count": {"zh": "商机数", "en": "Deals"},
    "pipeline.quality_amount": {"zh": "金额", "en": "Amount"},
    "pipeline.flag.low_score_high_amount": {
        "zh": "大额低分：金额 ≥ {amount}，综合分 < {low}（{count} 个）",
        "en": "High amount, low score: amount ≥ {amount}, score below {low} ({count})",
    },
    "pipeline.flag.unassessed": {
        "zh": "已过“{stage}”仍未评估（{count} 个）",
        "en": "Past “{stage}” and never assessed ({count})",
    },
    "pipeline.flag_more": {
        "zh": "列出金额最大的 {limit} 个。",
        "en": "The {limit} largest are listed.",
    },
    "pipeline.col_score": {"zh": "综合分", "en": "Score"},
    "pipeline.col_assessed_at": {"zh": "评估时间", "en": "Assessed"},
    "pipeline.no_quality": {"zh": "没有进行中的商机。", "en": "No open deals."},
    # --- settings (Stage settings page) ---------------------------------------------------
    "assess.settings": {"zh": "机会评估维度", "en": "Assessment dimensions"},
    "assess.settings_caption": {
        "zh": "商机按这些维度打 1–5 分；启用维度的权重合计须为 100%。停用（而不是删除）"
        "一个维度，旧评估仍保留它的名称。",
        "en": "Deals are scored 1–5 on these dimensions; the active dimensions' weights must add "
        "up to 100 %. Retire a dimension (untick active) rather than delete it, so old "
        "assessments keep its name.",
    },
    "assess.code": {"zh": "代码", "en": "Code"},
    "assess.name_zh": {"zh": "中文名称", "en": "Chinese name"},
    "assess.name_en": {"zh": "英文名称", "en": "English name"},
    "assess.hint_zh": {"zh": "5 分的含义（中文）", "en": "What 5 means (Chinese)"},
    "assess.hint_en": {"zh": "5 分的含义（英文）", "en": "What 5 means (English)"},
    "assess.weight": {"zh": "权重 %", "en": "Weight %"},
    "assess.active": {"zh": "启用", "en": "Active"},
    "assess.high_mark": {"zh": "高质量分数线", "en": "High mark"},
    "assess.low_mark": {"zh": "低质量分数线", "en": "Low mark"},
    "assess.high_amount": {"zh": "大额商机金额（元）", "en": "High amount (yuan)"},
    "assess.assess_by": {"zh": "最迟评估阶段", "en": "Assess by stage"},
    "assess.assess_by_help": {
        "zh": "已过此阶段仍未评估的商机会在周例会上列出。",
        "en": "Open deals past this stage without an assessment are listed on the weekly review.",
    },
    "assess.save_settings": {"zh": "保存评估设置", "en": "Save assessment settings"},
    "assess.settings_saved": {"zh": "评估设置已保存。", "en": "Assessment settings saved."},
    "assess.problem.code": {
        "zh": "维度代码须唯一，由字母、数字或下划线组成（最多 32 个字符）。",
        "en": "Dimension codes must be unique letters, digits or underscores (up to 32).",
    },
    "assess.problem.name": {
        "zh": "每个维度都需要中文和英文名称。",
        "en": "Every dimension needs a Chinese and an English name.",
    },
    "assess.problem.weight": {"zh": "权重须在 0–100 之间。", "en": "Weights are 0–100."},
    "assess.problem.weights": {
        "zh": "启用维度的权重合计为 {total}%，须为 100%。",
        "en": "The active dimensions' weights add up to {total} %, not 100 %.",
    },
    "assess.problem.active": {
        "zh": "至少要启用一个维度。",
        "en": "At least one dimension must be active.",
    },
    "assess.problem.marks": {
        "zh": "分数线须满足 1 ≤ 低质量 ≤ 高质量 ≤ 5。",
        "en": "The marks must satisfy 1 ≤ low ≤ high ≤ 5.",
    },
    "assess.problem.high_amount": {
        "zh": "大额商机金额不能为负数。",
        "en": "The high amount cannot be negative.",
    },
    "assess.problem.assess_by": {"zh": "请选择一个阶段。", "en": "Pick a stage."},
}
