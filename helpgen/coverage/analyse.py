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

from helpgen.coverage import aggregate, semantic
from helpgen.coverage.cluster import kmeans_labels, label_topics
from helpgen.coverage.match import (ArticleSupport, Calibration, DomainWords, LinkModel, RawWords, TokenPool, TopicEvidence, best_example, example_matrix, once_per_distinct_row, Router, TextSpace, article_examples, article_profile,
                                    article_text, calibrate_text, plain_words, spaced_language, tokens,
                                    vocab_share)
from helpgen.kb.model import KnowledgeBase
from helpgen.tickets.model import Ticket

OFF_TOPIC = "off-topic"
Progress = Callable[[str, int], None]  # (stage, tickets so far)
PER_ARTICLE_CAP = 150  # linked tickets per article used for training (random sample)
MIN_TOKENS = 2  # a question with fewer content words than this is too short to match


@dataclass
class Table:
    """What the report needs from each ticket, in compact columns (no Ticket objects kept)."""

    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    created: list[float] = field(default_factory=list)  # epoch seconds, nan when unknown
    channel: list[str] = field(default_factory=list)
    answered: list[bool] = field(default_factory=list)
    replies_known: list[bool] = field(default_factory=list)  # False: the export does not say (no reply column)
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
    answered_known: np.ndarray | None = None  # bool per ticket; None = all known
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
    answered = bool(ticket.answered) and ticket.status not in ("closed_without_reply",)
    t.answered.append(answered)
    t.replies_known.append(ticket.answered is not None)
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


def _route(router: Router, raw: RawWords, X, texts, rows: np.ndarray, pos: Mapping[str, int],
           link: LinkModel | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(article index, confidence, link ratio) for `rows` (others: -1, 0, 0), in chunks so raw features stay
    small; the link ratio (LinkModel.ratio) shares the raw words' hashing with the router (1.0 without `link`)."""
    n = X.shape[0]
    art, prob, ratio = np.full(n, -1, int), np.zeros(n, np.float32), np.zeros(n, np.float32)
    first: dict = {}  # tickets of the same text are routed once, by the first of them (a pool ticket's own
    same = np.fromiter((first.setdefault(texts[j], j) for j in rows), int, len(rows))  # link ratio aside)
    if len(first) < len(rows):
        once = np.fromiter(first.values(), int, len(first))
        art_once, prob_once, ratio_once = _route(router, raw, X, texts, once, pos, link)
        art[rows], prob[rows], ratio[rows] = art_once[same], prob_once[same], ratio_once[same]
        if link is not None:
            own = rows[np.isin(rows, link.pool)]
            ratio[own] = link.pool_ratio[np.searchsorted(link.pool, own)]
        return art, prob, ratio
    for i in range(0, len(rows), 50_000):
        part = rows[i:i + 50_000]
        H = raw.hashed([texts[j] for j in part])
        cls, p = router.predict(sparse.hstack([X[part], raw.from_hashed(H)]).tocsr())
        art[part] = np.array([pos.get(router.classes[c], -1) for c in cls], int)
        prob[part] = p
        ratio[part] = link.ratio(X[part], H, part) if link is not None else 1.0
    return art, prob, ratio


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
            progress: Progress | None = None, seed: int = 0, embedder=None,
            embed_progress: Callable[[int, int], None] | None = None) -> CoverageResult:
    """Classify every ticket (docs verdict + team verdict), cluster the gaps, build the report data.

    With an `embedder` (embed.Embedder), matching, verdicts, clustering and nearest articles use sentence
    embeddings (semantic.py); article embeddings are cached under KB/.helpgen/cache/."""
    articles = list(kb.in_language(""))
    art_ids = [a.id for a in articles]
    table = tickets if isinstance(tickets, Table) else collect(tickets, art_ids, since, until, progress)
    toks = table.tokens
    linked = np.array(table.linked, int)
    answered = np.array(table.answered, bool)
    if progress:
        progress("match", len(toks))
    ex = [(a.id, text, w) for a in articles for text, w in article_examples(a)]
    boiler = boilerplate(ex, toks, seed)
    if boiler:
        toks = table.tokens = [[w for w in t if w not in boiler] for t in toks]
    space = _fit_space(ex, toks, seed)
    X = space.transform(toks)
    cal = calibrate_text(articles, space) if articles else Calibration(notes=["the KB has no articles"])
    if boiler:
        cal.notes.append(f"left out {len(boiler)} word(s) found in at least half of the tickets and in no article "
                         f"(export boilerplate): {', '.join(sorted(boiler)[:10])}")
    vectors = None
    if embedder is not None:
        vectors, verdict, cal = _semantic(kb, articles, table.texts, toks, linked, answered, cal, embedder,
                                          embed_progress, space, seed)
    else:
        verdict = _decide(articles, space, ex, X, toks, table.texts, linked, answered, cal, seed,
                          lang=kb.config.language)
    if progress:
        progress("cluster", len(toks))
    gap_ids, topics = _cluster(X, verdict["gap"] & ~verdict["off_topic"], table.texts, space, seed, dense=vectors)
    gap_ids[verdict["off_topic"]] = -1
    rows = Rows(table.ids, verdict["covered"], verdict["article"], verdict["score"], gap_ids,
                answered, art_ids, np.array(table.replies_known, bool), table.texts)
    data = aggregate.build(kb, articles, table, rows, topics, X, space, cal, dict(redacted or {}))
    if embedder is not None:
        data["calibration"]["model"] = embedder.name
        near = semantic.nearest_articles(vectors.Z, [t.members for t in topics], vectors)
        for gap, (art, sim) in zip(data["gaps"], near):
            gap["nearest_article"] = articles[art].id if art >= 0 else None
            gap["nearest_score"] = round(sim, 4)
    return CoverageResult(data, rows)


