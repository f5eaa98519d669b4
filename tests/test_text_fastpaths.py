"""The analyser's fast paths (text without Chinese, the stop-word set built once) give exactly what the plain
per-piece code gives: site search and coverage share this analyser."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from helpgen.text import STOP_WORDS_EN, STOP_WORDS_ZH, _stem, split_pieces, split_words, tokenize


def reference_split_words(text: str) -> list[str]:
    """Every piece checked for Chinese, one by one (the general code, with no fast path)."""
    return split_pieces(text.lower())


def reference_tokenize(text: str) -> list[str]:
    stop = STOP_WORDS_EN | STOP_WORDS_ZH
    return [_stem(w) for w in reference_split_words(text) if w not in stop]


PIECES = list("abcXYZ éÉß09 ,.-_'/\n\t!?()") + ["the", "How", "card", "İ", "ǅ", "银行卡", "怎么", "丢了", "ｶ", "\u3000",
                                                "Ⅻ", "²"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join) | st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_split_and_tokenize_match_the_general_code(text: str) -> None:
    assert split_words(text) == reference_split_words(text)
    assert tokenize(text) == reference_tokenize(text)


def test_examples_with_and_without_chinese() -> None:
    for text in ["How do I freeze my card?", "我的银行卡丢了怎么办", "card 被冻结了 why", "", "  ,, ", "Hi there"]:
        assert tokenize(text) == reference_tokenize(text)
    assert split_words("Why was my CARD declined?") == ["why", "was", "my", "card", "declined"]
