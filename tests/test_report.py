"""Report rendering and the `helpgen coverage` command: files, escaping, assignments, exit codes, atomicity."""
from __future__ import annotations

import csv
import json
import re
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner

from test_coverage_fixtures import ARTICLE, history, make_kb, ticket
from helpgen.coverage.analyse import analyse
from helpgen.report import render
from helpgen.report.render import write_report



@pytest.fixture(scope="module")
def result():
    evil = ticket("evil", "my card <script>alert(1)</script> has not arrived & I'm cross", 500, reply=None)
    return analyse(make_kb(response_hours=2.0), history() + [evil], redacted={"email": 3})


def test_report_files_and_schema(result, tmp_path):
    out = write_report(result, tmp_path / "rep", tmp_path / "a.csv")
    assert sorted(p.name for p in out.iterdir()) == [".helpgen-coverage", "coverage.html", "coverage.json",
                                                     "coverage.md", "search-eval.csv"]
    data = json.loads((out / "coverage.json").read_text())
    assert data["schema"] == "helpgen.coverage/1"
    assert set(data["totals"]) >= {"tickets", "covered", "gap", "unanswered", "coverage", "redacted"}
    assert data["totals"]["redacted"] == {"email": 3}
    gap = data["gaps"][0]
    assert set(gap) >= {"id", "label", "size", "share", "trend", "examples", "nearest_article", "nearest_score",
                        "suggested_level", "suggested_stage", "suggested_title", "best_reply"}
    assert {"id", "covered_tickets", "top_phrasings"} <= set(data["articles"][0])
    assert data["response_times"]["promise_hours"] == 2.0 and not data["response_times"]["kept"]
    md = (out / "coverage.md").read_text()
    assert "NOT kept" in md and "## Gaps" in md and "## Articles customers cannot find" in md
    rows = list(csv.reader((out / "search-eval.csv").open()))
    assert rows[0] == ["question", "expected_article"] and len(rows) > 1


def test_html_escapes_ticket_text_and_is_self_contained(result, tmp_path):
    html = (write_report(result, tmp_path / "rep") / "coverage.html").read_text()
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "<svg" in html
    # nothing is loaded from anywhere: no stylesheet, script, image, font or import; links to articles only
    assert not re.search(r"<link|<img|<iframe|@import|url\(|src=", html)
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs and all(h.startswith(("#", "https://help.example.test/")) for h in hrefs), hrefs


def test_html_looks_like_the_help_centre_and_each_gap_is_a_details_block(result, tmp_path):
    from helpgen.report.render import PALETTE

    html = (write_report(result, tmp_path / "rep") / "coverage.html").read_text()
    data = result.data
    assert '<span class="site">Test Help</span>' in html
    assert f"--primary:{PALETTE['indigo'][0]}" in html  # helpgen.yml default colours.primary: indigo
    assert "-apple-system,BlinkMacSystemFont,Helvetica,Arial,sans-serif" in html  # Material's system font stack
    assert html.index("<p class=\"headline\">") < html.index('<details class="gap"')  # headline, then gaps
    for g in data["gaps"]:
        block = html[html.index(f'<details class="gap" id="gap-{g["id"]}">'):]
        block = block[:block.index("</details>")]
        summary = block[:block.index("</summary>")]
        assert escape(g["label"]) in summary and f"{g['size']} tickets" in summary
        body = block[block.index("</summary>"):]
        assert f"helpgen new KB --from-gap {g['id']}" in body and escape(g["suggested_title"]) in body
        assert all(escape(e) in body for e in g["examples"])
        if g["nearest_article"]:
            assert g["nearest_article"] in body
    assert "@media print" in html and "details::details-content" in html
    matched = html[html.index('id="matched"'):]
    assert matched.index("</p>") < matched.index("<details") and "min_similarity" not in matched[:200]


def test_theme_follows_colors_primary():
    from helpgen.report.render import theme

    assert theme({"primary": "teal"})["primary"] == "#009485"
    assert theme({"primary": "deep orange"})["primary"] == "#ff6e42"
    assert theme({"primary": "#123456"})["primary"] == "#123456"
    assert theme({"primary": "no-such-colour"})["primary"] == "#4051b5"
    assert theme({"primary": "yellow"})["on_primary"] != "#fff"


def test_gap_tells_who_asked_and_who_answered_and_lists_every_unanswered_question(result, tmp_path):
    data = result.data
    for g in data["gaps"]:
        assert g["answered"] + g["unanswered"] == g["size"]
    un = data["unanswered"]
    listed = [t["id"] for grp in un["groups"] for t in grp["tickets"]]
    never = [tid for tid, ok in zip(result.rows.ids, result.rows.answered) if not ok]
    assert sorted(listed) == sorted(never) and len(listed) == un["count"]
    kinds = [grp["kind"] for grp in un["groups"]]
    assert kinds == sorted(kinds, key=["gap", "article", "off_topic"].index)
    for grp in un["groups"]:
        if grp["kind"] == "gap":
            gid = grp["id"]
            assert all(result.rows.gap[result.rows.ids.index(t["id"])] == gid for t in grp["tickets"])
    out = write_report(result, tmp_path / "rep")
    md, html = (out / "coverage.md").read_text(), (out / "coverage.html").read_text()
    nobody = md[md.index("## Questions nobody answered"):]
    assert all(f"`{tid}`" in nobody for tid in listed)
    nobody = html[html.index('id="nobody"'):html.index('id="matched"')]
    assert all(f"<code>{escape(tid)}</code>" in nobody for tid in listed)
    assert "The team answered" in md


