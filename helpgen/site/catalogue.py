"""The machine-readable files at the site root: articles.json, errors.json and the What's new feed.

articles.json and errors.json are documented in docs/articles-json.md; their schema is stable.
"""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from helpgen.kb.checks import today_default
from helpgen.kb.model import Article, Entry, KnowledgeBase, Notice
from helpgen.urls import article_url, lang_prefix, page_url

FEED_FILE = "feed.xml"
NOTICES_FILE = "notices.json"
WHATS_NEW_DOC = "whats-new.md"
KNOWN_ISSUES_DOC = "known-issues.md"


def entry_slug(entry: Entry) -> str:
    """Anchor of a What's new entry on its page."""
    if entry.slug:
        return entry.slug
    words = re.sub(r"[^\w]+", "-", entry.title.lower(), flags=re.UNICODE).strip("-")
    return f"{entry.date.isoformat()}-{words}" if words else entry.date.isoformat()


def article_record(kb: KnowledgeBase, article: Article, directory_urls: bool = True) -> dict:
    """One object of articles.json (schema helpgen.articles/1)."""
    return {
        "id": article.id,
        "url": article_url(kb, article, directory_urls=directory_urls),
        "title": article.title,
        "summary": article.summary,
        "level": article.level,
        "stages": list(article.stages),
        "tags": list(article.tags),
        "error_codes": list(article.error_codes),
        "questions": list(article.questions),
        "updated": article.updated.isoformat() if article.updated else None,
        "lang": article.lang or kb.config.language,
    }


def articles_json(kb: KnowledgeBase, directory_urls: bool = True) -> list[dict]:
    """Every published article of every language, sorted by (lang, id)."""
    records = [article_record(kb, a, directory_urls) for a in kb.published]
    return sorted(records, key=lambda r: (r["lang"] != kb.config.language, r["lang"], r["id"]))


def errors_json(kb: KnowledgeBase, lang: str = "", directory_urls: bool = True) -> dict[str, dict]:
    """Error code -> {url, title, id} for one language, sorted by code."""
    out: dict[str, dict] = {}
    for article in kb.in_language(lang):
        for code in article.error_codes:
            out.setdefault(code, {"url": article_url(kb, article, directory_urls=directory_urls),
                                  "title": article.title, "id": article.id, "summary": article.summary})
    return dict(sorted(out.items()))


def notices_in(kb: KnowledgeBase, lang: str = "") -> list[Notice]:
    """Every notice in one language (an untranslated one in the default language), newest first."""
    key = "" if lang in ("", kb.config.language) else lang
    own = {n.id: n for n in kb.notices if n.lang == key}
    for n in kb.notices:
        if n.lang == "":
            own.setdefault(n.id, n)
    return sorted(own.values(), key=lambda n: (-n.since.toordinal(), n.id))


def notices_json(kb: KnowledgeBase, lang: str, today: date, directory_urls: bool = True) -> dict:
    """The active notices of one language, with the URLs (from the site root) of the articles they affect."""
    page = lang_prefix(kb, lang) + page_url(KNOWN_ISSUES_DOC, directory_urls)
    articles = kb.in_language(lang) or kb.in_language("")
    records = []
    for n in notices_in(kb, lang):
        if n.status(today) != "active":
            continue
        affected = [a for a in articles if n.affects_article(a)] if n.affects else []
        records.append({"id": n.id, "title": n.title, "severity": n.severity, "since": n.since.isoformat(),
                        "until": n.until.isoformat() if n.until else None, "body": n.body.strip(),
                        "url": f"{page}#{n.anchor}", "affects": list(n.affects),
                        "articles": [article_url(kb, a, directory_urls=directory_urls) for a in affected]})
    return {"schema": "helpgen.notices/1", "notices": records}


def atom_feed(kb: KnowledgeBase, lang: str = "", directory_urls: bool = True, today: date | None = None) -> str:
    """An Atom feed of the What's new entries (newest first); dates come from the entries only."""
    cfg = kb.config
    base = cfg.site_url.rstrip("/") + "/" if cfg.site_url else ""
    page = base + lang_prefix(kb, lang) + page_url(WHATS_NEW_DOC, directory_urls)
    entries = [e for e in kb.entries if e.lang in ("", lang) or (lang == cfg.language and not e.lang)]
    updated = f"{entries[0].date.isoformat()}T00:00:00Z" if entries else "1970-01-01T00:00:00Z"
    feed_id = page if base else f"urn:helpgen:{_urn(cfg.name)}:whats-new"
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(lang or cfg.language)}>',
             f"  <title>{escape(cfg.name)}</title>", f"  <id>{escape(feed_id)}</id>",
             f"  <link rel=\"alternate\" href={quoteattr(page)}/>", f"  <updated>{updated}</updated>",
             f"  <author><name>{escape(cfg.name)}</name></author>"]
    items = [(e.date, 1, _feed_entry(e, page, feed_id)) for e in entries]
    if today is not None:
        issues = base + lang_prefix(kb, lang) + page_url(KNOWN_ISSUES_DOC, directory_urls)
        items += [(n.since, 0, _notice_entry(n, issues, feed_id)) for n in notices_in(kb, lang)
                  if n.status(today) == "active"]
    for _, _, lines_of in sorted(items, key=lambda t: (t[0], -t[1]), reverse=True):
        lines += lines_of
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _feed_entry(entry: Entry, page: str, feed_id: str) -> list[str]:
    slug = entry_slug(entry)
    return ["  <entry>", f"    <title>{escape(entry.title)}</title>",
            f"    <id>{escape(feed_id)}#{escape(slug)}</id>",
            f"    <link rel=\"alternate\" href={quoteattr(page + '#' + slug)}/>",
            f"    <updated>{entry.date.isoformat()}T00:00:00Z</updated>",
            f"    <summary type=\"text\">{escape(entry.body.strip())}</summary>", "  </entry>"]


def _notice_entry(notice: Notice, page: str, feed_id: str) -> list[str]:
    return ["  <entry>", f"    <title>{escape(notice.title)}</title>",
            f"    <id>{escape(feed_id)}#{escape(notice.anchor)}</id>",
            f"    <link rel=\"alternate\" href={quoteattr(page + '#' + notice.anchor)}/>",
            f"    <updated>{notice.since.isoformat()}T00:00:00Z</updated>",
            f"    <category term={quoteattr(notice.severity)}/>",
            f"    <summary type=\"text\">{escape(notice.body.strip())}</summary>", "  </entry>"]


def _urn(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "help"


def write_catalogue(site_dir: Path, kb: KnowledgeBase, directory_urls: bool = True,
                    today: date | None = None) -> list[str]:
    """Write articles.json, errors.json, notices.json and feed.xml (per language folder but articles.json)."""
    today = today or today_default()
    written = ["articles.json"]
    _dump(site_dir / "articles.json", articles_json(kb, directory_urls))
    for lang in kb.config.all_languages:
        prefix = lang_prefix(kb, lang)
        if prefix and not (site_dir / prefix).is_dir():
            continue
        _dump(site_dir / prefix / "errors.json", errors_json(kb, lang, directory_urls))
        _dump(site_dir / prefix / NOTICES_FILE, notices_json(kb, lang, today, directory_urls))
        (site_dir / prefix / FEED_FILE).write_text(atom_feed(kb, lang, directory_urls, today), encoding="utf-8")
        written += [f"{prefix}errors.json", f"{prefix}{NOTICES_FILE}", f"{prefix}{FEED_FILE}"]
    return written


def _dump(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
