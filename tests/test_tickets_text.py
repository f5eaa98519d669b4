"""Cleaning customer messages: quotes, signatures, sign-offs, greetings, HTML."""
from __future__ import annotations

import pytest

from helpgen.tickets.text import clean_message, html_to_text


@pytest.mark.parametrize("text, expected", [
    ("Where is my card?", "Where is my card?"),
    ("Hi,\nWhere is my card?\n\nThanks,\nAnna", "Where is my card?"),
    ("Where is my card?\n\nKind regards,\nAnna Berg\nBerlin", "Where is my card?"),
    ("Where is my card?\nThanks in advance!", "Where is my card?"),
    ("Where is my card?\n-- \nAnna Berg | CEO\n+44 20 7946 0958", "Where is my card?"),
    ("Still nothing.\n\nOn Mon, 5 Jan 2026 at 14:03, Pocket <help@pocket.example> wrote:\n> Cards take 5 days.",
     "Still nothing."),
    ("Still nothing.\n> quoted line\n>> older\nP.S. it is urgent", "Still nothing.\nP.S. it is urgent"),
    ("Still nothing.\n-----Original Message-----\nFrom: Pocket\nCards take 5 days.", "Still nothing."),
    ("还是没收到。\n\n在 2026年1月5日 14:03，Pocket 写道：\n> 请稍等", "还是没收到。"),
    ("Thanks for the quick answer, my card works now", "Thanks for the quick answer, my card works now"),
    ("Hello,", "Hello,"),  # a greeting alone is kept rather than leaving nothing
])
def test_clean_message(text: str, expected: str) -> None:
    assert clean_message(text) == expected


def test_html_to_text() -> None:
    assert html_to_text("<p>My card&nbsp;is <b>late</b></p><p>See <a href='https://x.example/a/'>this</a></p>") == \
        "My card\xa0is late\nSee  https://x.example/a/ this\n"
    assert html_to_text("if a < b and c > d") == "if a < b and c > d"
