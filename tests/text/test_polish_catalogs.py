"""Every Polish message of every catalog passes the Polish-text checker (also messages the demo
crawl does not reach: error messages, rare e-mails) and uses the product's terminology."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.text.polish import problems

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted(ROOT.glob("translations/*/pl/LC_MESSAGES/messages.po"))
#: placeholders become neutral text ("%(n)d" a number, "%(title)s" a word).
_PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])|%%")
#: wrong term → the product's term (DOMAIN.md): groups and the Committee hold "posiedzenia".
TERMS = {r"\bspotka(nie|nia|niu|ń|niach|niami)\b": "posiedzenie",
         r"\bewaluacj\w+ (średniookresow|mid-term)\w*": "ewaluacja śródokresowa"}


#: an instruction in the second person ("Wpisz datę.", "Popraw następujące pola:"): the formal
#: register asks ("Prosimy wpisać datę."); a button or link label ("Dodaj", "Zaloguj się") may
#: stay imperative, a sentence ending in "." or ":" may not.
INSTRUCTION = re.compile(r"^(Wpisz|Podaj|Wybierz|Popraw|Uzupełnij|Zaznacz|Sprawdź|Wprowadź) [^\n]*[.:]$")


def _neutral(text: str) -> str:
    return _PLACEHOLDER.sub(lambda m: "%" if m.group(0) == "%%" else ("1" if m.group(2) == "d" else "X"), text)


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-4])
def test_polish_messages_pass_the_checker(path):
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="pl")
    found = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        for text in filter(None, strings):
            neutral = _neutral(text)
            # a date field's hint shows the format to type ("Prosimy wpisać datę, np. 2019-03-25")
            typing_a_date = "datę" in neutral or "RRRR-MM-DD" in neutral
            found += [f"{line}  [{text[:60]}]" for line in problems(neutral)
                      if not (typing_a_date and line.startswith("iso-date"))]
            if INSTRUCTION.match(text):
                found.append(f"informal instruction  [{text[:60]}]")
            found += [f"term {term!r} → {right}  [{text[:60]}]"
                      for term, right in TERMS.items() if re.search(term, neutral, re.IGNORECASE)]
    assert not found, f"{len(found)} finding(s):\n" + "\n".join(found)
