"""Re-ranking lunr's top results with the tickets' evidence (`counts:` of KB/search-terms.yml).

`helpgen coverage --learn` stores, per article, how many learning tickets it had and how many of
them used each word (only words of at least `coverage.learn.min_tickets` tickets: the privacy rule
of learned terms). Search then re-orders its top `DEPTH` articles by

    log(lunr score) + WEIGHT * naive-Bayes log-probability of the query under the article

(Bernoulli: every counted word the query has or lacks is evidence) with P(word | article) =
(count + SMOOTHING) / (tickets + 2 * SMOOTHING) and the article's share of all learning tickets as
prior. Only words that some article's counts hold take part. An article
without counts gets the lowest evidence score of the re-ranked articles. Without counts (or when no
query word has any) the order stays exactly lunr's. The browser does the same
(site_template/assets/search/helpgen-rerank.js) with `config.helpgen.rerank` of search_index.json,
written by evidence_data(). WEIGHT and DEPTH were chosen on a part of the BANKING77 training split
(benchmarks/banking77/search_recall.py --learn --tune), never on the test questions.
"""
from __future__ import annotations

import math
import re
from typing import Callable, Iterable, Mapping, Sequence, TypeVar

from helpgen.kb.model import KnowledgeBase
from helpgen.kb.search_terms import SearchTerms, article_key
from helpgen.text import CJK_RUN, CJK_WORD

WEIGHT = 0.1  # lambda: weight of the evidence against log(lunr score) (tuned: docs/benchmarks-search.md)
DEPTH = 10  # how many of lunr's top articles are re-ordered
SMOOTHING = 0.5

_ASCII_WORD = re.compile(r"[a-z]+")
Stemmer = Callable[[str], str]  # the browser's Porter stemmer (helpgen.search.site_index.stem)

# article key -> (tickets, stem or Chinese word -> tickets using it)
Evidence = dict[str, tuple[int, dict[str, int]]]
T = TypeVar("T")


def word_key(word: str, stem: Stemmer) -> str:
    """The form counts are compared in: the browser's Porter stem of an English word, a Chinese word as is."""
    return stem(word) if word.isascii() else word


def evidence_of(kb: KnowledgeBase, terms: SearchTerms, lang: str, stem: Stemmer,
                key: Callable[[str], str] = lambda article_id: article_id) -> Evidence:
    """`key(article id)` -> (tickets, word key -> tickets) of the language's articles with counts in
    `terms` (KB/search-terms.yml); words of one stem are added up (at most the article's tickets)."""
    out: Evidence = {}
    for article in kb.in_language(lang):
        entry = terms.articles.get(article_key(article.id, article.lang, kb.config.language))
        if entry is None or not entry.tickets or not entry.counts:
            continue
        words: dict[str, int] = {}
        for word, n in entry.counts:
            k = word_key(word, stem)
            words[k] = min(entry.tickets, words.get(k, 0) + n)
        out[key(article.id)] = (entry.tickets, dict(sorted(words.items())))
    return dict(sorted(out.items()))


def evidence_data(evidence: Evidence) -> dict:
    """`config.helpgen.rerank` for helpgen-rerank.js (empty when there are no counts)."""
    if not evidence:
        return {}
    return {"weight": WEIGHT, "depth": DEPTH, "smoothing": SMOOTHING,
            "articles": {k: [n, words] for k, (n, words) in evidence.items()}}


def query_words(query: str, vocabulary: Iterable[str], stem: Stemmer) -> list[str]:
    """The query's word keys that some article's counts hold, each once (English: stems of its
    words a-z; Chinese: every counted word that one of its Chinese runs contains)."""
    vocab = set(vocabulary)
    out: list[str] = []
    text = query.lower()
    han = sorted(w for w in vocab if CJK_WORD.match(w))
    for run in CJK_RUN.findall(text):
        out += [w for w in han if w in run and w not in out]
    for word in _ASCII_WORD.findall(text):
        k = stem(word)
        if k in vocab and k not in out:
            out.append(k)
    return out


def log_evidence(words: Sequence[str], tickets: int, counts: Mapping[str, int], total: int, vocabulary: int,
                 smoothing: float = SMOOTHING) -> float:
    """Bernoulli naive Bayes: log P(article) + for every word of the counts' `vocabulary` (its size),
    log P(word | article) when the query has it, log(1 - P(word | article)) when not. A word the
    article has no count for has P = smoothing / (tickets + 2 * smoothing)."""
    def p(count: int) -> float:
        return (count + smoothing) / (tickets + 2 * smoothing)

    score = math.log(tickets / total) + (vocabulary - len(counts)) * math.log(1 - p(0))
    score += sum(math.log(1 - p(c)) for c in counts.values())
    for w in words:
        score += math.log(p(counts.get(w, 0))) - math.log(1 - p(counts.get(w, 0)))
    return score


def rerank(items: Sequence[T], query: str, evidence: Evidence, key: Callable[[T], str],
           score: Callable[[T], float], stem: Stemmer, weight: float | None = None,
           depth: int | None = None) -> list[T]:
    """`items` (lunr's order) with the first `depth` re-ordered by the evidence; unchanged without it."""
    items = list(items)
    weight = WEIGHT if weight is None else weight
    depth = DEPTH if depth is None else depth
    if not evidence or weight <= 0 or depth < 2:
        return items
    vocab = {w for _, words in evidence.values() for w in words}
    words = query_words(query, vocab, stem)
    head = items[:depth]
    if not words or not any(key(i) in evidence for i in head):
        return items
    total = sum(n for n, _ in evidence.values())
    nb = {key(i): log_evidence(words, *evidence[key(i)], total, len(vocab)) for i in head if key(i) in evidence}
    floor = min(nb.values())
    combined = [math.log(max(score(i), 1e-9)) + weight * nb.get(key(i), floor) for i in head]
    order = sorted(range(len(head)), key=lambda j: (-combined[j], j))
    return [head[j] for j in order] + items[depth:]
