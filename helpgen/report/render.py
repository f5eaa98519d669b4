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
from helpgen.report.i18n import Messages, messages
from helpgen.report.localize import channel_zh

LEVELS_ZH = {"beginner": "入门", "advanced": "进阶", "troubleshooting": "故障排查"}  # as on the site
STAGES_ZH = {"onboarding": "入门上手", "using": "日常使用", "deepening": "深入使用", "adapting": "解决问题",
             "loyalty": "持续关注"}

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


def write_search_terms(path: Path, text: str) -> Path:
    """KB/search-terms.yml (`helpgen coverage --learn`), written atomically."""
    _write_atomic(Path(path), lambda fh: fh.write(text))
    return Path(path)


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


def _msgs(data: dict) -> Messages:
    return messages(data.get("lang", "en"))


def headline(data: dict) -> str:
    t, m = data["totals"], _msgs(data)
    return m("headline", pct=m.pct(t["coverage"]), tickets=m.tickets(t["tickets"]), covered=m.num(t["covered"]),
             gap=m.num(t["gap"]), unanswered=m.num(t["unanswered"]))


def _md_escape(text: str) -> str:
    return escape(" ".join(str(text).split()), quote=False).replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _channel(m: Messages, name: str) -> str:
    return channel_zh(name) if m.zh else name


def _level(m: Messages, level: str, stage: str) -> str:
    return f"{LEVELS_ZH.get(level, level)} / {STAGES_ZH.get(stage, stage)}" if m.zh else f"{level}/{stage}"


def _paren(m: Messages, text: str) -> str:
    return f"（{text}）" if m.zh else f" ({text})"


def _redacted(m: Messages, red: dict) -> str:
    sep = "，" if m.zh else ", "
    return m("redacted", items=sep.join(m("redacted_item", n=m.num(n), kind=m.kind(k)) for k, n in red.items()))


def _period(m: Messages, data: dict) -> str:
    span = data.get("period") or {}
    if not span.get("from"):
        return ""
    a, b = m.date(span["from"]), m.date(span["to"])
    return f"{a} – {b}" if not m.zh else f"{a}至{b}"


def _matched_notes(m: Messages, cal: dict) -> list[str]:
    """How matching worked: the analysis' own notes (English), or the thresholds in words (Chinese)."""
    if not m.zh:
        return list(cal["notes"])
    out = [f"文本相似度达到 {cal.get('min_similarity', 0):.2f} 即视为已有文章解答（阈值由各文章的 `questions` "
           "留一法校准得出）；低于 " + f"{cal.get('floor_similarity', 0):.2f} 的一律不算已覆盖。"]
    if cal.get("mode") == "history":
        out.append(f"客服约为 {cal.get('link_rate', 0):.0%} 的已覆盖工单附上文章链接；某张工单被附链接的可能性"
                   f"低于这一比例的 {cal.get('gap_ratio', 0.5):.0%} 时，判为缺口。")
    if cal.get("min_vocab_share"):
        out.append(f"工单中产品相关词语的占比低于 {cal['min_vocab_share']:.0%} 时，视为与产品无关。")
    out.append("详细说明见 coverage.json 的 `calibration`。")
    return out


def render_markdown(data: dict) -> str:
    t, rt, m = data["totals"], data["response_times"], _msgs(data)
    out = [f"# {m('title', name=_md_escape(data['kb']['name']))}", ""]
    period = _period(m, data)
    out += ([f"{period}", ""] if period else []) + [f"**{headline(data)}**", ""]
    if t["redacted"]:
        out += [_redacted(m, t["redacted"]), ""]
    out += [f"## {m('gaps')}", "", "| " + " | ".join(m(k) for k in ("col_id", "col_topic", "col_tickets",
            "col_share", "col_suggested", "col_nearest")) + " |", "|---|---|---|---|---|---|"]
    for g in data["gaps"][:MAX_GAPS]:
        out.append(f"| {g['id']} | {_md_escape(g['label'])} | {m.num(g['size'])} | {m.pct(g['share'], 1)} | "
                   f"{_md_escape(g['suggested_title'])}{_paren(m, _level(m, g['suggested_level'], g['suggested_stage']))} | "
                   f"{g['nearest_article'] or '-'}{_paren(m, format(g['nearest_score'], '.2f'))} |")
    for g in data["gaps"][:10]:
        out += ["", "### " + m("gap_heading", id=g["id"], label=_md_escape(g["label"]), size=m.tickets(g["size"])), ""]
        out += [f"- {_md_escape(e)}" for e in g["examples"]]
        if g["best_reply"]:
            out += ["", m("draft_seed", text=_md_escape(g["best_reply"]))]
        out += ["", m("draft_it", id=g["id"])]
    out += ["", f"## {m('cannot_find')}", "", m("cannot_find_intro"), ""]
    for a in [a for a in data["articles"] if a["covered_tickets"]][:20]:
        url = a.get("url") or a["id"] + "/"
        out.append("- " + m("article_line", title=_md_escape(a.get("title") or a["id"]), id=a["id"], url=url,
                                  n=m.tickets(a["covered_tickets"])))
        out += [f"  - {_md_escape(q)}" for q in a["top_phrasings"]]
    un = data["unanswered"]
    out += ["", f"## {m('nobody')}", "", m("nobody_line", count=m.tickets(un["count"]), pct=m.pct(un["share"]),
                                            gap=m.num(un["gap"]), covered=m.num(un["covered"])), ""]
    out += [f"- {_md_escape(e)}" for e in un["examples"]]
    out += ["", f"### {m('first_response')}", "", f"**{_md_escape(rt['statement'])}**", "",
            "| " + " | ".join(m(k) for k in ("col_channel", "col_tickets", "col_median", "col_p90", "col_kept"))
            + " |", "|---|---|---|---|---|"]
    for ch, s in rt["channels"].items():
        out.append(f"| {_md_escape(_channel(m, ch))} | {m.num(s['tickets'])} | {s['median_hours']} | "
                   f"{s['p90_hours']} | {m('yes') if s['kept'] else m('no')} |")
    if data["off_topic"]["size"]:
        out += ["", m("off_topic", n=m.tickets(data["off_topic"]["size"]))]
    cal = data["calibration"]
    out += ["", f"## {m('matched')}", "", m("mode", mode=m.mode(cal["mode"]))]
    if "lang" in data:
        out += ["", m("language", lang=m.language_name(data["lang"]))]
    out += [""] + [f"- {_md_escape(n)}" for n in _matched_notes(m, cal)]
    return "\n".join(out) + "\n"


