"""What the help centre promises and warns: support channels and scope, known-issue notices, the in-product
widget, discussion under articles and per-language texts; helpgen.yml, `check` messages word for word,
and real builds."""
from __future__ import annotations

import gzip
import json
from datetime import date

import pytest
from click.testing import CliRunner

from helpgen.cli import main
from helpgen.config import parse_config
from helpgen.errors import ConfigError
from helpgen.kb.load import load_kb
from helpgen.site.build import build_site

TODAY = "1764547200"  # 2025-12-01 as SOURCE_DATE_EPOCH

ARTICLE = """---
title: {title}
summary: {summary}
level: {level}
stage: {stage}
{extra}---

{body}
"""


def article(title: str, level: str = "beginner", stage: str = "start", summary: str = "A summary.",
            extra: str = "", body: str = "Body text.") -> str:
    return ARTICLE.format(title=title, level=level, stage=stage, summary=summary, extra=extra, body=body)


CONFIG = """name: Example Help
language: en
languages: [en, zh]
stages:
  - id: start
    label: {en: First steps, zh: 第一步}
  - id: fix
    label: {en: Fixing things, zh: 解决问题}
support:
  response_time: {en: 2 days, zh: 2 天}
  response_hours: 48
  channels:
    - name: {en: Live chat, zh: 在线聊天}
      kind: chat
      url: https://example.test/chat
      hours: {en: "Weekdays 9-17", zh: "工作日 9-17"}
      time_zone: Europe/Paris
      response_time: {en: 5 minutes, zh: 5 分钟}
      response_hours: 0.25
    - kind: phone
      address: +44 20 7946 0000
      response_time: {en: at once, zh: 立即}
      response_hours: 0.1
  covers: {en: [Using the app, Your account], zh: [使用应用, 您的账户]}
  does_not_cover: {en: [Other shops' refunds], zh: [其他商店的退款]}
  languages: [English, 中文]
"""

NOTICE = """---
title: {title}
severity: {severity}
affects: {affects}
since: {since}
{until}---
{body}
"""


def notice(title: str, severity: str = "warning", affects: str = "[]", since: str = "2025-11-20",
           until: str = "", body: str = "What is wrong, and the workaround.") -> str:
    return NOTICE.format(title=title, severity=severity, affects=affects, since=since,
                         until=f"until: {until}\n" if until else "", body=body)


def kb_files(**extra: str) -> dict[str, str]:
    files = {
        "helpgen.yml": CONFIG,
        "articles/app/sign-in.md": article("Sign in to the app", extra="questions: [how do I log in]\n"),
        "articles/app/sign-in.zh.md": article("登录应用"),
        "articles/app/sync.md": article("Sync problems", "troubleshooting", "fix", extra="error_codes: [E-77]\n"
                                        "tags: [sync]\n", summary="Restart the sync from Settings."),
        "articles/billing/invoices.md": article("Download an invoice", extra="discussion: false\n"),
        "notices/sync-outage.md": notice("Sync is slow", "outage", "[app/sync]"),
        "notices/sync-outage.zh.md": notice("同步缓慢", "outage", "[app/sync]"),
        "notices/old-invoice-bug.md": notice("Invoices were blank", "info", "[billing]", "2025-11-01", "2025-11-05"),
        "notices/tagged.md": notice("Sync tags", "info", "[sync]", "2025-11-25", "2026-01-10"),
    }
    files.update(extra)
    return files


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


# --- helpgen.yml ------------------------------------------------------------------------------------

def test_channels_scope_and_languages_are_read_per_language():
    cfg = parse_config(CONFIG)
    chat, phone = cfg.support.channels
    assert (chat.text("name", "zh"), chat.text("hours", "en"), chat.time_zone, chat.response_hours) == (
        "在线聊天", "Weekdays 9-17", "Europe/Paris", 0.25)
    assert phone.href == "tel:+442079460000" and phone.text("name", "en") == ""
    assert cfg.support.lines("covers", "zh") == ("使用应用", "您的账户")
    assert cfg.support.lines("does_not_cover", "zh-Hant") == ("其他商店的退款",)
    assert cfg.support.response_time_in("zh") == "2 天" and cfg.support.response_time == "2 days"


