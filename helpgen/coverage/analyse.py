"""The coverage pipeline: tickets -> docs verdict and team verdict per ticket -> gap topics -> report data.

`analyse(kb, tickets)` returns a CoverageResult: `data` (the coverage.json document) and `rows`
(compact per-ticket assignment columns the writer streams to --assignments). No I/O here.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Callable, Iterable, Mapping

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from helpgen.coverage import aggregate
from helpgen.coverage.cluster import kmeans_labels, label_topics
from helpgen.coverage.refine import refine
from helpgen.coverage.match import (ArticleSupport, Calibration, RawWords, TokenPool, best_example, example_matrix, Router, TextSpace, article_examples, article_profile,
                                    calibrate_text, link_scores, tokens, vocab_share)
from helpgen.kb.model import KnowledgeBase
from helpgen.tickets.model import Ticket

OFF_TOPIC = "off-topic"
Progress = Callable[[str, int], None]  # (stage, tickets so far)
PER_ARTICLE_CAP = 150  # linked tickets per article used for training (random sample)
REFINE = False
MIN_TOKENS = 2  # a question with fewer content words is too short to match ("what is 17 times 3")


@dataclass
class Table:
    """What the report needs from each ticket, in compact columns (no Ticket objects kept)."""

    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    created: list[float] = field(default_factory=list)  # epoch seconds, nan when unknown
    channel: list[str] = field(default_factory=list)
    answered: list[bool] = field(default_factory=list)
    first_hours: list[float] = field(default_factory=list)
    linked: list[int] = field(default_factory=list)  # article index, -1 = none
    reply: list[str] = field(default_factory=list)
    duplicates: int = 0
    unknown_links: Counter = field(default_factory=Counter)
    tokens: list = field(default_factory=list)  # analyser tokens of each text (match.tokens)


@dataclass
class Rows:
    """Per-ticket assignment columns."""

    ids: list[str]
    verdict: np.ndarray  # bool: True = covered
    article: np.ndarray  # article index or -1
    score: np.ndarray
    gap: np.ndarray  # gap id (1-based), 0 = none, -1 = off-topic
    answered: np.ndarray
    article_ids: list[str]
    texts: list[str] = field(default_factory=list)  # redacted ticket texts (for `--learn`)


@dataclass
class CoverageResult:
    data: dict
    rows: Rows


def _epoch(dt: datetime | None) -> float:
    if dt is None:
        return float("nan")
    return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).timestamp()


def _bound(d: date | None, end: bool) -> float:
    if d is None:
        return float("inf") if end else float("-inf")
    return datetime.combine(d, time.max if end else time.min, tzinfo=timezone.utc).timestamp()


def collect(tickets: Iterable[Ticket], article_ids: list[str], since: date | None = None,
            until: date | None = None, progress: Progress | None = None) -> Table:
    """Keep the columns the report needs; drop tickets outside [since, until]; count duplicate ids once."""
    index = {a: i for i, a in enumerate(article_ids)}
    lo, hi = _bound(since, False), _bound(until, True)
    t, seen = Table(), set()
    with TokenPool() as pool:  # the second core tokenises while this one reads
        for n, ticket in enumerate(tickets, 1):
            when = _epoch(ticket.created)
            if when == when and not lo <= when <= hi:
                continue
            if ticket.id in seen:
                t.duplicates += 1
                continue
            seen.add(ticket.id)
            _append(t, ticket, when, index)
            pool.feed(t.texts)
            if progress and n % 10_000 == 0:
                progress("read", n)
        t.tokens = pool.result(t.texts)
    return t


def _append(t: Table, ticket: Ticket, when: float, index: Mapping[str, int]) -> None:
    t.ids.append(ticket.id)
    t.texts.append(ticket.text)
    t.created.append(when)
    t.channel.append(ticket.channel or "unknown")
    answered = ticket.answered and ticket.status not in ("closed_without_reply",)
    t.answered.append(answered)
    frh = ticket.first_response_hours
    t.first_hours.append(float("nan") if frh is None or frh < 0 else frh)
    link = -1
    for art in ticket.linked_articles:
        if art in index:
            link = index[art]
            break
        t.unknown_links[art] += 1
    t.linked.append(link)
    t.reply.append(ticket.replies[0].text if answered and ticket.replies else "")


def _train_router(kb_articles, ex, X_art, X, texts, linked, seed) -> tuple[Router, RawWords]:
    """The router over analyser features plus the customers' raw words, taught by article examples and up
    to PER_ARTICLE_CAP linked tickets per article."""
    rng = np.random.default_rng(seed)
    rows = []
    for a in np.unique(linked[linked >= 0]):
        idx = np.flatnonzero(linked == a)
        rows.append(rng.choice(idx, PER_ARTICLE_CAP, replace=False) if len(idx) > PER_ARTICLE_CAP else idx)
    pick = np.sort(np.concatenate(rows)) if rows else np.zeros(0, int)
    raw = RawWords()
    R = raw.fit_transform([t for _, t, _ in ex] + [texts[i] for i in pick])
    Xt = sparse.hstack([sparse.vstack([X_art, X[pick]]), R]).tocsr()
    labels = [e[0] for e in ex] + [kb_articles[i].id for i in linked[pick]]
    return Router().fit(Xt, labels, [e[2] for e in ex] + [1.0] * len(pick)), raw


def _route(router: Router, raw: RawWords, X, texts, rows: np.ndarray,
           pos: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(article index, confidence) for `rows` (others: -1, 0), in chunks so raw features stay small."""
    art, prob = np.full(X.shape[0], -1, int), np.zeros(X.shape[0], np.float32)
    for i in range(0, len(rows), 50_000):
        part = rows[i:i + 50_000]
        Xt = sparse.hstack([X[part], raw.transform([texts[j] for j in part])]).tocsr()
        cls, p = router.predict(Xt)
        art[part] = np.array([pos.get(router.classes[c], -1) for c in cls], int)
        prob[part] = p
    return art, prob


