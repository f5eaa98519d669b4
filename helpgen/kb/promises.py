"""Checks of what the help centre promises and warns: support channels, known-issue notices, and the
per-language texts of helpgen.yml."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterator

from helpgen.config import Config
from helpgen.errors import Problem
from helpgen.kb.model import KnowledgeBase

STALE_NOTICE = timedelta(days=30)  # a resolved notice older than this should be deleted


def check_support(config: Config) -> Iterator[Problem]:
    """A channel without a promised response time, and a promise with no hours to check it against."""
    for i, channel in enumerate(config.support.channels):
        name = channel.text("name", config.language) or channel.kind
        line = channel.line or config.line_of(f"support.channels[{i}]")
        if not channel.response_time:
            yield Problem(config.source, line, "warning",
                          f"support channel `{name}` has no `response_time`; say when customers get an answer "
                          "(e.g. `response_time: 1 business day`)")
        elif channel.response_hours is None:
            yield Problem(config.source, line, "warning",
                          f"support channel `{name}` promises `{channel.text('response_time', config.language)}` "
                          "but has no `response_hours`; add the same promise in hours so `helpgen coverage` "
                          "can check it is kept")


def check_notices(kb: KnowledgeBase, today: date) -> Iterator[Problem]:
    """A notice resolved more than 30 days ago, and a notice that affects nothing that exists."""
    for notice in kb.notices:
        if notice.until is not None and today - notice.until > STALE_NOTICE:
            yield Problem(notice.source, notice.line, "warning",
                          f"notice ended on {notice.until} (over {STALE_NOTICE.days} days ago); delete the file "
                          "or move the workaround into an article")
        if notice.affects and not any(notice.affects_article(a) for a in kb.published):
            yield Problem(notice.source, notice.line, "warning",
                          f"`affects` ({', '.join(notice.affects)}) names no article id, folder or tag of the KB; "
                          "fix the ids, or leave `affects` out for a notice about everything")


def missing_translations(config: Config) -> Iterator[Problem]:
    """`info` lines for helpgen.yml texts that have no version in one of `languages`."""
    others = [lang for lang in config.all_languages if lang != config.language]
    for lang in others:
        for key, texts in _texts(config):
            if texts and not _has(texts, lang):
                yield Problem(config.source, config.line_of(key) or 1, "info",
                              f"`{key}` has no {lang} text; give it as `{{{config.language}: ..., {lang}: ...}}`")


def _texts(config: Config) -> Iterator[tuple[str, dict]]:
    for i, stage in enumerate(config.stages):
        yield f"stages[{i}].label", {"": stage.label, **stage.labels}
        if stage.description:
            yield f"stages[{i}].description", {"": stage.description, **stage.descriptions}
    if config.line_of("support.response_time"):
        yield "support.response_time", {"": config.support.response_time, **config.support.response_times}
    for i, ch in enumerate(config.support.channels):
        for key in ("name", "hours", "response_time"):
            yield f"support.channels[{i}].{key}", dict(getattr(ch, key))
    for key in ("covers", "does_not_cover"):
        yield f"support.{key}", dict(getattr(config.support, key))
    if config.search.placeholder:
        yield "search.placeholder", dict(config.search.placeholder)


def _has(texts: dict, lang: str) -> bool:
    return lang in texts or lang.split("-")[0] in texts