def test_examples_are_whole_questions_without_near_repeats(result):
    from test_coverage_fixtures import GAP

    gap = next(g for g in result.data["gaps"] if "apple" in g["label"].lower())
    assert 3 <= len(gap["examples"]) <= 5
    assert all(e.lower() in {q.lower() for q in GAP} for e in gap["examples"])  # whole, never cut
    assert len({e.lower() for e in gap["examples"]}) == len(gap["examples"])


def test_render_is_robust_to_an_unknown_unanswered_count(result):
    data = json.loads(json.dumps(result.data))
    data["unanswered"]["count"] = None  # an export without replies: nobody knows who was answered
    html = render.render_html(data)
    assert "Questions nobody answered" in html and '<details class="group"><summary><strong>Gap' not in html


def test_assignments_csv_and_jsonl(result, tmp_path):
    write_report(result, tmp_path / "r1", tmp_path / "a.csv")
    rows = list(csv.DictReader((tmp_path / "a.csv").open()))
    assert list(rows[0]) == ["ticket_id", "verdict", "article", "score", "gap_id", "answered_by_team"]
    assert len(rows) == len(result.rows.ids)
    for r in rows:
        assert r["verdict"] in ("covered", "gap") and r["answered_by_team"] in ("true", "false")
        assert bool(r["article"]) == (r["verdict"] == "covered")
        assert (r["gap_id"] != "") == (r["verdict"] == "gap")
    write_report(result, tmp_path / "r2", tmp_path / "a.jsonl")
    first = json.loads((tmp_path / "a.jsonl").read_text().splitlines()[0])
    assert list(first) == ["ticket_id", "verdict", "article", "score", "gap_id", "answered_by_team"]
    assert isinstance(first["answered_by_team"], bool)


