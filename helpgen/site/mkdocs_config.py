"""The mkdocs configuration of one language's site: site_template/mkdocs.yml + helpgen.yml,
with helpgen.yml's `mkdocs:` pass-through settings merged last."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from helpgen.search import site_index
from helpgen.site.pages import area_label
from helpgen.site.promises import response_time
from helpgen.site.view import (ADVANCED, ERRORS, GLOSSARY, HANDBOOK, HOME, KNOWN_ISSUES, SUPPORT, TROUBLESHOOTING, UNSORTED_PAGE,
                               WHATS_NEW, View, article_doc, level_doc, sort_key, stage_doc)

POLYFILL = "assets/helpgen/iframe-worker.js"  # offline search from file:// (no unpkg.com)
SEARCH_SCRIPTS = "assets/search/"  # loaded before Material's bundle (overrides/main.html)
NAV_CHUNK = 40  # most articles one nav section lists (navigation.prune shows the whole active section)
NAV_GROUP = 25  # a bigger folder is split into sections of at most this many


def template_dir() -> Path:
    """site_template/: shipped inside the package when installed, else at the repo root."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "site_template", here.parents[1] / "site_template"):
        if (candidate / "mkdocs.yml").is_file():
            return candidate
    raise FileNotFoundError("site_template/ not found beside the helpgen package")


