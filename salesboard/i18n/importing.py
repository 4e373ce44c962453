"""Strings of the spreadsheet upload: analysis, import, validation report, undo, CLI."""

_KINDS = {
    "opportunities": ("商机", "Opportunities"),
    "key_actions": ("关键动作（跟踪表）", "Key actions (tracking table)"),
    "visits": ("客户拜访", "Visits"),
    "collections": ("回款", "Collections"),
    "ratings": ("评分（满意度调查）", "Ratings (survey)"),
    "goals": ("目标", "Goals"),
    "customers": ("客户", "Customers"),
    "users": ("用户与团队", "Users & teams"),
    "organisation": ("组织架构", "Organisation"),
}
_FIELDS = {
    "list": ("类型", "List"),
    "entry_code": ("编码", "Code"),
    "name_zh": ("中文名称", "Chinese name"),
    "name_en": ("英文名称", "English name"),
    "managers": ("团队经理", "Managers"),
    "code": ("商机编号", "Opportunity ID"),
    "opportunity": ("商机编号", "Opportunity ID"),
    "opportunity_name": ("商机名称", "Opportunity name"),
    "customer": ("客户名称", "Customer"),
    "customer_name": ("客户名称", "Customer name"),
    "stage": ("销售阶段", "Stage"),
    "owner": ("负责人", "Owner"),
    "amount": ("金额", "Amount"),
    "product_line": ("产品线", "Product line"),
    "region": ("区域", "Region"),
    "team": ("团队", "Team"),
    "source": ("来源", "Source"),
    "created_on": ("创建日期", "Created on"),
    "stage_entered_on": ("进入当前阶段日期", "Stage entered on"),
    "status": ("状态", "Status"),
    "expected_close_on": ("预计成交日期", "Expected close"),
    "won_on": ("赢单日期", "Won on"),
    "lost_on": ("输单日期", "Lost on"),
    "lost_stage": ("输单阶段", "Lost at stage"),
    "lost_reason": ("输单原因", "Lost reason"),
    "risk_flag": ("风险标识", "Risk flag"),
    "next_step": ("下一步", "Next step"),
    "action": ("关键动作", "Key action"),
    "planned_on": ("计划完成时间", "Planned date"),
    "done_on": ("实际完成时间", "Actual date"),
    "deliverable": ("交付物", "Deliverable"),
    "customer_feedback": ("客户反馈", "Customer feedback"),
    "rep": ("销售代表", "Rep"),
    "visited_on": ("拜访日期", "Visit date"),
    "minutes": ("时长（分钟）", "Minutes"),
    "with_decision_maker": ("见到决策人", "Met decision maker"),
    "need_obtained": ("获取明确需求", "Need obtained"),
    "goal": ("拜访目的", "Visit goal"),
    "commitment": ("晋级承诺", "Commitment"),
    "due_on": ("应收日期", "Due date"),
    "due_amount": ("应收金额", "Amount due"),
    "collected_on": ("实际回款日期", "Collected on"),
    "collected_amount": ("实收金额", "Collected amount"),
    "period": ("期间", "Period"),
    "target": ("目标值", "Target"),
    "metric": ("指标", "Metric"),
    "scope": ("层级", "Scope"),
    "industry": ("行业", "Industry"),
    "customer_type": ("客户类型", "Customer type"),
    "potential": ("潜力", "Potential"),
    "username": ("用户名", "Username"),
    "display_name": ("姓名", "Name"),
    "role": ("角色", "Role"),
    "email": ("邮箱", "Email"),
    "active": ("在职", "Active"),
    "stage_date": ("{stage}日期", "{stage} date"),
    "kind": ("评分类型", "Rating kind"),
    "score": ("评分", "Score"),
    "rated_on": ("评价日期", "Rated on"),
    "note": ("备注", "Note"),
}
_PROBLEMS = {
    # value parsers
    "bad_amount": ("不是有效金额：{value}", "Not an amount: {value}"),
    "bad_percent": ("不是有效百分比：{value}", "Not a percentage: {value}"),
    "bad_date": ("不是有效日期：{value}", "Not a date: {value}"),
    "ambiguous_date": (
        "日期有歧义（日/月顺序不明）：{value}，请写成 2024-05-10",
        "Ambiguous date (day/month order): {value}; write it as 2024-05-10",
    ),
    "bad_int": ("不是整数：{value}", "Not a whole number: {value}"),
    "bad_bool": ("应填 是/否：{value}", "Expected yes/no: {value}"),
    "out_of_range": ("数值过大：{value}", "Number too large: {value}"),
    "cell_error": ("单元格是 Excel 错误值：{value}", "The cell holds an Excel error: {value}"),
    "currency_mismatch": (
        "币种与系统币种不符：{value}",
        "Currency differs from the company's: {value}",
    ),
    # import rules
    "missing_required": ("必填项为空", "Required value is empty"),
    "too_long": ("内容过长（最多 {max} 个字符）", "Too long (at most {max} characters)"),
    "negative_amount": ("金额不能为负数：{value}", "Amount must not be negative: {value}"),
    "amount_above_limit": (
        "金额超过单笔上限 {limit}：{value}（管理员可通过 SALESBOARD_MAX_DEAL_AMOUNT 调整）",
        "Amount above the per-deal limit of {limit}: {value} (admins can change "
        "SALESBOARD_MAX_DEAL_AMOUNT)",
    ),
    "negative_number": ("数值不能为负数：{value}", "Must not be negative: {value}"),
    "bad_choice": (
        "无法识别：{value}（可选：{choices}）",
        "Not recognised: {value} (one of: {choices})",
    ),
    "bad_period": (
        "无法识别的期间：{value}（例如 2026-10、2026Q4、2026）",
        "Not a period: {value} (e.g. 2026-10, 2026Q4, 2026)",
    ),
    "unknown_stage": ("系统中没有这个销售阶段：{value}", "No such sales stage: {value}"),
    "unknown_owner": (
        "系统中没有这个人（用户名或姓名）：{value}",
        "No user with this username or name: {value}",
    ),
    "ambiguous_owner": (
        "姓名“{value}”对应多个用户（{candidates}），请改填用户名",
        "“{value}” is the name of several users ({candidates}); use the username",
    ),
    "unknown_customer": (
        "系统中没有这个客户：{value}（可选择“自动创建缺少的客户、区域和产品线”；命令行用 --create-missing）",
        "No such customer: {value} (choose “create missing customers, regions and product "
        "lines”, or --create-missing on the command line)",
    ),
    "ambiguous_customer": (
        "客户“{value}”在多个区域都有，请填写区域",
        "“{value}” exists in several regions; fill in the region",
    ),
    "unknown_region": ("系统中没有这个区域：{value}", "No such region: {value}"),
    "bad_code": (
        "编码“{value}”无效：只能用小写字母、数字、下划线或连字符，最多 32 位",
        "Code “{value}” is not valid: lower-case letters, digits, _ or -, up to 32",
    ),
    "code_needed": ("请填写编码（团队以外的条目都需要）", "A code is needed (for all but teams)"),
    "name_taken": (
        "“{value}”已有同名条目“{existing}”（全角/半角、空格、大小写不同也算同名）",
        "“{value}” is there already as “{existing}” (width, spaces and case do not make a "
        "different name)",
    ),
    "not_a_manager": (
        "“{user}”不是在职的销售经理，不能担任团队经理",
        "“{user}” is no active manager and cannot lead a team",
    ),
    "team_region_needed": ("团队需要填写所属区域", "A team needs its region"),
    "retired": (
        "“{value}”已停用，不能用于新记录（可在组织架构页恢复）",
        "“{value}” is retired and takes no new records (restore it on the Organisation page)",
    ),
    "unknown_product_line": ("系统中没有这个产品线：{value}", "No such product line: {value}"),
    "unknown_team": (
        "系统中没有这个团队：{value}（填写区域即可新建团队）",
        "No such team: {value} (fill in a region to create it)",
    ),
    "unknown_opportunity": (
        "系统中没有这个商机编号：{value}",
        "No opportunity with this ID: {value}",
    ),
    "duplicate_key": (
        "文件内重复：与第 {rows} 行是同一条记录",
        "Duplicate in the file: same record as row {rows}",
    ),
    "already_exists": (
        "系统中已存在（当前为“仅新增”模式）",
        "Already in the store (mode is “insert only”)",
    ),
    "forbidden": ("无权导入 {who} 的数据", "You may not import data of {who}"),
    "status_conflict": (
        "状态与销售阶段矛盾：{value}",
        "The status contradicts the stage: {value}",
    ),
    "date_out_of_range": (
        "日期不合理：{value}（应在 {earliest} 至 {latest} 之间）",
        "Implausible date: {value} (expected between {earliest} and {latest})",
    ),
    "date_before": ("日期早于{other}：{value}", "Date before the {other}: {value}"),
    "dates_out_of_order": (
        "日期先后顺序不对（创建、各阶段、赢单/输单日期）",
        "Dates out of order (created, stage, won/lost dates)",
    ),
    "customer_mismatch": (
        "与商机的客户“{expected}”不一致",
        "Does not match the opportunity's customer “{expected}”",
    ),
    "scope_conflict": (
        "层级与所填维度不符：{value}",
        "The scope does not match the dimensions filled in: {value}",
    ),
    "no_team": (
        "{who} 没有所属团队，请填写团队",
        "{who} belongs to no team; fill in the team",
    ),
    "no_region": (
        "新客户需要区域（填写区域，或负责人需有所属团队）",
        "A new customer needs a region (fill it in, or the owner needs a team)",
    ),
    "self_change": (
        "不能通过导入修改自己的角色或停用自己",
        "You cannot change your own role or deactivate yourself by import",
    ),
    "bad_username": ("用户名不能包含空格：{value}", "A username must not contain spaces: {value}"),
    "bad_email": ("不是有效邮箱：{value}", "Not an email address: {value}"),
    "rating_range": ("评分应为 1–5 的整数：{value}", "A rating is a whole number 1–5: {value}"),
}
_REJECTS = {
    "empty": ("文件是空的，或工作表中没有数据。", "The file is empty, or the sheet holds no data."),
    "too_large": (
        "文件过大：{size} MB，上限 {limit} MB（管理员可通过 SALESBOARD_MAX_UPLOAD_MB 调整）。",
        "The file is too large: {size} MB, the limit is {limit} MB (admins can change "
        "SALESBOARD_MAX_UPLOAD_MB).",
    ),
    "too_many_cells": (
        "工作表过大：{cells} 个单元格，上限 {limit} 个。请拆分文件或删除多余的行列。",
        "The sheet is too large: {cells} cells, the limit is {limit}. Split the file or "
        "delete unused rows and columns.",
    ),
    "too_large_to_read": (
        "工作表太大，读取时超出了内存或时间上限。请拆分文件或删除多余的行列。",
        "The sheet is too large to read within the memory and time limits. Split the file or "
        "delete unused rows and columns.",
    ),
    "not_a_spreadsheet": (
        "这不是电子表格文件（支持 xlsx、xls、csv）。",
        "This is not a spreadsheet (xlsx, xls and csv are supported).",
    ),
    "html_not_excel": (
        "这是网页/XML 格式，只是扩展名为 .xls。请在 Excel 中“另存为”.xlsx 后再上传。",
        "This is a web page / XML file named .xls. Open it in Excel, save it as .xlsx and "
        "upload that.",
    ),
    "zip_bomb": (
        "文件解压后异常巨大，已拒绝（可能是恶意文件）。",
        "The file unpacks to an absurd size and was refused (it may be hostile).",
    ),
    "encrypted": (
        "工作簿有密码保护。请先在 Excel 中取消密码再上传。",
        "The workbook is password-protected. Remove the password in Excel, then upload.",
    ),
    "corrupt": ("文件已损坏，无法读取。", "The file is damaged and cannot be read."),
    "unreadable_sheet": ("无法读取该工作表。", "This sheet cannot be read."),
    "sheet_not_found": ("找不到该工作表。", "No such sheet."),
    "bad_encoding": (
        "无法识别文本编码。请在 Excel 中另存为“CSV UTF-8”或 xlsx。",
        "The text encoding is unknown. Save as “CSV UTF-8” or xlsx in Excel.",
    ),
    "mixed_encoding": (
        "文件混用了 UTF-8 和另一种编码（例如第 {utf8_line} 行是 UTF-8，第 {other_line} 行不是），"
        "无论按哪种编码读取都会有乱码。请在 Excel 中另存为“CSV UTF-8”后再上传。",
        "The file mixes UTF-8 and another encoding (line {utf8_line} is UTF-8, line "
        "{other_line} is not), so any reading garbles some rows. Save it as “CSV UTF-8” in "
        "Excel and upload that.",
    ),
    "bad_header_row": ("表头行号超出了表格范围。", "The header row is outside the sheet."),
}
_WARNINGS = {
    "extension_mismatch": (
        "文件扩展名为 {extension}，内容实际是 {detected}，已按实际内容读取。",
        "The file is named {extension} but is {detected}; it was read as {detected}.",
    ),
    "encoding_guessed": (
        "文本编码是推测的（{encoding}），请检查中文是否显示正常。",
        "The text encoding was guessed ({encoding}); check that the text reads correctly.",
    ),
    "header_not_found": (
        "没有找到明显的表头行，已使用第 {row} 行。可在“表头所在行”中修改。",
        "No row looked like a header; row {row} is used. Change it under “Header row”.",
    ),
    "blank_header_named": (
        "有一列没有表头，已命名为 {column}。",
        "A column without a header was named {column}.",
    ),
    "duplicate_header_renamed": (
        "表头“{name}”重复，后一列已改名为“{as}”。",
        "The header “{name}” appears twice; the second is named “{as}”.",
    ),
}
_NOTES = {
    "no_create_encoding_guessed": (
        "文件编码是推测的，名称可能有乱码：本次不会自动创建客户。请另存为“CSV UTF-8”后再导入以创建客户。",
        "The file's encoding was guessed and names may be garbled, so no customer is created "
        "this time. Save it as “CSV UTF-8” and import again to create customers.",
    ),
    "unmapped": ("以下列未使用：{columns}", "Columns not used: {columns}"),
    "amount_unit": (
        "请核对金额单位：“{column}”列的表头单位是万元或更大，但有 {count} 个数值换算后超过 10 亿元"
        "（如第 {row} 行的 {value}）。如果这些金额是按元填写的，请把表头改为“金额（元）”后重新上传。",
        "Check the amount unit: the header of “{column}” names 万元 or larger, yet {count} "
        "values come to over 1 billion yuan (e.g. {value} on row {row}). If they are in yuan, "
        "change the header to “金额（元）” and upload again.",
    ),
    "new_customers": ("将新建 {count} 个客户：{names}", "Will create {count} customer(s): {names}"),
    "new_teams": ("将新建 {count} 个团队：{names}", "Will create {count} team(s): {names}"),
    "new_region": ("将新建 {count} 个区域：{names}", "Will create {count} region(s): {names}"),
    "new_product_line": (
        "将新建 {count} 条产品线：{names}",
        "Will create {count} product line(s): {names}",
    ),
    "opportunities": (
        "商机编号是唯一键。团队、区域默认取负责人所在团队；状态默认由销售阶段决定。更新时空白单元格"
        "保留系统中原值。",
        "The opportunity ID is the key. Team and region default to the owner's team; the "
        "status follows the stage. When updating, empty cells keep the stored value.",
    ),
    "stage_dates": (
        "可选：每个阶段一列“<阶段名>日期”（如“需求分析日期”），新建商机时据此生成阶段历史。",
        "Optional: one column “<stage> date” per stage (e.g. “Needs analysis date”); new "
        "opportunities get their stage history from them.",
    ),
    "key_actions": (
        "即《销售过程跟踪表》（表1）。同一商机、阶段、关键动作视为同一条记录；负责人为空时取商机负责人。",
        "The sales process tracking table (table 1). Opportunity + stage + key action is the "
        "key; an empty owner means the opportunity's owner.",
    ),
    "visits": (
        "客户 + 拜访人 + 日期 视为同一次拜访。有效拜访 = 见到决策人、至少 10 分钟、获取明确需求。",
        "Customer + rep + date is the key. Effective visit = decision maker, at least 10 "
        "minutes, a clear need.",
    ),
    "ratings": (
        "商机编号 + 阶段 + 评分类型（方案匹配度 / 沟通满意度）视为同一条评分；评分为 1–5 的整数。"
        "系统中已有的评分会被更新（与在商机页重新评分相同）。",
        "Opportunity ID + stage + rating kind (proposal match / communication) is the key; a "
        "score is a whole number 1–5. A rating already stored is updated (as rating the deal "
        "again on its page does).",
    ),
    "goals": (
        "期间写 2026-10、2026Q4 或 2026。层级可省略（按所填的最细维度判断）。金额类指标可写 1000万。",
        "Write periods as 2026-10, 2026Q4 or 2026. The scope may be left out (the finest "
        "dimension filled in decides). Money targets may be written as 1000万.",
    ),
    "organisation": (
        "每行一个条目：类型填区域、团队、产品线、客户类型或线索来源。编码用小写字母、数字、下划线或连字符"
        "（团队不填编码，以名称识别）；团队填所属区域（可以是本表前面新增的区域）和团队经理的用户名"
        "（多个用顿号分隔）。更新方式下按编码（团队按名称）修改名称。",
        "One entry per row: the list is region, team, product line, customer type or lead "
        "source. Codes are lower-case letters, digits, _ or - (teams have none: their name "
        "identifies them); a team names its region (one added further up the sheet will do) "
        "and its managers' usernames (several separated by 、 or commas). In update mode an "
        "entry found by its code (a team by its name) is renamed.",
    ),
    "users": (
        "只有姓名也可以：没有用户名时，按工号、邮箱前缀或姓名拼音生成（张伟 → zhang.wei，重名 → "
        "zhang.wei2）。新用户各得一个一次性密码，首次登录时必须修改。团队不存在时，填写区域即可新建。",
        "A name is enough: without a username one is made from the employee number, the "
        "e-mail or the name in pinyin (张伟 → zhang.wei, taken → zhang.wei2). Each new user "
        "gets a one-time password to change at first sign-in. A team that does not exist is "
        "created when the row names its region.",
    ),
}
_UNDO = {
    "nothing_to_undo": ("没有可撤销的导入。", "There is no import to undo."),
    "not_last": (
        "只能撤销最近一次导入（#{batch}）。",
        "Only the most recent import (#{batch}) can be undone.",
    ),
    "forbidden": (
        "只有管理员或导入人（{who}）可以撤销这次导入。",
        "Only an admin or the person who imported ({who}) can undo this import.",
    ),
    "changed_since": (
        "无法撤销：导入后已有 {count} 条记录被修改（{entity}：{ids}）。",
        "Cannot undo: {count} rows were changed since the import ({entity}: {ids}).",
    ),
    "in_use": (
        "无法撤销：导入后新增的 {count} 条记录引用了这次导入的数据（{entity}）。",
        "Cannot undo: {count} rows recorded since refer to this import's data ({entity}).",
    ),
    "done": (
        "已撤销导入 #{batch}（{file}）。",
        "Import #{batch} ({file}) was undone.",
    ),
}

