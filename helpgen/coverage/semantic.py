"""Semantic coverage: tickets and articles as sentence embeddings (through `embed.Embedder`), decided in chunks.

- No history (no replies link articles): each ticket's score for each article is its best cosine to the
  article's examples (title, summary, questions, paragraphs), smoothed with its nearest tickets in the log
  (a question asked by many customers is judged on all their phrasings), corrected by how near its askers are
  to one another and by how near its article's own questions are to the KB. Covered from the threshold that
  best separates the KB's own questions, left out one at a time, from the other articles' questions.
- With history: among a ticket's nearest handled tickets, the share the team answered with an article link,
  against the same share for linked tickets themselves (PU learning by nearest neighbours); the article
  comes from a linear classifier over article examples and linked tickets.
Both are calibrated on the user's KB and log only. See docs/semantic.md for the measurements.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from sklearn.cluster import MiniBatchKMeans
from sklearn.svm import LinearSVC

from helpgen.coverage.cluster import choose_k, merge_clusters
from helpgen.coverage.embed import Embedder, EmbeddingCache, embed_texts
from helpgen.coverage.match import Calibration, _youden, article_examples
from helpgen.kb.model import Article

SMOOTH_K, SMOOTH_W = 5, 0.5  # no history: a ticket's scores are half its own, half its 5 nearest tickets'
DENSITY_W = 0.5  # no history: weight of the ticket-density correction (docs/semantic.md)
SPARSE_PCT = 1  # ... sparse tickets' bonus stops at the 1st percentile of the density of tickets called covered
ARTICLE_W = 0.5  # no history: share of an article's own leave-one-out offset applied to tickets routed to it
NEIGHBOURS = 20  # with history: handled neighbours that vote
GAP_RATIO = 0.5  # gap when the linked share of a ticket's neighbours is under half that of linked tickets
FLOOR_PCT = 1  # covered needs at least the 1st percentile of what real questions score
REFERENCE = 8_000  # tickets kept as neighbours (a fixed random sample of big logs)
PER_ARTICLE = 150  # linked tickets per article that teach the router
CHUNK = 1_024  # tickets scored at once (a 1,024 x 8,000 block and its top-k index: ~100 MB)
OVERSPLIT = 2  # k-means centres per centre of the lexical path's choose_k, before merging
TEXT_CHARS = 1_000  # the question is at the top of a ticket
Progress = Callable[[int, int], None]


@dataclass
class Vectors:
    Z: np.ndarray  # tickets x d, float16
    E: np.ndarray  # article examples x d, float32
    owner: np.ndarray  # article index of each example row (ascending)
    weight: np.ndarray  # training weight of each example row
    P: np.ndarray  # one profile row per article (title, summary and questions), float32
    questions: list[tuple[int, int]]  # (article, example row) of each article question


def embed_all(embedder: Embedder, articles: Sequence[Article], texts: Sequence[str], cache_dir: Path | None,
              progress: Progress | None = None) -> Vectors:
    """Article texts (through the cache) and tickets (in batches, with progress)."""
    ex, owner, weight, questions = [], [], [], []
    for i, a in enumerate(articles):
        qs = set(a.questions)
        for text, w in article_examples(a):
            if not text or text.startswith(f"{a.title}. "):
                continue
            if text in qs:
                questions.append((i, len(ex)))
            ex.append(text)
            owner.append(i)
            weight.append(w)
    profiles = [" ".join([a.title, a.summary, *a.questions]) for a in articles]
    cached = EmbeddingCache(cache_dir, getattr(embedder, "key", embedder.name)).embed(embedder, ex + profiles)
    Z = embed_texts(embedder, [t[:TEXT_CHARS] for t in texts], progress)
    return Vectors(Z, cached[:len(ex)], np.array(owner, int), np.array(weight, np.float32), cached[len(ex):],
                   questions)


def _f32(M: np.ndarray) -> np.ndarray:
    return np.asarray(M, np.float32)


def article_scores(Q: np.ndarray, v: Vectors) -> np.ndarray:
    """Best cosine of each row to each article's examples (rows x articles)."""
    S = _f32(Q) @ v.E.T
    starts = np.flatnonzero(np.r_[True, v.owner[1:] != v.owner[:-1]])
    return np.maximum.reduceat(S, starts, axis=1) if S.shape[1] else S


def _best_two(Q: np.ndarray, v: Vectors) -> tuple[np.ndarray, np.ndarray]:
    """(best cosine, mean of the two best cosines) of each row to each article's examples (rows x articles)."""
    S = _f32(Q) @ v.E.T
    if not S.shape[1]:
        return S, S
    starts = np.flatnonzero(np.r_[True, v.owner[1:] != v.owner[:-1]])
    best = np.maximum.reduceat(S, starts, axis=1)
    counts = np.diff(np.r_[starts, len(v.owner)])
    S[S >= best[:, np.repeat(np.arange(len(starts)), counts)]] = -2.0  # each article's best example, once out
    second = np.maximum.reduceat(S, starts, axis=1)
    return best, np.where(second > -2.0, (best + second) / 2, best)


