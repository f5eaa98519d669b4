"""Gap topics become classes: one classifier over articles + gap topics decides every unlinked ticket.

So a new ticket about a topic the docs lack lands in that gap, not in the nearest article. Cross-fitted:
a ticket used to teach a gap topic is decided by the model that did not see it.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy import sparse

from helpgen.coverage.match import Router

GAP_PREFIX = "\x01gap:"
MIN_TOPIC = 3  # smaller gap topics do not become classes
CAP = 400  # training tickets per class


def _sample(idx: np.ndarray, rng, cap: int = CAP) -> np.ndarray:
    return np.sort(rng.choice(idx, cap, replace=False)) if len(idx) > cap else idx


def refine(X: sparse.csr_matrix, X_art: sparse.csr_matrix, art_labels: Sequence[str], art_w: Sequence[float],
           linked: np.ndarray, art_ids: Sequence[str], topics: Sequence[np.ndarray], seed: int = 0,
           folds: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(article index or -1, topic index or -1, confidence) for every ticket."""
    rng = np.random.default_rng(seed)
    base_rows, base_labels = [], []
    for a in np.unique(linked[linked >= 0]):
        pick = _sample(np.flatnonzero(linked == a), rng)
        base_rows.append(pick)
        base_labels += [art_ids[a]] * len(pick)
    gap_rows, gap_labels = [], []
    for t, members in enumerate(topics):
        if len(members) >= MIN_TOPIC:
            pick = _sample(np.asarray(members), rng)
            gap_rows.append(pick)
            gap_labels += [f"{GAP_PREFIX}{t}"] * len(pick)
    base = np.concatenate(base_rows) if base_rows else np.zeros(0, int)
    gaps = np.concatenate(gap_rows) if gap_rows else np.zeros(0, int)
    gap_labels = np.array(gap_labels, dtype=object)
    fold = rng.integers(0, folds, len(gaps))
    cls = np.zeros(X.shape[0], object)
    conf = np.zeros(X.shape[0], np.float32)
    for f in range(folds):
        keep = fold != f
        Xt = sparse.vstack([X_art, X[base], X[gaps[keep]]]).tocsr()
        labels = list(art_labels) + base_labels + list(gap_labels[keep])
        router = Router().fit(Xt, labels, list(art_w) + [1.0] * (len(base) + int(keep.sum())))
        target = gaps[~keep]
        if f == 0:  # tickets that teach no gap topic are decided by the first model
            target = np.union1d(target, np.setdiff1d(np.arange(X.shape[0]), gaps))
        idx, prob = router.predict(X[target])
        cls[target] = np.array(router.classes, dtype=object)[idx]
        conf[target] = prob
    pos = {a: i for i, a in enumerate(art_ids)}
    article = np.array([pos.get(c, -1) for c in cls], int)
    topic = np.array([int(c[len(GAP_PREFIX):]) if str(c).startswith(GAP_PREFIX) else -1 for c in cls], int)
    return article, topic, conf
