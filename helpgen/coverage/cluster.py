"""Clustering gap tickets into topics that scale to a million tickets, and labelling them.

TF-IDF rows -> TruncatedSVD (fitted on a sample) -> MiniBatchKMeans with k from the data (sqrt(n/2),
bounded) -> clusters whose centroids are near-duplicates are merged -> each topic gets:
- `label`: a real customer question from the topic, the one nearest its centre (phrasing.question_of);
- `terms`: its key phrases as the customers wrote them ("apple pay", "open an account", 微信支付), from its
  distinctive unigrams and bigrams;
- `keywords`: the distinctive words themselves, which decide what merges.

Words that say nothing about a topic never become terms: stop words from maintained lists (the analyser's
query stop words, which include lunr's list, and the stopwords-iso Chinese list) and, per run, words spread
evenly over the clusters of this log (see `spread`).
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from helpgen.coverage.match import features, tokens
from helpgen.coverage.phrasing import LABEL_CHARS, asks, question_of
from helpgen.text import CJK, QUERY_STOP_WORDS_EN, STOP_WORDS_ZH, split_words, stem

_CJK = CJK

MERGE_COSINE = 0.75  # centroids closer than this are one topic (cosine in the SVD space)
SPREAD_SHARE = 0.5  # a word used at similar rates in at least this share of the clusters says nothing
SPREAD_MIN_CLUSTERS = 4  # fewer clusters than this: no spread test (the maintained lists alone)
_ARTICLES = frozenset({"a", "an", "the"})
LABEL_CANDIDATES = 50  # tickets nearest a topic's centre whose questions compete for its label


@lru_cache(maxsize=1)
def label_stop_words() -> frozenset[str]:
    """Maintained stop lists, with their English stems (feature names are stems): the analyser's query stop
    words (lunr's list and customer filler such as "still", "didn"), its Chinese list and stopwords-iso's."""
    import stopwordsiso

    words = set(QUERY_STOP_WORDS_EN) | set(STOP_WORDS_ZH) | set(stopwordsiso.stopwords("zh"))
    return frozenset(words | {stem(w) for w in words if w.isascii()})


SMALL, SMALL_JOIN = 3, 0.5  # clusters under 3 tickets join the nearest bigger one when at least this close
MINOR, MINOR_JOIN = 5, 0.3  # fragments (< 5 tickets or <= 1/3 of a topic) sharing a label word join it


@dataclass
class Topic:
    members: np.ndarray  # row indexes into the gap matrix
    label: str  # a customer's question from the topic (nearest its centre), at most LABEL_CHARS characters
    terms: list[str]  # key phrases as customers wrote them
    centroid: sparse.csr_matrix  # 1 x V in TF-IDF space, L2-normalised
    keywords: str = ""  # the distinctive words, space-separated (what merging compares)
    raw_terms: list[str] = field(default_factory=list)  # distinctive features (stems), best first
    quiet: frozenset = frozenset()  # words that say nothing in this log: stop words and spread words


def choose_k(n: int) -> int:
    """Number of k-means centres: sqrt(n/2), at least 1, at most 300 (merging then joins duplicates)."""
    return max(1, min(300, int(math.sqrt(n / 2)) + 1, n))


def _reduce(X: sparse.csr_matrix, seed: int) -> np.ndarray:
    """L2-normalised 64-dimensional LSA of the rows, over the 6,000 most frequent features of the gaps."""
    df = np.bincount(X.indices, minlength=X.shape[1])
    cols = np.sort(np.argsort(-df, kind="stable")[:6000])
    X = normalize(X[:, cols])
    dims = min(64, X.shape[1] - 1, X.shape[0] - 1)
    if dims < 2:
        return normalize(X.toarray()).astype(np.float32)
    rng = np.random.default_rng(seed)
    sample = rng.choice(X.shape[0], min(X.shape[0], 10_000), replace=False)
    svd = TruncatedSVD(dims, random_state=seed).fit(X[np.sort(sample)])
    parts = [svd.transform(X[i:i + 50_000]).astype(np.float32) for i in range(0, X.shape[0], 50_000)]
    return normalize(np.vstack(parts))


def kmeans_labels(X: sparse.csr_matrix, seed: int = 0) -> np.ndarray:
    """Cluster index of each row (rows are L2-normalised TF-IDF vectors)."""
    n = X.shape[0]
    if n <= 2:
        return np.zeros(n, int)
    Z = _reduce(X, seed)
    k = choose_k(n)
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(n, min(n, 20_000), replace=False))
    km = MiniBatchKMeans(k, random_state=seed, batch_size=4096, n_init=10, max_iter=100).fit(Z[sample])
    labels = np.concatenate([km.predict(Z[i:i + 100_000]) for i in range(0, n, 100_000)])
    return _merge(labels, Z)


def _merge(labels: np.ndarray, Z: np.ndarray, merge_cosine: float = MERGE_COSINE) -> np.ndarray:
    """Union clusters whose centroids have cosine >= merge_cosine; renumber 0..m-1."""
    k = int(labels.max()) + 1
    cent = np.zeros((k, Z.shape[1]), np.float32)
    np.add.at(cent, labels, Z)
    cent = normalize(cent)
    parent = list(range(k))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sims = cent @ cent.T
    for i, j in zip(*np.nonzero(np.triu(sims, 1) >= merge_cosine)):
        parent[find(int(i))] = find(int(j))
    sizes = np.bincount(labels, minlength=k)
    big = np.flatnonzero(sizes >= SMALL)
    for c in np.flatnonzero(sizes < SMALL):
        if len(big):
            j = big[int(np.argmax(sims[c, big]))]
            if sims[c, j] >= SMALL_JOIN:
                parent[find(int(c))] = find(int(j))
    roots = np.array([find(i) for i in range(k)])
    _, renum = np.unique(roots, return_inverse=True)
    return renum[labels]


merge_clusters = _merge  # public name: semantic clustering merges its centres the same way


def _phrases(texts: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(stem -> the word customers wrote most often for it, "stem stem" -> the words they wrote for that
    bigram when they wrote them together, an article between allowed: "open account" -> "open an account")."""
    uni: dict[str, Counter] = defaultdict(Counter)
    bi: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        words, flat = split_words(text), _flat(text)
        content = []
        for pos, word in enumerate(words):
            toks = tokens(word)
            if len(toks) == 1:
                uni[toks[0]][word] += 1
                content.append((pos, toks[0]))
        for (p1, s1), (p2, s2) in zip(content, content[1:]):
            phrase = " ".join(words[p1:p2 + 1])
            if (p2 == p1 + 1 or (p2 == p1 + 2 and words[p1 + 1] in _ARTICLES)) and not _CJK.search(s1 + s2) \
                    and f" {phrase} " in flat:  # written together, not across a full stop
                bi[f"{s1} {s2}"][phrase] += 1
    pick = lambda c: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]  # noqa: E731 - most common, then A-Z
    return {k: pick(c) for k, c in uni.items()}, {k: pick(c) for k, c in bi.items()}


