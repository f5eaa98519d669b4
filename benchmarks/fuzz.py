"""Fuzz every reader with 10,000 random and mutated inputs each; print the tracebacks (target: 0).

The readers and inputs are those of tests/test_fuzz.py (tests/fuzz_targets.py): article front matter,
helpgen.yml, glossary, each ticket format (CSV, JSON Lines, JSON array, Zendesk, mbox, eml) and the
`helpgen search --eval` CSV. An input is either read, or refused with a HelpgenError whose text is one
`error` line per problem; anything else (another exception, or a refusal on several lines) is a traceback
the user would see, and is counted.

Reference, measured on the same inputs in the same run: the bare library parse of each format (yaml.safe_load,
csv.reader, json.loads, email.message_from_bytes) with every exception swallowed. `x ref` is helpgen's time per
input over that reference: what the checks, the encoding detection, redaction and the one-line errors cost.

    nice -n 10 python benchmarks/fuzz.py [--examples 10000] [--only "tickets csv"]
"""
from __future__ import annotations

import argparse
import csv
import email
import io
import json
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzz_targets import READERS, cleanup, outcome  # noqa: E402


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


REFERENCE = {
    "front matter": lambda d: yaml.safe_load(_text(d).split("---")[1] if _text(d).count("---") > 1 else _text(d)),
    "helpgen.yml": lambda d: yaml.safe_load(_text(d)),
    "glossary": lambda d: yaml.safe_load(_text(d)),
    "tickets csv": lambda d: list(csv.reader(io.StringIO(_text(d)))),
    "tickets jsonl": lambda d: [json.loads(line) for line in _text(d).splitlines() if line.strip()],
    "tickets json array": lambda d: json.loads(_text(d)),
    "tickets zendesk": lambda d: json.loads(_text(d)),
    "tickets mbox": lambda d: [email.message_from_bytes(m) for m in d.split(b"\nFrom ")],
    "tickets eml": lambda d: email.message_from_bytes(d),
    "search --eval csv": lambda d: list(csv.DictReader(io.StringIO(_text(d)))),
}


def run(name: str, examples: int) -> tuple[int, Counter, float, float, list[str]]:
    """(examples run, outcome counts, seconds, reference seconds, first traceback of each kind)."""
    target, strategy = READERS[name]
    reference = REFERENCE[name]
    counts: Counter = Counter()
    first: dict[str, str] = {}
    spent = [0.0, 0.0]

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def fuzz(data: bytes) -> None:
        start = time.perf_counter()
        try:
            reference(data)
        except Exception:  # noqa: BLE001 - the reference only parses
            pass
        spent[1] += time.perf_counter() - start
        start = time.perf_counter()
        try:
            counts[outcome(target, data)] += 1
        except Exception as exc:  # noqa: BLE001 - counted, never raised: the run goes on
            counts["traceback"] += 1
            kind = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
            first.setdefault(kind, f"{data[:200]!r}\n" + traceback.format_exc(limit=-3))
        spent[0] += time.perf_counter() - start

    fuzz()
    return sum(counts.values()), counts, spent[0], spent[1], list(first.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000, help="Examples per reader.")
    parser.add_argument("--only", action="append", help="Run only this reader (repeatable).")
    args = parser.parse_args()
    names = args.only or list(READERS)
    total = 0
    print(f"{'reader':<20} {'examples':>8} {'read':>6} {'refused':>8} {'tracebacks':>10} {'examples/s':>10} "
          f"{'reader/s':>9} {'ref/s':>8} {'x ref':>6}")
    try:
        for name in names:
            started = time.perf_counter()
            n, counts, spent, reference, firsts = run(name, args.examples)
            wall = time.perf_counter() - started
            total += counts["traceback"]
            print(f"{name:<20} {n:>8} {counts['read']:>6} {counts['refused']:>8} {counts['traceback']:>10} "
                  f"{n / wall:>10.0f} {n / max(spent, 1e-9):>9.0f} {n / max(reference, 1e-9):>8.0f} "
                  f"{spent / max(reference, 1e-9):>6.0f}", flush=True)
            for text in firsts[:3]:
                print("    " + text.replace("\n", "\n    "))
    finally:
        cleanup()
    print(f"tracebacks: {total} (target 0)")
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