def _route_scores(Q: np.ndarray, T: np.ndarray, v: Vectors) -> np.ndarray:
    """Routing score of each row for each article: the mean of its two best example cosines (`T`, a soft maximum)
    and its cosine to the article's profile (title, summary and all questions in one text). One example alone is
    swayed by one sentence of a neighbouring article; the profile alone by a long article's many themes. Together
    they route better than either (docs/semantic.md)."""
    return (T + _f32(Q) @ v.P.T) / 2 if len(v.P) == T.shape[1] else T


def _top(S: np.ndarray, k: int) -> np.ndarray:
    k = min(k, S.shape[1])
    return np.argpartition(-S, k - 1, axis=1)[:, :k] if k else np.zeros((len(S), 0), int)


def calibrate(v: Vectors, cal: Calibration) -> np.ndarray:
    """Leave-one-out over the KB's questions in embedding space: covered from the best separating cosine.
    Returns each article's offset: half of how much nearer its own questions are to the rest of the KB than the
    typical question (0 for an article without questions), so an article written in customers' words asks more
    of a ticket than one written in its own words (docs/semantic.md)."""
    true, other, owner = [], [], []
    for i, row in v.questions[:5000]:
        sims = v.E @ v.E[row]
        own = v.owner == i
        other.append(float(sims[~own].max()) if (~own).any() else 0.0)
        sims[row] = -1.0
        true.append(float(sims.max()))
        owner.append(i)
    cal.questions = len(true)
    offsets = np.zeros(max(len(v.P), int(v.owner.max()) + 1 if len(v.owner) else 0), np.float32)
    if len(true) < 5:
        cal.min_similarity, cal.floor_similarity = 0.5, 0.3
        cal.notes.append("fewer than 5 article questions: default semantic thresholds used, add `questions`")
        return offsets
    pos, neg = np.array(true), np.array(other)
    cal.min_similarity = _youden(pos, neg)
    cal.floor_similarity = float(np.percentile(pos, FLOOR_PCT))
    cal.true_median, cal.other_median = float(np.median(pos)), float(np.median(neg))
    cal.notes.append(f"semantic: {len(true)} article questions scored leave-one-out: median {cal.true_median:.3f} "
                     f"against the KB without the question, {cal.other_median:.3f} against the KB without its "
                     f"article; covered from {cal.min_similarity:.3f} (the best separating threshold)")
    owner_a = np.array(owner)
    for i in np.unique(owner_a):
        offsets[i] = ARTICLE_W * (np.median(pos[owner_a == i]) - cal.true_median)
    return offsets


def decide(articles: Sequence[Article], v: Vectors, linked: np.ndarray, answered: np.ndarray,
           off: np.ndarray, cal: Calibration, seed: int = 0) -> dict:
    """The verdict columns analyse._decide returns, from embeddings."""
    n = len(v.Z)
    out = {"covered": np.zeros(n, bool), "article": np.full(n, -1, int), "score": np.zeros(n, np.float32),
           "gap": np.ones(n, bool), "off_topic": np.zeros(n, bool), "above_floor": np.zeros(n, bool)}
    if not articles or not n:
        return out
    offsets = calibrate(v, cal)
    has = linked >= 0
    handled = answered | has
    if has.sum() >= 20 and (handled & ~has).sum() >= 20:
        covered, article, score, floor_ok = _with_history(v, linked, handled, cal, seed, offsets)
    else:
        cal.notes.append("semantic: fewer than 20 linked or 20 unlinked handled tickets: text matching alone")
        covered, article, score, floor_ok = _no_history(v, cal, seed, offsets)
    covered = (covered & floor_ok & ~(off & ~_near_kb(v, covered & off & ~has, cal))) | has
    out["covered"] = covered
    out["article"] = np.where(has, linked, np.where(covered, article, -1))
    out["score"] = np.where(has, 1.0, score).astype(np.float32)
    out["gap"] = ~covered
    out["off_topic"] = (off | ~floor_ok) & ~covered
    out["above_floor"] = floor_ok
    return out


def _near_kb(v: Vectors, rows: np.ndarray, cal: Calibration) -> np.ndarray:
    """Of `rows` (a mask), those whose best example cosine reaches what the median KB question scores against the
    rest of the KB (left out). The lexical off-topic rule (too few words, or words the product never uses) does
    not overrule them: the embeddings know the question even when the KB never uses its words."""
    out = np.zeros(len(rows), bool)
    idx = np.flatnonzero(rows)
    if len(idx) and cal.questions >= 5:
        for i in range(0, len(idx), CHUNK):
            part = idx[i:i + CHUNK]
            out[part] = article_scores(v.Z[part], v).max(1) >= cal.true_median
    return out


