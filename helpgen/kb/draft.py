"""The text of a new article (`helpgen new`): front matter, then a body to replace."""
from __future__ import annotations

from typing import Sequence


def new_article_text(title: str, level: str, stage: str, *, updated: str,
                     questions: Sequence[str] = (), draft: bool = False, seed: str = "") -> str:
    """The Markdown of a new article: front matter, then a body to replace."""
    import yaml

    meta: dict = {"title": title, "level": level, "stage": stage}
    if questions:
        meta["questions"] = list(questions)
    if draft:
        meta["draft"] = True
    meta["updated"] = updated
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    front = front.replace(f"updated: '{updated}'", f"updated: {updated}")
    hint = "# summary: one sentence, shown in lists and the starter handbook\n"
    if seed:
        body = ("<!-- Draft from a coverage gap: the best reply the team sent. "
                "Rewrite it as an answer anyone can follow, then remove `draft: true`. -->\n\n" + seed.strip() + "\n")
    else:
        body = "Write the answer here: start with the step that solves the customer's problem.\n"
    return f"---\n{front}{hint}---\n\n{body}"
