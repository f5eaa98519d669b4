"""Every CLI command and option, every helpgen.yml key and every check message is documented."""
from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

import click
import pytest

from helpgen import config as config_module
from helpgen.cli import main
from helpgen.kb.problems import collect_problems

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDERS = ("STAGE IDS", "PROBLEM", "ENCODING", "FIELD", "WHAT", "LABEL", "PATH", "DATE", "X", "Y", "A", "N")


def docs_text() -> str:
    files = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
    return "\n".join(p.read_text(encoding="utf-8") for p in files if p.is_file())


def commands(group: click.Group, prefix: str = "helpgen") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            found.extend(commands(command, f"{prefix} {name}"))
    return found


def config_paths(cls: type, prefix: str = "") -> list[str]:
    """Dotted paths of every helpgen.yml key: `support.email`, `stages[].id`, ..."""
    paths = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.metadata.get("internal"):
            continue
        path, hint = prefix + f.name, hints[f.name]
        paths.append(path)
        if dataclasses.is_dataclass(hint):
            paths.extend(config_paths(hint, path + "."))
        elif typing.get_origin(hint) is tuple and dataclasses.is_dataclass(typing.get_args(hint)[0]):
            paths.extend(config_paths(typing.get_args(hint)[0], path + "[]."))
    return paths


def test_config_paths_walk_is_complete():
    paths = config_paths(config_module.Config)
    assert {"name", "support.response_hours", "stages[].id", "tickets.columns", "feedback.url"} <= set(paths)
    assert "source" not in paths


@pytest.mark.parametrize("path", config_paths(config_module.Config))
def test_every_config_key_is_documented(path):
    assert f"`{path}`" in docs_text(), f"helpgen.yml key `{path}` is not in README.md or docs/*.md"


@pytest.mark.parametrize("name,command", commands(main), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_and_option_is_documented(name, command):
    text = docs_text()
    assert name in text, f"`{name}` is not in README.md or docs/*.md"
    for param in command.params:
        if isinstance(param, click.Option):
            for opt in param.opts + param.secondary_opts:
                assert f"`{opt}" in text, f"option {opt} of `{name}` is not documented"


def test_group_options_are_documented():
    text = docs_text()
    for opt in ("--debug", "--version", "--help"):
        assert f"`{opt}`" in text


def message_patterns() -> list[re.Pattern]:
    text = (ROOT / "docs" / "front-matter.md").read_text(encoding="utf-8")
    section = text.split("## What `helpgen check` reports", 1)[1]
    lines = []
    for block in re.findall(r"```\n(.*?)```", section, flags=re.S):
        for line in block.splitlines():
            line = re.split(r"\s{2,}#", line, maxsplit=1)[0].rstrip()
            if line:
                lines.append(line)
    patterns = []
    for line in lines:
        regex = re.escape(line)
        for word in PLACEHOLDERS:
            regex = re.sub(rf"(?<![A-Za-z]){re.escape(re.escape(word))}(?![A-Za-z])", ".+", regex)
        patterns.append(re.compile(regex + "$"))
    return patterns


def test_every_check_message_is_documented(make_kb):
    """Make a KB with every kind of problem; each message must match a line of docs/front-matter.md."""
    page = "---\ntitle: {t}\nlevel: {level}\nstage: {stage}\nsummary: S.\n{extra}---\n{body}"
    root = make_kb({
        "helpgen.yml": "stages:\n  - id: onboarding\n  - id: loyalty\n",
        "articles/a.md": page.format(t="A" * 80, level="begginer", stage="onbording", extra="error_codes: [E1]\nrelated: [zz, b]\nreview_after: 2000-01-01\ntitel: x\n", body="[x](nowhere.md) [y](b.md#nope)\n"),
        "articles/b.md": page.format(t="B", level="expert", stage="nowhere", extra="id: a\nerror_codes: [E1]\ndraft: maybe\n", body=""),
        "articles/c.md": "---\nsummary: [x\n---\n", "articles/d.md": "---\n- a\n---\n", "articles/e.md": "no title\n",
        "articles/f.md": "# Ça\n\nDéjà vu, très énervé à Noël.\n".encode("latin-1"), "articles/g.md": b"\x00\x01",
        "assets/orphan.png": b"x",
        "glossary.yml": "- term: A\n- definition: x\n- [1]\n- {term: B, definition: y, aliases: 5}\n", "changelog.md": "## Soon\n",
        "whats-new/x.md": "---\ntitle: X\n---\n", "whats-new/y.md": "---\ndate: 2020-01-01\n---\nno heading\n",
        "whats-new/z.md": "---\ndate: 2025-02-30\ntitle: Z\n---\n",
        "articles/migrated.md": "# Old\n", "articles/h.zh.md": "---\ntitle: H\nquestions: [a: b]\n---\n",
    })
    _, problems = collect_problems(root)
    patterns = message_patterns()
    undocumented = [p.message for p in problems if not any(rx.match(p.message) for rx in patterns)]
    assert undocumented == [], "\n".join(undocumented)
    assert len({p.message.split(" ")[0] for p in problems}) >= 12  # the KB really has many kinds