def _semantic(kb, articles, texts, toks, linked, answered, cal, embedder, embed_progress, space, seed):
    """Embeddings (article ones cached in KB/.helpgen/cache/) and the semantic verdict; the lexical
    off-topic rule (too few words, or words the product never uses) still applies."""
    root = getattr(kb, "root", None)
    cache = root / ".helpgen" / "cache" if root is not None and root.is_dir() else None  # never creates a KB
    vectors = semantic.embed_all(embedder, articles, texts, cache, embed_progress)
    off = np.zeros(len(texts), bool)
    if articles:
        vocab = _domain_vocab(articles, toks, answered)
        idf = space.idf()
        off = np.array([len(t) < MIN_TOKENS or vocab_share(t, vocab, idf, space.max_idf) < cal.min_vocab_share
                        for t in toks], bool)
    sem = Calibration(min_vocab_share=cal.min_vocab_share, notes=[n for n in cal.notes if "known words" in n])
    return vectors, semantic.decide(articles, vectors, linked, answered, off, sem, seed), sem


BOILERPLATE_SHARE = 0.5  # a word in at least half of the tickets ...
BOILERPLATE_MIN_TICKETS = 20  # ... of a log this big, and in no article, is the export's boilerplate


def boilerplate(ex, toks, seed) -> frozenset[str]:
    """Words the export adds to most tickets and no article uses (a subject line every ticket shares, a
    form's field names, "sent from my phone"): they cannot tell articles apart, and only make every ticket
    look less like every article than the KB's own questions do, against which the thresholds are set."""
    if len(toks) < BOILERPLATE_MIN_TICKETS:
        return frozenset()
    rng = np.random.default_rng(seed)
    sample = rng.choice(len(toks), min(len(toks), 30_000), replace=False)
    df = Counter(w for i in sample for w in set(toks[i]))
    known = {w for _, text, _ in ex for w in tokens(text, None)}
    return frozenset(w for w, c in df.items() if c >= BOILERPLATE_SHARE * len(sample) and w not in known)


def _fit_space(ex, toks, seed) -> TextSpace:
    rng = np.random.default_rng(seed)
    sample = rng.choice(len(toks), min(len(toks), 30_000), replace=False) if toks else []
    docs = [tokens(t, None) for _, t, _ in ex] + [toks[i] for i in np.sort(sample)]
    return TextSpace(min_df=2 if len(docs) > 50 else 1).fit(docs)