STRINGS: dict[str, dict[str, str]] = {
    **{f"import.kind.{k}": {"zh": zh, "en": en} for k, (zh, en) in _KINDS.items()},
    **{f"import.field.{k}": {"zh": zh, "en": en} for k, (zh, en) in _FIELDS.items()},
    **{f"import.problem.{k}": {"zh": zh, "en": en} for k, (zh, en) in _PROBLEMS.items()},
    **{f"import.reject.{k}": {"zh": zh, "en": en} for k, (zh, en) in _REJECTS.items()},
    **{f"import.warning.{k}": {"zh": zh, "en": en} for k, (zh, en) in _WARNINGS.items()},
    **{f"import.note.{k}": {"zh": zh, "en": en} for k, (zh, en) in _NOTES.items()},
    **{f"import.undo.{k}": {"zh": zh, "en": en} for k, (zh, en) in _UNDO.items()},
    "import.mode.insert": {
        "zh": "仅新增（已存在的记录报错）",
        "en": "Insert only (existing = error)",
    },
    "import.mode.update": {"zh": "新增并更新已存在的记录", "en": "Insert and update existing"},
    "import.mode.skip": {"zh": "新增，跳过已存在的记录", "en": "Insert, skip existing"},
    "import.mapping.missing": {
        "zh": "必填字段“{field}”还没有对应的列。",
        "en": "The required field “{field}” has no column yet.",
    },
    "import.mapping.unknown_column": {
        "zh": "文件中没有列“{column}”。",
        "en": "The file has no column “{column}”.",
    },
    "import.mapping.twice": {
        "zh": "列“{column}”被用于多个字段。",
        "en": "The column “{column}” feeds more than one field.",
    },
    "import.kind_unknown": {
        "zh": "无法从表头判断导入类型，请手动选择（或用 --kind 指定）。",
        "en": "Cannot tell the kind of import from the headers; choose it (or pass --kind).",
    },
    "import.forbidden_kind": {
        "zh": "你的角色不能导入“{kind}”。",
        "en": "Your role cannot import “{kind}”.",
    },
    "import.conflict": {
        "zh": "导入期间有记录被他人修改，已全部回滚，请重试。",
        "en": "Records changed while importing; nothing was written. Please try again.",
    },
    "import.failed_write": {
        "zh": "写入失败，已全部回滚，系统数据未改变。错误编号 {id}：请把它告诉系统管理员。",
        "en": "Writing failed and was rolled back; the store is unchanged. Error id {id}: "
        "please pass it on to your administrator.",
    },
    # report
    "import.report.row": {"zh": "行号", "en": "Row"},
    "import.report.column": {"zh": "列", "en": "Column"},
    "import.report.value": {"zh": "单元格内容", "en": "Cell"},
    "import.report.problem": {"zh": "问题", "en": "Problem"},
    "import.report.reason": {"zh": "错误原因", "en": "Reason"},
    "import.report.source_row": {"zh": "原文件行号", "en": "Source row"},
    "import.report.sheet_rows": {"zh": "待修正的行", "en": "Rows to fix"},
    "import.report.sheet_problems": {"zh": "问题明细", "en": "Problems"},
    "import.report.summary": {
        "zh": "共 {rows} 行：可新增 {insert}，可更新 {update}，无变化 {unchanged}，跳过 {skip}，"
        "有问题 {failed}。",
        "en": "{rows} rows: {insert} to insert, {update} to update, {unchanged} unchanged, "
        "{skip} skipped, {failed} with problems.",
    },
    "import.report.result": {
        "zh": "导入 #{batch} 完成：新增 {inserted}，更新 {updated}，跳过 {skipped}，未导入（有问题）{failed}。",
        "en": "Import #{batch} done: {inserted} inserted, {updated} updated, {skipped} skipped, "
        "{failed} not imported (problems).",
    },
    "import.report.nothing_written": {
        "zh": "存在有问题的行，未写入任何数据（加 --skip-invalid 可只导入无问题的行）。",
        "en": "Some rows have problems; nothing was written (--skip-invalid imports the "
        "valid rows only).",
    },
    "import.report.dry_run": {
        "zh": "试运行：未写入任何数据。",
        "en": "Dry run: nothing was written.",
    },
    "import.report.file": {
        "zh": "文件 {file}（{format}，工作表 {sheet}，表头在第 {header} 行，{rows} 行数据）",
        "en": "File {file} ({format}, sheet {sheet}, header on row {header}, {rows} data rows)",
    },
    "import.report.kind": {
        "zh": "导入类型：{kind}；方式：{mode}",
        "en": "Kind: {kind}; mode: {mode}",
    },
    "import.report.more": {
        "zh": "……另有 {count} 个问题（完整列表见错误工作簿）",
        "en": "… {count} more problems (see the error workbook for all)",
    },
    # import log
    "import.log.id": {"zh": "编号", "en": "#"},
    "import.log.at": {"zh": "时间", "en": "When"},
    "import.log.who": {"zh": "导入人", "en": "Who"},
    "import.log.kind": {"zh": "类型", "en": "Kind"},
    "import.log.mode": {"zh": "方式", "en": "Mode"},
    "import.log.file": {"zh": "文件", "en": "File"},
    "import.log.sha256": {"zh": "文件指纹（SHA-256）", "en": "File hash (SHA-256)"},
    "import.log.inserted": {"zh": "新增", "en": "Inserted"},
    "import.log.updated": {"zh": "更新", "en": "Updated"},
    "import.log.skipped": {"zh": "跳过", "en": "Skipped"},
    "import.log.failed": {"zh": "未导入", "en": "Failed"},
    "import.log.status": {"zh": "状态", "en": "Status"},
    "import.log.status_done": {"zh": "已导入", "en": "Imported"},
    "import.log.status_undone": {"zh": "已撤销", "en": "Undone"},
    "import.log.empty": {"zh": "还没有导入记录。", "en": "No imports yet."},
    # templates
    "import.template.notes_sheet": {"zh": "填写说明", "en": "Notes"},
    "import.template.field": {"zh": "字段", "en": "Field"},
    "import.template.required": {"zh": "必填", "en": "Required"},
    "import.template.format": {"zh": "格式", "en": "Format"},
    "import.template.yes": {"zh": "是", "en": "yes"},
    "import.template.example_note": {
        "zh": "第 2 行是示例，导入前请删除。",
        "en": "Row 2 is an example; delete it before importing.",
    },
    "import.type.text": {"zh": "文本", "en": "Text"},
    "import.type.amount": {
        "zh": "金额：85万、¥850,000、850000 均可",
        "en": "Amount: 850000, ¥850,000 or 85万",
    },
    "import.type.date": {
        "zh": "日期：2024-05-10、2024/5/10、2024年5月10日 或 Excel 日期",
        "en": "Date: 2024-05-10, 2024/5/10 or an Excel date",
    },
    "import.type.int": {"zh": "整数", "en": "Whole number"},
    "import.type.bool": {"zh": "是 / 否", "en": "yes / no"},
    "import.type.choice": {"zh": "可选值：{choices}", "en": "One of: {choices}"},
    "import.type.ref": {
        "zh": "填写系统中已有的名称或编码",
        "en": "A name or code that exists in the store",
    },
    "import.type.period": {
        "zh": "期间：2026-10、2026Q4、2026",
        "en": "Period: 2026-10, 2026Q4, 2026",
    },
}

