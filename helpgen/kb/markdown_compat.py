"""Pages migrated from Docusaurus (MDX) read as the Markdown that MkDocs/Material renders.

- `convert(body)` turns `:::tip Title` blocks into Material admonitions, drops MDX `import`/`export`
  lines, turns `{/* comments */}` into HTML comments and code-fence options (`{1,3}`,
  `showLineNumbers`) into pymdownx ones, `<Tabs>`/`<TabItem>` on lines of their own into Material
  tabs, and marks `<details>` for Markdown inside (md_in_html). It returns warnings for what it cannot
  convert (JSX components, `{...}` attributes, unknown `:::` blocks). The number of lines never
  changes, so every line number of the source stays right. Code fences and inline code are left as
  they are.
- `doc_routes(...)` are the URLs Docusaurus gives a page (below `/docs/`), and `find_doc_link`
  follows links to them (`/docs/guides/setup`, `./setup` for `01-setup.mdx`, `/img/x.png` for
  `assets/img/x.png`). The link checker (kb/checks.py) and the site builder (site/articles.py) call
  it when a link is not a plain file link; the page keeps its links as written.

No I/O here: the loader (kb/load.py) calls convert() and doc_routes().
"""
from __future__ import annotations

import difflib
import posixpath
import re
from typing import Container, Iterable, Mapping

# Docusaurus admonition keyword -> Material admonition type (Docusaurus 3 aliases included).
ADMONITIONS = {"note": "note", "tip": "tip", "info": "info", "caution": "warning", "warning": "warning",
               "danger": "danger", "important": "info", "success": "tip", "secondary": "note"}
# Docusaurus front-matter keys helpgen reads (see kb/load.py) or knows it can ignore.
DOCUSAURUS_FIELDS = ("description", "sidebar_position", "sidebar_label", "slug", "keywords", "sidebar_class_name",
                     "hide_title", "hide_table_of_contents", "toc_min_heading_level", "toc_max_heading_level",
                     "pagination_label", "pagination_next", "pagination_prev", "custom_edit_url", "image",
                     "displayed_sidebar", "sidebar_custom_props", "unlisted", "last_update", "parse_number_prefixes")
MARKDOWN_SUFFIXES = (".md", ".mdx")
MEDIA_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".ico", ".bmp", ".mp4", ".webm",
                  ".mov", ".mp3", ".ogg", ".wav", ".pdf")
CATEGORY_FILES = ("_category_.json", "_category_.yml", "_category_.yaml")  # a folder's label and position
DOCS_ROUTE = "/docs"  # Docusaurus's default routeBasePath for docs

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_OPEN = re.compile(r"^([ \t]*)(:{3,})[ \t]*([A-Za-z][\w-]*)(.*)$")
_CLOSE = re.compile(r"^[ \t]*(:{3,})[ \t]*$")
_BRACKET_TITLE = re.compile(r"^\[(.*)\][ \t]*(\{.*\})?[ \t]*$")
_ATTR_TITLE = re.compile(r"""^\{.*?\btitle=(["'])(.*?)\1.*\}$""")
_IMPORT = re.compile(r"^import(?:\s+[\s\S]*?\bfrom)?\s*['\"][^'\"]+['\"]\s*;?\s*$")
_EXPORT = re.compile(r"^export\s+(?:const|let|var|function|async|class|default|\{|\*)")
_HEADING_ID = re.compile(r"^(#{1,6}[ \t].*?[ \t]*)\{/\*[ \t]*#([\w-]+)[ \t]*\*/\}[ \t]*$")
_DETAILS = re.compile(r"^([ \t]*<details)(?![^>]*\bmarkdown=)((?:\s[^>]*)?>)")
_TABS_OPEN = re.compile(r"^([ \t]*)<Tabs\b[^<>]*>[ \t]*$")
_TABS_CLOSE = re.compile(r"^[ \t]*</Tabs>[ \t]*$")
_TAB_OPEN = re.compile(r"^[ \t]*<TabItem\b([^<>]*)>[ \t]*$")
_TAB_CLOSE = re.compile(r"^[ \t]*</TabItem>[ \t]*$")
_MDX_COMMENT = re.compile(r"\{/\*(.*?)\*/\}")
_CLASSNAME = re.compile(r"(<[a-z][\w-]*\b[^<>]*?\s)className=")
_INLINE_CODE = re.compile(r"(`+).+?\1")
_EXPR_ATTR = re.compile(r"<([A-Za-z][\w.:-]*)\b[^<>]*?\s([\w:-]+)\s*=\s*\{")
_COMPONENT = re.compile(r"<([A-Z][\w.]*)(?=[\s/>]|$)")
_BASE_URL = re.compile(r"""useBaseUrl\(\s*(["'])([^"']+)\1""")
_NUMBER_PREFIX = re.compile(r"^\d+\s*[-_.]+\s*(?=[^-_.\s\d])")
_FENCE_META = (re.compile(r"```[^\n`]*?[ \t][^\s`]"), re.compile(r"~~~[^\n~]*?[ \t][^\s~]"))  # options after ```lang
_JSX_HINT = re.compile(r"<[A-Z]|=\s*\{")
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#|\{\{)")