def test_failure_leaves_no_partial_report(result, tmp_path, monkeypatch):
    out = write_report(result, tmp_path / "rep")
    before = (out / "coverage.json").read_text()

    def boom(data):
        raise RuntimeError("disk full")

    monkeypatch.setattr(render, "render_html", boom)
    with pytest.raises(RuntimeError):
        write_report(result, out)
    assert (out / "coverage.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]  # no temp folder left
    with pytest.raises(RuntimeError):
        write_report(result, tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_refuses_foreign_folder(result, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.txt").write_text("precious")
    from helpgen.errors import UnsafeOutputError
    with pytest.raises(UnsafeOutputError):
        write_report(result, tmp_path / "mine")
    assert (tmp_path / "mine" / "thesis.txt").read_text() == "precious"


def _kb_on_disk(make_kb_files) -> Path:
    from test_coverage_fixtures import ARTICLES
    files = {"helpgen.yml": "name: Test Help\nsite_url: https://help.example.test/\n"}
    for aid, (title, summary, questions, body) in ARTICLES.items():
        qs = "\n".join(f"  - {json.dumps(q)}" for q in questions)
        files[f"articles/{aid}.md"] = ARTICLE.format(title=title, summary=summary, questions=qs, body=body)
    return make_kb_files(files)


def _log(path: Path, tickets) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "created_at", "channel", "subject", "body", "status", "reply", "replied_at"])
        for t in tickets:
            reply = t.replies[0].text if t.replies else ""
            if t.linked_articles:
                reply += f" See https://help.example.test/{t.linked_articles[0]}/ for details."
            w.writerow([t.id, t.created.isoformat(), t.channel, "", t.question, t.status, reply,
                        t.replies[0].at.isoformat() if t.replies else ""])
    return path


def test_cli_fail_under_and_output(make_kb, tmp_path):
    from helpgen.coverage.cli import coverage_command
    kb = _kb_on_disk(make_kb)
    log = _log(tmp_path / "t.csv", history())
    runner = CliRunner()
    res = runner.invoke(coverage_command, [str(kb), "--tickets", str(log), "--assignments", str(tmp_path / "a.csv")])
    assert res.exit_code == 0, res.output
    assert (kb / ".helpgen" / "coverage" / "coverage.json").is_file()
    cov = json.loads((kb / ".helpgen" / "coverage" / "coverage.json").read_text())["totals"]["coverage"]
    assert cov > 0.4 and cov < 1.0
    linked = [r for r in csv.DictReader((tmp_path / "a.csv").open()) if r["ticket_id"] == "cards/track-your-card-1"]
    assert linked[0]["article"] == "cards/track-your-card" and linked[0]["score"] == "1.0000"
    res = runner.invoke(coverage_command, [str(kb), "--tickets", str(log), "--fail-under", "0.99"])
    assert res.exit_code == 1
    assert "is under --fail-under 99.0%" in res.output and "Traceback" not in res.output
    res = runner.invoke(coverage_command, [str(kb), "--tickets", str(log), "--fail-under", str(cov)])
    assert res.exit_code == 0


def test_cli_empty_log_is_an_error_and_writes_nothing(make_kb, tmp_path):
    from helpgen.coverage.cli import coverage_command
    kb = _kb_on_disk(make_kb)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    res = CliRunner().invoke(coverage_command, [str(kb), "--tickets", str(empty), "-o", str(tmp_path / "out")])
    assert res.exit_code == 1 and "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_same_input_gives_byte_identical_report(tmp_path):
    tickets = history()
    one = write_report(analyse(make_kb(), tickets), tmp_path / "one", tmp_path / "one.csv")
    two = write_report(analyse(make_kb(), tickets), tmp_path / "two", tmp_path / "two.csv")
    for name in ("coverage.json", "coverage.md", "coverage.html", "search-eval.csv"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()


def test_cli_strict_turns_bad_rows_into_a_failure(make_kb, tmp_path):
    from helpgen.coverage.cli import coverage_command
    kb = _kb_on_disk(make_kb)
    log = _log(tmp_path / "t.csv", history())
    with log.open("a", encoding="utf-8") as fh:
        fh.write("bad-1,2026-03-09T10:00:00+00:00,email,,,open,,\n")  # no question text
    res = CliRunner().invoke(coverage_command, [str(kb), "--tickets", str(log), "-o", str(tmp_path / "a")])
    assert res.exit_code == 0 and "warning" in res.output
    res = CliRunner().invoke(coverage_command, [str(kb), "--tickets", str(log), "-o", str(tmp_path / "b"),
                                                "--strict"])
    assert res.exit_code == 1 and "--strict" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "b").exists()


def test_report_language_follows_data_lang(result):
    data = json.loads(json.dumps(result.data))
    en_md = render.render_markdown(data)
    assert "## Gaps: questions the help centre does not answer" in en_md and "缺口" not in en_md
    data["lang"] = "zh"
    md, html = render.render_markdown(data), render.render_html(data)
    assert "## 缺口：帮助中心尚未解答的问题" in md and "## Gaps" not in md and "## How tickets were matched" not in md
    assert f"{data['totals']['tickets']} 条工单中" in md and "|---|" in md
    assert '<html lang="zh">' in html and "缺口工单趋势" in html and "Gap tickets over time" not in html
    assert "<script>" not in html


@pytest.mark.parametrize("question, title", [
    ("How do I change my PIN?", "Change your PIN"),
    ("Can I add my card to Apple Pay?", "Add your card to Apple Pay"),
    ("How old do you have to be to open an account?", "Minimum age to open an account"),
    ("How long does a transfer take?", "How long a transfer takes"),
    ("Why was my transfer declined?", "Transfer declined"),
    ("Why hasn't my card arrived?", "Why hasn't my card arrived"),  # a negation: no shorter heading is safe
    ("Do you offer business accounts?", "Business accounts"),
    ("What do I do if I was charged twice?", "If you were charged twice"),
    ("I want to know the best season to visit Hanoi.", "The best season to visit Hanoi"),
    ("My card got stuck in the machine.", "Card got stuck in the machine"),
    ("Does the card work abroad?", "Does the card work abroad"),  # no rule: the question itself, no "?"
    ("请问怎么修改卡密码？", "修改卡密码"),
    ("为什么我的转账还没到账", "转账还没到账"),
    ("可以存现金吗？", "存现金"),
    ("取款机把卡吞了，怎么办？", "取款机把卡吞了"),
])
def test_suggested_title_is_a_plain_heading_from_the_label(question, title):
    from helpgen.coverage.aggregate import suggested_title

    assert suggested_title(question) == title


def test_questions_and_examples_are_whole_and_cut_at_word_boundaries():
    from helpgen.coverage.phrasing import cut, message_of, question_of

    text = "Teen account\nHi Sam,\nHow old do you have to be to open an account? This is urgent. I tried twice."
    assert question_of(text) == "How old do you have to be to open an account?"  # no subject, greeting, filler
    assert message_of(text) == "How old do you have to be to open an account? I tried twice."
    long = "Where " + "is my very important parcel " * 10 + "now?"
    label = question_of(long)
    assert len(label) <= 90 and label.endswith("…") and long.startswith(label[:-1])
    assert label[:-1].split()[-1] in long.split()  # never cut mid-word
    assert cut("我" * 100, 90) == "我" * 89 + "…"  # Chinese: any character boundary
    assert question_of("客服你好，我的卡还没收到，能帮我查一下吗？麻烦尽快处理。") == "我的卡还没收到，能帮我查一下吗？"
    assert message_of("It costs 2.5 EUR a month. Is that the price for everyone? Thanks!") == \
        "It costs 2.5 EUR a month. Is that the price for everyone?"  # 2.5 is no sentence end; thanks goes
    filler = "Where is my new card? Please sort this out today. It was posted last week."
    assert message_of(filler, quiet={"sort", "out", "todai"}) == "Where is my new card? It was posted last week."
    assert message_of(filler) == filler
