"""`helpgen coverage --learn`: the words and two-word phrases customers use for an article and the
article does not, learned from tickets answered with it (linked, or matched with high confidence).

Privacy: these terms go into a public search index. A term is kept only when at least
`coverage.learn.min_tickets` distinct tickets of the article use it; it is taken from the redacted
text; it is one word or two adjacent words, never a sentence; words with a digit, redaction marks
(and the words beside them), and names (words customers capitalise in mid-sentence, or jieba's
person and place names) never qualify.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from helpgen.kb.model import Article, KnowledgeBase
from helpgen.kb.search_terms import ArticleTerms, SearchTerms, article_key, term_problem
from helpgen.text import CJK, CJK_RANGES, QUERY_STOP_WORDS_EN, STOP_WORDS_ZH, quiet_jieba, split_words, stem

MIN_CONFIDENCE = 0.5  # an unlinked ticket counts when the router gives its article more than half the probability
# A term is kept for an article when the article's tickets use it more often than the learning
# tickets overall (lift > 1): words every customer writes are dropped, while a word shared by a few
# neighbouring articles is kept for each of them (a rule on the share of the term's tickets that
# belong to the article removed exactly those shared words: docs/benchmarks-search.md).
MIN_LIFT = 1.0
# ... and when that difference is unlikely to be chance: Dunning's log-likelihood ratio G² of the
# 2×2 table (article / other tickets × with / without the term) at the 5% level of chi² with one
# degree of freedom. Filler words spread evenly over a log ("thanks", "today") pass lift > 1 for
# about half the articles by chance; this keeps them out.
MIN_G2 = 3.841
MAX_TERMS = 100  # per article, the most distinctive first
_HAN = CJK
_MARK = re.compile(r"\[[^\]\s]{1,30}\]")
_SENTENCE = re.compile(r"[.!?\n。！？;；]+")
_WORD = re.compile(f"[A-Za-z]+|[{CJK_RANGES}]+|[^\\sA-Za-z]")


@dataclass(frozen=True)
class LearnOptions:
    min_tickets: int = 5
    min_confidence: float = MIN_CONFIDENCE
    min_lift: float = MIN_LIFT
    min_g2: float = MIN_G2
    max_terms: int = MAX_TERMS


def learning_tickets(texts: Sequence[str], article_ids: Sequence[str], linked: Sequence[bool],
                     scores: Sequence[float], min_confidence: float = MIN_CONFIDENCE) -> list[tuple[str, str]]:
    """(text, article id) of tickets linked to an article or matched to it with high confidence."""
    return [(t, a) for t, a, link, s in zip(texts, article_ids, linked, scores)
            if a and (link or s >= min_confidence)]


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


def _tokens_en(sentence: str, names: set[str]) -> list[str | None]:
    """Content words of a sentence, `None` where a phrase must break (stop words keep no gap:
    "my invoice has not been sent" -> invoice, sent)."""
    out: list[str | None] = []
    marked = _MARK.sub(" \x00 ", sentence)
    for raw in _WORD.findall(marked):
        if raw == "\x00":  # a redaction mark: no term is taken from it or across it
            if out:
                out[-1] = None
            out.append(None)
            continue
        word = raw.lower()
        if raw == "'":  # don't, hasn't: the search separator splits them too; the parts are stop words
            continue
        if not word[0].isalpha():
            out.append(None)
            continue
        if word in QUERY_STOP_WORDS_EN or len(word) < 2:
            continue
        if any(ch.isdigit() for ch in word) or word in names:
            out.append(None)
            continue
        out.append(word)
    return out


def _tokens_zh(sentence: str) -> list[str | None]:
    import jieba.posseg as posseg  # noqa: F401 - jieba is already a dependency

    quiet_jieba()
    out: list[str | None] = []
    marked = _MARK.sub(" \x00 ", sentence)
    for piece in posseg.lcut(marked):
        word, flag = piece.word.strip(), piece.flag
        if not word:
            continue
        if word == "\x00" or flag.startswith(("nr", "ns", "nt", "m")) or any(ch.isdigit() for ch in word):
            out.append(None)  # redaction marks, names, places, organisations, numbers
            continue
        if not _HAN.search(word):
            out.append(None)
            continue
        if len(word) < 2 or word in STOP_WORDS_ZH:
            continue
        out.append(word)
    return out


def name_like_words(texts: Iterable[str]) -> set[str]:
    """Words written with a capital in mid-sentence more often than not: names of people, places, brands."""
    upper: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for text in texts:
        for sentence in _sentences(text):
            words = re.findall(r"[A-Za-z][A-Za-z']*", sentence)
            for i, w in enumerate(words):
                low = w.lower()
                total[low] += 1
                if i > 0 and w[0].isupper() and low != "i" and not w.isupper():
                    upper[low] += 1
    return {w for w, n in upper.items() if n * 2 > total[w]}


def ticket_terms(text: str, chinese: bool, names: set[str]) -> set[str]:
    """The candidate terms of one ticket: its words and pairs of adjacent words (no sentence crossed)."""
    terms: set[str] = set()
    for sentence in _sentences(text):
        seq = _tokens_zh(sentence) if chinese else _tokens_en(sentence, names)
        whole = "".join(_HAN.findall(sentence)) if chinese else " ".join(re.findall(r"[a-z]+", sentence.lower()))
        for i, word in enumerate(seq):
            if word is None:
                continue
            nxt = seq[i + 1] if i + 1 < len(seq) else None
            pairs = [word] + ([f"{word} {nxt}"] if nxt is not None and nxt != word else [])
            for term in pairs:  # never a whole sentence of the ticket, however short
                if (term.replace(" ", "") if chinese else term) != whole:
                    terms.add(term)
    return {t for t in terms if not term_problem(t)}


def _stems(words: Iterable[str]) -> list[str]:
    return [stem(w) if w.isascii() else w for w in words]


def article_vocabulary(article: Article) -> tuple[set[str], set[str]]:
    """(stems, adjacent stem pairs) of what the article says where search weighs it most: title,
    summary, questions and tags (a word only in the body is weak in search, so it may be learned)."""
    text = " \n ".join([article.title, article.summary, *article.questions, *article.tags])
    words = _stems(w for w in split_words(text) if w not in QUERY_STOP_WORDS_EN)
    return set(words), {f"{a} {b}" for a, b in zip(words, words[1:])}


def _is_new(term: str, vocab: tuple[set[str], set[str]]) -> bool:
    stems, pairs = vocab
    parts = _stems(term.split())
    if len(parts) == 1:
        return parts[0] not in stems
    return " ".join(parts) not in pairs


def distinctiveness(n: int, article_tickets: int, term_tickets: int, total: int) -> tuple[float, float]:
    """(lift, log-odds) of a term used by `n` of an article's `article_tickets` tickets and by
    `term_tickets` of all `total` learning tickets. lift = P(term | article) / P(term); the log-odds
    (smoothed) compare the article's share of the term's tickets with its share of all tickets."""
    lift = (n / article_tickets) / (term_tickets / total)
    rest = total - article_tickets
    odds = math.log((n + 0.5) / (term_tickets - n + 0.5)) - math.log(article_tickets / rest) if rest else math.inf
    return lift, odds


def log_likelihood(n: int, article_tickets: int, term_tickets: int, total: int) -> float:
    """Dunning's G² of the 2×2 table: the article's tickets with and without the term, and the
    other tickets with and without it (0 when there are no other tickets)."""
    rest = total - article_tickets
    if rest <= 0:
        return 0.0
    cells = ((n, article_tickets, term_tickets), (article_tickets - n, article_tickets, total - term_tickets),
             (term_tickets - n, rest, term_tickets), (rest - term_tickets + n, rest, total - term_tickets))
    return 2.0 * sum(o * math.log(o * total / (row * col)) for o, row, col in cells if o > 0)


Evidence = dict[str, tuple[int, dict[str, int]]]  # article id -> (its learning tickets, word -> tickets using it)


def learn(kb: KnowledgeBase, tickets: Sequence[tuple[str, str]], lang: str, options: LearnOptions) -> dict[str, list[str]]:
    """Article id -> new terms (most distinctive first; ties: more tickets, then alphabetical) from
    (redacted text, article id) pairs. A term qualifies when at least `min_tickets` distinct tickets of the article use it (privacy),
    the article does not say it already, and the article's tickets use it more than `min_lift` times as
    often as all learning tickets do (with one article's tickets alone there is nothing to compare,
    and every term qualifies)."""
    return learn_with_counts(kb, tickets, lang, options)[0]


def learn_with_counts(kb: KnowledgeBase, tickets: Sequence[tuple[str, str]], lang: str,
                      options: LearnOptions) -> tuple[dict[str, list[str]], Evidence]:
    """learn()'s terms, and per article its number of learning tickets with the single words that at
    least `min_tickets` of them use (same privacy rule as the terms; the article may say them
    already): the statistics helpgen.search.rerank re-ranks search results with."""
    chinese = lang.lower().startswith("zh")
    articles = {a.id: a for a in kb.in_language(lang)} or {a.id: a for a in kb.in_language("")}
    names = set() if chinese else name_like_words(t for t, _ in tickets)
    per_article: dict[str, Counter[str]] = defaultdict(Counter)
    overall: Counter[str] = Counter()
    sizes: Counter[str] = Counter()
    for text, article_id in tickets:
        if article_id not in articles:
            continue
        terms = ticket_terms(text, chinese, names)
        per_article[article_id].update(terms)
        overall.update(terms)
        sizes[article_id] += 1
    total = sum(sizes.values())

    out: dict[str, list[str]] = {}
    evidence: Evidence = {}
    for article_id in sorted(per_article):
        vocab = article_vocabulary(articles[article_id])
        kept = []
        for term, n in per_article[article_id].items():
            if n < options.min_tickets or not _is_new(term, vocab):
                continue
            lift, odds = distinctiveness(n, sizes[article_id], overall[term], total)
            if sizes[article_id] == total or (
                    lift > options.min_lift
                    and log_likelihood(n, sizes[article_id], overall[term], total) >= options.min_g2):
                kept.append((-odds, -n, term))
        kept.sort()
        if kept:
            out[article_id] = [t for _, _, t in kept[:options.max_terms]]
        words = {t: n for t, n in per_article[article_id].items() if n >= options.min_tickets and " " not in t}
        if words:
            evidence[article_id] = (sizes[article_id], dict(sorted(words.items())))
    return out, evidence


def merge(previous: SearchTerms, learned: dict[str, list[str]], lang: str, default_lang: str,
          evidence: Evidence | None = None) -> dict[str, ArticleTerms]:
    """The file's new content: earlier entries kept, writer deletions rejected, new terms added;
    counts replaced by this run's `evidence` (learn_with_counts), without rejected words."""
    out = _merge_terms(previous, learned, lang, default_lang)
    for article_id, (tickets, words) in sorted((evidence or {}).items()):
        key = article_key(article_id, lang, default_lang)
        entry = out.get(key, ArticleTerms())
        counts = tuple((w, n) for w, n in sorted(words.items()) if w not in entry.rejected)
        out[key] = replace(entry, tickets=tickets, counts=counts)
    return out