# --- the upload page --------------------------------------------------------------------------
_PAGE = {
    "nav": ("数据导入与分析", "Data upload"),
    "title": ("上传表格：分析与导入", "Upload a spreadsheet: analyse and import"),
    "caption": (
        "支持 xlsx、xls、csv（UTF-8 或 GBK），单个文件不超过 {limit} MB。可以先直接分析，确认无误后再导入系统。",
        "xlsx, xls and csv (UTF-8 or GBK) up to {limit} MB. Analyse the file right away; "
        "import it into the store when it is good.",
    ),
    "file": ("选择文件", "Choose a file"),
    "browse": ("浏览文件", "Browse files"),
    "dropzone": (
        "把文件拖到上方框内，或点击“浏览文件”。格式：{types}。",
        "Drop a file on the box above or click “Browse files”. Formats: {types}.",
    ),
    "dropzone_limit": (
        "把文件拖到上方框内，或点击“浏览文件”。格式：{types}；单个文件不超过 {limit} MB。",
        "Drop a file on the box above or click “Browse files”. Formats: {types}; up to {limit} "
        "MB per file.",
    ),
    "file_help": (
        "标题行、合并表头、“85万”“¥850,000”等金额写法、Excel 日期都能识别。上限 {limit} MB。",
        "Title rows, merged headers, amounts like 85万 or ¥850,000 and Excel dates are "
        "understood. Limit {limit} MB.",
    ),
    "templates": ("空白导入模板", "Blank import templates"),
    "templates_help": (
        "每种数据一个模板：表头、示例行和填写说明（中英文表头都能识别）。",
        "One template per kind: header, an example row and notes (Chinese and English "
        "headers are both recognised).",
    ),
    "sheet": ("工作表", "Sheet"),
    "header_row": ("表头所在行", "Header row"),
    "header_row_help": (
        "自动识别的表头行（跳过标题行）。识别不对时，填写 Excel 中表头所在的行号。",
        "The header row as detected (title rows are skipped). If it is wrong, enter the row "
        "number Excel shows for the header.",
    ),
    "read": (
        "工作表“{sheet}” · 表头在第 {header} 行 · {rows} 行数据 · {columns} 列 · {format}",
        "Sheet “{sheet}” · header on row {header} · {rows} data rows · {columns} columns · "
        "{format}",
    ),
    "read_text": (
        "表头在第 {header} 行 · {rows} 行数据 · {columns} 列 · {format}，编码 {encoding}",
        "Header on row {header} · {rows} data rows · {columns} columns · {format}, "
        "encoding {encoding}",
    ),
    "samples": ("示例文件", "Sample files"),
    "samples_help": (
        "下载后直接上传试用：商机清单（含 3 行故意写错的数据），以及 GBK 编码的《销售过程跟踪表》。先导入商机，再导入跟踪表。",
        "Download and upload them to try: an opportunity list (3 rows are wrong on purpose) "
        "and the tracking table as a GBK CSV. Import the opportunities first.",
    ),
    "tab_analyse": ("分析（不导入）", "Analyse (no import)"),
    "tab_import": ("导入到系统", "Import into the store"),
    "preview": ("预览", "Preview"),
    "preview_more": (
        "仅显示前 {shown} 行，共 {rows} 行。",
        "Showing the first {shown} of {rows} rows.",
    ),
    "profile": ("列概况", "Columns"),
    "join": (
        "关联系统中的销售代表和客户（补充团队、区域）",
        "Join the store's reps and customers (adds team, region)",
    ),
    "join_help": (
        "按姓名或用户名匹配销售代表，按名称匹配客户；只补充你有权查看的数据。",
        "Reps match by name or username, customers by name; only what you may see is added.",
    ),
    "join_rep": ("销售代表所在列", "Column with the rep"),
    "join_customer": ("客户所在列", "Column with the customer"),
    "join_matched": (
        "已匹配：销售代表 {reps} 行，客户 {customers} 行（共 {rows} 行）。",
        "Matched: {reps} rows by rep, {customers} rows by customer (of {rows}).",
    ),
    "none": ("（不使用）", "(none)"),
    "choose": ("请选择", "Choose"),
    "pivot": ("数据透视", "Pivot"),
    "pivot_rows": ("行", "Rows"),
    "pivot_columns": ("列", "Columns"),
    "pivot_values": ("值", "Values"),
    "pivot_agg": ("汇总方式", "Aggregation"),
    "pivot_pick": ("请选择行或列。", "Choose rows or columns."),
    "row_count": ("行数", "Row count"),
    "chart": ("图表", "Chart"),
    "chart_kind": ("图表类型", "Chart type"),
    "chart_needs_rows": ("图表需要至少一个“行”。", "A chart needs at least one row field."),
    "no_kinds": (
        "你的角色不能导入数据，但可以使用“分析”。",
        "Your role cannot import data, but you can use the analysis.",
    ),
    "kind": ("导入类型", "What the rows are"),
    "mode": ("已存在的记录", "Records that already exist"),
    "mapping": (
        "列对应关系（已对应 {mapped} / {fields} 个字段）",
        "Column mapping ({mapped} of {fields} fields)",
    ),
    "mapping_template": (
        "已套用您上次为这组表头保存的对应关系（您的模板），请核对。",
        "The mapping you saved for this set of headers (your template) was applied; check it.",
    ),
    "mapping_template_shared": (
        "已套用管理员为这组表头共享的对应关系（共享模板），请核对。",
        "The mapping an admin shared for this set of headers (shared template) was applied; "
        "check it.",
    ),
    "save_template": (
        "保存为我的模板（下次相同表头自动套用）",
        "Save as my template (same headers next time)",
    ),
    "template_saved": (
        "已保存为您的模板，只对您自己生效。",
        "Saved as your template; it applies to you only.",
    ),
    "share_template": ("共享给所有人", "Share with everyone"),
    "share_template_denied": (
        "只有管理员可以把模板共享给所有人。",
        "Only an admin can share a template with everyone.",
    ),
    "share_template_help": (
        "保存为共享模板：没有自己模板的用户上传相同表头时都会套用它。此操作记入审计日志。",
        "Save as the shared template: everyone without a template of their own starts from it "
        "for the same headers. Recorded in the audit log.",
    ),
    "template_shared": (
        "已共享给所有人（已记入审计日志）。",
        "Shared with everyone (recorded in the audit log).",
    ),
    "check": ("检查数据（试运行，不写入）", "Check the data (dry run, writes nothing)"),
    "check_first": (
        "先检查数据：会列出有问题的行，不会写入任何内容。",
        "Check the data first: rows with problems are listed and nothing is written.",
    ),
    "checking": ("正在检查……", "Checking…"),
    "importing": ("正在导入……", "Importing…"),
    "all_valid": ("全部行都可以导入。", "Every row can be imported."),
    "some_failed": (
        "{failed} 行有问题（红色单元格），不会被导入。可下载错误工作簿，改好后只上传这些行。",
        "{failed} rows have problems (red cells) and will not be imported. Download the error "
        "workbook, fix it and upload just those rows.",
    ),
    "failed_rows": (
        "有问题的行（Excel 行号）：{rows}",
        "Rows with problems (Excel row numbers): {rows}",
    ),
    "problem_list": ("问题明细（{count} 条）", "All problems ({count})"),
    "error_workbook": ("下载错误工作簿（XLSX）", "Download the error workbook (XLSX)"),
    "error_file": ("导入错误.xlsx", "import-errors.xlsx"),
    "import_rows": ("导入 {count} 条有效记录", "Import {count} valid rows"),
    "log": ("导入记录", "Import log"),
    "undo": ("撤销最近一次导入 #{batch}（{file}）", "Undo the last import #{batch} ({file})"),
}
_COUNTS = {
    "rows": ("总行数", "Rows"),
    "insert": ("新增", "To insert"),
    "update": ("更新", "To update"),
    "skip": ("跳过/无变化", "Skipped / unchanged"),
    "failed": ("有问题", "With problems"),
}
_TYPES = {
    "date": ("日期", "Date"), "money": ("金额", "Money"), "number": ("数字", "Number"),
    "percent": ("百分比", "Percentage"), "text": ("文本", "Text"),
}  # fmt: skip
_PROFILE = {
    "column": ("列", "Column"), "type": ("类型", "Type"), "filled": ("有值", "Filled"),
    "empty": ("空白", "Empty"), "distinct": ("不同值", "Distinct"), "top": ("最常见", "Most common"),
    "min": ("最小", "Min"), "max": ("最大", "Max"), "sum": ("合计", "Sum"),
}  # fmt: skip
_AGGS = {
    "sum": ("求和", "Sum"), "mean": ("平均", "Average"), "count": ("计数", "Count"),
    "nunique": ("不同值个数", "Distinct count"), "min": ("最小", "Min"), "max": ("最大", "Max"),
}  # fmt: skip
_CHARTS = {
    "bar": ("柱状图", "Bar"), "line": ("折线图", "Line"), "funnel": ("漏斗图", "Funnel"),
    "treemap": ("矩形树图", "Treemap"),
}  # fmt: skip