def _domain_vocab(kb_articles, toks, answered) -> frozenset:
    """Words of the product: every article word, plus words of handled tickets seen at least twice."""
    vocab = set()
    for a in kb_articles:
        vocab.update(tokens(article_profile(a), None))
    counts = Counter()
    for i in np.flatnonzero(answered)[:300_000]:
        counts.update(set(toks[i]))
    vocab.update(w for w, c in counts.items() if c >= 2)
    return frozenset(vocab)


def analyse(kb: KnowledgeBase, tickets: Iterable[Ticket], *, since: date | None = None,
            until: date | None = None, redacted: Mapping[str, int] | None = None,
            progress: Progress | None = None, seed: int = 0) -> CoverageResult:
    """Classify every ticket (docs verdict + team verdict), cluster the gaps, build the report data."""
    articles = list(kb.in_language(""))
    art_ids = [a.id for a in articles]
    table = collect(tickets, art_ids, since, until, progress)
    toks = table.tokens
    linked = np.array(table.linked, int)
    answered = np.array(table.answered, bool)
    if progress:
        progress("match", len(toks))
    ex = [(a.id, text, w) for a in articles for text, w in article_examples(a)]
    space = _fit_space(ex, toks, seed)
    X = space.transform(toks)
    cal = calibrate_text(articles, space) if articles else Calibration(notes=["the KB has no articles"])
    verdict = _decide(articles, space, ex, X, toks, table.texts, linked, answered, cal, seed)
    if progress:
        progress("cluster", len(toks))
    gap_ids, topics = _cluster(X, verdict["gap"] & ~verdict["off_topic"], table.texts, space, seed)
    if topics and REFINE:
        gap_ids, topics = _refine(X, space, ex, articles, linked, verdict, topics, table.texts, seed)
    gap_ids[verdict["off_topic"]] = -1
    rows = Rows(table.ids, verdict["covered"], verdict["article"], verdict["score"], gap_ids,
                answered, art_ids, table.texts)
    data = aggregate.build(kb, articles, table, rows, topics, X, space, cal, dict(redacted or {}))
    return CoverageResult(data, rows)


def _refine(X, space, ex, articles, linked, verdict, topics, texts, seed):
    """Second pass: gap topics as classes next to the articles; updates `verdict` in place."""
    X_art = space.transform([tokens(t, None) for _, t, _ in ex])
    art, topic, conf = refine(X, X_art, [e[0] for e in ex], [e[2] for e in ex], linked,
                              [a.id for a in articles], [t.members for t in topics], seed)
    free = (linked < 0) & ~verdict["off_topic"]
    to_gap = free & (topic >= 0)
    to_cov = free & (topic < 0) & (art >= 0) & verdict["above_floor"]
    verdict["covered"] = (verdict["covered"] & ~to_gap) | to_cov
    verdict["article"] = np.where(to_cov, art, np.where(verdict["covered"], verdict["article"], -1))
    verdict["score"] = np.where(to_cov | to_gap, conf, verdict["score"]).astype(np.float32)
    verdict["gap"] = ~verdict["covered"]
    gap = verdict["gap"] & ~verdict["off_topic"]
    return _cluster(X, gap, texts, space, seed, fixed=np.where(to_gap, topic, -1))


