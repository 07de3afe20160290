"""Audit completeness: every transaction that changes rows of a region's tables must add an
audit entry, unless the change is on the explicit allow-list below (each with its reason).

A :class:`Guard` watches the sessions and collects the violations: ``(writer, tables)`` — the
innermost function of a ``services`` module (or of a module's ``demo`` or ``jobs``) on the stack
when the rows were flushed, and the tables changed. tests/conftest.py keeps one active for
**every test of the suite** (service and view tests of all modules) and fails a test whose
product code committed an unaudited change; :func:`guard` also judges the test's own writes
(tests/privacy/test_audit.py checks that the guard catches one).

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
    "survey_dimension_score": "sums of a closed campaign's anonymous counts, derived by the daily job",
    "meeting_rsvp_link": "a secret link made when an invitation is queued (no decision)",
    "minutes_link": "a secret link made when draft minutes are e-mailed (revoking one is audited)",
    "calendar_feed": "the user's own feed secret (no data of others)",
    "owes_import": "an uploaded file's preview waiting for confirmation; applying it is audited "
                   "(owes.import), discarding or expiring it changes no data",
}
#: services whose writes need no audit entry, and why (``module:function``).
ALLOWED_SERVICES: dict[str, str] = {
    "owes.demo:_lodzkie": "demo seeding: binds the demo OWES account directly (no user action)",
    "owes.demo:_studies": "demo seeding: consultation rows of the demo study",
    "owes.demo:_verified_values": "demo seeding: reported values marked verified",
    "surveys.demo:_seed_campaign": "demo seeding: the demo respondents",
    "surveys.services.responses:record_demo_response":
        "demo answers: marks the respondent completed, like an anonymous submission",
    # answering a survey: an entry would tie a person and a time to an anonymous response
    "surveys.services.respondents:invitation_of_account":
        "a signed-in person opens their invitation (a link is made; the visit is not recorded)",
    "surveys.services.respondents:issue_link":
        "a fresh link at send time; a reminder count would tell who has not answered",
    "surveys.services.responses:submit":
        "a submission marks the respondent completed; an entry would date a person's answer",
    "surveys.services.responses:_store":
        "the flush of a submission (see submit): the respondent row staged by submit lands here",
}


#: packages of the product: a write is the product's when one of their frames is on the stack.
PRODUCT = ("coordination", "tenants", "workgroups", "surveys", "owes", "national", "privacy")
#: the machinery between a service and the flush (never named as the writer).
PLUMBING = ("coordination.db", "coordination.audit", "coordination.extensions")


def _product(module: str) -> bool:
    """A frame of the product that may have made the change: reads (``queries``) never write,
    so a flush inside one is an autoflush of what someone further out staged."""
    return module.split(".")[0] in PRODUCT and not module.startswith(PLUMBING) \
        and ".queries" not in module


def _culprit(include_tests: bool) -> str | None:
    """The writer of a flush: the innermost function of a ``services`` module (or of a module's
    ``demo`` or ``jobs``) on the stack, else the innermost function of the product (a view
    that writes is named so), else — only when ``include_tests`` — the test's own code."""
    frame = sys._getframe(1)
    product = fallback = None
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if _product(module):
            if ".services" in module or module.endswith((".demo", ".jobs")):
                return f"{module}:{frame.f_code.co_name}"
            product = product or f"{module}:{frame.f_code.co_name}"
        elif fallback is None and module.startswith("tests") and not module.startswith("tests.audit_guard"):
            fallback = f"{module}:{frame.f_code.co_name}"
        frame = frame.f_back
    return product or (fallback if include_tests else None)


class Guard:
    """Session listeners that collect unaudited transactions into :attr:`violations`.

    ``include_tests=False`` (the whole suite, see tests/conftest.py) judges only writes made
    by the product; a test's own setup rows (factories, direct ``db.session`` changes) are
    not user actions of the product. ``include_tests=True`` (:func:`guard`) judges every write.
    """

    def __init__(self, include_tests: bool):
        self.include_tests = include_tests
        self.key = f"audit_guard_{id(self)}"
        self.violations: list[tuple[str, frozenset[str]]] = []
        self.listeners = (("after_flush", self.after_flush), ("after_commit", self.after_commit),
                          ("after_soft_rollback", self.after_rollback))

    def after_flush(self, session, _ctx):
        state = session.info.setdefault(self.key, {"tables": set(), "who": set(), "audited": False})
        changed = [*session.new, *session.deleted,
                   *(o for o in session.dirty if session.is_modified(o))]
        tables = set()
        for obj in changed:
            if isinstance(obj, AuditLog):
                state["audited"] = True
            elif isinstance(obj, TenantScoped) and obj.__table__.name not in ALLOWED_TABLES:
                tables.add(obj.__table__.name)
        if tables:
            who = _culprit(self.include_tests)
            if who is not None:
                state["tables"] |= tables
                state["who"].add(who)

    def after_commit(self, session):
        state = session.info.pop(self.key, None)
        if state and state["tables"] and not state["audited"]:
            who = sorted(w for w in state["who"] if w not in ALLOWED_SERVICES)
            if who:
                self.violations.append((", ".join(who), frozenset(state["tables"])))

    def after_rollback(self, session, _previous_transaction=None):
        session.info.pop(self.key, None)

    def install(self) -> Guard:
        for name, fn in self.listeners:
            event.listen(TenantSession, name, fn)
        return self

    def remove(self) -> None:
        for name, fn in self.listeners:
            event.remove(TenantSession, name, fn)


@contextlib.contextmanager
def guard() -> Iterator[list[tuple[str, frozenset[str]]]]:
    """Collect unaudited transactions while the block runs, the test's own writes included."""
    watcher = Guard(include_tests=True).install()
    try:
        yield watcher.violations
    finally:
        watcher.remove()


def assert_audited(violations) -> None:
    """Fail with the list of unaudited writes (service: tables)."""
    report = sorted({(who, ", ".join(sorted(tables))) for who, tables in violations})
    assert not report, "unaudited writes:\n" + "\n".join(f"{w}: {t}" for w, t in report)