def _flat(text: str) -> str:
    """Lower-cased words between single spaces, with a bar for punctuation (a phrase never crosses it)."""
    return " " + " ".join(re.sub(r"[^\w\s]+", " | ", text.lower()).split()) + " "


def _display_terms(terms: Sequence[str], words: Sequence[str], uni: dict, bi: dict,
                   texts: Sequence[str], quiet: frozenset | set = frozenset()) -> list[str]:
    """Key phrases as customers wrote them: Chinese words as chosen (`words`), English bigrams as their most
    common written form, or as two words when customers never wrote them together (a stop-word artefact;
    a `quiet` word, stop or spread, is then left out); overlapping phrases join when customers wrote the
    joined form ("year old" + "old daughter")."""
    if any(_CJK.search(w) for w in words):
        return list(words)
    flat = [_flat(t) for t in texts]
    out: list[str] = []
    for term in terms:
        parts = term.split()
        shown = [bi[term]] if len(parts) == 2 and term in bi else [uni.get(p, p) for p in parts if p not in quiet]
        for phrase in shown:
            if any(f" {phrase} " in f" {o} " for o in out):
                continue
            out = [o for o in out if f" {o} " not in f" {phrase} "]
            last = out[-1] if out else ""
            if last and last.split()[-1] == phrase.split()[0] and len(phrase.split()) > 1:
                joined = last + " " + " ".join(phrase.split()[1:])
                if 2 * sum(f" {joined} " in t for t in flat) >= sum(f" {phrase} " in t for t in flat):
                    out[-1] = joined
                    continue
            out.append(phrase)
    return out[:4]


def _pick_terms(scores: np.ndarray, names: np.ndarray, max_words: int = 4) -> list[str]:
    terms: list[str] = []
    words: set[str] = set()
    for j in np.argsort(-scores)[:12]:
        if scores[j] <= 0:
            break
        parts = str(names[j]).split()
        if set(parts) <= words or all(_inside(p, words) for p in parts):
            continue
        if len(words | set(parts)) > max_words:
            continue
        terms.append(str(names[j]))
        words |= set(parts)
        if len(_longest(words)) >= 3:
            break
    return terms


