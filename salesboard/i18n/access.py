"""Strings of sign-in, sign-out and permission messages."""

STRINGS: dict[str, dict[str, str]] = {
    "auth.title": {"zh": "登录销售过程管控看板", "en": "Sign in to Salesboard"},
    "auth.username": {"zh": "用户名", "en": "Username"},
    "auth.password": {"zh": "密码", "en": "Password"},
    "auth.sign_in": {"zh": "登录", "en": "Sign in"},
    "auth.sign_out": {"zh": "退出登录", "en": "Sign out"},
    "auth.signed_in_as": {"zh": "当前用户：{name}（{role}）", "en": "Signed in as {name} ({role})"},
    "auth.error.bad_credentials": {
        "zh": "用户名或密码错误。",
        "en": "Wrong username or password.",
    },
    "auth.error.locked": {
        "zh": "连续多次密码错误，账号已锁定至 {until}。请稍后再试或联系管理员。",
        "en": "Too many wrong passwords: the account is locked until {until}. Try again later "
        "or ask an admin.",
    },
    "auth.error.inactive": {
        "zh": "该账号已停用，请联系管理员。",
        "en": "This account is deactivated; ask an admin.",
    },
    "auth.error.weak_password": {
        "zh": "密码至少需要 {min} 个字符。",
        "en": "The password needs at least {min} characters.",
    },
    "auth.error.guessable_password": {
        "zh": "这个密码太容易被猜到（例如 12345678、password、常见单词、姓名或日期）。请换一个更长、"
        "不常见的密码，例如三四个不相关的词。",
        "en": "This password is too easy to guess (like 12345678, password, a common word, a name "
        "or a date). Choose a longer, uncommon one, e.g. three or four unrelated words.",
    },
    "auth.error.wrong_password": {"zh": "当前密码不正确。", "en": "The current password is wrong."},
    "auth.error.username_taken": {
        "zh": "用户名 {username} 已被占用。",
        "en": "The username {username} is taken.",
    },
    "auth.error.bad_username": {
        "zh": "用户名不能为空、不能含空格，且不超过 64 个字符。",
        "en": "A username must not be empty, contain spaces or exceed 64 characters.",
    },
    "auth.error.bad_role": {"zh": "未知角色。", "en": "Unknown role."},
    "auth.demo_hint": {
        "zh": "演示数据：所有账号的密码均为 {password}。例如：{accounts}",
        "en": "Demo data: every account's password is {password}. For example: {accounts}",
    },
    "auth.must_change": {
        "zh": "管理员已重置你的密码，请先设置新密码。",
        "en": "An admin reset your password: choose a new one to continue.",
    },
    "auth.current_password": {"zh": "当前密码", "en": "Current password"},
    "auth.new_password": {"zh": "新密码", "en": "New password"},
    "auth.repeat_password": {"zh": "再次输入新密码", "en": "Repeat the new password"},
    "auth.change_password": {"zh": "修改密码", "en": "Change password"},
    "auth.password_changed": {"zh": "密码已修改。", "en": "Password changed."},
    "auth.passwords_differ": {
        "zh": "两次输入的新密码不一致。",
        "en": "The two new passwords differ.",
    },
    "auth.session_ended": {
        "zh": "会话已过期或已退出，请重新登录。",
        "en": "Your session ended; please sign in again.",
    },
    "access.denied": {
        "zh": "你没有查看此页面的权限。",
        "en": "You do not have access to this page.",
    },
    "role.rep": {"zh": "销售代表", "en": "Rep"},
    "role.manager": {"zh": "销售经理", "en": "Manager"},
    "role.leader": {"zh": "管理层", "en": "Leader"},
    "role.admin": {"zh": "管理员", "en": "Admin"},
}