def _sample(idx: np.ndarray, k: int, rng) -> np.ndarray:
    return np.sort(rng.choice(idx, k, replace=False)) if len(idx) > k else idx


def _no_history(v: Vectors, cal: Calibration, seed: int, offsets: np.ndarray | None = None):
    cal.mode = "semantic"
    n = len(v.Z)
    ref = _sample(np.arange(n), REFERENCE, np.random.default_rng(seed))
    R = _f32(v.Z[ref])
    A_ref, T_ref = _best_two(R, v)
    B_ref = _route_scores(R, T_ref, v)
    where = np.full(n, -1)
    where[ref] = np.arange(len(ref))
    score, article, density = np.zeros(n, np.float32), np.full(n, -1, int), np.zeros(n, np.float32)
    k_density = max(SMOOTH_K, len(ref) // max(int(v.owner.max()) + 1 if len(v.owner) else 1, 1))
    for i in range(0, n, CHUNK):
        Q = _f32(v.Z[i:i + CHUNK])
        A, T = _best_two(Q, v)
        B = _route_scores(Q, T, v)
        S = Q @ R.T
        self_pos = where[i:i + CHUNK]
        rows = np.flatnonzero(self_pos >= 0)
        S[rows, self_pos[rows]] = -2.0
        nn = _top(S, SMOOTH_K)
        if nn.shape[1]:
            A = (1 - SMOOTH_W) * A + SMOOTH_W * A_ref[nn].mean(1)
            B = (1 - SMOOTH_W) * B + SMOOTH_W * B_ref[nn].mean(1)
            kd = min(k_density, S.shape[1])
            density[i:i + CHUNK] = -np.partition(-S, kd - 1, axis=1)[:, :kd].mean(1)
        score[i:i + CHUNK], article[i:i + CHUNK] = A.max(1), B.argmax(1)
    floor_ok = score >= cal.floor_similarity
    plain = score >= cal.min_similarity
    cal.notes.append(f"semantic: each ticket's article scores are averaged with its {SMOOTH_K} nearest tickets'; "
                     f"under {cal.floor_similarity:.3f} (the 1st percentile of article questions) it is off-topic; "
                     "the article is the one with the best mean of its two best examples and its whole profile")
    if plain.sum() >= 20:
        typical = float(np.median(density[plain]))
        sparsest = float(np.percentile(density[plain], SPARSE_PCT))
        excess = np.maximum(density, sparsest) - typical
        score = (score - DENSITY_W * excess).astype(np.float32)
        cal.notes.append(f"semantic: a ticket's score is lowered by {DENSITY_W} x how much nearer its {k_density} "
                         f"nearest tickets (tickets per article) are than for a typical ticket called covered "
                         f"({typical:.3f}), and raised by as much when they are farther, down to {sparsest:.3f} "
                         f"(percentile {SPARSE_PCT} of tickets called covered): a question is judged against how "
                         "near the customers who ask it are to one another, and a lone out-of-scope one gains no more")
    if offsets is not None and len(offsets) and (article >= 0).any():
        score = (score - offsets[np.maximum(article, 0)]).astype(np.float32)
        cal.notes.append(f"semantic: a ticket's score is lowered by {ARTICLE_W} x how much nearer its article's own "
                         "questions are to the rest of the KB than the median question (raised when farther): each "
                         "article's threshold moves halfway to what its own questions score")
    return score >= cal.min_similarity, article, score, floor_ok


def _with_history(v: Vectors, linked: np.ndarray, handled: np.ndarray, cal: Calibration, seed: int,
                  offsets: np.ndarray | None = None):
    cal.mode = "semantic+history"
    n = len(v.Z)
    rng = np.random.default_rng(seed + 1)
    ref = _sample(np.flatnonzero(handled), REFERENCE, rng)
    R = _f32(v.Z[ref])
    ref_linked = linked[ref] >= 0
    where = np.full(n, -1)
    where[ref] = np.arange(len(ref))
    share, near, near_any = (np.zeros(n, np.float32) for _ in range(3))
    for i in range(0, n, CHUNK):
        Q = _f32(v.Z[i:i + CHUNK])
        S = Q @ R.T
        self_pos = where[i:i + CHUNK]
        rows = np.flatnonzero(self_pos >= 0)
        S[rows, self_pos[rows]] = -2.0  # a ticket is never its own neighbour
        share[i:i + CHUNK] = ref_linked[_top(S, NEIGHBOURS)].mean(1)
        near[i:i + CHUNK] = S[:, ref_linked].max(1) if ref_linked.any() else -1.0
        near_any[i:i + CHUNK] = S.max(1)
    probe = ref[ref_linked]
    if len(probe) < 5:  # the neighbour sample holds almost no linked ticket: judge on the articles alone
        cal.notes.append("semantic: too few linked tickets among the sampled neighbours: text matching alone")
        return _no_history(v, cal, seed, offsets)
    c = max(float(share[probe].mean()), 1e-3)
    cal.link_rate, cal.gap_ratio = c, GAP_RATIO
    cal.floor_similarity = float(np.percentile(near[probe], FLOOR_PCT))
    cal.min_neighbour = float(np.percentile(near_any[probe], FLOOR_PCT))
    cal.notes.append(f"semantic: of the {NEIGHBOURS} nearest handled tickets, {c:.0%} are linked to an article for "
                     f"a linked ticket; a ticket is a gap when its share is under {GAP_RATIO:.0%} of that, or when "
                     f"no linked ticket is {cal.floor_similarity:.3f} similar (1st percentile of linked tickets)")
    cal.notes.append(f"semantic: off-topic when no handled ticket is {cal.min_neighbour:.3f} similar (1st "
                     "percentile of linked tickets, each left out)")
    article, conf = _route(v, linked, seed)
    covered = (share / c >= GAP_RATIO) & (near >= cal.floor_similarity)
    return covered, article, np.where(covered, conf, share / c), near_any >= cal.min_neighbour


def _route(v: Vectors, linked: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A linear SVM over article examples and up to PER_ARTICLE linked tickets per article."""
    rng = np.random.default_rng(seed)
    picks = [_sample(np.flatnonzero(linked == a), PER_ARTICLE, rng) for a in np.unique(linked[linked >= 0])]
    pick = np.sort(np.concatenate(picks)) if picks else np.zeros(0, int)
    Xt = np.vstack([v.E, _f32(v.Z[pick])])
    y = np.concatenate([v.owner, linked[pick]])
    w = np.concatenate([v.weight, np.ones(len(pick), np.float32)])
    n = len(v.Z)
    if len(np.unique(y)) < 2:
        return np.full(n, int(y[0]) if len(y) else -1), np.ones(n, np.float32)
    svm = LinearSVC(C=1.0, random_state=0).fit(Xt, y, sample_weight=w)
    article, conf = np.zeros(n, int), np.zeros(n, np.float32)
    for i in range(0, n, CHUNK):
        d = svm.decision_function(_f32(v.Z[i:i + CHUNK]))
        d = np.stack([-d, d], 1) if d.ndim == 1 else d
        e = np.exp(4.0 * (d - d.max(1, keepdims=True)))
        article[i:i + CHUNK] = svm.classes_[d.argmax(1)]
        conf[i:i + CHUNK] = 1.0 / e.sum(1)
    return article, conf


def merge_cosine(v: Vectors) -> float:
    """Cluster centres closer than this are one topic: the 99th percentile of the cosines between two different
    articles' centres (two articles are two topics), so the scale fits the model."""
    k = int(v.owner.max()) + 1 if len(v.owner) else 0
    if k < 3:
        return 0.9
    C = np.zeros((k, v.E.shape[1]), np.float32)
    np.add.at(C, v.owner, v.E)
    C /= np.maximum(np.linalg.norm(C, axis=1, keepdims=True), 1e-12)
    return float(np.percentile((C @ C.T)[np.triu_indices(k, 1)], 99))


def cluster(Z: np.ndarray, seed: int = 0, merge: float = 0.9) -> np.ndarray:
    """Topic index of each row: k-means on the embeddings with twice the lexical path's k (sentence embeddings
    put two neighbouring questions closer than words do, so fewer centres run them together), then centres closer
    than `merge` (the KB's own scale) joined, so a topic split in two is one again."""
    n = len(Z)
    if n <= 2:
        return np.zeros(n, int)
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(n, min(n, 20_000), replace=False))
    km = MiniBatchKMeans(min(n, OVERSPLIT * choose_k(n)), random_state=seed, batch_size=4096, n_init=1, max_iter=100)
    km.fit(_f32(Z[sample]))
    labels = np.concatenate([km.predict(_f32(Z[i:i + 100_000])) for i in range(0, n, 100_000)])
    return merge_clusters(labels, Z, merge)  # float16 rows: no float32 copy of a million gaps


def nearest_articles(Z: np.ndarray, members: Sequence[np.ndarray], v: Vectors) -> list[tuple[int, float]]:
    """(article index, cosine) of the article profile nearest each topic's centre."""
    out: list[tuple[int, float]] = []
    for m in members:
        if not len(v.P) or not len(m):
            out.append((-1, 0.0))
            continue
        centre = _f32(Z[m]).mean(0)
        centre /= max(float(np.linalg.norm(centre)), 1e-12)
        sims = v.P @ centre
        out.append((int(sims.argmax()), float(sims.max())) if len(sims) else (-1, 0.0))
    return out
