"""What the help centre promises and warns: the support page, known-issue notices (banners and their
page) and the discussion block of article pages. Each function returns Markdown or page meta."""
from __future__ import annotations

import html
import json
import re
from urllib.parse import quote, urlsplit

from helpgen.config import Channel
from helpgen.kb.model import Article, Notice
from helpgen.site.pages import demote, front_matter, item, link, md_escape
from helpgen.site.view import HOME, KNOWN_ISSUES, SUPPORT, TROUBLESHOOTING, View, article_doc, rel

SEVERITY_CLASS = {"info": "info", "warning": "warning", "outage": "danger"}  # Material admonition types
BEFORE_YOU_WRITE = 5  # troubleshooting articles listed on the support page
GISCUS = "https://giscus.app/client.js"


def banner(view: View, notice: Notice, page: str) -> str:
    """A notice as a Material admonition, linking to its entry on the known-issues page."""
    L = view.labels
    kind = SEVERITY_CLASS[notice.severity]
    title = f"{L['severity_' + notice.severity]}: {notice.title}"
    more = f"{rel(page, KNOWN_ISSUES)}#{notice.anchor}"
    return "\n".join([f'<div class="admonition {kind} hg-notice hg-notice--{notice.severity}" role="status" markdown>',
                      f'<p class="admonition-title">{html.escape(title)}</p>', "", demote(notice.body.strip()), "",
                      f"[{L['notice_more']}]({more})", "", "</div>", ""])


def add_home_banners(view: View, files: dict[str, str]) -> None:
    """Put the active notices above the home page's search box."""
    notices = view.active_notices
    if not notices or HOME not in files:
        return
    text = files[HOME]
    at = text.find('<div class="hg-hero">')
    banners = "\n".join(banner(view, n, HOME) for n in notices) + "\n"
    files[HOME] = text[:at] + banners + text[at:] if at >= 0 else text + "\n" + banners


def article_banners(view: View, article: Article) -> str:
    """The active notices that affect `article`, as banners (empty when none)."""
    page = article_doc(article)
    found = [banner(view, n, page) for n in view.active_notices if n.affects_article(article)]
    return "\n".join(found) + "\n" if found else ""


def promise_pages(view: View) -> dict[str, str]:
    """The support page and the known-issues page of one language."""
    return {SUPPORT: support_page(view), KNOWN_ISSUES: known_issues_page(view)}


def channels(view: View) -> tuple[Channel, ...]:
    """The support channels, plus the community when discussion is on and no channel names it."""
    cfg = view.kb.config
    found = cfg.support.all_channels
    home = community_url(view)
    if home and not any(c.kind == "community" for c in found):
        found += (Channel(kind="community", url=home),)
    return found


def community_url(view: View) -> str:
    d = view.kb.config.discussion
    if d.community:
        return d.community
    if d.provider == "giscus" and d.repo:
        return f"https://github.com/{d.repo}/discussions"
    if d.provider == "link" and d.url:
        parts = urlsplit(d.url)
        return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else ""
    return ""


def channel_name(view: View, channel: Channel) -> str:
    return channel.text("name", view.lang) or view.labels["kind_" + channel.kind]


def response_time(view: View) -> str:
    """The promise shown in every "Still need help?" block, in this language: `support.response_time` when
    helpgen.yml sets it, else the first channel's that has one."""
    support = view.kb.config.support
    if not view.kb.config.line_of("support.response_time"):
        for channel in support.all_channels:
            if channel.response_time:
                return channel.text("response_time", view.lang)
    return support.response_time_in(view.lang)


def support_page(view: View) -> str:
    """Each channel with its hours and promise, what support covers and does not, and what to read first."""
    L, support = view.labels, view.kb.config.support
    out = [front_matter({"title": L["support"], "helpgen": {"support": True}}), f"# {L['support']}", "",
           L["support_intro"], "", f"## {L['channels']}", "", '<div class="hg-channels" markdown>', ""]
    for channel in channels(view):
        out += _channel(view, channel)
    out += ["</div>", ""]
    for key in ("covers", "does_not_cover"):
        lines = support.lines(key, view.lang)
        if lines:
            out += [f"## {L[key]}", ""] + [f"- {md_escape(line)}" for line in lines] + [""]
    if support.languages:
        out += [f"**{L['support_languages']}:** {md_escape(', '.join(support.languages))}", ""]
    trouble = view.at_level("troubleshooting")[:BEFORE_YOU_WRITE]
    if trouble or view.active_notices:
        out += [f"## {L['before_you_write']}", "", L["before_you_write_intro"], ""]
        out += [f"- [{md_escape(n.title)}]({KNOWN_ISSUES}#{n.anchor}) ({L['severity_' + n.severity]})"
                for n in view.active_notices]
        out += [item(view, SUPPORT, a) for a in trouble]
        out += ["", f"[{L['troubleshooting_index']}]({rel(SUPPORT, TROUBLESHOOTING)}){{ .md-button }} "
                    f"[{L['known_issues']}]({KNOWN_ISSUES}){{ .md-button }}", ""]
    return "\n".join(out)


def _channel(view: View, channel: Channel) -> list[str]:
    L = view.labels
    name = md_escape(channel_name(view, channel))
    target = channel.href
    shown = channel.address or channel.url
    lines = ['<div class="hg-channel" markdown>', "", f"### {name}", ""]
    if target:
        lines += [f"[{md_escape(shown)}](<{target}>)", ""]
    hours = channel.text("hours", view.lang)
    if hours:
        zone = f" ({md_escape(channel.time_zone)})" if channel.time_zone else ""
        lines += [f"{L['hours']}: {md_escape(hours)}{zone}", ""]
    promise = channel.text("response_time", view.lang)
    if promise:
        lines += [f"{L['reply_within']}: **{md_escape(promise)}**", ""]
    return lines + ["</div>", ""]


