"""The few interface strings helpgen itself writes on the site, per language (Material translates the rest)."""
from __future__ import annotations

LEVEL_LABELS = {
    "en": {"beginner": "Beginner", "advanced": "Advanced", "troubleshooting": "Troubleshooting"},
    "zh": {"beginner": "入门", "advanced": "进阶", "troubleshooting": "故障排查"},
}

LABELS = {
    "en": {
        "home": "Home", "search_placeholder": "Describe your problem or question",
        "search_example": "Describe your problem, e.g. \"{example}\"", "general": "General",
        "search_title": "How can we help?", "start_here": "Start here", "journey": "Your journey",
        "articles": "articles", "article": "article", "troubleshooting": "Something not working?",
        "troubleshooting_index": "Troubleshooting", "error_codes": "Error codes", "whats_new": "What's new",
        "glossary": "Glossary", "handbook": "Starter handbook", "advanced_guide": "Advanced guide",
        "unsorted": "Unsorted", "stages": "Stages", "levels": "Levels", "browse": "Browse by topic",
        "updated": "Updated", "related": "Related articles", "helpful": "Was this helpful?",
        "yes": "Yes", "no": "No", "contact_title": "Still need help?",
        "contact_text": "Our support team is here for you.", "response_time": "We reply within",
        "contact_us": "Contact us", "more": "All articles", "code": "Code", "article_col": "Article",
        "no_entries": "Nothing here yet.", "other": "Other problems", "feed": "Subscribe to updates (Atom feed)",
        "handbook_intro": "Everything a new customer needs, in the order you will need it.",
        "advanced_intro": "For power users: every advanced article, with its key sections.",
        "troubleshooting_intro": "Find your symptom, then follow the fix.",
        "errors_intro": "Every error code or message the product shows, and the article that fixes it.",
        "glossary_intro": "The words we use, explained. Hover or tap a dotted word on any page to see its meaning.",
        "unsorted_intro": "Pages that do not have a level and a stage yet.",
        "key_sections": "Key sections",
        "fallback": "This article is not translated yet; here is the original.",
    },
    "zh": {
        "home": "首页", "search_placeholder": "描述您的问题或疑问",
        "search_example": "描述您的问题，例如“{example}”", "general": "概览",
        "search_title": "有什么可以帮您？", "start_here": "新手入门", "journey": "使用旅程",
        "articles": "篇文章", "article": "篇文章", "troubleshooting": "遇到问题？",
        "troubleshooting_index": "故障排查", "error_codes": "错误代码", "whats_new": "最新动态",
        "glossary": "术语表", "handbook": "新手手册", "advanced_guide": "进阶指南",
        "unsorted": "未分类", "stages": "阶段", "levels": "难度", "browse": "按主题浏览",
        "updated": "更新于", "related": "相关文章", "helpful": "这篇文章有帮助吗？",
        "yes": "有帮助", "no": "没有帮助", "contact_title": "仍需帮助？",
        "contact_text": "我们的客服团队随时为您服务。", "response_time": "我们会在以下时间内回复：",
        "contact_us": "联系我们", "more": "全部文章", "code": "代码", "article_col": "文章",
        "no_entries": "暂无内容。", "other": "其他问题", "feed": "订阅更新（Atom）",
        "handbook_intro": "新用户需要了解的一切，按使用顺序排列。",
        "advanced_intro": "面向高级用户：所有进阶文章及其要点。",
        "troubleshooting_intro": "找到您遇到的情况，然后按步骤解决。",
        "errors_intro": "产品显示的每个错误代码或提示，以及对应的解决文章。",
        "glossary_intro": "常用术语解释。在任何页面上悬停或点按带虚线的词语即可查看释义。",
        "unsorted_intro": "尚未设置难度和阶段的页面。",
        "key_sections": "要点",
        "fallback": "本文暂无译文，以下为原文。",
    },
}


