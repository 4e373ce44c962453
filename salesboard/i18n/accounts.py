"""Strings of the account page, the users admin page, the audit log page, OIDC sign-in and
the Overview's "whose figures" line."""

STRINGS: dict[str, dict[str, str]] = {
    "nav.admin": {"zh": "系统管理", "en": "Administration"},
    "nav.account": {"zh": "账号", "en": "Account"},
    # --- command line ---
    "cli.store_missing": {
        "zh": "数据库 {path} 不存在。先用 {command} 创建（或用 demo 生成演示数据），或用 "
        "--database-url 指向已有的数据库。",
        "en": "The store {path} does not exist. Create it with {command} (or demo for demo "
        "data), or point --database-url at an existing one.",
    },
    "cli.store_not_set_up": {
        "zh": "数据库 {path} 尚未初始化或版本过旧。请运行 {command}。",
        "en": "The store {path} is not set up or not up to date. Run {command}.",
    },
    "cli.as_user_not_here": {
        "zh": "--as-user 只适用于 import、import-log、import-undo 和 report；user、backup、restore、"
        "demo、init-db、migrate 以系统管理员身份在服务器上运行，请去掉 --as-user。",
        "en": "--as-user applies to import, import-log, import-undo and report only; user, "
        "backup, restore, demo, init-db and migrate run as the system administrator on the "
        "server: leave --as-user out.",
    },
    "auth.oidc_hint": {
        "zh": "本系统使用公司统一身份认证登录。",
        "en": "This Salesboard signs you in through your company's identity provider.",
    },
    "auth.oidc_sign_in": {"zh": "使用公司账号登录", "en": "Sign in with your company account"},
    "auth.oidc_unknown": {
        "zh": "你已通过公司身份认证（{email}），但销售看板中还没有与该邮箱对应的账号。请联系管理员为你开通。",
        "en": "You are signed in at the identity provider as {email}, but no Salesboard "
        "account has that e-mail. Ask an admin to add you.",
    },
    "auth.oidc_other_account": {"zh": "换一个账号登录", "en": "Use another account"},
    # --- overview: whose figures ---
    "overview.scope_company": {"zh": "全公司数据", "en": "Whole company"},
    "overview.scope_teams": {"zh": "你负责的团队：{teams}", "en": "Your teams: {teams}"},
    "overview.scope_own": {
        "zh": "你本人的商机与目标（{owner}）",
        "en": "Your own deals and goal ({owner})",
    },
    # --- account page ---
    "account.nav": {"zh": "我的账号", "en": "My account"},
    "account.title": {"zh": "我的账号", "en": "My account"},
    "account.field": {"zh": "项目", "en": "Field"},
    "account.value": {"zh": "内容", "en": "Value"},
    "account.previous_sign_in": {"zh": "上次登录", "en": "Previous sign-in"},
    "account.password_changed": {"zh": "密码修改时间", "en": "Password changed"},
    "account.oidc_password": {
        "zh": "密码由公司统一身份认证管理，请在公司账号系统中修改。",
        "en": "Your password is managed by the company's identity provider; change it there.",
    },
    # --- users admin page ---
    "users.nav": {"zh": "用户管理", "en": "Users"},
    "users.title": {"zh": "用户管理", "en": "Users"},
    "users.caption": {
        "zh": "角色决定可见范围：销售代表只看自己的商机，经理看所负责的团队，管理层只读全部，管理员管理设置与用户。所有修改都记入审计日志。",
        "en": "Roles decide what each user sees: reps their own deals, managers their teams, "
        "leaders everything read-only, admins also settings and users. Every change is audited.",
    },
    "users.col.username": {"zh": "用户名", "en": "Username"},
    "users.col.display_name": {"zh": "姓名", "en": "Name"},
    "users.col.email": {"zh": "邮箱", "en": "E-mail"},
    "users.col.role": {"zh": "角色", "en": "Role"},
    "users.col.team": {"zh": "所属团队", "en": "Team"},
    "users.col.managed_teams": {"zh": "负责的团队", "en": "Manages teams"},
    "users.col.state": {"zh": "状态", "en": "State"},
    "users.col.last_sign_in": {"zh": "最近登录", "en": "Last sign-in"},
    "users.state_active": {"zh": "正常", "en": "Active"},
    "users.state_inactive": {"zh": "已停用", "en": "Deactivated"},
    "users.state_locked": {"zh": "锁定至 {until}", "en": "Locked until {until}"},
    "users.state_locked_by_admin": {"zh": "已被管理员锁定", "en": "Locked by an admin"},
    "users.choose": {"zh": "选择用户", "en": "Choose a user"},
    "users.edit": {"zh": "修改 {username}", "en": "Change {username}"},
    "users.manages_help": {
        "zh": "仅对经理有效：经理可查看并审核这些团队的数据（另含其所属团队）。",
        "en": "Managers only: they see and review these teams (and their own team).",
    },
    "users.no_teams": {"zh": "未选择团队", "en": "No team"},
    "users.save": {"zh": "保存修改", "en": "Save changes"},
    "users.saved": {"zh": "已保存 {username} 的修改。", "en": "Saved the changes to {username}."},
    "users.reset_password": {"zh": "重置密码", "en": "Reset password"},
    "users.reset_help": {
        "zh": "设置一个临时密码并告知本人；其现有会话立即失效，下次登录时必须修改密码。账号同时解锁。",
        "en": "Set a temporary password and tell the user: their sessions end now and they must "
        "choose a new password at next sign-in. This also unlocks the account.",
    },
    "users.password_reset": {
        "zh": "已重置 {username} 的密码，下次登录时需修改。",
        "en": "Reset the password of {username}; they must change it at next sign-in.",
    },
    "users.access": {"zh": "账号状态", "en": "Access"},
    "users.lock": {"zh": "锁定账号", "en": "Lock account"},
    "users.unlock": {"zh": "解除锁定", "en": "Unlock account"},
    "users.locked": {"zh": "已锁定 {username}。", "en": "Locked {username}."},
    "users.unlocked": {"zh": "已解锁 {username}。", "en": "Unlocked {username}."},
    "users.deactivate": {"zh": "停用账号", "en": "Deactivate"},
    "users.reactivate": {"zh": "重新启用", "en": "Reactivate"},
    "users.deactivated": {
        "zh": "已停用 {username}（历史数据保留）。",
        "en": "Deactivated {username} (their history stays).",
    },
    "users.reactivated": {"zh": "已重新启用 {username}。", "en": "Reactivated {username}."},
    "users.add": {"zh": "新增用户", "en": "Add a user"},
    "users.initial_password": {"zh": "初始密码", "en": "Initial password"},
    "users.add_help": {
        "zh": "新用户首次登录时必须修改初始密码。",
        "en": "The new user must change the initial password at first sign-in.",
    },
    "users.added": {"zh": "已新增用户 {username}。", "en": "Added {username}."},
    "users.error.unknown_user": {"zh": "找不到用户 {user}。", "en": "No user {user}."},
    "users.error.unknown_team": {"zh": "找不到团队 {team}。", "en": "No team {team}."},
    "users.error.last_admin": {
        "zh": "这是最后一个启用的管理员，不能停用或改为其他角色。",
        "en": "This is the last active admin: it cannot be deactivated or given another role.",
    },
    "users.error.self": {
        "zh": "不能锁定或停用自己的账号。",
        "en": "You cannot lock or deactivate your own account.",
    },
    "users.error.bad_name": {
        "zh": "姓名需为 1 到 64 个字符。",
        "en": "A name needs 1 to 64 characters.",
    },
    # --- audit log page ---
    "audit.nav": {"zh": "审计日志", "en": "Audit log"},
    "audit.title": {"zh": "审计日志", "en": "Audit log"},
    "audit.caption": {
        "zh": "每一次修改：谁、何时、改了什么、修改前后的值。时间为 {zone} 时间，最新的在前。",
        "en": "Every change: who, when, what, and the old and new values. Times in {zone}, "
        "newest first.",
    },
    "audit.any": {"zh": "全部", "en": "Any"},
    "audit.dates": {"zh": "日期范围", "en": "Date range"},
    "audit.search": {"zh": "搜索内容", "en": "Search"},
    "audit.search_hint": {"zh": "摘要或修改值中的文字", "en": "text in the summary or values"},
    "audit.none": {"zh": "没有符合条件的记录。", "en": "No entries match."},
    "audit.page": {"zh": "页码", "en": "Page"},
    "audit.count": {
        "zh": "共 {total} 条 · 第 {page} / {pages} 页",
        "en": "Entries: {total} · page {page} of {pages}",
    },
    "audit.export_xlsx": {"zh": "导出 Excel", "en": "Export XLSX"},
    "audit.export_csv": {"zh": "导出 CSV", "en": "Export CSV"},
    "audit.col.at": {"zh": "时间", "en": "Time"},
    "audit.col.actor_name": {"zh": "操作人", "en": "Who"},
    "audit.col.action": {"zh": "操作", "en": "Action"},
    "audit.col.entity": {"zh": "对象", "en": "Entity"},
    "audit.col.entity_id": {"zh": "对象编号", "en": "Entity id"},
    "audit.col.summary": {"zh": "摘要", "en": "Summary"},
    "audit.col.old_values": {"zh": "修改前", "en": "Old values"},
    "audit.col.new_values": {"zh": "修改后", "en": "New values"},
    "audit.action.create": {"zh": "新增", "en": "create"},
    "audit.action.update": {"zh": "修改", "en": "update"},
    "audit.action.delete": {"zh": "删除", "en": "delete"},
    "audit.action.sign_in": {"zh": "登录", "en": "sign in"},
    "audit.action.lock": {"zh": "锁定", "en": "lock"},
    "audit.action.unlock": {"zh": "解锁", "en": "unlock"},
    "audit.action.change_password": {"zh": "修改密码", "en": "change password"},
    "audit.action.reset_password": {"zh": "重置密码", "en": "reset password"},
    "audit.action.deactivate": {"zh": "停用", "en": "deactivate"},
    "audit.action.reactivate": {"zh": "启用", "en": "reactivate"},
    "audit.action.import": {"zh": "导入", "en": "import"},
    "audit.action.transition": {"zh": "状态流转", "en": "transition"},
    "audit.action.restore": {"zh": "恢复备份", "en": "restore"},
    "audit.entity.user": {"zh": "用户", "en": "user"},
    "audit.entity.calendar": {"zh": "工作日历", "en": "calendar"},
    "audit.entity.opportunity": {"zh": "商机", "en": "opportunity"},
    "audit.entity.goal": {"zh": "目标", "en": "goal"},
    "audit.entity.form": {"zh": "反馈表", "en": "form"},
    "audit.entity.setting": {"zh": "设置", "en": "setting"},
    "audit.entity.import": {"zh": "导入", "en": "import"},
    "audit.entity.store": {"zh": "数据库", "en": "store"},
}
