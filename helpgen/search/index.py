"""`helpgen search`: the site's search, run in Python with lunr.py.

The index has the same documents, fields, boosts, separator and pipeline as the site's
search_index.json (helpgen.search.site_index), the query gets the same rewrite as the browser's
override script (helpgen-search.js), and results get Material's post-query boost and grouping by
article. Differences from the browser are listed in docs/search.md.
"""
from __future__ import annotations

import bisect
import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from lunr.builder import Builder
from lunr.stop_word_filter import stop_word_filter

from helpgen.kb.model import Article, KnowledgeBase
from helpgen.search import rerank, site_index
from helpgen.search.site_index import browser_stemmer, stem
from helpgen.text import CJK_RUN, QUERY_STOP_WORDS_EN

SEP = re.compile(site_index.SEPARATOR_JS.replace(r"\u200b", "\u200b"))
HAN_RUN = CJK_RUN
MODIFIED = re.compile(r"(^[+\-]|[~^]\d+$)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.M)


@dataclass(frozen=True)
class Hit:
    id: str  # article id, or the page URL for a non-article page
    title: str
    score: float
    url: str


@dataclass
class SearchIndex:
    index: object
    docs: dict[str, dict]
    pages: dict[str, Article]  # page URL -> article
    lang: str
    vocabulary: frozenset[str] = field(default_factory=frozenset)
    messages: dict[str, str] = field(default_factory=dict)  # error message -> its token
    words: tuple[str, ...] = ()  # site_index.long_words: the index's long words, for the query rewrite
    evidence: rerank.Evidence = field(default_factory=dict)  # ticket counts per article id (rerank.py)


# ---------------------------------------------------------------------------------------------
# Documents from the KB (the site gets Material's HTML parse of the same Markdown)
# ---------------------------------------------------------------------------------------------

def plain_text(markdown: str) -> str:
    """Markdown to the words a reader sees (links keep their text, markup is dropped)."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>|[*_`>#|]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def slug(title: str) -> str:
    return re.sub(r"[^\w]+", "-", title.lower()).strip("-")


def article_documents(kb: KnowledgeBase, article: Article, lang: str) -> list[dict]:
    """The article's top entry (with helpgen's fields) and one entry per heading, as on the site."""
    url = site_index.site_url_of(kb, article)
    parts = HEADING.split(article.body)
    top = {"location": url, "title": article.title, "text": plain_text(parts[0]), "tags": list(article.tags)}
    docs = [site_index.article_doc(kb, article, lang, _segment_fields(top, lang))]
    for i in range(1, len(parts) - 2, 3):
        title = parts[i + 1]
        section = {"location": f"{url}#{slug(title)}", "title": title, "text": plain_text(parts[i + 2]),
                   "boost": site_index.SECTION_BOOST}
        docs.append(_segment_fields(section, lang))
    return docs


def _segment_fields(doc: dict, lang: str) -> dict:
    return {k: site_index.segment_han(v, lang) if k in ("title", "text") else v for k, v in doc.items()}


def kb_documents(kb: KnowledgeBase, lang: str = "") -> list[dict]:
    lang = lang or kb.config.language
    docs: list[dict] = []
    for article in kb.in_language(lang):
        docs.extend(article_documents(kb, article, lang))
    return docs


# ---------------------------------------------------------------------------------------------
# Index
# ---------------------------------------------------------------------------------------------

def analysed(value: object) -> str:
    """Split like Material's tokenizer (its separator), so lunr.py's whitespace split agrees."""
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    return " ".join(w for w in SEP.split(str(value or "").lower()) if w)


def build_index(kb: KnowledgeBase, lang: str = "", docs: Sequence[dict] | None = None) -> SearchIndex:
    """A lunr.py index with the site's fields, boosts and pipeline (b = 0, as Material sets)."""
    lang = lang or kb.config.language
    docs = list(docs if docs is not None else kb_documents(kb, lang))
    pages = {site_index.site_url_of(kb, a): a for a in kb.in_language(lang)}
    if not docs:
        return SearchIndex(None, {}, pages, lang)
    builder = Builder()
    builder.pipeline.add(stop_word_filter, browser_stemmer)  # as plugin_config_for: no trimmer
    builder.search_pipeline.add(browser_stemmer)
    builder.b(0)
    builder.ref("location")
    for name, boost in site_index.FIELDS.items():
        builder.field(name, boost=boost, extractor=lambda d, n=name: analysed(d.get(n)))
    for doc in docs:
        builder.add(doc, {"boost": doc.get("boost", 1)})
    index = builder.build()
    messages = site_index.message_tokens(kb.in_language(lang))
    return SearchIndex(index, {d["location"]: d for d in docs}, pages, lang, frozenset(index.inverted_index),
                       messages, tuple(site_index.long_words(docs)),
                       rerank.evidence_of(kb, site_index.learned_terms(kb), lang, stem))


