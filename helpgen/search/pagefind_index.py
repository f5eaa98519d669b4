"""The optional Pagefind search backend, for large help centres.

Chosen by `search:` in helpgen.yml (`helpgen.search.pagefind_index.backend`): `pagefind`, or
`auto` when a language has more than PAGEFIND_THRESHOLD published articles; never for
`offline: true` builds (Pagefind cannot load its index from file://: those keep lunr).

After `mkdocs build`, `apply_pagefind(site_dir, kb)`:
1. marks each article page's content as the only thing Pagefind indexes (`data-pagefind-body`:
   listing pages, the home page and the 404 page are left out), and adds the article's error
   codes, questions, error messages, summary, tags, glossary aliases and learned search terms as hidden
   elements with `data-pagefind-weight` (the lunr field boosts, scaled to Pagefind's 0-10), most of
   them also Pagefind metadata (META_FIELDS); the body text is indexed too (full-text search, as in
   Material), minus the page furniture in EXCLUDE;
2. runs the Pagefind binary of the `pagefind[extended]` package (CJK segmentation included),
   which writes the search bundle to `pagefind/` at the site root;
3. empties the `docs` of every search/search_index.json (Material still fetches the file for its
   settings; the page never downloads or builds a lunr index), replaces Material's search worker
   with an idle one that only answers Material's setup message, and writes helpgen's search
   settings (`config.helpgen` plus the backend and the bundle path) at the top of each language's
   copy of assets/search/helpgen-pagefind.js, which then answers Material's queries from
   Pagefind's JS API. Material's search box and result markup stay as they are;
4. puts <link rel=preload> tags for Pagefind's JS, entry file, metadata and WebAssembly into the
   <head> of every page that loads the search, so they download with the page.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from helpgen.errors import BuildError
from helpgen.kb.model import Article, KnowledgeBase
from helpgen.search import site_index

PAGEFIND_THRESHOLD = 1000  # `search: auto` uses Pagefind above this many published articles in a language
BUNDLE = "pagefind"  # folder of the Pagefind bundle, at the site root
# Pagefind weights (0-10; body text is 1, <h1> 7): the lunr boosts of site_index.FIELDS, scaled.
WEIGHTS: dict[str, float] = {"codes": 10.0, "questions": 5.0, "messages": 4.0, "summary": 3.0, "tags": 3.0,
                             "keywords": 2.0, "learned": 2.0}
# Hidden fields that are also Pagefind metadata: searched as a field of their own, and a page whose field
# holds the query's rarer words is boosted by the field's `metaWeights` (helpgen-pagefind.js).
META_FIELDS = ("codes", "questions", "summary", "tags", "keywords", "learned")
# Parts of an article page that are not indexed: badges, related articles, contact, feedback. The body
# text stays indexed: a word that only an article's body uses must still find it (full-text search, as
# Material's own search does). Leaving the body out was measured (docs/benchmarks-search.md): first results
# at 5,000 synthetic articles 658 vs 810 ms in one run, both within the 1 s target, and recall@3 within
# 0.02, so the body stays.
EXCLUDE = ".hg-badges, .hg-related, .hg-contact, .hg-feedback, .headerlink, .md-source-file"
_ARTICLE_OPEN = re.compile(r'<article class="md-content__inner md-typeset"')


def backend(kb: KnowledgeBase) -> str:
    """`lunr` or `pagefind`: the search backend of this build (see the module docstring)."""
    choice = kb.config.search.engine
    if kb.config.offline or choice == "lunr":
        return "lunr"
    if choice == "pagefind":
        return "pagefind"
    largest = max((len(kb.in_language(lang)) for lang in kb.config.all_languages), default=0)
    return "pagefind" if largest > PAGEFIND_THRESHOLD else "lunr"


def hidden_fields(kb: KnowledgeBase, article: Article) -> str:
    """Hidden, weighted elements holding what the article page does not show as text."""
    codes = [c for c in article.error_codes if site_index.is_code(c)]
    messages = [c for c in article.error_codes if not site_index.is_code(c)]
    values = {
        "codes": codes + [code_key(c) for c in codes if code_key(c) != c.lower()]
        + [site_index.message_token(m) for m in messages],
        "questions": list(article.questions),
        "messages": messages,
        "summary": [article.summary] if article.summary else [],
        "tags": list(article.tags),
        "keywords": site_index.glossary_keywords(kb, article),
        "learned": list(site_index.learned_terms(kb).terms_of(article.id, article.lang, kb.config.language)),
    }
    parts = []
    for name, items in values.items():
        if items:
            text = " . ".join(html.escape(str(v)) for v in items)
            meta = f' data-pagefind-meta="{name}"' if name in META_FIELDS else ""
            parts.append(f'<div hidden data-helpgen-field="{name}" data-pagefind-weight="{WEIGHTS[name]:g}"{meta}>'
                         f"{text}</div>")
    return "".join(parts)


def code_key(code: str) -> str:
    """An error code as one word (`P-3030` -> `p3030`): Pagefind splits words at hyphens."""
    return re.sub(r"[^0-9a-z]", "", code.lower())


def mark_article(page: Path, kb: KnowledgeBase, article: Article) -> bool:
    """Make one article page indexable by Pagefind, with its weighted fields. False if not found."""
    text = page.read_text(encoding="utf-8")
    match = _ARTICLE_OPEN.search(text)
    if match is None:
        return False
    end = text.index(">", match.end()) + 1
    attrs = f' data-pagefind-body data-pagefind-meta="id:{html.escape(article.id, quote=True)}"'
    new = text[:match.end()] + attrs + text[match.end():end] + hidden_fields(kb, article) + text[end:]
    page.write_text(new, encoding="utf-8")
    return True


def article_page(site_dir: Path, kb: KnowledgeBase, article: Article) -> Path:
    url = site_index.site_url_of(kb, article)
    path = site_dir / url
    return path / "index.html" if url.endswith("/") or not url else path


def pagefind_command(site_dir: Path) -> list[str]:
    """The command that runs the Pagefind binary of the `pagefind[extended]` package on a built site."""
    return [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", BUNDLE,
            "--exclude-selectors", EXCLUDE, "--silent"]


def run_pagefind(site_dir: Path) -> None:
    """Run the Pagefind binary of the `pagefind[extended]` package on the built site."""
    cmd = pagefind_command(site_dir)
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError as exc:  # pragma: no cover - python itself is missing
        raise BuildError(f"cannot run Pagefind: {exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        hint = "install it with `pip install 'helpgen[pagefind]'`, or set `search: lunr` in helpgen.yml"
        raise BuildError(f"Pagefind failed ({detail[-1] if detail else done.returncode}): {hint}")


# Material's search worker is replaced by this idle one: the page answers queries from Pagefind, and
# the worker only has to say it is ready (no lunr, no index in the worker).
IDLE_WORKER = """/* helpgen: Pagefind backend. Material's lunr worker is not used: the page answers queries from
   Pagefind (assets/search/helpgen-pagefind.js). This worker only answers Material's setup. */