def test_the_old_one_line_settings_are_the_default_channels():
    cfg = parse_config("support:\n  email: help@example.test\n  url: https://example.test/form\n"
                       "  response_time: 1 day\n  response_hours: 24\n")
    kinds = [(c.kind, c.href, c.text("response_time", "en"), c.response_hours) for c in cfg.support.all_channels]
    assert kinds == [("form", "https://example.test/form", "1 day", 24.0),
                     ("email", "mailto:help@example.test", "1 day", 24.0)]


def test_bad_channel_and_discussion_settings_are_reported_in_one_pass():
    with pytest.raises(ConfigError) as exc:
        parse_config("support:\n  channels:\n    - kind: fax\n      response_hours: soon\n"
                     "discussion:\n  provider: link\n")
    assert [str(p) for p in exc.value.problems] == [
        "helpgen.yml:3: error: `support.channels[0].kind` is `fax`,"
        " use one of: email, chat, phone, form, community",
        "helpgen.yml:4: error: `support.channels[0].response_hours` must be a positive number of hours, got `soon`",
        "helpgen.yml:6: error: `discussion.provider: link` needs `discussion.url`, a pattern such as "
        "https://forum.example.com/search?q={title}",
    ]


# --- helpgen check ----------------------------------------------------------------------------------

def test_check_warns_about_promises_it_cannot_check_and_stale_notices(make_kb, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY)
    kb = make_kb(kb_files(**{
        "helpgen.yml": "languages: [en, zh]\nstages: [{id: start}, {id: fix}]\n"
                       "support:\n  channels:\n    - kind: email\n      address: a@example.test\n"
                       "    - kind: chat\n      url: https://example.test/chat\n      response_time: 1 hour\n",
        "notices/ancient.md": notice("Long gone", "info", "[]", "2025-09-01", "2025-10-01"),
        "notices/nowhere.md": notice("Nothing here", "info", "[no-such-folder, missing-tag]"),
    }))
    code, out = run("check", str(kb))
    assert code == 0
    assert [line for line in out.splitlines() if ": info: " not in line] == [
        "helpgen.yml:5: warning: support channel `email` has no `response_time`; say when customers get an "
        "answer (e.g. `response_time: 1 business day`)",
        "helpgen.yml:7: warning: support channel `chat` promises `1 hour` but has no `response_hours`; add the "
        "same promise in hours so `helpgen coverage` can check it is kept",
        "notices/ancient.md:1: warning: notice ended on 2025-10-01 (over 30 days ago); delete the file or move "
        "the workaround into an article",
        "notices/nowhere.md:1: warning: `affects` (no-such-folder, missing-tag) names no article id, folder or "
        "tag of the KB; fix the ids, or leave `affects` out for a notice about everything",
        "0 errors, 4 warnings",
    ]


def test_bad_notice_files_are_one_line_errors(make_kb, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY)
    kb = make_kb(kb_files(**{
        "notices/a.md": notice("Bad", "urgent"),
        "notices/b.md": "---\ntitle: No date\nseverity: info\n---\nText.\n",
        "notices/c.md": notice("Backwards", until="2025-01-01"),
    }))
    code, out = run("check", str(kb))
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith("notices/")] == [
        "notices/a.md:3: error: `severity` is `urgent`, use one of: info, warning, outage",
        "notices/b.md:1: error: missing `since`, add the date the problem started, such as `since: 2025-01-31`",
        "notices/c.md:6: error: `until` (2025-01-01) is before `since` (2025-11-20); fix one of the dates",
    ]


