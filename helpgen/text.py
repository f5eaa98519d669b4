"""The one text module: the analyser shared by the site search config, `helpgen search` and coverage
matching, its stop words, and the one definition of what a CJK (Chinese) character is.

`tokenize(text, lang)` lower-cases, splits on the same separator the site search uses, segments
Chinese with jieba, drops question stop words and stems English like lunr does.
"""
from __future__ import annotations

import re
from functools import lru_cache

from lunr.stemmer import porter_stemmer

# Material's `separator` setting uses the same character classes (see site search config).
SEPARATOR = r"[\s\-_,:;!?=\[\]()\"'/\\.\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+"
_SPLIT = re.compile(SEPARATOR)
# CJK unified ideographs (extension A, the main block, compatibility ideographs): the only definition
# in helpgen (site_template/assets/search/*.js carry the same ranges; tests/test_layering.py checks).
CJK_RANGES = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK = re.compile(f"[{CJK_RANGES}]")
CJK_RUN = re.compile(f"[{CJK_RANGES}]+")
CJK_WORD = re.compile(f"^[{CJK_RANGES}]+$")
# Scripts written without spaces between words: CJK ideographs, Japanese kana and Korean hangul
UNSPACED = re.compile(f"[\u3040-\u30ff{CJK_RANGES}\uac00-\ud7af]")

STOP_WORDS_EN = frozenset("""
a an and are am as at be been being but by can could did do does doing for from had has have having
he her hers him his how i i'd i'm i've if in into is it its it's me my myself of on or our ours please
she should so some than that the their them then there these they this those to too us was we were
what when where which who whom why will with would you your yours hi hello thanks thank just get got
""".split())
STOP_WORDS_ZH = frozenset("""
请问 请 怎么 怎样 如何 为什么 为何 什么 我 我的 你 你们 您 的 了 吗 呢 吧 啊 是 在 有 和 与 就 都 也 还 要 想 能 可以 会 一下 这个 那个 哪里 哪 么
你好 您好 谢谢 谢谢您 多谢 感谢 怎么办 在吗 麻烦 辛苦 拜托 劳驾 哈喽 嗨 尽快
""".split())


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return porter_stemmer.stem(word) if word.isascii() else word


@lru_cache(maxsize=1)
def quiet_jieba():
    """jieba, imported lazily (only Chinese text pays for it) and without its start-up chatter."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _segment(run: str) -> list[str]:
    return [w for w in quiet_jieba().lcut_for_search(run) if w.strip()]


def split_words(text: str) -> list[str]:
    """Lower-cased words, with runs of Chinese characters segmented by jieba."""
    lowered = text.lower()
    if not CJK.search(lowered):  # no Chinese at all: the pieces are the words
        return [piece for piece in _SPLIT.split(lowered) if piece]
    return split_pieces(lowered)


def split_pieces(lowered: str) -> list[str]:
    """The general case of `split_words`: each piece of lower-cased text checked for Chinese, one by one."""
    words: list[str] = []
    for piece in _SPLIT.split(lowered):
        if not piece:
            continue
        if CJK.search(piece):
            pos = 0
            for m in CJK_RUN.finditer(piece):
                words.extend(w for w in [piece[pos:m.start()]] if w)
                words.extend(_segment(m.group()))
                pos = m.end()
            words.extend(w for w in [piece[pos:]] if w)
        else:
            words.append(piece)
    return words


_STOP = STOP_WORDS_EN | STOP_WORDS_ZH


def tokenize(text: str, lang: str = "en") -> list[str]:
    """Search terms of `text`: split, stop words dropped, English stemmed."""
    return [_stem(w) for w in split_words(text) if w not in _STOP]


# ---------------------------------------------------------------------------------------------
# Search-side helpers (site search and `helpgen search`); `tokenize` above stays unchanged.
# ---------------------------------------------------------------------------------------------

def _lunr_stop_words() -> frozenset[str]:
    from lunr.stop_word_filter import WORDS  # the list lunr.js (Material's worker) uses too

    return frozenset(WORDS)


# Words a customer types around the problem: dropped from queries before they reach lunr (the
# browser's override script carries the same list, written into the search index config).
QUERY_STOP_WORDS_EN = frozenset(STOP_WORDS_EN | _lunr_stop_words() | frozenset("""
t s d m ll re ve don didn doesn haven hasn hadn isn wasn weren aren won wouldn couldn shouldn cant dont im ive
still already yet now anymore ever even really also need needs want wanted trying try tried know tell
help someone somebody anyone something anything able ok okay guys hey pls plz kindly one
hasnt havent isnt wasnt didnt doesnt wont werent arent shouldnt couldnt wouldnt
""".split()))


def query_words(text: str, lang: str = "en") -> list[str]:
    """The content words of a customer query, lower-cased, in order, duplicates and stop words removed."""
    stop = QUERY_STOP_WORDS_EN | STOP_WORDS_ZH
    out: list[str] = []
    for word in split_words(text):
        if word not in stop and word not in out:
            out.append(word)
    return out


def stem(word: str) -> str:
    """lunr's Porter stemmer (the same code as the browser's lunr.js) for ASCII words."""
    return _stem(word)
