"""The README's promises, run as the README writes them: its first command's site works from disk, its
coverage report is the one `new --from-gap` reads, and each search example finds its article first."""
from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpgen.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SAMPLE = ROOT / "sample_kb"
LOCAL_REF = re.compile(r'(?:href|src)="([^"]+)"')


def first_command() -> list[list[str]]:
    """The helpgen calls of the README's first command, as argument lists (without `helpgen`)."""
    block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    line = block.splitlines()[0]
    calls = [shlex.split(part) for part in line.split("&&")]
    return [call[1:] for call in calls if call[0] == "helpgen"]


def readme_call(command: str) -> list[str]:
    return next(call for call in first_command() if call[0] == command)


def run(args: list[str]):
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_the_first_command_is_what_these_tests_run():
    assert [call[0] for call in first_command()] == ["build", "coverage", "coverage"]
    assert "site/index.html" in README


@pytest.mark.slow
def test_the_first_command_builds_a_site_that_works_from_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sample_kb").symlink_to(SAMPLE, target_is_directory=True)  # the build writes only its cache there (KB/.helpgen/, ignored by git)
    result = run(readme_call("build"))
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    pages = [site / "index.html", site / "zh" / "index.html",
             next(site.glob("*/*.html")), next((site / "zh").glob("*/*.html"))]
    for page in pages:
        for ref in LOCAL_REF.findall(page.read_text(encoding="utf-8")):
            if re.match(r"^(?:[a-z]+:|#|//)", ref):
                continue
            target = (page.parent / ref.split("#")[0].split("?")[0]).resolve()
            # from file:// a folder shows a listing, not its index.html: every link must name a file
            assert target.is_file(), f"{page.relative_to(site)} links to {ref}, which is not a file"
    for lang_root in (site, site / "zh"):  # search without fetch(): the index comes as a script
        assert (lang_root / "search" / "search_index.js").is_file()


@pytest.mark.slow
def test_new_from_gap_finds_the_report_of_the_readme_coverage_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE, tmp_path / "sample_kb", ignore=shutil.ignore_patterns(".helpgen"))
    coverage = readme_call("coverage")
    assert "-o" in coverage and not (tmp_path / "sample_kb" / ".helpgen" / "coverage").exists()
    assert run(coverage).exit_code == 0
    report = tmp_path / coverage[coverage.index("-o") + 1]
    assert (report / "coverage.json").is_file()
    result = run(["new", "sample_kb", "--from-gap", "1", "--area", "drafts"])
    assert result.exit_code == 0, result.output
    created = Path(result.output.removeprefix("created ").strip())
    assert created.parent == Path("sample_kb/articles/drafts") and "draft: true" in created.read_text(encoding="utf-8")


def search_examples() -> list[tuple[str, str, str]]:
    """(query, --lang, expected article id) of every `helpgen search KB "query"` in the README; the
    expected article is written after it as `(sample_kb: ID)`."""
    found = []
    for line in README.splitlines():
        match = re.search(r'helpgen search \S+ "([^"]+)"(.*)', line)
        if match:
            lang = re.search(r"--lang (\S+)", match.group(2))
            expected = re.search(r"\(sample_kb: ([\w/.-]+)\)", match.group(2))
            found.append((match.group(1), lang.group(1) if lang else "", expected.group(1) if expected else ""))
    return found


def test_the_readme_has_search_examples_and_names_their_article():
    assert search_examples()
    for query, _lang, expected in search_examples():
        assert expected, f'write the article `helpgen search` should put first after "{query}": (sample_kb: ID)'


@pytest.mark.parametrize("query,lang,expected", search_examples())
def test_each_readme_search_example_finds_its_article_first(query, lang, expected):
    from helpgen.kb.load import load_kb
    from helpgen.search.index import build_index, search

    kb, _ = load_kb(SAMPLE)
    hits = search(build_index(kb, lang or kb.config.language), query, 3)
    assert hits and hits[0].id == expected, [h.id for h in hits]
