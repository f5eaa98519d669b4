"""Generate a synthetic knowledge base: N articles of 300-800 words with links, tables and code,
spread over ~25 folders, plus a glossary and What's new entries. Deterministic (fixed seed).

    python benchmarks/synth_kb.py OUT_DIR --articles 1000
"""
from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

FOLDERS = [f"area-{i:02d}" for i in range(25)]
LEVELS = ["beginner", "advanced", "troubleshooting"]
STAGES = ["onboarding", "using", "deepening", "adapting", "loyalty"]
WORDS = ("account card payment transfer balance limit fee exchange rate statement identity verify "
         "security passcode device app notification merchant refund pending declined top-up bank "
         "currency travel cash withdrawal contactless virtual physical order delivery address support "
         "settings profile business plan premium reward cashback budget savings goal schedule recurring "
         "international domestic instant standard review document photo selfie country residence").split()
GLOSSARY = ["PIN", "IBAN", "SWIFT", "CVV", "KYC", "chargeback", "pre-authorisation", "FX margin",
            "direct debit", "standing order", "3-D Secure", "contactless", "top-up", "merchant", "escrow"]


def sentence(rng: random.Random, n: int | None = None) -> str:
    words = [rng.choice(WORDS) for _ in range(n or rng.randint(8, 18))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(GLOSSARY))
    return " ".join(words).capitalize() + "."


def article(rng: random.Random, i: int, ids: list[str]) -> str:
    folder = ids[i].split("/")[0]
    level = LEVELS[i % 3]
    stages = sorted({STAGES[i % 5], STAGES[(i * 7) % 5]})
    title = f"{sentence(rng, 5)[:-1]} {i}"
    meta = [f"title: {title}", f"level: {level}", f"stage: [{', '.join(stages)}]",
            f"summary: {sentence(rng)}", f"questions: [{sentence(rng, 6)[:-1]}, {sentence(rng, 7)[:-1]}]",
            f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]", f"order: {i % 10}"]
    if level == "troubleshooting":
        meta.append(f"error_codes: [E{10000 + i}]")
    body, words, target = [f"# {title}", ""], 0, rng.randint(300, 800)
    section = 0
    while words < target:
        section += 1
        body += [f"## {sentence(rng, 4)[:-1]} {section}", ""]
        para = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
        other = ids[rng.randrange(len(ids))]
        rel = f"../{other}.md" if other.split("/")[0] != folder else f"{other.split('/')[1]}.md"
        body += [para + f" See [a related topic]({rel}).", ""]
        words += len(para.split())
        if section % 3 == 1:
            body += ["| Option | Limit | Fee |", "|---|---|---|"]
            body += [f"| {rng.choice(WORDS)} | {rng.randint(1, 9) * 100} | {rng.randint(0, 5)}% |" for _ in range(4)]
            body.append("")
        elif section % 3 == 2:
            body += ["```json", '{"amount": %d, "currency": "EUR", "status": "%s"}' % (rng.randint(1, 999),
                     rng.choice(["pending", "done"])), "```", ""]
    return "---\n" + "\n".join(meta) + "\n---\n" + "\n".join(body) + "\n"


def make_kb(out: Path, n: int, seed: int = 7) -> Path:
    """Write a KB of `n` articles into `out` (replaced)."""
    rng = random.Random(seed)
    shutil.rmtree(out, ignore_errors=True)
    ids = [f"{FOLDERS[i % len(FOLDERS)]}/article-{i:05d}" for i in range(n)]
    for i, art_id in enumerate(ids):
        path = out / "articles" / f"{art_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article(rng, i, ids), encoding="utf-8")
    (out / "helpgen.yml").write_text("name: Synthetic Help\nsite_url: https://example.org/help/\n"
                                     "support:\n  email: help@example.org\n", encoding="utf-8")
    glossary = "\n".join(f"- term: {t}\n  definition: {sentence(rng)}" for t in GLOSSARY)
    (out / "glossary.yml").write_text(glossary + "\n", encoding="utf-8")
    (out / "whats-new").mkdir()
    for k in range(6):
        (out / "whats-new" / f"2026-0{k + 1}-01-update.md").write_text(
            f"---\ndate: 2026-0{k + 1}-01\ntitle: Update {k + 1}\n---\n{sentence(rng)}\n", encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    make_kb(args.out, args.articles)
    print(f"wrote {args.articles} articles to {args.out}")


if __name__ == "__main__":
    main()
