"""Migrating a Docusaurus or MkDocs `docs/` folder: copied into articles/, it builds a usable site,
and `helpgen check` says what to change (helpgen/kb/markdown_compat.py, kb/load.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpgen.cli import main
from helpgen.kb import markdown_compat as compat
from helpgen.kb.load import load_kb
from helpgen.kb.model import Section

# One stage, and level/stage on every page, so that `check` prints only what migration is about.
HELPGEN_YML = "name: Docs\nstages:\n  - id: start\n    label: Start\n"

DOCUSAURUS = {
    "helpgen.yml": HELPGEN_YML,
    "articles/intro.md": """---
sidebar_position: 1
slug: /
level: beginner
stage: start
description: What the product does.
---

# Welcome

Read the [setup guide](/docs/guides/setup) first, then [the FAQ](./faq.mdx#billing).

:::tip[Quick start]
Install the app first.

```bash
:::note this is code
import x from 'y';
```
:::
""",
    "articles/guides/_category_.json": '{\n  "label": "How-to guides",\n  "position": 5,\n  "link": {"type": "generated-index"}\n}\n',
    "articles/01-basics/_category_.yml": "label: The basics\ncollapsed: false\n",
    "articles/01-basics/terms.md": "---\nlevel: beginner\nstage: start\ndescription: Words we use.\n---\n# Terms\n",
    "articles/03-reference/api.md": "---\nlevel: advanced\nstage: start\ndescription: The API.\n---\n# API\n",
    "articles/guides/01-setup.mdx": """---
title: Set up your account
sidebar_label: Setup
description: Create an account and sign in.
level: beginner
stage: start
tags: [setup, {label: Accounts, permalink: /accounts}]
---
import useBaseUrl from '@docusaurus/useBaseUrl';
import Tabs from '@theme/Tabs';
import TabItem from '@theme/TabItem';

Open the app and tap **Sign up**.

<img src={useBaseUrl('/img/signup.png')} alt="Sign up" />

::::caution Before you start
Check your email address.

:::danger
Never share your password.
:::

::::

<Tabs>
  <TabItem value="web" label="Web">Use the browser.</TabItem>
  <TabItem value="app" label="App">Use the app.</TabItem>
</Tabs>

```js title="src/signup.js" {2} showLineNumbers
const user = signUp();
const id = user.id;
```

Back to the [intro](../intro.md) or the [FAQ](/docs/faq/). `<Tabs>` in code is fine.
See also [billing](/docs/guides/billing).
""",
    "articles/guides/02-profile.md": """---
title: Edit your profile
level: advanced
stage: start
description: Change your name and photo.
---

:::info Where to find it
Tap your photo, then **Edit**.
:::

Set up first: [setup](./setup), or [the same page](01-setup.mdx).

<Tabs groupId="device">
  <TabItem value="phone" label="Phone" default>

    Tap your photo, then **Edit**.

  </TabItem>
  <TabItem value="web" label="Web">
    Click your name, then [Profile](/docs/faq).
  </TabItem>
</Tabs>

![Profile screen](./img/profile.png)
""",
    "articles/guides/img/profile.png": b"\x89PNG fake image",
    "articles/faq.mdx": """---
id: faq
sidebar_position: 3
level: troubleshooting
stage: start
description: Answers to common questions.
---
# FAQ

## Billing

:::warning{title="Billing cycle"}
You pay monthly. ![Sign up screen](/img/signup.png)
:::

<details>
<summary>Can I pay yearly?</summary>

Yes, see [setup](/docs/guides/setup#top).

</details>
""",
    "assets/img/signup.png": b"\x89PNG fake image",
}

EXPECTED_CHECK = """\
articles/faq.mdx:19: warning: link `/docs/guides/setup#top` points to a missing anchor `#top`, use the id of a heading in articles/guides/01-setup.mdx
articles/guides/01-setup.mdx:9: warning: MDX import/export lines are not supported and were dropped (3 lines); remove them
articles/guides/01-setup.mdx:15: warning: JSX `<img src={...}>` is not supported and shows as raw text; replace it with a Markdown image such as `![](/img/signup.png)`, with the picture under assets/
articles/guides/01-setup.mdx:26: warning: JSX component `<Tabs>` is not supported, only its text is shown; replace it with Material tabs (a `=== "Label"` line per tab, its text indented by 4 spaces), or put each `<Tabs>`, `<TabItem>`, `</TabItem>` and `</Tabs>` on a line of its own and helpgen converts them
articles/guides/01-setup.mdx:27: warning: JSX component `<TabItem>` (2 times in this file) is not supported, only its text is shown; replace it with Material tabs (a `=== "Label"` line per tab, its text indented by 4 spaces), or put each `<Tabs>`, `<TabItem>`, `</TabItem>` and `</Tabs>` on a line of its own and helpgen converts them
articles/guides/01-setup.mdx:37: warning: link `/docs/guides/billing` points to nothing, fix the path (relative to this file) or link an existing article
0 errors, 6 warnings
"""

MKDOCS = {
    "helpgen.yml": HELPGEN_YML,
    "articles/index.md": """---
level: beginner
stage: start
summary: Where to start.
---
# Project docs

See the [user guide](user-guide/getting-started.md) and the [options](user-guide/configuration.md#options).

!!! note "Heads up"
    This is an MkDocs admonition.

![Diagram](img/diagram.png)
""",
    "articles/user-guide/getting-started.md": """---
title: Getting started
description: Install and run.
level: beginner
stage: start
---

Install it, then read [configuration](configuration.md) or go [home](../index.md).

!!! warning
    Back up first.

??? tip "More"
    Folded text.
""",
    "articles/user-guide/configuration.md": """---
level: advanced
stage: start
summary: Every option.
---
# Configuration

## Options

Set them in the file. ![Diagram](../img/diagram.png)
""",
    "articles/img/diagram.png": b"\x89PNG fake image",
}


def run(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


# --- conversion of the Markdown ----------------------------------------------------------------

def test_admonitions_become_material_blocks_and_keep_line_numbers():
    body = ("Text\n:::note\nPlain.\n:::\n\n:::tip Title words\nA\n\nB\n:::\n:::info[Bracket title]\nC\n:::\n"
            ":::caution\nD\n:::\n:::danger\nE\n:::\n")
    out, warnings = compat.convert(body)
    assert out == ('Text\n!!! note\n    Plain.\n\n\n!!! tip "Title words"\n    A\n\n    B\n\n!!! info "Bracket title"\n'
                   '    C\n\n!!! warning\n    D\n\n!!! danger\n    E\n\n')
    assert warnings == []
    assert out.count("\n") == body.count("\n")


def test_nested_blocks_with_more_colons_and_code_fences_left_alone():
    body = "::::note Outer\nA\n\n:::tip\nB\n```\n:::danger\nimport x from 'y';\n```\n:::\n\nC\n::::\nafter\n"
    out, warnings = compat.convert(body)
    assert out.split("\n") == ['!!! note "Outer"', "    A", "", "    !!! tip", "        B", "        ```",
                               "        :::danger", "        import x from 'y';", "        ```", "", "",
                               "    C", "", "after", ""]
    assert warnings == []


def test_code_fences_outside_blocks_are_untouched():
    body = "```md\n:::tip\nimport a from 'b';\n<Tabs>\n```\n~~~\n<img src={x} />\n~~~\n"
    assert compat.convert(body) == (body, [])


def test_unknown_and_unclosed_blocks_are_warned_about():
    out, warnings = compat.convert(":::details Summary\nx\n:::\n\n:::tip\nnever closed\n")
    assert out.startswith(":::details Summary\nx\n:::\n\n!!! tip\n    never closed")
    assert warnings == [
        (0, "`:::details` is not a Docusaurus admonition, so it shows as text; use one of: note, tip, info, "
            "caution, warning, danger, important, success, secondary"),
        (4, "`:::` block is never closed, add a `:::` line after its text"),
    ]


def test_mdx_import_and_export_lines_are_dropped_with_one_warning():
    body = ("import Tabs from '@theme/Tabs';\nimport {\n  a,\n  b,\n} from './x';\n\nimport your data first.\n\n"
            "export const Highlight = ({children}) => (\n  <span>{children}</span>\n);\n\n"
            "```js\nimport z from 'z';\n```\nText\n")
    out, warnings = compat.convert(body)
    assert out.split("\n") == ["", "", "", "", "", "", "import your data first.", "", "", "", "", "",
                               "```js", "import z from 'z';", "```", "Text", ""]
    assert warnings == [(0, "MDX import/export lines are not supported and were dropped (8 lines); remove them")]


def test_jsx_gets_a_warning_outside_code_only():
    body = ("Use `<Tabs>` and `<img src={x}>` in code.\n<a href={link}>x</a>\n"
            "<img src={require('./x.png').default} />\n<Admonition type=\"tip\">y</Admonition>\n"
            '<div className="box">{/* a comment */}</div>\n')
    out, warnings = compat.convert(body)
    assert out.split("\n")[-2] == '<div class="box"><!-- a comment --></div>'
    assert warnings == [
        (1, 'JSX `<a href={...}>` is not supported and shows as raw text; replace it with plain HTML (`href="value"`) '
            "or Markdown"),
        (2, "JSX `<img src={...}>` is not supported and shows as raw text; replace it with a Markdown image such as "
            "`![](/img/picture.png)`, with the picture under assets/"),
        (3, "JSX component `<Admonition>` is not supported, only its text is shown; replace it with Markdown or "
            "plain HTML"),
    ]


@pytest.mark.parametrize("opener, expected", [
    ('```js title="a.js" {1,3-4}', '```js title="a.js" hl_lines="1 3-4"'),
    ("  ```jsx showLineNumbers live", '  ```jsx linenums="1"'),
    ("~~~py showLineNumbers=5", '~~~py linenums="5"'),
    ('```py title="a.py" hl_lines="2" linenums="3"', '```py title="a.py" hl_lines="2" linenums="3"'),
    ("``` { .py #code }", "``` { .py #code }"),
    ("```text", "```text"),
])
def test_code_fence_options_become_pymdownx_options(opener, expected):
    assert compat.fence_opener(opener) == expected
    assert compat.convert(f"{opener}\n:::tip {{1}}\n```\n")[0] == f"{expected}\n:::tip {{1}}\n```\n"


def test_tabs_with_tags_on_lines_of_their_own_become_material_tabs():
    body = ('<Tabs groupId="os">\n  <TabItem value="ios" label="iPhone" default>\n\n    Open **Settings**.\n\n'
            '    ```bash\n    echo </TabItem>\n    ```\n  </TabItem>\n  <TabItem value="android">\nTap.\n  </TabItem>\n'
            '</Tabs>\n<Tabs>\n<TabItem label={"Only"}>\nx\n</TabItem>\n</Tabs>\n')
    out, warnings = compat.convert(body)
    assert out.split("\n") == ["", '===!+ "iPhone"', "", "    Open **Settings**.", "", "    ```bash",
                               "    echo </TabItem>", "    ```", "", '=== "android"', "    Tap.", "", "",
                               "", '===! "Only"', "    x", "", "", ""]
    assert warnings == []


def test_tabs_and_admonitions_nest_both_ways():
    body = ('<Tabs>\n<TabItem label="A">\n\n:::tip Inside\nTip text.\n:::\n\n</TabItem>\n</Tabs>\n\n'
            ":::note Outer\n<Tabs>\n<TabItem label=\"B\">\nTab text.\n</TabItem>\n</Tabs>\n:::\n")
    out, warnings = compat.convert(body)
    assert [line for line in out.split("\n") if line] == [
        '===! "A"', '    !!! tip "Inside"', "        Tip text.", '!!! note "Outer"', '    ===! "B"', "        Tab text."]
    assert warnings == [] and out.count("\n") == body.count("\n")


def test_tabs_that_cannot_be_converted_are_left_and_warned_about():
    body = "<Tabs>\n<TabItem value=\"a\">inline</TabItem>\n</Tabs>\n<Tabs>\ntext outside a tab\n</Tabs>\n"
    out, warnings = compat.convert(body)
    assert out == body
    assert [(line, message.split(" is not")[0]) for line, message in warnings] == [
        (0, "JSX component `<Tabs>` (2 times in this file)"), (1, "JSX component `<TabItem>`")]


def test_mdx_comments_become_heading_ids_or_html_comments_outside_inline_code():
    body = "## Install {/* #setup */}\nWrite `{/* #id */}` or `className`; {/* a note */} <p className=\"x\">y</p>\n"
    assert compat.convert(body) == (
        '## Install {#setup}\nWrite `{/* #id */}` or `className`; <!-- a note --> <p class="x">y</p>\n', [])


def test_markdown_inside_details_is_rendered():
    body = "<details>\n<summary>More</summary>\n\nSee **this**.\n</details>\n<details open>\n<details markdown=\"1\">\n"
    assert compat.convert(body)[0] == ('<details markdown="1">\n<summary>More</summary>\n\nSee **this**.\n</details>\n'
                                       '<details markdown="1" open>\n<details markdown="1">\n')


def test_plain_markdown_is_unchanged():
    body = "# Title\n\nimport/export settings are in **Settings**.\n\n!!! note\n    Material.\n\n<b>bold</b> {#x}\n"
    assert compat.convert(body) == (body, [])


def test_doc_routes_follow_docusaurus_ids_and_slugs():
    assert compat.doc_routes("guides/01-setup.mdx") == ("guides/01-setup", "guides/setup")
    assert compat.doc_routes("02-guides/intro.md", doc_id="start", slug="/begin") == (
        "02-guides/intro", "guides/intro", "guides/start", "begin")
    assert compat.doc_routes("guides/index.md", slug="welcome") == ("guides/index", "guides", "guides/welcome")
    assert compat.doc_routes("guides/guides.md") == ("guides/guides", "guides")
    assert compat.doc_routes("guides/b.md", doc_id="/guides/other/") == ("guides/b", "guides/other")
    assert compat.number_prefix("2024-01-02-release") == (None, "2024-01-02-release")


# --- loading: front matter and links ------------------------------------------------------------

def test_docusaurus_front_matter_is_mapped(make_kb):
    kb, problems = load_kb(make_kb(DOCUSAURUS))
    by_id = {a.id: a for a in kb.articles}
    assert sorted(by_id) == ["basics/terms", "faq", "guides/profile", "guides/setup", "intro", "reference/api"]
    setup, intro, faq = by_id["guides/setup"], by_id["intro"], by_id["faq"]
    assert (setup.title, setup.summary, setup.tags, setup.order) == (
        "Set up your account", "Create an account and sign in.", ("setup", "Accounts"), 1)
    assert (intro.title, intro.order, faq.order, by_id["guides/profile"].order) == ("Welcome", 1, 3, 2)
    assert [p.message for p in problems if p.severity == "error"] == []
    assert kb.assets == ("assets/img/signup.png", "articles/guides/img/profile.png")


def test_category_files_and_number_prefixes_label_and_order_the_folders(make_kb):
    from helpgen.site.mkdocs_config import nav
    from helpgen.site.view import View

    kb, _ = load_kb(make_kb(DOCUSAURUS))
    assert kb.sections == (
        Section("basics", "The basics", 1, "articles/01-basics/_category_.yml"),
        Section("guides", "How-to guides", 5, "articles/guides/_category_.json"),
        Section("reference", "", 3, ""),
    )
    folders = [next(iter(item)) for item in nav(View(kb, "en")) if isinstance(item, dict)]
    assert folders[folders.index("The basics"):][:3] == ["The basics", "Reference", "How-to guides"]


BROKEN_CATEGORIES = [
    ("_category_.json", '{\n  "label": ,\n}', "2: error: invalid JSON: Expecting value, fix the syntax"),
    ("_category_.yml", "label: [x\n", "2: error: invalid YAML: did not find expected ',' or ']', fix the syntax"),
    ("_category_.yml", "- a\n", "1: error: a `_category_` file holds the folder's settings, such as `label` and `position`"),
    ("_category_.json", '{"position": "first"}', "1: error: `position` must be a number, got `first`"),
]


@pytest.mark.parametrize("name, text, message", BROKEN_CATEGORIES)
def test_broken_category_files_are_errors(make_kb, name, text, message):
    kb, problems = load_kb(make_kb({f"articles/area/{name}": text, "articles/area/a.md": "# A\n"}))
    assert [str(p) for p in problems] == [f"articles/area/{name}:{message}"]
    assert [(s.label, s.position) for s in kb.sections] in ([], [("", None)])


def test_sidebar_label_is_the_title_of_last_resort_and_positions_may_be_decimals(make_kb):
    kb, problems = load_kb(make_kb({
        "articles/a.md": "---\nsidebar_label: Short label\nsidebar_position: 2.5\n---\nText.\n",
        "articles/b.md": "---\nsidebar_position: first\n---\n# B\n",
        "articles/c.md": "---\norder: 7\nsidebar_position: 1\n---\n# C\n",
    }))
    a, b, c = kb.articles
    assert (a.title, a.order, b.order, c.order) == ("Short label", 2.5, None, 7)
    assert [str(p) for p in problems] == ["articles/b.md:2: error: `sidebar_position` must be a number, got `first`"]


@pytest.mark.parametrize("source, target, found", [
    ("articles/intro.md", "/docs/guides/setup", "articles/guides/01-setup.mdx"),
    ("articles/intro.md", "/docs/guides/setup/#top", "articles/guides/01-setup.mdx"),
    ("articles/intro.md", "/docs/guides/01-setup.mdx", "articles/guides/01-setup.mdx"),
    ("articles/intro.md", "/docs/faq", "articles/faq.mdx"),
    ("articles/faq.mdx", "/docs/", "articles/intro.md"),  # slug: /
    ("articles/faq.mdx", "/docs/basics/terms", "articles/01-basics/terms.md"),
    ("articles/guides/02-profile.md", "./setup", "articles/guides/01-setup.mdx"),
    ("articles/guides/02-profile.md", "setup/", "articles/guides/01-setup.mdx"),
    ("articles/guides/02-profile.md", "../reference/api", "articles/03-reference/api.md"),
    ("articles/guides/02-profile.md", "01-setup.mdx", "articles/guides/01-setup.mdx"),
    ("articles/faq.mdx", "/img/signup.png", "assets/img/signup.png"),
    ("articles/intro.md", "/docs/guides/billing", None),
    ("articles/intro.md", "/docs/guides", None),
    ("articles/intro.md", "/blog/news", None),
    ("articles/intro.md", "https://example.org/docs/faq", None),
])
def test_docusaurus_links_lead_to_the_page_in_check_and_build(make_kb, source, target, found):
    from helpgen.kb.checks import LinkResolver
    from helpgen.site import articles as art
    from helpgen.site.view import View

    kb, _ = load_kb(make_kb(DOCUSAURUS))
    assert LinkResolver(kb).resolve(source, target) == found
    view = View(kb, "en")
    path = target.partition("#")[0]
    docs = art.resolve(path, source, art.path_map(view), kb.doc_routes)
    assert docs == (art.path_map(view)[found] if found else None)


def test_a_docs_link_to_nothing_suggests_a_near_route(make_kb):
    root = make_kb({**DOCUSAURUS, "articles/x.md": "---\nlevel: beginner\nstage: start\nsummary: X.\n---\n# X\n\n"
                                                   "[a](/docs/guides/setpu) [b](/docs/guides/billing) [c](/docs/basic/terms)\n"})
    code, output = run("check", root)
    assert [line for line in output.splitlines() if line.startswith("articles/x.md")] == [
        "articles/x.md:8: warning: link `/docs/basic/terms` points to nothing, did you mean `/docs/basics/terms`? "
        "fix the path (relative to this file) or link an existing article",
        "articles/x.md:8: warning: link `/docs/guides/billing` points to nothing, "
        "fix the path (relative to this file) or link an existing article",
        "articles/x.md:8: warning: link `/docs/guides/setpu` points to nothing, did you mean `/docs/guides/setup`? "
        "fix the path (relative to this file) or link an existing article",
    ]
    assert code == 0


def test_pages_keep_their_links_as_written(make_kb):
    kb, _ = load_kb(make_kb(DOCUSAURUS))
    intro = next(a for a in kb.articles if a.id == "intro")
    assert "Read the [setup guide](/docs/guides/setup) first, then [the FAQ](./faq.mdx#billing)." in intro.body


def test_translations_of_mdx_pages_are_named_like_their_source(make_kb):
    from helpgen.kb.checks import translation_path

    assert translation_path("articles/guides/01-setup.mdx", "zh", "en") == "articles/guides/01-setup.zh.mdx"
    kb, _ = load_kb(make_kb({"helpgen.yml": "languages: [en, zh]\n", "articles/a.mdx": "# A\n",
                             "articles/a.zh.mdx": "# 甲\n"}))
    assert [(a.id, a.lang) for a in kb.articles] == [("a", ""), ("a", "zh")]


def test_top_level_index_page_gets_an_id_of_its_own(make_kb):
    kb, _ = load_kb(make_kb(MKDOCS))
    assert sorted(a.id for a in kb.articles) == ["project-docs", "user-guide/configuration", "user-guide/getting-started"]


# --- the CLI on whole folders ------------------------------------------------------------------

def test_check_says_exactly_what_to_change_in_a_docusaurus_folder(make_kb):
    code, output = run("check", make_kb(DOCUSAURUS))
    assert output == EXPECTED_CHECK
    assert code == 0


def test_migration_messages_are_documented():
    from test_docs import message_patterns

    patterns = message_patterns()
    messages = [line.split(": warning: ", 1)[1] for line in EXPECTED_CHECK.splitlines() if ": warning: " in line]
    _, warnings = compat.convert(":::details\n:::\n<a href={x}>y</a>\n<Foo/>\n:::tip\n")
    messages += [message for _, message in warnings]
    messages += [message.split(": error: ", 1)[1] for _, _, message in BROKEN_CATEGORIES]
    messages.append("link `/docs/a/b` points to nothing," + compat.doc_link_hint("/docs/a/b", {"a/bb": "articles/a/bb.md"})
                    + " fix the path (relative to this file) or link an existing article")
    assert [m for m in messages if not any(rx.match(m) for rx in patterns)] == []


def test_the_warnings_shown_in_the_migration_guide_are_real():
    guide = (Path(__file__).parents[1] / "docs" / "migrating.md").read_text(encoding="utf-8")
    shown = re.search(r"### Warnings.*?```\n(.*?)```", guide, flags=re.S).group(1).splitlines()
    assert len(shown) == 4 and all(line in EXPECTED_CHECK.splitlines() for line in shown)


def test_an_unused_file_beside_the_pages_is_warned_about_and_other_files_stay_private(make_kb, tmp_path):
    kb = make_kb({**MKDOCS, "articles/img/old.png": b"x", "articles/notes.txt": "internal", "articles/x.yml": "a: 1"})
    loaded, _ = load_kb(kb)
    assert loaded.assets == ("articles/img/diagram.png", "articles/img/old.png")
    assert run("check", kb) == (0, "articles/img/old.png: warning: asset is not used by any article, link it from an "
                                   "article or delete it\n0 errors, 1 warning\n")


def _article_html(site: Path, url: str) -> str:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    return html[html.index("<article"):html.index("</article>")]


def _broken_links(site: Path, url: str) -> list[str]:
    """Relative href/src of the page's article that lead to no file of the site."""
    broken = []
    for target in re.findall(r'(?:href|src)="([^"#]+)(?:#[^"]*)?"', _article_html(site, url)):
        if re.match(r"[a-z]+:|/", target):
            broken.append(target)  # nothing should stay absolute
            continue
        path = (site / url / target).resolve()
        if not (path.is_file() or (path / "index.html").is_file()):
            broken.append(target)
    return broken


def test_docusaurus_folder_builds_a_site_with_admonitions_and_working_links(make_kb, tmp_path):
    kb = make_kb(DOCUSAURUS)
    code, output = run("build", kb, "-o", tmp_path / "site")
    assert code == 0, output
    site = tmp_path / "site"
    setup = _article_html(site, "guides/setup")
    assert '<div class="admonition warning">\n<p class="admonition-title">Before you start</p>' in setup
    assert '<div class="admonition danger">\n<p class="admonition-title">Danger</p>' in setup
    assert '<span class="filename">src/signup.js</span>' in setup and '<span class="hll">' in setup
    assert 'class="linenos"' in setup
    intro = _article_html(site, "intro")
    assert '<div class="admonition tip">\n<p class="admonition-title">Quick start</p>' in intro
    assert "<code>:::note" in intro.replace('<span class="w"> </span>', " ")  # the fenced code as written
    faq = _article_html(site, "faq")
    assert '<p class="admonition-title">Billing cycle</p>' in faq
    assert '<summary>Can I pay yearly?</summary>\n<p>Yes, see <a href="../guides/setup/#top">setup</a>.</p>' in faq
    profile = _article_html(site, "guides/profile")
    assert '<div class="admonition info">' in profile
    assert '<div class="tabbed-labels"><label for="__tabbed_1_1">Phone</label><label for="__tabbed_1_2">Web</label>' in profile
    assert '<p>Click your name, then <a href="../../faq/">Profile</a>.</p>' in profile
    assert "TabItem" not in profile and "TabItem" in setup  # the one-line tabs stay (and are warned about)
    for url in ("intro", "guides/setup", "guides/profile", "faq"):
        text = re.sub(r"<code>.*?</code>", "", _article_html(site, url), flags=re.S)
        assert ":::" not in text and "import " not in text, url
        assert _broken_links(site, url) == ([] if url != "guides/setup" else ["/docs/guides/billing"]), url
    assert (site / "guides" / "img" / "profile.png").is_file()


def test_mkdocs_folder_builds_clean(make_kb, tmp_path):
    kb = make_kb(MKDOCS)
    assert run("check", kb) == (0, "no problems\n")
    code, output = run("build", kb, "-o", tmp_path / "site")
    assert code == 0 and output.endswith("(no problems)\n"), output
    site = tmp_path / "site"
    assert '<div class="admonition note">\n<p class="admonition-title">Heads up</p>' in _article_html(site, "project-docs")
    assert '<details class="tip">' in _article_html(site, "user-guide/getting-started")
    for url in ("project-docs", "user-guide/getting-started", "user-guide/configuration"):
        assert _broken_links(site, url) == [], url
    assert (site / "img" / "diagram.png").read_bytes() == MKDOCS["articles/img/diagram.png"]


@pytest.mark.parametrize("name", ["README.md", "index.md"])
def test_folder_home_pages_keep_their_folder(make_kb, name):
    kb, _ = load_kb(make_kb({f"articles/guides/{name}": "# Guides\n", "articles/guides/a.md": "# A\n[up](./)\n"}))
    assert sorted(a.id for a in kb.articles) == sorted(["guides/a", f"guides/{name[:-3]}"])
