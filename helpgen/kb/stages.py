"""Which stage of helpgen.yml plays which part, and which level an unlabelled page looks like.

Stage ids are the writers' own (`stages:` in helpgen.yml). The site, the coverage suggestions and
`helpgen check` need to know a few *roles* and derive them here, from the config order and the
levels of the articles, never from a fixed id:

- start: the first stage listed (the home page's "Start here");
- troubleshooting: the stage whose articles are mostly `level: troubleshooting` (else the stage with
  the most troubleshooting articles; with none at all, a stage whose id, label or description uses a
  troubleshooting word; else none);
- advanced: likewise for `level: advanced` (no word fallback);
- everyday: the stage, other than the first, holding the most beginner articles (else the second stage).

`guess_level` guesses the level of a page that has none (migrated docs) from its title: the words that
the KB's own troubleshooting articles use clearly more often than its other articles, or, while the KB
has too few labelled articles to learn from, a short list of generic help-centre words.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from helpgen.config import Config
from helpgen.kb.model import LEVELS, Article, KnowledgeBase
from helpgen.text import CJK_RUN as _CJK

TROUBLESHOOTING, BEGINNER, ADVANCED = "troubleshooting", "beginner", "advanced"
# Generic help-centre words that mark a troubleshooting page, used only while the KB has no
# troubleshooting articles of its own to learn from (English and Chinese).
TROUBLE_SEED = frozenset("""
troubleshoot troubleshooting troubleshooter error errors fix fixes fixing problem problems issue issues
fail fails failed failing failure broken cannot unable can't won't doesn't isn't not wrong stuck crash
crashes debug debugging solve solving resolve resolving
故障 排查 排错 错误 报错 出错 问题 无法 失败 异常 不能 解决
""".split())
MIN_EXAMPLES = 2  # a word is learned from at least this many articles of a level
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


@dataclass(frozen=True)
class StageRoles:
    """Stage ids by role; None when the KB gives no way to tell."""

    start: str | None = None
    everyday: str | None = None
    advanced: str | None = None
    troubleshooting: str | None = None

    def for_level(self, level: str) -> str | None:
        """The stage to suggest for a new article of `level` (falls back to everyday, then start)."""
        role = {TROUBLESHOOTING: self.troubleshooting, ADVANCED: self.advanced}.get(level)
        return role or self.everyday or self.start


def stage_roles(config: Config, articles: Iterable[Article]) -> StageRoles:
    """The role of each stage, from the order in helpgen.yml and the levels of `articles`."""
    ids = config.stage_ids
    if not ids:
        return StageRoles()
    by_stage: dict[str, Counter] = {sid: Counter() for sid in ids}
    for a in articles:
        for sid in dict.fromkeys(a.stages):
            if sid in by_stage:
                by_stage[sid][a.level] += 1
    trouble = _mostly(ids, by_stage, TROUBLESHOOTING) or _named(config, TROUBLE_SEED)
    rest = [sid for sid in ids[1:] if by_stage[sid][BEGINNER]]
    everyday = max(rest, key=lambda sid: by_stage[sid][BEGINNER], default=None)  # max keeps the first of ties
    if everyday is None and len(ids) > 1:
        everyday = next((sid for sid in ids[1:] if sid != trouble), None)
    return StageRoles(start=ids[0], everyday=everyday, advanced=_mostly(ids, by_stage, ADVANCED),
                      troubleshooting=trouble)


def new_article_stage(kb: KnowledgeBase, level: str | None, suggested: str | None = None) -> str | None:
    """The stage of a new article: `suggested` (a report's) while helpgen.yml still has it, else the
    stage for `level` (None without a level)."""
    if suggested in kb.config.stage_ids:
        return suggested
    return stage_roles(kb.config, kb.in_language("")).for_level(level) if level in LEVELS else None


def _mostly(ids: Sequence[str], by_stage: dict[str, Counter], level: str) -> str | None:
    """The stage where `level` has the largest share, if over half; else the one with most of it."""
    have = [sid for sid in ids if by_stage[sid][level]]
    if not have:
        return None
    share = lambda sid: by_stage[sid][level] / sum(by_stage[sid].values())  # noqa: E731
    best = max(have, key=share)
    if share(best) > 0.5:
        return best
    return max(have, key=lambda sid: by_stage[sid][level])


def _named(config: Config, words: frozenset[str]) -> str | None:
    """The first stage whose id, label or description uses one of `words`."""
    for stage in config.stages:
        text = " ".join([stage.id.replace("-", " ").replace("_", " "), stage.label, stage.description])
        if words & simple_words(text):
            return stage.id
    return None


def simple_words(text: str) -> set[str]:
    """Lower-cased words of `text`; runs of Chinese characters give their 2-character pieces."""
    text = text.lower()
    words = set(_WORD.findall(_CJK.sub(" ", text)))
    for run in _CJK.findall(text):
        words.update(run[i:i + 2] for i in range(max(len(run) - 1, 1)))
    return words


def question_text(article: Article) -> str:
    """What an article says it answers: title, summary and questions."""
    return " ".join([article.title, article.summary, *article.questions])


def level_words(docs: Iterable[tuple[str | None, Iterable[str]]], level: str = TROUBLESHOOTING) -> frozenset[str]:
    """Words clearly typical of the articles of `level`: used by at least MIN_EXAMPLES of them and at
    least twice as often (share of articles) as by the articles of the other levels.

    `docs` = (level, words) per article; articles with no level are left out. Empty when the KB has
    fewer than MIN_EXAMPLES articles of `level` or none of another level.
    """
    own, other = Counter(), Counter()
    n_own = n_other = 0
    for lv, words in docs:
        if not lv:
            continue
        if lv == level:
            n_own += 1
            own.update(set(words))
        else:
            n_other += 1
            other.update(set(words))
    if n_own < MIN_EXAMPLES or not n_other:
        return frozenset()
    return frozenset(w for w, c in own.items()
                     if c >= MIN_EXAMPLES and c / n_own >= 2 * (other[w] + 1) / (n_other + 2))


def trouble_vocabulary(articles: Iterable[Article]) -> frozenset[str]:
    """The KB's own troubleshooting words (see level_words), else TROUBLE_SEED."""
    learned = level_words((a.level, simple_words(question_text(a))) for a in articles)
    return learned or TROUBLE_SEED


def guess_level(title: str, vocabulary: frozenset[str]) -> str:
    """`troubleshooting` when the title uses a troubleshooting word, else `beginner`."""
    return TROUBLESHOOTING if simple_words(title) & vocabulary else BEGINNER
