"""Split BANKING77 train.csv into "history" and "new" ticket logs for the coverage benchmark.

Fixed seeds. history = 80% (handled by the team): documented-intent tickets carry, for a fixed 70%,
a reply linking the right article URL from answer_key.yml; the rest, and every undocumented-intent
ticket, were answered by hand without a link. new = 20%, not answered yet, plus out-of-domain
questions written here (weather, recipes, maths, sport, travel, ...). Never copies data into the repo.
"""
from __future__ import annotations

import csv
import random
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / ".." / "shared" / "data" / "banking77"
SITE = "https://help.pocket.example/"
START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
COLUMNS = ["id", "created_at", "channel", "subject", "body", "status", "reply", "replied_at"]

_OOD_SUBJECTS = {
    "weather": ["the weather in {c} tomorrow", "rain in {c} this weekend", "how hot it gets in {c} in summer",
                "snow forecast for {c}", "the best season to visit {c}"],
    "recipes": ["a recipe for {f}", "how long to bake {f}", "what wine goes with {f}",
                "how to make {f} without eggs", "a vegetarian version of {f}"],
    "maths": ["what is {a} times {b}", "the square root of {a}", "how to solve {a}x + {b} = 0",
              "what is {a} percent of {b}", "is {a} a prime number"],
    "sport": ["who won the {s} final last year", "the rules of {s}", "how many players are in a {s} team",
              "when the {s} season starts", "the best {s} player of all time"],
    "travel": ["the fastest train from {c} to {d}", "things to do in {c}", "a cheap hotel in {c}",
               "how far {c} is from {d}", "whether I need a visa to visit {d}"],
    "general": ["the capital of {d}", "who wrote {w}", "how to grow {p} at home", "how to fix a leaking tap",
                "a good film to watch tonight", "how to train my puppy to sit", "how tall {m} is"],
}
_FRAMES = ["Can you tell me {x}?", "I want to know {x}.", "{x}?", "Do you know {x}", "Quick question about {x}",
           "Please help me find {x}", "Any idea about {x}?"]
_FILL = {"c": ["Paris", "Tokyo", "Lisbon", "Chicago", "Cairo", "Oslo", "Lima", "Hanoi"],
         "d": ["Brazil", "Kenya", "Norway", "Vietnam", "Peru", "Canada", "Japan", "Chile"],
         "f": ["lasagne", "banana bread", "chicken curry", "pancakes", "sourdough", "risotto", "brownies"],
         "a": ["17", "23", "144", "9", "81", "1024", "37"], "b": ["12", "7", "250", "3", "64", "18"],
         "s": ["football", "tennis", "cricket", "basketball", "rugby", "volleyball", "hockey"],
         "w": ["Hamlet", "War and Peace", "Don Quixote", "Pride and Prejudice"],
         "p": ["tomatoes", "basil", "orchids", "strawberries"], "m": ["Mount Everest", "the Eiffel Tower"]}


@dataclass
class Split:
    history: list[dict]
    new: list[dict]
    truth: dict[str, str]  # ticket id -> intent ("__ood__" for out-of-domain)


def ood_questions(n: int = 300, seed: int = 77) -> list[str]:
    """Out-of-domain questions: nothing to do with a bank."""
    rng = random.Random(seed)
    out, seen = [], set()
    topics = sorted(_OOD_SUBJECTS)
    while len(out) < n:
        tmpl = rng.choice(_OOD_SUBJECTS[rng.choice(topics)])
        x = tmpl.format(**{k: rng.choice(v) for k, v in _FILL.items()})
        q = rng.choice(_FRAMES).format(x=x)
        if q not in seen:
            seen.add(q)
            out.append(q)
    return out


def _row(tid: str, when: datetime, text: str, reply: str = "", hours: float = 0.0) -> dict:
    return {"id": tid, "created_at": when.isoformat(), "channel": ("email", "chat", "web")[zlib.crc32(tid.encode()) % 3],
            "subject": "", "body": text, "status": "solved" if reply else "open", "reply": reply,
            "replied_at": (when + timedelta(hours=hours)).isoformat() if reply else ""}


def make_split(data: Path = DATA, seed: int = 13, link_share: float = 0.7, n_ood: int = 300) -> Split:
    """The fixed-seed split; ticket ids are stable (b77-<row>)."""
    key = yaml.safe_load((HERE / "answer_key.yml").read_text())
    documented = key["documented"]
    with open(data / "train.csv", newline="", encoding="utf-8") as fh:
        rows = [(f"b77-{i}", r["text"], r["category"]) for i, r in enumerate(csv.DictReader(fh))]
    rng = random.Random(seed)
    rng.shuffle(rows)
    cut = int(len(rows) * 0.8)
    history, new, truth = [], [], {}
    for n, (tid, text, intent) in enumerate(rows[:cut]):
        when = START + timedelta(minutes=37 * n)
        hours = rng.lognormvariate(2.3, 0.8)
        if intent in documented and rng.random() < link_share:
            reply = f"Hi, this article explains it: {SITE}{documented[intent][0]}/ Let us know if it helps."
        else:
            reply = "Hi, thanks for asking. Here is what to do: " + rng.choice(
                ["we have checked your account and sorted it.", "please try again in a few hours.",
                 "I have passed this to the team who handles it.", "here are the steps for your case."])
        history.append(_row(tid, when, text, reply, hours))
        truth[tid] = intent
    later = START + timedelta(minutes=37 * cut)
    new_items = [(tid, text, intent) for tid, text, intent in rows[cut:]]
    new_items += [(f"ood-{i}", q, "__ood__") for i, q in enumerate(ood_questions(n_ood))]
    rng.shuffle(new_items)
    for n, (tid, text, intent) in enumerate(new_items):
        new.append(_row(tid, later + timedelta(minutes=11 * n), text))
        truth[tid] = intent
    return Split(history, new, truth)


def write_csv(rows: list[dict], path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return path
