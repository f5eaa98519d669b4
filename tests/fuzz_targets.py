"""Readers under fuzzing, and the inputs fed to them: shared by tests/test_fuzz.py (CI, 300 examples a reader)
and benchmarks/fuzz.py (10,000 a reader).

Each target takes the bytes of one file, writes it where the reader expects it and reads it. It returns
normally when the input was read, or raises a HelpgenError (a click.ClickException) when the input was refused.
`outcome()` turns any other exception into a failure: that would be a traceback for the user.

Inputs are random bytes, random text, or a valid document of the reader's format (built from the field names
helpgen knows, with random values) and then mutated: bytes flipped, inserted, deleted, repeated, cut short.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Callable

import yaml
from hypothesis import strategies as st

from helpgen.kb.problems import collect_problems
from helpgen.errors import HelpgenError
from helpgen.kb.load import ARTICLE_FIELDS
from helpgen.search.index import read_questions
from helpgen.tickets import Redactor, read_tickets
from helpgen.tickets.readers.base import ALIASES

WORK = Path(tempfile.mkdtemp(prefix="helpgen-fuzz-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "gb18030", "cp1252", "latin-1")


def cleanup() -> None:
    shutil.rmtree(WORK, ignore_errors=True)


# --- outcome -------------------------------------------------------------------------------------

def outcome(target: Callable[[bytes], object], data: bytes) -> str:
    """"read" or "refused"; AssertionError for a refusal that is not one `error` line per problem; any
    other exception propagates (a traceback the user would see)."""
    try:
        target(data)
    except HelpgenError as exc:
        message = exc.format_message()
        lines = message.split("\n")
        assert message and all("error" in line for line in lines), message
        assert len(lines) == 1 or getattr(exc, "problems", None), message
        return "refused"
    return "read"


# --- targets -------------------------------------------------------------------------------------

def _kb(name: str) -> Path:
    """A KB folder to write one input into (made once, its files overwritten by each example)."""
    root = WORK / name
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "whats-new").mkdir(exist_ok=True)
    return root


def front_matter(data: bytes) -> None:
    """An article and a What's new entry with this text, loaded and checked as `helpgen check` does."""
    root = _kb("front")
    (root / "articles" / "a.md").write_bytes(data)
    (root / "whats-new" / "2025-01-01-x.md").write_bytes(data)
    (root / "changelog.md").write_bytes(data)
    collect_problems(root)


def helpgen_yml(data: bytes) -> None:
    root = _kb("config")
    (root / "helpgen.yml").write_bytes(data)
    collect_problems(root)


def glossary(data: bytes) -> None:
    root = _kb("glossary")
    (root / "glossary.yml").write_bytes(data)
    collect_problems(root)


def _tickets(name: str) -> Callable[[bytes], None]:
    def read(data: bytes) -> None:
        path = WORK / name
        path.write_bytes(data)
        for ticket in read_tickets([path], report=lambda p: None, redactor=Redactor()):
            assert isinstance(ticket.question, str) and isinstance(ticket.id, str)
            _ = ticket.answered, ticket.first_response_hours, ticket.text
    read.__name__ = name
    return read


def eval_csv(data: bytes) -> None:
    path = WORK / "eval.csv"
    path.write_bytes(data)
    read_questions(path)


# --- inputs --------------------------------------------------------------------------------------

words = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
short_words = st.text(st.sampled_from("abcé中 -:,\"'\n\t{}[]#>|*&!%@`0123456789"), max_size=12)
# greetings, sign-offs and names, so that the name redaction is fuzzed too
salutations = st.sampled_from(["Hi Anna,\n", "Dear Ms Chen ", "\nThanks, Maria Lopez", "Regards,\nJohn", "Hello, ",
                               "王先生您好，", "您好，李女士", "我叫张伟", "My name is Sam ", "Cheers!\n", "Hi\tX."])
words = st.one_of(words, st.builds(lambda a, b, c: a + b + c, words, salutations, words))
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**15), st.floats(allow_nan=True),
                    words, short_words, st.dates(date(1, 1, 1), date(9999, 12, 31)).map(str))
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), words, short_words,
                         st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([1e300, -1e300, 1e-300]))
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3) |
                           st.dictionaries(short_words, inner, max_size=3), max_leaves=4)
yaml_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) |
                           st.dictionaries(short_words, inner, max_size=3), max_leaves=4)


