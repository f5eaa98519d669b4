"""Put the report data into the report's language: `lang`, article URLs, and for Chinese reports the
sentences the analysis writes in English (promise statement, suggested titles, level and stage)."""
from __future__ import annotations

import re
from typing import Mapping

from helpgen.report.i18n import is_zh

# Chinese words that mean something is broken: such gap topics become troubleshooting articles.
TROUBLE_ZH = re.compile(r"失败|不了|不能用|无法|错误|报错|出错|被拒|拒绝|收不到|没收到|没到账|未到账|不到账|"
                        r"吞|卡住|异常|冻结|被锁|锁住|丢了|丢失|被盗|被偷|不见了|没反应|用不了|打不开|登不上")
CHANNELS_ZH = {"chat": "在线聊天", "email": "邮件", "phone": "电话", "web": "网页", "form": "表单",
               "social": "社交媒体", "unknown": "未知渠道"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def localize(data: dict, lang: str, urls: Mapping[str, str]) -> dict:
    """Add `lang` and article URLs; translate generated sentences for Chinese. Changes `data` in place."""
    data["lang"] = lang
    for art in data["articles"]:
        art["url"] = urls.get(art["id"], "")
    for gap in data["gaps"]:
        gap["nearest_url"] = urls.get(gap["nearest_article"] or "", "")
    if is_zh(lang):
        for art in data["articles"]:
            art["top_phrasings"] = list(dict.fromkeys(q for q in map(question_zh, art["top_phrasings"]) if q))
        for gap in data["gaps"]:
            title = gap["suggested_title"]  # derived from the (Chinese) label: coverage.aggregate.suggested_title
            gap.update(suggest_zh(gap["label"], gap["examples"]))
            gap["suggested_title"] = title
            gap["examples"] = _tidy_all(gap["examples"])
        data["unanswered"]["examples"] = _tidy_all(data["unanswered"]["examples"])
        data["response_times"]["statement"] = statement_zh(data["response_times"])
    return data


POLITE = frozenset("客服 期待 回复 尽快 处理 在线 等 急 邮件 电话 回电 方便".split())
_GREETING = re.compile(r"^(?:(?:客服|亲)?(?:你好|您好)|在吗|亲|hi|hello)[\s，,！!。？?~]*", re.I)
_GREETING_ANY = re.compile(r"(?:(?:客服|亲)?(?:你好|您好)|在吗)[\s，,！!。？?~]*")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")


def _has_content(sentence: str) -> bool:
    from helpgen.search.analyzer import tokenize

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


def zh_phrase(label: str) -> str:
    """Key words of a label joined the Chinese way: 支付宝、微信支付 (Latin words keep their spaces)."""
    words = label.split()
    out = words[:1]
    for w in words[1:]:
        out.append(("、" if _CJK.search(out[-1][-1]) or _CJK.search(w[0]) else " ") + w)
    return "".join(out)


def suggest_zh(label: str, examples: list[str]) -> dict:
    """Level, stage and title for a Chinese gap topic (troubleshooting when most examples say it is broken)."""
    hits = sum(1 for e in examples if TROUBLE_ZH.search(e))
    phrase = zh_phrase(label.strip()) or "该主题"
    if TROUBLE_ZH.search(label) or (examples and hits * 2 > len(examples)):
        return {"suggested_level": "troubleshooting", "suggested_stage": "adapting",
                "suggested_title": f"{phrase}：遇到问题怎么办"}
    return {"suggested_level": "beginner", "suggested_stage": "using", "suggested_title": f"{phrase}：使用说明"}


def channel_zh(name: str) -> str:
    return CHANNELS_ZH.get(name, name)


def statement_zh(rt: dict) -> str:
    """The promise sentence in Chinese, from the same figures as the English one."""
    from helpgen.coverage.aggregate import _round_up

    overall, promise = rt["all"], rt["promise_hours"]
    text = rt.get("promise_text") or ""
    said = f"{text}（{promise:g} 小时）" if _CJK.search(text) else f"在 {promise:g} 小时内首次回复"
    if overall["p90_hours"] is None:
        return "这些工单没有首次回复时间，无法核对回复承诺。"
    if rt["kept"]:
        return f"回复承诺已兑现：90% 的首次回复在 {overall['p90_hours']} 小时内发出（承诺：{said}）。"
    broken = [c for c, s in rt["channels"].items() if not s["kept"]]
    worst = max(rt["channels"][c]["p90_hours"] for c in broken)
    names = "、".join(channel_zh(c) for c in broken)
    return (f"回复承诺没有兑现：您承诺{said}，但{names}渠道 90% 的首次回复要 {worst} 小时才发出。"
            f"请加快回复，或把承诺改为 {_round_up(worst)} 小时——这是十条工单里有九条能做到的时间。")
