"""Strings of the alert a rep gets when a lead is assigned to them (reminders.lead_alert)."""

STRINGS: dict[str, dict[str, str]] = {
    "alert.lead.subject": {
        "zh": "新线索 #{id}：{company}，请尽快跟进",
        "en": "New lead #{id}: {company} — please follow up",
    },
    "alert.lead.intro": {
        "zh": "一条新线索刚刚分配给你。按公司标准，线索应在 1 小时内跟进。",
        "en": "A new lead was just assigned to you. Leads are followed up within the hour.",
    },
    "alert.lead.company": {"zh": "公司", "en": "Company"},
    "alert.lead.contact": {"zh": "联系人", "en": "Contact"},
    "alert.lead.source": {"zh": "来源", "en": "Source"},
    "alert.lead.industry": {"zh": "行业", "en": "Industry"},
    "alert.lead.budget": {"zh": "预算", "en": "Budget"},
    "alert.lead.score": {"zh": "评分", "en": "Score"},
    "alert.lead.received": {"zh": "接收时间", "en": "Received"},
    "alert.lead.message": {"zh": "留言", "en": "Message"},
}
