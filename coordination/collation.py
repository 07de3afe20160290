"""Polish alphabetical order for lists of names (DESIGN.md: Polish collation for every sorted
list of names).

Python compares code points, which puts "łódzkie" after "zachodniopomorskie" and
"mazowieckie" before "małopolskie". :func:`polish_key` orders by the Polish alphabet
(a ą b c ć d e ę … ł … ó … ś … ź ż), case-insensitively, with the exact text as a tie-breaker.
The database's own collation is not used: SQLite has none for Polish and a PostgreSQL
server's default may be "C".
"""

from __future__ import annotations

ALPHABET = "aąbcćdeęfghijklłmnńoóprqsśtuvwxyzźż"
_RANK = {ch: i for i, ch in enumerate(ALPHABET)}
_AFTER_LETTERS = len(ALPHABET)


def polish_key(text: str | None) -> tuple:
    """Sort key of ``text`` in Polish alphabetical order (letters of the alphabet by their
    place in it, anything else — digits, spaces, punctuation — before letters by code point)."""
    folded = (text or "").casefold()
    return (tuple((_RANK[ch] + 1, "") if ch in _RANK else (0, ch) for ch in folded), text or "")


def sorted_pl(items, key=lambda item: item):
    """``items`` sorted by ``polish_key(key(item))``."""
    return sorted(items, key=lambda item: polish_key(key(item)))
