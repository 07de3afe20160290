"""Bad input answers 404, 400 or a form error, never 500: the request-side guards in one place.

* :class:`IdConverter` replaces Werkzeug's ``int`` URL converter: an id outside the range of an
  ``Integer`` column (``/grupy/99999999999999999999``) does not match the rule, so it is a 404
  and never reaches the database (SQLite raises ``OverflowError`` beyond 64 bits).
* :func:`int_arg` reads an integer query parameter (ids, years, page numbers): ASCII digits in
  the column's range, else the default.
* :func:`refuse_json_bodies` answers 400 to a JSON body sent to a form route (no route takes
  JSON; Flask-WTF would read the JSON as form data and fail on anything but an object).

Text and number fields of forms are guarded by the base form (``coordination/forms.py``).
"""

from __future__ import annotations

import re

from flask import abort, request
from werkzeug.routing import IntegerConverter

#: the range of a 32-bit ``Integer`` column (PostgreSQL ``integer``).
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
_INT = re.compile(r"-?[0-9]{1,10}")
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class IdConverter(IntegerConverter):
    """``<int:...>`` limited to what an ``Integer`` column holds (unless a rule sets ``max``)."""

    def __init__(self, map, fixed_digits=0, min=None, max=INT_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_int(raw: str | None, default: int | None = None, *, minimum: int = INT_MIN,
              maximum: int = INT_MAX) -> int | None:
    """``raw`` as an int when it is ASCII digits within ``[minimum, maximum]``, else ``default``."""
    if raw is None or not _INT.fullmatch(raw):
        return default
    value = int(raw)
    return value if minimum <= value <= maximum else default


def int_arg(name: str, default: int | None = None, *, minimum: int = INT_MIN,
            maximum: int = INT_MAX) -> int | None:
    """The query parameter ``name`` as an int (see :func:`parse_int`)."""
    return parse_int(request.args.get(name), default, minimum=minimum, maximum=maximum)


def refuse_json_bodies():
    """``before_request``: a state-changing request with a JSON body answers 400."""
    if request.method not in _SAFE_METHODS and request.is_json:
        abort(400)


def init_app(app) -> None:
    """Register the converter (before any blueprint adds its rules) and the JSON guard."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_json_bodies)
