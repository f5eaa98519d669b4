"""Customers' own words, made presentable: the question in a ticket, whole messages for examples, word-boundary
cuts, and a plain heading derived from a question. Pure text functions, no data of any sample.

A ticket's text is `subject\\nbody` (see tickets.model.Ticket.text): a first line that reads like a subject
(short, no closing punctuation) is used only when the body has nothing better. Greetings and sign-offs fall out
on their own: a sentence needs at least two content words (the analyser's stop words do not count).
"""
from __future__ import annotations

import re

from helpgen.coverage.match import tokens
from helpgen.text import CJK

LABEL_CHARS = 90  # a gap label: one question, at most this many characters
EXAMPLE_CHARS = 240  # an example: whole sentences up to this many characters
_CJK = CJK
# sentence ends: ! ? and CJK stops anywhere, a full stop only before a space (2.5, e.g. stay whole)
_END = re.compile(r"(?<=[!?！？。；;])(?![!?！？。])|(?<=\.)(?=\s)")
_ASKS = re.compile(r"(?:[?？]|[吗呢么嘛][\s。！!…~]*)$")
_SUBJECT_WORDS = 8
_LEAD_CLAUSE = re.compile(r"([^,，:：]+)[,，:：]\s*")


def _content(sentence: str) -> int:
    return len(tokens(sentence))


def sentences(text: str) -> list[str]:
    """Sentences of one line of text, stripped, in order."""
    return [s.strip(" \t,，") for s in _END.split(text) if s and s.strip(" \t,，")]


def _parts(text: str) -> tuple[str, list[str]]:
    """(subject line or "", body sentences with at least two content words)."""
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    subject = ""
    if len(lines) > 1 and len(lines[0].split()) <= _SUBJECT_WORDS and not re.search(r"[.!?。！？]$", lines[0]):
        subject, lines = lines[0], lines[1:]
    body = [_drop_lead(s) for ln in lines for s in sentences(ln) if _content(s) >= 2]
    return subject, body


def _drop_lead(sentence: str) -> str:
    """An asking sentence without a short leading clause of under two content words ("Hi Sam, where ...?",
    "客服你好，...吗？")."""
    m = _LEAD_CLAUSE.match(sentence)
    if m and _content(m.group(1)) < 2 and len(m.group(1).split()) <= 3 and len(m.group(1)) <= 20 \
            and _content(sentence[m.end():]) >= 2 and asks(sentence):
        return sentence[m.end():]
    return sentence


def asks(sentence: str) -> bool:
    """True for a sentence that asks something ("...?", "...吗")."""
    return bool(_ASKS.search(sentence.strip()))


def question_of(text: str, limit: int = LABEL_CHARS) -> str:
    """The customer's question: the first asking sentence of the body (else of the subject), else the first
    sentence with content; cut at a word boundary (a character boundary in Chinese) at `limit` characters."""
    subject, body = _parts(text)
    pick = next((s for s in body if asks(s)), None)
    if pick is None and subject and asks(subject) and _content(subject) >= 2:
        pick = subject
    if pick is None:
        pick = body[0] if body else (subject or " ".join(str(text).split()))
    return _capital(cut(" ".join(pick.split()), limit))


def message_of(text: str, limit: int = EXAMPLE_CHARS, quiet: frozenset | set = frozenset()) -> str:
    """The customer's message as whole sentences (no subject line, greetings or sign-offs) up to `limit`
    characters; a first sentence longer than that is cut at a word boundary. Later sentences made only of
    `quiet` words (filler found in the log: coverage.cluster.spread) are left out."""
    subject, body = _parts(text)
    if not body:
        return cut(" ".join((subject or str(text)).split()), limit)
    out = cut(" ".join(body[0].split()), limit)
    for s in body[1:]:
        if quiet and set(tokens(s)) <= quiet:
            continue
        s = " ".join(s.split())
        if len(out) + 1 + len(s) > limit:
            break
        out += ("" if _CJK.search(out[-1:]) and _CJK.search(s[:1]) else " ") + s
    return out