def _merge_terms(previous: SearchTerms, learned: dict[str, list[str]], lang: str, default_lang: str) -> dict[str, ArticleTerms]:
    out = dict(previous.articles)
    for article_id, terms in learned.items():
        key = article_key(article_id, lang, default_lang)
        old = previous.articles.get(key, ArticleTerms())
        rejected = old.dropped
        kept = set(old.terms) | {t for t in terms if t not in rejected}
        out[key] = replace(old, terms=tuple(sorted(kept)), rejected=tuple(sorted(rejected)),
                           learned=tuple(sorted(set(old.learned) | kept)),
                           counts=tuple((w, n) for w, n in old.counts if w not in rejected))
    for key, old in previous.articles.items():  # writer deletions count even without new tickets
        if key not in out or out[key] is old:
            rejected = old.dropped
            out[key] = replace(old, rejected=tuple(sorted(rejected)), learned=tuple(sorted(set(old.learned) | set(old.terms))),
                               counts=tuple((w, n) for w, n in old.counts if w not in rejected))
    return out


HEADER = """\
# Words customers use for each article, learned from the tickets by `helpgen coverage --learn`.
# Search uses `terms` as a hidden field. Delete a term to drop it: the next run moves it to
# `rejected` and never proposes it again. `learned` is what the last run proposed (do not edit).
"""


def learn_search_terms(kb: KnowledgeBase, result, options: LearnOptions | None = None) -> tuple[str, int]:
    """(new text of KB/search-terms.yml, number of new terms) from a coverage run's tickets."""
    from helpgen.kb.search_terms import dump_search_terms, load_search_terms

    options = options or LearnOptions(min_tickets=kb.config.coverage.learn.min_tickets)
    rows = result.rows
    lang = result.data.get("lang") or kb.config.language
    ids = [rows.article_ids[a] if covered and a >= 0 else "" for covered, a in zip(rows.verdict, rows.article)]
    tickets = learning_tickets(rows.texts, ids, [False] * len(ids), [float(s) for s in rows.score],
                               options.min_confidence)
    previous = load_search_terms(kb.root)
    learned, evidence = learn_with_counts(kb, tickets, lang, options)
    merged = merge(previous, learned, lang, kb.config.language, evidence)
    before = {k: set(v.terms) for k, v in previous.articles.items()}
    count = sum(len(set(v.terms) - before.get(k, set())) for k, v in merged.items())
    return dump_search_terms(merged, HEADER), count
