"""Reading a big CSV log with worker processes (helpgen.tickets.parallel) gives exactly what the sequential
reader gives: the same tickets in the same order, the same warnings in the same order, the same redaction
counts, and the same coverage report."""
from __future__ import annotations

import csv
import random
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from helpgen.coverage.run import RunOptions, read_table, run_coverage
from helpgen.errors import Problem
from helpgen.kb.load import load_kb
from helpgen.tickets import Redactor, read_tickets
from helpgen.tickets import parallel
from helpgen.tickets.parallel import can_read_in_parallel, read_digested

ROOT = Path(__file__).resolve().parents[1]
LINKS = {"cards/x/": "cards/x", "pay/y/": "pay/y", "gone/z/": "gone/z"}  # gone/z: not an article of the KB


def _log(path: Path, n: int, seed: int = 3, dates: str = "iso") -> Path:
    """Rows that exercise every order-dependent part: duplicate ids (in one chunk and across chunks), blank
    rows, unreadable dates, empty questions, personal data, known and unknown links, day/month dates whose
    order only a later row settles."""
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "created_at", "channel", "subject", "body", "status", "reply", "replied_at"])
        for i in range(n):
            ident = f"t{rng.randrange(i)}" if i > 5 and rng.random() < 0.05 else f"t{i}"
            if dates == "numeric":
                created = f"{rng.randint(1, 12):02d}/{rng.randint(1, 12):02d}/2026 10:00"
                if i == n // 2:
                    created = "01/25/2026 10:00"  # settles the order: month first
            else:
                created = f"2026-0{1 + i % 9}-{1 + i % 28:02d}T{i % 24:02d}:00:00+00:00"
            if rng.random() < 0.03:
                created = "sometime last week"
            body = rng.choice(["Hi Maria, my payment failed", "how do I order a card?", "",
                               "Call me on +44 20 7946 0958 please", "refund for order 4111 1111 1111 1111",
                               "mail me at a.b@example.com", "Where is my money?\n\nThanks,\nJohn Smith"])
            reply = rng.choice(["", "See https://help.example/cards/x/", "Try /gone/z/ or /pay/y/", "Done."])
            if rng.random() < 0.02:
                w.writerow([])
            w.writerow([ident, created, rng.choice(["email", "Chat", "web form"]), rng.choice(["", "Help"]), body,
                        rng.choice(["solved", "open"]), reply, created if reply else ""])
    return path


def _sequential(paths, **kw):
    problems: list[Problem] = []
    redactor = Redactor([r"ORDER-\d+"])
    tickets = list(read_tickets(paths, link_map=LINKS, site_url="https://help.example/", redactor=redactor,
                                report=problems.append, **kw))
    return tickets, problems, dict(redactor.counts)


def _parallel(paths, chunk: int, **kw):
    problems: list[Problem] = []
    redactor = Redactor([r"ORDER-\d+"])
    tickets = [t for part in read_digested(paths, list, link_map=LINKS, site_url="https://help.example/",
                                           redactor=redactor, report=problems.append, processes=2, chunk=chunk, **kw)
               for t in part]
    return tickets, problems, dict(redactor.counts)


@pytest.mark.parametrize("dates", ["iso", "numeric"])
def test_workers_read_what_the_sequential_reader_reads(tmp_path: Path, dates: str) -> None:
    a = _log(tmp_path / "a.csv", 400, dates=dates)
    b = _log(tmp_path / "b.csv", 150, seed=4)  # repeats ids of a.csv
    expected = _sequential([a, b])
    got = _parallel([a, b], chunk=37)
    assert got[0] == expected[0]
    assert got[1] == expected[1]
    assert got[2] == expected[2]
    assert any("duplicate ticket id" in p.message for p in expected[1])
    assert any("cannot read the date" in p.message for p in expected[1])
    if dates == "numeric":  # the rows after the settling one are read month first
        assert expected[0][-1].created is not None


def test_coverage_of_a_log_read_by_workers_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = load_kb(ROOT / "sample_kb")[0]
    rng = random.Random(5)
    questions = [(a.id, q) for a in kb.in_language("") for q in a.questions]
    log = tmp_path / "log.csv"
    with open(log, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "created_at", "body", "status", "reply"])
        for i in range(600):
            aid, q = rng.choice(questions)
            if rng.random() < 0.3:
                q = rng.choice(["crypto wallet?", "joint account with my partner", "mortgage offer please"])
            reply = f"See https://help.pocket.example/{aid}/" if rng.random() < 0.4 else rng.choice(["", "Done."])
            w.writerow([f"x{i % 590}", f"2026-0{1 + i % 6}-1{i % 10}T10:00:00Z", q, "solved", reply])
    opts = RunOptions([log], since=None, until=None)
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 10 ** 12)
    assert not can_read_in_parallel([log])
    seq_problems: list[Problem] = []
    seq = run_coverage(kb, opts, seq_problems.append)
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK", 45)
    if parallel.workers() < 2:
        pytest.skip("one core: run_coverage reads sequentially here (read_table is compared below)")
    assert can_read_in_parallel([log])
    par_problems: list[Problem] = []
    par = run_coverage(kb, opts, par_problems.append)
    assert par.data == seq.data
    assert par_problems == seq_problems and len(seq_problems) == 10  # the duplicate ids
    for name in ("ids", "texts", "article_ids"):
        assert getattr(par.rows, name) == getattr(seq.rows, name)
    for name in ("verdict", "article", "score", "gap", "answered", "answered_known"):
        assert np.array_equal(getattr(par.rows, name), getattr(seq.rows, name))


def test_read_table_keeps_the_date_window(tmp_path: Path) -> None:
    from datetime import date

    from helpgen.coverage.analyse import collect

    log = _log(tmp_path / "a.csv", 300)
    ids = ["cards/x", "pay/y"]
    table = read_table([log], ids, date(2026, 2, 1), date(2026, 5, 20), link_map=LINKS,
                       site_url="https://help.example/", processes=2, chunk=29)
    expected = collect(read_tickets([log], link_map=LINKS, site_url="https://help.example/"), ids,
                       date(2026, 2, 1), date(2026, 5, 20))
    assert 0 < len(table.ids) < 300 and table.unknown_links["gone/z"] > 0
    assert any(c != c for c in table.created)  # unreadable dates are kept, undated
    for f in fields(table):
        mine, theirs = getattr(table, f.name), getattr(expected, f.name)
        if f.name in ("created", "first_hours"):
            assert np.array_equal(mine, theirs, equal_nan=True)
        else:
            assert mine == theirs, f.name
