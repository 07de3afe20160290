"""Tunables of delivery, each overridable by ``SIECES_<NAME>`` (see docs/notifications.md)."""

from __future__ import annotations

from flask import current_app

DEFAULTS: dict[str, object] = {
    #: rows claimed per transaction.
    "NOTIFICATIONS_BATCH_SIZE": 20,
    #: a claim older than this (seconds) is considered abandoned by a crashed scheduler.
    "NOTIFICATIONS_LEASE_SECONDS": 600,
    #: delivery attempts before a row is marked failed.
    "NOTIFICATIONS_MAX_ATTEMPTS": 5,
    #: first retry delay (seconds); doubles per attempt.
    "NOTIFICATIONS_RETRY_BASE_SECONDS": 60,
    #: longest retry delay (seconds).
    "NOTIFICATIONS_RETRY_MAX_SECONDS": 6 * 3600,
    #: SMTP socket timeout (seconds); must stay well below the lease.
    "NOTIFICATIONS_SMTP_TIMEOUT": 30,
    #: one run of the sending job stops claiming new batches after this many seconds.
    "NOTIFICATIONS_RUN_BUDGET_SECONDS": 50,
    #: local hour (BABEL_DEFAULT_TIMEZONE) at which daily and weekly digests are composed.
    "NOTIFICATIONS_DIGEST_HOUR": 7,
    #: weekday of the weekly digest (0 = Monday).
    "NOTIFICATIONS_DIGEST_WEEKDAY": 0,
    #: TEST ONLY: seconds to wait before each SMTP send (to crash a sender mid-batch).
    "NOTIFICATIONS_TEST_SEND_DELAY": 0,
    #: seconds between scheduler heartbeats.
    "SCHEDULER_HEARTBEAT_SECONDS": 30,
    #: /healthz reports the scheduler "stale" when the last heartbeat is older than this.
    "SCHEDULER_STALE_SECONDS": 120,
    #: seconds between attempts to take the leader lock while waiting for it.
    "SCHEDULER_LOCK_POLL_SECONDS": 5,
}


def setting(name: str):
    """The configured value of ``name``, or its default."""
    value = current_app.config.get(name, DEFAULTS[name])
    if isinstance(value, str):  # a number given as text
        value = float(value) if "." in value else int(value)
    return value
