"""Put the report data into the report's language (`lang`, set by the coverage run): for Chinese reports the
sentences the analysis writes in English (promise statement, suggested titles, level and stage)."""
from __future__ import annotations

import re

from helpgen.report.i18n import is_zh
from helpgen.text import CJK, tokenize

CHANNELS_ZH = {"chat": "在线聊天", "email": "邮件", "phone": "电话", "web": "网页", "form": "表单",
               "social": "社交媒体", "unknown": "未知渠道"}
_CJK = CJK


def localize(data: dict) -> dict:
    """Translate the generated sentences into the report's language (`data["lang"]`, set by the coverage
    run): for Chinese, phrasings, suggested titles and the promise statement. Changes `data` in place."""
    if is_zh(data.get("lang", "")):
        for art in data["articles"]:
            art["top_phrasings"] = list(dict.fromkeys(q for q in map(question_zh, art["top_phrasings"]) if q))
        for gap in data["gaps"]:
            gap["examples"] = _tidy_all(gap["examples"])
        data["unanswered"]["examples"] = _tidy_all(data["unanswered"]["examples"])
        data["response_times"]["statement"] = statement_zh(data["response_times"])
    return data


POLITE = frozenset("客服 期待 回复 尽快 处理 在线 等 急 邮件 电话 回电 方便".split())
_GREETING = re.compile(r"^(?:(?:客服|亲)?(?:你好|您好)|在吗|亲|hi|hello)[\s，,！!。？?~]*", re.I)
_GREETING_ANY = re.compile(r"(?:(?:客服|亲)?(?:你好|您好)|在吗)[\s，,！!。？?~]*")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")


def _has_content(sentence: str) -> bool:
    return len([w for w in tokenize(sentence) if w not in POLITE]) >= 2


def tidy_zh(text: str) -> str:
    """A Chinese ticket without its greetings (客服你好，在吗？) and sign-offs (辛苦了。期待回复。)."""
    text = _GREETING_ANY.sub(" ", text)
    kept = [m.group().strip() for m in _SENTENCE.finditer(text) if _has_content(m.group())]
    return " ".join(" ".join(kept).split()) or " ".join(text.split())


def _tidy_all(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(tidy_zh(t) for t in texts))


def question_zh(text: str) -> str:
    """The customer's question in a Chinese message: greetings (在吗？客服你好) and sign-offs (辛苦了) dropped,
    the first sentence asking something kept (else the first with content)."""
    while _GREETING.match(text.strip()):
        text = _GREETING.sub("", text.strip(), count=1)
    sentences = [m.group().strip(" ，,") for m in _SENTENCE.finditer(text)]
    content = [x for x in sentences if _has_content(x)]
    asking = [x for x in content if x.endswith(("？", "?", "吗", "呢"))]
    return (asking or content or [text.strip()])[0]


def channel_zh(name: str) -> str:
    return CHANNELS_ZH.get(name, name)


def statement_zh(rt: dict) -> str:
    """The promise sentence in Chinese, from the same figures as the English one."""
    overall, promise = rt["all"], rt["promise_hours"]
    text = rt.get("promise_text") or ""
    said = f"{text}（{promise:g} 小时）" if _CJK.search(text) else f"在 {promise:g} 小时内首次回复"
    if overall["p90_hours"] is None:
        return "这些工单没有首次回复时间，无法核对回复承诺。"
    if rt["kept"]:
        return f"回复承诺已兑现：90% 的首次回复在 {overall['p90_hours']} 小时内发出（承诺：{said}）。"
    chans = rt["channels"]
    broken = [c for c, s in chans.items() if s["kept"] is False]
    if len({(s.get("promise_hours"), s.get("promise_text")) for s in chans.values()}) > 1:
        parts = [f"{channel_zh(c)}渠道承诺 {chans[c]['promise_hours']:g} 小时，但 90% 的首次回复要 "
                 f"{chans[c]['p90_hours']} 小时，请加快回复或把承诺改为 {chans[c]['could_promise_hours']} 小时"
                 for c in broken]
        held = [channel_zh(c) for c, s in chans.items() if s["kept"]]
        tail = f"{'、'.join(held)}渠道的承诺已兑现。" if held else ""
        return "并非所有回复承诺都已兑现：" + "；".join(parts) + "。" + tail
    worst = max(chans[c]["p90_hours"] for c in broken)
    names = "、".join(channel_zh(c) for c in broken)
    return (f"回复承诺没有兑现：您承诺{said}，但{names}渠道 90% 的首次回复要 {worst} 小时才发出。"
            f"请加快回复，或把承诺改为 {rt['keepable_hours']} 小时——这是十条工单里有九条能做到的时间。")
