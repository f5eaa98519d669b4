"""Lexical matching of tickets to articles: features, the article router, the gap scorer and calibration.

Everything here is pure computation on token lists (from `helpgen.text.tokenize`), so the
same analyser drives the site search and coverage. See docs/coverage.md for the design.
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from sklearn.preprocessing import normalize

from helpgen.kb.model import Article
from helpgen.text import UNSPACED, tokenize

_MD_NOISE = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|[#*_`>|]+")
_NUMBER = re.compile(r"^\d+$")
POOL_CHUNK = 20_000  # tickets per chunk sent to the tokenising worker process


@lru_cache(maxsize=200_000)
def _tokens_cached(text: str) -> tuple[str, ...]:
    return tuple(t for t in tokenize(text) if len(t) > 1 and not _NUMBER.match(t))


def tokens(text: str, limit: int | None = 2000) -> tuple[str, ...]:
    """Analyser tokens of `text` (stemmed, stop words out), without numbers and 1-letter tokens.

    Tickets are cut at `limit` characters (the question is at the top); articles pass limit=None.
    """
    return _tokens_cached(text[:limit] if limit else text)


def tokens_of(texts: Sequence[str]) -> list[tuple[str, ...]]:
    """`tokens` of each text (what a TokenPool worker runs)."""
    return [tokens(t) for t in texts]


class TokenPool:
    """Tokenises texts in chunks in one worker process while the caller keeps reading tickets.

    Only logs above POOL_CHUNK tickets start a worker; the tail (and small logs) are tokenised here.
    """

    def __init__(self, chunk: int = POOL_CHUNK) -> None:
        self.chunk, self.sent, self.futures, self.executor = chunk, 0, [], None

    def __enter__(self) -> "TokenPool":
        return self

    def __exit__(self, *exc) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def feed(self, texts: Sequence[str]) -> None:
        """Send the next full chunk of `texts` (a growing list) to the worker."""
        if len(texts) - self.sent < self.chunk:
            return
        if self.executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        self.futures.append(self.executor.submit(tokens_of, texts[self.sent:self.sent + self.chunk]))
        self.sent += self.chunk

    def result(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """Tokens of every text, in order."""
        out: list[tuple[str, ...]] = []
        for f in self.futures:
            out.extend(f.result())
        out.extend(tokens_of(texts[self.sent:]))
        return out


def _distinct(items: Sequence, key) -> tuple[np.ndarray, list]:
    """(index of each item's key among the distinct keys, the distinct keys in order of first appearance)."""
    first: dict = {}
    inverse = np.fromiter((first.setdefault(key(x), len(first)) for x in items), np.int64, len(items))
    return inverse, list(first)


def distinct_rows(X: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """(index of each row among the distinct rows, the first row of each, in order): rows storing the same
    columns and values are one, so a result computed row by row serves all of them."""
    cols, vals, ptr = X.indices.tobytes(), X.data.tobytes(), X.indptr.tolist()
    c, v = X.indices.itemsize, X.data.itemsize
    first: dict = {}
    inverse = np.fromiter((first.setdefault((cols[a * c:b * c], vals[a * v:b * v]), len(first))
                           for a, b in zip(ptr, ptr[1:])), np.int64, X.shape[0])
    return inverse, np.unique(inverse, return_index=True)[1]


def once_per_distinct_row(fn):
    """For `fn(X, ...)` giving per-row arrays (or a tuple of them) where each row's result depends only on that
    row of X: compute it once for each distinct row (tickets repeat the same words)."""

    @functools.wraps(fn)
    def once(X: sparse.csr_matrix, *args, **kwargs):
        inverse, first = distinct_rows(X)
        if len(first) * 10 > X.shape[0] * 9:  # hardly any repeats
            return fn(X, *args, **kwargs)
        out = fn(X[first], *args, **kwargs)
        return tuple(o[inverse] for o in out) if isinstance(out, tuple) else out[inverse]

    return once


def features(toks: Sequence[str]) -> list[str]:
    """Unigrams plus bigrams of analyser tokens: the features of every vectoriser here."""
    return list(toks) + [f"{a} {b}" for a, b in zip(toks, toks[1:])]


def _identity(x):  # picklable analyzer for pre-tokenised input
    return x


def article_text(article: Article) -> str:
    """Plain text of an article body, Markdown link targets and markup removed."""
    return _MD_NOISE.sub(" ", article.body)


def article_examples(article: Article) -> list[tuple[str, float]]:
    """Training texts for one article with their weights: questions, title and summary above the body."""
    out = [(article.title, 3.0)]
    if article.summary:
        out.append((article.summary, 2.0))
    out += [(q, 2.0) for q in article.questions]
    out.append((f"{article.title}. {article.summary}. {' '.join(article.questions)}", 2.0))
    paragraphs = [p for p in article_text(article).split("\n\n") if len(p.split()) > 3]
    out += [(p, 0.5) for p in paragraphs]
    return out


def article_profile(article: Article, drop_question: str | None = None) -> str:
    """One text per article, with title, summary and questions repeated so they weigh more."""
    questions = [q for q in article.questions if q != drop_question]
    head = " ".join([article.title] * 3 + [article.summary] * 2 + questions * 2 + list(article.tags))
    return f"{head}\n{article_text(article)}"


class TextSpace:
    """TF-IDF over analyser unigrams and bigrams, fitted once, applied in chunks."""

    def __init__(self, min_df: int = 1, max_features: int | None = 60_000) -> None:
        self.vec = TfidfVectorizer(analyzer=_identity, min_df=min_df, sublinear_tf=True,
                                   max_features=max_features, dtype=np.float32)

    def fit(self, token_lists: Sequence[Sequence[str]]) -> "TextSpace":
        self.vec.fit([features(t) for t in token_lists])
        self.vocab = frozenset(w for w in self.vec.vocabulary_ if " " not in w)
        return self

    def transform(self, token_lists: Sequence[Sequence[str]], chunk: int = 50_000) -> sparse.csr_matrix:
        inverse, uniq = _distinct(token_lists, tuple)
        if len(uniq) < len(token_lists):  # identical texts are transformed once (rows do not depend on each other)
            return self.transform(uniq, chunk)[inverse]
        parts = [self.vec.transform([features(t) for t in token_lists[i:i + chunk]])
                 for i in range(0, len(token_lists), chunk)]
        if not parts:
            return sparse.csr_matrix((0, len(self.vec.vocabulary_)), dtype=np.float32)
        return sparse.vstack(parts).tocsr()

    def idf(self) -> dict[str, float]:
        """IDF of each unigram, for weighting the off-topic rule."""
        if not hasattr(self, "_idf"):
            self._idf = {w: float(self.vec.idf_[j]) for w, j in self.vec.vocabulary_.items() if " " not in w}
            self.max_idf = float(self.vec.idf_.max()) if len(self.vec.idf_) else 1.0
        return self._idf

    def feature_names(self) -> np.ndarray:
        return self.vec.get_feature_names_out()


@dataclass
class Calibration:
    """Thresholds learned from the KB itself (leave-one-out over each article's `questions`)."""

    min_similarity: float = 0.1  # covered needs at least this cosine to its article (text-only mode)
    floor_similarity: float = 0.05  # never covered below this, whatever the history says
    min_vocab_share: float = 0.5  # below this share of known words a question is off-topic
    true_median: float = 0.0
    other_median: float = 0.0
    questions: int = 0
    gap_ratio: float = 0.5  # with history: gap when P(linked) / c falls below this
    link_rate: float = 0.0  # c: share of covered handled tickets the team links
    mode: str = "text"  # "text" or "history"
    min_neighbour: float = 0.0  # history: a ticket unlike every handled ticket is off-topic
    min_support: float = 0.0  # history: share of a ticket's words its article must explain
    min_domain: float | None = None  # off-topic below this domain score (DomainWords); None = rule not used
    min_topic: float | None = None  # text-only: covered from this topic score (TopicEvidence); None = not used
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        keys = ("mode", "min_similarity", "floor_similarity", "min_vocab_share", "true_median",
                "other_median", "questions", "gap_ratio", "link_rate", "min_neighbour", "min_support", "min_domain",
                "min_topic", "notes")
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in ((k, getattr(self, k)) for k in keys)}


def _youden(pos: np.ndarray, neg: np.ndarray) -> float:
    """The threshold that best separates `pos` (should pass) from `neg` (should fail)."""
    cands = np.unique(np.concatenate([pos, neg]))
    best, best_t = -1.0, float(np.median(pos)) if len(pos) else 0.1
    for t in cands:
        j = float((pos >= t).mean() - (neg >= t).mean())
        if j > best:
            best, best_t = j, float(t)
    return best_t


def match_examples(article: Article) -> list[str]:
    """The texts a ticket is compared with: title, summary, each question and each body paragraph."""
    return [t for t, _ in article_examples(article) if t and not t.startswith(f"{article.title}. ")]


def example_matrix(articles: Sequence[Article], space: "TextSpace") -> tuple[sparse.csr_matrix, np.ndarray]:
    """L2-normalised rows of every match example, and the article index of each row."""
    texts, owner = [], []
    for i, a in enumerate(articles):
        ex = match_examples(a)
        texts += ex
        owner += [i] * len(ex)
    return normalize(space.transform([tokens(t, None) for t in texts])), np.array(owner, int)


@once_per_distinct_row
def best_example(X: sparse.csr_matrix, E: sparse.csr_matrix, owner: np.ndarray,
                 chunk: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
    """For each row: the best cosine to any article example, and that example's article."""
    best, arg = [], []
    chunk = max(200, min(chunk, 10_000_000 // max(E.shape[0], 1)))  # dense blocks of at most ~40 MB
    for i in range(0, X.shape[0], chunk):
        s = (X[i:i + chunk] @ E.T).toarray()
        j = s.argmax(1) if s.shape[1] else np.zeros(s.shape[0], int)
        best.append(s[np.arange(len(j)), j] if s.shape[1] else np.zeros(len(j)))
        arg.append(owner[j] if s.shape[1] else j)
    if not best:
        return np.zeros(0, np.float32), np.zeros(0, int)
    return np.concatenate(best).astype(np.float32), np.concatenate(arg)


def calibrate_text(articles: Sequence[Article], space: TextSpace) -> Calibration:
    """Leave-one-out over questions: how a real question of A scores against the KB without it (it is
    answered: should be covered) and against the KB without A (a gap: should not); the threshold is the
    one that best separates the two."""
    cal = Calibration()
    E, owner = example_matrix(articles, space)
    texts = [t for a in articles for t in match_examples(a)]
    idf = space.idf()
    vocab_all = [set(tokens(article_profile(a), None)) for a in articles]
    in_articles = Counter(w for v in vocab_all for w in v)
    true, other, shares = [], [], []
    qs = [(i, q) for i, a in enumerate(articles) for q in a.questions][:5000]
    where = {}
    for row, t in enumerate(texts):
        where.setdefault(t, []).append(row)
    for start in range(0, len(qs), 500):
        part = qs[start:start + 500]
        S = (E @ normalize(space.transform([tokens(q) for _, q in part])).T).toarray()
        for col, (i, q) in enumerate(part):
            sims = S[:, col]
            own = owner == i
            other.append(float(sims[~own].max()) if (~own).any() else 0.0)
            sims[where.get(q, [])] = -1.0  # the KB without this question: it should be covered
            true.append(max(float(sims.max()), 0.0) if len(sims) else 0.0)
    for i, art in enumerate(articles):
        rest_vocab = _RestVocab(in_articles, vocab_all[i])
        for q in art.questions:
            qt = tokens(q)
            if qt:
                shares.append(vocab_share(qt, rest_vocab, idf, space.max_idf))
    cal.questions = len(true)
    if len(true) >= 5:
        pos, neg = np.array(true), np.array(other)
        cal.min_similarity = _youden(pos, neg)
        cal.true_median, cal.other_median = float(np.median(pos)), float(np.median(neg))
        cal.floor_similarity = float(np.percentile(pos, 5)) / 2
        cal.notes.append(f"{len(true)} article questions scored leave-one-out: median {cal.true_median:.3f} against "
                         f"the KB without the question, {cal.other_median:.3f} against the KB without its "
                         f"article; covered from {cal.min_similarity:.3f} (the best separating threshold)")
    else:
        cal.notes.append("fewer than 5 article questions: default similarity thresholds used, add `questions`")
    if shares:
        cal.min_vocab_share = min(0.5, max(0.3, float(np.percentile(shares, 5))))
        cal.notes.append(f"off-topic below {cal.min_vocab_share:.2f} known words (IDF-weighted): 5th percentile of "
                         "article questions against the other articles' vocabulary, kept within 0.3-0.5")
    return cal


NEIGHBOURS = 10  # text-only mode: each ticket is judged with this many of its most similar tickets
NEIGHBOUR_POOL = 5_000  # ... drawn from a sample of the log this big
MIN_QUESTIONS = 20  # fewer article questions than this: too few to calibrate on (own similarity alone)


def per_article_best(S: np.ndarray, owner: np.ndarray, k: int) -> np.ndarray:
    """Dense rows x articles: the best similarity of each row to each article's examples (-1 when it has none)."""
    out = np.full((S.shape[0], k), -1.0, np.float32)
    for a in range(k):
        cols = np.flatnonzero(owner == a)
        if len(cols):
            out[:, a] = S[:, cols].max(1)
    return out


def _log_rank(ref: np.ndarray, x: np.ndarray) -> np.ndarray:
    """log of the share of `ref` at or below each x (how ordinary x is among the reference values)."""
    r = np.sort(ref)
    return np.log((1.0 + np.searchsorted(r, x, side="right")) / (1.0 + len(r)))


class TopicEvidence:
    """Text-only verdicts judged on a ticket's topic rather than on its own few words.

    A question is short and words vary, so one ticket's similarity to the nearest article says little; but a
    log holds many tickets of each topic. Each ticket is judged with its NEIGHBOURS most similar tickets
    (from a pool sampled from the log) on two things:
    - `similarity`: the mean, over the ticket and its neighbours (those sharing a word with it), of the best
      cosine to an article example;
    - `explained`: the IDF-weighted share of the topic's words (said by at least two of the ticket and its
      neighbours) that its routed article uses.
    Both are calibrated by the KB's own questions placed in the log: each question, with its neighbours from
    the same pool, is scored against the KB without the question (it is answered) and against the KB without
    its article (a gap whose neighbours are the tickets of that article); a ticket is covered when the sum of
    its two log-ranks among the second kind of scores passes the threshold that best separates both kinds.
    """

    def __init__(self, articles: Sequence[Article], space: TextSpace, X: sparse.csr_matrix,
                 seed: int = 0, k: int = NEIGHBOURS, pool: int = NEIGHBOUR_POOL) -> None:
        rng = np.random.default_rng(seed + 4)
        n = X.shape[0]
        self.pool = np.sort(rng.choice(n, min(n, pool), replace=False))
        self.k = max(0, min(k, len(self.pool) - 1))
        self.space, self.articles = space, articles
        uni = np.array([" " not in str(f) for f in space.feature_names()], np.float32)
        self.idf = (space.vec.idf_ * uni).astype(np.float32)
        self.binary = lambda M: sparse.csr_matrix(((M > 0).astype(np.float32)).multiply(uni))
        self.E, self.owner = example_matrix(articles, space)
        self.P = self.binary(space.transform([tokens(article_profile(a), None) for a in articles]))
        self.Xp = X[self.pool]
        self.Bp = self.binary(self.Xp)
        step = max(100, 10_000_000 // max(self.E.shape[0], 1))  # dense blocks of at most ~40 MB
        self.Sp = np.vstack([per_article_best((self.Xp[i:i + step] @ self.E.T).toarray(), self.owner, len(articles))
                             for i in range(0, len(self.pool), step)]) if len(self.pool) else \
            np.zeros((0, len(articles)), np.float32)
        self.best_p = self.Sp.max(1) if len(articles) else np.zeros(len(self.pool), np.float32)

    def neighbours(self, Q: sparse.csr_matrix, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(pool positions, cosines) of the k most similar pool tickets of each row of Q (`rows`: Q's rows are
        these log tickets, which never count as their own neighbours)."""
        out, sims = np.zeros((Q.shape[0], self.k), int), np.zeros((Q.shape[0], self.k), np.float32)
        if not self.k:
            return out, sims
        where = {int(r): j for j, r in enumerate(self.pool)}
        R = self.Xp.T.tocsc()
        for i in range(0, Q.shape[0], 2000):
            S = (Q[i:i + 2000] @ R).toarray()
            if rows is not None:
                for j, r in enumerate(rows[i:i + 2000]):
                    if int(r) in where:
                        S[j, where[int(r)]] = -1.0
            top = np.argpartition(-S, self.k - 1, axis=1)[:, :self.k]
            out[i:i + 2000], sims[i:i + 2000] = top, np.maximum(np.take_along_axis(S, top, 1), 0.0)
        return out, sims

    def _mean(self, own: np.ndarray, theirs: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Mean of the row's own value and its neighbours' (a neighbour sharing no word with it, as in a small
        log, does not count)."""
        w = (w > 0).astype(np.float32)
        return (own + (theirs * w).sum(1)) / (1.0 + w.sum(1))

    def _explained(self, B: sparse.csr_matrix, nb: np.ndarray, P: sparse.csr_matrix) -> np.ndarray:
        """Share of the topic's words (in 2+ of the row and its neighbours; the row's own words when none)
        that P's rows (one article each) use, IDF-weighted."""
        m = B.shape[0]
        M = sparse.csr_matrix((np.ones(nb.size, np.float32), (np.repeat(np.arange(m), nb.shape[1]), nb.ravel())),
                              shape=(m, len(self.pool)))
        counts = (M @ self.Bp + B).tocsr()
        counts.data = (counts.data >= 2).astype(np.float32)
        counts.eliminate_zeros()
        none = (np.asarray(counts.sum(1)).ravel() == 0).astype(np.float32)
        W = sparse.csr_matrix((counts + sparse.diags(none) @ B).multiply(self.idf))
        num = np.asarray(W.multiply(P).sum(1)).ravel()
        return num / np.maximum(np.asarray(W.sum(1)).ravel(), 1e-9)

    def scores(self, X: sparse.csr_matrix, best: np.ndarray, article: np.ndarray,
               rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(similarity, explained) of the log tickets `rows` (X's rows), routed to `article` (-1: none)."""
        sim, expl = np.zeros(len(rows), np.float32), np.zeros(len(rows), np.float32)
        for i in range(0, len(rows), 50_000):
            part = rows[i:i + 50_000]
            nb, w = self.neighbours(X[part], part)
            sim[i:i + len(part)] = self._mean(best[part], self.best_p[nb], w)
            art = np.maximum(article[part], 0)
            e = self._explained(self.binary(X[part]), nb, self.P[art])
            expl[i:i + len(part)] = np.where(article[part] >= 0, e, 0.0)
        return sim, expl

    def calibrate(self, cal: "Calibration", limit: int = 5000) -> bool:
        """Set cal.min_topic (and the reference scores) from the KB's questions; False with under MIN_QUESTIONS."""
        qs = [(i, q) for i, a in enumerate(self.articles) for q in a.questions if tokens(q)][:limit]
        if len(qs) < MIN_QUESTIONS or not self.k:
            return False
        texts = [t for a in self.articles for t in match_examples(a)]
        where: dict[str, list[int]] = {}
        for row, t in enumerate(texts):
            where.setdefault(t, []).append(row)
        Q = normalize(self.space.transform([tokens(q) for _, q in qs]))
        own = np.array([i for i, _ in qs])
        S = (Q @ self.E.T).toarray()
        for r, (_, q) in enumerate(qs):
            S[r, where.get(q, [])] = -1.0  # the KB without this question
        per = per_article_best(S, self.owner, len(self.articles))
        nb, w = self.neighbours(Q)
        rows = np.arange(len(qs))
        other = per.copy()
        other[rows, own] = -np.inf
        rival = other.argmax(1)  # the article the question goes to when its own is gone
        pos_sim = self._mean(per.max(1), self.best_p[nb], w)
        nb_best = np.zeros(nb.shape, np.float32)  # each neighbour's best article but the question's own
        for i in range(0, len(qs), 500):
            block = self.Sp[nb[i:i + 500]]  # questions x k x articles
            block[np.arange(len(block))[:, None], np.arange(self.k)[None, :], own[i:i + 500, None]] = -np.inf
            nb_best[i:i + 500] = block.max(2)
        neg_sim = self._mean(other.max(1), nb_best, w)
        B = self.binary(Q)
        P_own = self.binary(self.space.transform([tokens(article_profile(self.articles[i], drop_question=q), None)
                                                  for i, q in qs]))
        pos_ex, neg_ex = self._explained(B, nb, P_own), self._explained(B, nb, self.P[rival])
        self.ref_sim, self.ref_ex = neg_sim, neg_ex
        pos, neg = self.combine(pos_sim, pos_ex), self.combine(neg_sim, neg_ex)
        cal.min_topic = self.threshold = _youden(pos, neg)
        cal.notes.append(f"{len(qs)} article questions placed in the log with their {self.k} most similar tickets: "
                         f"a ticket is covered when its topic (it and its {self.k} most similar tickets) is as near "
                         "an article, and as much explained by the article it is routed to, as the best separating "
                         f"threshold between those questions with their article ({np.median(pos):.2f}) and "
                         f"without it ({np.median(neg):.2f}) puts it (sum of log-ranks, from {cal.min_topic:.2f})")
        return True

    def combine(self, sim: np.ndarray, expl: np.ndarray) -> np.ndarray:
        """Sum of log-ranks among the questions scored without their article (higher = more covered)."""
        return _log_rank(self.ref_sim, sim) + _log_rank(self.ref_ex, expl)


class _RestVocab:
    """The vocabulary of every article but one, without building it: `w in v` works."""

    def __init__(self, counts: Counter, own: set) -> None:
        self.counts, self.own = counts, own

    def __contains__(self, word: str) -> bool:
        return self.counts.get(word, 0) - (word in self.own) > 0


class RawWords:
    """Hashed TF-IDF of the customer's own lower-cased words and word pairs, stop words kept ("why",
    "not", "can"): they tell "why was my invoice rejected" from "invoice not working". Used by the router only."""

    def __init__(self) -> None:
        self.hash = HashingVectorizer(n_features=2 ** 20, ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b",
                                      alternate_sign=False, norm=None, dtype=np.float32)
        self.tfidf = TfidfTransformer(sublinear_tf=True)

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        H = self.hash.transform([t[:2000] for t in texts])
        self.cols = np.unique(H.indices)  # only features seen in training: a compact model
        return normalize(self.tfidf.fit_transform(H[:, self.cols]))

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        inverse, uniq = _distinct(texts, lambda t: t[:2000])
        if len(uniq) < len(texts):  # identical texts are transformed once
            return self.transform(uniq)[inverse]
        return self.from_hashed(self.hashed(texts))

    def hashed(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The hashed counts of `texts` (the costly part), which several RawWords models can share."""
        return self.hash.transform([t[:2000] for t in texts])

    def from_hashed(self, H: sparse.csr_matrix) -> sparse.csr_matrix:
        """`transform` from the hashed counts (`hashed`) of the texts."""
        return normalize(self.tfidf.transform(H[:, self.cols]))


CENTROID_ABOVE = 300  # classes: above this the router is a nearest centroid (one pass, not one model per class)


class _Centroids:
    """Nearest centroid (cosine to each class's weighted mean row): linear in the data for any number of classes."""

    def fit(self, X: sparse.csr_matrix, labels: Sequence[str], sample_weight: np.ndarray) -> "_Centroids":
        self.classes_, y = np.unique(np.asarray(labels, dtype=object), return_inverse=True)
        onehot = sparse.csr_matrix((sample_weight.astype(np.float32), (y, np.arange(len(y)))),
                                   shape=(len(self.classes_), X.shape[0]))
        self.C = normalize(onehot @ normalize(X)).T.tocsc()
        return self

    def decision_function(self, X: sparse.csr_matrix) -> np.ndarray:
        return 20.0 * (normalize(X) @ self.C).toarray()  # cosines, scaled to SVM-like margins


class Router:
    """A linear classifier over classes (article ids): one-vs-rest linear SVM, confidence = softmax of margins;
    a nearest centroid above CENTROID_ABOVE classes."""

    def __init__(self, C: float = 0.5) -> None:
        self.model = LinearSVC(C=C, random_state=0)
        self.classes: list[str] = []

    def fit(self, X: sparse.csr_matrix, labels: Sequence[str], weights: Sequence[float]) -> "Router":
        uniq = sorted(set(labels))
        if len(uniq) > CENTROID_ABOVE:
            self.model = _Centroids()
        if len(uniq) == 1:  # scikit-learn needs two classes: add an empty one
            X = sparse.vstack([X, sparse.csr_matrix((1, X.shape[1]), dtype=X.dtype)])
            labels, weights, uniq = list(labels) + ["\x00none"], list(weights) + [1e-6], uniq + ["\x00none"]
        self.model.fit(X, labels, sample_weight=np.asarray(weights, dtype=float))
        self.classes = list(self.model.classes_)
        return self

    def predict(self, X: sparse.csr_matrix, chunk: int = 50_000) -> tuple[np.ndarray, np.ndarray]:
        """(class index, probability) of the best class for each row."""
        idx, prob = [], []
        chunk = max(200, min(chunk, 4_000_000 // max(len(self.classes), 1)))  # dense blocks of ~32 MB
        for i in range(0, X.shape[0], chunk):
            d = self.model.decision_function(X[i:i + chunk])
            if d.ndim == 1:
                d = np.stack([-d, d], 1)
            e = np.exp(4.0 * (d - d.max(1, keepdims=True)))
            idx.append(d.argmax(1))
            prob.append(1.0 / e.sum(1))
        if not idx:
            return np.zeros(0, int), np.zeros(0, np.float32)
        return np.concatenate(idx), np.concatenate(prob).astype(np.float32)


LINK_C = (1.0, 2.0, 4.0)  # regularisation strengths the link model chooses from (cross-validated log-loss)
ISOTONIC_FROM = 1000  # pool tickets from which the link model is calibrated by isotonic regression (else Platt)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


class LinkModel:
    """PU learning (Elkan & Noto): P(the team links an article | text), from the handled tickets.

    A logistic regression over the analyser features plus the customer's raw words (RawWords, fitted on the
    pool) learns which handled tickets carry a link. It is cross-fitted in `folds` folds over a pool of at most
    `cap` handled tickets, so no pool ticket scores itself; C is the one of LINK_C with the best out-of-fold
    log-loss, and the out-of-fold probabilities are calibrated to the observed link rate (isotonic regression,
    or a sigmoid of the log-odds for a pool under ISOTONIC_FROM tickets).
    `c`, the mean calibrated probability over linked tickets, is the share of covered tickets the team links;
    `ratio` = P / c is then the chance that a ticket is about a documented topic.
    """

    def __init__(self, folds: int = 4, cap: int = 20_000, Cs: Sequence[float] = LINK_C) -> None:
        self.folds, self.cap, self.Cs = folds, cap, tuple(Cs)

    def fit(self, X: sparse.csr_matrix, texts: Sequence[str], linked: np.ndarray, train: np.ndarray,
            seed: int = 0) -> "LinkModel":
        from sklearn.isotonic import IsotonicRegression
        from sklearn.metrics import log_loss

        rng = np.random.default_rng(seed)
        pool = np.flatnonzero(train)
        if len(pool) > self.cap:
            pool = np.sort(rng.choice(pool, self.cap, replace=False))
        self.raw = RawWords()
        F = sparse.hstack([X[pool], self.raw.fit_transform([texts[i] for i in pool])]).tocsr()
        y = linked[pool].astype(bool)
        fold = rng.integers(0, self.folds, len(pool))
        best = None
        for C in self.Cs:
            oof, models = np.zeros(len(pool)), []
            for f in range(self.folds):
                if len(np.unique(y[fold != f])) < 2:
                    continue
                models.append(LogisticRegression(C=C, solver="saga", tol=1e-3, max_iter=100, random_state=0).fit(F[fold != f], y[fold != f]))
                oof[fold == f] = models[-1].predict_proba(F[fold == f])[:, 1]
            loss = log_loss(y, np.clip(oof, 1e-6, 1 - 1e-6), labels=[False, True])
            if best is None or loss < best[0] - 1e-9:
                best = (loss, C, oof, models)
        _, self.C, oof, self.models = best
        if len(pool) >= ISOTONIC_FROM and len(np.unique(y)) == 2:
            self.calibrator = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(oof, y).predict
        elif len(np.unique(y)) == 2:  # a small pool: a sigmoid of the log-odds (Platt), which cannot overfit steps
            platt = LogisticRegression(C=1e4).fit(_logit(oof)[:, None], y)
            self.calibrator = lambda p: platt.predict_proba(_logit(p)[:, None])[:, 1]
        else:
            self.calibrator = lambda p: np.asarray(p, float)
        cal = self.calibrator(oof)
        self.c = max(float(cal[y].mean()) if y.any() else 1.0, 1e-3)
        self.pool, self.pool_ratio = pool, cal / self.c
        return self

    def ratio(self, X: sparse.csr_matrix, H: sparse.csr_matrix, rows: np.ndarray | None = None) -> np.ndarray:
        """P / c for rows of X with their hashed raw words H (RawWords.hashed); `rows`: their log positions,
        so pool tickets keep their out-of-fold value."""
        if not self.models:
            return np.ones(X.shape[0], np.float32)
        F = sparse.hstack([X, self.raw.from_hashed(H)]).tocsr()
        p = sum(m.predict_proba(F)[:, 1] for m in self.models) / len(self.models)
        out = (self.calibrator(p) / self.c).astype(np.float32)
        if rows is not None:
            at = np.searchsorted(self.pool, rows)
            mine = (at < len(self.pool)) & (self.pool[np.minimum(at, len(self.pool) - 1)] == rows)
            out[mine] = self.pool_ratio[at[mine]]
        return out


def vocab_share(toks: Sequence[str], vocab, idf: dict[str, float] | None = None,
                unknown_idf: float = 10.0) -> float:
    """IDF-weighted share of a question's tokens known to the product's vocabulary (1.0 when empty).

    Rare words weigh more than common ones, so a question is judged on its telling words, not on
    the frame words ("tell me", "how do I") that every question shares.
    """
    if not toks:
        return 1.0
    idf = idf or {}
    weights = [idf.get(t, unknown_idf) for t in toks]
    known = sum(w for t, w in zip(toks, weights) if t in vocab)
    return known / sum(weights)


class ArticleSupport:
    """How much of a ticket the article it is routed to explains: the IDF-weighted share of the ticket's
    words found in that article's own text or said by at least 2 (other) tickets the team linked to it.

    A question about something else that shares one word with the article it is routed to leaves most of
    its weight unexplained. Words outside the feature space count as unexplained with the highest IDF.
    """

    def __init__(self, space: TextSpace, profiles_tokens: Sequence[Sequence[str]], X: sparse.csr_matrix,
                 linked: np.ndarray) -> None:
        uni = np.array([" " not in str(n) for n in space.feature_names()], np.float32)
        self.idf = (space.vec.idf_ * uni).astype(np.float32)
        self.max_idf = float(self.idf.max()) if len(self.idf) else 1.0
        self.binary = lambda M: sparse.csr_matrix(((M > 0).astype(np.float32)).multiply(uni))
        self.P = self.binary(space.transform(profiles_tokens))
        k, has = self.P.shape[0], linked >= 0
        onehot = sparse.csr_matrix((np.ones(int(has.sum()), np.float32), (linked[has], np.flatnonzero(has))),
                                   shape=(k, X.shape[0]))
        self.C = (onehot @ self.binary(X)).tocsr()

    def score(self, X: sparse.csr_matrix, n_tokens: np.ndarray, article: np.ndarray,
              self_linked: bool = False) -> np.ndarray:
        """Support of each row of X for its article (`self_linked`: the rows are among the linked tickets
        that built the counts, so each row's own words are discounted: leave-one-out)."""
        out = np.zeros(X.shape[0], np.float32)
        for i in range(0, X.shape[0], 100_000):
            B, a = self.binary(X[i:i + 100_000]), article[i:i + 100_000]
            said = self.C[a].multiply(B).tocsr()
            said.data -= float(self_linked)
            said.data = (said.data >= 2).astype(np.float32)
            known = ((said + self.P[a].multiply(B)) > 0).astype(np.float32)
            num = np.asarray(known.multiply(self.idf).sum(1)).ravel()
            inside = np.asarray(B.sum(1)).ravel()
            den = np.asarray(B.multiply(self.idf).sum(1)).ravel()
            den += np.maximum(n_tokens[i:i + 100_000] - inside, 0) * self.max_idf
            out[i:i + 100_000] = num / np.maximum(den, 1e-9)
        return out


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CJK = UNSPACED


def plain_words(text: str, limit: int | None = 2000) -> list[str]:
    """Lower-cased words of a text, as written (no stemming, no stop words): what a word-frequency list knows."""
    return _WORD.findall((text[:limit] if limit else text).lower())


def spaced_language(texts: Sequence[str]) -> bool:
    """True when most texts are written with spaces between words (no Chinese, Japanese or Korean script)."""
    sample = [t for t in texts[:2000] if t]
    return not sample or sum(bool(_CJK.search(t)) for t in sample) * 2 < len(sample)


class DomainWords:
    """How typical of this help centre a text is: the mean, over its words, of the log-ratio between the word's
    frequency in the help centre (its articles and its ticket log) and its frequency in the language at large
    (the `wordfreq` lists). A question about the product is made of words said far more often here than
    anywhere else; a question about anything else is made of words no more frequent here than in everyday
    language, even when one of them also appears in an article.

    `score(words, own)` leaves out `own` (a Counter of words already counted, e.g. the text's own words).
    """

    def __init__(self, lang: str, kb_texts: Sequence[str], log_words: Sequence[Sequence[str]]) -> None:
        from wordfreq import zipf_frequency

        self.lang, self._zipf, self._general = lang, zipf_frequency, {}
        self.counts: Counter = Counter()
        for text in kb_texts:
            self.counts.update(plain_words(text, None))
        for words in log_words:
            self.counts.update(words)
        self.total = float(sum(self.counts.values()))
        self.vocab = len(self.counts) + 1
        self._cache: dict[str, float] = {}

    @staticmethod
    def available(lang: str) -> bool:
        from wordfreq import available_languages

        return lang.split("-")[0].lower() in available_languages()

    def general(self, word: str) -> float:
        """Frequency of the word in the language at large (floored at the list's 1e-8)."""
        g = self._general.get(word)
        if g is None:
            zipf = self._zipf(word, self.lang.split("-")[0].lower())
            g = self._general[word] = 10.0 ** (max(zipf, 1.0) - 9.0)
        return g

    def _ratio(self, count: int, word: str) -> float:
        g = self.general(word)
        return math.log((count + self.vocab * g) / (self.total + self.vocab)) - math.log(g)

    def score(self, words: Sequence[str], own: Counter | None = None) -> float:
        """Mean log-ratio of the words' help-centre frequency to their everyday frequency (inf when no words).

        The help-centre frequency is smoothed towards the everyday one (a Dirichlet prior as strong as the
        number of distinct words counted): a word never said here scores below zero, an everyday word
        said here as often as anywhere scores about zero, and a product word scores well above."""
        if not words:
            return float("inf")
        total, cache = 0.0, self._cache
        for w in words:
            left = own.get(w, 0) if own else 0
            if left:
                total += self._ratio(max(self.counts.get(w, 0) - left, 0), w)
                continue
            r = cache.get(w)
            if r is None:
                r = cache[w] = self._ratio(self.counts.get(w, 0), w)
            total += r
        return total / len(words)