def _inside(word: str, others) -> bool:
    """A Chinese word that is part of a longer chosen word (jieba's search mode yields 支付 inside 支付宝)."""
    return bool(_CJK.search(word)) and any(word != o and word in o for o in others)


def _longest(words) -> list[str]:
    """Words in order, without Chinese words contained in longer ones."""
    words = list(dict.fromkeys(words))
    return [w for w in words if not _inside(w, words)]


def _upgrade(words: list[str], p_in: np.ndarray, index: dict[str, int], texts: Sequence[str]) -> list[str]:
    """Chinese label words read as phrases: 微信 -> 微信支付 when most of its tickets say so, and overlapping
    pieces joined (未成年 + 成年人 -> 未成年人) when the joined form is what customers wrote."""
    out = []
    for w in words:
        if _CJK.search(w) and w in index:
            best = max((u for u in index if w in u and u != w and " " not in u and
                        p_in[index[u]] >= 0.7 * p_in[index[w]]), key=lambda u: (p_in[index[u]], len(u), u),
                       default=w)
            w = best
        out.append(w)
    out = _longest(out)
    joined: list[str] = []
    for w in out:
        prev = joined[-1] if joined else ""
        glue = next((k for k in range(min(len(prev), len(w)) - 1, 0, -1) if prev.endswith(w[:k])), 0)
        both = prev + w[glue:]
        if glue and _CJK.search(w) and sum(both in t for t in texts) * 2 >= max(1, sum(prev in t for t in texts)):
            joined[-1] = both
        else:
            joined.append(w)
    return _longest(joined)


def label_topics(X: sparse.csr_matrix, labels: np.ndarray, names: np.ndarray,
                 texts: Sequence[str], background: np.ndarray | None = None) -> list[Topic]:
    """One Topic per cluster: members, label from distinctive n-grams, centroid.

    Clusters whose most distinctive term is the same, or whose labels have the same words in any order
    (支付宝 微信 绑定 / 微信 支付宝 绑定), are one topic (merged, then labelled again).
    """
    _, labels = np.unique(labels, return_inverse=True)  # k-means may leave a cluster empty: no empty topics
    topics = _label(X, labels, names, texts, background)
    root = list(range(len(topics)))
    seen: dict = {}
    for c, t in enumerate(topics):
        keys = [t.raw_terms[0] if t.raw_terms else f"#{c}",
                frozenset(t.keywords.split()) if t.keywords else f"#{c}"]
        root[c] = min([c] + [seen[k] for k in keys if k in seen])
        for k in keys:
            seen.setdefault(k, root[c])
    root = _fold_minor(topics, root)
    if root == list(range(len(topics))):
        return topics
    merged = np.array(root)[labels]
    _, merged = np.unique(merged, return_inverse=True)
    return _label(X, merged, names, texts, background)


def _fold_minor(topics: list[Topic], root: list[int]) -> list[int]:
    """A fragment (under MINOR tickets, or at most a third of the topic's size) joins the most similar bigger
    topic that shares a label word with it, when their centres' cosine is at least MINOR_JOIN
    (导出 报表 失败 -> 报表 导出 出错: k-means split one question asked two ways)."""
    sizes = [len(t.members) for t in topics]
    big = [j for j, t in enumerate(topics) if sizes[j] >= MINOR and root[j] == j]
    if not big:
        return root
    C = sparse.vstack([t.centroid for t in topics]).tocsr()
    S = (C @ C[big].T).toarray()
    for c, t in sorted(enumerate(topics), key=lambda ct: sizes[ct[0]]):
        if root[c] != c:
            continue
        words = set(t.keywords.split())
        near = [(S[c, i], j) for i, j in enumerate(big) if j != c and S[c, i] >= MINOR_JOIN
                and (sizes[c] < MINOR or 3 * sizes[c] <= sizes[j]) and words & set(topics[j].keywords.split())]
        if near:
            root[c] = max(near)[1]
    out = []
    for r in root:
        while root[r] != r:
            r = root[r]
        out.append(r)
    return out


