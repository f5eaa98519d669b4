"""Off-topic calibration on a help centre that is not the sample's (a home Wi-Fi router), with small
synthetic logs written in tmp_path: the domain-word rule (match.DomainWords) and where its threshold comes from."""
from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from helpgen.coverage.cli import coverage_command
from helpgen.coverage.match import DomainWords, plain_words

SITE = "https://help.router.example.test/"
ARTICLES = {
    "wifi/change-wifi-password": ("Change your Wi-Fi password", "Pick a new Wi-Fi password in the router app.",
                                  ["how do i change the wifi password", "new wifi password please", "someone knows my wifi password",
                                   "set a stronger wifi password"],
                                  "Open the router app, tap Wi-Fi, then Password, type the new password and save."),
    "wifi/guest-network": ("Set up a guest network", "A separate Wi-Fi network for visitors.",
                           ["how do i make a guest wifi", "wifi for visitors", "give friends wifi without my password",
                            "turn off the guest network"],
                           "In the router app tap Guest network, switch it on and share the guest password."),
    "router/update-firmware": ("Update the router firmware", "Install the latest router software.",
                               ["how do i update the router", "router firmware update", "is my router software current",
                                "automatic router updates"],
                               "The router updates its firmware at night. To update now, tap Router then Update."),
    "router/parental-controls": ("Parental controls", "Pause the internet or block sites for a child's device.",
                                 ["block websites for my kids", "pause internet on my son's tablet",
                                  "bedtime schedule for the children's wifi", "limit screen time on the router"],
                                 "Tap Family, pick a device, then Pause or Block sites. Schedules pause it every night."),
    "troubleshooting/slow-wifi": ("Slow Wi-Fi", "Why Wi-Fi is slow in some rooms and how to speed it up.",
                                  ["wifi is really slow upstairs", "router internet keeps buffering", "weak wifi signal in the garden",
                                   "wifi speed is bad at night"],
                                  "Move the router to a central spot, away from walls, or add a mesh extender."),
}
LINKED = {  # how customers ask (the team links the article in its reply)
    "wifi/change-wifi-password": ["forgot my wifi password how do i set another one", "change the router password",
                                  "need to update the wifi password", "wifi password change", "my wifi password is weak"],
    "wifi/guest-network": ["guest wifi for my visitors", "turn on the guest network", "guest network password",
                           "separate wifi for guests", "visitors need wifi access"],
    "router/update-firmware": ["is my router firmware up to date", "install the router update",
                               "router says firmware update available", "update router software", "router firmware"],
    "router/parental-controls": ["block a site on my daughter's laptop", "pause wifi for the kids at bedtime",
                                 "parental controls on the router", "limit internet for my son", "kids wifi schedule"],
    "troubleshooting/slow-wifi": ["wifi very slow in the bedroom", "internet buffering on the tv",
                                  "slow wifi upstairs", "wifi speed drops at night", "router slow connection"],
}
NEW_DOCUMENTED = ["how can i change my wifi password", "set up wifi for guests", "update the router firmware now",
                  "block websites on my kid's phone", "the wifi is slow in the kitchen"]
# Everyday questions that each share one word with an article (reset, guest, update, parental, network, slow).
EVERYDAY = ["how do i reset my sleep schedule after a long flight", "what time does the guest house breakfast start",
            "how do i update my passport photo", "how long is parental leave in sweden",
            "when is the next network television series finale", "why is my metabolism so slow in winter"]
ARTICLE = "---\ntitle: {t}\nsummary: {s}\nlevel: beginner\nstage: using\nquestions:\n{q}\n---\n\n{b}\n"


def write_kb(root: Path) -> Path:
    kb = root / "kb"
    for aid, (t, s, qs, b) in ARTICLES.items():
        path = kb / "articles" / f"{aid}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ARTICLE.format(t=t, s=s, b=b, q="\n".join(f"  - {q}" for q in qs)), encoding="utf-8")
    (kb / "helpgen.yml").write_text(f"name: Router Help\nsite_url: {SITE}\n", encoding="utf-8")
    return kb


def write_log(path: Path, history: bool) -> Path:
    rows, n = [], 0

    def add(tid: str, text: str, reply: str = "") -> None:
        nonlocal n
        day = f"2026-03-{1 + n // 24:02d}T{n % 24:02d}:00:00+00:00"
        rows.append({"id": tid, "created_at": day, "body": text, "status": "solved" if reply else "open",
                     "reply": reply, "replied_at": day if reply else ""})
        n += 1

    if history:
        frames = ("{}", "hello, {} asap", "quick question: {}?", "{} - the app did not help")
        for rep, frame in enumerate(frames):  # each phrasing asked four times, in other words around it
            for aid, phrases in LINKED.items():
                for i, p in enumerate(phrases):
                    add(f"h-{aid}-{i}-{rep}", frame.format(p), f"Hi, this explains it: {SITE}{aid}/ Thanks.")
        for i in range(24):  # a topic the articles do not cover, answered by hand
            add(f"gap-{i}", f"how do i pair a mesh extender with the router {('', 'now', 'today')[i % 3]}",
                "We will send you the steps by email.")
    for i, q in enumerate(NEW_DOCUMENTED):
        add(f"doc-{i}", q)
    for i, q in enumerate(EVERYDAY):
        add(f"everyday-{i}", q)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, ["id", "created_at", "body", "status", "reply", "replied_at"])
        w.writeheader()
        w.writerows(rows)
    return path


