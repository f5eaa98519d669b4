"""Stage roles come from helpgen.yml and the KB, never from fixed ids: renamed stages, gap suggestions,
`new --from-gap` without --stage, the home page of migrated docs and the level/stage guesses of `check`."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpgen.cli import main
from helpgen.config import Config, Stage, parse_config
from helpgen.kb.load import load_kb, slugify
from helpgen.kb.model import Article
from helpgen.kb.stages import (TROUBLE_SEED, StageRoles, guess_level, level_words, simple_words, stage_roles,
                               trouble_vocabulary)
from helpgen.site import pages
from helpgen.site.view import View

RENAMED = {"onboarding": "discover", "using": "setup", "deepening": "master", "adapting": "fix", "loyalty": "grow"}
STAGES_YML = """stages:
  - id: discover
    label: {en: Discover, zh: 了解}
  - id: setup
    label: Set up
  - id: master
    label: Master
  - id: fix
    label: Fix
  - id: grow
    label: Grow
"""


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


def art(aid: str, level: str | None, *stages: str, title: str = "", questions: tuple[str, ...] = ()) -> Article:
    return Article(id=aid, source=f"articles/{aid}.md", title=title or aid, body="", body_line=1, level=level,
                   stages=stages, questions=questions)


def config(*ids: str, **labels: str) -> Config:
    return Config(stages=tuple(Stage(i, labels.get(i, i.title())) for i in ids))


@pytest.fixture
def renamed_kb(tmp_path) -> Path:
    """`helpgen init`, then every stage renamed (discover, setup, master, fix, grow)."""
    kb = tmp_path / "renamed"
    assert run("init", kb).exit_code == 0
    yml = (kb / "helpgen.yml").read_text(encoding="utf-8")
    (kb / "helpgen.yml").write_text(yml[:yml.index("# stages:")] + STAGES_YML, encoding="utf-8")
    for path in (kb / "articles").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^stage: (\w+)$", lambda m: f"stage: {RENAMED[m.group(1)]}", text, flags=re.M),
                        encoding="utf-8")
    return kb


# --- roles -------------------------------------------------------------------------------------

def test_roles_follow_the_levels_of_the_articles_not_the_ids():
    cfg = config("discover", "setup", "master", "fix", "grow")
    arts = [art("a", "beginner", "discover"), art("b", "beginner", "setup"), art("c", "beginner", "setup"),
            art("d", "beginner", "grow"), art("e", "advanced", "master"), art("f", "troubleshooting", "fix"),
            art("g", "troubleshooting", "fix"), art("h", "beginner", "fix"), art("i", "troubleshooting", "setup")]
    roles = stage_roles(cfg, arts)
    assert roles == StageRoles(start="discover", everyday="setup", advanced="master", troubleshooting="fix")
    assert [roles.for_level(lv) for lv in ("beginner", "advanced", "troubleshooting")] == ["setup", "master", "fix"]


def test_troubleshooting_stage_without_a_majority_is_the_one_with_most_troubleshooting_articles():
    cfg = config("one", "two", "three")
    arts = [art("a", "beginner", "one"), art("b", "troubleshooting", "two"), art("c", "beginner", "two"),
            art("d", "beginner", "two"), art("e", "troubleshooting", "three"), art("f", "troubleshooting", "three"),
            art("g", "beginner", "three"), art("h", "beginner", "three"), art("i", "beginner", "three"),
            art("j", "beginner", "three"), art("k", "beginner", "three")]
    # "two" has the largest share (1 of 3) but no stage is mostly troubleshooting: "three" has the most (2 of 7)
    assert stage_roles(cfg, arts).troubleshooting == "three"


def test_with_no_troubleshooting_article_the_stage_named_for_it_is_taken():
    cfg = Config(stages=(Stage("start", "Start"), Stage("daily", "Daily work"), Stage("help", "When things break",
                                                                                     "Errors and their fixes.")))
    roles = stage_roles(cfg, [art("a", "beginner", "start")])
    assert roles == StageRoles(start="start", everyday="daily", advanced=None, troubleshooting="help")
    assert roles.for_level("advanced") == "daily"
    assert stage_roles(config("a", "b"), []) == StageRoles(start="a", everyday="b")
    assert stage_roles(config("only"), []).for_level("troubleshooting") == "only"


def test_level_words_are_learned_from_the_kb_and_need_two_articles():
    docs = [("troubleshooting", {"sync", "stops", "calendar"}), ("troubleshooting", {"upload", "stops"}),
            ("beginner", {"calendar", "share"}), ("beginner", {"upload", "photo"}), (None, {"stops"})]
    assert level_words(docs) == {"stops"}  # "calendar", "upload": in one troubleshooting article only
    assert level_words(docs[:1] + docs[2:]) == frozenset()  # one troubleshooting article: nothing to learn
    assert level_words([("troubleshooting", {"x"}), ("troubleshooting", {"x"})]) == frozenset()  # no other level


def test_guess_uses_the_kbs_own_vocabulary_else_generic_words():
    own = [art("a", "troubleshooting", "fix", title="Sync stops halfway"),
           art("b", "troubleshooting", "fix", title="Upload stops at 99%"),
           art("c", "beginner", "setup", title="Share a calendar")]
    words = trouble_vocabulary(own)
    assert words == {"stops"}
    assert guess_level("Backup stops overnight", words) == "troubleshooting"
    assert guess_level("Fix a broken backup", words) == "beginner"  # this KB does not say "fix"
    assert trouble_vocabulary(own[:1]) == TROUBLE_SEED
    assert guess_level("Fix a broken backup", TROUBLE_SEED) == "troubleshooting"
    assert guess_level("登录失败怎么办", TROUBLE_SEED) == "troubleshooting"
    assert guess_level("Install the desktop app", TROUBLE_SEED) == "beginner"
    assert simple_words("Can't sign in 无法登录") == {"can't", "sign", "in", "无法", "法登", "登录"}


# --- config --------------------------------------------------------------------------------------

def test_labels_and_placeholder_per_language():
    cfg = parse_config(STAGES_YML + "language: en\nsearch:\n  engine: lunr\n  placeholder: {en: Ask us, zh: 请提问}\n")
    assert cfg.stages[0].label == "Discover" and cfg.stages[0].label_in("zh") == "了解"
    assert cfg.stages[0].label_in("zh-Hant") == "了解" and cfg.stages[1].label_in("zh") == "Set up"
    assert cfg.search.engine == "lunr" and cfg.search.placeholder_in("zh") == "请提问"
    assert cfg.search.placeholder_in("fr") == ""
    plain = parse_config("search: pagefind\n")
    assert plain.search.engine == "pagefind" and plain.search.placeholder == {}
    assert parse_config("search:\n  placeholder: Type here\n").search.placeholder_in("zh") == "Type here"
    zh_default = parse_config("language: zh\nstages:\n  - id: a\n    label: {en: Start, zh: 开始}\n")
    assert zh_default.stages[0].label == "开始"


def test_bad_search_and_label_mappings_are_reported_with_their_lines():
    with pytest.raises(Exception) as exc:
        parse_config("search:\n  engin: lunr\n  placeholder: [a]\nstages:\n  - id: a\n    label: {EN!: x}\n")
    assert str(exc.value).splitlines() == [
        "helpgen.yml:2: unknown key `engin` in `search`, did you mean `engine`?",
        "helpgen.yml:3: `search.placeholder` must be text, got a list",
        "helpgen.yml:6: `stages[0].label.EN!` is `EN!`, use a language code such as en, zh or zh-Hant",
    ]


# --- the site with renamed stages ---------------------------------------------------------------

def test_renamed_stages_build_a_full_home_page(renamed_kb):
    assert (run("check", renamed_kb, "--strict").output) == "no problems\n"
    kb, _ = load_kb(renamed_kb)
    view = View(kb, "en")
    assert view.roles == StageRoles(start="discover", everyday="setup", advanced="master", troubleshooting="fix")
    home = pages.home_page(view)
    start = home.split("## Start here", 1)[1].split("</div>", 1)[0]
    assert "- [Create your account](getting-started/create-your-account.md)" in start
    assert 'placeholder="Describe your problem, e.g. &quot;how do I sign up&quot;"' in home
    trouble = pages.troubleshooting_page(view)
    assert "[I cannot sign in](troubleshooting/cannot-sign-in.md)" in trouble
    assert pages.stage_page(View(kb, "zh"), "discover").split("\n---\n", 1)[1].startswith("\n\n# 了解\n")


def test_placeholder_from_helpgen_yml_and_generic_without_questions(make_kb):
    article = "---\ntitle: Start\nlevel: beginner\nstage: onboarding\n{q}---\n"
    kb, _ = load_kb(make_kb({"articles/start.md": article.format(q="")}))
    assert 'placeholder="Describe your problem or question"' in pages.home_page(View(kb, "en"))
    kb, _ = load_kb(make_kb({"articles/start.md": article.format(q="questions: [where is the <b> button]\n"),
                             "helpgen.yml": "search: {placeholder: {zh: 搜索}}\nlanguages: [en, zh]\n"}))
    assert 'placeholder="Describe your problem, e.g. &quot;where is the &lt;b&gt; button&quot;"' in pages.home_page(View(kb, "en"))
    assert 'placeholder="搜索"' in pages.home_page(View(kb, "zh"))
    kb, _ = load_kb(make_kb({"articles/start.md": article.format(q="questions: [how do I start]\n"),
                             "helpgen.yml": "languages: [en, zh]\n"}))
    assert 'placeholder="描述您的问题或疑问"' in pages.home_page(View(kb, "zh"))  # no English example on the zh site


# --- migrated docs ------------------------------------------------------------------------------

MIGRATED = {
    "articles/intro.md": "---\nsidebar_position: 1\n---\n# Introduction\n",
    "articles/guides/install.md": "---\nsidebar_position: 2\n---\n# Install\n",
    "articles/guides/configure.md": "---\nsidebar_position: 1\n---\n# Configure\n",
    "articles/guides/upgrade.md": "# Upgrade\n",
    "articles/help/login-error.md": "---\ntitle: Login error after an update\nsidebar_position: 1\n---\n",
    "articles/help/faq.md": "---\ntitle: Questions\nsidebar_position: 2\n---\n",
}


def test_home_page_of_docs_without_levels_lists_sections_in_order(make_kb):
    kb, problems = load_kb(make_kb(MIGRATED))
    assert problems == []
    home = pages.home_page(View(kb, "en"))
    body = home.split("## Browse by topic", 1)[1]
    assert [line for line in body.splitlines() if line.startswith(("###", "- ", "0 ", "1 ", "2 ", "3 "))] == [
        "### General", "1 article", "- [Introduction](intro.md)",
        "### Guides", "3 articles", "- [Configure](guides/configure.md)", "- [Install](guides/install.md)",
        "- [Upgrade](guides/upgrade.md)",
        "### Help", "2 articles", "- [Login error after an update](help/login-error.md)", "- [Questions](help/faq.md)",
    ]
    assert "0 articles" not in home and "## Start here" not in home


def test_docs_without_levels_get_one_warning_per_file_with_a_guess(make_kb):
    root = make_kb({**MIGRATED, "helpgen.yml": STAGES_YML.replace("label: Fix", "label: Fix\n    description: When something breaks.")})
    result = run("check", root)
    assert result.exit_code == 0
    guess = 'warning: no level or stage yet, the page goes under "Unsorted"; add e.g. `level: {}` and `stage: {}`'
    summary = "warning: missing summary, add `summary:` with one sentence for lists and the starter handbook"
    lines = [f"articles/{name}.md:1: {msg}" for name, level, stage in [
        ("guides/configure", "beginner", "discover"), ("guides/install", "beginner", "discover"),
        ("guides/upgrade", "beginner", "discover"), ("help/faq", "beginner", "discover"),
        ("help/login-error", "troubleshooting", "fix"), ("intro", "beginner", "discover")]
        for msg in (summary, guess.format(level, stage))]
    assert result.output.splitlines() == lines + ["0 errors, 12 warnings"]


def test_guesses_prefer_the_kbs_own_troubleshooting_words(make_kb):
    own = "---\ntitle: {t}\nlevel: {lv}\nstage: {st}\nsummary: S.\n---\n"
    root = make_kb({"helpgen.yml": STAGES_YML,
                    "articles/a.md": own.format(t="Sync stalls", lv="troubleshooting", st="fix"),
                    "articles/b.md": own.format(t="Upload stalls", lv="troubleshooting", st="fix"),
                    "articles/c.md": own.format(t="Share a calendar", lv="beginner", st="discover"),
                    "articles/d.md": own.format(t="Plans", lv="beginner", st="setup"),
                    "articles/e.md": own.format(t="API", lv="advanced", st="master"),
                    "articles/f.md": own.format(t="News", lv="beginner", st="grow"),
                    "articles/old/backup.md": "---\ntitle: Backup stalls at night\nsummary: S.\n---\n",
                    "articles/old/error.md": "---\ntitle: An error message\nsummary: S.\n---\n"})
    assert run("check", root).output.splitlines() == [
        'articles/old/backup.md:1: warning: no level or stage yet, the page goes under "Unsorted"; add e.g. `level: troubleshooting` and `stage: fix`',
        'articles/old/error.md:1: warning: no level or stage yet, the page goes under "Unsorted"; add e.g. `level: beginner` and `stage: discover`',
        "0 errors, 2 warnings",
    ]


# --- coverage suggestions and `new --from-gap` --------------------------------------------------

COVERED = {
    "I cannot sign in, the app says my passcode is wrong": "troubleshooting/cannot-sign-in",
    "my login link expired and I cannot sign in": "troubleshooting/cannot-sign-in",
    "the app will not let me log in with my passcode": "troubleshooting/cannot-sign-in",
    "sign in fails with AUTH-401": "troubleshooting/cannot-sign-in",
    "how do I change my email address": "everyday/change-your-email",
    "I want to update the email on my account": "everyday/change-your-email",
    "change email address please": "everyday/change-your-email",
    "where do I change my email": "everyday/change-your-email",
}
TROUBLE_GAP = ["the invoice pdf crashes when I print it", "printing an invoice crashes the app with an error",
               "invoice printout fails halfway with an error", "my monthly invoice will not print, it crashes",
               "invoice print preview crashes every time", "printing invoices fails since yesterday",
               "error 500 when printing an invoice pdf", "invoice pdf broken when printing"]
HOWTO_GAP = ["can I invite my team members", "how do I invite team members", "invite a colleague to my team",
             "add team members to my workspace", "how many team members can I invite", "team invite for colleagues"]


def write_log(path: Path) -> None:
    rows = [(q, "Here is how.") for q in COVERED] * 2 + [(q, "We are on it.") for q in TROUBLE_GAP + HOWTO_GAP]
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "created_at", "body", "reply", "replied_at"])
        for i, (text, reply) in enumerate(rows):
            day = f"2026-03-{1 + i % 28:02d}"
            out.writerow([i + 1, f"{day}T09:00:00Z", text, reply, f"{day}T10:00:00Z" if reply else ""])


def test_coverage_suggests_existing_stages_and_new_from_gap_needs_no_stage(renamed_kb, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    log = renamed_kb / "tickets" / "log.csv"
    log.parent.mkdir()
    write_log(log)
    cov = run("coverage", renamed_kb)
    report = renamed_kb / ".helpgen" / "coverage"
    assert cov.exit_code == 0, cov.output
    assert cov.output.endswith(f" Report: {report}\n")
    gaps = json.loads((report / "coverage.json").read_text(encoding="utf-8"))["gaps"]
    kinds = {}
    for gap in gaps:
        assert gap["suggested_stage"] in ("discover", "setup", "master", "fix", "grow")
        assert gap["suggested_stage_label"] == {"fix": "Fix", "setup": "Set up"}[gap["suggested_stage"]]
        kinds["invoice" if any("invoice" in e for e in gap["examples"]) else "team"] = (
            gap["suggested_level"], gap["suggested_stage"])
    assert kinds == {"invoice": ("troubleshooting", "fix"), "team": ("beginner", "setup")}
    first = gaps[0]
    new = run("new", renamed_kb, "--from-gap", 1)
    path = renamed_kb / "articles" / f"{slugify(first['suggested_title'])}.md"
    assert (new.exit_code, new.output) == (0, f"created {path}\n")
    kb, _ = load_kb(renamed_kb)
    (draft,) = [a for a in kb.articles if a.source == f"articles/{path.name}"]
    assert (draft.level, draft.stages, draft.draft) == (first["suggested_level"], (first["suggested_stage"],), True)
    plain = run("new", renamed_kb, "Export fails with a timeout", "--level", "troubleshooting")
    assert plain.output == f"created {renamed_kb / 'articles' / 'export-fails-with-a-timeout.md'}\n"
    assert "stage: fix\n" in (renamed_kb / "articles" / "export-fails-with-a-timeout.md").read_text(encoding="utf-8")


def test_new_from_an_old_report_with_a_stage_renamed_since(renamed_kb):
    gap = {"id": 1, "label": "x", "examples": ["why does x fail"], "suggested_level": "troubleshooting",
           "suggested_stage": "adapting", "suggested_title": "If x fails: what to do", "best_reply": None}
    report = renamed_kb / ".helpgen" / "coverage" / "coverage.json"
    report.parent.mkdir(parents=True)
    report.write_text(json.dumps({"schema": "helpgen.coverage/1", "gaps": [gap]}), encoding="utf-8")
    result = run("new", renamed_kb, "--from-gap", 1)
    assert result.output == f"created {renamed_kb / 'articles' / 'if-x-fails-what-to-do.md'}\n"
    assert "stage: fix\n" in (renamed_kb / "articles" / "if-x-fails-what-to-do.md").read_text(encoding="utf-8")
    bad = run("new", renamed_kb, "T", "--level", "beginner", "--stage", "adapting")
    assert bad.exit_code == 2 and "`adapting` is not a stage, use one of: discover, setup, master, fix, grow" in bad.output