def is_markdown(name: str) -> bool:
    return name.endswith(MARKDOWN_SUFFIXES)


def strip_suffix(name: str) -> str:
    """`guides/setup.mdx` -> `guides/setup`."""
    for suffix in MARKDOWN_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def number_prefix(name: str) -> tuple[int | None, str]:
    """`01-setup` -> (1, "setup"); names without a Docusaurus number prefix -> (None, name)."""
    m = _NUMBER_PREFIX.match(name)
    if not m:
        return None, name
    return int(re.match(r"\d+", name).group(0)), name[m.end():]


def route(path: str) -> str:
    """`02-guides/01-setup` -> `guides/setup`: the path without Docusaurus number prefixes."""
    return "/".join(number_prefix(part)[1] for part in path.split("/"))


def files_beside(paths: Iterable[str]) -> list[str]:
    """The pictures, videos, sounds and PDFs among `paths`: what a docs folder (MkDocs, Docusaurus)
    keeps beside its pages and publishes. Other files (notes, spreadsheets, `_category_.json`) stay
    private, as they were before the move."""
    return [p for p in paths if p.lower().endswith(MEDIA_SUFFIXES)]


# --- body -------------------------------------------------------------------------------------

def convert(body: str) -> tuple[str, list[tuple[int, str]]]:
    """(Material Markdown with as many lines as `body`, [(0-based line, warning message)])."""
    if not _needs_pass(body):
        return body, []
    lines = body.split("\n")
    if "<Tabs" in body:
        lines = _tabs(lines)
    out: list[str] = []
    warnings: list[tuple[int, str]] = []
    stack: list[tuple[str, int, int]] = []  # open blocks: (indent, colons, line)
    fence = ""
    dropped: list[int] = []
    components: dict[str, list[int]] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        depth = "    " * len(stack)
        base = stack[0][0] if stack else ""
        indented = (base + depth + line[len(base):] if line.startswith(base) else depth + line) if line.strip() else ""
        if fence:
            if (m := _FENCE.match(line)) and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not line[m.end():].strip():
                fence = ""
            out.append(indented)
        elif m := _FENCE.match(line):
            fence = m.group(1)
            line = fence_opener(line)
            out.append((base + depth + line[len(base):] if line.startswith(base) else depth + line))
        elif not stack and line.startswith(("import", "export")) and (end := _esm_end(lines, i)) is not None:
            out.extend([""] * (end - i))
            dropped.extend(range(i, end))
            i = end
            continue
        elif (m := _OPEN.match(line)) and m.group(3) in ADMONITIONS:
            title = _title(m.group(4).strip())
            kind = ADMONITIONS[m.group(3)]
            out.append((base if stack else m.group(1)) + depth + f"!!! {kind}" + (f' "{title}"' if title else ""))
            stack.append((m.group(1) if not stack else base, len(m.group(2)), i))
        elif stack and (m := _CLOSE.match(line)) and len(m.group(1)) >= stack[-1][1]:
            stack.pop()
            out.append("")
        else:
            if m := _OPEN.match(line):
                warnings.append((i, f"`{m.group(2)}{m.group(3)}` is not a Docusaurus admonition, so it shows as "
                                    f"text; use one of: {', '.join(ADMONITIONS)}"))
            if "{/*" in line or "className=" in line:
                line = _outside_code(line, _plain_html)
            if "<details" in line:  # Docusaurus renders the Markdown inside <details>; md_in_html does with `markdown`
                line = _DETAILS.sub(r'\1 markdown="1"\2', line)
            if "<" in line:
                _jsx(_INLINE_CODE.sub(lambda c: " " * len(c.group(0)), line), i, warnings, components)
            out.append((base + depth + line[len(base):] if line.startswith(base) else depth + line)
                       if line.strip() else "")
        i += 1
    for indent, colons, start in stack:
        warnings.append((start, f"`{':' * colons}` block is never closed, add a `{':' * colons}` line after its text"))
    if dropped:
        warnings.append((dropped[0], f"MDX import/export lines are not supported and were dropped "
                                     f"({len(dropped)} lines); remove them"))
    for name, where in components.items():
        warnings.append((where[0], _component_message(name, len(where))))
    return "\n".join(out), sorted(warnings)


