"""`helpgen coverage` on Chinese tickets: language detection, zh articles with default-language fallbacks,
Chinese gap labels, GBK and UTF-16 exports, and a report written in Chinese. Everything is written here."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpgen.coverage.cli import coverage_command
from test_coverage_fixtures import ARTICLE

SITE = "https://help.example.test/"
# id -> (English title, Chinese title, Chinese summary, Chinese questions, Chinese body); None = English only
ARTICLES = {
    "cards/track-your-card": ("Track your card delivery", "查询卡片配送进度", "新卡多久能寄到，怎样查看物流。",
                              ["我的卡怎么还没到", "卡寄出来多久能收到", "怎么查看卡片物流"],
                              "实体卡在 2 个工作日内寄出，一般 5 到 7 个工作日送达。您可以在 app 里查看物流单号。"),
    "cards/change-your-pin": ("Change your PIN", "修改卡密码", "在 app 或取款机上修改银行卡密码。",
                              ["怎么修改卡密码", "可以换一个新的密码吗", "密码想改成好记的数字"],
                              "打开 app，进入卡片设置，选择修改密码。也可以在大多数取款机上修改密码。"),
    "transfers/transfer-times": ("How long a transfer takes", "转账多久到账", "银行转账一般一个工作日内到账。",
                                 ["转账多久能到账", "汇款要几个工作日", "国际转账要多长时间"],
                                 "同币种转账当天到账；国际汇款最多需要 3 个工作日。"),
    "exchange/exchange-rates": ("Exchange rates", "换汇汇率", "我们在换汇时使用的汇率，以及周末加价。",
                                ["换汇用的是什么汇率", "汇率是怎么算的", "周末换汇为什么贵"],
                                "工作日使用银行间汇率，周末会有少量加价。"),
    "account/close-your-account": ("Close your account", "注销账户", "如何注销账户并取出余额。",
                                   ["怎么注销账户", "我想销户", "注销账户前要做什么"],
                                   "先把余额转出，然后在 app 的账户页面点击注销账户。"),
    "top-up/top-up-by-card": ("Top up with a debit card", None, "", [], ""),
}
EN_BODY = {
    "top-up/top-up-by-card": ("Add money instantly with a debit card.",
                              ["how do I top up with my card", "add money using debit card"],
                              "Open the app, tap Add money, choose a debit card and the amount to top up."),
}
# Customers' own phrasings of documented topics (first ones are linked by the team, later ones are new)
PHRASES = {
    "cards/track-your-card": ["我的新卡一直没收到，已经等了十天", "卡寄出来了吗，怎么查物流", "实体卡什么时候能寄到",
                              "卡片配送要多久", "物流显示已寄出但是卡还没到", "申请的卡还没收到怎么办",
                              "卡片的物流单号在哪里看", "新卡寄到哪里了，一直没收到"],
    "cards/change-your-pin": ["我想修改卡密码", "卡密码怎么改", "可以在取款机上改密码吗", "密码忘了想换个新密码",
                              "怎么把卡密码改成好记的数字", "在 app 里修改密码的入口在哪", "改密码要收费吗",
                              "新卡的密码可以自己设置吗"],
    "transfers/transfer-times": ["转账多久到账", "汇款三天了还没到账", "国际转账要几个工作日", "转账今天能到吗",
                                 "同币种转账当天能到账吗", "我的转账什么时候到账", "汇到国内要多长时间",
                                 "转账一直没到账正常吗"],
    "exchange/exchange-rates": ["你们换汇用什么汇率", "周末换汇为什么比平时贵", "欧元汇率和网上的不一样",
                                "汇率是怎么算的", "换汇有隐藏加价吗", "今天的美元汇率是多少", "汇率加价是多少",
                                "换汇汇率为什么变了"],
    "account/close-your-account": ["我想注销账户", "怎么销户", "注销账户后余额怎么取出", "不想用了，怎么注销",
                                   "销户需要多久", "账户注销以后还能恢复吗", "注销账户要先转出余额吗",
                                   "帮我把账户注销掉"],
    "top-up/top-up-by-card": ["怎么用银行卡充值", "可以用借记卡 top up 吗", "银行卡充值的步骤是什么",
                              "用 debit card 给账户充值", "充值可以用信用卡吗", "怎么往账户里充钱",
                              "银行卡充值多久到账", "充值只能用借记卡吗"],
}
GAP = ["Pocket 卡可以绑定支付宝吗", "能不能把卡绑到微信支付", "支付宝绑卡一直失败", "微信支付绑定不了 Pocket 卡",
       "回国想用支付宝付款，卡能绑定吗", "支付宝显示这张卡不支持", "什么时候支持绑定微信支付",
       "想在支付宝里添加 Pocket 卡", "微信支付和支付宝都绑不上", "卡能不能加到支付宝"]
OTHER = ["可以存现金吗", "支票能存进账户吗", "手机丢了账户安全吗", "可以给孩子开账户吗", "取款机把卡吞了",
         "能开联名账户吗", "你们有信用卡吗", "可以买股票吗", "能贷款吗", "有没有储蓄利息"]
GREETINGS = ["你好，", "您好！", "请问", "在吗？", ""]
THANKS = ["谢谢", "谢谢！", "麻烦尽快处理", "", "辛苦了"]


def _rows() -> list[list[str]]:
    """The ticket log: linked history and new tickets on documented topics, 30 tickets about binding the
    card to Alipay/WeChat Pay (no article), and other undocumented questions answered by hand."""
    rows, n = [], 0

    def add(subject: str, body: str, reply: str, day: int) -> None:
        nonlocal n
        n += 1
        created = f"2026-06-{1 + day % 28:02d}T09:{n % 60:02d}:00+08:00"
        replied = f"2026-06-{1 + day % 28:02d}T15:{n % 60:02d}:00+08:00" if reply else ""
        rows.append([f"zh-{n}", created, ["chat", "email"][n % 2], subject, body, "solved" if reply else "open",
                     reply, replied])

    for aid, phrases in PHRASES.items():  # 3 in 4 linked by the team (zh/<id>/), the others answered by hand
        for i, q in enumerate(phrases):
            body = f"{GREETINGS[i % 5]}{q}？{THANKS[(i + 2) % 5]}"
            add("", body, f"您好，请看这篇文章：{SITE}zh/{aid}/ 祝您愉快。" if i % 4 else "您好，已为您处理。", i)
    for i in range(30):
        add("", f"{GREETINGS[i % 5]}{GAP[i % len(GAP)]}？{THANKS[i % 5]}",
            "抱歉，目前支付宝和微信支付暂时不能添加 Pocket 卡。" if i % 3 else "", i)
    for i in range(30):
        add("", f"{GREETINGS[i % 5]}{OTHER[i % len(OTHER)]}？", "目前暂不支持，感谢理解。", i)
    return rows


def _csv_text(delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(["id", "created_at", "channel", "subject", "body", "status", "reply", "replied_at"])
    w.writerows(_rows())
    return buf.getvalue()


@pytest.fixture
def zh_kb(make_kb) -> Path:
    files = {"helpgen.yml": f"name: 测试帮助中心\nsite_url: {SITE}\nlanguage: en\nlanguages: [en, zh]\n"
                            "support:\n  response_time: within 1 business day\n  response_hours: 24\n"}
    for aid, (en_title, zh_title, summary, questions, body) in ARTICLES.items():
        en_summary, en_qs, en_body = EN_BODY.get(aid, (f"About {en_title.lower()}.", [en_title], en_title + "."))
        files[f"articles/{aid}.md"] = _article(en_title, en_summary, en_qs, en_body)
        if zh_title:
            files[f"articles/{aid}.zh.md"] = _article(zh_title, summary, questions, body)
    return make_kb(files)


def _article(title: str, summary: str, questions: list[str], body: str) -> str:
    qs = "\n".join(f"  - {json.dumps(q, ensure_ascii=False)}" for q in questions)
    return ARTICLE.format(title=title, summary=summary, questions=qs, body=body)


def _run(kb: Path, log: Path, out: Path, *extra: str):
    res = CliRunner().invoke(coverage_command, [str(kb), "--tickets", str(log), "-o", str(out),
                                                "--assignments", str(out.parent / (out.name + ".csv")), *extra])
    rows = list(csv.DictReader((out.parent / (out.name + ".csv")).open(encoding="utf-8"))) if out.exists() else []
    return res, rows


@pytest.fixture
def zh_run(zh_kb, tmp_path):
    log = tmp_path / "tickets.csv"
    log.write_text(_csv_text(), encoding="utf-8")
    res, rows = _run(zh_kb, log, tmp_path / "rep")
    assert res.exit_code == 0, res.output
    return res, rows, tmp_path / "rep"


def _planted(rows: list[dict]) -> list[dict]:
    first = sum(len(p) for p in PHRASES.values())
    return [r for r in rows if first < int(r["ticket_id"].split("-")[1]) <= first + 30]


def test_planted_chinese_gap_is_one_cluster_with_a_chinese_label(zh_run):
    _, rows, out = zh_run
    planted = _planted(rows)
    assert len(planted) == 30 and all(r["verdict"] == "gap" for r in planted)
    assert len({r["gap_id"] for r in planted}) == 1, {r["gap_id"] for r in planted}
    data = json.loads((out / "coverage.json").read_text(encoding="utf-8"))
    gap = next(g for g in data["gaps"] if str(g["id"]) == planted[0]["gap_id"])
    assert gap["size"] == 30
    # the label is a real customer question of the gap (greeting and thanks dropped), the terms whole words
    assert gap["label"].rstrip("？") in GAP, gap["label"]
    assert {"支付宝", "微信支付"} & set(gap["terms"]) or {"支付宝", "微信"} & set(gap["terms"]), gap["terms"]
    assert all(q.rstrip("？") in GAP for q in gap["questions"]) and 3 <= len(gap["examples"]) <= 5
    for g in data["gaps"]:  # Chinese key phrases: no terms made of single characters, no greetings or fillers
        assert g["terms"] and not all(len(w) == 1 for w in g["terms"]), g["terms"]
        assert not {"你好", "您好", "谢谢", "请问", "在吗", "怎么办"} & set(g["terms"]), g["terms"]
        assert not any(g["label"].startswith(x) for x in ("你好", "您好", "请问", "在吗")), g["label"]


def test_documented_chinese_questions_are_covered_by_the_right_article(zh_run):
    _, rows, _ = zh_run
    by_id = {r["ticket_id"]: r for r in rows}
    n, linked, new = 0, [], []
    for aid, phrases in PHRASES.items():
        for i in range(len(phrases)):
            n += 1
            (linked if i % 4 else new).append((by_id[f"zh-{n}"], aid))
    assert all(r["verdict"] == "covered" and r["article"] == aid for r, aid in linked)  # zh/<id>/ links
    assert any(aid == "top-up/top-up-by-card" for _, aid in linked)  # English-only: linked as zh/top-up/...
    right = [r["verdict"] == "covered" and r["article"] == aid for r, aid in new]
    assert sum(right) >= len(new) - 2, [(r["ticket_id"], aid, r["verdict"], r["article"]) for r, aid in new]


def test_chinese_report_text_numbers_and_urls(zh_run):
    res, _, out = zh_run
    md = (out / "coverage.md").read_text(encoding="utf-8")
    html = (out / "coverage.html").read_text(encoding="utf-8")
    data = json.loads((out / "coverage.json").read_text(encoding="utf-8"))
    assert data["schema"] == "helpgen.coverage/1" and data["lang"] == "zh"
    assert {"tickets", "covered", "gap", "unanswered", "coverage"} <= set(data["totals"])
    assert md.startswith("# 帮助中心覆盖报告：测试帮助中心")
    for heading in ("## 缺口：帮助中心尚未解答的问题", "## 客户找不到的文章", "## 无人回复的问题",
                    "### 各渠道首次回复时间", "## 匹配方法"):
        assert heading in md
    assert f"{data['totals']['tickets']} 条工单中" in md and "Gaps:" not in md and "tickets" not in md
    assert "2026年6月1日" in md and re.search(r"\d+%", md)
    assert "：cards/track-your-card（zh/cards/track-your-card/）" in md
    assert next(a for a in data["articles"] if a["id"] == "cards/track-your-card")["url"] == \
        "zh/cards/track-your-card/"
    assert '<html lang="zh">' in html and "<h2>缺口工单趋势</h2>" in html and "条工单中" in res.output
    gap = data["gaps"][0]  # a plain heading derived from the Chinese label: no question particle, no "？"
    assert gap["suggested_title"] and gap["suggested_title"] in gap["label"].replace("吗", "") \
        and not gap["suggested_title"].endswith(("？", "吗")), (gap["suggested_title"], gap["label"])
    assert f'<span class="label">{gap["label"]}</span>' in html and '<details class="gap" id="gap-1">' in html
    for english in ("Coverage report", "What customers asked", "Suggested article", "The team answered",
                    "Key phrases", "Questions nobody answered", "How tickets were matched", "tickets"):
        assert english not in html, english
    assert "客户的原话" in html and "起草文章" in html and "具体数值" in html
    assert data["response_times"]["statement"].startswith("回复承诺")


def test_gbk_and_utf16_exports_read_correctly_end_to_end(zh_kb, tmp_path, zh_run):
    _, utf8_rows, utf8_out = zh_run
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(_csv_text().encode("gbk"))
    utf16 = tmp_path / "excel.txt"  # Excel's "Unicode Text": UTF-16 LE with BOM, tab-separated
    utf16.write_bytes(_csv_text("\t").encode("utf-16"))
    assert utf16.read_bytes()[:2] == b"\xff\xfe"
    for log in (gbk, utf16):
        res, rows = _run(zh_kb, log, tmp_path / log.stem)
        assert res.exit_code == 0, res.output
        assert rows == utf8_rows
        data = json.loads((tmp_path / log.stem / "coverage.json").read_text(encoding="utf-8"))
        assert data["lang"] == "zh" and any("支付宝" in e for g in data["gaps"] for e in g["examples"])
        assert (tmp_path / log.stem / "coverage.md").read_bytes() == (utf8_out / "coverage.md").read_bytes()


def test_lang_option_overrides_detection_and_fail_under(zh_kb, tmp_path):
    log = tmp_path / "t.csv"
    log.write_text(_csv_text(), encoding="utf-8")
    res, _ = _run(zh_kb, log, tmp_path / "en", "--lang", "en")
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "en" / "coverage.json").read_text(encoding="utf-8"))
    assert data["lang"] == "en" and "## Gaps: questions the help centre does not answer" in \
        (tmp_path / "en" / "coverage.md").read_text(encoding="utf-8")
    assert all(not a["url"].startswith("zh/") for a in data["articles"])
    res, _ = _run(zh_kb, log, tmp_path / "strict", "--fail-under", "0.99")
    assert res.exit_code == 1 and "--fail-under" in res.output and "Traceback" not in res.output


def test_mixed_chinese_english_tickets_and_detection(zh_kb):
    from helpgen.coverage.run import cjk_share, detect_language, language_view
    from helpgen.kb.load import load_kb

    kb, _ = load_kb(zh_kb)
    assert detect_language(kb, ["我的 card 还没到", "top up 失败了怎么办"]) == "zh"
    assert detect_language(kb, ["my card has not arrived", "where is my card, 李娜"]) == "en"
    assert cjk_share([]) == 0.0
    view = language_view(kb, "zh")
    arts = {a.id: a for a in view.in_language("")}
    assert arts["cards/track-your-card"].title == "查询卡片配送进度"
    assert arts["top-up/top-up-by-card"].title == "Top up with a debit card"  # untranslated: default language
    assert language_view(kb, "en") is kb


def test_chinese_phrasings_drop_greetings_and_dates_use_chinese_style():
    from helpgen.report.i18n import messages
    from helpgen.report.localize import question_zh

    assert question_zh("客服你好， 我的卡还没收到，能帮我查一下吗？ 麻烦尽快处理。") == "我的卡还没收到，能帮我查一下吗？"
    assert question_zh("在吗？ 转账三天了还没到账。辛苦了。") == "转账三天了还没到账。"
    m = messages("zh")
    assert (m.date("2026-11-25"), m.date("2026-03"), m.tickets(1234), m.pct(0.7)) == \
        ("2026年11月25日", "2026年3月", "1,234 条工单", "70%")
    assert messages("zh-Hant").zh and not messages("en").zh


def test_single_language_chinese_kb_gets_a_chinese_report(make_kb, tmp_path):
    files = {"helpgen.yml": f"name: 中文帮助\nsite_url: {SITE}\nlanguage: zh\n"}
    for aid, (_, zh_title, summary, questions, body) in ARTICLES.items():
        if zh_title:
            files[f"articles/{aid}.md"] = _article(zh_title, summary, questions, body)
    kb = make_kb(files)
    log = tmp_path / "t.csv"
    log.write_text(_csv_text(), encoding="utf-8")
    res, rows = _run(kb, log, tmp_path / "rep")
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "rep" / "coverage.json").read_text(encoding="utf-8"))
    assert data["lang"] == "zh" and (tmp_path / "rep" / "coverage.md").read_text(encoding="utf-8").startswith(
        "# 帮助中心覆盖报告：中文帮助")
    track = next(a for a in data["articles"] if a["id"] == "cards/track-your-card")
    assert track["url"] == "cards/track-your-card/" and track["covered_tickets"] >= 6  # default-language site


def _generator_filler() -> set[str]:
    """Words of the sample generator's filler sentences (EXTRAS), as jieba segments them (2+ characters)."""
    import ast

    from helpgen.text import split_words

    source = (REPO / "scripts" / "gen_sample_tickets_zh.py").read_text(encoding="utf-8")
    extras = next(ast.literal_eval(n.value) for n in ast.walk(ast.parse(source))
                  if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "EXTRAS")
    return {w for e in extras for w in split_words(e.replace("{years}", "").replace("{country}", ""))
            if len(w) >= 2 and re.search(r"[\u4e00-\u9fff]", w)}