def _fit_space(ex, toks, seed) -> TextSpace:
    rng = np.random.default_rng(seed)
    sample = rng.choice(len(toks), min(len(toks), 30_000), replace=False) if toks else []
    docs = [tokens(t, None) for _, t, _ in ex] + [toks[i] for i in np.sort(sample)]
    return TextSpace(min_df=2 if len(docs) > 50 else 1).fit(docs)


def _decide(articles, space, ex, X, toks, texts, linked, answered, cal: Calibration, seed) -> dict:
    n = X.shape[0]
    out = {"covered": np.zeros(n, bool), "article": np.full(n, -1, int), "score": np.zeros(n, np.float32),
           "gap": np.zeros(n, bool), "off_topic": np.zeros(n, bool), "above_floor": np.zeros(n, bool)}
    if not articles:
        out["gap"][:] = True
        return out
    X_art = space.transform([tokens(t, None) for _, t, _ in ex])
    profiles = normalize(space.transform([tokens(article_profile(a), None) for a in articles]))
    best_sim, sim_art = _best_similarity(X, profiles, linked)
    E, owner = example_matrix(articles, space)
    ex_sim, ex_art = best_example(X, E, owner)
    router, raw = _train_router(articles, ex, X_art, X, texts, linked, seed)
    vocab = _domain_vocab(articles, toks, answered)
    idf = space.idf()
    off = np.array([len(t) < MIN_TOKENS or vocab_share(t, vocab, idf, space.max_idf) < cal.min_vocab_share
                    for t in toks], bool)
    pos = {a.id: i for i, a in enumerate(articles)}
    r_art, prob = _route(router, raw, X, texts, np.flatnonzero((linked < 0) & ~off), pos)
    covered = _history_verdict(X, linked, answered, best_sim, cal, seed)
    if covered is None:
        cal.mode = "text"
        covered = ex_sim >= cal.min_similarity
        article = np.where(covered, r_art, -1)
        best_sim = ex_sim
    else:
        article = r_art
    if cal.mode == "history":
        off |= _novel(X, covered & ~off & (linked < 0), answered, linked, cal, seed)
        off |= _unsupported(articles, space, X, toks, linked, article, covered & ~off & (linked < 0), cal, seed)
    covered &= ~off
    covered |= linked >= 0
    article = np.where(linked >= 0, linked, np.where(covered, article, -1))
    out["covered"], out["article"] = covered, article
    out["score"] = np.where(linked >= 0, 1.0, np.where(covered, prob, best_sim)).astype(np.float32)
    out["gap"] = ~covered
    out["off_topic"] = off & ~covered
    out["above_floor"] = best_sim >= cal.floor_similarity
    return out


SUPPORT_PCT = 1  # percentile of linked tickets' article support under which a ticket is off-topic
NN_REFERENCE = 3_000  # handled tickets kept as neighbours for the novelty rule


def _nearest(X, rows, ref, self_pos=None) -> np.ndarray:
    """Best cosine of each of `rows` to the reference tickets `ref` (a ticket never matches itself)."""
    R = X[ref].T.tocsc()
    out = np.zeros(len(rows), np.float32)
    pos = {int(r): j for j, r in enumerate(ref)}
    for i in range(0, len(rows), 4000):
        part = rows[i:i + 4000]
        S = (X[part] @ R).toarray()
        for j, r in enumerate(part):
            if int(r) in pos:
                S[j, pos[int(r)]] = 0.0
        out[i:i + len(part)] = S.max(1) if S.shape[1] else 0.0
    return out


def _novel(X, candidates, answered, linked, cal: Calibration, seed) -> np.ndarray:
    """Tickets unlike every handled ticket: the nearest one is less similar than for 99% of linked tickets."""
    rng = np.random.default_rng(seed + 1)
    handled = np.flatnonzero(answered | (linked >= 0))
    ref = np.sort(rng.choice(handled, min(len(handled), NN_REFERENCE), replace=False))
    probe = ref[linked[ref] >= 0][:5000]
    if len(probe) < 20:
        return np.zeros(X.shape[0], bool)
    cal.min_neighbour = float(np.percentile(_nearest(X, probe, ref), 1))
    cal.notes.append(f"off-topic when no handled ticket is at least {cal.min_neighbour:.3f} similar: "
                     "the 1st percentile of tickets the team linked, against the other handled tickets")
    idx = np.flatnonzero(candidates)
    out = np.zeros(X.shape[0], bool)
    out[idx] = _nearest(X, idx, ref) < cal.min_neighbour
    return out