# ---------------------------------------------------------------------------------------------
# Query: the browser's rewrite (helpgen-search.js), then Material's own transformation
# ---------------------------------------------------------------------------------------------

def split_han(run: str, vocabulary: frozenset[str], longest: int = 8) -> list[str]:
    """Forward maximum matching against the index's Chinese words (as helpgen-search.js does)."""
    words, i = [], 0
    while i < len(run):
        j = next((j for j in range(min(len(run), i + longest), i, -1) if run[i:j] in vocabulary), i + 1)
        words.append(run[i:j])
        i = j
    return words


def message_terms(query: str, messages: dict[str, str]) -> list[str]:
    """Tokens of the error messages a query contains (pasted from the product)."""
    key = f" {site_index.message_key(query)} "
    return [token + "*" for message, token in messages.items()
            if key.strip() == message or (" " in message and f" {message} " in key)]


MIN_PREFIX = 3  # a Porter stem shorter than this is sent as an exact word, never as a prefix


def starts_a_word(root: str, words: Sequence[str]) -> bool:
    """Whether any of the sorted `words` starts with `root` (a binary search, as helpgen-search.js does)."""
    i = bisect.bisect_left(words, root)
    return i < len(words) and words[i].startswith(root)


def rewrite_query(query: str, lang: str = "en", vocabulary: frozenset[str] = frozenset(),
                  messages: dict[str, str] | None = None, long_words: Sequence[str] | None = None) -> str:
    """What helpgen-search.js sends to Material's worker instead of the typed query.

    `long_words` are the index's long words (site_index.long_words); with them, a stem of MIN_INFIX+
    letters that starts none of them is sent as `*stem*`, found inside longer words."""
    if re.search(r"(^|\s)[+\-]\S|[~^*\"]", query):
        return query
    extra = message_terms(query, messages or {})
    chinese = site_index.is_chinese(lang)
    stops = set(site_index.zh_query_stop_words()) if chinese else QUERY_STOP_WORDS_EN
    text = query.lower()
    for word in site_index.zh_query_stop_words() if chinese else ():
        text = text.replace(word, " ")
    if vocabulary:
        text = HAN_RUN.sub(lambda m: " " + " ".join(split_han(m.group(0), vocabulary)) + " ", text)
    out: list[str] = []
    words = [w for w in SEP.split(text) if w and w not in stops]
    for word in words:
        if not word.isascii():
            term = word
        elif len(stem(word)) < MIN_PREFIX:  # "gas" -> ga*, "use" -> us* would find garage, usual
            term = word + "^2"  # exact only, weighing what an exact match of both terms weighs
        else:  # the word itself (stemmed by lunr, exact match) plus its stem as a prefix: docs/search.md
            if word + "^1" not in out:
                out.append(word + "^1")
            root = stem(word)
            inside = (long_words is not None and len(root) >= site_index.MIN_INFIX
                      and not starts_a_word(root, long_words))
            term = ("*" if inside else "") + root + "*"
        if term not in out:
            out.append(term)
    out += [t + "^1" for t in site_index.word_pairs(words) if t + "^1" not in out]  # phrase bonus
    out += [t for t in extra if t not in out]
    return " ".join(out) if out else query


def segment(query: str, vocabulary: frozenset[str]) -> list[str]:
    """Material's greedy Chinese query segmentation against the index vocabulary (segment/index.ts)."""
    n = len(query)
    cuts = [0] * (n + 1)
    for i in range(n):
        for j in range(i + 1, n):
            if query[i:j] in vocabulary:
                cuts[i] = j - i
    segments: list[str] = []
    stack = [0]
    while stack:
        p = stack.pop()
        for q in range(1, cuts[p]):
            if cuts[p + q] > cuts[p] - q:
                _add(segments, query[p:p + q])
                stack.append(p + q)
        q = p + cuts[p]
        if q < n and cuts[q] and q < n - 1:
            stack.append(q)
        _add(segments, query[p:q])
    return [query] if "" in segments else segments


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def material_query(query: str, vocabulary: frozenset[str]) -> str:
    """Material's worker (query/transform): segment Han runs, split each whitespace part with the
    separator keeping its +/- prefix and ~N/^N suffix, add `*` to terms without a modifier."""
    query = HAN_RUN.sub(lambda m: "* ".join(segment(m.group(0), vocabulary)), query)
    terms = []
    for part in query.strip().split():
        m = re.match(r"^([+\-]?)(.*?)([~^]\d+)?$", part)
        prefix, core, suffix = m.group(1), m.group(2).rstrip("*"), m.group(3) or ""
        for word in (w for w in SEP.split(core) if w):
            term = prefix + word + suffix
            terms.append(term if MODIFIED.search(term) else term + "*")
    return " ".join(dict.fromkeys(terms))


