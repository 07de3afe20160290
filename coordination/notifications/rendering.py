"""Turning a due row into an e-mail: values, subject, links, headers. Changes no state.

Context conventions (what a module puts into ``schedule(..., context=...)``):

* ``title`` — the object's name, used in the subject and the text;
* ``url`` — absolute link to the object (build it with :func:`link`);
* keys ending in ``_at`` — datetimes (stored as ISO, UTC), shown in the recipient's language
  and Europe/Warsaw time; keys ending in ``_on`` — dates;
* anything else JSON-serialisable (``place``, ``text``, ``group``, ``count``...).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer

from coordination.clock import to_naive_utc
from coordination.notifications.kinds import Kind
from coordination.notifications.models import KEY_COLUMNS

_UNSUBSCRIBE_SALT = "notification-unsubscribe"


def link(endpoint: str, **values) -> str:
    """Absolute URL on the configured ``BASE_URL``; works in jobs (no request needed)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def to_json(context: dict[str, Any] | None) -> dict[str, Any]:
    """Context made JSON-safe: datetimes to naive-UTC ISO strings, dates to ISO dates."""
    out: dict[str, Any] = {}
    for key, value in (context or {}).items():
        if isinstance(value, datetime):
            value = to_naive_utc(value).isoformat()
        elif isinstance(value, date):
            value = value.isoformat()
        out[key] = value
    return out


def from_json(context: dict[str, Any] | None) -> dict[str, Any]:
    """Stored context with ``*_at`` and ``*_on`` values turned back into datetimes / dates."""
    out = dict(context or {})
    for key, value in out.items():
        if not isinstance(value, str):
            continue
        try:
            if key.endswith("_at"):
                out[key] = datetime.fromisoformat(value)
            elif key.endswith("_on"):
                out[key] = date.fromisoformat(value)
        except ValueError:
            pass
    return out


class _Lenient(dict):
    """Mapping for ``%``-formatting subjects: a missing key renders as empty text."""

    def __missing__(self, key):
        return ""


def subject_for(kind: Kind, values: dict[str, Any], locale: str) -> str:
    """The subject line of ``kind`` in ``locale`` with the values filled in."""
    with force_locale(locale):
        return str(kind.subject) % _Lenient(values)


def message_id(row) -> str:
    """Message-ID derived from the row's unique key: every (re)send of a row carries the same."""
    key = "|".join(str(getattr(row, c)) for c in KEY_COLUMNS)
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "sieci-es.invalid"
    return f"<n{row.id}.{digest}@{host}>"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_UNSUBSCRIBE_SALT)


def unsubscribe_token(email: str, kind: str) -> str:
    """Signed token for the one-click-free unsubscribe page (no expiry, no login)."""
    return _serializer().dumps({"e": email, "k": kind})


def read_unsubscribe_token(token: str) -> tuple[str, str] | None:
    """``(email, kind)`` from a valid token, or None."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not data.get("e") or not data.get("k"):
        return None
    return data["e"], data["k"]


def email_parts(row, kind: Kind, values: dict[str, Any], *, recipient_name: str | None,
                tenant_name: str | None) -> tuple[str, dict[str, Any], dict[str, str]]:
    """``(subject, template context, headers)`` for one row."""
    context = {
        **from_json(values),
        "recipient_name": recipient_name,
        "tenant_name": tenant_name,
        "lang": row.locale,
        "kind_label": kind.label,
        "preferences_url": link("notify.preferences"),
        "unsubscribe_url": None,
    }
    headers = {"Message-ID": message_id(row), "X-Sieci-Notification": kind.name}
    if not kind.mandatory and not kind.internal:
        url = link("notify.unsubscribe", unsub_token=unsubscribe_token(row.recipient, kind.name))
        context["unsubscribe_url"] = url
        headers["List-Unsubscribe"] = f"<{url}>"
    return subject_for(kind, context, row.locale), context, headers
