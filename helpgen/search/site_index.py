"""Material search settings and the post-build rewrite of search/search_index.json.

SITE calls `search_plugin_config(kb)` for the `search` plugin options in mkdocs.yml and
`postprocess_search_index(site_dir, kb)` on the temporary build folder after `mkdocs build`.
The rewrite adds each article's questions, summary, error codes and glossary aliases as extra
lunr fields with boosts, keeps listing pages from crowding out articles, and stores what the
override script (site_template/assets/search/helpgen-search.js) needs under `config.helpgen`.
`helpgen search` builds its lunr.py index from the same documents (see helpgen.search.index).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from lunr.pipeline import Pipeline
from lunr.stemmer import PorterStemmer
from lunr.stop_word_filter import stop_word_filter

from helpgen.kb.model import Article, KnowledgeBase
from helpgen.kb.search_terms import SearchTerms, load_search_terms
from helpgen.search import rerank
from helpgen.text import (CJK, CJK_RUN, CJK_WORD, QUERY_STOP_WORDS_EN, STOP_WORDS_ZH, SEPARATOR, quiet_jieba,
                          split_words)
from helpgen.urls import site_article_url

# Field boosts (lunr field boosts multiply a field's BM25 score). Measured with the e2e questions
# and the BANKING77 sample: see docs/search.md. Material's defaults are title 1e3, tags 1e6.
FIELDS: dict[str, float] = {
    "title": 8.0,
    "questions": 6.0,
    "summary": 3.0,
    "tags": 3.0,
    "codes": 50.0,  # short codes such as E1023 or P-3030
    "messages": 4.0,  # error messages as the product shows them
    "keywords": 2.0,
    "learned": 6.0,  # words customers use for the article (KB/search-terms.yml), never shown
    "pairs": 1.0,  # adjacent word pairs of the title and questions: a phrase match scores twice
    "text": 1.0,
}
ARTICLE_BOOST = 1.0  # document boost of an article's top entry
SECTION_BOOST = 0.5  # an article's sections (headings): they share the article's result group
LISTING_BOOST = 0.05  # generated listing pages (stages, levels, handbook, indexes)
DROPPED_PAGES = ("", "index.html", "404.html", "404/")  # home and 404: never a search result
TOP_TROUBLESHOOTING = 5
SEPARATOR_JS = SEPARATOR[:-2] + r"\u200b]+"  # + the zero-width space Material puts around jieba segments


def is_chinese(lang: str) -> bool:
    return lang.lower().startswith("zh")


def search_plugin_config(kb: KnowledgeBase, *, lang: str = "") -> dict:
    """Options of Material's `search` plugin (the same for every language of the KB)."""
    return plugin_config_for(lang or kb.config.language)


def plugin_config_for(lang: str) -> dict:
    """Options of Material's `search` plugin for one language.

    No `trimmer`: lunr.js trims with a non-Unicode \\W, which deletes Chinese words whole; the
    separator already splits on punctuation. `lang: en` everywhere: Chinese is segmented by jieba
    at build time and by Material's worker at query time, not by a lunr language plugin.
    """
    return {
        "lang": ["en"],
        "separator": SEPARATOR_JS,
        "pipeline": ["stopWordFilter", "stemmer"],
        "fields": {name: {"boost": boost} for name, boost in FIELDS.items()},
    }


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------

def segment_han(text: str, lang: str) -> str:
    """Chinese runs segmented by jieba and joined by zero-width spaces, as Material indexes them."""
    if not is_chinese(lang) or not CJK.search(text):
        return text
    jieba = quiet_jieba()

    def cut(match: re.Match) -> str:
        return "\u200b" + "\u200b".join(jieba.cut(match.group(0))) + "\u200b"

    return CJK_RUN.sub(cut, text).strip("\u200b")


def glossary_keywords(kb: KnowledgeBase, article: Article) -> list[str]:
    """Glossary terms and aliases, and `search.synonyms` groups, for every one the article mentions."""
    haystack = " ".join([article.title, article.summary, *article.questions, *article.tags, article.body]).lower()
    words: list[str] = []
    for term in kb.glossary:
        if term.lang not in ("", article.lang) and article.lang:
            continue
        names = [term.term, *term.aliases]
        if any(_mentions(haystack, name.lower()) for name in names):
            words.extend(n for n in names if n not in words)
    for group in kb.config.search.synonyms:  # `search.synonyms` in helpgen.yml
        if any(_mentions(haystack, name.lower()) for name in group):
            words.extend(n for n in group if n not in words)
    return words


