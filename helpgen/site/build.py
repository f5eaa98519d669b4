"""`helpgen build`: stage each language's docs in a temporary folder, run MkDocs through its Python
API, add the catalogue files, then swap the finished site into the output folder."""
from __future__ import annotations

import contextlib
import logging
import os
import posixpath
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from helpgen.errors import BuildError, Problem, UnsafeOutputError
from helpgen.kb.model import Article, KnowledgeBase
from helpgen.search import pagefind_index, site_index
from helpgen.site import articles as art
from helpgen.site import promises
from helpgen.site.cache import LogRecords, RenderCache, SearchFields, cache_dir
from helpgen.site.catalogue import write_catalogue
from helpgen.site.mkdocs_config import dump, mkdocs_config, palette, template_dir
from helpgen.site.nav_cache import NavCache
from helpgen.site.pages import generated_pages
from helpgen.site.view import RESERVED, View, article_doc
from helpgen.urls import lang_prefix

MARKER = ".helpgen-site"
MARKER_TEXT = "This folder was made by `helpgen build`; helpgen may replace it.\n"
INSIGHTS = "insights"
# progress(phase, done, total): "prepare" (pages generated and staged), "markdown" (done of total
# pages converted), "pages" (done of total pages rendered with the theme), then "search index" and
# "Pagefind" (done 0, total None). The CLI draws it; the library never prints.
Progress = Callable[[str, int, "int | None"], None]


@dataclass
class BuildResult:
    output: Path
    pages: int = 0
    warnings: list[Problem] = field(default_factory=list)
    parallel: int = 0  # pages rendered by worker processes


@dataclass
class Staged:
    """One language staged for MkDocs."""

    lang: str
    config_file: Path
    site_dir: Path
    sources: dict[str, tuple[str, int]]  # docs path -> (KB source, line offset) to locate MkDocs warnings
    docs_dir: Path | None = None


