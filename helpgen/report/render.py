"""Write the coverage report: coverage.md, coverage.html, coverage.json, search-eval.csv (+ assignments).

`write_report` renders into a temporary folder beside the target and swaps it in only when every file
is written, so a failure leaves the previous report (or nothing) and never a partial one.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from functools import lru_cache
from html import escape
from pathlib import Path

import numpy as np

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from helpgen.errors import UnsafeOutputError
from helpgen.report.charts import bar_chart, sparkline
from helpgen.report.gaps import LAST_REPORT
from helpgen.report.i18n import Messages, messages
from helpgen.report.localize import channel_zh

LEVELS_ZH = {"beginner": "入门", "advanced": "进阶", "troubleshooting": "故障排查"}  # as on the site

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


def remember_report(kb_root: Path, out_dir: Path) -> None:
    """Record `out_dir` as the KB's last report (KB/.helpgen/last-report), for `helpgen new --from-gap`."""
    kb_root, out_dir = Path(kb_root), Path(out_dir)
    try:
        named = Path(os.path.relpath(out_dir.resolve(), kb_root.resolve())).as_posix()
    except ValueError:  # another drive (Windows): keep the absolute path
        named = str(out_dir.resolve())
    _write_atomic(kb_root / LAST_REPORT, lambda fh: fh.write(named + "\n"))


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
    verdict, article, gap, score, answered = (np.asarray(a).tolist() for a in (rows.verdict, rows.article, rows.gap,
                                                                                rows.score, rows.answered))
    known = np.asarray(rows.answered_known).tolist() if rows.answered_known is not None else None
    for i, tid in enumerate(rows.ids):
        covered = bool(verdict[i])
        g = int(gap[i])
        yield {"ticket_id": tid, "verdict": "covered" if covered else "gap",
               "article": rows.article_ids[article[i]] if covered and article[i] >= 0 else "",
               "score": f"{score[i]:.4f}",
               "gap_id": "" if covered else ("off-topic" if g == -1 else str(g) if g > 0 else ""),
               "answered_by_team": "unknown" if known is not None and not known[i]  # the export has no reply column
               else "true" if answered[i] else "false"}


def write_assignments(rows, fh, path: Path) -> None:
    """CSV, or JSON Lines when the file name ends in .jsonl/.json."""
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        for row in assignment_rows(rows):
            row["answered_by_team"] = {"true": True, "false": False}.get(row["answered_by_team"])
            row["score"] = float(row["score"])
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(ASSIGNMENT_COLUMNS)
    writer.writerows([row[c] for c in ASSIGNMENT_COLUMNS] for row in assignment_rows(rows))


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
    if t["unanswered"] is None:
        return m("headline_no_replies", pct=m.pct(t["coverage"]), tickets=m.tickets(t["tickets"]),
                 covered=m.num(t["covered"]), gap=m.num(t["gap"]))
    return m("headline", pct=m.pct(t["coverage"]), tickets=m.tickets(t["tickets"]), covered=m.num(t["covered"]),
             gap=m.num(t["gap"]), unanswered=m.num(t["unanswered"]))


def _nobody_line(m: Messages, un: dict) -> str:
    if un["count"] is None:
        return m("nobody_unknown")
    return m("nobody_line", count=m.tickets(un["count"]), pct=m.pct(un["share"]), gap=m.num(un["gap"]),
             covered=m.num(un["covered"]))


def _md_escape(text: str) -> str:
    return escape(" ".join(str(text).split()), quote=False).replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _channel(m: Messages, name: str) -> str:
    return channel_zh(name) if m.zh else name


def _level(m: Messages, level: str, stage: str, stage_label: str = "") -> str:
    return f"{LEVELS_ZH.get(level, level)} / {stage_label or stage}" if m.zh else f"{level}/{stage}"


def _kept(m: Messages, kept: bool | None) -> str:
    """Yes, no, or a dash where the channel makes no promise in hours to check."""
    return "–" if kept is None else m("yes") if kept else m("no")


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


DETAILED_GAPS = 10  # gaps shown with examples, reply and draft command in coverage.md