def cut(text: str, limit: int) -> str:
    """`text` when it fits, else cut at the last word boundary (any character boundary between Chinese
    characters) so that the text plus "…" has at most `limit` characters."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    if _CJK.search(text[limit - 2:limit]):  # inside Chinese: any character boundary is a word boundary
        return head.rstrip(" ，,、") + "…"
    space = head.rfind(" ")
    if text[limit - 1] == " ":
        space = limit - 1
    head = head[:space] if space > 0 else head
    return head.rstrip(" ,;:-，、") + "…"


# --- a plain heading from a question --------------------------------------------------------------------
# English: "How do I change my PIN?" -> "Change your PIN"; "Why was my transfer declined?" -> "Transfer
# declined"; questions that do not reduce to a heading ("Do you offer ...?") keep their words, without "?".
_LEAD_EN = re.compile(
    r"^(?:(?:hi|hello|hey|please|so|ok|okay|and|but)\b[\s,!]*)*"
    r"(?:(?:how|where|when) (?:do|can|could|should|would|shall) (?:i|we)(?: actually)?|how to|"
    r"(?:can|could|may|should|shall) (?:i|we)(?: still| also)?|"
    r"is there (?:a|any) way to|is it possible to|"
    r"i (?:want|need|would like|wanted|'d like) to (?:know|find out|understand)(?: about)?|"
    r"i (?:want|need|would like|wanted|would love|'d like) to|i'd like to|"
    r"(?:what|where) (?:do|should) (?:i|we) (?:do|need) to)\s+", re.I)
_WHY_EN = re.compile(r"^why (?:is|was|are|were|does|did|do|has|have|would|will) ", re.I)
_NEGATIVE = re.compile(r"\b(?:not|no|never|n't|cannot|can't|won't|isn't|wasn't|doesn't|didn't|hasn't|haven't)\b",
                       re.I)
# questions that read as a heading once their word order is undone (general English, any subject)
_RESHAPE_EN = [
    (re.compile(r"^what (?:do|should|can|shall) (?:i|we) do (if|when) (.+)$", re.I), r"\1 \2"),
    (re.compile(r"^how (long|much) (does|did|will) (.+) (take|cost)$", re.I), r"How \1 \3 \4s"),
    (re.compile(r"^how (long|much) do (.+) (take|cost)$", re.I), r"How \1 \2 \3"),
    (re.compile(r"^how old (?:do|must|should) (?:you|i|we) (?:have to |need to )?be to (.+)$", re.I),
     r"Minimum age to \1"),
    (re.compile(r"^(?:do|does) (?:you|they|we) (?:offer|have|provide|sell) (\w+ \w+.*)$", re.I), r"\1"),
    (re.compile(r"^is there (?:a|an|any) (\w+ \w+.*)$", re.I), r"\1"),
]
_PRONOUN_START = re.compile(r"^(?:my|our|the|a|an|i|we|you|your)\s+", re.I)
_SWAP_EN = {"my": "your", "mine": "yours", "me": "you", "myself": "yourself", "our": "your", "us": "you"}
# Chinese: leading question words and politeness, closing particles; pronouns go, the rest stays.
_LEAD_ZH = re.compile(r"^(?:请问|想问一下|想问|问一下|我想知道|想知道|请教一下|请教|你好|您好|麻烦问一下)[，,\s]*")
_ASK_ZH = re.compile(r"^(?:为什么|为啥|怎么样才能|怎样才能|如何|怎么|怎样|能不能|可不可以|可以|能否|是否)")
_END_ZH = re.compile(r"[，,\s]*(?:该怎么办|怎么办|怎么回事|吗|呢|么|嘛|啊|呀)?[\s?？。！!~…]*$")
_PRONOUN_ZH = re.compile(r"(?:我们的|我的|我们|你们的|你们|您的|咱们|我|您)")


def heading(question: str) -> str:
    """A plain heading from a customer's question, by general grammar rules; the question itself (without its
    closing "?") when no shorter heading can be made."""
    q = " ".join(str(question).split()).rstrip("…")
    if not q:
        return q
    if _CJK.search(q):
        return _heading_zh(q)
    return _heading_en(q)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _heading_en(q: str) -> str:
    plain = re.sub(r"[\s?!.]+$", "", q)
    for pattern, replace in _RESHAPE_EN:
        m = pattern.match(plain)
        if m:
            return _capital(_second_person(m.expand(replace)))
    rest = None
    m = _LEAD_EN.match(plain)
    if m:
        rest = plain[m.end():]
    elif _WHY_EN.match(plain) and not _NEGATIVE.search(plain):
        rest = _PRONOUN_START.sub("", plain[_WHY_EN.match(plain).end():])
    if rest is None and not asks(q) and re.match(r"(?:my|our) \w+ \w+", plain, re.I):
        rest = plain.split(" ", 1)[1]  # "My card got stuck ..." -> "Card got stuck ..."
    if rest is None or len(rest.split()) < 2:
        return _capital(plain)
    return _capital(_second_person(rest))


_I_EN = [(re.compile(r"\bI am\b"), "you are"), (re.compile(r"\bI was\b"), "you were"), (re.compile(r"\bI'm\b"), "you're"),
         (re.compile(r"\bI've\b"), "you've"), (re.compile(r"\bI'll\b"), "you'll"), (re.compile(r"\bI'd\b"), "you'd"),
         (re.compile(r"\b[Ii]\b"), "you")]


def _second_person(text: str) -> str:
    """The customer's words addressed back to them, as a help article does: I/my/me -> you/your/you."""
    for pattern, repl in _I_EN:
        text = pattern.sub(repl, text)
    return " ".join(_SWAP_EN.get(w.lower(), w) for w in text.split())


def _heading_zh(q: str) -> str:
    text = _END_ZH.sub("", q.strip())
    while True:
        shorter = _LEAD_ZH.sub("", text)
        if shorter == text:
            break
        text = shorter
    text = _ASK_ZH.sub("", text)
    text = _PRONOUN_ZH.sub("", text).strip(" ，,、")
    return text if len(_CJK.findall(text)) >= 2 else _END_ZH.sub("", q.strip())
