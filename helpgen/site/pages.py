"""The generated Markdown pages: home, stages, levels, handbook, advanced guide, troubleshooting,
error codes, glossary, What's new and Unsorted. Each function returns the text of one docs file."""
from __future__ import annotations

import html
import json
import re

from markdown.extensions.toc import slugify

from helpgen.kb.model import Article
from helpgen.site import i18n
from helpgen.site.catalogue import entry_slug
from helpgen.site.view import (ADVANCED, ERRORS, GLOSSARY, HANDBOOK, HOME, TROUBLESHOOTING, UNSORTED_PAGE,
                               WHATS_NEW, View, article_doc, level_doc, rel, sort_key, stage_doc)

HOME_TOP = 8  # getting-started questions on the home page
STAGE_TOP = 4  # top articles per stage on the home page
_H2 = re.compile(r"^##\s+(.+?)\s*#*\s*$")


def front_matter(meta: dict) -> str:
    """Page meta as YAML front matter, written as JSON (valid YAML, and far faster to write)."""
    return "---\n" + json.dumps(meta, ensure_ascii=False, indent=1) + "\n---\n\n"


def md_escape(text: str) -> str:
    """Escape text for a Markdown link label or list item."""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


def link(view: View, page: str, article: Article) -> str:
    return f"[{md_escape(title_of(view, article))}]({rel(page, article_doc(article))})"


def title_of(view: View, article: Article) -> str:
    """An article's title, marked "(English)" where this language shows the untranslated original."""
    if not view.is_fallback(article):
        return article.title
    name = i18n.language_name(article.lang or view.kb.config.language, view.lang)
    return f"{article.title} {view.labels['fallback_marker'].format(lang=name)}"


def item(view: View, page: str, article: Article, summary: bool = True) -> str:
    text = f"- {link(view, page, article)}"
    return text + (f" — {md_escape(article.summary)}" if summary and article.summary else "")


def count_label(view: View, n: int) -> str:
    return f"{n} {view.labels['article' if n == 1 else 'articles']}"


def getting_started(view: View) -> list[Article]:
    """Articles of the first stage, and beginner articles, in stage then `order` order."""
    start = view.roles.start
    picked = [a for a in view.sorted_out if start in a.stages or a.level == "beginner"]
    return sorted(picked, key=lambda a: (view.stage_rank(a), *sort_key(a)))


def start_here(view: View) -> list[Article]:
    """The home page's "Start here": beginner articles of the first stage first, then getting_started."""
    start = view.roles.start
    return sorted(getting_started(view), key=lambda a: not (start in a.stages and a.level == "beginner"))


def search_placeholder(view: View) -> str:
    """The home search box's hint: `search.placeholder` from helpgen.yml, else an example question of
    this language from the first "Start here" article that has one, else a plain invitation."""
    L = view.labels
    configured = view.kb.config.search.placeholder_in(view.lang)
    if configured:
        return configured
    pool = start_here(view) or sorted(view.articles, key=lambda a: (view.stage_rank(a), *sort_key(a)))
    example = next((a.questions[0] for a in pool if a.questions and not view.is_fallback(a)), "")
    return L["search_example"].format(example=" ".join(example.split())) if example else L["search_placeholder"]


def home_page(view: View) -> str:
    """Search first, then getting started, the journey, troubleshooting, What's new; contact via template."""
    L, cfg = view.labels, view.kb.config
    meta = {"title": cfg.name, "hide": ["navigation", "toc"], "helpgen": {"contact": True, "home": True}}
    out = [front_matter(meta), '<div class="hg-hero">', f"<h1>{html.escape(L['search_title'])}</h1>",
           '<form class="hg-hero__form" role="search">',
           f'<input class="hg-hero__input" type="search" name="q" autocomplete="off" '
           f'placeholder="{html.escape(search_placeholder(view), quote=True)}" '
           f'aria-label="{html.escape(L["search_title"], quote=True)}">', "</form>", "</div>", ""]
    if view.sorted_out or not view.articles:
        out += _home_start(view) + _home_journey(view) + _home_troubleshooting(view) + _home_news(view)
    else:  # migrated docs with no level or stage yet: their own sections, in their own order
        out += _home_sections(view) + _home_news(view)
    return "\n".join(out).rstrip() + "\n"


def _home_start(view: View) -> list[str]:
    L = view.labels
    start = start_here(view)
    lines = ['<div class="hg-start" markdown>', "", f"## {L['start_here']}", ""]
    lines += [item(view, HOME, a, summary=False) for a in start[:HOME_TOP]]
    lines += ["", f"[{L['handbook']}]({HANDBOOK}){{ .md-button .md-button--primary }}", "", "</div>", ""]
    return lines


