"""Strings of the deals list and the pipeline board (issue 15)."""

STRINGS: dict[str, dict[str, str]] = {
    # --- deals list ---
    "dlist.nav": {"zh": "商机列表", "en": "Deals"},
    "dlist.title": {"zh": "商机列表", "en": "Deals"},
    "dlist.search": {"zh": "搜索", "en": "Search"},
    "dlist.search_placeholder": {
        "zh": "商机编号、客户、负责人或阶段",
        "en": "Code, customer, owner or stage",
    },
    "dlist.status": {"zh": "状态", "en": "Status"},
    "dlist.stage": {"zh": "阶段", "en": "Stage"},
    "dlist.any_stage": {"zh": "全部阶段", "en": "All stages"},
    "dlist.sort": {"zh": "排序", "en": "Sort by"},
    "dlist.sort_amount": {"zh": "金额", "en": "Amount"},
    "dlist.sort_expected_close": {"zh": "预计成交日期", "en": "Expected close"},
    "dlist.sort_days_in_stage": {"zh": "阶段停留天数", "en": "Days in stage"},
    "dlist.sort_last_activity": {"zh": "最近活动", "en": "Last activity"},
    "dlist.sort_created": {"zh": "创建日期", "en": "Created"},
    "dlist.order": {"zh": "顺序", "en": "Order"},
    "dlist.order_desc": {"zh": "从大到小 / 从新到旧", "en": "Largest / latest first"},
    "dlist.order_asc": {"zh": "从小到大 / 从旧到新", "en": "Smallest / earliest first"},
    "dlist.count": {
        "zh": "共 {count} 个商机 · 第 {page} / {pages} 页",
        "en": "{count} deals · page {page} of {pages}",
    },
    "dlist.none": {"zh": "没有符合条件的商机。", "en": "No deal matches."},
    "dlist.previous": {"zh": "上一页", "en": "Previous"},
    "dlist.next": {"zh": "下一页", "en": "Next"},
    "pipeline.col_expected_close_on": {"zh": "预计成交", "en": "Expected close"},
    "pipeline.col_days_in_stage": {"zh": "阶段停留（工作日）", "en": "Days in stage (working)"},
    "pipeline.col_last_activity_on": {"zh": "最近活动", "en": "Last activity"},
    "pipeline.col_created_on": {"zh": "创建日期", "en": "Created"},
    # --- board ---
    "board.nav": {"zh": "看板", "en": "Board"},
    "board.title": {"zh": "商机看板", "en": "Pipeline board"},
    "board.caption": {
        "zh": "在途商机按当前阶段排列，售后交付列出仍在交付的已成交商机；每列先显示停留最久的商机。"
        "天数为本阶段已停留的工作日：绿色在标准内，橙色临近标准，红色已超标准。",
        "en": "Open deals by their current stage; delivery lists won deals still being "
        "delivered. Each column shows the longest-waiting deals first. Days are working days "
        "in the stage: green within the standard, orange near it, red over it.",
    },
    "board.stage_picker": {"zh": "显示阶段", "en": "Show stage"},
    "board.all_stages": {"zh": "全部阶段", "en": "All stages"},
    "board.column_total": {"zh": "{count} 个 · {amount}", "en": "{count} deals · {amount}"},
    "board.standard": {"zh": "标准 {days} 个工作日", "en": "Standard {days} working days"},
    "board.no_standard": {"zh": "无时间标准", "en": "No time standard"},
    "board.days": {"zh": "{days}天", "en": "{days} d"},
    "board.clock_within": {"zh": "标准内", "en": "within"},
    "board.clock_near": {"zh": "临近", "en": "near"},
    "board.clock_over": {"zh": "超标", "en": "over"},
    "board.clock_none": {"zh": "无标准", "en": "no standard"},
    "board.empty_column": {"zh": "暂无商机", "en": "No deals"},
    "board.more": {"zh": "再显示 {n} 个（还有 {left} 个）", "en": "Show {n} more ({left} left)"},
    "board.move": {"zh": "移动", "en": "Move"},
    "board.move_to": {"zh": "移到阶段", "en": "Move to stage"},
    "board.move_reason": {"zh": "原因（可选）", "en": "Reason (optional)"},
    "board.move_submit": {"zh": "确认移动", "en": "Move deal"},
    "board.moved": {"zh": "{code} 已移到 {stage}。", "en": "{code} moved to {stage}."},
    "board.move_title": {"zh": "移动商机 {code}", "en": "Move deal {code}"},
    "board.move_refused": {
        "zh": "未能移动该商机，请在商机页查看原因。",
        "en": "The deal could not be moved; open the deal to see why.",
    },
}