def build_site(kb: KnowledgeBase, output: Path, *, include_insights: bool = False,
               insights_dir: Path | None = None, strict: bool = False,
               progress: Progress | None = None, cache: bool = False, workers: int | None = None) -> BuildResult:
    """Build the site of `kb` into `output`, replacing it only when the build succeeded
    (with `strict`, MkDocs warnings count as failure and the old output stays). With `cache`,
    rendered pages are kept in and reused from KB/.helpgen/cache/ (helpgen.site.cache). `workers`:
    processes that render pages and cut search entries (None: one per CPU for a big enough site;
    the site is the same byte for byte with any number)."""
    output = Path(output).resolve()
    check_output(kb, output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp_site = Path(tempfile.mkdtemp(prefix=f".{output.name}.helpgen-", dir=output.parent))
    try:
        with tempfile.TemporaryDirectory(prefix="helpgen-stage-", dir=stage_parent(kb)) as stage:
            result = build_into(kb, tmp_site, Path(stage), progress=progress, cache=cache, workers=workers)
        if strict and result.warnings:
            first = result.warnings[0]
            raise BuildError(f"{len(result.warnings)} mkdocs warning(s) with --strict; the first: {first.message}",
                             first.path, first.line or None)
        if include_insights:
            copy_insights(kb, insights_dir, tmp_site)
        (tmp_site / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        swap(tmp_site, output)
    except BaseException:
        shutil.rmtree(tmp_site, ignore_errors=True)
        raise
    result.output = output
    return result


RAM_DIR = Path("/dev/shm")  # a RAM-backed folder on Linux
RAM_ROOM = 8  # times the size of the KB's files that the RAM folder must have free


def stage_parent(kb: KnowledgeBase, ram: Path = RAM_DIR) -> str | None:
    """Where to stage the docs: a RAM-backed folder when the system has one with room to spare and
    TMPDIR does not say otherwise (writing, and above all deleting, a thousand small files there
    takes no time, where a disk can take seconds); None for the system's temporary folder."""
    if os.environ.get("TMPDIR"):
        return None
    try:
        if not (ram.is_dir() and os.access(ram, os.W_OK | os.X_OK)):
            return None
        need = sum(p.stat().st_size for p in kb.root.rglob("*")
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(kb.root).parts))
        if shutil.disk_usage(ram).free < RAM_ROOM * need + (64 << 20):
            return None
    except OSError:
        return None
    return str(ram)


def build_into(kb: KnowledgeBase, site_dir: Path, stage: Path, *, progress: Progress | None = None,
               plugins: Callable[[Staged], Sequence[Any]] = lambda staged: (), cache: bool = False,
               workers: int | None = None) -> BuildResult:
    """Stage and build every language (default language at the root, others under LANG/).
    `plugins(staged)` gives extra MkDocs plugin objects for one language's build (the live preview
    records its state with one)."""
    check_ids(kb)
    result = BuildResult(site_dir)
    if progress:
        progress("prepare", 0, None)
    folder = cache_dir(kb.root) if cache else None
    fields = SearchFields(kb, folder, languages(kb), workers)  # made while the site is staged and built
    try:
        all_staged = [stage_language(kb, lang, stage / (lang or "default"), site_dir / lang_prefix(kb, lang))
                      for lang in languages(kb)]
    except BaseException:
        fields.close()
        raise
    counter = _PageCounter(sum(1 for s in all_staged for _ in s.docs_dir.rglob("*.md")), progress)
    renderer = RenderCache(folder, workers)
    pagefind = pagefind_index.backend(kb) == "pagefind"
    try:
        for staged in all_staged:
            # Pagefind keeps only the settings of search_index.json (and, for Chinese, the words of its documents)
            renderer.index_pages = not pagefind or site_index.is_chinese(staged.lang)
            pages, warnings = run_mkdocs(staged, [renderer, counter, _TrimPages(), NavCache(), *plugins(staged)])
            result.pages += pages
            result.warnings += warnings
        finish_site(kb, site_dir, progress, fields)
        result.parallel = renderer.parallel
    finally:
        renderer.close()
        fields.close()
    fields.save()
    return result


def finish_site(kb: KnowledgeBase, site_dir: Path, progress: Progress | None = None,
                fields: site_index.Fields | None = None) -> None:
    """After MkDocs: helpgen's search index, Pagefind when chosen, the catalogue files. `fields`:
    the articles' search fields when they were made ahead (helpgen.site.cache.SearchFields)."""
    if progress:
        progress("search index", 0, None)
    site_index.postprocess_search_index(site_dir, kb, fields)
    if pagefind_index.backend(kb) == "pagefind":
        if progress:
            progress("Pagefind", 0, None)
        pagefind_index.apply_pagefind(site_dir, kb)
    write_catalogue(site_dir, kb, not kb.config.offline)


# Whitespace that only indents the theme's templates: a newline and the blanks after it, before a
# tag or after one. Kept as one newline (still whitespace), never inside the elements that show it.
_KEEP_BLANKS = re.compile(r"<(pre|code|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_AFTER_TAG = re.compile(r">[ \t]*\n[ \t\n]*")
_BEFORE_TAG = re.compile(r"\n[ \t\n]*(?=<)")


def trim_html(html: str) -> str:
    """A page without the indentation of Material's templates (about a quarter of an article page):
    it renders the same, since the newline that stays is still the whitespace between the elements."""
    out, at = [], 0
    for kept in _KEEP_BLANKS.finditer(html):
        # the text before a kept element, with its "<" as the look-ahead sees it (and the ">" before)
        out.append(_trim(html[max(at - 1, 0):kept.start() + 1])[1 if at else 0:-1])
        out.append(kept.group(0))
        at = kept.end()
    out.append(_trim(html[max(at - 1, 0):])[1 if at else 0:])
    return "".join(out)


def _trim(text: str) -> str:
    return _BEFORE_TAG.sub("\n", _AFTER_TAG.sub(">\n", text))


class _TrimPages:
    """An MkDocs plugin object that writes each page without its template indentation."""

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        return trim_html(output)


class _PageCounter:
    """An MkDocs plugin object that reports each rendered page to `progress`."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.progress = total, progress
        self.done = {"markdown": 0, "pages": 0}

    def _tick(self, phase: str) -> None:
        self.done[phase] += 1
        if self.progress:
            self.progress(phase, self.done[phase], max(self.total, self.done[phase]))

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        self._tick("markdown")
        return html

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        self._tick("pages")
        return output


def languages(kb: KnowledgeBase) -> list[str]:
    """The default language, then every other language that has at least one article."""
    have = {a.lang for a in kb.published}
    return [kb.config.language] + [l for l in kb.config.all_languages[1:] if l in have]


def check_ids(kb: KnowledgeBase) -> None:
    """Article ids may not collide with the pages and folders helpgen generates."""
    for article in kb.published:
        if article.id.split("/")[0] in RESERVED:
            raise BuildError(f"article id '{article.id}' clashes with a page helpgen generates "
                             f"('{article.id.split('/')[0]}/'); rename the file or folder, or set another `id`",
                             article.source, article.line_of("id"))


def alternate(kb: KnowledgeBase, built: list[str], current: str) -> list[dict]:
    """Material's language switcher: links relative to the current language root, so sub-path
    site_urls and file:// keep working (helpgen.js then keeps the reader on the same page)."""
    if len(built) < 2:
        return []
    here = lang_prefix(kb, current)
    links = []
    for lang in built:
        target = lang_prefix(kb, lang)
        link = posixpath.relpath(target or ".", here or ".") + "/"
        link += "index.html" if kb.config.offline else ""  # file:// shows a folder's listing, not its page
        links.append({"name": LANGUAGE_NAMES.get(lang, lang), "link": link, "lang": lang})
    return links


LANGUAGE_NAMES = {"en": "English", "zh": "中文", "zh-Hant": "中文（繁體）", "zh-TW": "中文（台灣）",
                  "ja": "日本語", "fr": "Français", "de": "Deutsch", "es": "Español"}


def stage_language(kb: KnowledgeBase, lang: str, stage: Path, site_dir: Path) -> Staged:
    """Write docs/, overrides/ and mkdocs.yml of one language under `stage`."""
    view = View(kb, lang, directory_urls=not kb.config.offline)
    docs, overrides = stage / "docs", stage / "overrides"
    sources = write_docs(view, docs)
    copy_tree(template_dir() / "overrides", overrides)
    copy_tree(kb.root / "overrides", overrides)  # the KB's own templates win
    css, js = theme_assets(kb, docs)
    config = mkdocs_config(view, docs_dir=str(docs), site_dir=str(site_dir), custom_dir=str(overrides),
                           glossary=art.abbreviations(view), extra_css=css, extra_js=js,
                           alternate=alternate(kb, languages(kb), lang))
    config_file = stage / "mkdocs.yml"
    config_file.write_text(dump(config), encoding="utf-8")
    return Staged(lang, config_file, site_dir, sources, docs)


def write_docs(view: View, docs: Path) -> dict[str, tuple[str, int]]:
    """Generated pages, article pages and KB assets; returns docs path -> KB source."""
    files = generated_texts(view)
    texts, sources = article_texts(view, view.articles)
    files.update(texts)
    folders: set[Path] = set()
    for rel_path, text in files.items():
        target = docs / rel_path
        _make_parent(target, folders)
        target.write_text(text, encoding="utf-8")
    for asset, doc in art.asset_docs(view).items():
        target = docs / doc
        _make_parent(target, folders)
        shutil.copyfile(view.kb.root / asset, target)
    return sources


def generated_texts(view: View) -> dict[str, str]:
    """docs path -> text of every page helpgen generates for one language (not the articles)."""
    files = generated_pages(view)
    files.update(promises.promise_pages(view))
    promises.add_home_banners(view, files)
    if view.lang == view.kb.config.language:
        files[promises.WIDGET_DEMO] = promises.widget_demo(view)
    return files


def article_texts(view: View, articles: Sequence[Article]) -> tuple[dict[str, str], dict[str, tuple[str, int]]]:
    """(docs path -> text, docs path -> (KB source, line offset)) of some article pages of one language."""
    mapping = art.path_map(view)
    files, sources = {}, {}
    for article in articles:
        text = art.article_page(view, article, mapping)
        files[article_doc(article)] = text
        body_start = text.count("\n") - article.body.strip("\n").count("\n")  # 1-based line of the body
        sources[article_doc(article)] = (article.source, article.body_line + _leading_blank(article.body)
                                         - body_start)
    return files, sources


def _leading_blank(body: str) -> int:
    return len(body) - len(body.lstrip("\n"))


def theme_assets(kb: KnowledgeBase, docs: Path) -> tuple[list[str], list[str]]:
    """Copy site_template/assets into docs/assets; return extra_css and extra_javascript."""
    copy_tree(template_dir() / "assets", docs / "assets")
    _, colors_css = palette(dict(kb.config.colors))
    css, js = ["assets/helpgen/helpgen.css"], ["assets/helpgen/helpgen.js"]
    if kb.config.discussion.provider == "giscus" and not kb.config.offline:
        js.append("assets/helpgen/hg-discussion.js")
    if colors_css:
        (docs / "assets/helpgen/colors.css").write_text(colors_css, encoding="utf-8")
        css.append("assets/helpgen/colors.css")
    if kb.config.logo and not kb.config.logo.startswith("assets/") and (kb.root / kb.config.logo).is_file():
        shutil.copyfile(kb.root / kb.config.logo, docs / "assets/helpgen" / Path(kb.config.logo).name)
    search = docs / "assets" / "search"
    css += sorted(p.relative_to(docs).as_posix() for p in search.rglob("*.css")) if search.is_dir() else []
    js += sorted(p.relative_to(docs).as_posix() for p in search.rglob("*.js")) if search.is_dir() else []
    return css, js


def copy_tree(src: Path, dst: Path) -> None:
    """Copy every file of `src` into `dst` (sorted walk; existing files are replaced)."""
    if not src.is_dir():
        return
    folders: set[Path] = set()
    for path in sorted(src.rglob("*")):
        if path.is_file():
            target = dst / path.relative_to(src)
            _make_parent(target, folders)
            shutil.copyfile(path, target)


def _make_parent(target: Path, made: set[Path]) -> None:
    """Make the folder of `target` once (`made`: the folders this loop has made already)."""
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)


@contextlib.contextmanager
def captured_mkdocs_logs() -> Iterator[LogRecords]:
    """Collect MkDocs' warnings instead of letting them reach stderr (library code never prints)."""
    logger, jieba = logging.getLogger("mkdocs"), logging.getLogger("jieba")  # Material loads jieba for zh
    handler, saved = LogRecords(logging.WARNING), (logger.handlers[:], logger.propagate, logger.level, jieba.level)
    logger.handlers, logger.propagate = [handler], False
    logger.setLevel(logging.INFO)
    jieba.setLevel(logging.WARNING)  # "Building prefix dict..." would reach stderr
    try:
        yield handler
    finally:
        logger.handlers, logger.propagate = saved[0], saved[1]
        logger.setLevel(saved[2])
        jieba.setLevel(max(saved[3], logging.WARNING))  # jieba stays quiet: workers forked later inherit it


_DOC = re.compile(r"Doc file '([^']+)'")
_LINK = re.compile(r"link '([^']+)'")


def to_problem(record: logging.LogRecord, staged: Staged) -> Problem:
    """A MkDocs log record as a Problem located in the KB when the message names a docs file."""
    message = record.getMessage().strip()
    severity = "error" if record.levelno >= logging.ERROR else "warning"
    m = _DOC.search(message)
    if not m:
        return Problem("mkdocs", 0, severity, message)
    source, offset = staged.sources.get(m.group(1), ("(generated) " + m.group(1), 0))
    link = _LINK.search(message)
    line = _line_of(staged.docs_dir / m.group(1), link.group(1)) if link and staged.docs_dir else 0
    return Problem(source, line + offset if line and offset else line, severity, f"mkdocs: {message}")


def _line_of(doc: Path, needle: str) -> int:
    """1-based line of the first occurrence of `needle` in a staged docs file (0 when absent)."""
    try:
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
            if needle in line:
                return number
    except OSError:
        return 0
    return 0


def run_mkdocs(staged: Staged, plugins: Sequence[Any] = ()) -> tuple[int, list[Problem]]:
    """Build one staged language (with extra MkDocs plugin objects); returns (pages built, warnings)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with captured_mkdocs_logs() as logs:
        try:
            config = load_config(config_file=str(staged.config_file))
            for number, plugin in enumerate(plugins):  # after the configured ones: they see their work
                config.plugins[f"helpgen-{number}"] = plugin
            build(config)
        except MkDocsException as exc:
            raise BuildError(f"mkdocs could not build the site: {exc}", "mkdocs") from exc
        except Exception as exc:  # a theme override or pass-through setting broke the build
            where = getattr(exc, "filename", None) or "mkdocs"
            line = getattr(exc, "lineno", None)
            raise BuildError(f"mkdocs could not build the site: {type(exc).__name__}: {exc}; "
                             "check KB/overrides/ and the `mkdocs:` settings in helpgen.yml",
                             _kb_path(str(where), staged), line) from exc
    pages = sum(1 for _ in staged.site_dir.rglob("*.html"))
    return pages, sorted(to_problem(r, staged) for r in logs.records)


def _kb_path(path: str, staged: Staged) -> str:
    """Show a staged override file as the KB file it came from (overrides/...)."""
    marker = str(staged.config_file.parent / "overrides")
    return "overrides" + path[len(marker):] if path.startswith(marker) else path


def copy_insights(kb: KnowledgeBase, insights_dir: Path | None, site_dir: Path) -> None:
    """The private coverage report, only when asked for."""
    src = insights_dir or kb.root / ".helpgen" / "coverage"
    if not Path(src).is_dir():
        raise BuildError(f"no insights to include at {src}; run `helpgen coverage` first", str(src))
    copy_tree(Path(src), site_dir / INSIGHTS)


def check_output(kb: KnowledgeBase, output: Path) -> None:
    """Refuse to replace a folder helpgen did not make, or one that holds the KB."""
    root = kb.root.resolve()
    if output == root or output in root.parents:
        raise UnsafeOutputError(f"refusing to build into {output}: it contains the knowledge base; "
                                "choose another output folder", str(output))
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / MARKER).is_file())):
        raise UnsafeOutputError(f"refusing to replace {output}: it is not empty and has no {MARKER} marker, "
                                "so helpgen did not create it; choose an empty or new folder", str(output))


def swap(new: Path, output: Path) -> None:
    """Put `new` in place of `output` with renames, so a reader never sees a half-written site."""
    if not output.exists():
        new.rename(output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    old.rmdir()
    output.rename(old)
    try:
        new.rename(output)
    except OSError:
        old.rename(output)
        raise
    shutil.rmtree(old, ignore_errors=True)