def _home_journey(view: View) -> list[str]:
    lines = [f"## {view.labels['journey']}", "", '<div class="hg-journey" markdown>', ""]
    for stage in view.kb.config.stages:
        articles = view.in_stage(stage.id)
        label, description = view.stage_text(stage)
        lines += ['<div markdown>', "", f"### [{md_escape(label)}]({stage_doc(stage.id)})", "",
                  f"{md_escape(description)} ({count_label(view, len(articles))})" if description
                  else count_label(view, len(articles)), ""]
        lines += [item(view, HOME, a, summary=False) for a in articles[:STAGE_TOP]]
        lines += ["", "</div>", ""]
    return lines + ["</div>", ""]


def sections(view: View) -> list[tuple[str, list[Article]]]:
    """(folder, articles) of every product area, in `order` order; the top level first, then folders by
    their first article's `order`, then name."""
    groups: dict[str, list[Article]] = {}
    for a in sorted(view.articles, key=sort_key):
        groups.setdefault(a.area, []).append(a)
    return sorted(groups.items(), key=lambda g: (g[0] != "", *sort_key(g[1][0])[:2], g[0]))


def _home_sections(view: View) -> list[str]:
    """The home page of a KB with no levels or stages yet: each section (folder) and its articles."""
    L = view.labels
    lines = [f"## {L['browse']}", "", '<div class="hg-journey" markdown>', ""]
    for area, articles in sections(view):
        lines += ['<div markdown>', "", f"### {md_escape(area_label(area) if area else L['general'])}", "",
                  count_label(view, len(articles)), ""]
        lines += [item(view, HOME, a, summary=False) for a in articles] + ["", "</div>", ""]
    return lines + ["</div>", ""]


def _home_troubleshooting(view: View) -> list[str]:
    L = view.labels
    lines = [f"## {L['troubleshooting']}", "",
             f"[{L['troubleshooting_index']}]({TROUBLESHOOTING}){{ .md-button }} "
             f"[{L['error_codes']}]({ERRORS}){{ .md-button }}", ""]
    return lines + [item(view, HOME, a, summary=False) for a in view.at_level("troubleshooting")[:6]] + [""]


def _home_news(view: View) -> list[str]:
    if not view.entries:
        return []
    latest = view.entries[0]
    return [f"## {view.labels['whats_new']}", "",
            f"**{latest.date.isoformat()}** — [{md_escape(latest.title)}]({WHATS_NEW}#{entry_slug(latest)})", ""]


def stage_page(view: View, stage_id: str) -> str:
    """Every article of one stage, grouped by level."""
    stage = next(s for s in view.kb.config.stages if s.id == stage_id)
    page = stage_doc(stage_id)
    label, description = view.stage_text(stage)
    out = [front_matter({"title": label}), f"# {md_escape(label)}", ""]
    out += [md_escape(description), ""] if description else []
    articles = view.in_stage(stage_id)
    for level in view.levels:
        group = [a for a in articles if a.level == level]
        if group:
            out += [f"## {view.level_label(level)}", ""] + [item(view, page, a) for a in group] + [""]
    if not articles:
        out += [view.labels["no_entries"], ""]
    return "\n".join(out)


def level_page(view: View, level: str) -> str:
    """Every article of one level, grouped by stage."""
    page, title = level_doc(level), view.level_label(level)
    out = [front_matter({"title": title}), f"# {title}", ""]
    articles = view.at_level(level)
    for stage in view.kb.config.stages:
        group = [a for a in articles if view.stage_rank(a) == view.kb.config.stage_ids.index(stage.id)]
        if group:
            out += [f"## {md_escape(view.stage_label(stage.id))}", ""] + [item(view, page, a) for a in group] + [""]
    if not articles:
        out += [view.labels["no_entries"], ""]
    return "\n".join(out)


def handbook_page(view: View) -> str:
    """The starter handbook: every first-stage or beginner article's title, summary and link."""
    L = view.labels
    out = [front_matter({"title": L["handbook"]}), f"# {L['handbook']}", "", L["handbook_intro"], ""]
    current = None
    for article in getting_started(view):
        rank = view.stage_rank(article)
        if rank != current:
            current = rank
            stage = view.kb.config.stages[rank] if rank < len(view.kb.config.stages) else None
            out += [f"## {md_escape(view.stage_label(stage.id) if stage else L['other'])}", ""]
        out += [f"### {link(view, HANDBOOK, article)}", ""]
        out += [md_escape(article.summary), ""] if article.summary else []
    return "\n".join(out)


def advanced_page(view: View) -> str:
    """The advanced guide: each advanced article's summary and key sections (its `##` headings)."""
    L = view.labels
    out = [front_matter({"title": L["advanced_guide"]}), f"# {L['advanced_guide']}", "", L["advanced_intro"], ""]
    for article in view.at_level("advanced"):
        target = rel(ADVANCED, article_doc(article))
        out += [f"## {link(view, ADVANCED, article)}", ""]
        out += [md_escape(article.summary), ""] if article.summary else []
        sections = key_sections(article.body)
        if sections:
            out += [f"**{L['key_sections']}:**", ""]
            out += [f"- [{md_escape(h)}]({target}#{slugify(h, '-')})" if slugify(h, "-") else f"- {md_escape(h)}"
                    for h in sections] + [""]
    return "\n".join(out)