def _mentions(haystack: str, name: str) -> bool:
    if not name or name not in haystack:  # the cheap substring test rules out almost every term
        return False
    if CJK.search(name):
        return True
    return re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", haystack) is not None


def is_code(value: str) -> bool:
    """An error code (one token with a digit, e.g. E1023, P-3030) rather than a message."""
    return " " not in value.strip() and any(ch.isdigit() for ch in value)


def message_key(message: str) -> str:
    """An error message as the query rewrite compares it: lower-case words joined by spaces."""
    return " ".join(w for w in _SPLIT_JS.split(message.lower()) if w)


def message_token(message: str) -> str:
    """A search term only this message's article has (digits last: the stemmer leaves it alone)."""
    import hashlib

    return "hgm" + str(int(hashlib.sha1(message_key(message).encode("utf-8")).hexdigest(), 16))[:12]


def article_fields(kb: KnowledgeBase, article: Article, lang: str) -> dict[str, Any]:
    """The extra fields helpgen adds to an article's top search entry."""
    codes = [c for c in article.error_codes if is_code(c)]
    messages = [c for c in article.error_codes if not is_code(c)]
    return {
        "questions": segment_han(" \n".join(article.questions), lang),
        "summary": segment_han(article.summary, lang),
        "codes": " ".join(codes + [message_token(m) for m in messages]),
        "messages": segment_han(" \n".join(messages), lang),
        "keywords": segment_han(" ".join(glossary_keywords(kb, article)), lang),
        "pairs": " ".join(dict.fromkeys(p for text in (article.title, *article.questions)
                                        for p in word_pairs(w for w in split_words(text) if w not in QUERY_STOP_WORDS_EN))),
        "learned": segment_han(" \n".join(learned_terms(kb).terms_of(article.id, article.lang, kb.config.language)),
                               lang),
    }


class _BrowserStemmer(PorterStemmer):
    """lunr.py's Porter stemmer with lunr.js's step 1c, so Python stems every word as the browser
    does: lunr.py turns a final y after a vowel into i ("money" -> monei, "day" -> dai), lunr.js
    only after a consonant ("cry" -> cri, "money" -> money)."""

    def step1c(self) -> None:
        if self.ends("y") and self.k - 1 > self.k0 and self.b[self.k - 1] not in "aeiou":
            self.b = self.b[: self.k] + "i" + self.b[self.k + 1:]


_BROWSER_STEMMER = _BrowserStemmer()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Porter stem of an ASCII word exactly as Material's lunr.js (and helpgen-stemmer.js) make it."""
    return _BROWSER_STEMMER.stem(word) if word.isascii() else word


def browser_stemmer(token, i=None, tokens=None):
    """lunr.py pipeline function: `stem` (the browser's stemmer) on each token."""
    return token.update(lambda text, metadata=None: stem(text))


Pipeline.register_function(browser_stemmer, "helpgenStemmer")

PAIR_JOIN = "0"  # joins a pair's stems into one index token (kept whole by the separator and the stemmer)
_ALPHA = re.compile(r"^[a-z]+$")


def word_pairs(words: Iterable[str]) -> list[str]:
    """Tokens for each two adjacent words (stop words already dropped), stems in sorted order:
    "invoice sent" and "sent invoice" both give `invoic0sent`. Only plain a-z words take part;
    helpgen-search.js builds the same tokens for the query."""
    stems = [stem(w) for w in words if _ALPHA.match(w)]
    return [PAIR_JOIN.join(sorted((a, b))) for a, b in zip(stems, stems[1:]) if a != b]


_TERMS_CACHE: dict[tuple, SearchTerms] = {}


def learned_terms(kb: KnowledgeBase) -> SearchTerms:
    """KB/search-terms.yml (read once per file version; problems are `helpgen check`'s business)."""
    path = Path(kb.root) / "search-terms.yml"
    try:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return SearchTerms()
    if key not in _TERMS_CACHE:
        _TERMS_CACHE.clear()
        _TERMS_CACHE[key] = load_search_terms(kb.root)
    return _TERMS_CACHE[key]


def language_articles(kb: KnowledgeBase, lang: str) -> dict[str, Article]:
    """Page URL (relative to the site root, no anchor) -> article, for one language."""
    out: dict[str, Article] = {}
    for article in kb.in_language(lang):
        out[site_url_of(kb, article)] = article
    return out