def test_check_verbose_lists_missing_per_language_texts(make_kb):
    kb = make_kb(kb_files(**{"helpgen.yml": CONFIG.replace("    - name: {en: Live chat, zh: 在线聊天}",
                                                           "    - name: Live chat")
                             .replace("    label: {en: Fixing things, zh: 解决问题}", "    label: Fixing things")}))
    code, out = run("check", str(kb), "--verbose")
    missing = [line for line in out.splitlines() if "has no zh text" in line]
    assert missing == [
        "helpgen.yml:8: info: `stages[1].label` has no zh text; give it as `{en: ..., zh: ...}`",
        "helpgen.yml:13: info: `support.channels[0].name` has no zh text; give it as `{en: ..., zh: ...}`",
    ]


# --- the built site ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("promises")
    kb_dir = root / "kb"
    for rel, content in kb_files(**{"helpgen.yml": CONFIG + "discussion:\n  provider: link\n"
                                    "  url: https://forum.example.test/search?q={title}\n"}).items():
        path = kb_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", TODAY)
    try:
        kb, problems = load_kb(kb_dir)
        assert not [p for p in problems if p.severity == "error"]
        return build_site(kb, root / "site").output
    finally:
        mp.undo()


def read(site, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def main_text(html: str) -> str:
    return html[html.index('<article'):html.index("</article>")]


def test_support_page_lists_channels_scope_and_what_to_read_first(site):
    page = main_text(read(site, "support/index.html"))
    for text in ["Live chat", "Weekdays 9-17 (Europe/Paris)", "Reply within: <strong>5 minutes</strong>",
                 'href="tel:+442079460000"', "Phone", "Using the app", "Other shops' refunds",
                 "English, 中文", "Before you write", "Sync problems", "Community",
                 'href="https://forum.example.test/"']:
        assert text in page, text
    zh = main_text(read(site, "zh/support/index.html"))
    for text in ["在线聊天", "工作日 9-17", "5 分钟", "电话", "使用应用", "其他商店的退款", "联系我们之前"]:
        assert text in zh, text


def test_every_contact_block_and_the_footer_link_the_support_page(site):
    for rel, link in [("index.html", 'href="support/"'), ("app/sync/index.html", 'href="../../support/"'),
                      ("zh/index.html", 'href="support/"')]:
        html = read(site, rel)
        contact = html[html.index('class="hg-contact"'):]
        assert link in contact.split("</aside>")[0], rel
        assert link in html[html.index('class="hg-footer"'):], rel
    assert "<strong class=\"hg-contact__time\">2 天</strong>" in read(site, "zh/index.html")
    assert "<strong class=\"hg-contact__time\">2 days</strong>" in read(site, "index.html")


def test_without_support_response_time_the_contact_block_shows_the_first_channels_promise(make_kb, tmp_path):
    kb, _ = load_kb(make_kb({"helpgen.yml": "support:\n  channels:\n    - kind: chat\n      url: https://x.test/c\n"
                                            "      response_time: 5 minutes\n      response_hours: 0.1\n",
                             "articles/a.md": article("A", stage="onboarding")}))
    site = build_site(kb, tmp_path / "site").output
    assert "<strong class=\"hg-contact__time\">5 minutes</strong>" in read(site, "index.html")


def test_active_notices_are_banners_on_home_and_affected_articles_only(site):
    home = read(site, "index.html")
    assert home.index("hg-notice--outage") < home.index('class="hg-hero"')
    assert "Sync is slow" in home and "Sync tags" in home and "Invoices were blank" not in home
    assert "Sync is slow" in read(site, "app/sync/index.html")
    assert "Sync tags" in read(site, "app/sync/index.html")  # affects the tag `sync`
    assert "hg-notice" not in read(site, "app/sign-in/index.html")
    assert "hg-notice" not in read(site, "billing/invoices/index.html")  # its notice has ended
    assert "同步缓慢" in read(site, "zh/index.html")


def test_known_issues_page_lists_active_and_resolved(site):
    page = main_text(read(site, "known-issues/index.html"))
    assert page.index("Sync is slow") < page.index("Resolved") < page.index("Invoices were blank")
    assert "Resolved on 2025-11-05" in page and 'href="../app/sync/"' in page


def test_notices_json_and_the_feed(site):
    data = json.loads(read(site, "notices.json"))
    assert data["schema"] == "helpgen.notices/1"
    assert [(n["id"], n["severity"], n["articles"]) for n in data["notices"]] == [
        ("tagged", "info", ["app/sync/"]), ("sync-outage", "outage", ["app/sync/"])]
    assert data["notices"][1]["url"] == "known-issues/#notice-sync-outage"
    zh = json.loads(read(site, "zh/notices.json"))
    assert [n["title"] for n in zh["notices"]] == ["Sync tags", "同步缓慢"]
    assert zh["notices"][1]["url"] == "zh/known-issues/#notice-sync-outage"
    feed = read(site, "feed.xml")
    assert "<title>Sync is slow</title>" in feed and "Invoices were blank" not in feed


def test_errors_json_carries_the_one_line_fix(site):
    assert json.loads(read(site, "errors.json"))["E-77"] == {
        "url": "app/sync/", "title": "Sync problems", "id": "app/sync", "summary": "Restart the sync from Settings."}


def test_widget_and_its_demo_ship_with_the_site(site):
    widget = (site / "assets" / "helpgen-widget.js").read_bytes()
    assert len(gzip.compress(widget, 9)) < 10 * 1024
    for name in (b"explain", b"suggest", b"notices"):
        assert name + b":" in widget
    demo = read(site, "widget-demo.html")
    assert 'src="assets/helpgen-widget.js"' in demo and 'data-helpgen-error="E-77"' in demo
    assert 'value="how do I log in"' in demo


def test_untranslated_titles_are_marked_on_the_chinese_pages(site):
    zh = read(site, "zh/index.html")
    assert "登录应用" in zh and "Sync problems （英文）" in zh
    assert "登录应用 （" not in zh


def test_discussion_link_under_articles_unless_turned_off(site):
    html = read(site, "app/sync/index.html")
    assert 'href="https://forum.example.test/search?q=Sync%20problems"' in html
    assert "hg-discussion" not in read(site, "billing/invoices/index.html")


def test_giscus_loads_nothing_until_asked_and_never_offline(make_kb, tmp_path):
    giscus = CONFIG + ("discussion:\n  provider: giscus\n  repo: acme/help\n  repo_id: R_1\n"
                       "  category: Q&A\n  category_id: C_1\n")
    kb, _ = load_kb(make_kb(kb_files(**{"helpgen.yml": giscus})))
    site = build_site(kb, tmp_path / "site").output
    html = read(site, "app/sync/index.html")
    assert 'class="md-button hg-discussion__show"' in html and "giscus.app/client.js" in html
    assert "<script src=\"https://giscus.app" not in html and "hg-discussion.js" in html
    offline, _ = load_kb(make_kb(kb_files(**{"helpgen.yml": giscus + "offline: true\n"})))
    site = build_site(offline, tmp_path / "offline").output
    assert "hg-discussion" not in read(site, "app/sync.html") and "giscus" not in read(site, "app/sync.html")


def test_a_kb_without_these_settings_still_builds_its_support_page(make_kb, tmp_path):
    kb, _ = load_kb(make_kb({"articles/a.md": article("Only article")}))
    site = build_site(kb, tmp_path / "site").output
    page = main_text(read(site, "support/index.html"))
    assert "Contact support" in page and "Known issues" in read(site, "known-issues/index.html")
    assert json.loads(read(site, "notices.json")) == {"schema": "helpgen.notices/1", "notices": []}


def test_theme_partials_escape_what_writers_wrote(make_kb, tmp_path):
    kb, _ = load_kb(make_kb({
        "helpgen.yml": "support:\n  email: a@example.test\n  response_time: '<b>soon</b>'\n",
        "articles/a.md": article('Fix "<b>bold</b>" & co'),
        "articles/b.md": article("Other", extra="related: [a]\n"),
    }))
    site = build_site(kb, tmp_path / "site").output
    html = read(site, "b/index.html")
    assert "Fix &#34;&lt;b&gt;bold&lt;/b&gt;&#34; &amp; co</a>" in html
    assert "&lt;b&gt;soon&lt;/b&gt;" in html and "<b>soon</b>" not in html