def _decide(articles, space, ex, X, toks, texts, linked, answered, cal: Calibration, seed, lang: str = "en") -> dict:
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
    off = np.fromiter((len(t) < MIN_TOKENS for t in toks), bool, len(toks))
    pos = {a.id: i for i, a in enumerate(articles)}
    vocab = _domain_vocab(articles, toks, answered)
    idf = space.idf()
    unknown = np.fromiter((vocab_share(t, vocab, idf, space.max_idf) < cal.min_vocab_share for t in toks),
                          bool, len(toks))
    link = _link_model(X, texts, linked, answered, best_sim, cal, seed)
    # With linked history the domain-word rule (_off_domain) decides which covered tickets are off-topic;
    # the known-word share then only sends gaps of unknown words to the off-topic bucket.
    gaps_only = link is not None and spaced_language(texts) and DomainWords.available(lang)
    if not gaps_only:
        off |= unknown
    r_art, prob, ratio = _route(router, raw, X, texts, np.flatnonzero((linked < 0) & ~off), pos, link)
    if link is None:
        cal.mode = "text"
        topic = TopicEvidence(articles, space, X, seed)
        if topic.calibrate(cal):
            covered = _topic_verdict(topic, X, ex_sim, r_art)
            for _ in range(SELF_TRAIN):  # the log teaches the router: tickets called covered, as routed
                teach = np.where(linked >= 0, linked, np.where(covered, r_art, -1))
                router, raw = _train_router(articles, ex, X_art, X, texts, teach, seed)
                r_art, prob, _ = _route(router, raw, X, texts, np.flatnonzero((linked < 0) & ~off), pos)
                covered = _topic_verdict(topic, X, ex_sim, r_art)
        else:
            covered = ex_sim >= cal.min_similarity
        article = np.where(covered, r_art, -1)
        best_sim = ex_sim
    else:  # a gap when the team would link an article for it less than gap_ratio as often as for a covered one
        covered = (ratio >= cal.gap_ratio) & (best_sim >= cal.floor_similarity)
        article = r_art
    support = None
    if cal.mode == "history":
        off |= _novel(X, covered & ~off & (linked < 0), answered, linked, cal, seed)
        unsupported, support = _unsupported(articles, space, X, toks, linked, article, covered & ~off & (linked < 0),
                                            cal, seed)
        off |= unsupported
    off |= _off_domain(articles, texts, linked, r_art, covered & ~off & (linked < 0), cal, lang, seed, support)
    covered &= ~off
    if gaps_only:
        off |= unknown & ~covered & (linked < 0)
    covered |= linked >= 0
    article = np.where(linked >= 0, linked, np.where(covered, article, -1))
    out["covered"], out["article"] = covered, article
    out["score"] = np.where(linked >= 0, 1.0, np.where(covered, prob, best_sim)).astype(np.float32)
    out["gap"] = ~covered
    out["off_topic"] = off & ~covered
    out["above_floor"] = best_sim >= cal.floor_similarity
    return out


SELF_TRAIN = 1  # text-only mode: times the router is taught again by the tickets it calls covered


def _topic_verdict(topic: TopicEvidence, X, ex_sim, article) -> np.ndarray:
    """Text-only verdicts: each routed ticket judged with its most similar tickets (match.TopicEvidence)."""
    rows = np.flatnonzero(article >= 0)
    covered = np.zeros(X.shape[0], bool)
    sim, expl = topic.scores(X, ex_sim, article, rows)
    covered[rows] = topic.combine(sim, expl) >= topic.threshold
    return covered


SUPPORT_PCT = 1  # percentile of linked tickets' article support under which a ticket is off-topic
NN_REFERENCE = 3_000  # handled tickets kept as neighbours for the novelty rule


def _nearest(X, rows, ref, self_pos=None) -> np.ndarray:
    """Best cosine of each of `rows` to the reference tickets `ref` (a ticket never matches itself)."""
    R = X[ref].T.tocsc()
    own = np.full(X.shape[0], -1)
    own[ref] = np.arange(len(ref))
    own = own[rows]  # the column of each row among the references, -1 = not one of them
    out = np.zeros(len(rows), np.float32)
    others = np.flatnonzero(own < 0)
    if len(others):  # rows that are not references: once per distinct row
        out[others] = _nearest_to(X[rows[others]], R)
    for i in range(0, len(rows), 4000):
        part = np.flatnonzero(own[i:i + 4000] >= 0) + i
        if len(part):
            S = (X[rows[part]] @ R).toarray()
            S[np.arange(len(part)), own[part]] = 0.0
            out[part] = S.max(1) if S.shape[1] else 0.0
    return out


@once_per_distinct_row
def _nearest_to(X, R) -> np.ndarray:
    out = np.zeros(X.shape[0], np.float32)
    for i in range(0, X.shape[0], 4000):
        S = (X[i:i + 4000] @ R).toarray()
        out[i:i + S.shape[0]] = S.max(1) if S.shape[1] else 0.0
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