def site_url_of(kb: KnowledgeBase, article: Article) -> str:
    return site_article_url(kb, article)


Fields = Callable[[Article, str], dict]  # (article, language) -> article_fields, e.g. from a cache


def rewrite_docs(docs: list[dict], kb: KnowledgeBase, lang: str, prefix: str,
                 fields: Fields | None = None) -> list[dict]:
    """Boost articles, add their fields, push listing pages down, drop home and 404."""
    articles = language_articles(kb, lang)
    seen: set[str] = set()
    out: list[dict] = []
    for doc in docs:
        page, _, anchor = doc["location"].partition("#")
        article = articles.get(prefix + page) or articles.get(page)
        if article is None:
            if page in DROPPED_PAGES or page.rstrip("/").endswith("404"):
                continue
            if anchor:
                continue  # sections of listing pages repeat article titles and summaries
            out.append({**doc, "boost": LISTING_BOOST})
            continue
        if anchor:
            out.append({**doc, "boost": SECTION_BOOST})
            continue
        seen.add(article.id)
        out.append(article_doc(kb, article, lang, doc, fields))
    for url, article in sorted(articles.items()):
        if article.id not in seen:  # never silently drop an article from search
            out.append(article_doc(kb, article, lang, {"location": url[len(prefix):] if url.startswith(prefix) else url,
                                                       "title": segment_han(article.title, lang),
                                                       "text": segment_han(article.summary, lang)}, fields))
    return out


def article_doc(kb: KnowledgeBase, article: Article, lang: str, doc: dict, fields: Fields | None = None) -> dict:
    extra = fields(article, lang) if fields else article_fields(kb, article, lang)
    out = {**doc, **extra, "boost": ARTICLE_BOOST}
    out["tags"] = list(doc.get("tags") or article.tags)
    return out


# ---------------------------------------------------------------------------------------------
# What the override script needs: stop words, error codes, the no-results help
# ---------------------------------------------------------------------------------------------

def zh_query_stop_words() -> list[str]:
    """Chinese words removed from queries: the multi-character ones plus particles that are never
    part of a content word (single characters such as 有 or 会 are, so they stay); longest first."""
    words = {w for w in STOP_WORDS_ZH if len(w) > 1} | set("的了吗呢吧啊")
    return sorted(words, key=lambda w: (-len(w), w))


HAN_WORD = CJK_WORD
_SPLIT_JS = re.compile(SEPARATOR[:-2] + "\u200b]+")


def han_vocabulary(docs: Iterable[dict]) -> list[str]:
    """Every Chinese word of the index (as jieba cut it): the browser segments queries with it."""
    words: set[str] = set()
    for doc in docs:
        for name in FIELDS:
            value = doc.get(name)
            value = " ".join(value) if isinstance(value, list) else str(value or "")
            words.update(w for w in _SPLIT_JS.split(value.lower()) if w and HAN_WORD.match(w))
    return sorted(words)


MIN_INFIX = 6  # a query stem this long that starts no word of the index is looked for inside words


def long_words(docs: Iterable[dict]) -> list[str]:
    """The index's plain words (Porter stems of MIN_INFIX+ letters a-z), sorted.

    The query rewrite (helpgen-search.js, index.rewrite_query) sends a query word whose stem starts
    none of them as `*stem*`, so that it is found inside the KB's longer words ("schedule" in
    "reschedule", "authorise" in "preauthorise"). Every word of the index that such a stem could
    start is in the list (a stem never starts a shorter word)."""
    raw: set[str] = set()
    for doc in docs:
        for name in FIELDS:
            value = doc.get(name)
            value = " ".join(value) if isinstance(value, list) else str(value or "")
            raw.update(_SPLIT_JS.split(value.lower()))
    out = {stem(w) for w in raw if len(w) >= MIN_INFIX and _ALPHA.match(w) and stop_word_filter(w)}
    return sorted(w for w in out if len(w) >= MIN_INFIX)


