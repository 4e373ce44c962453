"""Strings of support requests (资源协调), departments and support types (issue 17)."""

STRINGS: dict[str, dict[str, str]] = {
    "role.support": {"zh": "支持部门", "en": "Support staff"},
    "support.nav": {"zh": "资源协调", "en": "Support requests"},
    "support.title": {"zh": "资源协调", "en": "Support requests"},
    "support.caption": {
        "zh": "各部门的支持请求队列：未处理的在前，按期望日期排序；响应时限按工作日计算（含调休）。",
        "en": "Departments' queues of support requests: waiting ones first, by expected date; "
        "response standards count working days (make-up working days included).",
    },
    "support.caption_scope": {
        "zh": "您可以看到：{scope}。",
        "en": "You see: {scope}.",
    },
    "support.scope.department": {"zh": "您所在部门的请求", "en": "your departments' requests"},
    "support.scope.deals": {"zh": "您可查看商机的请求", "en": "the requests of the deals you see"},
    "support.scope.all": {"zh": "全部请求", "en": "every request"},
    "support.tab": {"zh": "资源协调", "en": "Support"},
    "work.tab_support": {"zh": "资源协调", "en": "Support"},
    "pipeline.tab_support": {"zh": "支持超时", "en": "Support breaches"},
    # Statuses, urgencies, steps.
    "support.status": {"zh": "状态", "en": "Status"},
    "support.status.open": {"zh": "待响应", "en": "Waiting"},
    "support.status.in_progress": {"zh": "处理中", "en": "In progress"},
    "support.status.closed": {"zh": "已完成", "en": "Closed"},
    "support.status.cancelled": {"zh": "已撤回", "en": "Cancelled"},
    "support.urgency": {"zh": "紧急程度", "en": "Urgency"},
    "support.urgency.low": {"zh": "低", "en": "Low"},
    "support.urgency.normal": {"zh": "一般", "en": "Normal"},
    "support.urgency.high": {"zh": "紧急", "en": "High"},
    "support.step.raised": {"zh": "提交请求", "en": "Raised"},
    "support.step.accepted": {"zh": "已受理", "en": "Accepted"},
    "support.step.progress": {"zh": "进度更新", "en": "Progress"},
    "support.step.closed": {"zh": "已完成", "en": "Closed"},
    "support.step.cancelled": {"zh": "已撤回", "en": "Cancelled"},
    # Columns.
    "support.col.id": {"zh": "编号", "en": "No."},
    "support.col.deal": {"zh": "商机", "en": "Deal"},
    "support.col.customer": {"zh": "客户", "en": "Customer"},
    "support.col.stage": {"zh": "阶段", "en": "Stage"},
    "support.col.owner": {"zh": "负责人", "en": "Owner"},
    "support.col.type": {"zh": "支持类型", "en": "Type"},
    "support.col.department": {"zh": "响应部门", "en": "Department"},
    "support.col.what": {"zh": "需求描述", "en": "What is needed"},
    "support.col.expected_on": {"zh": "期望交付", "en": "Expected by"},
    "support.col.requested_on": {"zh": "提交日期", "en": "Requested"},
    "support.col.requested_by": {"zh": "提交人", "en": "Requested by"},
    "support.col.responded_on": {"zh": "首次响应", "en": "First response"},
    "support.col.closed_on": {"zh": "完成日期", "en": "Closed"},
    "support.col.waited": {"zh": "响应用时（工作日）", "en": "Response (working days)"},
    "support.col.standard": {"zh": "时限（工作日）", "en": "Standard (working days)"},
    "support.col.over": {"zh": "超时（工作日）", "en": "Over (working days)"},
    "support.col.resolution": {"zh": "处理结果", "en": "Resolution"},
    "support.col.sets_risk": {"zh": "标记风险", "en": "Sets risk"},
    "support.col.when": {"zh": "时间", "en": "When"},
    "support.col.actor": {"zh": "操作人", "en": "By"},
    "support.col.step": {"zh": "步骤", "en": "Step"},
    "support.col.note": {"zh": "说明", "en": "Note"},
    "support.breach_badge": {"zh": "超时", "en": "Breach"},
    "support.in_time": {"zh": "按时", "en": "In time"},
    "support.waited_of": {
        "zh": "{waited}/{standard} 个工作日",
        "en": "{waited} of {standard} working days",
    },
    # The deal's tab.
    "support.raise_title": {"zh": "申请支持", "en": "Ask for support"},
    "support.raise": {"zh": "提交申请", "en": "Send request"},
    "support.what_help": {
        "zh": "需要什么支持、背景和交付物，例如“客户要求下周三前提供技术方案和报价清单”。",
        "en": 'What help, the background and the deliverable, e.g. "the customer needs a '
        'technical proposal and a bill of quantities by next Wednesday".',
    },
    "support.type_choice": {
        "zh": "{name} · {department} · {days} 个工作日内响应",
        "en": "{name} · {department} · response within {days} working days",
    },
    "support.department_of_type": {
        "zh": "按支持类型的默认部门",
        "en": "The type's default department",
    },
    "support.sets_risk_label": {
        "zh": "处理完成前将商机标记为风险",
        "en": "Flag the deal at risk until it is done",
    },
    "support.raised": {"zh": "已提交支持申请 #{id}。", "en": "Support request #{id} sent."},
    "support.deal_none": {
        "zh": "这个商机还没有支持请求。",
        "en": "This deal has no support requests yet.",
    },
    "support.no_types": {
        "zh": "还没有启用的支持类型：请管理员在“组织设置”中添加。",
        "en": "No support type is in use: an admin adds them under Organisation.",
    },
    "support.cancel": {"zh": "撤回请求", "en": "Cancel request"},
    "support.cancel_reason": {"zh": "撤回原因", "en": "Why cancel"},
    "support.cancelled": {"zh": "已撤回请求 #{id}。", "en": "Request #{id} cancelled."},
    "support.pick": {"zh": "请求", "en": "Request"},
    "support.history": {"zh": "处理记录", "en": "History"},
    # The queue.
    "support.filter.department": {"zh": "部门", "en": "Department"},
    "support.filter.status": {"zh": "状态", "en": "Status"},
    "support.filter.open": {"zh": "未完成", "en": "Not done"},
    "support.filter.all": {"zh": "全部", "en": "All"},
    "support.filter.breached": {"zh": "只看超时", "en": "Breaches only"},
    "support.all_departments": {"zh": "全部部门", "en": "All departments"},
    "support.queue_none": {"zh": "队列中没有请求。", "en": "Nothing in the queue."},
    "support.queue_count": {
        "zh": "{count} 个请求，其中 {breached} 个超时",
        "en": "{count} requests, {breached} past their standard",
    },
    "support.not_member": {
        "zh": "您还不是任何部门的成员：请管理员在“组织设置 → 部门”中添加。",
        "en": "You are not in any department yet: an admin adds you under Organisation → "
        "Departments.",
    },
    "support.answer_title": {"zh": "处理请求", "en": "Work on the request"},
    "support.note": {"zh": "进度说明", "en": "Progress note"},
    "support.accept": {"zh": "受理", "en": "Accept"},
    "support.progress": {"zh": "更新进度", "en": "Update progress"},
    "support.close": {"zh": "完成并关闭", "en": "Close as done"},
    "support.resolution_help": {
        "zh": "关闭时必填：交付了什么。",
        "en": "Needed to close: what was delivered.",
    },
    "support.answered": {"zh": "请求 #{id} 已更新。", "en": "Request #{id} updated."},
    "support.closed": {"zh": "请求 #{id} 已关闭。", "en": "Request #{id} closed."},
    "support.read_only": {"zh": "此请求只读。", "en": "This request is read only."},
    "support.deal_header": {"zh": "商机", "en": "Deal"},
    # The weekly review's list.
    "support.breaches_caption": {
        "zh": "仍在等待且超过响应时限的请求，以及本期内超时才响应的请求（工作日，含调休）。",
        "en": "Requests still waiting past their response standard, and those answered late "
        "in the period (working days, make-up days included).",
    },
    "support.no_breaches": {
        "zh": "没有超时的支持请求。",
        "en": "No support request is past its response standard.",
    },
    # Organisation: departments and support types.
    "org.kind.department": {"zh": "部门", "en": "Departments"},
    "org.kind.support_type": {"zh": "支持类型", "en": "Support types"},
    "org.col.members": {"zh": "成员", "en": "Members"},
    "org.col.response_days": {"zh": "响应时限（工作日）", "en": "Response standard (working days)"},
    "org.col.department": {"zh": "默认部门", "en": "Default department"},
    "org.support_settings": {"zh": "部门与时限", "en": "Department and standard"},
    "org.members_title": {"zh": "部门成员", "en": "Department members"},
    "org.members_help": {
        "zh": "成员在“资源协调”页处理本部门的请求；只做支持工作的同事可设为“支持部门”角色。",
        "en": "Members work their department's queue on the Support requests page; people who "
        "only answer requests can have the Support staff role.",
    },
    "org.error.unknown_user": {
        "zh": "找不到启用的用户“{user}”。",
        "en": 'No active user "{user}".',
    },
    "org.error.bad_response_days": {
        "zh": "响应时限须为 0–{limit} 个工作日。",
        "en": "The response standard must be 0–{limit} working days.",
    },
    "org.error.unknown_department": {
        "zh": "请选择一个启用的部门。",
        "en": "Choose a department in use.",
    },
    # Errors of the writes.
    "support.error.not_found": {"zh": "找不到支持请求 #{id}。", "en": "No support request #{id}."},
    "support.error.read_only": {
        "zh": "您不能修改此请求。",
        "en": "You may not change this request.",
    },
    "support.error.conflict": {
        "zh": "其他人刚刚修改了此请求，请刷新后重试。",
        "en": "Someone changed this request meanwhile; reload and try again.",
    },
    "support.error.not_open": {"zh": "此请求已结束。", "en": "This request is finished."},
    "support.error.required": {"zh": "请填写此项。", "en": "Please fill this in."},
    "support.error.too_long": {"zh": "最多 {limit} 个字。", "en": "At most {limit} characters."},
    "support.error.unknown_type": {
        "zh": "请选择一个启用的支持类型。",
        "en": "Choose a support type in use.",
    },
    "support.error.unknown_department": {
        "zh": "请选择一个启用的部门。",
        "en": "Choose a department in use.",
    },
    "support.error.no_department": {
        "zh": "此支持类型没有默认部门，请选择部门。",
        "en": "This type has no default department: choose one.",
    },
    "support.error.unknown_urgency": {"zh": "请选择紧急程度。", "en": "Choose an urgency."},
    "support.error.expected_in_past": {
        "zh": "期望交付日期不能早于今天（{day}）。",
        "en": "The expected date cannot be before today ({day}).",
    },
    "support.error.field": {"zh": "{field}：{message}", "en": "{field}: {message}"},
    # My work and the reminders.
    "work.section.support": {"zh": "资源协调", "en": "Support requests"},
    "work.why.support_breach": {
        "zh": "支持请求（{what}）超过响应时限 {days} 个工作日",
        "en": "Support request ({what}) {days} working days past its response standard",
    },
    "work.why.support_open": {
        "zh": "支持请求（{what}）待响应，期望 {on} 交付",
        "en": "Support request ({what}) waiting for a response, expected by {on}",
    },
    "work.why.support_in_progress": {
        "zh": "支持请求（{what}）处理中，期望 {on} 交付",
        "en": "Support request ({what}) in progress, expected by {on}",
    },
    "digest.support_breaches": {
        "zh": "支持请求超时 {count} 个：{items}",
        "en": "{count} support requests past their response standard: {items}",
    },
    "work.empty.support": {
        "zh": "没有待处理或超时的支持请求。",
        "en": "No support request waiting or late.",
    },
}
