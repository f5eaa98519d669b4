"""Every check message, word for word, through `helpgen check` (CliRunner), plus exit codes."""
from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from helpgen.cli import main
from helpgen.kb.checks import anchors_of, check_kb, today_default
from helpgen.kb.load import load_kb

CONFIG = "stages:\n  - id: onboarding\n    label: Getting started\n  - id: adapting\n    label: Solving problems\n"
START = "---\ntitle: Start here\nlevel: beginner\nstage: onboarding\nsummary: First steps.\n---\n\n## Sign up\n\n## Sign up\n"
FIX = "---\ntitle: Fix it\nlevel: troubleshooting\nstage: adapting\nsummary: Fixes.\nerror_codes: [E1]\n---\n\n## Card declined {#declined}\n"


def check(make_kb, files: dict, *args: str, base: bool = True):
    """Run `helpgen check` on a clean base KB plus `files`; return (exit code, output lines)."""
    all_files = {"helpgen.yml": CONFIG, "articles/start.md": START, "articles/fix.md": FIX} if base else {}
    root = make_kb({**all_files, **files})
    result = CliRunner().invoke(main, ["check", str(root), *args])
    return result.exit_code, result.output.splitlines()


def article(extra: str = "", body: str = "", title: str = "T") -> str:
    return f"---\ntitle: {title}\nlevel: beginner\nstage: onboarding\nsummary: S.\n{extra}---\n{body}"


def test_clean_kb(make_kb):
    assert check(make_kb, {}) == (0, ["no problems"])


def test_missing_title(make_kb):
    code, out = check(make_kb, {"articles/x.md": "---\nlevel: beginner\nstage: onboarding\nsummary: S.\n---\nNo heading.\n"})
    assert code == 1
    assert out == ["articles/x.md:1: error: missing title, add `title:` to the front matter or start the page with a `# heading`",
                   "1 error, 0 warnings"]


def test_invalid_level_and_stage_with_hints(make_kb):
    text = "---\ntitle: T\nlevel: begginer\nstage: [onbording, nowhere]\nsummary: S.\n---\n"
    code, out = check(make_kb, {"articles/x.md": text})
    assert code == 1
    assert out == [
        "articles/x.md:3: error: invalid level `begginer`, did you mean `beginner`? use one of: beginner, advanced, troubleshooting",
        "articles/x.md:4: error: invalid stage `nowhere`, use one of: onboarding, adapting",
        "articles/x.md:4: error: invalid stage `onbording`, did you mean `onboarding`? use one of: onboarding, adapting",
        "3 errors, 0 warnings",
    ]


def test_invalid_level_without_near_miss(make_kb):
    _, out = check(make_kb, {"articles/x.md": article().replace("level: beginner", "level: expert")})
    assert out[0] == "articles/x.md:3: error: invalid level `expert`, use one of: beginner, advanced, troubleshooting"


def test_duplicate_ids_same_language_only(make_kb):
    code, out = check(make_kb, {
        "helpgen.yml": CONFIG + "languages: [en, zh]\n",
        "articles/a.md": article("id: start\n"),
        "articles/start.zh.md": article(),
    })
    assert code == 1
    assert out == ["articles: info: 1 of 2 articles are not translated to zh yet; zh readers get the en page with a note (`helpgen check --verbose` lists them)",
                   "articles/start.md:1: error: duplicate id `start`, already used by articles/a.md; give one of them another `id`",
                   "1 error, 0 warnings"]


def test_error_code_claimed_twice(make_kb):
    _, out = check(make_kb, {"articles/x.md": article("error_codes: [E2, E1]\n")})
    assert out == ["articles/x.md:6: error: error code `E1` is already claimed by articles/fix.md; list each error code on one article only",
                   "1 error, 0 warnings"]


def test_invalid_yaml_and_encoding_errors(make_kb):
    code, out = check(make_kb, {"articles/bad.md": "---\ntitle: x: y\n---\n",
                                "articles/win.md": "# Résumé\n\nCafé, déjà vu, naïve.\n".encode("cp1252")})
    assert code == 1
    assert out[0].startswith("articles/bad.md:2: error: invalid YAML in front matter: ")
    assert out[1].startswith("articles/win.md:1: error: not UTF-8 text (looks like ")
    assert out[2] == "2 errors, 0 warnings"


