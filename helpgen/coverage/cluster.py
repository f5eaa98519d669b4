"""Clustering gap tickets into topics that scale to a million tickets, and labelling them.

TF-IDF rows -> TruncatedSVD (fitted on a sample) -> MiniBatchKMeans with k from the data (sqrt(n/2),
bounded) -> clusters whose centroids are near-duplicates are merged -> labels from each cluster's
distinctive unigrams and bigrams, shown with the customers' own word forms.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from helpgen.search.analyzer import split_words, tokenize

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

MERGE_COSINE = 0.75  # centroids closer than this are one topic (cosine in the SVD space)
# fragments of contractions ("didn't" -> "didn") and filler verbs say nothing about a topic
LABEL_WEAK = frozenset("didn doesn don isn wasn won aren haven hasn couldn wouldn shouldn ll ve re say sai "
                       "want need us find work like know tell ask still yet now".split()
                       # Chinese fillers: "is there", "can't get", "always", "already", support-desk politeness
                       + "没有 有没有 能不能 不能 不到 一直 已经 之前 现在 还是 问题 客服 回复 期待 多谢 朋友 推荐 "
                         "卸载 重装 没用 挺急 急用 时候 为啥 咋办 咋 一个 知道 告诉 "
                         "今天 昨天 昨晚 前天 早上 上午 中午 下午 晚上 刚才 刚刚 最近".split())
SMALL, SMALL_JOIN = 3, 0.5  # clusters under 3 tickets join the nearest bigger one when at least this close
MINOR, MINOR_JOIN = 5, 0.3  # fragments (< 5 tickets or <= 1/3 of a topic) sharing a label word join it


@dataclass
class Topic:
    members: np.ndarray  # row indexes into the gap matrix
    label: str
    terms: list[str]
    centroid: sparse.csr_matrix  # 1 x V in TF-IDF space, L2-normalised


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
    km = MiniBatchKMeans(k, random_state=seed, batch_size=4096, n_init=3, max_iter=100).fit(Z[sample])
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


def _surface_forms(texts: Sequence[str]) -> dict[str, str]:
    """stem -> the word customers wrote most often for it."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for word in split_words(text):
            stem = tokenize(word)
            if len(stem) == 1:
                seen[stem[0]][word] += 1
    return {s: c.most_common(1)[0][0] for s, c in seen.items()}


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
    topics = _label(X, labels, names, texts, background)
    root = list(range(len(topics)))
    seen: dict = {}
    for c, t in enumerate(topics):
        keys = [t.terms[0] if t.terms else f"#{c}", frozenset(t.label.split()) if t.terms else f"#{c}"]
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
    (支付宝 pocket 绑定 -> 微信 支付宝 绑定: k-means split one question asked two ways)."""
    sizes = [len(t.members) for t in topics]
    big = [j for j, t in enumerate(topics) if sizes[j] >= MINOR and root[j] == j]
    if not big:
        return root
    C = sparse.vstack([t.centroid for t in topics]).tocsr()
    S = (C @ C[big].T).toarray()
    for c, t in sorted(enumerate(topics), key=lambda ct: sizes[ct[0]]):
        if root[c] != c:
            continue
        words = set(t.label.split())
        near = [(S[c, i], j) for i, j in enumerate(big) if j != c and S[c, i] >= MINOR_JOIN
                and (sizes[c] < MINOR or 3 * sizes[c] <= sizes[j]) and words & set(topics[j].label.split())]
        if near:
            root[c] = max(near)[1]
    out = []
    for r in root:
        while root[r] != r:
            r = root[r]
        out.append(r)
    return out


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
    weak = np.array([LABEL_WEAK.isdisjoint(str(f).split()) for f in names], float)
    bigram = np.array([1.5 if " " in str(f) else 1.0 for f in names])
    cents = normalize(onehot @ X).tocsr()
    index = {str(f): j for j, f in enumerate(names) if " " not in str(f) and _CJK.search(str(f))}
    topics = []
    for c in range(k):
        members = np.flatnonzero(labels == c)
        p_in = df_in[c].toarray().ravel() / max(sizes[c], 1)
        score = p_in * np.log((p_in + 1e-9) / p_all) * np.where(p_in >= 0.15, 1.0, 0.1) * weak * bigram
        terms = _pick_terms(score, names)
        sample = [texts[i] for i in members[:300]]
        forms = _surface_forms(sample)
        ordered = _longest(w for t in terms for w in t.split())[:4]
        if any(_CJK.search(w) for w in ordered):
            ordered = _upgrade(ordered, p_in, index, [t.lower() for t in sample])
        words = " ".join(forms.get(w, w) for w in ordered)
        topics.append(Topic(members, words or "miscellaneous", terms, cents[c]))  # 1 x V sparse
    return topics