def help_data(kb: KnowledgeBase, lang: str, prefix: str, docs: Iterable[dict] = ()) -> dict[str, Any]:
    """`config.helpgen` of a language's search index: read by helpgen-search.js."""
    articles = kb.in_language(lang)
    trouble = sorted((a for a in articles if a.level == "troubleshooting"),
                     key=lambda a: (a.order if a.order is not None else 10**6, a.title))
    support, feedback = kb.config.support, kb.config.feedback
    return {
        "lang": lang,
        "stop_words": zh_query_stop_words() if is_chinese(lang) else sorted(QUERY_STOP_WORDS_EN),
        "vocabulary": han_vocabulary(docs) if is_chinese(lang) else [],
        "words": long_words(docs),
        "min_infix": MIN_INFIX,
        "messages": message_tokens(articles),
        "codes": {code.lower(): _rel(site_url_of(kb, a), prefix) for a in articles for code in a.error_codes},
        "troubleshooting": [{"title": a.title, "url": _rel(site_url_of(kb, a), prefix)}
                            for a in trouble[:TOP_TROUBLESHOOTING]],
        "support": {"email": support.email, "url": support.url,
                    "response_time": response_phrase(support.response_time, lang)},
        "feedback": {"url": feedback.url, "failed_searches": feedback.failed_searches},
        "text": help_text(lang),
        **_rerank_data(kb, lang, prefix),
    }


def _rerank_data(kb: KnowledgeBase, lang: str, prefix: str) -> dict[str, Any]:
    """`rerank`: ticket counts per article URL for helpgen-rerank.js (absent without counts)."""
    urls = {a.id: _rel(site_url_of(kb, a), prefix) for a in kb.in_language(lang)}
    data = rerank.evidence_data(rerank.evidence_of(kb, learned_terms(kb), lang, stem, urls.__getitem__))
    return {"rerank": data} if data else {}


def message_tokens(articles: Iterable[Article]) -> dict[str, str]:
    """Error message (as compared) -> its token, for the query rewrite."""
    return dict(sorted((message_key(m), message_token(m)) for a in articles for m in a.error_codes
                       if not is_code(m) and message_key(m)))


def _rel(url: str, prefix: str) -> str:
    return url[len(prefix):] if prefix and url.startswith(prefix) else url


def response_phrase(response_time: str, lang: str) -> str:
    """"2 business days" -> "within 2 business days" (kept as written when it already says so)."""
    text = response_time.strip()
    if is_chinese(lang) or re.match(r"(?i)(within|in|under|by)\b", text):
        return text
    return f"within {text}"


def help_text(lang: str) -> dict[str, str]:
    if is_chinese(lang):
        return {"none": "没有找到相关文章。试试这些常见问题：", "contact": "仍需帮助？请联系我们（回复时间：{time}）。",
                "email": "发送邮件", "url": "联系客服", "report": "告诉我们您在找什么"}
    return {"none": "No article matches yet. These answer the most common problems:",
            "contact": "Still need help? Contact us: we reply {time}.",
            "email": "Email us", "url": "Contact support", "report": "Tell us what you were looking for"}


# ---------------------------------------------------------------------------------------------
# The post-build step
# ---------------------------------------------------------------------------------------------

def index_files(site_dir: Path) -> list[Path]:
    """Every search/search_index.json of the built site (one per language with i18n)."""
    return sorted(p for p in Path(site_dir).glob("**/search/search_index.json"))


def language_of(kb: KnowledgeBase, site_dir: Path, index_path: Path) -> tuple[str, str]:
    """(language, URL prefix) of one search index from its folder: `zh/search/...` -> ("zh", "zh/")."""
    rel = index_path.parent.parent.relative_to(site_dir).as_posix()
    if rel in ("", "."):
        return kb.config.language, ""
    return rel.split("/")[0], rel.split("/")[0] + "/"


def postprocess_search_index(site_dir: Path, kb: KnowledgeBase, fields: Fields | None = None) -> None:
    """Rewrite every search index of a freshly built site (and its offline `search_index.js`).
    The site build then indexes the site with Pagefind when helpgen.search.pagefind_index.backend says so.
    `fields(article, lang)` gives article_fields (the site build's cache of them), when given."""
    site_dir = Path(site_dir)
    for path in index_files(site_dir):
        lang, prefix = language_of(kb, site_dir, path)
        data = json.loads(path.read_text(encoding="utf-8"))
        data["docs"] = rewrite_docs(data.get("docs", []), kb, lang, prefix, fields)
        data.setdefault("config", {})["helpgen"] = help_data(kb, lang, prefix, data["docs"])
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
        path.write_text(text, encoding="utf-8")
        offline = path.with_name("search_index.js")
        if offline.exists():
            offline.write_text(f"var __index = {text}", encoding="utf-8")
