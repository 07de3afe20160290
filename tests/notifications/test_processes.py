"""Real scheduler processes on this lane's database (same PostgreSQL database / SQLite file).

* two concurrent senders, 200 due messages: each arrives exactly once (by Message-ID);
* a sender killed with SIGKILL mid-batch, then restarted: nothing lost, nothing duplicated;
* ``scheduler run`` killed with SIGKILL inside an SMTP exchange (the SMTP server already holds
  the message) or between two messages, then restarted: nothing lost; the message that was
  inside the SMTP exchange, and only that one, arrives twice, with the same Message-ID;
* SIGTERM mid-batch: the message in flight finishes, the rest of the batch is given back;
* the leader lock: a second ``scheduler run --no-wait`` exits, a waiting one takes over.

Everything on 127.0.0.1, every wait bounded.
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from email.utils import parseaddr

import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.notifications import services
from coordination.notifications.models import Notification, SchedulerHeartbeat
from coordination.tenancy import tenant_context
from tests.notifications.conftest import message_ids, rows, until

SEND_DUE = "coordination.notifications.jobs.send_due"


def _seed(app, tenants, n: int) -> None:
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        for i in range(n):
            services.schedule("announcement", f"osoba{i:03d}@example.org", object_type="demo",
                              object_id=i, context={"title": f"Komunikat {i}"})
        db.session.commit()
        db.session.remove()


def _statuses(app) -> Counter:
    return Counter(r.status for r in rows(app))


def _assert_each_once(app, smtp, n: int) -> None:
    ids = message_ids(smtp)
    assert len(ids) == n, f"{len(ids)} distinct messages arrived, expected {n}"
    assert set(ids.values()) == {1}, f"duplicates: {[k for k, v in ids.items() if v > 1]}"
    sent = rows(app)
    assert {r.status for r in sent} == {"sent"}
    assert {r.message_id for r in sent} == set(ids)


def test_two_concurrent_senders_deliver_each_message_exactly_once(app, tenants, smtp, flask_cmd):
    _seed(app, tenants, 200)
    workers = [flask_cmd("scheduler", "job", SEND_DUE, NOTIFICATIONS_BATCH_SIZE=10,
                         NOTIFICATIONS_TEST_SEND_DELAY=0.04) for _ in range(2)]
    for proc in workers:
        assert proc.finish(timeout=180) == 0, proc.output
    _assert_each_once(app, smtp, 200)
    by_worker = Counter(r.claimed_by.rsplit(":", 1)[1] for r in rows(app))
    assert set(by_worker) == {str(p.pid) for p in workers}, by_worker  # both really worked
    assert sum(by_worker.values()) == 200


def test_killed_sender_restarted_loses_and_duplicates_nothing(app, tenants, smtp, flask_cmd):
    _seed(app, tenants, 30)
    victim = flask_cmd("scheduler", "job", SEND_DUE, NOTIFICATIONS_BATCH_SIZE=10,
                       NOTIFICATIONS_TEST_SEND_DELAY=2)

    def in_flight():
        """One message sent and the next one started (the sender sits in its 2 s delay)."""
        started = [r for r in rows(app, status="sending") if r.smtp_started_at is not None]
        return len(smtp.messages) >= 1 and started and \
            started[0].message_id not in message_ids(smtp)

    until(in_flight, 90, "the second message to be in flight")
    victim.popen.send_signal(signal.SIGKILL)
    assert victim.finish(timeout=30) == -signal.SIGKILL
    before = _statuses(app)
    assert before["sent"] == len(smtp.messages) >= 1
    assert before["sending"] == 10 - before["sent"]  # the rest of the claimed batch
    assert before["pending"] == 20
    # restart; the abandoned lease is taken over at once (the lease setting stands in for the
    # 10 minutes a real restart would wait)
    survivor = flask_cmd("scheduler", "job", SEND_DUE, NOTIFICATIONS_LEASE_SECONDS=0)
    assert survivor.finish(timeout=120) == 0, survivor.output
    assert "outcome unknown, resending with the same Message-ID" in survivor.output
    _assert_each_once(app, smtp, 30)


#: the scheduler's batch of the kill tests, and the message at which it is killed.
KILL_BATCH, KILL_AT = 12, 5


@pytest.mark.parametrize("moment", ["inside_smtp", "between_messages"])
def test_scheduler_killed_mid_batch_resends_at_most_the_message_in_flight(app, tenants, smtp, flask_cmd,
                                                                        monkeypatch, moment):
    """The documented window, proved at both ends: ``flask scheduler run`` is killed with
    SIGKILL while it sends a batch to a real SMTP server, then restarted.

    * ``inside_smtp``: the SMTP server receives message KILL_AT and kills the scheduler before
      answering — the server holds the message, the scheduler never learns it left (what a kill
      between the server's "250 OK" and the row's update does). Exactly that message arrives
      twice, with the same Message-ID; every other message exactly once.
    * ``between_messages``: killed while message KILL_AT is started but not yet handed to SMTP
      (the test send delay). Every message arrives exactly once.
    """
    _seed(app, tenants, KILL_BATCH)
    victim: dict = {}
    original = smtp.handle_DATA

    async def handle_data(server, session, envelope):
        reply = await original(server, session, envelope)
        if moment == "inside_smtp" and len(smtp.messages) == KILL_AT:
            os.kill(victim["pid"], signal.SIGKILL)  # before the scheduler reads the reply
        return reply

    monkeypatch.setattr(smtp, "handle_DATA", handle_data)
    sched = flask_cmd("scheduler", "run", NOTIFICATIONS_BATCH_SIZE=KILL_BATCH,
                      NOTIFICATIONS_TEST_SEND_DELAY=0.5 if moment == "between_messages" else 0)
    victim["pid"] = sched.pid
    if moment == "between_messages":
        until(lambda: len(smtp.messages) == KILL_AT - 1 and any(
            r.smtp_started_at is not None and r.message_id not in message_ids(smtp)
            for r in rows(app, status="sending")), 90, f"message {KILL_AT} to be started")
        sched.popen.send_signal(signal.SIGKILL)
    assert sched.finish(timeout=90) == -signal.SIGKILL, sched.output
    before = _statuses(app)
    in_flight = [r for r in rows(app, status="sending") if r.smtp_started_at is not None]
    assert before["sent"] == KILL_AT - 1 and len(in_flight) == 1, before
    received_before = len(smtp.messages)
    assert received_before == (KILL_AT if moment == "inside_smtp" else KILL_AT - 1)

    # restart; the abandoned lease is taken over at once (the lease setting stands in for the
    # 10 minutes a real restart waits)
    restarted = flask_cmd("scheduler", "run", NOTIFICATIONS_LEASE_SECONDS=0)
    until(lambda: _statuses(app)["sent"] == KILL_BATCH, 90, "every message to be sent")
    restarted.popen.send_signal(signal.SIGTERM)
    assert restarted.finish(timeout=60) == 0, restarted.output
    assert "outcome unknown, resending with the same Message-ID" in restarted.output
    arrived = message_ids(smtp)
    duplicates = {mid: n for mid, n in arrived.items() if n > 1}
    print(f"scheduler SIGKILL {moment}: {KILL_BATCH} queued, {len(arrived)} distinct delivered, "
          f"{sum(arrived.values())} SMTP deliveries, duplicates {sorted(duplicates.values())}")
    assert len(arrived) == KILL_BATCH  # none lost
    assert {r.message_id for r in rows(app)} == set(arrived)
    if moment == "inside_smtp":
        assert duplicates == {in_flight[0].message_id: 2}  # exactly the one in flight, twice
    else:
        assert duplicates == {}
    assert {parseaddr(m["message"]["To"])[1] for m in smtp.messages} == {
        r.recipient for r in rows(app)}


def test_sigterm_finishes_the_message_in_flight_and_gives_back_the_rest(app, tenants, smtp,
                                                                        flask_cmd):
    _seed(app, tenants, 10)
    sched = flask_cmd("scheduler", "run", NOTIFICATIONS_BATCH_SIZE=10,
                      NOTIFICATIONS_TEST_SEND_DELAY=1)
    until(lambda: len(smtp.messages) >= 1, 90, "the first message")
    sched.popen.send_signal(signal.SIGTERM)
    assert sched.finish(timeout=60) == 0, sched.output
    assert "scheduler stopped" in sched.output
    state = _statuses(app)
    assert state["sending"] == 0
    assert state["sent"] == len(smtp.messages) and state["sent"] + state["pending"] == 10
    assert all(r.claimed_by is None for r in rows(app, status="pending"))
    rest = flask_cmd("scheduler", "job", SEND_DUE)
    assert rest.finish(timeout=120) == 0, rest.output
    _assert_each_once(app, smtp, 10)


def _heartbeat_pid(app):
    with app.app_context():
        row = db.session.scalar(select(SchedulerHeartbeat))
        db.session.remove()
    return row.pid if row else None


def test_leader_lock_second_scheduler_exits_or_waits(app, tenants, smtp, flask_cmd):
    leader = flask_cmd("scheduler", "run", SCHEDULER_LOCK_POLL_SECONDS=0.2)
    until(lambda: _heartbeat_pid(app) == leader.pid, 90, "the leader's heartbeat")
    refused = flask_cmd("scheduler", "run", "--no-wait")
    assert refused.finish(timeout=60) == 3
    assert "Another scheduler process is running" in refused.output
    waiting = flask_cmd("scheduler", "run", "--once", SCHEDULER_LOCK_POLL_SECONDS=0.2)
    waiting.wait_for("waiting for it")
    _seed(app, tenants, 3)  # the waiting scheduler will send these once it leads
    leader.popen.send_signal(signal.SIGTERM)
    assert leader.finish(timeout=60) == 0, leader.output
    assert waiting.finish(timeout=120) == 0, waiting.output
    assert "leader lock acquired" in waiting.output
    assert f"job {SEND_DUE} done" in waiting.output
    assert _heartbeat_pid(app) == waiting.pid
    with app.app_context():
        assert db.session.scalar(select(Notification.status).distinct()) == "sent"
        db.session.remove()
    _assert_each_once(app, smtp, 3)
