"""The CLI through CliRunner: init, new, check, build (refusals), help examples, --debug, --version."""
from __future__ import annotations

import importlib
import json
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpgen import __version__
from helpgen.cli import main
from helpgen.kb.load import load_kb

CONFIG = "stages:\n  - id: onboarding\n    label: Getting started\n"
GOOD = "---\ntitle: Start\nlevel: beginner\nstage: onboarding\nsummary: S.\n---\nHello.\n"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_init_creates_a_clean_kb(tmp_path):
    kb = tmp_path / "mykb"
    result = run("init", kb)
    assert result.exit_code == 0, result.output
    assert result.output == f"created {kb} with 5 articles; next: helpgen check {kb} && helpgen build {kb}\n"
    loaded, problems = load_kb(kb)
    assert {a.level for a in loaded.articles} == {"beginner", "advanced", "troubleshooting"}
    assert {s for a in loaded.articles for s in a.stages} == set(loaded.config.stage_ids)
    assert loaded.glossary and loaded.entries and problems == []
    check = run("check", kb, "--strict")
    assert (check.exit_code, check.output) == (0, "no problems\n")


def test_init_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("init", tmp_path / "kb")
    assert result.exit_code == 1
    assert result.output == f"{tmp_path / 'kb'}: error: folder is not empty, choose a new folder name (init never overwrites files)\n"
    assert (tmp_path / "kb" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert run("init", tmp_path / "empty").exit_code == 0  # a missing folder is fine


def test_new_writes_an_article_that_loads(make_kb, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    kb = make_kb({"helpgen.yml": CONFIG})
    result = run("new", kb, "Reset your passcode!", "--level", "beginner", "--stage", "onboarding", "--area", "security")
    path = kb / "articles" / "security" / "reset-your-passcode.md"
    assert (result.exit_code, result.output) == (0, f"created {path}\n")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Reset your passcode!\nlevel: beginner\nstage: onboarding\nupdated: 2025-01-01\n")
    loaded, problems = load_kb(kb)
    (a,) = loaded.articles
    assert (a.id, a.title, a.level, a.stages, a.draft) == ("security/reset-your-passcode", "Reset your passcode!", "beginner", ("onboarding",), False)
    again = run("new", kb, "Reset your passcode!", "--level", "beginner", "--stage", "onboarding", "--area", "security")
    assert (again.exit_code, again.output) == (1, f"{path}: error: already exists, choose another title or --area\n")


def test_new_rejects_bad_level_and_stage(make_kb):
    kb = make_kb({"helpgen.yml": CONFIG})
    assert run("new", kb, "T", "--level", "expert", "--stage", "onboarding").exit_code == 2
    bad = run("new", kb, "T", "--level", "beginner", "--stage", "using")
    assert bad.exit_code == 2 and "`using` is not a stage, use one of: onboarding" in bad.output
    assert run("new", kb, "T").exit_code == 2


def test_new_from_gap(make_kb):
    gap = {"id": 7, "label": "card arrival", "size": 12, "examples": ["where is my card?", "card not here"],
           "nearest_article": None, "nearest_score": 0.1, "suggested_level": "troubleshooting",
           "suggested_stage": "onboarding", "suggested_title": "My card has not arrived",
           "best_reply": "Cards take 5 days. Track it in the app."}
    kb = make_kb({"helpgen.yml": CONFIG,
                  ".helpgen/coverage/coverage.json": json.dumps({"schema": "helpgen.coverage/1", "gaps": [gap]})})
    result = run("new", kb, "--from-gap", "7", "--area", "cards")
    assert result.exit_code == 0, result.output
    loaded, problems = load_kb(kb)
    (a,) = loaded.articles
    assert (a.title, a.level, a.stages, a.draft) == ("My card has not arrived", "troubleshooting", ("onboarding",), True)
    assert a.questions == ("where is my card?", "card not here")
    assert "Cards take 5 days. Track it in the app." in a.body and problems == []
    assert run("new", kb, "--from-gap", "1", "--area", "x").exit_code == 0  # falls back to position
    missing = run("new", kb, "--from-gap", "3")
    assert missing.exit_code == 1
    assert missing.output.endswith("coverage.json: error: no gap 3: the report has 1 gaps, pick one from 1 to 1\n")
    (kb / ".helpgen" / "coverage" / "coverage.json").write_text(json.dumps({"gaps": []}), encoding="utf-8")
    none = run("new", kb, "--from-gap", "1")
    assert (none.exit_code, none.output.split(": ", 1)[1]) == (
        1, "error: no gap 1: the report has no gaps, so there is nothing to draft; write the article without "
           "--from-gap\n")


def test_new_from_gap_reads_the_last_report_or_report_dir(make_kb, tmp_path):
    from helpgen.report.render import remember_report

    def report(folder: Path, title: str) -> Path:
        gap = {"id": 1, "examples": ["q"], "suggested_level": "beginner", "suggested_stage": "onboarding",
               "suggested_title": title, "best_reply": ""}
        folder.mkdir(parents=True)
        (folder / "coverage.json").write_text(json.dumps({"gaps": [gap]}), encoding="utf-8")
        return folder

    kb = make_kb({"helpgen.yml": CONFIG, ".helpgen/coverage/coverage.json": json.dumps({"gaps": []})})
    remember_report(kb, report(tmp_path / "coverage-report", "From the last report"))
    assert (kb / ".helpgen" / "last-report").read_text(encoding="utf-8") == "../coverage-report\n"
    assert run("new", kb, "--from-gap", "1").output == f"created {kb / 'articles' / 'from-the-last-report.md'}\n"
    other = report(tmp_path / "other", "From another report")
    assert run("new", kb, "--from-gap", "1", "--report", other).exit_code == 0
    assert (kb / "articles" / "from-another-report.md").is_file()
    missing = run("new", kb, "--from-gap", "1", "--report", tmp_path / "nowhere")
    assert (missing.exit_code, missing.output) == (1, f"{tmp_path / 'nowhere' / 'coverage.json'}: error: no coverage report in "
                                                   f"--report {tmp_path / 'nowhere'}, give the folder `helpgen coverage -o` wrote\n")


def test_new_from_gap_without_report(make_kb):
    kb = make_kb({})
    result = run("new", kb, "--from-gap", "1")
    assert result.exit_code == 1
    assert result.output == f"{kb / '.helpgen' / 'coverage' / 'coverage.json'}: error: no coverage report, run `helpgen coverage {kb}` first (or give --report DIR)\n"


@pytest.fixture
def fake_build(monkeypatch):
    """Replace build_site by a recorder (the site itself is tested in tests/test_site*.py)."""
    calls = []
    module = importlib.import_module("helpgen.site.build")

    def build_site(kb, output, *, include_insights=False, insights_dir=None, strict=False, progress=None, cache=False):
        calls.append((kb, output, include_insights))
        return types.SimpleNamespace(output=output, pages=3, warnings=[])

    monkeypatch.setattr(module, "build_site", build_site, raising=False)
    return calls


def test_build_refuses_on_errors(make_kb, fake_build):
    kb = make_kb({"helpgen.yml": CONFIG, "articles/a.md": GOOD.replace("beginner", "beginer"), "articles/b.md": GOOD})
    result = run("build", kb)
    assert result.exit_code == 1 and fake_build == []
    assert result.output.splitlines() == [
        "articles/a.md:3: error: invalid level `beginer`, did you mean `beginner`? use one of: beginner, advanced, troubleshooting",
        "error: build stopped: 1 error, 0 warnings; fix them and build again",
    ]


def test_build_strict_refuses_on_warnings(make_kb, fake_build, tmp_path):
    kb = make_kb({"helpgen.yml": CONFIG, "articles/a.md": GOOD.replace("summary: S.\n", "")})
    result = run("build", kb, "--strict", "-o", tmp_path / "out")
    assert result.exit_code == 1 and fake_build == []
    assert result.output.splitlines()[-1] == "error: build stopped: 0 errors, 1 warning (--strict); fix them and build again"
    ok = run("build", kb, "-o", tmp_path / "out", "--offline", "--include-insights")
    assert ok.exit_code == 0, ok.output
    assert ok.output.splitlines()[-1] == f"built 3 pages into {tmp_path / 'out'} (0 errors, 1 warning)"
    (built_kb, output, insights), = fake_build
    assert built_kb.config.offline is True and output == tmp_path / "out" and insights is True


def test_build_default_output_is_site_in_cwd(make_kb, fake_build, tmp_path, monkeypatch):
    kb = make_kb({"helpgen.yml": CONFIG, "articles/a.md": GOOD})
    monkeypatch.chdir(tmp_path)
    assert run("build", kb).exit_code == 0
    assert fake_build[0][1] == Path("site")


def test_config_error_is_one_line_and_debug_shows_traceback(make_kb):
    kb = make_kb({"helpgen.yml": "offline: sometimes\n"})
    result = run("new", kb, "T", "--level", "beginner", "--stage", "onboarding")
    assert (result.exit_code, result.output) == (1, "helpgen.yml:1: error: `offline` must be true or false, got `sometimes`\n")
    debug = CliRunner().invoke(main, ["--debug", "new", str(kb), "T", "--level", "beginner", "--stage", "onboarding"])
    assert debug.exit_code == 1 and "Traceback (most recent call last)" in debug.output
    assert "Traceback" not in result.output


def test_missing_kb_folder(tmp_path):
    result = run("check", tmp_path / "nope")
    assert result.exit_code == 1
    assert result.output == f"{tmp_path / 'nope'}: error: no such folder, pass the knowledge-base folder (or create one: `helpgen init {tmp_path / 'nope'}`)\n"


def test_version():
    assert run("--version").output == f"helpgen, version {__version__}\n"


def test_every_help_shows_an_example():
    assert "Example: helpgen " in run("--help").output
    for name in main.commands:
        result = run(name, "--help")
        assert result.exit_code == 0 and "Example: helpgen " + name in result.output, name


@pytest.mark.parametrize("module,name", [("helpgen.search.cli", "search_command"), ("helpgen.coverage.cli", "coverage_command")])
def test_other_commands_are_registered(module, name):
    command = getattr(importlib.import_module(module), name)
    assert main.commands.get(command.name) is command


def test_check_reports_config_problems_as_errors(make_kb):
    kb = make_kb({"helpgen.yml": "offline: sometimes\nserch: lunr\n"})
    result = run("check", kb)
    assert (result.exit_code, result.output.splitlines()) == (1, [
        "helpgen.yml:1: error: `offline` must be true or false, got `sometimes`",
        "helpgen.yml:2: error: unknown key `serch` in helpgen.yml, did you mean `search`?",
        "2 errors, 0 warnings",
    ])
    bad_yaml = run("check", make_kb({"helpgen.yml": "name: [x\n"}))
    assert bad_yaml.exit_code == 1 and bad_yaml.output.startswith("helpgen.yml:2: error: invalid YAML: ")
    assert bad_yaml.output.endswith(", fix the syntax\n1 error, 0 warnings\n")


def test_open_kb_names_the_first_error_and_ignores_warnings(make_kb):
    from helpgen.kb.problems import open_kb
    from helpgen.errors import ContentError

    ok = make_kb({"helpgen.yml": CONFIG, "articles/a.md": GOOD.replace("summary: S.\n", "")})
    assert [a.id for a in open_kb(ok).articles] == ["a"]
    bad = make_kb({"helpgen.yml": CONFIG, "articles/a.md": GOOD, "articles/b.md": "---\nlevel: x\nstage: onboarding\n---\n"})
    with pytest.raises(ContentError) as info:
        open_kb(bad)
    assert info.value.format_message() == (
        f"articles/b.md:1: error: missing title, add `title:` to the front matter or start the page with a `# heading` "
        f"(2 errors); run `helpgen check {bad}` for all problems")


def test_progress_is_silent_without_a_terminal(capsys):
    from helpgen.ui import progress

    with progress("Reading", total=3) as advance:
        for _ in range(3):
            advance()
    assert capsys.readouterr() == ("", "")