def render_markdown(data: dict) -> str:
    t, rt, m = data["totals"], data["response_times"], _msgs(data)
    out = [f"# {m('title', name=_md_escape(data['kb']['name']))}", ""]
    period = _period(m, data)
    out += ([f"{period}", ""] if period else []) + [f"**{headline(data)}**", ""]
    if t["redacted"]:
        out += [_redacted(m, t["redacted"]), ""]
    periods = [p["period"] for p in data["trend"]["periods"]]
    titles = _titles(data)
    out += [f"## {m('gaps')}", "", "| " + " | ".join(m(k) for k in ("col_id", "col_topic", "col_tickets",
            "col_share", "col_trend", "col_suggested")) + " |", "|---|---|---|---|---|---|"]
    for g in data["gaps"][:MAX_GAPS]:
        word = direction(_gap_counts(g, periods))
        out.append(f"| {g['id']} | {_md_escape(g['label'])} | {m.num(g['size'])} | {m.pct(g['share'], 1)} | "
                   f"{m(word) if word else '-'} | {_md_escape(g['suggested_title'])}"
                   f"{_paren(m, _level(m, g['suggested_level'], g['suggested_stage'], g.get('suggested_stage_label', '')))} |")
    if len(data["gaps"]) > MAX_GAPS:
        out += ["", m("more_gaps", n=m.num(len(data["gaps"]) - MAX_GAPS))]
    for g in data["gaps"][:DETAILED_GAPS]:
        out += ["", "### " + m("gap_heading", id=g["id"], label=_md_escape(g["label"]), size=m.tickets(g["size"])),
                "", f"**{m('suggested')}:** {_md_escape(g['suggested_title'])}", "", f"**{m('asked')}:**", ""]
        out += [f"- {_md_escape(e)}" for e in g["examples"]]
        out += ["", team_line(m, g)]
        if g.get("best_reply"):
            out += ["", f"**{m('best_reply')}:**", "", f"> {_md_escape(g['best_reply'])}"]
        nearest = g.get("nearest_article")
        if nearest:
            out += ["", f"**{m('nearest')}:** {_md_escape(titles.get(nearest, nearest))} ({nearest}) — "
                        f"{m('nearest_line', score=format(g['nearest_score'], '.2f'))}"]
        if g.get("terms"):
            out += ["", f"**{m('terms')}:** " + ("、" if m.zh else ", ").join(_md_escape(x) for x in g["terms"])]
        out += ["", m("draft_it", id=g["id"])]
    out += ["", f"## {m('cannot_find')}", "", m("cannot_find_intro"), ""]
    for a in [a for a in data["articles"] if a["covered_tickets"]][:20]:
        url = a.get("url") or a["id"] + "/"
        out.append("- " + m("article_line", title=_md_escape(a.get("title") or a["id"]), id=a["id"], url=url,
                                  n=m.tickets(a["covered_tickets"])))
        out += [f"  - {_md_escape(q)}" for q in a["top_phrasings"]]
    un = data["unanswered"]
    out += ["", f"## {m('nobody')}", "", _nobody_line(m, un)]
    if un.get("count") is not None:
        for grp in nobody_groups(m, un):
            out += ["", f"### {_md_escape(grp['title'])}{_paren(m, grp['count'])}", ""]
            out += [f"- `{_md_escape(x['id'])}` {_md_escape(x['question'])}" for x in grp["tickets"]]
            if grp["more"]:
                out += ["", grp["more"]]
    out += ["", f"### {m('first_response')}", "", f"**{_md_escape(rt['statement'])}**", "",
            "| " + " | ".join(m(k) for k in ("col_channel", "col_tickets", "col_median", "col_p90", "col_kept"))
            + " |", "|---|---|---|---|---|"]
    for ch, s in rt["channels"].items():
        out.append(f"| {_md_escape(_channel(m, ch))} | {m.num(s['tickets'])} | {s['median_hours']} | "
                   f"{s['p90_hours']} | {_kept(m, s['kept'])} |")
    if data["off_topic"]["size"]:
        out += ["", m("off_topic", n=m.tickets(data["off_topic"]["size"]))]
    cal = data["calibration"]
    out += ["", f"## {m('matched')}", "", matched_paragraph(m, cal), "", f"### {m('figures')}", "",
            m("mode", mode=m.mode(cal["mode"]))]
    if "lang" in data:
        out += ["", m("language", lang=m.language_name(data["lang"]))]
    out += [""] + [f"- {_md_escape(n)}" for n in _matched_notes(m, cal)]
    return "\n".join(out) + "\n"