def spread(df_in: sparse.csr_matrix, sizes: np.ndarray) -> np.ndarray:
    """Features used at similar rates across the clusters of this log: the perplexity of a feature's
    per-cluster rate (document frequency / cluster size), i.e. the number of clusters it is spread over,
    reaches SPREAD_SHARE of all clusters. Filler a log repeats in every topic says nothing about any one."""
    k, v = df_in.shape
    if k < SPREAD_MIN_CLUSTERS:
        return np.zeros(v, bool)
    rates = sparse.diags(1.0 / np.maximum(sizes, 1)) @ df_in
    rates = rates.tocoo()
    total = np.bincount(rates.col, weights=rates.data, minlength=v)
    q = rates.data / total[rates.col]
    entropy = np.bincount(rates.col, weights=-q * np.log(q), minlength=v)
    return np.exp(entropy) >= SPREAD_SHARE * k - 1e-6


def _label(X: sparse.csr_matrix, labels: np.ndarray, names: np.ndarray, texts: Sequence[str],
           background: np.ndarray | None) -> list[Topic]:
    n, k = X.shape[0], int(labels.max()) + 1 if len(labels) else 0
    if k == 0:
        return []
    onehot = sparse.csr_matrix((np.ones(n, np.float32), (labels, np.arange(n))), shape=(k, n))
    binary = X.copy()
    binary.data[:] = 1.0
    df_in = (onehot @ binary).tocsr()  # k x V document frequencies (sparse)
    sizes = np.bincount(labels, minlength=k).astype(np.float32)
    p_all = (np.asarray(df_in.sum(0)).ravel() + 1) / (n + 2) if background is None else background
    stop = label_stop_words()
    spread_out = spread(df_in, sizes)
    weak = np.array([stop.isdisjoint(str(f).split()) for f in names], float) * ~spread_out
    quiet = frozenset(stop | {str(f) for f in np.asarray(names)[spread_out] if " " not in str(f)})
    bigram = np.array([1.5 if " " in str(f) else 1.0 for f in names])
    cents = normalize(onehot @ X).tocsr()
    index = {str(f): j for j, f in enumerate(names) if " " not in str(f) and _CJK.search(str(f))}
    vocab = {str(f): j for j, f in enumerate(names)}
    topics = []
    for c in range(k):
        members = np.flatnonzero(labels == c)
        p_in = df_in[c].toarray().ravel() / max(sizes[c], 1)
        score = p_in * np.log((p_in + 1e-9) / p_all) * np.where(p_in >= 0.15, 1.0, 0.1) * weak * bigram
        terms = _pick_terms(score, names)
        sample = [texts[i] for i in members[:300]]
        uni, bi = _phrases(sample)
        ordered = _longest(w for t in terms for w in t.split())[:4]
        if any(_CJK.search(w) for w in ordered):
            ordered = _upgrade(ordered, p_in, index, [t.lower() for t in sample])
        words = [uni.get(w, w) for w in ordered]
        label = _question_label(X, members, cents[c], texts, vocab)
        topics.append(Topic(members, label, _display_terms(terms, words, uni, bi, sample, quiet), cents[c],
                            " ".join(words), [str(t) for t in terms], quiet))
    return topics


def question_score(question: str, centre: np.ndarray, vocab: dict[str, int]) -> float:
    """Cosine between a question's own features (binary) and a topic centre (dense TF-IDF row)."""
    feats = set(features(tokens(question)))
    if not feats:
        return 0.0
    return float(sum(centre[vocab[f]] for f in feats if f in vocab) / math.sqrt(len(feats)))


def _question_label(X: sparse.csr_matrix, members: np.ndarray, centroid: sparse.csr_matrix,
                    texts: Sequence[str], vocab: dict[str, int]) -> str:
    """The customer question nearest the topic's centre: among the LABEL_CANDIDATES tickets nearest it, the
    question (phrasing.question_of) whose own words are closest to the centre (cosine of its features),
    preferring questions that ask ("...?") and fit LABEL_CHARS uncut. Ties go to the nearer ticket."""
    sample = members[np.linspace(0, len(members) - 1, min(2000, len(members))).astype(int)]
    sims = (X[sample] @ centroid.T).toarray().ravel()
    near = sample[np.argsort(-sims, kind="stable")[:LABEL_CANDIDATES]]
    cent = centroid.toarray().ravel()
    best, best_score = "", -1.0
    for i in near:
        question = question_of(texts[i], limit=10 ** 6)
        score = question_score(question, cent, vocab)
        if score <= 0:
            continue
        score *= (1.0 if asks(question) else 0.8) * (1.0 if len(question) <= LABEL_CHARS else 0.8)
        if score > best_score + 1e-9:
            best, best_score = question, score
    return question_of(best, LABEL_CHARS) if best else question_of(texts[int(members[0])], LABEL_CHARS)
