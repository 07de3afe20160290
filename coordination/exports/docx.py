"""DOCX (editable Word documents) with python-docx, including Markdown -> DOCX conversion.

Every text these helpers put into a document goes through :func:`text` (characters XML cannot
hold, such as a vertical tab pasted from Word before input was normalised, are removed: lxml
would refuse them). Code building a document by hand wraps its strings in :func:`text` too.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from markdown_it import MarkdownIt

from coordination.text import xml_text

MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_md = MarkdownIt("commonmark").enable("table")


def text(value: Any) -> str:
    """``value`` as text a DOCX can hold (None -> "")."""
    return "" if value is None else xml_text(str(value))


def _set_language(document, lang: str) -> None:
    """Proofing language of the Normal style (e.g. pl-PL) so Word checks Polish spelling."""
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), lang)


def _add_inline(paragraph, token) -> None:
    bold = italic = False
    for child in token.children or []:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "code_inline"):
            run = paragraph.add_run(text(child.content))
            run.bold, run.italic = bold or None, italic or None
        elif child.type in ("softbreak", "hardbreak"):
            paragraph.add_run().add_break()


def _table(document, tokens, start: int) -> int:
    """Add a Markdown table starting at ``tokens[start]`` (table_open); return the index after it."""
    rows: list[list] = []
    i = start
    while tokens[i].type != "table_close":
        if tokens[i].type == "tr_open":
            rows.append([])
        elif tokens[i].type == "inline":
            rows[-1].append(tokens[i])
        i += 1
    width = max((len(r) for r in rows), default=0)
    if rows and width:
        table = document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, cell_token in enumerate(row):
                _add_inline(table.cell(r, c).paragraphs[0], cell_token)
    return i + 1


def new_document(title: str, *, lang: str = "pl-PL", landscape: bool = False):
    """An empty python-docx Document with its title, language (proofing) and orientation set."""
    document = Document()
    document.core_properties.title = text(title)
    document.core_properties.language = lang
    _set_language(document, lang)
    if landscape:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    return document


def add_table(document, header: Sequence[str], rows: Iterable[Sequence[Any]]):
    """A bordered table with a bold header row repeated on every page; None renders empty."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(text(label)).bold = True
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = text(value)
    return table


def to_bytes(document) -> bytes:
    """The document saved as DOCX bytes."""
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def markdown_docx(markdown_text: str, *, title: str, lang: str = "pl-PL") -> bytes:
    """A DOCX of Markdown text: headings, paragraphs, bullet/numbered lists, tables, emphasis."""
    document = new_document(title, lang=lang)
    add_markdown(document, markdown_text)
    return to_bytes(document)


def add_markdown(document, markdown_text: str) -> None:
    """Append Markdown text to ``document`` (headings, paragraphs, lists, tables, emphasis)."""
    tokens = _md.parse(xml_text(markdown_text or ""))
    list_styles: list[str] = []
    pending_style: str | None = None
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            pending_style = f"Heading {min(int(tok.tag[1]), 4)}"
        elif tok.type == "bullet_list_open":
            list_styles.append("List Bullet")
        elif tok.type == "ordered_list_open":
            list_styles.append("List Number")
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_styles.pop()
        elif tok.type == "table_open":
            i = _table(document, tokens, i)
            continue
        elif tok.type == "inline":
            style = pending_style or (list_styles[-1] if list_styles else None)
            _add_inline(document.add_paragraph(style=style), tok)
            pending_style = None
        i += 1