def clause_term(term: str) -> str:
    """A query term as Material's worker compares it with the matched terms (a `*` at either end dropped)."""
    return re.sub(r"^[+\-]|[~^]\d+$|\*$", "", term).lstrip("*")


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------

def search(idx: SearchIndex, query: str, limit: int = 10) -> list[Hit]:
    """Ranked articles (pages) for a customer query, as the site shows them."""
    if idx.index is None:
        return []
    han = frozenset(w for w in idx.vocabulary if site_index.HAN_WORD.match(w)) if site_index.is_chinese(idx.lang) \
        else frozenset()
    lunr_query = material_query(rewrite_query(query, idx.lang, han, idx.messages, idx.words), idx.vocabulary)
    if not lunr_query:
        return []
    clauses = [clause_term(t) for t in lunr_query.split() if not t.startswith("-")]
    scored = []
    for result in idx.index.search(lunr_query):
        doc = idx.docs[result["ref"]]
        matched = list(result["match_data"].metadata)
        scored.append((result["score"] * (1 + _post_boost(doc, clauses, matched) ** 2), doc))
    scored.sort(key=lambda item: -item[0])
    hits: dict[str, Hit] = {}
    for score, doc in scored:
        page = doc["location"].split("#")[0]
        if page not in hits:
            article = idx.pages.get(page)
            hits[page] = Hit(article.id if article else page, article.title if article else doc["title"],
                             round(score, 3), page)
    ranked = rerank.rerank(list(hits.values()), query, idx.evidence, lambda h: h.id, lambda h: h.score, stem)
    return ranked[:limit]


def _post_boost(doc: dict, clauses: list[str], matched: list[str]) -> float:
    """Material: +1 for a page's top entry, + the share of query terms the entry matched."""
    terms: dict[str, bool] = {}
    left = list(dict.fromkeys(clauses))
    for term in matched:
        for clause in list(left):
            if term.startswith(clause):
                terms[clause] = True
                left.remove(clause)
    for clause in left:
        if stop_word_filter(clause):
            terms[clause] = False
    share = sum(terms.values()) / len(terms) if terms else math.nan
    boost = (0 if "#" in doc["location"] else 1) + share
    return 0.0 if math.isnan(boost) else boost


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Miss:
    question: str
    expected: str
    first: str  # what came first instead ("" = nothing)
    rank: int  # 0 = not in the results


@dataclass(frozen=True)
class Evaluation:
    total: int
    recall_at_1: float
    recall_at_3: float
    mrr: float
    misses: tuple[Miss, ...]


def evaluate(ranked: Iterable[tuple[str, Sequence[str], list[str]]], depth: int = 3) -> Evaluation:
    """Figures for (question, expected ids, ranked ids) triples; a miss = not in the top `depth`."""
    total = hit1 = hit3 = 0
    rr = 0.0
    misses: list[Miss] = []
    for question, expected, ids in ranked:
        total += 1
        rank = next((i + 1 for i, got in enumerate(ids) if got in expected), 0)
        hit1 += rank == 1
        hit3 += 0 < rank <= depth
        rr += 1 / rank if rank else 0.0
        if not 0 < rank <= depth:
            misses.append(Miss(question, "|".join(expected), ids[0] if ids else "", rank))
    div = total or 1
    return Evaluation(total, hit1 / div, hit3 / div, rr / div, tuple(misses))


def read_questions(path: Path) -> list[tuple[str, list[str]]]:
    """Rows of a `question,expected_article` CSV (several ids may be separated by `|`)."""
    from helpgen.errors import ContentError
    from helpgen.encoding import read_text_file  # the encoding detection of ticket CSVs (Latin-1, GBK...)

    with io.StringIO(read_text_file(path), newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"question", "expected_article"} <= set(reader.fieldnames):
            raise ContentError("needs the columns `question,expected_article` in its first line", str(path), 1)
        rows = []
        try:
            rows_read = list(enumerate(reader, start=2))
        except csv.Error as exc:
            raise ContentError(f"not a readable CSV file ({exc}), save it as CSV UTF-8", str(path), reader.line_num) from None
        for line, row in rows_read:
            question, expected = (row.get("question") or "").strip(), (row.get("expected_article") or "").strip()
            if not question or not expected:
                raise ContentError("empty question or expected_article, fill both columns", str(path), line)
            rows.append((question, [e.strip() for e in expected.split("|") if e.strip()]))
    return rows


def evaluate_file(idx: SearchIndex, path: Path, limit: int = 10) -> Evaluation:
    rows = read_questions(path)
    return evaluate((q, exp, [h.id for h in search(idx, q, limit)]) for q, exp in rows)