self.onmessage = function (ev) {
  var m = ev.data || {};
  if (m.type === 0) self.postMessage({ type: 1 });
  else if (m.type === 2) self.postMessage({ type: 3, data: { items: [] } });
};
"""
BRIDGE = "assets/search/helpgen-pagefind.js"


def slim_indexes(site_dir: Path, kb: KnowledgeBase) -> None:
    """Keep only the settings in each search_index.json, replace Material's worker with an idle one,
    and give each language's copy of helpgen-pagefind.js its settings (known before any fetch)."""
    for path in site_index.index_files(site_dir):
        lang, prefix = site_index.language_of(kb, site_dir, path)
        lang_root = path.parent.parent
        data = json.loads(path.read_text(encoding="utf-8"))
        data["docs"] = []
        helpgen = data.setdefault("config", {}).setdefault("helpgen", {})
        for key in ("words", "min_infix"):  # only the lunr query rewrite uses them (helpgen-search.js)
            helpgen.pop(key, None)
        root = "../" * prefix.count("/")
        helpgen.update({"backend": "pagefind", "root": root, "bundle": f"{root}{BUNDLE}/", "cache_tag": ""})
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        for worker in sorted((lang_root / "assets" / "javascripts" / "workers").glob("search.*.js")):
            worker.write_text(IDLE_WORKER, encoding="utf-8")
        bridge = lang_root / BRIDGE
        if bridge.is_file():
            settings = json.dumps(helpgen, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            bridge.write_text(f"window.helpgenSearchConfig = {settings};\n" + bridge.read_text(encoding="utf-8"),
                              encoding="utf-8")


def cache_tag(site_dir: Path) -> str:
    """A tag of this build's Pagefind entry file: Pagefind asks for `pagefind-entry.json?ts=TAG` with it
    (a URL the browser may cache, and fetch early) instead of a new `?ts=<now>` on every page view."""
    entry = site_dir / BUNDLE / "pagefind-entry.json"
    return hashlib.sha256(entry.read_bytes()).hexdigest()[:12] if entry.is_file() else ""


_BRIDGE_SRC = re.compile(r'<script src="([^"]*)assets/search/helpgen-pagefind\.js')
_HTML_LANG = re.compile(r'<html[^>]*\slang="([^"]*)"')


def preload_links(bundle: str, entry: dict, lang: str, tag: str) -> str:
    """<link> tags that start fetching what Pagefind needs before any script runs: its JS module, the
    entry file, the metadata and the WebAssembly of the page's language (the files Pagefind picks for
    `<html lang>`; the largest language when there is none)."""
    languages = entry.get("languages", {})
    index = languages.get(lang) or languages.get(lang.split("-")[0])
    if index is None and languages:
        index = max(languages.values(), key=lambda v: v.get("page_count", 0))
    links = [f'<link rel="modulepreload" href="{bundle}pagefind.js">',
             f'<link rel="preload" href="{bundle}pagefind-entry.json?ts={tag}" as="fetch" crossorigin>']
    if index:
        links.append(f'<link rel="preload" href="{bundle}pagefind.{index["hash"]}.pf_meta" as="fetch" crossorigin>')
        links.append(f'<link rel="preload" href="{bundle}wasm.{index.get("wasm") or "unknown"}.pagefind" '
                     'as="fetch" crossorigin>')
    return "".join(links)


_OUR_LINKS = re.compile(r'<link rel="modulepreload" href="[^"]*pagefind\.js">'
                        r'(?:<link rel="preload" href="[^"]*" as="fetch" crossorigin>)*')


def add_preload_links(site_dir: Path, tag: str) -> None:
    """Put preload_links() into the <head> of every page that loads helpgen-pagefind.js (replacing
    the links of an earlier Pagefind run)."""
    entry_path = site_dir / BUNDLE / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8")) if entry_path.is_file() else {}
    for page in sorted(site_dir.rglob("*.html")):
        old = page.read_text(encoding="utf-8")
        text = _OUR_LINKS.sub("", old)
        src, head_end = _BRIDGE_SRC.search(text), text.find("</head>")
        if src is None or head_end < 0:
            continue
        prefix = src.group(1)  # the page's way to its language root (where assets/ is)
        lang_root = site_dir if prefix.startswith("/") else (page.parent / prefix)
        bundle = prefix + os.path.relpath(site_dir / BUNDLE, lang_root).replace(os.sep, "/") + "/"
        lang = _HTML_LANG.search(text)
        links = preload_links(html.escape(bundle, quote=True), entry, (lang.group(1) if lang else "").lower(), tag)
        new = text[:head_end] + links + text[head_end:]
        if new != old:
            page.write_text(new, encoding="utf-8")


def set_cache_tag(site_dir: Path, tag: str) -> None:
    """Write the cache tag into the settings slim_indexes() wrote (search_index.json, helpgen-pagefind.js)."""
    for path in site_index.index_files(site_dir):
        data = json.loads(path.read_text(encoding="utf-8"))
        helpgen = data.get("config", {}).get("helpgen", {})
        if helpgen.get("backend") != "pagefind" or helpgen.get("cache_tag") == tag:
            continue
        helpgen["cache_tag"] = tag
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        bridge = path.parent.parent / BRIDGE
        first, _, rest = bridge.read_text(encoding="utf-8").partition("\n") if bridge.is_file() else ("", "", "")
        if first.startswith("window.helpgenSearchConfig = "):
            settings = json.loads(first.split(" = ", 1)[1].rstrip(";"))
            settings["cache_tag"] = tag
            first = "window.helpgenSearchConfig = " + json.dumps(
                settings, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + ";"
            bridge.write_text(first + "\n" + rest, encoding="utf-8")


def after_pagefind_run(site_dir: Path) -> None:
    """What depends on the bundle a Pagefind run wrote: its entry file sorted, the cache tag in the
    settings, the preload links in every page. `helpgen build` and `helpgen serve` (after its
    background runs) both end with this, so they give the same files."""
    site_dir = Path(site_dir)
    sort_entry(site_dir / BUNDLE / "pagefind-entry.json")
    tag = cache_tag(site_dir)
    set_cache_tag(site_dir, tag)
    add_preload_links(site_dir, tag)


def apply_pagefind(site_dir: Path, kb: KnowledgeBase) -> int:
    """Index a built site with Pagefind (see the module docstring); returns the articles indexed."""
    site_dir = Path(site_dir)
    if not _has_pagefind():
        raise BuildError("helpgen.yml asks for `search: pagefind` but the `pagefind` package is not installed: "
                         "install it with `pip install 'helpgen[pagefind]'`, or set `search: lunr`",
                         kb.config.source, kb.config.line_of("search") or None)
    count = 0
    for article in sorted(kb.published, key=lambda a: (a.lang, a.id)):
        page = article_page(site_dir, kb, article)
        if page.is_file() and mark_article(page, kb, article):
            count += 1
    run_pagefind(site_dir)
    slim_indexes(site_dir, kb)
    after_pagefind_run(site_dir)
    return count


def sort_entry(path: Path) -> None:
    """Pagefind lists the languages of its entry file in hash-map order: sort them (same input,
    same output)."""
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")), encoding="utf-8")


def _has_pagefind() -> bool:
    import importlib.util

    return importlib.util.find_spec("pagefind") is not None