def key_sections(body: str) -> list[str]:
    """The `##` headings of an article body, outside code fences."""
    found, fenced = [], False
    for line in body.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (m := _H2.match(line)):
            found.append(re.sub(r"\s*\{[^}]*\}\s*$", "", m.group(1)))
    return found


def troubleshooting_page(view: View) -> str:
    """Troubleshooting articles as symptoms, grouped by product area, with their error codes."""
    L = view.labels
    out = [front_matter({"title": L["troubleshooting_index"]}), f"# {L['troubleshooting_index']}", "",
           L["troubleshooting_intro"], "", f"[{L['error_codes']}]({ERRORS})", ""]
    fix = view.roles.troubleshooting
    articles = [a for a in view.sorted_out if a.level == "troubleshooting" or (fix and fix in a.stages)]
    for area in sorted({a.area for a in articles}):
        out += [f"## {md_escape(area_label(area) if area else L['other'])}", ""]
        for a in sorted((a for a in articles if a.area == area), key=sort_key):
            codes = ", ".join(f"`{c}`" for c in a.error_codes)
            out.append(item(view, TROUBLESHOOTING, a) + (f" ({codes})" if codes else ""))
        out.append("")
    return "\n".join(out)


def errors_page(view: View) -> str:
    """A table of every error code and the article that fixes it."""
    L = view.labels
    out = [front_matter({"title": L["error_codes"]}), f"# {L['error_codes']}", "", L["errors_intro"], ""]
    rows = sorted(((code, a) for a in view.sorted_out for code in a.error_codes), key=lambda r: (r[0], r[1].id))
    if not rows:
        return "\n".join(out + [L["no_entries"], ""])
    out += [f"| {L['code']} | {L['article_col']} |", "|---|---|"]
    out += [f"| `{code.replace('|', '¦')}` | {link(view, ERRORS, a)} |" for code, a in rows]
    return "\n".join(out + [""])


def glossary_page(view: View) -> str:
    L = view.labels
    out = [front_matter({"title": L["glossary"]}), f"# {L['glossary']}", "", L["glossary_intro"], ""]
    for term in sorted(view.glossary, key=lambda t: t.term.casefold()):
        out += [md_escape(term.term), f":   {md_escape(' '.join(term.definition.split()))}"]
        out += [f"    ({', '.join(md_escape(a) for a in term.aliases)})"] if term.aliases else []
        out.append("")
    return "\n".join(out if view.glossary else out + [L["no_entries"], ""])


def whats_new_page(view: View) -> str:
    L = view.labels
    out = [front_matter({"title": L["whats_new"]}), f"# {L['whats_new']}", "", f'<a href="{feed_href(view)}" type="application/atom+xml">{html.escape(L["feed"])}</a>', ""]
    for entry in view.entries:
        out += [f"## {entry.date.isoformat()} — {md_escape(entry.title)} {{#{entry_slug(entry)}}}", "",
                demote(_without_title(entry.body, entry.title)), ""]
    return "\n".join(out if view.entries else out + [L["no_entries"], ""])


def feed_href(view: View) -> str:
    """The feed (at the language root) as seen from the What's new page."""
    depth = view.url(WHATS_NEW).count("/")
    return "../" * depth + "feed.xml"


def _without_title(body: str, title: str) -> str:
    """An entry body without a first `# heading` that repeats its title."""
    lines = body.strip().split("\n")
    if lines and lines[0].startswith("# ") and lines[0][2:].strip() == title.strip():
        lines = lines[1:]
    return "\n".join(lines).strip()


def demote(body: str) -> str:
    """Push an entry's own headings below the entry title."""
    return re.sub(r"^(#{1,5}) ", r"#\1## ", body, flags=re.MULTILINE)


def unsorted_page(view: View) -> str:
    L = view.labels
    out = [front_matter({"title": L["unsorted"]}), f"# {L['unsorted']}", "", L["unsorted_intro"], ""]
    return "\n".join(out + [item(view, UNSORTED_PAGE, a) for a in view.unsorted] + [""])


def area_label(folder: str) -> str:
    """`user-settings` -> `User settings`."""
    words = folder.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def generated_pages(view: View) -> dict[str, str]:
    """Every generated docs file of one language, by docs path."""
    pages = {HOME: home_page(view), HANDBOOK: handbook_page(view), ADVANCED: advanced_page(view),
             TROUBLESHOOTING: troubleshooting_page(view), ERRORS: errors_page(view),
             GLOSSARY: glossary_page(view), WHATS_NEW: whats_new_page(view)}
    pages.update({stage_doc(s.id): stage_page(view, s.id) for s in view.kb.config.stages})
    pages.update({level_doc(lv): level_page(view, lv) for lv in view.levels})
    if view.unsorted:
        pages[UNSORTED_PAGE] = unsorted_page(view)
    return dict(sorted(pages.items()))