def fence_opener(line: str) -> str:
    """A Docusaurus code fence opener in pymdownx terms: ```` ```js title="a.js" {1,3-4} showLineNumbers ````
    -> ```` ```js title="a.js" hl_lines="1 3-4" linenums="1" ````; the code itself is never touched."""
    m = re.match(r"^([ \t]*(?:`{3,}|~{3,}))[ \t]*([\w#.+-]*)[ \t]+(\S.*?)[ \t]*$", line)
    if not m or m.group(3).startswith("{") and not re.match(r"\{[\d,\s-]+\}", m.group(3)):
        return line  # no meta, or pymdownx's own `{ .lang #id }` attributes
    if re.fullmatch(r"""(?:\s*[A-Za-z_][\w-]*=(["']).*?\1)*\s*""", m.group(3)):
        return line  # only `key="value"` options: pymdownx reads them as they are
    options = []
    meta = m.group(3)
    if title := re.search(r"""\btitle=(["'])(.*?)\1""", meta):
        options.append(f'title="{title.group(2)}"')
    if lines := re.search(r"\{([\d,\s-]+)\}", meta):
        options.append('hl_lines="' + " ".join(p.strip() for p in lines.group(1).split(",") if p.strip()) + '"')
    elif hl := re.search(r"""\bhl_lines=(["'])(.*?)\1""", meta):
        options.append(f'hl_lines="{hl.group(2)}"')
    if numbers := re.search(r"\bshowLineNumbers(?:=(\d+))?|\blinenums=[\"'](\d+)", meta):
        options.append(f'linenums="{numbers.group(1) or numbers.group(2) or 1}"')
    return f"{m.group(1)}{m.group(2)}" + (" " + " ".join(options) if options else "")


def _outside_code(line: str, change) -> str:
    """`line` with `change` applied to the text outside inline code spans."""
    if "`" not in line:
        return change(line)
    out, pos = [], 0
    for m in _INLINE_CODE.finditer(line):
        out += [change(line[pos:m.start()]), m.group(0)]
        pos = m.end()
    return "".join(out + [change(line[pos:])])


def _plain_html(text: str) -> str:
    """MDX comments and `className` as Markdown/HTML: `## Title {/* #id */}` -> `## Title {#id}`
    (the heading id, as attr_list writes it), other `{/* x */}` -> `<!-- x -->`."""
    text = _HEADING_ID.sub(r"\1{#\2}", text)
    text = _MDX_COMMENT.sub(r"<!--\1-->", text)
    return _CLASSNAME.sub(r"\1class=", text)


def _needs_pass(body: str) -> bool:
    """Whether convert() may change or warn about anything (substring tests first: most pages are
    plain Markdown and skip the line-by-line pass)."""
    return (":::" in body or "{/*" in body or "className=" in body or "<details" in body
            or (("import" in body or "export" in body) and re.search(r"^(?:import|export)[\s{*'\"]", body, re.M) is not None)
            or ("<" in body and _JSX_HINT.search(body) is not None)
            or ("```" in body and _FENCE_META[0].search(body) is not None)
            or ("~~~" in body and _FENCE_META[1].search(body) is not None))