def test_migrated_page_missing_level_and_stage(make_kb):
    code, out = check(make_kb, {"articles/old.md": "---\ntitle: Old page\nsummary: S.\n---\n"})
    assert code == 0
    assert out == [
        'articles/old.md:1: warning: no level or stage yet, the page goes under "Unsorted"; add e.g. `level: beginner` and `stage: onboarding`',
        "0 errors, 1 warning",
    ]
    assert check(make_kb, {"articles/old.md": "---\ntitle: Old page\nsummary: S.\n---\n"}, "--strict")[0] == 1


def test_page_missing_only_level_or_only_stage(make_kb):
    _, out = check(make_kb, {"articles/a.md": "---\ntitle: A\nstage: onboarding\nsummary: S.\n---\n",
                             "articles/b.md": "---\ntitle: B\nlevel: expert\nsummary: S.\n---\n"})
    assert out == [
        'articles/a.md:1: warning: missing level, the page goes under "Unsorted"; add `level:` with one of: beginner, advanced, troubleshooting',
        'articles/b.md:1: warning: missing stage, the page goes under "Unsorted"; add `stage:` with one of: onboarding, adapting',
        "articles/b.md:3: error: invalid level `expert`, use one of: beginner, advanced, troubleshooting",
        "1 error, 2 warnings",
    ]


def test_related_and_links(make_kb):
    body = ("\n[ok](fix.md) [ok](fix) [ok](/fix/) [ok](fix.md#declined) [ok](#sign-up_1) [ok](https://x.test/)\n"
            "`[not a link](nowhere.md)`\n```\n[in code](nowhere.md)\n```\n"
            "[bad](nowhere.md) ![img](../assets/gone.png)\n[anchor](fix.md#nope)\n[self](#nope)\n[ref]: ../outside.md\n")
    _, out = check(make_kb, {"articles/start.md": START.replace("summary", "related: [fixx, gone/away]\nsummary") + body})
    assert out == [
        "articles/start.md:5: warning: related article `fixx` does not exist, did you mean `fix`?",
        "articles/start.md:5: warning: related article `gone/away` does not exist, use an article id (its path under articles/ without .md)",
        "articles/start.md:18: warning: link `../assets/gone.png` points to nothing, fix the path (relative to this file) or link an existing article",
        "articles/start.md:18: warning: link `nowhere.md` points to nothing, fix the path (relative to this file) or link an existing article",
        "articles/start.md:19: warning: link `fix.md#nope` points to a missing anchor `#nope`, use the id of a heading in articles/fix.md",
        "articles/start.md:20: warning: link `#nope` points to a missing anchor `#nope`, use the id of a heading in articles/start.md",
        "articles/start.md:21: warning: link `../outside.md` points to nothing, fix the path (relative to this file) or link an existing article",
        "0 errors, 7 warnings",
    ]


def test_review_after_uses_source_date_epoch(make_kb, monkeypatch):
    files = {"articles/x.md": article("review_after: 2025-01-01\n")}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1735776000))  # 2025-01-02
    assert today_default() == date(2025, 1, 2)
    _, out = check(make_kb, files)
    assert out == ["articles/x.md:6: warning: review date 2025-01-01 has passed, check the article is still right and move `review_after` forward",
                   "0 errors, 1 warning"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1735689600))  # 2025-01-01: not past yet
    assert check(make_kb, files) == (0, ["no problems"])


def test_orphan_assets_and_used_ones(make_kb):
    code, out = check(make_kb, {
        "helpgen.yml": CONFIG + "logo: assets/logo.svg\nmkdocs:\n  theme:\n    favicon: assets/fav.png\n",
        "assets/logo.svg": "<svg/>", "assets/fav.png": b"x", "assets/used.png": b"x", "assets/html.png": b"x",
        "assets/orphan.png": b"x", "assets/over.png": b"x", "overrides/main.html": "<img src=\"assets/over.png\">",
        "articles/x.md": article(body='![a](../assets/used.png)\n<img src="../assets/html.png">\n'),
    })
    assert (code, out) == (0, ["assets/orphan.png: warning: asset is not used by any article, link it from an article or delete it",
                               "0 errors, 1 warning"])


def test_empty_stage_and_no_beginner_onboarding(make_kb):
    code, out = check(make_kb, {"articles/start.md": START.replace("level: beginner", "level: advanced"),
                                "articles/fix.md": FIX.replace("stage: adapting", "stage: onboarding")})
    assert (code, out) == (0, [
        "articles: warning: no beginner article in the first stage `onboarding`, so the home page has no getting-started questions; add one with `level: beginner` and `stage: onboarding`",
        "helpgen.yml:4: warning: stage `adapting` (Solving problems) has no article yet, add `stage: adapting` to an article or remove the stage from helpgen.yml",
        "0 errors, 2 warnings",
    ])


