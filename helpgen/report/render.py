"""Write the coverage report: coverage.md, coverage.html, coverage.json, search-eval.csv (+ assignments).

`write_report` renders into a temporary folder beside the target and swaps it in only when every file
is written, so a failure leaves the previous report (or nothing) and never a partial one.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from html import escape
from pathlib import Path

from helpgen.errors import UnsafeOutputError
from helpgen.report.charts import bar_chart, sparkline

MARKER = ".helpgen-coverage"
MAX_GAPS = 25


def write_report(result, out_dir: Path, assignments: Path | None = None) -> Path:
    """Write every report file atomically into `out_dir` (and the assignments file, also atomically)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise UnsafeOutputError("folder exists and was not made by `helpgen coverage`, choose an empty or new -o "
                                "folder", str(out_dir))
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".coverage-", dir=out_dir.parent))
    try:
        files = render_all(result.data)
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8", newline="")
        (tmp / MARKER).write_text("made by helpgen coverage\n", encoding="utf-8")
        if assignments is not None:
            _write_atomic(Path(assignments), lambda fh: write_assignments(result.rows, fh, Path(assignments)))
        _swap(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def _swap(tmp: Path, out_dir: Path) -> None:
    old = None
    if out_dir.exists():
        old = out_dir.with_name(out_dir.name + ".old-" + tmp.name[-8:])
        os.replace(out_dir, old)
    os.replace(tmp, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="." + path.name + "-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write(fh)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


ASSIGNMENT_COLUMNS = ["ticket_id", "verdict", "article", "score", "gap_id", "answered_by_team"]


def assignment_rows(rows):
    """One dict per ticket, in input order, with the documented columns."""
    for i, tid in enumerate(rows.ids):
        covered = bool(rows.verdict[i])
        gap = int(rows.gap[i])
        yield {"ticket_id": tid, "verdict": "covered" if covered else "gap",
               "article": rows.article_ids[rows.article[i]] if covered and rows.article[i] >= 0 else "",
               "score": f"{float(rows.score[i]):.4f}",
               "gap_id": "" if covered else ("off-topic" if gap == -1 else str(gap) if gap > 0 else ""),
               "answered_by_team": "true" if rows.answered[i] else "false"}


def write_assignments(rows, fh, path: Path) -> None:
    """CSV, or JSON Lines when the file name ends in .jsonl/.json."""
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        for row in assignment_rows(rows):
            row["answered_by_team"] = row["answered_by_team"] == "true"
            row["score"] = float(row["score"])
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    writer = csv.DictWriter(fh, ASSIGNMENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(assignment_rows(rows))


def render_all(data: dict) -> dict[str, str]:
    return {"coverage.json": json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n",
            "coverage.md": render_markdown(data), "coverage.html": render_html(data),
            "search-eval.csv": render_search_eval(data)}


def render_search_eval(data: dict) -> str:
    """question,expected_article rows from customers' phrasings, for `helpgen search --eval`."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["question", "expected_article"])
    for art in data["articles"]:
        for q in art["top_phrasings"]:
            w.writerow([q, art["id"]])
    return buf.getvalue()


def headline(data: dict) -> str:
    t = data["totals"]
    return (f"{t['coverage']:.0%} of {t['tickets']} tickets are answered by an article ({t['covered']} covered, "
            f"{t['gap']} gaps); {t['unanswered']} got no reply from the team.")


def _md_escape(text: str) -> str:
    return escape(" ".join(str(text).split()), quote=False).replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def render_markdown(data: dict) -> str:
    t, rt = data["totals"], data["response_times"]
    out = [f"# Coverage report: {_md_escape(data['kb']['name'])}", "", f"**{headline(data)}**", ""]
    if t["redacted"]:
        out.append("Personal data redacted: " + ", ".join(f"{n} {k}" for k, n in t["redacted"].items()) + ".")
        out.append("")
    out += ["## Gaps: questions the help centre does not answer", "",
            "| # | Topic | Tickets | Share | Suggested article | Nearest article (score) |", "|---|---|---|---|---|---|"]
    for g in data["gaps"][:MAX_GAPS]:
        out.append(f"| {g['id']} | {_md_escape(g['label'])} | {g['size']} | {g['share']:.1%} | "
                   f"{_md_escape(g['suggested_title'])} ({g['suggested_level']}/{g['suggested_stage']}) | "
                   f"{g['nearest_article'] or '-'} ({g['nearest_score']:.2f}) |")
    for g in data["gaps"][:10]:
        out += ["", f"### Gap {g['id']}: {_md_escape(g['label'])} ({g['size']} tickets)", ""]
        out += [f"- {_md_escape(e)}" for e in g["examples"]]
        if g["best_reply"]:
            out += ["", f"Draft seed (the team's reply): {_md_escape(g['best_reply'])}"]
        out += ["", f"Draft it: `helpgen new KB --from-gap {g['id']}`"]
    out += ["", "## Articles customers cannot find", "",
            "Tickets an article already answers: add these phrasings to its `questions`.", ""]
    for a in [a for a in data["articles"] if a["covered_tickets"]][:20]:
        out.append(f"- **{a['id']}**: {a['covered_tickets']} tickets")
        out += [f"  - {_md_escape(q)}" for q in a["top_phrasings"]]
    un = data["unanswered"]
    out += ["", "## Questions nobody answered", "",
            f"{un['count']} tickets ({un['share']:.0%}) got no reply: {un['gap']} of them are gaps, "
            f"{un['covered']} an article answers.", ""]
    out += [f"- {_md_escape(e)}" for e in un["examples"]]
    out += ["", "### First response per channel", "", f"**{_md_escape(rt['statement'])}**", "",
            "| Channel | Tickets | Median (h) | 90th percentile (h) | Promise kept |", "|---|---|---|---|---|"]
    for ch, s in rt["channels"].items():
        out.append(f"| {_md_escape(ch)} | {s['tickets']} | {s['median_hours']} | {s['p90_hours']} | "
                   f"{'yes' if s['kept'] else 'NO'} |")
    if data["off_topic"]["size"]:
        out += ["", f"{data['off_topic']['size']} tickets were off-topic (not about the product) and are not counted "
                    "as gaps of any topic."]
    cal = data["calibration"]
    out += ["", "## How tickets were matched", "", f"Mode: {cal['mode']}."] + [f"- {_md_escape(n)}" for n in cal["notes"]]
    return "\n".join(out) + "\n"


_CSS = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
        "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;"
        "vertical-align:top}.big{font-size:1.3rem}.bad{color:#b00;font-weight:bold}small{color:#666}")


def render_html(data: dict) -> str:
    """Self-contained HTML: inline CSS and SVG only; every piece of ticket text is escaped."""
    e = escape
    t, rt, un = data["totals"], data["response_times"], data["unanswered"]
    h = ["<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f"<title>Coverage report: {e(data['kb']['name'])}</title><style>{_CSS}</style></head><body>",
         f"<h1>Coverage report: {e(data['kb']['name'])}</h1>", f'<p class="big"><strong>{e(headline(data))}</strong></p>']
    if t["redacted"]:
        h.append("<p>Personal data redacted: " + e(", ".join(f"{n} {k}" for k, n in t["redacted"].items())) + ".</p>")
    h.append("<h2>Gap tickets over time</h2>" + bar_chart(data["trend"]["periods"]))
    h.append("<h2>Gaps: questions the help centre does not answer</h2><table><tr><th>#</th><th>Topic</th>"
             "<th>Tickets</th><th>Trend</th><th>Examples</th><th>Suggested article</th><th>Nearest article</th></tr>")
    for g in data["gaps"][:MAX_GAPS]:
        ex = "".join(f"<li>{e(x)}</li>" for x in g["examples"])
        seed = f"<br><small>Team reply: {e(g['best_reply'])}</small>" if g["best_reply"] else ""
        h.append(f"<tr><td>{g['id']}</td><td>{e(g['label'])}</td><td>{g['size']} ({g['share']:.1%})</td>"
                 f"<td>{sparkline([p['count'] for p in g['trend']])}</td><td><ul>{ex}</ul>{seed}</td>"
                 f"<td>{e(g['suggested_title'])}<br><small>{e(g['suggested_level'])}/{e(g['suggested_stage'])}</small></td>"
                 f"<td>{e(g['nearest_article'] or '-')} ({g['nearest_score']:.2f})</td></tr>")
    h.append("</table><h2>Articles customers cannot find</h2><p>Add these phrasings to the article's "
             "<code>questions</code>.</p><table><tr><th>Article</th><th>Tickets</th><th>Customer phrasings</th></tr>")
    for a in [a for a in data["articles"] if a["covered_tickets"]][:20]:
        ph = "".join(f"<li>{e(q)}</li>" for q in a["top_phrasings"])
        h.append(f"<tr><td>{e(a['id'])}</td><td>{a['covered_tickets']}</td><td><ul>{ph}</ul></td></tr>")
    h.append(f"</table><h2>Questions nobody answered</h2><p>{un['count']} tickets ({un['share']:.0%}) got no reply: "
             f"{un['gap']} gaps, {un['covered']} an article answers.</p><ul>"
             + "".join(f"<li>{e(x)}</li>" for x in un["examples"]) + "</ul>")
    cls = "" if rt["kept"] else ' class="bad"'
    h.append(f"<h3>First response per channel</h3><p{cls}>{e(rt['statement'])}</p><table><tr><th>Channel</th>"
             "<th>Tickets</th><th>Median (h)</th><th>90th percentile (h)</th><th>Promise kept</th></tr>")
    for ch, s in rt["channels"].items():
        h.append(f"<tr><td>{e(ch)}</td><td>{s['tickets']}</td><td>{s['median_hours']}</td><td>{s['p90_hours']}</td>"
                 f"<td>{'yes' if s['kept'] else 'NO'}</td></tr>")
    h.append("</table><h2>How tickets were matched</h2><ul>"
             + "".join(f"<li>{e(n)}</li>" for n in data["calibration"]["notes"]) + "</ul></body></html>")
    return "\n".join(h) + "\n"