def _esm_end(lines: list[str], start: int) -> int | None:
    """The end (exclusive) of the MDX import/export block at `start` (MDX ends it at a blank line), or
    None when the line is not one (prose that starts with "import")."""
    line = lines[start]
    if not (_EXPORT.match(line) or re.match(r"import[\s{*'\"]", line)):
        return None
    end = start + 1
    while end < len(lines) and lines[end].strip():
        end += 1
    if line.startswith("export"):
        return end
    for j in range(end, start, -1):  # the longest run of lines that is one or more imports
        if _IMPORT.match("\n".join(lines[start:j])):
            return j
    return None


def _title(rest: str) -> str:
    """The title of `:::tip Title`, `:::tip[Title]` or `:::tip{title="Title"}`."""
    if m := _BRACKET_TITLE.match(rest):
        return m.group(1).strip()
    if m := _ATTR_TITLE.match(rest):
        return m.group(2).strip()
    return "" if rest.startswith("{") else rest


def _jsx(line: str, index: int, warnings: list[tuple[int, str]], components: dict[str, list[int]]) -> None:
    if m := _EXPR_ATTR.search(line):
        tag, attr = m.group(1), m.group(2)
        if tag == "img" and (url := _BASE_URL.search(line)):
            fix = f"a Markdown image such as `![]({url.group(2)})`, with the picture under assets/"
        elif tag == "img":
            fix = "a Markdown image such as `![](/img/picture.png)`, with the picture under assets/"
        else:
            fix = f'plain HTML (`{attr}="value"`) or Markdown'
        warnings.append((index, f"JSX `<{tag} {attr}={{...}}>` is not supported and shows as raw text; replace it with {fix}"))
    for name in _COMPONENT.findall(line):
        components.setdefault(name, []).append(index)


def _component_message(name: str, count: int) -> str:
    times = f" ({count} times in this file)" if count > 1 else ""
    if name in ("Tabs", "TabItem"):
        fix = ('Material tabs (a `=== "Label"` line per tab, its text indented by 4 spaces), or put each '
               "`<Tabs>`, `<TabItem>`, `</TabItem>` and `</Tabs>` on a line of its own and helpgen converts them")
    else:
        fix = "Markdown or plain HTML"
    return f"JSX component `<{name}>`{times} is not supported, only its text is shown; replace it with {fix}"


def _tabs(lines: list[str]) -> list[str]:
    """`<Tabs>` blocks whose tags stand on lines of their own as Material tabs (`=== "Label"`, the
    text indented by 4 spaces), line for line. Other `<Tabs>` stay (and are warned about)."""
    out = list(lines)
    fence, i = "", 0
    while i < len(lines):
        fence = _fence_state(lines[i], fence)
        if not fence and (m := _TABS_OPEN.match(lines[i])):
            end = next((j for j in range(i + 1, len(lines)) if _TABS_CLOSE.match(lines[j])), None)
            items = _tab_items(lines[i + 1:end], m.group(1)) if end is not None else None
            if items is not None:
                out[i:end + 1] = ["", *items, ""]
                i = end
        i += 1
    return out


def _tab_items(block: list[str], indent: str) -> list[str] | None:
    """The lines between `<Tabs>` and `</Tabs>` as Material tabs, or None when they are not only
    `<TabItem ...>` ... `</TabItem>` blocks with the tags on lines of their own."""
    out: list[str] = []
    item: list[str] | None = None
    fence = ""
    for line in block:
        if item is None:
            if m := _TAB_OPEN.match(line):
                attrs = m.group(1)
                label = _attr(attrs, "label") or _attr(attrs, "value") or f"Tab {sum(1 for x in out if x.strip()) + 1}"
                first = "" if any(x.strip() for x in out) else "!"  # `===!`: a new tab set, not the last one's
                selected = "+" if re.search(r"(?:^|\s)default\b", attrs) else ""
                out.append(f'{indent}==={first}{selected} "{label}"')
                item, fence = [], ""
            elif line.strip():
                return None
            else:
                out.append("")
        elif not fence and _TAB_CLOSE.match(line):
            out += _dedent(item, indent + "    ") + [""]
            item = None
        else:
            if "<Tabs" in line or "<TabItem" in line and not fence:
                return None  # nested tabs: left as they are
            fence = _fence_state(line, fence)
            item.append(line)
    return out if item is None else None