def _yaml(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


field_names = st.one_of(st.sampled_from(ARTICLE_FIELDS), short_words)
front_docs = st.builds(lambda meta, body: f"---\n{_yaml(meta)}---\n{body}",
                       st.dictionaries(field_names, yaml_values, max_size=8), words)
config_keys = st.sampled_from(("name", "site_url", "language", "languages", "logo", "colors", "support", "stages",
                               "feedback", "offline", "search", "mkdocs", "tickets", "levels", "placeholder"))
config_docs = st.dictionaries(st.one_of(config_keys, short_words), yaml_values, max_size=6).map(_yaml)
glossary_items = st.one_of(
    st.fixed_dictionaries({"term": scalars, "definition": scalars}, optional={"aliases": yaml_values}), yaml_values)
glossary_docs = st.one_of(st.lists(glossary_items, max_size=5),
                          st.dictionaries(short_words, yaml_values, max_size=5)).map(_yaml)
BODY_NAMES = st.sampled_from(ALIASES["body"])
ticket_fields = st.one_of(st.sampled_from([a for names in ALIASES.values() for a in names]), short_words)
ticket_records = st.builds(lambda rec, body, text: {**rec, body: text} if body else rec,
                           st.dictionaries(ticket_fields, json_values, max_size=5),
                           st.one_of(st.none(), BODY_NAMES, BODY_NAMES), st.one_of(words, json_values))


def _csv(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


# most documents have a question field, so that the rows themselves get read (not only refused headers)
csv_headers = st.builds(lambda names, body, at: names[:at] + [body] + names[at:] if body else names,
                        st.lists(ticket_fields, max_size=6), st.one_of(st.none(), BODY_NAMES, BODY_NAMES),
                        st.integers(0, 6))
csv_docs = st.builds(_csv, csv_headers,
                     st.lists(st.lists(st.one_of(words, short_words), max_size=7), max_size=6),
                     st.sampled_from([",", ";", "\t", "|"]))
jsonl_docs = st.lists(st.one_of(ticket_records, json_values), max_size=4).map(
    lambda items: "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items))
json_array_docs = st.lists(st.one_of(ticket_records, json_values), max_size=4).map(
    lambda items: json.dumps(items, indent=1, ensure_ascii=False))
comments = st.fixed_dictionaries({"ticket_id": st.integers(1, 4), "author_id": st.integers(1, 4)},
                                 optional={"body": json_values, "public": json_values, "created_at": json_values})
zendesk_docs = st.builds(
    lambda tickets, cs, users, one_per_line: "\n".join(json.dumps({**t, "comments": cs}) for t in tickets)
    if one_per_line else json.dumps({"tickets": tickets, "comments": cs, "users": users, "count": len(tickets)}),
    st.lists(st.fixed_dictionaries({"id": st.integers(1, 4), "description": json_values},
                                   optional={"subject": json_values, "requester_id": st.integers(1, 4),
                                             "created_at": json_values, "via": json_values}), max_size=4),
    st.lists(comments, max_size=4),
    st.lists(st.fixed_dictionaries({"id": st.integers(1, 4), "role": st.sampled_from(["agent", "end-user", 5])}),
             max_size=3),
    st.booleans())
header_values = st.one_of(short_words, st.sampled_from(["<a@x.example>", "a@x.example", "Team <t@help.example>",
                                                        "Mon, 05 Jan 2026 14:03:00 +0100", "Re: Re: x", "=?utf-8?b?5L2g?=",
                                                        "text/html; charset=gbk", "base64", "quoted-printable"]))
mail_headers = st.dictionaries(st.sampled_from(["From", "To", "Subject", "Date", "Message-ID", "In-Reply-To",
                                                "References", "Content-Type", "Content-Transfer-Encoding",
                                                "MIME-Version"]), header_values, max_size=9)
messages = st.builds(lambda headers, body: "".join(f"{k}: {v}\n" for k, v in headers.items()) + "\n" + body,
                     mail_headers, words)
mbox_docs = st.lists(messages, max_size=4).map(
    lambda ms: "".join(f"From sender@x.example Mon Jan  5 14:03:00 2026\n{m}\n" for m in ms))
eval_docs = st.builds(_csv, st.sampled_from([["question", "expected_article"], ["question"], ["q", "a"]]).map(list),
                      st.lists(st.lists(st.one_of(words, short_words), max_size=3), max_size=5), st.just(","))


def encoded(docs: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    return st.builds(lambda text, enc: text.encode(enc, errors="replace"), docs, st.sampled_from(ENCODINGS))


MUTATIONS = st.lists(st.tuples(st.sampled_from(["flip", "insert", "delete", "repeat", "cut"]),
                               st.floats(0, 1), st.binary(min_size=1, max_size=8)), max_size=4)


def mutate(data: bytes, ops: list[tuple[str, float, bytes]]) -> bytes:
    for op, where, extra in ops:
        i = int(where * len(data))
        if op == "flip" and data:
            i = min(i, len(data) - 1)
            data = data[:i] + bytes([data[i] ^ extra[0]]) + data[i + 1:]
        elif op == "insert":
            data = data[:i] + extra + data[i:]
        elif op == "delete":
            data = data[:i] + data[i + len(extra):]
        elif op == "repeat":
            data = data[:i] + data[i:i + 40] * (1 + extra[0] % 3) + data[i:]
        elif op == "cut":
            data = data[:i]
    return data


def inputs(docs: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Valid documents, mutated documents, random text and random bytes."""
    return st.one_of(encoded(docs), st.builds(mutate, encoded(docs), MUTATIONS),
                     words.map(lambda t: t.encode("utf-8")), st.binary(max_size=300))


READERS: dict[str, tuple[Callable[[bytes], object], st.SearchStrategy[bytes]]] = {
    "front matter": (front_matter, inputs(front_docs)),
    "helpgen.yml": (helpgen_yml, inputs(config_docs)),
    "glossary": (glossary, inputs(glossary_docs)),
    "tickets csv": (_tickets("t.csv"), inputs(csv_docs)),
    "tickets jsonl": (_tickets("t.jsonl"), inputs(jsonl_docs)),
    "tickets json array": (_tickets("t.json"), inputs(json_array_docs)),
    "tickets zendesk": (_tickets("zendesk.json"), inputs(zendesk_docs)),
    "tickets mbox": (_tickets("t.mbox"), inputs(mbox_docs)),
    "tickets eml": (_tickets("t.eml"), inputs(messages)),
    "search --eval csv": (eval_csv, inputs(eval_docs)),
}
