"""Markdown's `abbr` extension, made to find terms inside Chinese (and Japanese) text too, and fast.

The stock extension wraps terms in `\\b...\\b`, and there is no word boundary between two Chinese
characters, so "充值" in "您可以充值到余额" was never marked. Here a boundary is required only at
edges that are Latin letters or digits, against other Latin letters or digits; everything else (the `glossary` option, `*[x]: y` lines)
is the stock extension. Used in mkdocs.yml as `helpgen.site.abbr`.

Speed: MkDocs makes a new Markdown instance for every page, so the one regex of all terms is
compiled once per glossary (cached), and the tree is searched first: only texts that hold a term
are touched (the stock extension walked and split every text of every page).
"""
from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree

from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor
from markdown.util import AtomicString

_LATIN = "A-Za-z0-9_\u00c0-\u024f"  # letters that make up words with spaces between them


def term_pattern(term: str) -> str:
    """A regex for one term: a Latin edge may not touch another Latin letter (PIN, not PINK);
    a CJK edge needs no boundary (充值 inside 您可以充值到), and PIN码 still matches."""
    escaped = re.escape(term)  # the literal comes first, so `re` can skip ahead by its first letters
    start = f"(?<![{_LATIN}]{escaped})" if re.match(f"[{_LATIN}]", term[:1]) else ""  # 10x faster than a leading (?<!...)
    end = f"(?![{_LATIN}])" if re.match(f"[{_LATIN}]", term[-1:]) else ""
    return f"{escaped}{start}{end}"


@functools.lru_cache(maxsize=32)
def terms_regex(terms: tuple[str, ...]) -> re.Pattern:
    """One regex for all terms, longest first (充值金额 before 充值); compiled once per glossary."""
    return re.compile("|".join(term_pattern(t) for t in sorted(terms, key=len, reverse=True)))


def _plain(text: str | None) -> bool:
    return bool(text) and not isinstance(text, AtomicString)


class CjkAbbrTreeprocessor(AbbrTreeprocessor):
    def run(self, root):  # noqa: ANN001 - Markdown's signature
        if not self.abbrs:
            return None
        self.RE = terms_regex(tuple(sorted(self.abbrs)))
        search = self.RE.search
        todo = [el for el in root.iter()
                if (_plain(el.text) and search(el.text)) or any(_plain(c.tail) and search(c.tail) for c in el)]
        for el in todo:  # found before anything changes: new <abbr> elements are never searched
            self.mark(el)
        return None

    def mark(self, el: etree.Element) -> None:
        """Wrap the terms of `el.text` and of its children's tails (the same result as the stock walk)."""
        for index in range(len(el) - 1, -1, -1):
            child = el[index]
            if _plain(child.tail):
                child.tail = self._split(child.tail, lambda abbr, i=index + 1: el.insert(i, abbr))
        if _plain(el.text):
            el.text = self._split(el.text, lambda abbr: el.insert(0, abbr))

    def _split(self, text: str, insert) -> str:  # noqa: ANN001
        """Insert an <abbr> for each term, last first; returns the text before the first term."""
        for m in reversed(list(self.RE.finditer(text))):
            if self.abbrs[m.group(0)]:
                insert(self.create_element(self.abbrs[m.group(0)], m.group(0), text[m.end():]))
                text = text[:m.start()]
        return text


class HelpgenAbbrExtension(AbbrExtension):
    def extendMarkdown(self, md) -> None:  # noqa: ANN001 - Markdown's signature
        super().extendMarkdown(md)
        md.treeprocessors.register(CjkAbbrTreeprocessor(md, self.abbrs), "abbr", 7)


def makeExtension(**kwargs) -> HelpgenAbbrExtension:  # noqa: N802 - Markdown's entry point name
    return HelpgenAbbrExtension(**kwargs)