_CSS = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
        "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;"
        "vertical-align:top}.big{font-size:1.3rem}.bad{color:#b00;font-weight:bold}small{color:#666}")


def _th(m: Messages, *keys: str) -> str:
    return "<tr>" + "".join(f"<th>{escape(m(k))}</th>" for k in keys) + "</tr>"


def render_html(data: dict) -> str:
    """Self-contained HTML: inline CSS and SVG only; every piece of ticket text is escaped."""
    e, m = escape, _msgs(data)
    t, rt, un = data["totals"], data["response_times"], data["unanswered"]
    title = e(m("title", name=data["kb"]["name"]))
    h = [f'<!doctype html><html lang="{e(m.lang)}"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f"<title>{title}</title><style>{_CSS}</style></head><body>", f"<h1>{title}</h1>"]
    if _period(m, data):
        h.append(f"<p>{e(_period(m, data))}</p>")
    h.append(f'<p class="big"><strong>{e(headline(data))}</strong></p>')
    if t["redacted"]:
        h.append(f"<p>{e(_redacted(m, t['redacted']))}</p>")
    h.append(f"<h2>{e(m('chart'))}</h2>" + bar_chart(data["trend"]["periods"], msgs=m))
    h.append(f"<h2>{e(m('gaps'))}</h2><table>" + _th(m, "col_id", "col_topic", "col_tickets", "col_trend",
                                                     "col_examples", "col_suggested", "col_nearest"))
    for g in data["gaps"][:MAX_GAPS]:
        ex = "".join(f"<li>{e(x)}</li>" for x in g["examples"])
        seed = f"<br><small>{e(m('team_reply', text=g['best_reply']))}</small>" if g["best_reply"] else ""
        h.append(f"<tr><td>{g['id']}</td><td>{e(g['label'])}</td><td>{m.num(g['size'])} ({m.pct(g['share'], 1)})</td>"
                 f"<td>{sparkline([p['count'] for p in g['trend']], title=m('trend'))}</td><td><ul>{ex}</ul>{seed}</td>"
                 f"<td>{e(g['suggested_title'])}<br><small>{e(_level(m, g['suggested_level'], g['suggested_stage']))}"
                 f"</small></td><td>{e(g['nearest_article'] or '-')} ({g['nearest_score']:.2f})</td></tr>")
    h.append(f"</table><h2>{e(m('cannot_find'))}</h2><p>{e(m('cannot_find_intro'))}</p><table>"
             + _th(m, "col_article", "col_tickets", "col_phrasings"))
    for a in [a for a in data["articles"] if a["covered_tickets"]][:20]:
        ph = "".join(f"<li>{e(q)}</li>" for q in a["top_phrasings"])
        url = f"<br><small>{e(a['url'])}</small>" if a.get("url") else ""
        h.append(f"<tr><td>{e(a['id'])}{url}</td><td>{m.num(a['covered_tickets'])}</td><td><ul>{ph}</ul></td></tr>")
    line = m("nobody_line", count=m.tickets(un["count"]), pct=m.pct(un["share"]), gap=m.num(un["gap"]),
             covered=m.num(un["covered"]))
    h.append(f"</table><h2>{e(m('nobody'))}</h2><p>{e(line)}</p><ul>"
             + "".join(f"<li>{e(x)}</li>" for x in un["examples"]) + "</ul>")
    cls = "" if rt["kept"] else ' class="bad"'
    h.append(f"<h3>{e(m('first_response'))}</h3><p{cls}>{e(rt['statement'])}</p><table>"
             + _th(m, "col_channel", "col_tickets", "col_median", "col_p90", "col_kept"))
    for ch, s in rt["channels"].items():
        h.append(f"<tr><td>{e(_channel(m, ch))}</td><td>{m.num(s['tickets'])}</td><td>{s['median_hours']}</td>"
                 f"<td>{s['p90_hours']}</td><td>{e(m('yes') if s['kept'] else m('no'))}</td></tr>")
    cal = data["calibration"]
    h.append(f"</table><h2>{e(m('matched'))}</h2><p>{e(m('mode', mode=m.mode(cal['mode'])))}</p><ul>"
             + "".join(f"<li>{e(n)}</li>" for n in _matched_notes(m, cal)) + "</ul></body></html>")
    return "\n".join(h) + "\n"
