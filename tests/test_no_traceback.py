"""Inputs that once crashed with a traceback: each now gives one `path:line: error: ...` line and exit 1 or 2.
A traceback appears only with --debug."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpgen.cli import main

CONFIG = "stages:\n  - id: onboarding\n    label: Getting started\n"
GOOD = "---\ntitle: Start\nlevel: beginner\nstage: onboarding\nsummary: S.\n---\nHello.\n"


def run(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output and not isinstance(result.exception, (AssertionError, TypeError))
    return result.exit_code, result.output


def article(updated: str) -> str:
    return GOOD.replace("summary: S.\n", f"summary: S.\nupdated: {updated}\n")


@pytest.mark.parametrize("updated, why", [("2026-13-45", "month must be in 1..12"),
                                          ("2026-02-30", "day is out of range for month")])
def test_impossible_updated_date(make_kb, tmp_path: Path, updated: str, why: str) -> None:
    kb = make_kb({"helpgen.yml": CONFIG, "articles/a.md": article(updated)})
    line = f"articles/a.md:6: error: `updated: {updated}` is not a real date ({why}), write it as YYYY-MM-DD such " \
           "as 2025-01-31"
    assert run("check", kb) == (1, f"{line}\n1 error, 0 warnings\n")
    assert run("build", kb, "-o", tmp_path / "site") == (
        1, f"{line}\nerror: build stopped: 1 error, 0 warnings; fix them and build again\n")


def test_impossible_whats_new_date(make_kb, tmp_path: Path) -> None:
    kb = make_kb({"helpgen.yml": CONFIG, "articles/a.md": GOOD,
                  "whats-new/2025-02-30-launch.md": "---\ndate: 2025-02-30\ntitle: Launch\n---\nNew.\n"})
    line = "whats-new/2025-02-30-launch.md:2: error: `date: 2025-02-30` is not a real date (day is out of range " \
           "for month), write it as YYYY-MM-DD such as 2025-01-31"
    assert run("check", kb) == (1, f"{line}\n1 error, 0 warnings\n")
    assert run("build", kb, "-o", tmp_path / "site") == (
        1, f"{line}\nerror: build stopped: 1 error, 0 warnings; fix them and build again\n")


def test_impossible_date_as_a_key_does_not_crash(make_kb) -> None:
    kb = make_kb({"helpgen.yml": CONFIG, "articles/a.md": GOOD.replace("summary: S.\n", "summary: S.\n2026-13-45: x\n")})
    assert run("check", kb) == (0, "no problems\n")  # an unknown key with no near miss is allowed


@pytest.mark.parametrize("aliases, got", [("5", "`5`"), ("{a: b}", "a mapping"), ("[a, [b]]", "a list")])
def test_glossary_aliases_of_the_wrong_type(make_kb, aliases: str, got: str) -> None:
    kb = make_kb({"helpgen.yml": CONFIG, "articles/a.md": GOOD,
                  "glossary.yml": f"- term: PIN\n  definition: A secret code.\n  aliases: {aliases}\n"})
    assert run("check", kb) == (1, "glossary.yml:1: error: glossary term `PIN`: `aliases` must be a list of words "
                                   f"such as `aliases: [PIN, passcode]`, got {got}\n1 error, 0 warnings\n")


@pytest.mark.parametrize("encoding, question", [("latin-1", "¿Cómo empiezo? Start façade"),
                                                ("cp1252", "Größe – “Start” prüfen"),
                                                ("gbk", "怎么开始 start")])
def test_search_eval_csv_in_a_legacy_encoding(make_kb, tmp_path: Path, encoding: str, question: str) -> None:
    kb = make_kb({"helpgen.yml": CONFIG, "articles/start.md": GOOD})
    csv = tmp_path / "q.csv"
    csv.write_bytes(f"question,expected_article\n{question},start\n".encode(encoding))
    code, out = run("search", kb, "--eval", csv)
    assert code == 0 and out.splitlines()[0] == "questions: 1"
    assert question in out or "recall@1: 1.000" in out


def test_search_eval_csv_that_does_not_decode(make_kb, tmp_path: Path) -> None:
    kb = make_kb({"helpgen.yml": CONFIG, "articles/start.md": GOOD})
    csv = tmp_path / "q.csv"
    csv.write_bytes(b"question,expected_article\nstart,start\n\x00\x01\x02\x03\x04\x05\x06")
    assert run("search", kb, "--eval", csv) == (
        1, f"{csv}:1: error: binary data, not a ticket log (it contains NUL bytes); export the tickets as CSV, "
           "JSON Lines, JSON or mbox\n")


def _coverage(make_kb, tmp_path: Path, name: str, data: str) -> tuple[int, str]:
    kb = make_kb({"helpgen.yml": CONFIG, "articles/start.md": GOOD})
    log = tmp_path / name
    log.write_text(data, encoding="utf-8")
    return run("coverage", kb, "--tickets", log, "-o", tmp_path / "report")


def test_json_number_1e300_as_a_date(make_kb, tmp_path: Path) -> None:
    rows = [{"id": 1, "body": "How do I start?", "created_at": 1e300},
            {"id": 2, "body": "How do I start again?", "created_at": "2026-01-05T10:00:00Z"}]
    code, out = _coverage(make_kb, tmp_path, "t.json", json.dumps(rows))
    assert code == 0
    assert out.splitlines()[0] == (f"{tmp_path / 't.json'}:1: warning: cannot read the date `1e+300` in "
                                   "`created_at`, use ISO 8601 such as 2026-01-05T14:03:00Z; kept without that date")


@pytest.mark.parametrize("data, line, what", [
    ('[{"id": 1, "body": "hi"},\n {"id": 2, "body": "h', 2, "truncated JSON: the file ends before the data is "
                                                           "complete; the export was cut short, export it again"),
    ('[{"id": 1, "body": "hi"},\n {"id": 2, body: 1}]', 2, "invalid JSON: invalid char in json text; fix the "
                                                          "file or export it again"),
])
def test_broken_json_export(make_kb, tmp_path: Path, data: str, line: int, what: str) -> None:
    assert _coverage(make_kb, tmp_path, "t.json", data) == (1, f"{tmp_path / 't.json'}:{line}: error: {what}\n")


@pytest.mark.parametrize("doc, message", [
    ([1, 2], "not a coverage report: the file is a list, not a list of gaps"),
    ({"gaps": 5}, "not a coverage report: `gaps` is the number 5, not a list of gaps"),
    ({"gaps": ["x"]}, "gap 1 is the text \"x\", not an object"),
    ({"gaps": [{"id": 1, "examples": "where?"}]}, "gap 1: `examples` must be a list of text, got the text \"where?\""),
    ({"gaps": [{"id": 1, "examples": ["a", 2]}]}, "gap 1: `examples` must be a list of text, got an item that is "
                                                  "the number 2"),
    ({"gaps": [{"id": 1, "suggested_title": ["T"]}]}, "gap 1: `suggested_title` must be text, got a list"),
    ({"gaps": [{"id": 1, "best_reply": {"x": 1}}]}, "gap 1: `best_reply` must be text, got an object"),
])
def test_coverage_json_of_the_wrong_shape(make_kb, doc: object, message: str) -> None:
    kb = make_kb({"helpgen.yml": CONFIG, ".helpgen/coverage/coverage.json": json.dumps(doc)})
    report = kb / ".helpgen" / "coverage" / "coverage.json"
    assert run("new", kb, "--from-gap", "1") == (
        1, f"{report}: error: {message}; run `helpgen coverage {kb}` again\n")


def test_coverage_json_that_is_not_json(make_kb) -> None:
    kb = make_kb({"helpgen.yml": CONFIG, ".helpgen/coverage/coverage.json": "[" * 100_000})
    code, out = run("new", kb, "--from-gap", "1")
    assert code == 1 and out.startswith(f"{kb / '.helpgen' / 'coverage' / 'coverage.json'}: error: not a coverage "
                                        "report (") and out.count("\n") == 1


def test_build_prints_helpgen_yml_problems_like_check(make_kb, tmp_path: Path) -> None:
    kb = make_kb({"helpgen.yml": "offline: sometimes\nserch: lunr\n", "articles/a.md": GOOD})
    problems = ["helpgen.yml:1: error: `offline` must be true or false, got `sometimes`",
                "helpgen.yml:2: error: unknown key `serch` in helpgen.yml, did you mean `search`?"]
    assert run("check", kb) == (1, "\n".join([*problems, "2 errors, 0 warnings"]) + "\n")
    assert run("build", kb, "-o", tmp_path / "site") == (
        1, "\n".join([*problems, "error: build stopped: 2 errors, 0 warnings; fix them and build again"]) + "\n")


def test_unexpected_exception_is_one_line_and_debug_shows_the_traceback(make_kb, monkeypatch) -> None:
    from helpgen.kb import problems as kb_problems

    def broken(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr(kb_problems, "check_report", broken)
    kb = make_kb({"helpgen.yml": CONFIG, "articles/a.md": GOOD})
    assert run("check", kb) == (1, "error: unexpected KeyError: 'surprise'; this is a helpgen bug, run again with "
                                   "--debug for the traceback and report it\n")
    debug = CliRunner().invoke(main, ["--debug", "check", str(kb)])
    assert debug.exit_code == 1 and isinstance(debug.exception, KeyError)


def test_a_folder_that_cannot_be_created_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    target = tmp_path / "notes.txt" / "kb"
    code, out = run("init", target)
    assert (code, out) == (1, f"{target}: error: Not a directory; check the path, its permissions and the free "
                              "disk space\n")


@pytest.mark.parametrize("value", ["true", "false", "null", "1234567.5e-3"])
def test_json_value_across_a_read_boundary(make_kb, tmp_path: Path, value: str) -> None:
    """A minified export is read 64 kB at a time: a value cut by that boundary is still read."""
    from helpgen.tickets.readers.json_reader import CHUNK

    head = '[{"id": 1, "body": "How do I start?", "note": "'
    tail = '"flag": ' + value + ', "id2": 2}, {"id": 2, "body": "How do I start again?"}]'
    pad = CHUNK - len(head) - len('", ') - len('"flag": ') - 2  # the boundary falls inside the value
    data = head + "x" * pad + '", ' + tail
    assert data.index(value) < CHUNK < data.index(value) + len(value)
    code, out = _coverage(make_kb, tmp_path, "t.json", data)
    assert code == 0 and "error" not in out and "of 2 tickets" in out
