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