def _fence_state(line: str, fence: str) -> str:
    """The open code fence after `line` ("" when none)."""
    m = _FENCE.match(line)
    if not m:
        return fence
    if not fence:
        return m.group(1)
    closes = m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip()
    return "" if closes else fence


def _attr(attrs: str, name: str) -> str:
    m = re.search(rf"""(?:^|\s){name}=(?:"([^"]*)"|'([^']*)'|\{{\s*["']([^"']*)["']\s*\}})""", attrs)
    return next((g for g in m.groups() if g is not None), "").strip() if m else ""


def _dedent(lines: list[str], indent: str) -> list[str]:
    """`lines` without their common indentation, each non-blank one starting with `indent`."""
    common = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return [indent + x[common:] if x.strip() else "" for x in lines]


# --- links ------------------------------------------------------------------------------------

def doc_routes(path: str, doc_id: str = "", slug: str = "") -> tuple[str, ...]:
    """The routes (below `/docs/`, no slashes around) Docusaurus gives the page at `path` (under the
    docs folder, with suffix), with front matter `id` and `slug`: `guides/01-setup.mdx` ->
    `guides/01-setup`, `guides/setup`; an index/README page (or `guides/guides.md`) -> `guides`."""
    parts = strip_suffix(path).split("/")
    folders = [number_prefix(p)[1] for p in parts[:-1]]
    name = number_prefix(parts[-1])[1]
    routes = ["/".join(parts), "/".join(folders + [name])]
    if doc_id:  # a Docusaurus id names the page in its folder; a helpgen id with a `/` is the whole id
        routes.append(doc_id if "/" in doc_id else "/".join(folders + [doc_id]))
    if name.lower() in ("index", "readme") or (folders and name == folders[-1]):
        routes.append("/".join(folders))
    if slug:
        routes.append(slug.strip("/") if slug.startswith("/") else "/".join(folders + [slug.strip("/")]))
    return tuple(dict.fromkeys(r.strip("/") for r in routes))


def find_doc_link(path: str, source: str, routes: Mapping[str, str], files: Container[str]) -> str | None:
    """The KB path that a Docusaurus-style link in the page `source` points to, or None.

    `path` is the link target without `#anchor` (`/docs/guides/setup`, `./setup`, `/img/x.png`);
    `routes` maps each route (see doc_routes) to its page's KB path (`articles/...`); `files` holds
    the KB paths of the assets. Callers try plain file links first: this is their fallback.
    """
    path = path.partition("?")[0]
    if not path or _EXTERNAL.match(path):
        return None
    if path.startswith("/"):
        url = path.rstrip("/")
        if url == DOCS_ROUTE or url.startswith(DOCS_ROUTE + "/"):
            return routes.get(strip_suffix(url[len(DOCS_ROUTE):].strip("/")))
        asset = posixpath.normpath("assets/" + path.lstrip("/"))  # Docusaurus static/ copied into assets/
        return asset if asset in files else None
    own = route(posixpath.dirname(source).partition("/")[2])  # the page's own folder below /docs/
    found = posixpath.normpath(posixpath.join(own, strip_suffix(path).rstrip("/") or ".")).strip("/")
    return routes.get("" if found == "." else found) if not found.startswith("..") else None


def doc_link_hint(target: str, routes: Mapping[str, str]) -> str:
    """' did you mean `/docs/guides/setup`?' for a `/docs/...` link that leads nowhere, else ''."""
    url = target.partition("#")[0].rstrip("/")
    if not url.startswith(DOCS_ROUTE + "/") or not routes:
        return ""
    close = difflib.get_close_matches(strip_suffix(url[len(DOCS_ROUTE) + 1:]), sorted(routes), n=1, cutoff=0.8)
    return f" did you mean `{DOCS_ROUTE}/{close[0]}`?" if close else ""