# Material for MkDocs' primary palette (its palette CSS): name -> (colour, darker shade, text on the colour)
PALETTE = {
    "red": ("#ef5552", "#e53734", "#fff"), "pink": ("#e92063", "#c3185d", "#fff"),
    "purple": ("#ab47bd", "#8c24a8", "#fff"), "deep-purple": ("#7e56c2", "#673ab6", "#fff"),
    "indigo": ("#4051b5", "#303fa1", "#fff"), "blue": ("#2094f3", "#1975d2", "#fff"),
    "light-blue": ("#02a6f2", "#0287cf", "#fff"), "cyan": ("#00bdd6", "#0097a8", "#fff"),
    "teal": ("#009485", "#007a6c", "#fff"), "green": ("#4cae4f", "#398e3d", "#fff"),
    "light-green": ("#8bc34b", "#689f38", "#fff"), "lime": ("#cbdc38", "#b0b52c", "#000000de"),
    "yellow": ("#ffec3d", "#fbc02d", "#000000de"), "amber": ("#ffc105", "#ffa000", "#000000de"),
    "orange": ("#ffa724", "#fa8900", "#000000de"), "deep-orange": ("#ff6e42", "#f4511f", "#fff"),
    "brown": ("#795649", "#5d4037", "#fff"), "grey": ("#757575", "#616161", "#fff"),
    "blue-grey": ("#546d78", "#455a63", "#fff"), "black": ("#000000", "#000000", "#fff"),
    "white": ("#ffffff", "#e0e0e0", "#000000de"),
}
_HEX = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")
TREND_RATIO = 1.5  # a gap is "rising" when its later half of periods has 1.5x the tickets of the earlier half


def theme(colors: dict | None) -> dict:
    """The help centre's primary colour (helpgen.yml `colors.primary`: a Material name or a hex colour)."""
    value = str((colors or {}).get("primary", "indigo")).strip().lower().replace(" ", "-")
    if _HEX.fullmatch(value):
        return {"primary": value, "dark": value, "on_primary": "#fff"}
    fg, dark, on = PALETTE.get(value, PALETTE["indigo"])
    return {"primary": fg, "dark": dark, "on_primary": on}


def _code(text: str) -> Markup:
    """Escaped text with `backticked` parts as <code> (messages are shared with the Markdown report)."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(str(text), quote=False))))


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=PackageLoader("helpgen.report", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["code"] = _code
    return env


def _gap_counts(g: dict, periods: list[str]) -> list[int]:
    """The gap's tickets in every period of the report (0 where it had none)."""
    counts = {p["period"]: p["count"] for p in g["trend"]}
    return [int(counts.get(p, 0)) for p in periods]


def direction(counts: list[int]) -> str:
    """rising / falling / steady: the later half of the periods against the earlier half ("" when there are
    fewer than 4 periods or 6 tickets, too few to say)."""
    if len(counts) < 4 or sum(counts) < 6:
        return ""
    half = len(counts) // 2
    early, late = sum(counts[:half]) / half, sum(counts[-half:]) / half
    if late >= TREND_RATIO * early and late > early:
        return "rising"
    if early >= TREND_RATIO * late and early > late:
        return "falling"
    return "steady"


def _href(data: dict, url: str) -> str:
    site = (data["kb"].get("site_url") or "").strip()
    return site.rstrip("/") + "/" + url.lstrip("/") if site and url else ""


def _titles(data: dict) -> dict[str, str]:
    return {a["id"]: a.get("title") or a["id"] for a in data["articles"]}


def team_line(m: Messages, g: dict) -> str:
    if g.get("answered", 0) is None:  # the export has no reply column
        return m("team_unknown")
    answered = int(g.get("answered", 0))
    unanswered = int(g.get("unanswered", g["size"] - answered))
    if not answered:
        return m("team_none")
    return m("team_answered", answered=m.num(answered), size=m.num(g["size"]), unanswered=m.num(unanswered))


