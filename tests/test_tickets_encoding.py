"""Naming the encoding of text that is not UTF-8: Latin-1 is windows-1252, not a sibling code page."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpgen.charset import guess_encoding
from helpgen.errors import TicketError
from helpgen.kb.load import load_kb
from helpgen.tickets import read_text_file, read_tickets


@pytest.mark.parametrize("text, encoding, expected", [
    ("café crème brûlée\n", "latin-1", "windows-1252"),
    ("name,text\nJosé,Olá, não consigo entrar\n", "latin-1", "windows-1252"),
    ("Größe Straße Müller über die Karte", "cp1252", "windows-1252"),
    ("question\n¿Cómo cambio mi contraseña? – “pronto”\n", "cp1252", "windows-1252"),
    ("Zażółć gęślą jaźń, proszę o pomoc z kartą\n", "cp1250", "cp1250"),
    ("Příliš žluťoučký kůň úpěl ďábelské ódy\n", "cp1250", "cp1250"),
    ("Привет, мир, как дела у вас сегодня", "cp1251", "cp1251"),
])
def test_guess_encoding(text: str, encoding: str, expected: str) -> None:
    assert guess_encoding(text.encode(encoding)) == expected


def test_latin1_ticket_log_names_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    rows = "".join(f"{i},Réclamation numéro {i}: où est ma commande?\n" for i in range(3000))
    path.write_bytes(("id,body\n" + rows).encode("latin-1") + b"9999,caf\x81\n")  # 0x81: no character in 1252
    with pytest.raises(TicketError) as info:
        list(read_tickets([path]))
    assert info.value.format_message() == (f"{path}:3002: error: cannot decode byte 0x81 as windows-1252: the file "
                                           "mixes encodings; save it as CSV UTF-8")


def test_latin1_article_is_named_windows_1252(make_kb) -> None:
    kb = make_kb({"articles/a.md": "# Résumé\n\nCafé, déjà vu, naïve.\n".encode("latin-1")})
    _, problems = load_kb(kb)
    assert [str(p) for p in problems] == [
        "articles/a.md:1: error: not UTF-8 text (looks like windows-1252), re-save the file as UTF-8"]


def test_read_text_file_decodes_like_ticket_logs(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_bytes("question,expected_article\n怎么开户,a\n".encode("gbk"))
    assert read_text_file(path) == "question,expected_article\n怎么开户,a\n"
    path.write_bytes("\ufeffquestion,expected_article\nCómo,a\n".encode("utf-8"))
    assert read_text_file(path) == "question,expected_article\nCómo,a\n"