def known_issues_page(view: View) -> str:
    """Active notices with their workaround and affected articles, planned ones, then resolved ones."""
    L = view.labels
    out = [front_matter({"title": L["known_issues"]}), f"# {L['known_issues']}", "", L["known_issues_intro"], ""]
    groups = {status: [n for n in view.notices if n.status(view.today) == status]
              for status in ("active", "upcoming", "resolved")}
    if not groups["active"]:
        out += [L["no_known_issues"], ""]
    for status, heading in (("active", "active_issues"), ("upcoming", "upcoming_issues"),
                            ("resolved", "resolved_issues")):
        if groups[status]:
            out += [f"## {L[heading]}", ""]
            for notice in groups[status]:
                out += _notice_entry(view, notice, status)
    return "\n".join(out)


def _notice_entry(view: View, notice: Notice, status: str) -> list[str]:
    L = view.labels
    when = f"{L['since']} {notice.since.isoformat()}"
    if notice.until:
        when += f" {L['until']} {notice.until.isoformat()}" if status != "resolved" else \
            f" · {L['resolved_on']} {notice.until.isoformat()}"
    out = [f"### {md_escape(notice.title)} {{#{notice.anchor}}}", "",
           f"**{L['severity_' + notice.severity]}** · {when}", ""]
    affected = [a for a in view.sorted_out + view.unsorted if notice.affects_article(a)] if notice.affects else []
    if affected:
        out += [f"{L['affects']}: " + ", ".join(link(view, KNOWN_ISSUES, a) for a in affected), ""]
    if status != "resolved":
        out += [re.sub(r"^(#{1,4}) ", r"##\1 ", notice.body.strip(), flags=re.MULTILINE), ""]
    return out


def discussion_meta(view: View, article: Article) -> dict | None:
    """What the discussion partial needs, or None when discussion is off (always off offline)."""
    cfg = view.kb.config
    d = cfg.discussion
    if not d.provider or cfg.offline or not article.discussion:
        return None
    if d.provider == "link":
        url = view.url(article_doc(article))
        page = (cfg.site_url.rstrip("/") + "/" + url) if cfg.site_url else url
        href = d.url
        for key, value in {"title": article.title, "id": article.id, "url": page}.items():
            href = href.replace("{" + key + "}", quote(value, safe=""))
        return {"provider": "link", "href": href}
    attrs = {"src": GISCUS, "data-repo": d.repo, "data-repo-id": d.repo_id, "data-category": d.category,
             "data-category-id": d.category_id, "data-mapping": d.mapping, "data-lang": view.lang,
             "data-reactions-enabled": "1", "data-input-position": "bottom", "crossorigin": "anonymous"}
    return {"provider": "giscus", "host": urlsplit(GISCUS).netloc, "config": json.dumps(attrs, sort_keys=True)}


WIDGET = "assets/helpgen-widget.js"
WIDGET_DEMO = "widget-demo.html"


def widget_demo(view: View) -> str:
    """A page that shows the in-product widget working against this site's own catalogue files."""
    e = html.escape
    codes = sorted({code for a in view.sorted_out for code in a.error_codes})
    example = next((q for a in view.sorted_out for q in a.questions), "") or (view.articles[0].title
                                                                             if view.articles else "")
    code = codes[0] if codes else ""
    explain = (f'<p><button type="button" id="hg-demo-explain" data-helpgen-error="{e(code)}">{e(code)}</button> '
               f'<code>helpgen.explain("{e(code)}", button)</code></p>' if code else
               "<p>No article of this help centre lists an <code>error_codes</code> entry yet.</p>")
    return f"""<!doctype html>
<html lang="{e(view.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(view.kb.config.name)}: in-product help widget</title>
<style>body{{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}}
code{{background:#f3f3f3;padding:0 .2em}}li{{margin:.3rem 0}}</style>
</head>
<body>
<h1>In-product help widget</h1>
<p>This page loads <code>{WIDGET}</code> with one <code>&lt;script&gt;</code> tag, as a product page would.
See <code>docs/widget.md</code> of helpgen for the three calls.</p>
<h2>Explain an error</h2>
{explain}
<h2>Suggest articles</h2>
<form id="hg-demo-suggest"><label for="hg-demo-q">Describe the problem</label>
<input id="hg-demo-q" type="search" value="{e(example)}"> <button type="submit">helpgen.suggest()</button></form>
<ol id="hg-demo-suggestions"></ol>
<h2>Active notices</h2>
<ul id="hg-demo-notices"></ul>
<script src="{WIDGET}"></script>
<script>
(function () {{
  function item(list, href, text) {{
    var li = document.createElement("li"), a = document.createElement("a");
    a.href = href; a.textContent = text; li.appendChild(a); list.appendChild(li);
  }}
  var form = document.getElementById("hg-demo-suggest"), out = document.getElementById("hg-demo-suggestions");
  function run(ev) {{
    if (ev) ev.preventDefault();
    helpgen.suggest(document.getElementById("hg-demo-q").value).then(function (found) {{
      out.textContent = "";
      found.forEach(function (a) {{ item(out, a.url, a.title); }});
    }});
  }}
  form.addEventListener("submit", run);
  run();
  helpgen.notices().then(function (found) {{
    var list = document.getElementById("hg-demo-notices");
    found.forEach(function (n) {{ item(list, n.url, n.severity + ": " + n.title); }});
    if (!found.length) list.textContent = "none";
  }});
}})();
</script>
</body>
</html>
"""
