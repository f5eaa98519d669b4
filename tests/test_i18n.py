"""Multi-language checks: untranslated articles (info), outdated and source-less translations
(warnings), glossary terms per language, error codes shared by translations."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from helpgen.cli import main
from helpgen.kb.problems import fails
from helpgen.errors import Problem
from helpgen.kb.checks import check_kb, translation_path, untranslated
from helpgen.kb.load import load_kb

CONFIG = ("language: en\nlanguages: [en, zh]\nstages:\n  - id: onboarding\n    label: {en: Getting started, zh: 入门}\n"
          "  - id: adapting\n    label: {en: Solving problems, zh: 解决问题}\n")


def page(title: str = "T", extra: str = "", stage: str = "onboarding", level: str = "beginner") -> str:
    return f"---\ntitle: {title}\nlevel: {level}\nstage: {stage}\nsummary: S.\n{extra}---\n\nText.\n"


BASE = {
    "helpgen.yml": CONFIG,
    "articles/start.md": page("Start"),
    "articles/start.zh.md": page("开始"),
    "articles/cards/fix.md": page("Fix", "updated: 2026-03-04\nerror_codes: [E1]\n", "adapting", "troubleshooting"),
    "articles/cards/fix.zh.md": page("修复", "updated: 2026-03-04\nerror_codes: [E1]\n", "adapting", "troubleshooting"),
}


def run(make_kb, files: dict, *args: str) -> tuple[int, list[str]]:
    root = make_kb({**BASE, **files})
    result = CliRunner().invoke(main, ["check", str(root), *args])
    return result.exit_code, result.output.splitlines()


def test_fully_translated_kb_is_clean_and_shared_error_codes_are_not_duplicates(make_kb):
    assert run(make_kb, {}) == (0, ["no problems"])
    assert run(make_kb, {}, "--strict", "--verbose") == (0, ["no problems"])


def test_error_code_twice_in_one_language_is_still_an_error(make_kb):
    code, out = run(make_kb, {"articles/start.zh.md": page("开始", "error_codes: [E1]\n")})
    assert code == 1
    assert out == ["articles/start.zh.md:6: error: error code `E1` is already claimed by articles/cards/fix.zh.md; "
                   "list each error code on one article only", "1 error, 0 warnings"]


def test_outdated_translation_is_one_warning_at_its_updated_line(make_kb):
    code, out = run(make_kb, {"articles/cards/fix.zh.md": page("修复", "updated: 2026-01-02\n", "adapting", "troubleshooting")})
    assert code == 0
    assert out == [
        "articles/cards/fix.zh.md:6: warning: translation is older than its source (zh updated 2026-01-02, "
        "en updated 2026-03-04); update it and its `updated` date",
        "0 errors, 1 warning",
    ]
    assert run(make_kb, {"articles/cards/fix.zh.md": page("修复", "updated: 2026-01-02\n", "adapting", "troubleshooting")},
               "--strict")[0] == 1


def test_translation_without_updated_counts_as_older(make_kb):
    _, out = run(make_kb, {"articles/cards/fix.zh.md": page("修复", "", "adapting", "troubleshooting")})
    assert out == [
        "articles/cards/fix.zh.md:1: warning: translation is older than its source (zh has no `updated` date, "
        "en updated 2026-03-04); update it and its `updated` date",
        "0 errors, 1 warning",
    ]


def test_newer_translation_or_undated_source_is_fine(make_kb):
    newer = page("修复", "updated: 2026-05-01\n", "adapting", "troubleshooting")
    assert run(make_kb, {"articles/cards/fix.zh.md": newer}) == (0, ["no problems"])
    undated = {"articles/cards/fix.md": page("Fix", "", "adapting", "troubleshooting"),
               "articles/cards/fix.zh.md": page("修复", "updated: 2020-01-01\n", "adapting", "troubleshooting")}
    assert run(make_kb, undated) == (0, ["no problems"])


UNTRANSLATED = {"articles/cards/a.md": page("A"), "articles/cards/b.md": page("B"),
                "articles/cards/draft.md": page("Draft", "draft: true\n"),
                "articles/cards/c.md": page("C"), "articles/cards/c.zh.md": page("丙", "draft: true\n")}
SUMMARY = ("articles: info: 3 of 5 articles are not translated to zh yet; zh readers get the en page with a note "
           "(`helpgen check --verbose` lists them)")


def test_untranslated_articles_are_one_info_line_that_never_fails(make_kb):
    # a.md and b.md have no translation; c.zh.md is a draft, so c is untranslated too; draft.md is not published
    assert run(make_kb, UNTRANSLATED) == (0, [SUMMARY, "no problems"])
    assert run(make_kb, UNTRANSLATED, "--strict") == (0, [SUMMARY, "no problems"])


def test_verbose_lists_every_untranslated_article(make_kb):
    code, out = run(make_kb, UNTRANSLATED, "--verbose")
    assert code == 0
    assert out == [
        SUMMARY,
        "articles/cards/a.md: info: not translated to zh yet; translate it as articles/cards/a.zh.md",
        "articles/cards/b.md: info: not translated to zh yet; translate it as articles/cards/b.zh.md",
        "articles/cards/c.md: info: not translated to zh yet; translate it as articles/cards/c.zh.md",
        "no problems",
    ]


def test_json_has_the_untranslated_ids_per_language(make_kb):
    files = {**UNTRANSLATED, "helpgen.yml": CONFIG.replace("[en, zh]", "[en, zh, zh-Hant]")}
    code, out = run(make_kb, files, "--format", "json", "--strict")
    doc = json.loads("\n".join(out))
    assert code == 0
    assert doc["untranslated"] == {"zh": ["cards/a", "cards/b", "cards/c"],
                                   "zh-Hant": ["cards/a", "cards/b", "cards/c", "cards/fix", "start"]}
    assert (doc["errors"], doc["warnings"], doc["infos"]) == (0, 0, 2)
    assert [p["message"].split(";")[0] for p in doc["problems"]] == [
        "3 of 5 articles are not translated to zh yet", "5 of 5 articles are not translated to zh-Hant yet"]


def test_json_of_a_single_language_kb_has_an_empty_untranslated_map(make_kb):
    root = make_kb({"articles/a.md": page("A")})
    doc = json.loads(CliRunner().invoke(main, ["check", str(root), "--format", "json"]).output)
    assert doc["untranslated"] == {} and doc["infos"] == 0


def test_translation_without_source_is_a_warning_and_stays_in_its_language(make_kb):
    code, out = run(make_kb, {"articles/cards/only.zh.md": page("只有中文")})
    assert code == 0
    assert out == [
        "articles/cards/only.zh.md:1: warning: translation has no en source: no en article has the id `cards/only`; "
        "add it, or set `id:` to the id of its source (this page is built in zh only)",
        "0 errors, 1 warning",
    ]
    kb, _ = load_kb(make_kb({**BASE, "articles/cards/only.zh.md": page("只有中文")}))
    assert [a.id for a in kb.in_language("zh")] == ["cards/fix", "cards/only", "start"]
    assert [a.id for a in kb.in_language("")] == ["cards/fix", "start"]


def test_explicit_id_links_a_translation_to_its_source(make_kb):
    files = {"articles/cards/fix.zh.md": page("修复", "id: cards/fix\nupdated: 2026-03-04\n", "adapting", "troubleshooting")}
    assert run(make_kb, files) == (0, ["no problems"])
    files = {"articles/zh-only/renamed.zh.md": page("改名", "id: cards/fixx\n")}
    _, out = run(make_kb, files)
    assert out[0].startswith("articles/zh-only/renamed.zh.md:6: warning: translation has no en source: no en article has the id `cards/fixx`")


def test_default_language_other_than_english(make_kb):
    files = {"helpgen.yml": "language: zh\nlanguages: [zh, en]\n",
             "articles/a.md": page("甲", "updated: 2026-02-01\n"), "articles/a.en.md": page("A", "updated: 2026-01-01\n"),
             "articles/b.md": page("乙")}
    root = make_kb(files)
    kb, _ = load_kb(root)
    messages = [str(p) for p in check_kb(kb) if "transl" in p.message]
    assert messages == [
        "articles: info: 1 of 2 articles are not translated to en yet; en readers get the zh page with a note "
        "(`helpgen check --verbose` lists them)",
        "articles/a.en.md:6: warning: translation is older than its source (en updated 2026-01-01, zh updated 2026-02-01); "
        "update it and its `updated` date",
    ]
    assert [a.id for a in untranslated(kb)["en"]] == ["b"]


def test_translation_path():
    assert translation_path("articles/cards/x.md", "zh", "en") == "articles/cards/x.zh.md"
    assert translation_path("articles/cards/x.en.md", "zh-Hant", "en") == "articles/cards/x.zh-Hant.md"


def test_info_never_fails_and_is_not_counted():
    info = Problem("articles", 0, "info", "note")
    warning = Problem("a.md", 1, "warning", "w")
    assert not fails([info], strict=True)
    assert fails([info, warning], strict=True) and not fails([info, warning], strict=False)
    assert str(info) == "articles: info: note"


def test_glossary_duplicate_terms_per_language(make_kb):
    root = make_kb({
        "helpgen.yml": CONFIG,
        "glossary.yml": "- term: IBAN\n  definition: One.\n- term: PIN\n  definition: A code.\n- term: iban\n  definition: Two.\n",
        "glossary.en.yml": "PIN: Again.\n",
        "glossary.zh.yml": "- term: IBAN\n  definition: 国际银行账号。\n- term: 密码\n  definition: 一。\n- term: 密码\n  definition: 二。\n",
    })
    kb, problems = load_kb(root)
    assert [str(p) for p in problems] == [
        "glossary.yml:3: warning: glossary term `PIN` is already defined at glossary.en.yml:1, this one is ignored; "
        "keep one definition per term and language",
        "glossary.yml:5: warning: glossary term `iban` is already defined at glossary.yml:1, this one is ignored; "
        "keep one definition per term and language",
        "glossary.zh.yml:5: warning: glossary term `密码` is already defined at glossary.zh.yml:3, this one is ignored; "
        "keep one definition per term and language",
    ]
    assert [(t.term, t.definition, t.lang) for t in kb.glossary] == [
        ("PIN", "Again.", ""), ("IBAN", "One.", ""), ("IBAN", "国际银行账号。", "zh"), ("密码", "一。", "zh")]


def test_sample_kb_is_clean_with_strict_and_lists_untranslated_in_json():
    root = Path(__file__).resolve().parents[1] / "sample_kb"
    runner = CliRunner()
    strict = runner.invoke(main, ["check", str(root), "--strict"])
    assert strict.exit_code == 0, strict.output
    lines = strict.output.splitlines()
    assert lines[-1] == "no problems" and all(": info: " in line for line in lines[:-1])
    doc = json.loads(runner.invoke(main, ["check", str(root), "--format", "json"]).output)
    kb, _ = load_kb(root)
    zh_ids = {a.id for a in kb.in_language("zh")}
    assert doc["untranslated"]["zh"] == sorted(a.id for a in kb.in_language("") if a.id not in zh_ids)
    assert doc["untranslated"]["zh"], "sample_kb translates only part of the KB on purpose"


def test_translation_without_source_is_built_in_its_language_only(make_kb, tmp_path):
    """A real build (helpgen.site): the source-less zh page is published under zh/ and nowhere else."""
    from helpgen.site.build import build_site

    kb, _ = load_kb(make_kb({**BASE, "articles/cards/only.zh.md": page("只有中文")}))
    site = build_site(kb, tmp_path / "site").output
    assert "只有中文" in (site / "zh" / "cards" / "only" / "index.html").read_text(encoding="utf-8")
    assert not (site / "cards" / "only").exists()
    assert (site / "cards" / "fix" / "index.html").is_file()
