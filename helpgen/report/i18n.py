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
}

ZH: dict[str, str] = {
    "title": "帮助中心覆盖报告：{name}",
    "headline": "{tickets}中，{pct} 可由帮助文章解答（已覆盖 {covered} 条，缺口 {gap} 条）；{unanswered} 条没有得到客服回复。",
    "headline_no_replies": "{tickets}中，{pct} 可由帮助文章解答（已覆盖 {covered} 条，缺口 {gap} 条）；导出文件没有回复列，"
                           "无法得知客服是否回复。",
    "nobody_unknown": "未知：导出文件没有回复列。请一并导出首次回复（或其时间），才能看到无人回复的问题。",
    "tickets": "{n} 条工单",
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
        return self("tickets", n=self.num(n))

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