REPO = Path(__file__).resolve().parents[1]


def test_filler_words_are_found_in_the_log_not_in_a_list_from_the_sample(tmp_path):
    """The sample generator's filler (卸载重装也没用, 这个问题挺急的...) never becomes a key phrase or a label, and the
    label code does not name it: it comes from maintained lists and from the log (scoring against all gaps,
    and the words spread evenly over the log's clusters, see the next test)."""
    from helpgen.coverage import cluster

    log = REPO / "sample_kb" / "tickets" / "zh" / "tickets.csv"
    if not log.is_file():
        pytest.skip("sample_kb/tickets/zh/tickets.csv is absent")
    filler = _generator_filler()
    assert {"卸载", "重装", "朋友", "推荐"} <= filler
    for name in ("cluster.py", "phrasing.py"):
        source = (REPO / "helpgen" / "coverage" / name).read_text(encoding="utf-8")
        assert not [w for w in filler if w in source], name
    assert not filler & {"卸载", "重装", "朋友", "推荐"} & cluster.label_stop_words()
    res = CliRunner().invoke(coverage_command, [str(REPO / "sample_kb"), "--tickets", str(log),
                                                "-o", str(tmp_path / "rep")])
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "rep" / "coverage.json").read_text(encoding="utf-8"))
    terms = {t for g in data["gaps"] for t in g["terms"]}
    assert terms and not terms & {"卸载", "重装", "朋友", "推荐", "挺急", "重启"}, terms
    for g in data["gaps"]:  # every label is one customer's question, never a filler sentence
        assert not any(w in g["label"] for w in ("卸载重装", "朋友推荐", "挺急")), g["label"]


def test_spread_words_are_those_every_cluster_uses_alike():
    import numpy as np
    from scipy import sparse

    from helpgen.coverage.cluster import spread

    sizes = np.array([10, 20, 10, 40, 10, 10], np.float32)
    # word 0: in 30% of every cluster; word 1: only cluster 0; word 2: clusters 0 and 1; word 3: half the clusters
    df = np.array([[3, 6, 0, 0], [6, 0, 2, 0], [3, 0, 0, 5], [12, 0, 0, 20], [3, 0, 0, 5], [3, 0, 0, 0]], float)
    out = spread(sparse.csr_matrix(df), sizes)
    assert out.tolist() == [True, False, False, True]
    assert not spread(sparse.csr_matrix(df[:3]), sizes[:3]).any()  # under 4 clusters: no evidence either way
