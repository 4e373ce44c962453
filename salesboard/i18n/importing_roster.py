"""Strings of a roster import without usernames (issue 14): generated usernames, one-time
passwords and their workbook, the people a row may be."""

_STRINGS = {
    "import.field.employee_no": ("工号", "Employee no."),
    "import.problem.ambiguous_person": (
        "“{value}”可能是系统中已有的 {candidates} 中的任何一位：请填写用户名、工号或邮箱加以区分",
        "“{value}” may be any of the stored users {candidates}: add a username, employee "
        "number or e-mail to tell them apart",
    ),
    "import.problem.has_account": (
        "已有账号 {username}（当前为“仅新增”模式；要更新请选“新增并更新”）",
        "Already has the account {username} (mode is “insert only”; choose “insert and "
        "update” to update it)",
    ),
    "import.note.new_users": (
        "将新建 {count} 个账号：{names}。每人一个一次性密码，首次登录时必须修改；导入后下载密码表。",
        "{count} accounts will be created: {names}. Each gets a one-time password to change at "
        "first sign-in; download the password list after the import.",
    ),
    "import.passwords.sheet": ("一次性密码", "One-time passwords"),
    "import.passwords.title": (
        "新账号的一次性密码：请分别私下告知本人，首次登录时必须修改。此文件是唯一副本，分发后请删除。",
        "One-time passwords of the new accounts: tell each person privately; they must change "
        "it at first sign-in. This file is the only copy: delete it once handed out.",
    ),
    "import.passwords.username": ("用户名", "Username"),
    "import.passwords.name": ("姓名", "Name"),
    "import.passwords.password": ("一次性密码", "One-time password"),
    "import.passwords.written": (
        "{count} 个新账号的一次性密码已写入 {file}（仅此一份，请妥善保管）。",
        "The one-time passwords of {count} new accounts are in {file} (the only copy; keep it "
        "safe).",
    ),
    "import.passwords.needed": (
        "这次导入将新建账号：请用 --passwords-out 文件名.xlsx 指定一次性密码的保存位置（密码不会打印到屏幕）。",
        "This import creates accounts: name a file for their one-time passwords with "
        "--passwords-out FILE.xlsx (passwords are never printed).",
    ),
    "import.passwords.bad_file": (
        "--passwords-out 需要一个新的 .xlsx 文件名（不能是 -，也不能覆盖已有文件）：{file}",
        "--passwords-out needs a new .xlsx file name (not -, and no existing file is "
        "overwritten): {file}",
    ),
    "upload.passwords_download": (
        "下载 {count} 个新账号的一次性密码（XLSX，只显示这一次）",
        "Download the one-time passwords of {count} new accounts (XLSX, shown this once)",
    ),
    "upload.passwords_file": ("一次性密码.xlsx", "one-time-passwords.xlsx"),
    "upload.passwords_once": (
        "这是密码的唯一副本：离开或刷新页面后将无法再次下载（届时只能在用户管理中重置密码）。",
        "This is the only copy of the passwords: once you leave or reload the page it cannot be "
        "downloaded again (passwords can then only be reset under user management).",
    ),
}

STRINGS: dict[str, dict[str, str]] = {
    key: {"zh": zh, "en": en} for key, (zh, en) in _STRINGS.items()
}

# The tracking table in one pass (issue 14 item 5).
_TRACKING = {
    "import.kind.tracking": (
        "销售过程跟踪表（商机+关键动作）",
        "Tracking table (deals + key actions)",
    ),
    "import.problem.deal_conflict": (
        "同一商机在第 {row} 行填的是“{other}”，与本行不一致：请改成一致（该商机的各行都未导入）",
        "The same opportunity has “{other}” on row {row}, which contradicts this row: make "
        "them agree (none of the opportunity's rows is imported)",
    ),
    "import.problem.deal_rejected": (
        "同一商机的第 {rows} 行互相矛盾，本行也未导入",
        "Rows {rows} of the same opportunity contradict each other; this row is not "
        "imported either",
    ),
    "import.note.tracking": (
        "即《销售过程跟踪表》（表1），每行一个商机的一个关键动作。商机编号相同的行是同一个商机：客户、"
        "负责人、金额各行须一致；销售阶段取各行走得最远的阶段，各阶段的进入日期取该阶段各行最早的"
        "计划或实际完成日期。新商机需要金额和产品线（任一行填写即可）。",
        "The sales process tracking table (table 1), one row per opportunity and key action. "
        "Rows with one opportunity ID are one deal: customer, owner and amount must agree; its "
        "stage is the furthest its rows reach, each stage entered on the earliest planned or "
        "actual date of its rows. A new deal needs an amount and a product line (on any row).",
    ),
    "import.problem.new_deal_needs": (
        "新商机需要填写此项（该商机任一行填写即可）",
        "A new opportunity needs this (on any one of its rows)",
    ),
    "import.note.tracking_deals": (
        "商机：新建 {new} 个，更新 {updated} 个。",
        "Opportunities: {new} new, {updated} updated.",
    ),
}
STRINGS.update({key: {"zh": zh, "en": en} for key, (zh, en) in _TRACKING.items()})
