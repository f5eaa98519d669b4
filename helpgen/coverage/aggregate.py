"""Turn per-ticket verdicts and gap topics into the coverage.json document (schema helpgen.coverage/1)."""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timezone

import numpy as np
from sklearn.preprocessing import normalize

from helpgen.coverage.cluster import question_score
from helpgen.coverage.match import article_profile, tokens
from helpgen.kb.stages import BEGINNER, TROUBLE_SEED, TROUBLESHOOTING, level_words, question_text, stage_roles
from helpgen.coverage.phrasing import heading, message_of, question_of

SCHEMA = "helpgen.coverage/1"


def build(kb, articles, table, rows, topics, X, space, cal, redacted: dict) -> dict:
    """The whole report document; pure function of its inputs (sorted, rounded, no clock)."""
    created = np.array(table.created, float)
    periods, gran = _periods(created)
    profiles = normalize(space.transform([tokens(article_profile(a), None) for a in articles])) if articles else None
    vocab = {str(f): j for j, f in enumerate(space.feature_names())} if topics else {}
    n = len(rows.ids)
    covered = int(rows.verdict.sum())
    known = _known(rows)
    unanswered = int((known & ~rows.answered).sum()) if known.any() or not n else None  # None: no reply column
    off = int((rows.gap == -1).sum())
    suggest = Suggester(kb, articles, table, rows)
    return {
        "schema": SCHEMA,
        "kb": {"name": kb.config.name, "articles": len(articles), "site_url": kb.config.site_url or "",
               "colors": dict(kb.config.colors)},
        "period": _span(created),
        "calibration": cal.as_dict(),
        "totals": {
            "tickets": n, "covered": covered, "gap": n - covered, "off_topic": off,
            "unanswered": unanswered, "answered": int((known & rows.answered).sum()) if unanswered is not None
            else None,
            "linked": int((np.array(table.linked) >= 0).sum()) if n else 0,
            "coverage": round(covered / n, 4) if n else 0.0,
            "duplicates": table.duplicates, "redacted": dict(sorted(redacted.items())),
        },
        "trend": _trend(periods, gran, rows),
        "gaps": [_gap(i, t, n, periods, table, X, articles, profiles, suggest, vocab) for i, t in enumerate(topics, 1)],
        "off_topic": {"size": off, "examples": _first_texts(table, np.flatnonzero(rows.gap == -1), 5)},
        "articles": _articles(articles, rows, table, X, profiles),
        "unanswered": _unanswered(table, rows, topics, articles),
        "response_times": response_times(table, kb.config.support),
    }


def _span(created: np.ndarray) -> dict:
    ok = created[~np.isnan(created)]
    if not len(ok):
        return {"from": None, "to": None}
    day = lambda s: datetime.fromtimestamp(s, timezone.utc).date().isoformat()  # noqa: E731
    return {"from": day(ok.min()), "to": day(ok.max())}


