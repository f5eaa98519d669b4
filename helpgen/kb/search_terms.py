"""KB/search-terms.yml: the words customers use for each article, learned from tickets.

Written by `helpgen coverage --learn` (helpgen.coverage.learn), edited and committed by writers,
read by `helpgen build` and `helpgen search` (a hidden, weighted search field) and validated by
`helpgen check`. The format (stable, sorted)::

    articles:
      billing/download-an-invoice:    # article id; a `.zh` entry is `billing/download-an-invoice@zh`
        terms: [receipt, bill copy]            # used by search; delete a term to drop it
        rejected: [tax office]                 # never proposed again
    learned:                          # written by --learn: what it proposed last time (do not edit)
      billing/download-an-invoice: [receipt, bill copy, tax office]
    counts:                           # written by --learn (optional): how many learning tickets the
      billing/download-an-invoice:    # article had, and how many of them used each word (only words
        tickets: 40                   # of >= min_tickets tickets); search re-ranks its top results
        words: {bill: 9, receipt: 14} # with them (helpgen.search.rerank)

A term a writer deletes from `terms` (it is in `learned` but no longer in `terms`) moves to
`rejected` on the next --learn run; a deleted or rejected word loses its count at once.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from helpgen.errors import Problem

FILE_NAME = "search-terms.yml"
MAX_WORDS = 2  # a term is one word or a two-word phrase, never a sentence
LANG_SEP = "@"


@dataclass(frozen=True)
class ArticleTerms:
    terms: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()
    learned: tuple[str, ...] = ()
    line: int = 0
    tickets: int = 0  # learning tickets of the article (counts:), 0 = no counts
    counts: tuple[tuple[str, int], ...] = ()  # (word, distinct tickets using it), sorted by word

    @property
    def dropped(self) -> set[str]:
        """Terms never to propose or count again: rejected, or learned and then deleted by a writer."""
        return set(self.rejected) | (set(self.learned) - set(self.terms))


@dataclass(frozen=True)
class SearchTerms:
    """Article key (`id`, or `id@lang` for a translation) -> its terms."""

    articles: dict[str, ArticleTerms] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def terms_of(self, article_id: str, lang: str = "", default_lang: str = "") -> tuple[str, ...]:
        key = article_key(article_id, lang, default_lang)
        entry = self.articles.get(key)
        return entry.terms if entry else ()


def article_key(article_id: str, lang: str = "", default_lang: str = "") -> str:
    return article_id if lang in ("", default_lang) else f"{article_id}{LANG_SEP}{lang}"


def _line_map(text: str) -> dict[tuple, int]:
    """(article key,) and (article key, section, index) -> 1-based line, from the YAML node tree."""
    lines: dict[tuple, int] = {}
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return lines
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        if key.value == "counts" and isinstance(value, yaml.MappingNode):
            lines.update((("counts", str(k.value)), k.start_mark.line + 1) for k, _ in value.value)
        if key.value != "articles" or not isinstance(value, yaml.MappingNode):
            continue
        for akey, avalue in value.value:
            lines[(str(akey.value),)] = akey.start_mark.line + 1
            if isinstance(avalue, yaml.MappingNode):
                for skey, svalue in avalue.value:
                    if isinstance(svalue, yaml.SequenceNode):
                        for i, item in enumerate(svalue.value):
                            lines[(str(akey.value), str(skey.value), i)] = item.start_mark.line + 1
    return lines


def term_problem(term: object) -> str:
    """Why a term cannot be a search term ("" when it can)."""
    if not isinstance(term, str) or not term.strip():
        return "a term must be a non-empty text"
    if len(term.split()) > MAX_WORDS:
        return f"`{term}` has {len(term.split())} words: a search term is one word or a two-word phrase"
    if any(ch.isdigit() for ch in term):
        return f"`{term}` has a digit: numbers never become search terms"
    if "[" in term or "]" in term:
        return f"`{term}` holds a redaction mark: redacted data never becomes a search term"
    return ""


def parse_search_terms(text: str, path: str = FILE_NAME) -> SearchTerms:
    """Parse the file's text; every problem is reported (path:line) and the bad entry skipped."""
    problems: list[Problem] = []
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return SearchTerms({}, (Problem(path, line, "error", "not valid YAML, fix the indentation or quoting "
                                        "(see docs/search.md)"),))
    if not isinstance(data, dict):
        return SearchTerms({}, (Problem(path, 1, "error", "expected a mapping with `articles:`"),))
    lines = _line_map(text)
    learned = data.get("learned") or {}
    articles = data.get("articles") or {}
    if not isinstance(articles, dict):
        return SearchTerms({}, (Problem(path, 1, "error", "`articles:` must map article ids to terms"),))
    out: dict[str, ArticleTerms] = {}
    for key, entry in articles.items():
        key = str(key)
        line = lines.get((key,), 1)
        if entry is None:
            entry = {}
        if not isinstance(entry, dict):
            problems.append(Problem(path, line, "error", f"`{key}` must have `terms:` and optionally `rejected:`"))
            continue
        lists: dict[str, list[str]] = {}
        for section in ("terms", "rejected"):
            items = entry.get(section) or []
            if not isinstance(items, list):
                problems.append(Problem(path, line, "error", f"`{key}.{section}` must be a list of terms"))
                items = []
            good = []
            for i, term in enumerate(items):
                why = term_problem(term)
                if why:
                    problems.append(Problem(path, lines.get((key, section, i), line), "error",
                                            f"{why}; shorten or delete it"))
                else:
                    good.append(" ".join(term.lower().split()))
            lists[section] = good
        unknown = sorted(set(entry) - {"terms", "rejected"})
        for name in unknown:
            problems.append(Problem(path, line, "error", f"`{key}` has an unknown key `{name}`, use `terms` or "
                                    "`rejected`"))
        prior = learned.get(key) if isinstance(learned, dict) else None
        out[key] = ArticleTerms(tuple(lists["terms"]), tuple(lists["rejected"]),
                                tuple(str(t) for t in prior or () if isinstance(t, str)), line)
    _parse_counts(data.get("counts"), out, lines, path, problems)
    return SearchTerms(out, tuple(problems))


