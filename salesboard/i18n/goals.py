"""Strings of the goal pages: the goal tree, decomposition check, editing, forecast and
leaderboard."""

STRINGS: dict[str, dict[str, str]] = {
    # --- names and units ---
    "goals.company": {"zh": "全公司", "en": "Company"},
    "goals.all_goals": {"zh": "全部目标", "en": "All goals"},
    "unit.yi_yuan": {"zh": "亿元", "en": "100M CNY"},
    "goals.unit.thousand": {"zh": "千{currency}", "en": "k {currency}"},
    "goals.unit.new_customers": {"zh": "家", "en": "customers"},
    "goals.unit.visits": {"zh": "次", "en": "visits"},
    "goals.unit.cycle_days": {"zh": "工作日", "en": "working days"},
    "goals.unit.revenue": {"zh": "万元", "en": "CNY"},
    "goals.unit.collection": {"zh": "万元", "en": "CNY"},
    # --- metrics ---
    "goals.metric.revenue": {"zh": "销售额", "en": "Revenue"},
    "goals.metric.new_customers": {"zh": "新客户数", "en": "New customers"},
    "goals.metric.collection": {"zh": "回款额", "en": "Collection"},
    "goals.metric.visits": {"zh": "客户拜访", "en": "Customer visits"},
    "goals.metric.cycle_days": {"zh": "平均成交周期", "en": "Average deal cycle"},
    "goals.metric.order_value": {"zh": "客单价", "en": "Average order value"},
    # --- scopes ---
    "goals.scope.company": {"zh": "公司", "en": "Company"},
    "goals.scope.product_line": {"zh": "产品线", "en": "Product line"},
    "goals.scope.region": {"zh": "区域", "en": "Region"},
    "goals.scope.team": {"zh": "团队", "en": "Team"},
    "goals.scope.rep": {"zh": "销售代表", "en": "Rep"},
    "goals.scope.all": {"zh": "全部", "en": "All"},
    # --- pace ---
    "goals.pace.ahead": {"zh": "超前", "en": "Ahead"},
    "goals.pace.on_track": {"zh": "符合进度", "en": "On track"},
    "goals.pace.behind": {"zh": "落后", "en": "Behind"},
    "goals.pace.unknown": {"zh": "—", "en": "—"},
    # --- table columns ---
    "goals.col.id": {"zh": "编号", "en": "ID"},
    "goals.col.name": {"zh": "名称", "en": "Goal"},
    "goals.col.scope": {"zh": "层级", "en": "Level"},
    "goals.col.owner": {"zh": "负责人", "en": "Owner"},
    "goals.col.target": {"zh": "目标", "en": "Target"},
    "goals.col.share_of_parent": {"zh": "占上级", "en": "Share of parent"},
    "goals.col.actual": {"zh": "实际", "en": "Actual"},
    "goals.col.attainment": {"zh": "达成率", "en": "Attainment"},
    "goals.col.gap": {"zh": "距目标差额", "en": "Still to go"},
    "goals.col.elapsed": {"zh": "时间进度", "en": "Time elapsed"},
    "goals.col.vs_pace": {"zh": "较进度（百分点）", "en": "vs pace (pp)"},
    "goals.col.pace": {"zh": "进度判断", "en": "Pace"},
    "goals.col.finding": {"zh": "拆解问题", "en": "Decomposition problem"},
    "goals.col.path": {"zh": "目标路径", "en": "Goal path"},
    "goals.col.problem": {"zh": "问题", "en": "Problem"},
    "goals.col.children_target": {"zh": "下级合计", "en": "Children total"},
    "goals.table.children": {"zh": "下级目标（{scope}）", "en": "Sub-goals ({scope})"},
    "goals.col.difference": {"zh": "差异", "en": "Difference"},
    "goals.context_only": {
        "zh": "仅供参考：你可以查看此目标，但不能查看其实际完成情况。",
        "en": "For context: you see this target but not its results.",
    },
    # --- treemap legend ---
    "goals.legend.title": {
        "zh": "达成率较{reference}（百分点）",
        "en": "Attainment vs {reference} (pp)",
    },
    "goals.legend.time": {"zh": "时间进度", "en": "time elapsed"},
    "goals.unallocated": {"zh": "未分配", "en": "Unallocated"},
    "goals.legend.behind": {"zh": "落后 {points}", "en": "behind {points}"},
    "goals.legend.ahead": {"zh": "超前 {points}", "en": "ahead {points}"},
    "goals.legend.on_pace": {"zh": "符合进度", "en": "on pace"},
    # --- decomposition ---
    "goals.split.unallocated": {"zh": "，尚有 {amount} 未分配", "en": ", {amount} not allocated"},
    "goals.split.over_allocated": {
        "zh": "，超额分配 {amount}",
        "en": ", over-allocated by {amount}",
    },
    "goals.finding.over_allocated": {
        "zh": "{count} 个下级目标合计 {children}，比本级目标 {target} 多 {amount}（超额分配）",
        "en": "its {count} children add up to {children}, {amount} more than its target "
        "{target} (over-allocated)",
    },
    "goals.finding.under_allocated": {
        "zh": "{count} 个下级目标合计 {children}，比本级目标 {target} 少 {amount}（未分配完）",
        "en": "its {count} children add up to {children}, {amount} less than its target "
        "{target} (not fully allocated)",
    },
    "goals.finding.no_owner": {"zh": "未指定负责人", "en": "no owner assigned"},
    # --- exports ---
    "goals.export.title": {
        "zh": "{metric}目标达成 · {period} · 截至 {date}",
        "en": "{metric} goal attainment · {period} · as of {date}",
    },
    "goals.export.sheet": {"zh": "目标树", "en": "Goal tree"},
    "goals.export.findings_sheet": {"zh": "拆解检查", "en": "Decomposition check"},
    "goals.trend.cumulative": {"zh": "累计达成率", "en": "Cumulative attainment"},
    # --- goal attainment page ---
    "goals.nav": {"zh": "目标达成", "en": "Goal attainment"},
    "goals.title": {"zh": "目标达成与拆解", "en": "Goal attainment and decomposition"},
    "goals.metric": {"zh": "指标", "en": "Metric"},
    "goals.effective_visits": {
        "zh": "只计有效拜访（见到决策人、≥10 分钟、明确需求）",
        "en": "Effective visits only (decision maker, ≥ 10 minutes, a clear need)",
    },
    "goals.caption": {
        "zh": "{period} · 截至 {date} · 时间进度 {elapsed}",
        "en": "{period} · as of {date} · {elapsed} of the period elapsed",
    },
    "goals.units_money": {"zh": "表格金额单位：{unit}", "en": "Table amounts in {unit}"},
    "goals.units": {"zh": "单位：{unit}", "en": "Unit: {unit}"},
    "goals.empty": {
        "zh": "{period} 还没有可查看的「{metric}」目标。",
        "en": "There are no {metric} goals for {period} that you can see.",
    },
    "goals.context_note": {
        "zh": "灰色的上级目标仅显示目标值，供你了解自己的目标在整体中的位置；其实际完成情况只对管理层可见。",
        "en": "Grey goals above yours show their target only, so you see where your goal "
        "fits; their results are visible to leadership.",
    },
    "goals.split": {"zh": "目标拆解：", "en": "Split:"},
    "goals.vs_pace": {"zh": "较时间进度", "en": "vs time elapsed"},
    "goals.attainment_help": {
        "zh": "实际 ÷ 目标。与时间进度相比：时间过半、达成 60% 即为超前。",
        "en": "Actual ÷ target, read against the time elapsed: 60 % attained with half the "
        "period gone is ahead.",
    },
    "goals.attainment_help_lower": {
        "zh": "越低越好：目标 ÷ 实际，100% 以上表示优于目标。",
        "en": "Lower is better: target ÷ actual; above 100 % beats the target.",
    },
    "goals.gap_help": {
        "zh": "还差多少达成目标；负数表示已超出目标。",
        "en": "How much is still needed to reach the target; negative means beyond it.",
    },
    "goals.no_children": {"zh": "这是最底层的目标。", "en": "This goal has no sub-goals."},
    "goals.drill": {"zh": "查看下级目标", "en": "Drill down into"},
    "goals.drill_placeholder": {"zh": "选择下级目标…", "en": "Choose a sub-goal…"},
    "goals.map_help": {
        "zh": "点击色块进入该目标；点击最外层色块或上方路径返回上级。面积 = 目标值，颜色 = 达成率较时间进度的快慢，红框 = 拆解不一致。",
        "en": "Click a box to open that goal; click the outer box or the path above to go "
        "back up. Area = target, colour = attainment against the time elapsed, red "
        "outline = children do not add up.",
    },
    "goals.check.title": {"zh": "拆解检查", "en": "Decomposition check"},
    "goals.check.ok": {
        "zh": "所有目标的下级合计都与本级一致，且都有负责人。",
        "en": "Every goal's sub-goals add up to it, and every goal has an owner.",
    },
    "goals.check.found": {
        "zh": "发现 {count} 处问题：下级目标合计与本级不一致，或没有负责人。",
        "en": "{count} problems: sub-goals that do not add up to their parent, or goals "
        "without an owner.",
    },
    "goals.check.found_one": {
        "zh": "发现 1 处问题：下级目标合计与本级不一致，或没有负责人。",
        "en": "1 problem: sub-goals that do not add up to their parent, or a goal without an "
        "owner.",
    },
    "goals.check.open": {"zh": "查看 →", "en": "Open →"},
    "goals.check.jump": {
        "zh": "选中一行可跳转到该目标。",
        "en": "Select a row to open that goal.",
    },
    "goals.download_xlsx": {"zh": "下载 Excel", "en": "Download Excel"},
    "goals.download_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    # --- editing: fields and errors ---
    "goals.field.target": {"zh": "目标值", "en": "Target"},
    "goals.field.period": {"zh": "周期", "en": "Period"},
    "goals.field.metric": {"zh": "指标", "en": "Metric"},
    "goals.field.scope": {"zh": "层级", "en": "Level"},
    "goals.field.parent_id": {"zh": "上级目标", "en": "Parent goal"},
    "goals.field.product_line_id": {"zh": "产品线", "en": "Product line"},
    "goals.field.region_id": {"zh": "区域", "en": "Region"},
    "goals.field.team_id": {"zh": "团队", "en": "Team"},
    "goals.field.user_id": {"zh": "销售代表", "en": "Rep"},
    "goals.field.owner_id": {"zh": "负责人", "en": "Owner"},
    "goals.field.version": {"zh": "版本", "en": "Version"},
    "goals.field.id": {"zh": "目标", "en": "Goal"},
    "goals.field.mode": {"zh": "拆分方式", "en": "Split by"},
    "goals.field.weights": {"zh": "季节权重", "en": "Seasonal weights"},
    "goals.field.row": {"zh": "行", "en": "Row"},
    "goals.error.negative": {
        "zh": "{field}：目标值不能为负数（填写的是 {value}）。",
        "en": "{field}: a target cannot be negative (got {value}).",
    },
    "goals.error.not_a_number": {
        "zh": "{field}：「{value}」不是数字。",
        "en": "{field}: “{value}” is not a number.",
    },
    "goals.error.required": {"zh": "{field}：必须填写。", "en": "{field}: required."},
    "goals.error.bad_period": {
        "zh": "{field}：「{period}」不是有效周期，请写成 2026-10、2026Q4 或 2026。",
        "en": "{field}: “{period}” is not a period; write 2026-10, 2026Q4 or 2026.",
    },
    "goals.error.bad_metric": {
        "zh": "{field}：未知指标 {value}。",
        "en": "{field}: unknown metric {value}.",
    },
    "goals.error.bad_scope": {
        "zh": "{field}：未知层级 {value}。",
        "en": "{field}: unknown level {value}.",
    },
    "goals.error.unknown": {
        "zh": "{field}：找不到 {value}。",
        "en": "{field}: {value} does not exist.",
    },
    "goals.error.no_team": {
        "zh": "{field}：{name} 不属于任何团队，无法设置个人目标。",
        "en": "{field}: {name} belongs to no team, so they cannot have a rep goal.",
    },
    "goals.error.rep_team": {
        "zh": "{field}：{name} 不在这个团队。",
        "en": "{field}: {name} is not in this team.",
    },
    "goals.error.team_region": {
        "zh": "{field}：{name} 不在这个区域。",
        "en": "{field}: team {name} is not in this region.",
    },
    "goals.error.too_deep": {
        "zh": "{field}：这一层级的目标不能指定更细的维度。",
        "en": "{field}: a goal at this level cannot name a finer dimension.",
    },
    "goals.error.no_product_line": {
        "zh": "{field}：该指标的目标不按产品线拆分。",
        "en": "{field}: goals of this metric are not split by product line.",
    },
    "goals.error.cycle": {
        "zh": "{field}：目标 {parent} 在目标 {goal} 之下，设为上级会形成循环。",
        "en": "{field}: goal {parent} lies under goal {goal}; making it the parent would "
        "form a cycle.",
    },
    "goals.error.parent_metric": {
        "zh": "{field}：上级目标的指标是 {parent}，必须一致。",
        "en": "{field}: the parent goal measures {parent}; they must match.",
    },
    "goals.error.parent_period": {
        "zh": "{field}：上级目标的周期是 {parent}，下级目标必须相同（现为 {period}）。按月分解请用「季节分解」。",
        "en": "{field}: the parent goal's period is {parent}; a sub-goal must have the same "
        "(not {period}). Use the seasonal spread for monthly targets.",
    },
    "goals.error.parent_scope": {
        "zh": "{field}：下级目标的层级必须比上级更细。",
        "en": "{field}: a sub-goal must be at a finer level than its parent.",
    },
    "goals.error.parent_dimension": {
        "zh": "{field}：必须与上级目标一致（上级为 {value}）。",
        "en": "{field}: must match the parent goal ({value}).",
    },
    "goals.error.duplicate": {
        "zh": "{field}：同一周期、指标和维度已有目标（编号 {goal}）。",
        "en": "{field}: goal {goal} already covers this period, metric and dimension.",
    },
    "goals.error.conflict": {
        "zh": "目标 {goal} 刚被其他人修改过，请刷新后再改。",
        "en": "Goal {goal} was just changed by someone else; reload and try again.",
    },
    "goals.error.gone": {"zh": "目标 {goal} 已不存在。", "en": "Goal {goal} no longer exists."},
    "goals.error.has_children": {
        "zh": "该目标下还有 {count} 个下级目标；勾选「连同下级一起删除」才能删除。",
        "en": "This goal has {count} sub-goals; tick “delete with its sub-goals” to delete it.",
    },
    "goals.error.not_editable": {
        "zh": "{field}：不能在这里修改。",
        "en": "{field}: cannot be changed here.",
    },
    "goals.error.bad_mode": {
        "zh": "{field}：请选择按比例或按金额。",
        "en": "{field}: choose percent or amount.",
    },
    "goals.error.not_a_child": {
        "zh": "{field}：不是该目标的下级。",
        "en": "{field}: not a sub-goal of this goal.",
    },
    "goals.error.bad_weights": {
        "zh": "{field}：权重必须是非负数字，且合计大于 0。",
        "en": "{field}: weights must be numbers, none negative, adding up to more than 0.",
    },
    "goals.error.weights_count": {
        "zh": "{field}：需要 {count} 个月的权重。",
        "en": "{field}: {count} monthly weights are needed.",
    },
    "goals.error.spread_month": {
        "zh": "{field}：月度目标无需再分解。",
        "en": "{field}: a month goal has nothing to spread over.",
    },
    "goals.error.same_period": {
        "zh": "{field}：请复制到另一个周期。",
        "en": "{field}: copy to another period.",
    },
    "goals.error.target_has_goals": {
        "zh": "{field}：{period} 已有该指标的目标；请直接修改，或先删除。",
        "en": "{field}: {period} already has goals of this metric; edit them or delete them first.",
    },
    "goals.error.source_empty": {
        "zh": "{field}：{period} 没有该指标的目标可复制。",
        "en": "{field}: {period} has no goals of this metric to copy.",
    },
    "goals.template.title": {
        "zh": "目标导入模板：每行一个目标；金额类目标以万元填写；scope 可填 company / product_line / region / team / rep；比所在层级更细的维度留空。",
        "en": "Goal template: one goal per row; money targets in 10k CNY (万元); scope is "
        "company / product_line / region / team / rep; leave finer dimensions empty.",
    },
    # --- goal settings page ---
    "goals.settings.nav": {"zh": "目标设置", "en": "Goal settings"},
    "goals.settings.title": {"zh": "目标设置与拆解", "en": "Set and split goals"},
    "goals.settings.caption": {
        "zh": "所有修改都会校验（不允许负数、循环、周期或维度不一致）并记入审计日志；别人同时修改同一目标时会提示冲突。",
        "en": "Every change is checked (no negative targets, cycles, or period or dimension "
        "mismatches) and written to the audit log; a goal changed by someone else meanwhile "
        "is reported as a conflict.",
    },
    "goals.settings.tab_tree": {"zh": "目标树", "en": "Goal tree"},
    "goals.settings.tab_add": {"zh": "新增目标", "en": "Add a goal"},
    "goals.settings.tab_split": {"zh": "拆分", "en": "Split"},
    "goals.settings.tab_spread": {"zh": "季节分解", "en": "Seasonal spread"},
    "goals.settings.tab_copy": {"zh": "复制上期", "en": "Copy last period"},
    "goals.settings.tab_template": {"zh": "模板导入导出", "en": "Template in/out"},
    "goals.settings.none": {
        "zh": "{period} 还没有该指标的目标：可「复制上期」、导入模板，或从「新增目标」开始。",
        "en": "{period} has no goals of this metric yet: copy last period, import a template, "
        "or start with “Add a goal”.",
    },
    "goals.settings.tree_help": {
        "zh": "直接修改目标值（{unit}）和负责人，点「保存修改」一次写入。差异 = 下级合计 − 本级目标。",
        "en": "Change targets ({unit}) and owners in place, then “Save changes” writes them at "
        "once. Difference = children total − the goal's target.",
    },
    "goals.settings.save": {"zh": "保存修改", "en": "Save changes"},
    "goals.settings.saved": {"zh": "已保存 {count} 个目标。", "en": "Saved {count} goal(s)."},
    "goals.settings.delete": {"zh": "删除目标", "en": "Delete a goal"},
    "goals.settings.with_children": {"zh": "连同下级一起删除", "en": "Delete with its sub-goals"},
    "goals.settings.delete_button": {"zh": "删除", "en": "Delete"},
    "goals.settings.deleted": {"zh": "已删除。", "en": "Deleted."},
    "goals.settings.no_parent": {"zh": "无上级（作为顶层目标）", "en": "No parent (a top goal)"},
    "goals.settings.add_button": {"zh": "新增", "en": "Add"},
    "goals.settings.added": {"zh": "已新增目标。", "en": "Goal added."},
    "goals.settings.split_parent": {"zh": "要拆分的目标", "en": "Goal to split"},
    "goals.settings.mode_percent": {"zh": "按比例", "en": "By percent"},
    "goals.settings.mode_amount": {"zh": "按金额", "en": "By amount"},
    "goals.settings.no_candidates": {
        "zh": "这一层级下面没有可拆分的对象。",
        "en": "There is nothing below this level to split into.",
    },
    "goals.settings.split_help": {
        "zh": "本级目标 {total}。填写每个下级的比例或金额；留空的行不改动。",
        "en": "The goal is {total}. Enter each sub-goal's share or amount; empty rows are left "
        "as they are.",
    },
    "goals.settings.current": {"zh": "当前目标", "en": "Current target"},
    "goals.settings.new_value": {"zh": "新值", "en": "New value"},
    "goals.settings.remainder": {
        "zh": "已分配 {allocated}，剩余 {remainder}（{share}）未分配。",
        "en": "{allocated} allocated, {remainder} ({share}) left unallocated.",
    },
    "goals.settings.over": {
        "zh": "下级合计超出本级目标 {amount}（超额分配）。",
        "en": "The sub-goals add up to {amount} more than the goal (over-allocated).",
    },
    "goals.settings.split_button": {"zh": "应用拆分", "en": "Apply the split"},
    "goals.settings.split_done": {"zh": "已按拆分更新下级目标。", "en": "Sub-goals updated."},
    "goals.settings.spread_pick_year": {
        "zh": "请选择年度或季度周期，再把目标分解到各月。",
        "en": "Pick a year or a quarter to spread its goals over months.",
    },
    "goals.settings.spread_goal": {
        "zh": "要分解的目标（含全部下级）",
        "en": "Goal to spread (with all sub-goals)",
    },
    "goals.settings.spread_help": {
        "zh": "默认权重为 {first} 至 {last} 各月实际占比，可直接修改（如 8%、8%、9%…）。每月目标按权重分配，合计与原目标完全一致。",
        "en": "Default weights are each month's share of the actual from {first} to {last}; "
        "change them as you like (e.g. 8 %, 8 %, 9 % …). Monthly targets follow the weights "
        "and add up exactly.",
    },
    "goals.settings.choose": {"zh": "请选择…", "en": "Choose…"},
    "goals.settings.copy_taken": {
        "zh": "{period} 已有该指标的目标，不能再复制；可在「目标树」中修改。",
        "en": "{period} already has goals of this metric, so nothing is copied; edit them on "
        "the Goal tree tab.",
    },
    "goals.settings.weight": {"zh": "权重", "en": "Weight"},
    "goals.settings.spread_button": {"zh": "生成月度目标", "en": "Write monthly goals"},
    "goals.settings.spread_done": {
        "zh": "已生成各月目标（年度目标同时生成各季度目标）。",
        "en": "Monthly goals written (and quarterly ones for a year).",
    },
    "goals.settings.copy_text": {
        "zh": "把 {source} 的目标结构（层级、维度、负责人、目标值）复制到 {target}，可按增长率整体调整。",
        "en": "Copy {source}'s goal tree (levels, dimensions, owners, targets) to {target}, "
        "scaled by a growth rate.",
    },
    "goals.settings.growth": {"zh": "增长率（%）", "en": "Growth (%)"},
    "goals.settings.copy_button": {"zh": "复制", "en": "Copy"},
    "goals.settings.copied": {
        "zh": "已把 {source} 复制到 {target}。",
        "en": "Copied {source} to {target}.",
    },
    "goals.settings.template_download": {
        "zh": "下载模板（含本期目标）",
        "en": "Download the template (with this period's goals)",
    },
    "goals.settings.template_upload": {"zh": "上传填好的模板", "en": "Upload a filled template"},
    "goals.settings.template_problems": {
        "zh": "模板有 {count} 处问题，未导入任何目标：",
        "en": "The sheet has {count} problem(s); nothing was imported:",
    },
    "goals.settings.import_button": {"zh": "导入 {count} 行", "en": "Import {count} rows"},
    "goals.settings.column": {"zh": "列", "en": "Column"},
    "goals.settings.imported": {
        "zh": "导入完成：新增 {created} 个，修改 {updated} 个，未变 {unchanged} 个。",
        "en": "Imported: {created} created, {updated} changed, {unchanged} unchanged.",
    },
    "goals.trend.month": {"zh": "月份", "en": "Month"},
    # --- trend and forecast ---
    "goals.forecast.nav": {"zh": "趋势与预测", "en": "Trend and forecast"},
    "goals.forecast.title": {"zh": "目标趋势与完成预测", "en": "Goal trend and forecast"},
    "goals.forecast.goal": {"zh": "目标", "en": "Goal"},
    "goals.forecast.caption": {"zh": "截至 {date}", "en": "As of {date}"},
    "goals.forecast.nothing": {
        "zh": "{period} 没有你可以查看完成情况的目标。",
        "en": "There is no goal for {period} whose results you can see.",
    },
    "goals.forecast.heading": {"zh": "{period} 期末预测", "en": "Where {period} will land"},
    "goals.forecast.actual_so_far": {"zh": "目前实际", "en": "Actual so far"},
    "goals.forecast.run_rate": {"zh": "按当前速度预测", "en": "Run-rate forecast"},
    "goals.forecast.pipeline": {"zh": "按加权商机预测", "en": "Weighted-pipeline forecast"},
    "goals.forecast.would_be": {"zh": "预计达成 {share}", "en": "would be {share} of target"},
    "goals.forecast.days": {
        "zh": "已过 {elapsed} / {total} 个工作日",
        "en": "{elapsed} of {total} working days gone",
    },
    "goals.forecast.run_rate_help": {
        "zh": "目前实际 ÷ 已过工作日 × 本期总工作日。",
        "en": "Actual so far ÷ working days gone × working days in the period.",
    },
    "goals.forecast.pipeline_help": {
        "zh": "目前实际 + 各阶段在途商机金额 × 该阶段近一年的历史赢单率（只计预计在期末前成交或未填预计成交日的商机）。",
        "en": "Actual so far + each stage's open amount × that stage's win rate over the last "
        "year (deals expected to close by period end, or with no expected close date).",
    },
    "goals.forecast.target_line": {"zh": "目标 {value}", "en": "Target {value}"},
    "goals.forecast.no_pipeline": {
        "zh": "加权商机预测只适用于销售额目标。",
        "en": "The weighted-pipeline forecast applies to revenue goals only.",
    },
    "goals.forecast.average_metric": {
        "zh": "平均成交周期是平均值，不随时间累积，无法按速度外推；请参考上方各月趋势。",
        "en": "The average deal cycle is an average, not a running total, so it has no "
        "run-rate; see the monthly trend above.",
    },
    "goals.forecast.stage": {"zh": "阶段", "en": "Stage"},
    "goals.forecast.open": {"zh": "在途", "en": "Open"},
    "goals.forecast.win_rate": {"zh": "赢单率", "en": "Win rate"},
    "goals.forecast.weighted": {"zh": "加权", "en": "Weighted"},
    "goals.forecast.method_title": {"zh": "计算方法", "en": "How these are calculated"},
    "goals.forecast.method": {
        "zh": "- **按当前速度**：目前实际 ÷ 已过工作日 × 本期工作日（按公司工作日历，含节假日与调休）。\n"
        "- **按加权商机**：目前实际 + Σ 在途商机金额 × 所处阶段的历史赢单率。阶段赢单率 = 过去 365 天内结束的商机中，"
        "到达过该阶段且最终赢单的比例。只计预计期末前成交（或未填预计成交日）的商机；在某阶段停留超过 180 天的视为已失效。\n"
        "- **回测**：在过去几个同类周期的同一时间点（相同的已过工作日比例）用同样方法预测，与这些周期的最终实际比较；"
        "误差为平均绝对百分比误差（MAPE）。",
        "en": "- **Run-rate**: actual so far ÷ working days gone × working days in the period "
        "(company calendar, holidays and make-up days included).\n"
        "- **Weighted pipeline**: actual so far + Σ open amount × the win rate of the deal's "
        "stage. A stage's win rate = of the deals closed in the last 365 days that reached the "
        "stage, the share that was won. Only deals expected to close by period end (or with no "
        "expected close date) count; a deal in one stage for over 180 days counts as dead.\n"
        "- **Back-test**: both methods applied at the same point (same share of working days "
        "gone) of earlier periods of the same kind, compared with what those periods finally "
        "reached; the error is the mean absolute percentage error (MAPE).",
    },
    "goals.trend.title": {"zh": "{year} 年各月目标达成", "en": "Attainment by month, {year}"},
    "goals.trend.partial": {
        "zh": "\\* 本月尚未结束：实际截至 {date}。",
        "en": "\\* This month is still under way: actual up to {date}.",
    },
    "goals.trend.no_month_goals": {
        "zh": "这个目标没有对应的月度目标，只显示各月实际；可在「目标设置 › 季节分解」生成。",
        "en": "This goal has no monthly goals, so only actuals show; create them under Goal "
        "settings › Seasonal spread.",
    },
    "goals.backtest.title": {"zh": "预测可信度（回测）", "en": "How far to trust it (back-test)"},
    "goals.backtest.running": {"zh": "正在回测过去的周期…", "en": "Back-testing earlier periods…"},
    "goals.backtest.none": {
        "zh": "之前的周期数据不足，暂无法回测。",
        "en": "There is not enough history to back-test yet.",
    },
    "goals.backtest.statement": {
        "zh": "在过去 {count} 个同类周期的同一时间点（已过 {share} 工作日）做同样的预测，与最终实际相比平均偏差：**按当前速度 {run_rate}**，**按加权商机 {pipeline}**。",
        "en": "Made at the same point of the last {count} periods ({share} of working days "
        "gone), the forecasts were off from the final actual by **{run_rate} (run-rate)** and "
        "**{pipeline} (weighted pipeline)** on average.",
    },
    "goals.backtest.as_of": {"zh": "预测时点", "en": "Forecast made on"},
    "goals.backtest.then": {"zh": "当时实际", "en": "Actual then"},
    "goals.backtest.final": {"zh": "最终实际", "en": "Final actual"},
    "goals.backtest.error": {"zh": "偏差", "en": "Error"},
    # --- leaderboard ---
    "goals.board.nav": {"zh": "达成排行", "en": "Leaderboard"},
    "goals.board.title": {"zh": "目标达成排行", "en": "Goal attainment leaderboard"},
    "goals.board.level": {"zh": "排行对象", "en": "Rank"},
    "goals.board.reps": {"zh": "销售代表", "en": "Reps"},
    "goals.board.teams": {"zh": "团队", "en": "Teams"},
    "goals.board.caption": {"zh": "{period} · 截至 {date}", "en": "{period} · as of {date}"},
    "goals.board.rank": {"zh": "名次", "en": "Rank"},
    "goals.board.rep": {"zh": "销售代表", "en": "Rep"},
    "goals.board.team": {"zh": "团队", "en": "Team"},
    "goals.board.visits": {"zh": "拜访次数", "en": "Visits"},
    "goals.board.effective": {"zh": "有效拜访占比", "en": "Effective visits"},
    "goals.board.actions": {"zh": "关键动作按时完成率", "en": "Key actions on time"},
    "goals.board.win_rate": {"zh": "赢单率", "en": "Win rate"},
    "goals.board.empty": {
        "zh": "没有可以显示的销售代表或团队。",
        "en": "There are no reps or teams to show.",
    },
    "goals.board.help": {
        "zh": "按达成率排序（平均成交周期越短越好，已折算）。右侧为过程指标：本期拜访次数与有效拜访占比、计划在本期的关键动作完成率（已完成 ÷ 应完成）与按时完成率、本期结单的赢单率——排名背后的原因。没有目标的人员排在最后。",
        "en": "Ranked by attainment (for the deal cycle, shorter is better and is already "
        "inverted). On the right, the process behind the rank: visits and the effective share, "
        "key actions due in the period that are done (done ÷ due) and done on time, and the win "
        "rate of deals closed in the period. People without a target come last.",
    },
}