def _unsupported(articles, space, X, toks, linked, article, candidates, cal: Calibration, seed):
    """Candidates whose routed article explains too little of their words (see match.ArticleSupport), and
    (probe rows, their support, a scorer of rows for articles) for the domain-word rule; None with too few links."""
    out = np.zeros(X.shape[0], bool)
    has = np.flatnonzero(linked >= 0)
    if len(has) < 20:
        return out, None
    sup = ArticleSupport(space, [tokens(article_profile(a), None) for a in articles], X, linked)
    rng = np.random.default_rng(seed + 2)
    probe = np.sort(rng.choice(has, min(len(has), 20_000), replace=False))
    n_tok = lambda rows: np.fromiter((len(set(toks[i])) for i in rows), np.int64, len(rows))  # noqa: E731
    probe_support = sup.score(X[probe], n_tok(probe), linked[probe], True)
    cal.min_support = float(np.percentile(probe_support, SUPPORT_PCT))
    cal.notes.append(f"off-topic when the matched article explains under {cal.min_support:.2f} of a ticket's "
                     "words (IDF-weighted; its text, or words of 2+ tickets linked to it): the 1st percentile "
                     "of linked tickets, each left out of its own article's counts")
    idx = np.flatnonzero(candidates & (article >= 0))
    out[idx] = sup.score(X[idx], n_tok(idx), article[idx]) < cal.min_support
    return out, (probe, probe_support, lambda rows, arts: sup.score(X[rows], n_tok(rows), arts))


DOMAIN_PCT = 1  # percentile of in-domain questions' domain score under which a ticket is off-topic
DOMAIN_SAMPLE = 30_000  # tickets whose words join the articles' words in the help centre's word counts


def _kb_plain(article) -> str:
    return "\n".join([article.title, article.summary, *article.questions, " ".join(article.tags), article_text(article)])


def _rank(ref: np.ndarray, x: np.ndarray) -> np.ndarray:
    """log of the share of `ref` at or below each x (a p-value under the reference distribution)."""
    r = np.sort(ref)
    return np.log((1.0 + np.searchsorted(r, x, side="right")) / (1.0 + len(r)))


def _off_domain(articles, texts, linked, article, candidates, cal: Calibration, lang: str, seed,
                support=None) -> np.ndarray:
    """Candidates whose words are no more typical of this help centre than of everyday language (see
    match.DomainWords). With linked history the domain score is judged together with the routed article's
    support (ArticleSupport): off-topic when the sum of both log-ranks among linked tickets (each left out of
    the counts) is under its DOMAIN_PCT percentile there, so a ticket of unusual words that its article fully
    explains stays covered. Without history: the domain score alone, against the articles' own questions."""
    out = np.zeros(len(texts), bool)
    if not spaced_language(texts) or not DomainWords.available(lang):
        cal.notes.append("no word-frequency list for the tickets' language: the domain-word rule is not used")
        return out
    if not candidates.any() or not articles:
        return out
    rng = np.random.default_rng(seed + 3)
    sample = rng.choice(len(texts), min(len(texts), DOMAIN_SAMPLE), replace=False)
    words = {int(i): plain_words(texts[i]) for i in np.sort(sample)}
    dom = DomainWords(lang, [_kb_plain(a) for a in articles], list(words.values()))

    def score(rows) -> np.ndarray:
        first: dict = {}  # once per text (sampled tickets, whose own words are left out, apart)
        same = np.fromiter((first.setdefault((int(i) in words, texts[i]), i) for i in rows), int, len(rows))
        once = [int(i) for i in first.values()]
        out = np.zeros(len(texts))
        out[once] = np.fromiter((dom.score(plain_words(texts[i])) if words.get(i) is None
                                 else dom.score(words[i], Counter(words[i])) for i in once), float, len(once))
        return out[same]

    idx = np.flatnonzero(candidates)
    if support is not None:
        probe, probe_support, support_of = support
        probe_domain = score(probe)
        ref = _rank(probe_domain, probe_domain) + _rank(probe_support, probe_support)
        cal.min_domain = float(np.percentile(ref, DOMAIN_PCT))
        cal.notes.append(f"off-topic when a ticket's words are both untypical of the help centre (their frequency "
                         f"here against everyday {lang}, from wordfreq) and little explained by its article: the "
                         f"{DOMAIN_PCT}st percentile of linked tickets on both together, each left out of the counts")
        routed = idx[article[idx] >= 0]
        joint = _rank(probe_domain, score(routed)) + _rank(probe_support, support_of(routed, article[routed]))
        out[routed] = joint < cal.min_domain
        return out
    qs = [plain_words(q, None) for a in articles for q in a.questions]
    ref = np.array([dom.score(q, Counter(q)) for q in qs if q])
    if len(ref) < 20:
        cal.notes.append("fewer than 20 article questions: the domain-word rule is not used")
        return out
    cal.min_domain = float(np.percentile(ref, DOMAIN_PCT))
    cal.notes.append(f"off-topic when a ticket's words are on average under {cal.min_domain:.2f} (natural log) more "
                     f"frequent in the help centre (articles and tickets) than in everyday {lang} (wordfreq): the "
                     f"{DOMAIN_PCT}st percentile of the articles' own questions, each left out of the counts")
    out[idx] = score(idx) < cal.min_domain
    return out


