"""Text normalisation shared by the form layer, the writers (XLSX, DOCX, PDF, ICS) and the
``repair-text`` command.

* :func:`normalize_text` is what the form layer stores: CR/LF and lone CR become LF, C0 control
  characters other than tab and newline are removed (a vertical tab pasted from Word, a form
  feed, an escape). NUL is not silently dropped there: forms reject it (see
  ``coordination/forms.py``); this function removes it for the repair of stored rows.
* :func:`xml_text` is what an XML-based writer may emit whatever is stored: every character XML
  1.0 forbids is removed (C0 controls except tab, newline and carriage return; U+FFFE, U+FFFF;
  lone surrogates).
"""

from __future__ import annotations

import re

#: C0 control characters other than tab (0x09) and newline (0x0A); CR is normalised first.
_C0 = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: characters an XML 1.0 document cannot contain.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def normalize_text(value: str) -> str:
    """``value`` with CR/LF as LF and no C0 control characters other than tab and newline."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _C0.sub("", value)


def has_nul(value: str) -> bool:
    return "\x00" in value


def xml_text(value):
    """``value`` without the characters XML 1.0 forbids; non-strings are returned unchanged."""
    if isinstance(value, str) and _NOT_XML.search(value):
        return _NOT_XML.sub("", value)
    return value