def test_long_title_and_missing_summary(make_kb):
    title = "A" * 71
    _, out = check(make_kb, {"articles/x.md": f"# {title}\n", "articles/y.md": article(title="B" * 70)},)
    assert out == [
        "articles/x.md:1: warning: missing summary, add `summary:` with one sentence for lists and the starter handbook",
        'articles/x.md:1: warning: no level or stage yet, the page goes under "Unsorted"; add e.g. `level: beginner` and `stage: onboarding`',
        "articles/x.md:1: warning: title is 71 characters long, shorten it to 70 or fewer so it fits in search results",
        "0 errors, 3 warnings",
    ]


def test_json_format_and_strict_exit(make_kb):
    code, out = check(make_kb, {"articles/x.md": article().replace("summary: S.\n", "")}, "--format", "json", "--strict")
    assert code == 1
    assert json.loads("\n".join(out)) == {
        "problems": [{"path": "articles/x.md", "line": 1, "severity": "warning",
                      "message": "missing summary, add `summary:` with one sentence for lists and the starter handbook"}],
        "errors": 0, "warnings": 1, "infos": 0, "untranslated": {}}


def test_usage_error_exit_code(make_kb):
    code, _ = check(make_kb, {}, "--format", "xml")
    assert code == 2


def test_check_kb_is_sorted_and_drafts_are_checked(make_kb):
    root = make_kb({"helpgen.yml": CONFIG, "articles/b.md": article("draft: true\n").replace("level: beginner", "level: x"),
                    "articles/a.md": article(body="[x](nowhere.md)\n")})
    kb, _ = load_kb(root)
    problems = check_kb(kb, today=date(2025, 1, 1))
    assert problems == sorted(problems)
    assert [(p.path, p.line, p.severity) for p in problems] == [
        ("articles/a.md", 7, "warning"), ("articles/b.md", 3, "error"), ("helpgen.yml", 4, "warning")]


def test_anchors_follow_python_markdown_toc():
    body = "# Hello, World!\n## Hello World\n## Custom {#my-id}\n<a id=\"raw\"></a>\n```\n# Not a heading\n```\n## **Bold** [link](x.md)\n"
    assert anchors_of(body) == {"hello-world", "hello-world_1", "my-id", "raw", "bold-link"}


def test_links_in_admonitions_are_checked_and_code_is_not(make_kb):
    body = ('\n!!! note\n    See [the fix](fixx.md).\n\n    ```md\n    [in code](nope.md)\n    ```\n'
            'Inline `[x](nope.md)` code.\n~~~\n[x](nope.md)\n~~~\n')
    _, out = check(make_kb, {"articles/x.md": article(body=body)})
    assert out == ["articles/x.md:9: warning: link `fixx.md` points to nothing, fix the path (relative to this file) or link an existing article",
                   "0 errors, 1 warning"]


def test_missing_logo_and_default_stages_without_line(make_kb):
    code, out = check(make_kb, {"helpgen.yml": "name: X\nlogo: assets/logo.svg\n", "articles/a.md": article()}, base=False)
    assert code == 0
    assert out[0] == "helpgen.yml: warning: stage `adapting` (Solving problems) has no article yet, add `stage: adapting` to an article or remove the stage from helpgen.yml"
    assert out[4] == "helpgen.yml:2: warning: logo `assets/logo.svg` does not exist, put the image under assets/ and give its path relative to the KB folder"
    assert out[-1] == "0 errors, 5 warnings"


def test_link_resolver_for_migrated_styles(make_kb):
    from helpgen.kb.checks import LinkResolver

    root = make_kb({"articles/cards/track.md": "# T\n", "articles/cards/index.md": "# Cards\n", "assets/a.png": b"x"})
    kb, _ = load_kb(root)
    r = LinkResolver(kb)
    src = "articles/cards/track.md"
    assert r.resolve(src, "index.md#x") == "articles/cards/index.md"
    assert r.resolve(src, "../cards/") == "articles/cards/index.md"
    assert r.resolve(src, "/cards/track") == "articles/cards/track.md"
    assert r.resolve(src, "track/") == "articles/cards/track.md"
    assert r.resolve(src, "../../assets/a.png") == "assets/a.png"
    assert r.resolve(src, "/assets/a.png") == "assets/a.png"
    assert r.resolve(src, "#top") == src
    assert r.resolve(src, "https://x.test/") is None and r.resolve(src, "../../../etc/passwd") is None