def _periods(created: np.ndarray) -> tuple[np.ndarray, str]:
    """Period label per ticket ('' when undated): ISO week start for spans under 180 days, else month."""
    ok = ~np.isnan(created)
    out = np.full(len(created), "", dtype=object)
    if not ok.any():
        return out, "week"
    days = (created[ok] // 86400).astype(np.int64)
    if days.max() - days.min() > 180:
        out[ok] = days.astype("datetime64[D]").astype("datetime64[M]").astype(str)
        return out, "month"
    monday = days - (days + 3) % 7
    out[ok] = monday.astype("datetime64[D]").astype(str)
    return out, "week"


def _trend(periods: np.ndarray, gran: str, rows) -> dict:
    keys = sorted({p for p in periods if p})
    out = []
    for key in keys:
        m = periods == key
        cov, tot = int(rows.verdict[m].sum()), int(m.sum())
        out.append({"period": key, "tickets": tot, "covered": cov, "gap": tot - cov,
                    "coverage": round(cov / tot, 4) if tot else 0.0})
    return {"granularity": gran, "periods": out}


def _near_repeat(words: set[str], chosen: list[set[str]], share: float) -> bool:
    """True when `words` shares at least `share` of its union with one of `chosen` (Jaccard)."""
    return any(len(words & w) >= share * max(len(words | w), 1) for w in chosen)


def _first_texts(table, idx, k: int, scan: int = 300, quiet=frozenset()) -> list[str]:
    """Up to k customer messages in `idx` order (see `_first_pairs`)."""
    return [message for message, _ in _first_pairs(table, idx, k, scan, quiet)]


def _first_pairs(table, idx, k: int, scan: int = 300, quiet=frozenset()) -> list[tuple[str, str]]:
    """Up to k (message, question) pairs in `idx` order: the customer's message as whole sentences (no
    subject line or greeting, no sentence of only `quiet` words: phrasing.message_of) and its question
    (phrasing.question_of), skipping near-repeats: a question sharing ≥ 60% of its words with one already chosen."""
    chosen: list[set[str]] = []
    out: list[tuple[str, str]] = []
    for i in idx[:scan]:
        question = question_of(table.texts[i], 10 ** 6)
        words = set(tokens(question)) or set(re.findall(r"[^\W\d_]+", question.lower()))
        if _near_repeat(words, chosen, 0.6):
            continue
        chosen.append(words)
        out.append((message_of(table.texts[i], quiet=quiet), question_of(table.texts[i], 200)))
        if len(out) == k:
            break
    return out


def _examples(table, idx, k: int = 5, least: int = 3, quiet=frozenset()) -> list[tuple[str, str]]:
    """`_first_pairs`, topped up to `least` with other messages (never the same one twice) when the topic
    asks one question in only one or two ways."""
    pairs = _first_pairs(table, idx, k, quiet=quiet)
    seen = {message.casefold() for message, _ in pairs}
    for i in idx[:300]:
        if len(pairs) >= least:
            break
        message = message_of(table.texts[i], quiet=quiet)
        if message.casefold() not in seen:
            seen.add(message.casefold())
            pairs.append((message, question_of(table.texts[i], 200)))
    return pairs


def _representative(members: np.ndarray, centroid, X, limit: int = 2000) -> np.ndarray:
    """Members ordered by closeness to the centroid (a fixed sample of big clusters)."""
    sample = members[np.linspace(0, len(members) - 1, min(limit, len(members))).astype(int)]
    sims = (X[sample] @ centroid.T).toarray().ravel()
    return sample[np.argsort(-sims, kind="stable")]


class Suggester:
    """Level and stage of the article each gap topic calls for, learned from the KB and the log.

    Troubleshooting words are the ones the KB's own troubleshooting articles use clearly more than its
    other articles (kb.stages.level_words; a generic list while it has too few). A topic is
    troubleshooting when the share of its tickets using such a word is at least halfway between that
    share among tickets covered by troubleshooting articles and among tickets covered by other
    articles (one half when the log cannot tell). The stage is the one helpgen.yml's stages give that
    level (kb.stages.stage_roles), so it always exists.
    """

    SAMPLE = 5000  # covered tickets per side used to calibrate

    def __init__(self, kb, articles, table, rows) -> None:
        self.roles = stage_roles(kb.config, articles)
        self.table = table
        docs = [(a.level, tokens(question_text(a), None)) for a in articles]
        self.words = level_words(docs) or frozenset(t for w in TROUBLE_SEED for t in tokens(w, None))
        self.threshold = self._calibrate(articles, rows)

    def uses_words(self, i: int) -> bool:
        toks = self.table.tokens[i] if self.table.tokens else tokens(self.table.texts[i])
        return not self.words.isdisjoint(toks)

    def share(self, idx) -> float:
        """Share of the tickets `idx` that use a troubleshooting word."""
        return sum(self.uses_words(int(i)) for i in idx) / len(idx) if len(idx) else 0.0

    def _calibrate(self, articles, rows) -> float:
        covered = np.flatnonzero(rows.verdict & (rows.article >= 0)) if len(rows.ids) else np.zeros(0, int)
        trouble = np.array([articles[a].level == TROUBLESHOOTING for a in rows.article[covered]], bool)
        sides = [self._sample(covered[trouble]), self._sample(covered[~trouble])]
        if not all(len(s) for s in sides):
            return 0.5
        on, off = self.share(sides[0]), self.share(sides[1])
        return (on + off) / 2 if on > off else 0.5

    def _sample(self, idx: np.ndarray) -> np.ndarray:
        return idx[np.linspace(0, len(idx) - 1, min(self.SAMPLE, len(idx))).astype(int)] if len(idx) else idx

    def level(self, idx) -> str:
        return TROUBLESHOOTING if len(idx) and self.share(idx) >= self.threshold else BEGINNER

    def __call__(self, idx) -> tuple[str, str]:
        """(level, stage) for a topic whose tickets are `idx` (its title: `suggested_title`)."""
        level = self.level(idx)
        return level, self.roles.for_level(level) or ""


def suggested_title(label: str) -> str:
    """The suggested article title: a plain heading derived from the gap's label, a customer question
    ("How do I change my PIN?" -> "Change your PIN"); the question itself when no heading can be made."""
    return heading(label)


def _typical(order: np.ndarray, topic, table, vocab: dict, scan: int = 100) -> np.ndarray:
    """The tickets nearest the centre, re-ranked by how near their question itself is (filler sentences and
    subject lines left out), so examples show the topic's typical questions."""
    cent = topic.centroid.toarray().ravel()
    head = order[:scan]
    score = np.array([question_score(question_of(table.texts[i], 10 ** 6), cent, vocab) for i in head])
    return head[np.argsort(-score, kind="stable")]


def _gap(gid, topic, n, periods, table, X, articles, profiles, suggest: Suggester, vocab) -> dict:
    order = _representative(topic.members, topic.centroid, X)
    pairs = _examples(table, _typical(order, topic, table, vocab), quiet=topic.quiet)
    examples = [message for message, _ in pairs]
    level, stage = suggest(order)
    title = suggested_title(topic.label)
    nearest, score = None, 0.0
    if profiles is not None and profiles.shape[0]:
        sims = (profiles @ topic.centroid.T).toarray().ravel()
        nearest, score = articles[int(sims.argmax())].id, float(sims.max())
    answered = [i for i in order if table.answered[i] and table.reply[i].strip()]
    known = not table.replies_known or any(table.replies_known[i] for i in topic.members)
    n_answered = int(sum(table.answered[i] for i in topic.members)) if known else None  # None: no reply column
    counts = Counter(periods[topic.members])
    return {
        "id": gid, "label": topic.label, "terms": topic.terms, "size": int(len(topic.members)),
        "share": round(len(topic.members) / n, 4) if n else 0.0,
        "trend": [{"period": p, "count": counts[p]} for p in sorted(counts) if p],
        "examples": examples, "questions": [q for _, q in pairs], "nearest_article": nearest, "nearest_score": round(score, 4),
        "suggested_level": level, "suggested_stage": stage, "suggested_title": title,
        "answered": n_answered, "unanswered": None if n_answered is None else int(len(topic.members)) - n_answered,
        "best_reply": _reply(table.reply[answered[0]]) if answered else None,
    }


def _reply(text: str, limit: int = 1000) -> str:
    """The team's reply, whole when it fits, else cut at a word boundary."""
    from helpgen.coverage.phrasing import cut

    return cut(text, limit)


def _articles(articles, rows, table, X, profiles) -> list[dict]:
    out = []
    counts = np.bincount(rows.article[rows.article >= 0], minlength=len(articles)) if articles else []
    linked = np.array(table.linked, int)
    for i, art in enumerate(articles):
        members = np.flatnonzero(rows.article == i) if counts[i] else np.zeros(0, int)
        out.append({"id": art.id, "title": art.title, "covered_tickets": int(counts[i]),
                    "linked_tickets": int((linked == i).sum()),
                    "top_phrasings": _phrasings(art, members, linked, table, X, profiles[i])})
    out.sort(key=lambda a: (-a["covered_tickets"], a["id"]))
    return out


def _question_part(text: str) -> str:
    """The customer's own question (subject line dropped), up to its first '?' (else its first 25 words)."""
    text = " ".join(text.split("\n", 1)[-1].split())
    end = text.find("?")
    if 0 <= end and len(text[:end].split()) < 30:
        return text[:end + 1]
    return message_of(text, 160)  # whole sentences, never cut mid-sentence unless the first is too long


def _phrasings(art, members, linked, table, X, profile, k: int = 5) -> list[str]:
    """Customer phrasings worth adding as `questions`: verified (linked) first, least like the article,
    no two alike (token overlap under one half)."""
    if not len(members):
        return []
    sample = members[np.linspace(0, len(members) - 1, min(400, len(members))).astype(int)]
    sims = (X[sample] @ profile.T).toarray().ravel()
    keyed = sorted(range(len(sample)), key=lambda j: (linked[sample[j]] < 0, sims[j], sample[j]))
    known = [set(tokens(q)) for q in art.questions]
    out, chosen = [], []
    for j in keyed:
        text = _question_part(table.texts[sample[j]])
        toks = set(tokens(text))
        if not 3 <= len(text.split()) <= 25 or not toks:
            continue
        if _near_repeat(toks, known + chosen, 0.5):
            continue
        chosen.append(toks)
        out.append(text)
        if len(out) == k:
            break
    return out


def _known(rows) -> np.ndarray:
    """Per ticket: does the export say whether the team replied (False: it has no reply column)."""
    return np.ones(len(rows.ids), bool) if rows.answered_known is None else rows.answered_known


LISTED_PER_GROUP = 500  # unanswered questions listed per group (the assignments file has every ticket)
LISTED_TOTAL = 5000  # ... and in all groups together, so a million-ticket log gives a readable report


def _unanswered(table, rows, topics=(), articles=()) -> dict:
    known = _known(rows)
    if len(rows.ids) and not known.any():  # the export has no replies: nothing to say about them
        return {"count": None, "share": None, "covered": None, "gap": None, "by_channel": {}, "examples": [], "groups": []}
    idx = np.flatnonzero(known & ~rows.answered)
    chans = Counter(table.channel[i] for i in idx)
    order = sorted(idx, key=lambda i: -(table.created[i] if table.created[i] == table.created[i] else 0))
    return {"count": int(len(idx)), "share": round(len(idx) / len(rows.ids), 4) if len(rows.ids) else 0.0,
            "covered": int(rows.verdict[idx].sum()), "gap": int((~rows.verdict[idx]).sum()),
            "by_channel": dict(sorted(chans.items())), "examples": _first_texts(table, order, 5),
            "groups": _unanswered_groups(table, rows, np.array(order, int), topics, articles)}


def _quiet(topics) -> frozenset:
    return topics[0].quiet if topics else frozenset()


def _unanswered_groups(table, rows, order: np.ndarray, topics, articles) -> list[dict]:
    """Every unanswered ticket (newest first), grouped: by gap (in gap order), then by the article that
    answers it, then off-topic. Each ticket: its id and the customer's question."""
    groups: list[dict] = []
    budget = [LISTED_TOTAL]

    def add(kind: str, key, label: str, members: np.ndarray) -> None:
        if len(members):
            shown = members[:max(0, min(LISTED_PER_GROUP, budget[0]))]
            budget[0] -= len(shown)
            groups.append({"kind": kind, "id": key, "label": label, "count": int(len(members)),
                           "tickets": [{"id": table.ids[i],
                                        "question": message_of(table.texts[i], 200, _quiet(topics))}
                                       for i in shown]})

    gap, art = rows.gap[order], rows.article[order]
    for gid, topic in enumerate(topics, 1):
        add("gap", gid, topic.label, order[gap == gid])
    covered = rows.verdict[order]
    for a in sorted(set(art[covered & (art >= 0)].tolist()), key=lambda a: (-(art == a).sum(), a)):
        add("article", articles[a].id, articles[a].title, order[covered & (art == a)])
    add("off_topic", None, "", order[gap == -1])
    return groups


def _stats(hours: np.ndarray) -> dict:
    if not len(hours):
        return {"tickets": 0, "median_hours": None, "p90_hours": None}
    return {"tickets": int(len(hours)), "median_hours": round(float(np.median(hours)), 1),
            "p90_hours": round(float(np.percentile(hours, 90)), 1)}


def response_times(table, support) -> dict:
    """First-response median and p90 per channel, each against its own promise in helpgen.yml: the
    `support.channels` entry whose kind or name is the ticket's channel, else `support.response_hours`."""
    hours = np.array(table.first_hours, float)
    chans = np.array(table.channel, dtype=object)
    ok = ~np.isnan(hours)
    promise = float(support.response_hours)
    channels = {}
    for ch in sorted(set(chans[ok])):
        st = _stats(hours[ok & (chans == ch)])
        hours_promised, text = _promise_of(ch, support)
        st["promise_hours"], st["promise_text"] = hours_promised, text
        st["kept"] = None if hours_promised is None else (st["p90_hours"] is not None
                                                          and st["p90_hours"] <= hours_promised)
        if st["kept"] is False:
            st["could_promise_hours"] = _round_up(st["p90_hours"])
        channels[ch] = st
    overall = _stats(hours[ok])
    kept = all(s["kept"] is not False for s in channels.values())
    broken = [s["p90_hours"] for s in channels.values() if s["kept"] is False and s["p90_hours"] is not None]
    return {"promise_hours": promise, "promise_text": support.response_time, "channels": channels,
            "all": overall, "kept": kept, "keepable_hours": _round_up(max(broken)) if broken else None,
            "statement": _statement(promise, support.response_time, channels,
                                                                  overall, kept)}


def _promise_of(channel: str, support) -> tuple[float | None, str]:
    """(hours, text) promised for a ticket channel: the configured channel of that kind or name."""
    key = str(channel).strip().casefold()
    for configured in support.channels:
        names = {configured.kind, *(n.casefold() for n in configured.name.values())}
        if key in names:
            return configured.response_hours, configured.text("response_time", "")
    return float(support.response_hours), support.response_time


def _statement(promise, text, channels, overall, kept) -> str:
    if overall["p90_hours"] is None:
        return "No first-response times in these tickets: the promise cannot be checked."
    if kept:
        return (f"The promise is kept: 90% of first replies came within {overall['p90_hours']} h "
                f"(promise: {text}, {promise:g} h).")
    broken = [c for c, s in channels.items() if s["kept"] is False]
    if len({(channels[c]["promise_hours"], channels[c]["promise_text"]) for c in channels}) == 1:
        worst = max(channels[c]["p90_hours"] for c in broken)
        return (f"The promise is NOT kept: you promise {text} ({promise:g} h), but on {', '.join(broken)} 90% of "
                f"first replies took up to {worst} h. Either reply faster or promise {_round_up(worst)} h, which you "
                f"do keep for 9 tickets in 10.")
    parts = [f"on {c} you promise {channels[c]['promise_text']} ({channels[c]['promise_hours']:g} h) but 90% of "
             f"first replies took up to {channels[c]['p90_hours']} h, so promise {channels[c]['could_promise_hours']} h "
             "or reply faster" for c in broken]
    held = [c for c, s in channels.items() if s["kept"]]
    tail = f" Kept on {', '.join(held)}." if held else ""
    return "Not every promise is kept: " + "; ".join(parts) + "." + tail


def _round_up(hours: float) -> int:
    step = 1 if hours < 12 else (4 if hours < 48 else 24)
    return int(-(-hours // step) * step)