STRINGS.update({f"upload.{k}": {"zh": zh, "en": en} for k, (zh, en) in _PAGE.items()})
STRINGS.update({f"upload.count.{k}": {"zh": zh, "en": en} for k, (zh, en) in _COUNTS.items()})
STRINGS.update({f"upload.type.{k}": {"zh": zh, "en": en} for k, (zh, en) in _TYPES.items()})
STRINGS.update({f"upload.profile.{k}": {"zh": zh, "en": en} for k, (zh, en) in _PROFILE.items()})
STRINGS.update({f"upload.agg.{k}": {"zh": zh, "en": en} for k, (zh, en) in _AGGS.items()})
STRINGS.update({f"upload.chart.{k}": {"zh": zh, "en": en} for k, (zh, en) in _CHARTS.items()})

# Constants (one value for every row) and what an import creates (issue 14 items 2, 4).
STRINGS.update(
    {
        "import.constant_column": {"zh": "{field}（所有行）", "en": "{field} (all rows)"},
        "import.constant_unknown_field": {
            "zh": "--set {field}：“{kind}”导入没有这个字段",
            "en": "--set {field}: the import of “{kind}” has no such field",
        },
        "upload.all_rows": {"zh": "所有行填同一个值…", "en": "Same value for all rows…"},
        "upload.all_rows_value": {"zh": "{field}：所有行的值", "en": "{field}: value for all rows"},
        "upload.create_missing": {
            "zh": "自动创建缺少的客户、区域和产品线",
            "en": "Create missing customers, regions and product lines",
        },
        "upload.create_missing_help": {
            "zh": "文件中出现、系统中还没有的名称将被新建；检查结果会先列出将新建的内容。"
            "与已有名称相近的（如“华南区”与“华南”）不会新建，而是作为问题列出。区域和产品线只有管理员可以新建。",
            "en": "Names the file uses that the store lacks are created; the check lists what "
            "would be created first. A name close to an existing one (华南区 next to 华南) is "
            "listed as a problem instead. Only admins create regions and product lines.",
        },
        "import.problem.near_duplicate": {
            "zh": "“{value}”与已有的“{existing}”相近，不会自动新建：请改用已有名称，或先在组织架构页添加",
            "en": "“{value}” is close to the existing “{existing}” and is not created: use the "
            "existing name, or add it on the Organisation page first",
        },
    }
)