def base_lang(lang: str) -> str:
    """`zh-Hant`/`zh-TW` -> `zh`; unknown languages fall back to English strings."""
    short = lang.split("-")[0].split("_")[0].lower()
    return short if short in LABELS else "en"


def labels(lang: str) -> dict[str, str]:
    return LABELS[base_lang(lang)]


def level_label(level: str, lang: str) -> str:
    return LEVEL_LABELS[base_lang(lang)].get(level, level.title())


# What the help centre promises and warns: the support page, known issues, discussion.
PROMISE_LABELS = {
    "en": {
        "support": "Contact support", "support_intro": "How to reach us, when we answer, and what we can help with.",
        "channels": "Ways to reach us", "hours": "Hours", "reply_within": "Reply within",
        "covers": "What we can help with", "does_not_cover": "What we cannot help with",
        "support_languages": "We answer in", "before_you_write": "Before you write",
        "before_you_write_intro": "These articles solve the most common problems in minutes:",
        "kind_email": "Email", "kind_chat": "Chat", "kind_phone": "Phone", "kind_form": "Contact form",
        "kind_community": "Community",
        "known_issues": "Known issues",
        "known_issues_intro": "Problems we know about, what to do meanwhile, and when they will be fixed.",
        "active_issues": "Current", "resolved_issues": "Resolved", "upcoming_issues": "Planned",
        "severity_info": "Notice", "severity_warning": "Known issue", "severity_outage": "Outage",
        "since": "Since", "until": "until", "resolved_on": "Resolved on", "affects": "Affects",
        "notice_more": "All known issues", "no_known_issues": "No known issues right now.",
        "discussion": "Discussion", "discussion_show": "Show discussion",
        "discussion_note": "The discussion is hosted by {host}; nothing is loaded from there until you press the button.",
        "discussion_link": "Discuss this article in the community",
        "fallback_marker": "({lang})",
    },
    "zh": {
        "support": "联系客服", "support_intro": "如何联系我们、我们何时回复，以及我们能帮您解决哪些问题。",
        "channels": "联系方式", "hours": "服务时间", "reply_within": "回复时间",
        "covers": "我们可以帮您", "does_not_cover": "我们无法帮您",
        "support_languages": "服务语言", "before_you_write": "联系我们之前",
        "before_you_write_intro": "以下文章几分钟内即可解决最常见的问题：",
        "kind_email": "电子邮件", "kind_chat": "在线聊天", "kind_phone": "电话", "kind_form": "在线表单",
        "kind_community": "社区",
        "known_issues": "已知问题",
        "known_issues_intro": "我们已知的问题、临时解决办法以及预计修复时间。",
        "active_issues": "当前问题", "resolved_issues": "已解决", "upcoming_issues": "计划中",
        "severity_info": "通知", "severity_warning": "已知问题", "severity_outage": "服务中断",
        "since": "开始于", "until": "至", "resolved_on": "解决于", "affects": "影响范围",
        "notice_more": "全部已知问题", "no_known_issues": "目前没有已知问题。",
        "discussion": "讨论", "discussion_show": "显示讨论",
        "discussion_note": "讨论内容由 {host} 提供；点击按钮之前不会从该网站加载任何内容。",
        "discussion_link": "在社区中讨论本文",
        "fallback_marker": "（{lang}）",
    },
}

# A language's name, in each interface language (for the "(English)" marker of untranslated titles).
LANGUAGE_NAMES = {
    "en": {"en": "English", "zh": "Chinese", "ja": "Japanese", "fr": "French", "de": "German", "es": "Spanish"},
    "zh": {"en": "英文", "zh": "中文", "ja": "日文", "fr": "法文", "de": "德文", "es": "西班牙文"},
}

for _lang, _extra in PROMISE_LABELS.items():
    LABELS[_lang].update(_extra)


def language_name(lang: str, in_lang: str) -> str:
    """The name of `lang` in the interface language `in_lang` (the code itself when unknown)."""
    return LANGUAGE_NAMES[base_lang(in_lang)].get(lang.split("-")[0].lower(), lang)