def _parse_counts(counts: object, out: dict[str, ArticleTerms], lines: dict[tuple, int], path: str,
                  problems: list[Problem]) -> None:
    """The optional `counts:` section into `out` (a word rejected or deleted by a writer loses its count)."""
    if counts is None:
        return
    if not isinstance(counts, dict):
        problems.append(Problem(path, 1, "error", "`counts:` must map article ids to `tickets:` and `words:`"))
        return
    for key, entry in counts.items():
        key = str(key)
        line = lines.get(("counts", key), 1)
        tickets = entry.get("tickets") if isinstance(entry, dict) else None
        words = entry.get("words") if isinstance(entry, dict) else None
        if not isinstance(tickets, int) or isinstance(tickets, bool) or tickets < 1 or not isinstance(words, dict):
            problems.append(Problem(path, line, "error", f"counts of `{key}` need `tickets:` (a positive number) and "
                                    "`words:` (word: tickets); delete the entry or run --learn again"))
            continue
        bad = sorted(str(w) for w, n in words.items() if term_problem(w) or " " in str(w).strip()
                     or not isinstance(n, int) or isinstance(n, bool) or not 0 < n <= tickets)
        if bad:
            problems.append(Problem(path, line, "error", f"counts of `{key}`: `{bad[0]}` is not one word with a count "
                                    f"from 1 to {tickets}; delete it"))
        old = out.get(key, ArticleTerms(line=line))
        kept = tuple(sorted((" ".join(w.lower().split()), n) for w, n in words.items()
                            if str(w) not in bad and " ".join(str(w).lower().split()) not in old.dropped))
        out[key] = replace(old, tickets=tickets, counts=kept)


def load_search_terms(root: Path) -> SearchTerms:
    """KB/search-terms.yml, or no terms when the file is absent."""
    path = Path(root) / FILE_NAME
    if not path.is_file():
        return SearchTerms()
    return parse_search_terms(path.read_text(encoding="utf-8"), FILE_NAME)


def check_search_terms(root: Path, known: set[str]) -> list[Problem]:
    """Problems of KB/search-terms.yml: bad terms and unknown article keys (`known` = valid keys)."""
    terms = load_search_terms(root)
    problems = list(terms.problems)
    for key, entry in sorted(terms.articles.items()):
        if key not in known:
            article_id = key.split(LANG_SEP)[0]
            hint = "the article was renamed or deleted: rename or delete the entry"
            if LANG_SEP in key and article_id in {k.split(LANG_SEP)[0] for k in known}:
                hint = "that translation does not exist: delete the entry or translate the article"
            problems.append(Problem(FILE_NAME, entry.line, "error", f"unknown article `{key}`; {hint}"))
    return problems


def dump_search_terms(articles: dict[str, ArticleTerms], header: str = "") -> str:
    """The file's text: keys and terms sorted, so the same terms give byte-identical output."""
    body: dict = {"articles": {}, "learned": {}}
    for key in sorted(articles):
        entry = articles[key]
        item: dict = {"terms": sorted(set(entry.terms))}
        if entry.rejected:
            item["rejected"] = sorted(set(entry.rejected))
        body["articles"][key] = item
        if entry.learned:
            body["learned"][key] = sorted(set(entry.learned))
    text = yaml.safe_dump(body, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    counts = {key: {"tickets": articles[key].tickets, "words": dict(sorted(articles[key].counts))}
              for key in sorted(articles) if articles[key].tickets and articles[key].counts}
    if counts:  # one flow mapping of words per article: thousands of numbers stay a short section
        text += yaml.safe_dump({"counts": counts}, allow_unicode=True, sort_keys=False, default_flow_style=None,
                               width=100)
    return header + text
