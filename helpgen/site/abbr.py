"""Markdown's `abbr` extension, made to find terms inside Chinese (and Japanese) text too.

The stock extension wraps terms in `\\b...\\b`, and there is no word boundary between two Chinese
characters, so "充值" in "您可以充值到余额" was never marked. Here a boundary is required only at
edges that are Latin letters or digits, against other Latin letters or digits; everything else (the `glossary` option, `*[x]: y` lines)
is the stock extension. Used in mkdocs.yml as `helpgen.site.abbr`.
"""
from __future__ import annotations

import re

from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


_LATIN = "A-Za-z0-9_\u00c0-\u024f"  # letters that make up words with spaces between them


def term_pattern(term: str) -> str:
    """A regex for one term: a Latin edge may not touch another Latin letter (PIN, not PINK);
    a CJK edge needs no boundary (充值 inside 您可以充值到), and PIN码 still matches."""
    start = f"(?<![{_LATIN}])" if re.match(f"[{_LATIN}]", term[:1]) else ""
    end = f"(?![{_LATIN}])" if re.match(f"[{_LATIN}]", term[-1:]) else ""
    return f"{start}{re.escape(term)}{end}"


class CjkAbbrTreeprocessor(AbbrTreeprocessor):
    def run(self, root):  # noqa: ANN001 - Markdown's signature
        if not self.abbrs:
            return None
        terms = sorted(self.abbrs, key=len, reverse=True)  # longest first: 充值金额 before 充值
        self.RE = re.compile("|".join(term_pattern(t) for t in terms))
        self.iter_element(root)
        return None


class HelpgenAbbrExtension(AbbrExtension):
    def extendMarkdown(self, md) -> None:  # noqa: ANN001 - Markdown's signature
        super().extendMarkdown(md)
        md.treeprocessors.register(CjkAbbrTreeprocessor(md, self.abbrs), "abbr", 7)


def makeExtension(**kwargs) -> HelpgenAbbrExtension:  # noqa: N802 - Markdown's entry point name
    return HelpgenAbbrExtension(**kwargs)
