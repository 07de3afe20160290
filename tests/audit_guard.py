"""Audit completeness: every transaction that changes rows of a region's tables must add an
audit entry, unless the change is on the explicit allow-list below (each with its reason).

:func:`guard` installs session listeners for the duration of a ``with`` block and collects the
violations: ``(service, tables)`` — the innermost function of a ``services`` module (or of a
module's ``demo`` or ``jobs``) on the stack when the rows were flushed, and the tables changed.
Used by tests/privacy/test_backup.py over the whole demo seeding (which calls most services of
every module) and by tests/privacy/test_audit.py over the services of personal data.

Limits: changes made with Core ``update()``/``delete()`` statements are not seen (no flush).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from sqlalchemy import event

from coordination.audit import AuditLog
from coordination.db import TenantScoped, TenantSession

#: tables whose changes need no audit entry, and why.
ALLOWED_TABLES: dict[str, str] = {
    "survey_response": "anonymous answers: an audit entry would tie a person and a time to them",
    "survey_answer": "anonymous answers (see survey_response)",
    "survey_answer_tally": "anonymous counts (see survey_response)",
    "meeting_rsvp_link": "a secret link made when an invitation is queued (no decision)",
    "calendar_feed": "the user's own feed secret (no data of others)",
}
#: services whose writes need no audit entry, and why (``module:function``).
ALLOWED_SERVICES: dict[str, str] = {
    "owes.demo:_lodzkie": "demo seeding: binds the demo OWES account directly (no user action)",
    "owes.demo:_studies": "demo seeding: consultation rows of the demo study",
    "owes.demo:_verified_values": "demo seeding: reported values marked verified",
    "surveys.demo:_seed_campaign": "demo seeding: the demo respondents",
    "surveys.services.responses:record_demo_response":
        "demo answers: marks the respondent completed, like an anonymous submission",
}


def _culprit() -> str:
    frame = sys._getframe(2)
    fallback = None
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if ".services" in module or module.endswith((".demo", ".jobs")):
            return f"{module}:{frame.f_code.co_name}"
        if fallback is None and not module.startswith(("sqlalchemy", "flask_sqlalchemy", "coordination.db",
                                                       "tests.audit_guard", "coordination.audit")):
            fallback = f"{module}:{frame.f_code.co_name}"
        frame = frame.f_back
    return fallback or "?"


@contextlib.contextmanager
def guard() -> Iterator[list[tuple[str, frozenset[str]]]]:
    """Collect unaudited transactions while the block runs (see the module docstring)."""
    violations: list[tuple[str, frozenset[str]]] = []

    def after_flush(session, _ctx):
        state = session.info.setdefault("audit_guard", {"tables": set(), "who": set(), "audited": False})
        changed = [*session.new, *session.deleted,
                   *(o for o in session.dirty if session.is_modified(o))]
        for obj in changed:
            if isinstance(obj, AuditLog):
                state["audited"] = True
            elif isinstance(obj, TenantScoped) and obj.__table__.name not in ALLOWED_TABLES:
                state["tables"].add(obj.__table__.name)
                state["who"].add(_culprit())

    def after_commit(session):
        state = session.info.pop("audit_guard", None)
        if state and state["tables"] and not state["audited"]:
            who = sorted(w for w in state["who"] if w not in ALLOWED_SERVICES)
            if who:
                violations.append((", ".join(who), frozenset(state["tables"])))

    def after_rollback(session):
        session.info.pop("audit_guard", None)

    listeners = (("after_flush", after_flush), ("after_commit", after_commit),
                 ("after_soft_rollback", lambda s, _t: after_rollback(s)))
    for name, fn in listeners:
        event.listen(TenantSession, name, fn)
    try:
        yield violations
    finally:
        for name, fn in listeners:
            event.remove(TenantSession, name, fn)


def assert_audited(violations) -> None:
    """Fail with the list of unaudited writes (service: tables)."""
    report = sorted({(who, ", ".join(sorted(tables))) for who, tables in violations})
    assert not report, "unaudited writes:\n" + "\n".join(f"{w}: {t}" for w, t in report)