def _gap_view(data: dict, m: Messages, g: dict, periods: list[str], titles: dict) -> dict:
    counts = _gap_counts(g, periods)
    word = direction(counts)
    spark = sparkline(counts, title=m("trend_title", counts=", ".join(map(str, counts)))) if counts else ""
    nearest = g.get("nearest_article")
    return {"id": g["id"], "label": g["label"], "size": m.tickets(g["size"]), "share": m.pct(g["share"], 1),
            "spark": Markup(spark), "direction": m(word) if word else "",
            "direction_class": {"rising": "up", "falling": "down"}.get(word, ""),
            "title": g["suggested_title"],
            "level_stage": _level(m, g["suggested_level"], g["suggested_stage"], g.get("suggested_stage_label", "")),
            "examples": g["examples"], "team": team_line(m, g), "best_reply": g.get("best_reply"),
            "nearest": f"{titles.get(nearest, nearest)} ({nearest})" if nearest else "",
            "nearest_href": _href(data, g.get("nearest_url") or ""),
            "nearest_note": m("nearest_line", score=f"{g['nearest_score']:.2f}"),
            "terms": g.get("terms") or []}


def nobody_groups(m: Messages, un: dict) -> list[dict]:
    """The unanswered questions' groups with their titles in the report's language."""
    out = []
    for grp in un.get("groups") or []:
        if grp["kind"] == "gap":
            title = m("nobody_gap", id=grp["id"], label=grp["label"])
        elif grp["kind"] == "article":
            title = m("nobody_article", title=grp["label"] or grp["id"])
        else:
            title = m("nobody_off")
        more = grp["count"] - len(grp["tickets"])
        out.append({"kind": grp["kind"], "title": title, "name": grp["label"] or grp["id"] or "", "count": m.tickets(grp["count"]), "n": grp["count"],
                    "tickets": grp["tickets"], "more": m("nobody_more", n=m.num(more)) if more > 0 else ""})
    return out


def matched_paragraph(m: Messages, cal: dict) -> str:
    return m("matched_history" if cal.get("mode") == "history" else "matched_text")


def render_html(data: dict) -> str:
    """Self-contained HTML from the Jinja2 template (autoescaped): inline CSS and SVG, no script, no request."""
    m = _msgs(data)
    t, rt, un = data["totals"], data["response_times"], data["unanswered"]
    periods = [p["period"] for p in data["trend"]["periods"]]
    titles = _titles(data)
    gaps = data["gaps"][:MAX_GAPS]
    nobody = {"line": _nobody_line(m, un), "groups": [], "articles": [], "articles_count": "", "rest": []}
    if un.get("count") is not None:
        groups = nobody_groups(m, un)
        by_article = [g for g in groups if g["kind"] == "article"]
        nobody = {"line": _nobody_line(m, un),
                  "groups": [g for g in groups if g["kind"] == "gap"],
                  "articles": by_article, "articles_count": m.tickets(sum(g["n"] for g in by_article)),
                  "rest": [g for g in groups if g["kind"] not in ("gap", "article")]}
    cal = data["calibration"]
    view = {
        "lang": m.lang, "m": m, "title": m("title", name=data["kb"]["name"]), "site_name": data["kb"]["name"],
        "theme": theme(data["kb"].get("colors")), "period": _period(m, data),
        "redacted": _redacted(m, t["redacted"]) if t["redacted"] else "", "headline": headline(data),
        "short": {"gaps": m("nav_gaps"), "nobody": m("nav_nobody"), "matched": m("nav_matched")},
        "gaps": [_gap_view(data, m, g, periods, titles) for g in gaps],
        "more_gaps": m("more_gaps", n=m.num(len(data["gaps"]) - len(gaps))) if len(data["gaps"]) > len(gaps) else "",
        "chart": Markup(bar_chart(data["trend"]["periods"], msgs=m)),
        "articles": [{"id": a["id"], "title": a.get("title") or a["id"], "href": _href(data, a.get("url") or ""),
                      "count": m.num(a["covered_tickets"]), "phrasings": a["top_phrasings"]}
                     for a in data["articles"] if a["covered_tickets"]][:20],
        "nobody": nobody, "statement": rt["statement"], "promise_kept": rt["kept"],
        "channels": [{"name": _channel(m, ch), "tickets": m.num(s["tickets"]), "median": s["median_hours"],
                      "p90": s["p90_hours"], "kept": _kept(m, s["kept"])}
                     for ch, s in rt["channels"].items()],
        "off_topic": m("off_topic", n=m.tickets(data["off_topic"]["size"])) if data["off_topic"]["size"] else "",
        "matched": matched_paragraph(m, cal), "mode": m("mode", mode=m.mode(cal["mode"])),
        "language": m("language", lang=m.language_name(data["lang"])) if "lang" in data else "",
        "notes": _matched_notes(m, cal),
    }
    return _env().get_template("coverage.html.j2").render(**view)
