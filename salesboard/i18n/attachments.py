"""Strings of deal attachments (issue 15): why a file is refused."""

STRINGS: dict[str, dict[str, str]] = {
    "attachment.error.too_large": {
        "zh": "文件 {name} 超过 {limit} MB 的上限。",
        "en": "{name} is larger than the {limit} MB limit.",
    },
    "attachment.error.empty": {"zh": "文件 {name} 是空的。", "en": "{name} is empty."},
    "attachment.error.type_not_allowed": {
        "zh": "文件 {name} 不是允许的类型（PDF、Word、Excel、PowerPoint、PNG、JPEG、GIF、WebP），"
        "或扩展名与内容不符。",
        "en": "{name} is not an allowed type (PDF, Word, Excel, PowerPoint, PNG, JPEG, GIF, "
        "WebP), or its extension does not match its content.",
    },
    "attachment.error.name_invalid": {
        "zh": "文件名不可用（不能为空、以点开头、含路径或控制字符，最长 200 个字符）。",
        "en": "The file name cannot be used (it must not be empty, start with a dot, contain "
        "a path or control characters, or exceed 200 characters).",
    },
    "attachment.error.not_found": {"zh": "未找到该商机或文件。", "en": "No such deal or file."},
    "attachment.error.read_only": {
        "zh": "你可以查看商机 {deal}，但不能为它上传文件。",
        "en": "You may read deal {deal} but not attach files to it.",
    },
}