def run(tmp_path: Path, history: bool) -> tuple[dict, dict[str, dict]]:
    kb = write_kb(tmp_path)
    log = write_log(tmp_path / "log.csv", history)
    res = CliRunner().invoke(coverage_command, [str(kb), "--tickets", str(log), "-o", str(tmp_path / "out"),
                                                "--assignments", str(tmp_path / "a.csv")])
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "out" / "coverage.json").read_text(encoding="utf-8"))
    with open(tmp_path / "a.csv", newline="", encoding="utf-8") as fh:
        return data, {r["ticket_id"]: r for r in csv.DictReader(fh)}


def test_domain_words_score_help_centre_words_above_everyday_words():
    dom = DomainWords("en", ["Reset the router and the mesh extender from the router app."],
                      [plain_words("my router keeps dropping the mesh")] * 5)
    assert dom.score(["router", "mesh"]) > dom.score(["reset", "app"]) > dom.score(["weather", "tomorrow"])


def test_domain_words_leave_the_texts_own_words_out():
    dom = DomainWords("en", ["Change the router password."], [["zyxel", "router"]])
    alone = dom.score(["zyxel"], Counter(["zyxel"]))
    assert dom.score(["zyxel"]) > alone
    assert alone == pytest.approx(DomainWords("en", ["Change the router password."], [["router"]]).score(["zyxel"]),
                                  abs=0.2)


def test_plain_words_keep_words_as_written():
    assert plain_words("Why won't my Wi-Fi work? 5GHz!") == ["why", "won't", "my", "wi", "fi", "work", "ghz"]


NEW_ROUTED = ["wifi/change-wifi-password", "wifi/guest-network", "router/update-firmware",
              "router/parental-controls", "troubleshooting/slow-wifi"]
EVERYDAY_ROUTED = ["wifi/change-wifi-password", "wifi/guest-network", "router/update-firmware",
                   "router/parental-controls", "wifi/guest-network", "troubleshooting/slow-wifi"]


def test_domain_rule_with_history_calibrates_on_linked_tickets_and_flags_everyday_questions(tmp_path):
    from helpgen.coverage.analyse import _off_domain, _unsupported
    from helpgen.coverage.match import Calibration, TextSpace, tokens
    from helpgen.kb.load import load_kb

    kb, _ = load_kb(write_kb(tmp_path))
    articles = list(kb.in_language(""))
    pos = {a.id: i for i, a in enumerate(articles)}
    frames = ("{}", "hello, {} asap", "quick question: {}?", "{} - the app did not help", "hi there, {}")
    texts, linked = [], []
    for aid, phrases in LINKED.items():  # each phrasing once, in other words around it
        texts += [frame.format(p) for frame, p in zip(frames, phrases)]
        linked += [pos[aid]] * len(phrases)
    texts += NEW_DOCUMENTED + EVERYDAY
    routed = np.array(linked + [pos[a] for a in NEW_ROUTED + EVERYDAY_ROUTED])  # where the router sent them
    linked = np.array(linked + [-1] * (len(NEW_DOCUMENTED) + len(EVERYDAY)))
    toks = [tokens(t) for t in texts]
    space = TextSpace().fit(toks + [tokens(a.body, None) for a in articles])
    X = space.transform(toks)
    cal = Calibration()
    _, support = _unsupported(articles, space, X, toks, linked, routed, linked < 0, cal, 0)
    off = _off_domain(articles, texts, linked, routed, linked < 0, cal, "en", 0, support)
    assert isinstance(cal.min_domain, float)
    assert any("percentile of linked tickets on both together" in n for n in cal.notes)
    flagged = [t for t, f in zip(texts, off) if f]
    assert len([q for q in EVERYDAY if q not in flagged]) <= 1, flagged
    assert [q for q in NEW_DOCUMENTED if q in flagged] == []
    assert not off[linked >= 0].any()  # only candidates are judged


def test_a_first_export_calibrates_on_the_articles_own_questions(tmp_path):
    data, rows = run(tmp_path, history=False)
    cal = data["calibration"]
    assert cal["mode"] == "text"
    assert any("percentile of the articles' own questions" in n for n in cal["notes"])
    assert isinstance(cal["min_domain"], float)
    assert len([q for i, q in enumerate(EVERYDAY) if rows[f"everyday-{i}"]["verdict"] == "covered"]) <= 1


def test_domain_rule_without_history_judges_against_the_articles_questions(tmp_path):
    from helpgen.coverage.analyse import _off_domain
    from helpgen.coverage.match import Calibration
    from helpgen.kb.load import load_kb

    articles = list(load_kb(write_kb(tmp_path))[0].in_language(""))
    texts = NEW_DOCUMENTED + EVERYDAY
    none = np.full(len(texts), -1)
    cal = Calibration()
    off = _off_domain(articles, texts, none, none, np.ones(len(texts), bool), cal, "en", 0)
    assert any("percentile of the articles' own questions" in n for n in cal.notes)
    flagged = [q for q, f in zip(texts, off) if f]
    assert len([q for q in EVERYDAY if q not in flagged]) <= 2, flagged  # a 20-question KB: a loose threshold
    assert [q for q in NEW_DOCUMENTED if q in flagged] == []


def test_no_word_list_for_the_tickets_script_leaves_the_rule_out(tmp_path):
    kb = write_kb(tmp_path)
    log = tmp_path / "zh.csv"
    with open(log, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "created_at", "body"])
        for i, q in enumerate(["路由器密码怎么改", "访客网络怎么开", "路由器固件如何更新", "家长控制在哪里"] * 6):
            w.writerow([f"z{i}", f"2026-03-01T{i % 24:02d}:00:00+00:00", q])
    res = CliRunner().invoke(coverage_command, [str(kb), "--tickets", str(log), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    cal = json.loads((tmp_path / "out" / "coverage.json").read_text(encoding="utf-8"))["calibration"]
    assert cal["min_domain"] is None
    assert any("the domain-word rule is not used" in n for n in cal["notes"])