def _best_similarity(X, profiles, linked) -> tuple[np.ndarray, np.ndarray]:
    """Best cosine of each ticket to an article profile or to the centroid of its linked tickets."""
    k = profiles.shape[0]
    refs = [profiles]
    if (linked >= 0).any():
        onehot = sparse.csr_matrix((np.ones((linked >= 0).sum()), (linked[linked >= 0],
                                    np.flatnonzero(linked >= 0))), shape=(k, X.shape[0]))
        refs.append(normalize(onehot @ X))
    return _best_of(X, sparse.vstack(refs).tocsr(), k)


@once_per_distinct_row
def _best_of(X, R, k) -> tuple[np.ndarray, np.ndarray]:
    best, arg = [], []
    step = max(200, min(20_000, 10_000_000 // R.shape[0]))  # dense blocks of at most ~40 MB
    for i in range(0, X.shape[0], step):
        s = (X[i:i + step] @ R.T).toarray()
        arg.append(s.argmax(1) % k)
        best.append(s.max(1))
    if not best:
        return np.zeros(0, np.float32), np.zeros(0, int)
    return np.concatenate(best).astype(np.float32), np.concatenate(arg)


def _link_model(X, texts, linked, answered, best_sim, cal: Calibration, seed) -> LinkModel | None:
    """With enough linked and unlinked handled tickets: the PU link model (match.LinkModel) and the
    history-mode thresholds; else None (text-only mode)."""
    is_linked = linked >= 0
    handled_unlinked = answered & ~is_linked
    if is_linked.sum() < 20 or handled_unlinked.sum() < 20:
        cal.notes.append("fewer than 20 linked or 20 unlinked handled tickets: text matching alone")
        return None
    link = LinkModel().fit(X, texts, is_linked, answered | is_linked, seed)
    cal.floor_similarity = float(np.percentile(best_sim[is_linked], 1)) / 2
    cal.notes.append(f"never covered under similarity {cal.floor_similarity:.3f}: half the 1st percentile of "
                     "tickets the team linked to an article")
    cal.mode, cal.link_rate = "history", link.c
    cal.notes.append(f"the team links an article for about {link.c:.0%} of covered handled tickets (a model of "
                     f"which handled tickets get a link, C={link.C:g} by cross-validation, calibrated on held-out "
                     f"folds); a ticket is a gap when its chance of a link is under {cal.gap_ratio:.0%} of that")
    return link


def _cluster(X, gap, texts, space, seed, dense=None) -> tuple[np.ndarray, list]:
    """Gap id per ticket (1-based by size, 0 = none) and the topics, largest first (`dense`: the tickets'
    embeddings, when matching is semantic)."""
    idx = np.flatnonzero(gap)
    ids = np.zeros(X.shape[0], int)
    if not len(idx):
        return ids, []
    if dense is not None:
        labels = semantic.cluster(dense.Z[idx], seed, semantic.merge_cosine(dense))
    else:
        labels = kmeans_labels(X[idx], seed)
    background = (np.bincount(X.indices, minlength=X.shape[1]) + 1) / (X.shape[0] + 2)
    topics = label_topics(X[idx], labels, space.feature_names(), [texts[i] for i in idx], background)
    for t in topics:
        t.members = idx[t.members]
    topics.sort(key=lambda t: (-len(t.members), t.label))
    for n, t in enumerate(topics, 1):
        ids[t.members] = n
    return ids, topics
