"""Shared fixtures: `make_kb` writes a small scratch knowledge base under tmp_path."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest


@pytest.fixture
def make_kb(tmp_path: Path) -> Callable[..., Path]:
    """make_kb({"articles/a.md": "...", "helpgen.yml": "..."}) -> the KB folder (a new one per call).

    Values may be str (written as UTF-8) or bytes (written as is). An empty articles/ folder is
    always created so the folder is a knowledge base even without articles.
    """
    count = 0

    def make(files: dict[str, str | bytes], name: str | None = None) -> Path:
        nonlocal count
        count += 1
        root = tmp_path / (name or f"kb{count}")
        (root / "articles").mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make
