"""The report's own words in English and Chinese: a small dict-based message catalogue plus number/date style.

`messages(lang)` returns a Messages object: `m("key", n=3)` formats a message, `m.num(1234)` -> "1,234",
`m.pct(0.7)` -> "70%", `m.date("2026-11-25")` -> "Nov 25, 2026" / "2026年11月25日". Any `zh*` language
(zh, zh-Hans, zh-Hant, zh-TW ...) uses the Chinese catalogue; everything else English.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

EN: dict[str, str] = {
    "title": "Coverage report: {name}",
    "headline": "{pct} of {tickets} are answered by an article ({covered} covered, {gap} gaps); "
                "{unanswered} got no reply from the team.",
    "headline_no_replies": "{pct} of {tickets} are answered by an article ({covered} covered, {gap} gaps); "
                           "the export has no replies, so whether the team answered them is unknown.",
    "nobody_unknown": "Unknown: the export has no reply column. Export the first reply (or its time) too, to see "
                      "the questions nobody answered.",
    "tickets": "{n} tickets",
    "ticket_one": "{n} ticket",
    "redacted": "Personal data redacted: {items}.",
    "redacted_item": "{n} {kind}",
    "chart": "Gap tickets over time",
    "gaps": "Gaps: questions the help centre does not answer",
    "col_id": "#", "col_topic": "Topic", "col_tickets": "Tickets", "col_share": "Share", "col_trend": "Trend",
    "col_examples": "Examples", "col_suggested": "Suggested article", "col_nearest": "Nearest article (score)",
    "col_article": "Article", "col_phrasings": "Customer phrasings", "col_channel": "Channel",
    "col_median": "Median (h)", "col_p90": "90th percentile (h)", "col_kept": "Promise kept",
    "yes": "yes", "no": "NO",
    "gap_heading": "Gap {id}: {label} ({size})",
    "draft_seed": "Draft seed (the team's reply): {text}",
    "team_reply": "Team reply: {text}",
    "draft_it": "Draft it: `helpgen new KB --from-gap {id}`",
    "cannot_find": "Articles customers cannot find",
    "cannot_find_intro": "Tickets an article already answers: add these phrasings to its `questions`.",
    "article_line": "**{title}**: {id} ({url}), {n}",
    "nobody": "Questions nobody answered",
    "nobody_line": "{count} ({pct}) got no reply: {gap} of them are gaps, {covered} an article answers.",
    "first_response": "First response per channel",
    "off_topic": "{n} were off-topic (not about the product) and are not counted as gaps of any topic.",
    "matched": "How tickets were matched",
    "mode": "Mode: {mode}.",
    "language": "Tickets' language: {lang}; matched against the {lang} articles, with default-language articles "
                "for untranslated ones.",
    "chart_title": "Covered and gap tickets per period",
    "chart_bar": "{period}: {gap} gap, {covered} covered ({pct} coverage)",
    "chart_legend": "max {n}; red = gap, green = covered",
    "chart_empty": "no dated tickets",
    "trend": "trend",
    "report_kind": "Coverage report",
    "gaps_hint": "Largest first. Open a gap for what customers asked, what the team replied and a draft command.",
    "gap_size": "{n} · {pct}",
    "rising": "rising", "falling": "falling", "steady": "steady",
    "trend_title": "Tickets per period: {counts}",
    "suggested": "Suggested article",
    "level_stage": "level {level}, stage {stage}",
    "asked": "What customers asked",
    "team_answered": "The team answered {answered} of {size}; {unanswered} got no reply.",
    "team_none": "The team answered none of them.",
    "team_unknown": "Whether the team answered them is unknown: the export has no reply column.",
    "best_reply": "What the team replied",
    "nearest": "Nearest article",
    "nearest_line": "similarity {score}: extend it, or link to the new article from it.",
    "nearest_none": "No article is close.",
    "terms": "Key phrases",
    "draft": "Draft the article",
    "draft_run": "Run this in a terminal to start a draft from this gap:",
    "more_gaps": "{n} smaller gaps are in coverage.json.",
    "nobody_gap": "Gap {id}: {label}",
    "nobody_article": "An article answers these: {title}",
    "nobody_articles": "Questions an article already answers: send the link",
    "nobody_off": "Off-topic",
    "nobody_more": "… and {n} more: `--assignments FILE` lists every ticket.",
    "col_ticket": "Ticket",
    "col_question": "Question",
    "matched_text": "Each ticket was compared with every article's title, summary and questions. A ticket counts as "
                    "covered when it is as close to an article as the articles' own questions are; that threshold was "
                    "measured on your articles, not set by hand. The gap tickets were grouped by the words they share, "
                    "and each group is named by the customer question nearest its centre.",
    "matched_history": "Each ticket was compared with every article's title, summary and questions, and with the "
                       "tickets your team answered with a link to an article: those links teach which questions each "
                       "article answers. A ticket counts as a gap when the team would rarely link an article for it. "
                       "Every threshold was measured on your own articles and tickets, not set by hand. The gap tickets "
                       "were grouped by the words they share, and each group is named by the customer question nearest "
                       "its centre.",
    "figures": "The figures",
    "nav_gaps": "Gaps", "nav_nobody": "Unanswered", "nav_matched": "Method",
}

ZH: dict[str, str] = {
    "title": "帮助中心覆盖报告：{name}",
    "headline": "{tickets}中，{pct} 可由帮助文章解答（已覆盖 {covered} 条，缺口 {gap} 条）；{unanswered} 条没有得到客服回复。",
    "headline_no_replies": "{tickets}中，{pct} 可由帮助文章解答（已覆盖 {covered} 条，缺口 {gap} 条）；导出文件没有回复列，"
                           "无法得知客服是否回复。",
    "nobody_unknown": "未知：导出文件没有回复列。请一并导出首次回复（或其时间），才能看到无人回复的问题。",
    "tickets": "{n} 条工单",
    "ticket_one": "{n} 条工单",
    "redacted": "已隐去个人信息：{items}。",
    "redacted_item": "{kind} {n} 处",
    "chart": "缺口工单趋势",
    "gaps": "缺口：帮助中心尚未解答的问题",
    "col_id": "序号", "col_topic": "主题", "col_tickets": "工单数", "col_share": "占比", "col_trend": "趋势",
    "col_examples": "示例", "col_suggested": "建议新增文章", "col_nearest": "最接近的文章（相似度）",
    "col_article": "文章", "col_phrasings": "客户的原话", "col_channel": "渠道",
    "col_median": "中位数（小时）", "col_p90": "90% 分位（小时）", "col_kept": "是否兑现承诺",
    "yes": "是", "no": "否",
    "gap_heading": "缺口 {id}：{label}（{size}）",
    "draft_seed": "草稿素材（客服的回复）：{text}",
    "team_reply": "客服回复：{text}",
    "draft_it": "起草文章：`helpgen new KB --from-gap {id}`",
    "cannot_find": "客户找不到的文章",
    "cannot_find_intro": "这些工单已有文章解答，客户却没有找到：请把下列说法加入文章的 `questions`。",
    "article_line": "**{title}**：{id}（{url}），{n}",
    "nobody": "无人回复的问题",
    "nobody_line": "{count}（{pct}）没有得到回复：其中 {gap} 条属于缺口，{covered} 条已有文章解答。",
    "first_response": "各渠道首次回复时间",
    "off_topic": "另有 {n}与产品无关，不计入任何缺口主题。",
    "matched": "匹配方法",
    "mode": "模式：{mode}。",
    "language": "工单语言：{lang}。工单已与{lang}文章匹配，尚未译成{lang}的文章以默认语言版本代替。",
    "chart_title": "各时段已覆盖与缺口工单数",
    "chart_bar": "{period}：缺口 {gap} 条，已覆盖 {covered} 条（覆盖率 {pct}）",
    "chart_legend": "最多 {n}；红色 = 缺口，绿色 = 已覆盖",
    "chart_empty": "没有带日期的工单",
    "trend": "趋势",
    "report_kind": "覆盖报告",
    "gaps_hint": "按工单数从多到少排列。展开某个缺口，可查看客户的原话、客服的回复和起草命令。",
    "gap_size": "{n} · {pct}",
    "rising": "上升", "falling": "下降", "steady": "平稳",
    "trend_title": "各时段工单数：{counts}",
    "suggested": "建议新增文章",
    "level_stage": "级别：{level}；阶段：{stage}",
    "asked": "客户的原话",
    "team_answered": "客服回复了其中 {answered} 条（共 {size} 条）；{unanswered} 条没有得到回复。",
    "team_none": "客服没有回复其中任何一条。",
    "team_unknown": "导出文件没有回复列，无法知道客服是否回复。",
    "best_reply": "客服的回复",
    "nearest": "最接近的文章",
    "nearest_line": "相似度 {score}：可扩充这篇文章，或在其中链接到新文章。",
    "nearest_none": "没有相近的文章。",
    "terms": "关键词",
    "draft": "起草文章",
    "draft_run": "在终端运行下面的命令，即可根据这个缺口起草文章：",
    "more_gaps": "另有 {n} 个较小的缺口，详见 coverage.json。",
    "nobody_gap": "缺口 {id}：{label}",
    "nobody_article": "已有文章解答：{title}",
    "nobody_articles": "已有文章解答的问题：发送文章链接即可",
    "nobody_off": "与产品无关",
    "nobody_more": "……另有 {n} 条：使用 `--assignments FILE` 可列出每一条工单。",
    "col_ticket": "工单",
    "col_question": "问题",
    "matched_text": "每张工单都与每篇文章的标题、摘要和常见问题（questions）做了比较。工单与某篇文章的相似程度达到文章自身常见问题的水平，"
                    "即视为已有文章解答；这个阈值是根据您的文章测得的，并非人为设定。缺口工单按共同用词分组，"
                    "每组以最接近组中心的一条客户提问命名。",
    "matched_history": "每张工单都与每篇文章的标题、摘要和常见问题（questions）做了比较，并参考了客服在回复中附上文章链接的工单："
                       "这些链接说明了每篇文章解答哪些问题。客服很少会为之附上文章链接的工单，判为缺口。"
                       "所有阈值都是根据您自己的文章和工单测得的，并非人为设定。缺口工单按共同用词分组，"
                       "每组以最接近组中心的一条客户提问命名。",
    "figures": "具体数值",
    "nav_gaps": "缺口", "nav_nobody": "无人回复", "nav_matched": "匹配方法",
}

ZH_KINDS = {"email": "邮箱", "phone": "电话号码", "card": "银行卡号", "iban": "IBAN 账号", "ip": "IP 地址", "name": "姓名"}
ZH_MODES = {"history": "历史工单（客服回复中链接的文章）+ 文本匹配", "text": "仅文本匹配"}
_EN_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def is_zh(lang: str) -> bool:
    return lang.lower().startswith("zh")


@dataclass(frozen=True)
class Messages:
    """Message catalogue and number/date style of one report language."""

    lang: str

    @property
    def zh(self) -> bool:
        return is_zh(self.lang)

    def __call__(self, key: str, **kw) -> str:
        return (ZH if self.zh else EN)[key].format(**kw)

    def num(self, n: int | float) -> str:
        return f"{n:,}" if isinstance(n, int) else f"{n:,.1f}"

    def pct(self, share: float, digits: int = 0) -> str:
        return f"{share * 100:.{digits}f}%"

    def tickets(self, n: int) -> str:
        return self("ticket_one" if n == 1 else "tickets", n=self.num(n))

    def date(self, iso: str) -> str:
        """An ISO day (2026-11-25) or month (2026-11) in the report's style."""
        m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", iso or "")
        if not m:
            return iso
        y, mo, d = int(m[1]), int(m[2]), int(m[3]) if m[3] else None
        if self.zh:
            return f"{y}年{mo}月" + (f"{d}日" if d else "")
        return f"{_EN_MONTHS[mo - 1]} {d}, {y}" if d else f"{_EN_MONTHS[mo - 1]} {y}"

    def kind(self, kind: str) -> str:
        return ZH_KINDS.get(kind, kind) if self.zh else kind

    def mode(self, mode: str) -> str:
        return ZH_MODES.get(mode, mode) if self.zh else mode

    def language_name(self, lang: str) -> str:
        if self.zh:
            return "中文" if is_zh(lang) else ("英文" if lang.startswith("en") else lang)
        return "Chinese" if is_zh(lang) else ("English" if lang.startswith("en") else lang)


def messages(lang: str) -> Messages:
    return Messages(lang or "en")


