"""Article pages as MkDocs sees them: front matter turned into page meta for the theme partials,
links rewritten to the staged docs layout, and the glossary abbreviations file."""
from __future__ import annotations

import posixpath
import re
from typing import Mapping
from urllib.parse import quote

from helpgen.kb.markdown_compat import find_doc_link
from helpgen.kb.model import Article
from helpgen.site.pages import front_matter
from helpgen.site.promises import article_banners, discussion_meta
from helpgen.site.view import View, article_doc, level_doc, relpath, stage_doc

_INLINE = re.compile(r"(!?\[(?:[^\[\]]|\[[^\]]*\])*\]\()(<[^>]+>|[^)\s]+)((?:\s+[\"'][^\"']*[\"'])?\))")
_REFDEF = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*)(<[^>]+>|\S+)(.*)$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def path_map(view: View) -> dict[str, str]:
    """KB path (posix, relative to the KB root) -> docs path, for articles and assets."""
    mapping = {a.source: article_doc(a) for a in view.articles}
    mapping.update(asset_docs(view))
    return mapping


def asset_docs(view: View) -> dict[str, str]:
    """KB path -> docs path of every file copied as it is: assets/ stays, files beside the pages under
    articles/ (a migrated docs folder's images) keep their path below articles/."""
    return {asset: asset.removeprefix("articles/") for asset in view.kb.assets
            if asset.startswith(("assets/", "articles/"))}


def resolve(target: str, source: str, mapping: dict[str, str], routes: Mapping[str, str] | None = None) -> str | None:
    """The docs path a link written in `source` points to, or None when it is not a KB file.
    With `routes` (KnowledgeBase.doc_routes), Docusaurus links (`/docs/guides/setup`) resolve too."""
    base = "articles" if target.startswith("/") else posixpath.dirname(source)
    path = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
    for candidate in (path, f"{path}.md", f"{path.rstrip('/')}/index.md", f"articles/{path}"):
        if candidate in mapping:
            return mapping[candidate]
    found = find_doc_link(target, source, routes, mapping) if routes is not None else None
    return mapping.get(found) if found else None


def rewrite_target(target: str, source: str, doc: str, mapping: dict[str, str],
                   routes: Mapping[str, str] | None = None) -> str:
    """Rewrite one link target from the KB layout to the staged docs layout (unchanged if unknown)."""
    bare = target[1:-1] if target.startswith("<") else target
    if not bare or bare.startswith("#") or _SCHEME.match(bare) or bare.startswith("//"):
        return target
    path, _, anchor = bare.partition("#")
    found = resolve(path, source, mapping, routes) if path else None
    if found is None:
        return target
    new = relpath(found, posixpath.dirname(doc)) + (f"#{anchor}" if anchor else "")
    return f"<{new}>" if " " in new else new


def rewrite_links(body: str, source: str, doc: str, mapping: dict[str, str],
                  routes: Mapping[str, str] | None = None) -> str:
    """Rewrite inline and reference links outside code fences."""
    out, fenced = [], False
    for line in body.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and ("](" in line or "]:" in line):  # most lines hold no link at all
            line = _INLINE.sub(lambda m: m.group(1) + rewrite_target(m.group(2), source, doc, mapping, routes)
                               + m.group(3), line)
            line = _REFDEF.sub(lambda m: m.group(1) + rewrite_target(m.group(2), source, doc, mapping, routes)
                               + m.group(3), line)
        out.append(line)
    return "\n".join(out)


def feedback_links(view: View, article: Article) -> list[dict]:
    """"Was this helpful?" links to the configured target, placeholders filled (none when analytics is on)."""
    cfg = view.kb.config
    if cfg.feedback.analytics:
        return []
    url = view.url(article_doc(article))
    page = (cfg.site_url.rstrip("/") + "/" + url) if cfg.site_url else url
    template = cfg.feedback.url or (f"mailto:{cfg.support.email}?subject={{rating}}%3A%20{{title}}%20%28{{id}}%29"
                                    if cfg.support.email else "")
    if not template:
        return []
    values = {"id": article.id, "title": article.title, "url": page}
    links = []
    for rating, label in (("yes", view.labels["yes"]), ("no", view.labels["no"])):
        filled = template
        for key, value in {**values, "rating": rating}.items():
            filled = filled.replace("{" + key + "}", quote(value, safe=""))
        links.append({"rating": rating, "label": label, "href": filled})
    return links


def article_meta(view: View, article: Article) -> dict:
    """Page meta read by the theme partials (badges, updated, related, feedback, contact)."""
    badges = []
    if article.level:
        badges.append({"kind": "level", "label": view.level_label(article.level),
                       "url": view.url(level_doc(article.level))})
    badges += [{"kind": "stage", "label": view.stage_label(s), "url": view.url(stage_doc(s))}
               for s in article.stages if s in view.kb.config.stage_ids]
    by_id = view.by_id
    related = [{"title": by_id[r].title, "url": view.url(article_doc(by_id[r]))}
               for r in article.related if r in by_id]
    meta: dict = {"title": article.title}
    if article.summary:
        meta["description"] = article.summary
    meta["helpgen"] = {"id": article.id, "badges": badges,
                       "updated": article.updated.isoformat() if article.updated else "",
                       "related": related, "feedback": feedback_links(view, article), "contact": True}
    discussion = discussion_meta(view, article)
    if discussion:
        meta["helpgen"]["discussion"] = discussion
    return meta


def article_page(view: View, article: Article, mapping: dict[str, str]) -> str:
    """The docs file of one article."""
    body = rewrite_links(article.body, article.source, article_doc(article), mapping, view.kb.doc_routes)
    if view.is_fallback(article):
        body = f'!!! note ""\n    {view.labels.get("fallback", "This article is not translated yet.")}\n\n' + body
    body = article_banners(view, article) + body
    return front_matter(article_meta(view, article)) + body.strip("\n") + "\n"


def abbreviations(view: View) -> dict[str, str]:
    """Every glossary term and alias -> its definition, for the `abbr` extension's `glossary` option
    (one dict for all pages: much faster than appending `*[term]: ...` lines to every page)."""
    found: dict[str, str] = {}
    for term in sorted(view.glossary, key=lambda t: t.term.casefold()):
        definition = " ".join(term.definition.split())
        for word in (term.term, *term.aliases):
            for variant in _variants(word):
                found.setdefault(variant, definition)
    return dict(sorted(found.items()))


def _variants(word: str) -> list[str]:
    word = " ".join(word.split()).replace("]", "")
    if not word:
        return []
    if not word.isascii() or any(c.isupper() for c in word[1:]):
        return [word]  # acronyms (PIN, IBAN) and non-Latin terms match as written
    return sorted({word, word.lower(), word[:1].upper() + word[1:]})
