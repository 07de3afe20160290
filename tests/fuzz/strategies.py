"""Hypothesis strategies for the fuzzing lane, and the fixed corpus of known bad inputs."""

from __future__ import annotations

from functools import cache

from hypothesis import strategies as st

MARKER = "<x-fuzz-marker>"
#: what must never appear in an HTML response: the marker's tag, unescaped.
MARKER_RAW = "<x-fuzz-marker"

#: the cases the audit found (issue 14, item 9) and their relatives: always part of a run.
CORPUS = (
    "", " ", "0", "-1", "1", "2147483648", "-2147483649", "9223372036854775808",
    "99999999999999999999999999999999", "1" * 5000, "NaN", "nan", "-NaN", "sNaN", "Infinity",
    "-Infinity", "inf", "1e999", "-1e999", "1E+9999999999", "0x10", "1_000", "١٢٣", "²",
    "12,5", "12.5.5", "2019-02-30", "0000-00-00", "9999-12-31", "10000-01-01", "25:61",
    "2026-13-01T99:99", "\x00", "a\x00b", "a\x0bb", "\x1b[31m", "\r\n", "\u2028", "\ufeff",
    "\ud7ff", "\ufffe", "ł" * 300, "x" * 70000, "/kraj", "//evil.example", "/\\evil",
    "http://evil.example", "/ścieżka?ą=ę", "/a\r\nSet-Cookie: x=1", "javascript:alert(1)",
    MARKER, f"{MARKER}<script>alert(1)</script>", f'"><{MARKER[1:]}', "{{7*7}}", "%s%n",
    "' OR 1=1 --", "=SUM(A1)", "@cmd", "[]", "{}", "null", "true",
)

_controls = st.sampled_from(["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f",
                             "\r", "\r\n", "\t", "\x7f", "\x85", "\u2028"])
_unicode = st.text(st.characters(codec="utf-8"), max_size=40)
_marked = st.builds(lambda a, b: f"{a}{MARKER}{b}", _unicode, _unicode)
_with_controls = st.lists(st.one_of(_unicode, _controls), min_size=1, max_size=6).map("".join)
_long = st.integers(min_value=300, max_value=120_000).map(lambda n: ("Zażółć " * (n // 7 + 1))[:n])
_big_int = st.one_of(st.integers(min_value=-(2**80), max_value=2**80),
                     st.integers(min_value=-3, max_value=3)).map(str)
_float = st.floats(allow_nan=True, allow_infinity=True).map(repr)
_number = st.one_of(_big_int, _float, st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400",
                                                       "1,5", "-0", " 7 ", "1e-400", "0.1e5"]))
_date = st.one_of(st.dates().map(lambda d: d.isoformat()),
                  st.sampled_from(["2026-02-29", "2024-02-29", "31.12.2026", "0001-01-01",
                                   "9999-12-31", "-1-01-01", "2026-1-1"]))

#: any value at all (every field sometimes gets one of these, whatever its kind).
anything = st.one_of(st.sampled_from(CORPUS), _unicode, _marked, _with_controls, _number, _long)


@cache
def for_kind(kind: str, options: tuple[str, ...] = ()) -> st.SearchStrategy:
    """Values for a field of ``kind`` (biased to what it expects, often something else)."""
    if kind == "number":
        typed = _number
    elif kind in ("date", "datetime", "time"):
        typed = st.one_of(_date, _date.map(lambda d: d + "T12:00"), st.sampled_from(["10:00", "24:00", "9:7"]))
    elif kind == "checkbox":
        typed = st.sampled_from(["y", "on", "1", "", "n"] + list(options))
    elif kind == "select":
        real = [o for o in options if o] or ["x"]
        typed = st.one_of(st.sampled_from(real), st.sampled_from(real), _number)
    elif kind == "textarea":
        typed = st.one_of(_marked, _with_controls, _long, _unicode)
    elif kind == "email":
        typed = st.one_of(st.sampled_from(["jan@example.org", "a@b", "@", "x@localhost"]),
                          _unicode.map(lambda s: s + "@example.org"))
    else:
        typed = st.one_of(_marked, _with_controls, _unicode)
    return st.one_of(typed, typed, anything)


file_payload = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([b"", b"PK\x03\x04broken zip", b"%PDF-1.4 broken", b"\x00" * 64,
                     b"<html>" + MARKER.encode() + b"</html>"]),
)
filename = st.one_of(st.sampled_from(["a.xlsx", "plan.pdf", "../../etc/passwd", "", "ą\x00.docx",
                                      MARKER + ".pdf", "x" * 300 + ".xlsx"]), _unicode)

#: how a body is sent: as the form says, multipart, JSON (with the CSRF header), or broken.
body_kind = st.sampled_from(["form", "form", "form", "form", "multipart", "json", "broken",
                             "repeat"])
json_body = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), _unicode, _marked),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(_unicode, children, max_size=3)),
    max_leaves=6,
)