def _unsupported(articles, space, X, toks, linked, article, candidates, cal: Calibration, seed) -> np.ndarray:
    """Candidates whose routed article explains too little of their words (see match.ArticleSupport)."""
    out = np.zeros(X.shape[0], bool)
    has = np.flatnonzero(linked >= 0)
    if len(has) < 20:
        return out
    sup = ArticleSupport(space, [tokens(article_profile(a), None) for a in articles], X, linked)
    rng = np.random.default_rng(seed + 2)
    probe = np.sort(rng.choice(has, min(len(has), 20_000), replace=False))
    n_tok = lambda rows: np.fromiter((len(set(toks[i])) for i in rows), np.int64, len(rows))  # noqa: E731
    cal.min_support = float(np.percentile(sup.score(X[probe], n_tok(probe), linked[probe], True), SUPPORT_PCT))
    cal.notes.append(f"off-topic when the matched article explains under {cal.min_support:.2f} of a ticket's "
                     "words (IDF-weighted; its text, or words of 2+ tickets linked to it): the 1st percentile "
                     "of linked tickets, each left out of its own article's counts")
    idx = np.flatnonzero(candidates & (article >= 0))
    out[idx] = sup.score(X[idx], n_tok(idx), article[idx]) < cal.min_support
    return out


def _best_similarity(X, profiles, linked) -> tuple[np.ndarray, np.ndarray]:
    """Best cosine of each ticket to an article profile or to the centroid of its linked tickets."""
    k = profiles.shape[0]
    refs = [profiles]
    if (linked >= 0).any():
        onehot = sparse.csr_matrix((np.ones((linked >= 0).sum()), (linked[linked >= 0],
                                    np.flatnonzero(linked >= 0))), shape=(k, X.shape[0]))
        refs.append(normalize(onehot @ X))
    R = sparse.vstack(refs).tocsr()
    best, arg = [], []
    step = max(200, min(20_000, 10_000_000 // R.shape[0]))  # dense blocks of at most ~40 MB
    for i in range(0, X.shape[0], step):
        s = (X[i:i + step] @ R.T).toarray()
        arg.append(s.argmax(1) % k)
        best.append(s.max(1))
    if not best:
        return np.zeros(0, np.float32), np.zeros(0, int)
    return np.concatenate(best).astype(np.float32), np.concatenate(arg)


def _history_verdict(X, linked, answered, best_sim, cal: Calibration, seed) -> np.ndarray | None:
    """With enough linked and unlinked handled tickets: PU gap scoring; else None (text-only mode)."""
    is_linked = linked >= 0
    handled_unlinked = answered & ~is_linked
    if is_linked.sum() < 20 or handled_unlinked.sum() < 20:
        cal.notes.append("fewer than 20 linked or 20 unlinked handled tickets: text matching alone")
        return None
    scores, c = link_scores(X, is_linked, answered | is_linked, seed)
    cal.floor_similarity = float(np.percentile(best_sim[is_linked], 1)) / 2
    cal.notes.append(f"never covered under similarity {cal.floor_similarity:.3f}: half the 1st percentile of "
                     "tickets the team linked to an article")
    cal.mode, cal.link_rate = "history", c
    cal.notes.append(f"the team links an article for about {c:.0%} of covered handled tickets; a ticket is a gap "
                     f"when its chance of a link is under {cal.gap_ratio:.0%} of that")
    return (scores / c >= cal.gap_ratio) & (best_sim >= cal.floor_similarity)


def _cluster(X, gap, texts, space, seed, fixed=None) -> tuple[np.ndarray, list]:
    """Gap id per ticket (1-based by size, 0 = none) and the topics, largest first.

    `fixed` (topic per ticket, -1 = none) keeps known topics; the other gap tickets are clustered anew.
    """
    idx = np.flatnonzero(gap)
    ids = np.zeros(X.shape[0], int)
    if not len(idx):
        return ids, []
    if fixed is None:
        labels = kmeans_labels(X[idx], seed)
    else:
        labels = fixed[idx].copy()
        rest = labels < 0
        if rest.any():
            labels[rest] = labels.max() + 1 + kmeans_labels(X[idx[rest]], seed)
        _, labels = np.unique(labels, return_inverse=True)
    background = (np.bincount(X.indices, minlength=X.shape[1]) + 1) / (X.shape[0] + 2)
    topics = label_topics(X[idx], labels, space.feature_names(), [texts[i] for i in idx], background)
    for t in topics:
        t.members = idx[t.members]
    topics.sort(key=lambda t: (-len(t.members), t.label))
    for n, t in enumerate(topics, 1):
        ids[t.members] = n
    return ids, topics
