"""Where pages live on the built site: the one place that knows article and language URLs.

A leaf module (it imports nothing from helpgen): the site, its search index, the coverage report and
the ticket link map all call these, so a link in a ticket, a report and the site agree.
`kb` arguments are `helpgen.kb.model.KnowledgeBase` objects and `article` ones `Article` objects.
"""
from __future__ import annotations


def lang_prefix(kb, lang: str) -> str:
    """Folder of a language's site under the root: "" for the default language, else `LANG/`."""
    return "" if lang in ("", kb.config.language) else f"{lang}/"


def page_url(docs_path: str, directory_urls: bool = True) -> str:
    """The URL (relative to the language root) of a Markdown file inside docs/."""
    stem = docs_path[:-3] if docs_path.endswith(".md") else docs_path
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem if directory_urls else f"{stem}index.html"
    return f"{stem}/" if directory_urls else f"{stem}.html"


def article_url(kb, article, *, directory_urls: bool = True) -> str:
    """URL of an article relative to the site root: `cards/track-your-card/`, `zh/cards/...` for other languages."""
    return lang_prefix(kb, article.lang) + page_url(f"{article.id}.md", directory_urls)


def site_article_url(kb, article) -> str:
    """URL of an article on the site as built: directory URLs, or `.html` files for `offline: true`."""
    return article_url(kb, article, directory_urls=not kb.config.offline)