def base_config() -> dict:
    with open(template_dir() / "mkdocs.yml", encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def deep_merge(base: dict, extra: dict) -> dict:
    """Dicts merge recursively; anything else in `extra` replaces what `base` had."""
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def search_config(view: View) -> dict:
    """Options of Material's search plugin (helpgen.search.site_index)."""
    if view.lang != view.kb.config.language:
        return dict(site_index.plugin_config_for(view.lang))
    return dict(site_index.search_plugin_config(view.kb))


def palette(colors: dict) -> tuple[dict, str]:
    """Material palette for named colours; hex colours become `custom` plus CSS variables."""
    pal, css = {}, []
    for role in ("primary", "accent"):
        value = str(colors.get(role, "indigo"))
        if value.startswith("#"):
            pal[role] = "custom"
            css.append(f"  --md-{role}-fg-color: {value};")
        else:
            pal[role] = value
    return pal, (":root {\n" + "\n".join(css) + "\n}\n") if css else ""


def nav(view: View) -> list:
    """Product areas (article folders) as nested sections, then the generated pages."""
    L = view.labels
    items: list = [{L["home"]: HOME}, {L["handbook"]: HANDBOOK},
                   {L["journey"]: [stage_doc(s.id) for s in view.kb.config.stages]}]
    tree: dict = {}
    for article in sorted(view.sorted_out, key=sort_key):
        node = tree
        for folder in article.id.split("/")[:-1]:
            node = node.setdefault(("dir", folder), {})
        node.setdefault(("pages", ""), []).append(article)
    areas = _tree_items(tree, view)
    label = L["troubleshooting_index"]
    same = next((a for a in areas if isinstance(a, dict) and label in a), None)
    if same:  # a "Troubleshooting" folder gets the index pages at its top
        same[label] = [TROUBLESHOOTING, ERRORS] + same[label]
    items += areas + ([] if same else [{label: [TROUBLESHOOTING, ERRORS]}])
    items += [{L["advanced_guide"]: ADVANCED},
              {L["levels"]: [level_doc(lv) for lv in view.levels]}, {L["glossary"]: GLOSSARY},
              {L["whats_new"]: WHATS_NEW}, {L["known_issues"]: KNOWN_ISSUES}, {L["support"]: SUPPORT}]
    if view.unsorted:
        items.append({L["unsorted"]: [UNSORTED_PAGE] + chunked(list(view.unsorted))})
    return items


def _tree_items(node: dict, view: View, path: str = "") -> list:
    """Pages, then sub-folders by their position (`_category_` files, number prefixes) and name."""
    pages = chunked(node.get(("pages", ""), []))
    folders = sorted(((view.kb.section(path + k[1]), v) for k, v in node.items() if k[0] == "dir"),
                     key=lambda f: (f[0].position is None, f[0].position or 0, f[0].path))
    return pages + [{f.label or area_label(f.path.rsplit("/", 1)[-1]): _tree_items(child, view, f.path + "/")}
                    for f, child in folders]


def chunked(articles: list, limit: int = NAV_CHUNK, size: int = NAV_GROUP) -> list:
    """A folder's articles as nav entries; a folder of more than `limit` articles becomes sub-sections
    of at most `size` (labelled "first title – last title"), so a pruned page never lists hundreds."""
    docs = [article_doc(a) for a in articles]
    if len(articles) <= limit:
        return docs
    groups = -(-len(articles) // size)
    step = -(-len(articles) // groups)  # balanced groups: 51 articles -> 17 + 17 + 17, not 25 + 25 + 1
    return [{f"{_short(articles[i].title)} – {_short(articles[min(i + step, len(articles)) - 1].title)}":
             docs[i:i + step]} for i in range(0, len(articles), step)]


def _short(title: str, words: int = 3) -> str:
    parts = title.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def mkdocs_config(view: View, *, docs_dir: str, site_dir: str, custom_dir: str, glossary: dict[str, str],
                  extra_css: list[str], extra_js: list[str], alternate: list[dict] | None = None) -> dict:
    """The full mkdocs config dict for one language (written to the staged mkdocs.yml)."""
    cfg = view.kb.config
    pal, _ = palette(dict(cfg.colors))
    theme: dict[str, Any] = {"custom_dir": custom_dir, "language": view.lang, "palette": pal}
    if cfg.logo:
        theme["logo"] = "assets/helpgen/" + Path(cfg.logo).name if not cfg.logo.startswith("assets/") else cfg.logo
    plugins: list = [{"search": search_config(view)}]
    extra: dict[str, Any] = {"helpgen": {"labels": view.labels,
                                         "support": {"email": cfg.support.email, "url": cfg.support.url,
                                                     "response_time": response_time(view),
                                                     "page": view.url(SUPPORT),
                                                     "known_issues": view.url(KNOWN_ISSUES)}},
                             "generator": False}
    first = [] if "overrides/main.html" in view.kb.overrides else [j for j in extra_js if j.startswith(SEARCH_SCRIPTS)]
    extra["helpgen"]["scripts_first"] = first  # a KB's own main.html gets them as extra_javascript
    extra_js = [j for j in extra_js if j not in first]
    if cfg.offline:
        plugins.append({"offline": {}})
        extra["polyfills"] = [POLYFILL]
    if cfg.feedback.analytics:
        extra["analytics"] = analytics(view)
    if alternate:
        extra["alternate"] = alternate
    site_url = (cfg.site_url.rstrip("/") + "/" + ("" if view.lang == cfg.language else f"{view.lang}/")
                if cfg.site_url else "")
    generated = {
        "site_name": cfg.name, "site_url": site_url or None, "docs_dir": docs_dir, "site_dir": site_dir,
        "use_directory_urls": not cfg.offline, "theme": theme, "plugins": plugins, "nav": nav(view),
        "extra": extra, "extra_css": extra_css, "extra_javascript": extra_js,
        "validation": {"nav": {"omitted_files": "info"}, "links": {"absolute_links": "info"}},
    }
    merged = deep_merge(base_config(), generated)
    merged["markdown_extensions"] = _merge_extensions(merged.get("markdown_extensions", []), glossary)
    return deep_merge(merged, dict(cfg.mkdocs))


def _merge_extensions(base: list, glossary: dict[str, str]) -> list:
    """The template's extension list with the glossary given to `abbr` (tooltips on every page)."""
    out = []
    for ext in base:
        name, opts = (ext, {}) if isinstance(ext, str) else next(iter(ext.items()))
        if name == "abbr":  # the same extension, also matching terms inside Chinese text
            name = "helpgen.site.abbr"
            opts = {**(opts or {}), "glossary": glossary} if glossary else opts
        out.append({name: opts} if opts else name)
    return out


def analytics(view: View) -> dict:
    """Material's analytics block with its feedback widget."""
    fb, L = view.kb.config.feedback, view.labels
    note = L["helpful"]
    if fb.url:
        note = f'<a href="{fb.url}" target="_blank" rel="noopener">{L["contact_us"]}</a>'
    return {"provider": fb.analytics, "property": fb.property,
            "feedback": {"title": L["helpful"], "ratings": [
                {"icon": "material/emoticon-happy-outline", "name": L["yes"], "data": 1, "note": L["yes"]},
                {"icon": "material/emoticon-sad-outline", "name": L["no"], "data": 0, "note": note}]}}


def dump(config: dict) -> str:
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)
