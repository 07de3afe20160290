"""The Polish-text checker: what a careful civil servant would never write in a Polish page,
e-mail or export (DESIGN.md: "Polish is a product feature").

:func:`problems` takes visible text (:func:`visible_text` extracts it from HTML: text nodes and
the attributes a person reads or hears — ``title``, ``aria-label``, ``alt``, ``placeholder`` —
never machine values such as ``<time datetime>``, ``href`` or input values) and answers one line
per finding:

* an English word from :data:`ENGLISH` (UI leftovers: "Save", "Draft", "Bytes", "None", …);
* a gender pattern: "obecny(-a)", "Przedstawił(a)", "(y)";
* "w {nominative}" for any place in ``coordination.places`` ("w Leszno", "w województwo łódzkie");
* an ISO date (2026-12-04);
* an informal ("ty") form from :data:`INFORMAL` ("cię", "twoje", "przekazuj", "możesz");
* a decimal point in a number ("36.9 kB", "3.75");
* a greeting with the full name ("Dzień dobry, Jan Kowalski,").
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from coordination.places import TOWNS, VOIVODESHIPS, place_forms

#: English UI words that must not appear in a Polish page ("Status" is Polish too: not listed).
ENGLISH = ("Bytes", "Draft", "Submit", "Save", "Cancel", "None", "True", "False", "Meeting",
           "Meetings", "Minutes", "Resolution", "Resolutions", "Action", "Actions", "Edit",
           "Delete", "Back", "Next", "Previous", "Search", "Loading", "Error", "N/A", "Download",
           "Upload", "Settings", "Dashboard", "Members", "Attendance", "Survey", "Results",
           "Invitation", "Comments", "Version", "Required", "Optional", "Unknown", "Total",
           "Page", "Close", "Yes", "Sign in", "Log out", "Home", "Group", "Groups", "Title",
           "Description", "Name", "Export", "Report", "Outbox", "Pending", "Sent", "Failed")
_ENGLISH_RE = re.compile(r"(?<![\w/-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w/-])",
                         re.IGNORECASE)

#: informal ("ty") forms; formal Polish says "Pani/Pan", "prosimy o…", "proszę…".
INFORMAL = ("cię", "ciebie", "tobie", "twój", "twoja", "twoje", "twojego", "twojej", "twoim",
            "twoich", "twoją", "przekazuj", "kliknij", "możesz", "musisz", "chcesz", "jesteś",
            "masz", "zostałeś", "zostałaś", "otrzymałeś", "otrzymałaś", "zaloguj się ponownie",
            "sprawdź swoją", "swój e-mail")
_INFORMAL_RE = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in INFORMAL) + r")(?!\w)",
                          re.IGNORECASE)

_GENDER_RE = re.compile(r"\w\(-?(?:a|y|i|e|o|ą|ła|ła się|na|ny)\)|\(-a\)|\(a\)|\(y\)")
#: the greeting names nobody: "Dzień dobry," (not "Dzień dobry, Jan Kowalski,").
_GREETING_RE = re.compile(r"Dzień dobry,? [A-ZĄĆĘŁŃÓŚŹŻ]\w+ [A-ZĄĆĘŁŃÓŚŹŻ]\w+")
_ISO_DATE_RE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w])")
#: a number with a decimal point: a size, share or amount ("36.9 kB", "12.5%") or a mean with
#: two decimals ("3.75"); not a date "4.12.2026", a chapter "3.2" or a version "WCAG 2.1".
_DECIMAL_POINT_RE = re.compile(
    r"(?<![\w.])(\d+\.\d+\s?(?:%|kB|MB|GB|zł)|\d+\.\d{2})(?![\w.])")


def _nominative_patterns() -> re.Pattern:
    wrong = []
    for name, (_gen, loc) in TOWNS.items():
        if name != loc:
            wrong.append(name)
    for adjective in VOIVODESHIPS:
        wrong.append(place_forms(adjective).nominative)  # "województwo łódzkie"
        wrong.append(adjective)  # "w łódzkie"
    alternatives = "|".join(re.escape(w) for w in sorted(wrong, key=len, reverse=True))
    return re.compile(r"(?<!\w)[wW]e? (" + alternatives + r")(?!\w)")


_NOMINATIVE_RE = _nominative_patterns()


def problems(text: str, *, decimal_point: bool = True) -> list[str]:
    """The findings in ``text`` (visible Polish text), one line each with its context."""
    found = []

    def add(kind, match):
        start, end = max(match.start() - 30, 0), match.end() + 30
        context = " ".join(text[start:end].split())
        found.append(f"{kind} {match.group(0)!r}: …{context}…")

    for match in _ENGLISH_RE.finditer(text):
        add("english", match)
    for match in _GENDER_RE.finditer(text):
        add("gender", match)
    for match in _NOMINATIVE_RE.finditer(text):
        add("nominative", match)
    for match in _GREETING_RE.finditer(text):
        add("greeting", match)
    for match in _ISO_DATE_RE.finditer(text):
        add("iso-date", match)
    for match in _INFORMAL_RE.finditer(text):
        add("informal", match)
    if decimal_point:
        for match in _DECIMAL_POINT_RE.finditer(text):
            add("decimal-point", match)
    return found


#: attributes whose value a person reads or hears.
_READ_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder", "aria-description")
#: elements whose text is not shown (or is code a person does not read as prose).
_HIDDEN = ("script", "style", "template", "code", "pre", "textarea")


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self._hidden += 1
        a = dict(attrs)
        for name in _READ_ATTRIBUTES:
            if a.get(name):
                self.parts.append(a[name])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.parts.append(a["value"])
        if tag in ("p", "div", "li", "td", "th", "tr", "br", "h1", "h2", "h3", "dt", "dd", "option"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _HIDDEN and self._hidden:
            self._hidden -= 1
        if tag in ("p", "div", "li", "td", "th", "option", "label", "button", "a", "span", "dd", "dt"):
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text of ``html`` a person reads or hears (see the module docstring)."""
    parser = _Visible()
    parser.feed(html)
    return "".join(parser.parts)


def export_text(content_type: str, data: bytes) -> str | None:
    """The text of a downloaded file (DOCX, PDF, XLSX, ICS, CSV, plain); ``None`` for others."""
    if "wordprocessingml" in content_type:
        import docx

        document = docx.Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            parts += [cell.text for row in table.rows for cell in row.cells]
        return "\n".join(parts)
    if content_type.startswith("application/pdf"):
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
        except (PdfReadError, ValueError):  # an uploaded demo file that is not a real PDF
            return None
    if "spreadsheetml" in content_type:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return "\n".join(" | ".join(str(c) for c in row if isinstance(c, str))
                         for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python())
    if content_type.startswith("text/calendar"):  # the values, not the property names
        text = data.decode("utf-8", "replace").replace("\r\n ", "").replace("\\n", "\n")
        return "\n".join(line.split(":", 1)[-1] for line in text.splitlines()
                         if not line.startswith(("DTSTART", "DTEND", "DTSTAMP", "UID", "LAST-MODIFIED")))
    if content_type.startswith(("text/plain", "text/csv")):
        return data.decode("utf-8", "replace")
    return None
