"""Scheduling and delivery in-process, against the real SMTP server, with a fake clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from coordination.auth.models import User
from coordination.extensions import db
from coordination.notifications import services
from coordination.notifications.kinds import UnknownKind, before_send
from coordination.notifications.models import Notification
from coordination.tenancy import tenant_context
from tests.notifications.conftest import message_ids, rows, subject

MEETING = {"object_type": "meeting", "object_id": 7}


@pytest.fixture
def people(make_user, app):
    ids = {
        "ala": make_user("ala@example.org", "member", name="Ala Nowak"),
        "bob": make_user("bob@example.org", "member", name="Bob Smith"),
    }
    with app.app_context():
        db.session.get(User, ids["bob"]).locale = "en"
        db.session.commit()
        db.session.remove()
    return ids


def _schedule(app, tenant_id, kind, email, **kwargs):
    with app.app_context(), tenant_context(tenant_id):
        services.schedule(kind, email, **kwargs)
        db.session.commit()
        db.session.remove()


def _send(app, **kwargs):
    with app.app_context():
        out = services.send_due(**kwargs)
        db.session.remove()
    return out


def test_schedule_is_idempotent_and_revives_cancelled(app, tenants, people, clock):
    wlkp = tenants["wielkopolskie"]
    for _ in range(3):
        _schedule(app, wlkp, "meeting_reminder", "ALA@example.org", slot="1d",
                  due_at=clock.now + timedelta(days=1), context={"title": "Posiedzenie"}, **MEETING)
    [row] = rows(app)
    assert (row.recipient, row.user_id, row.tenant_id, row.status) == (
        "ala@example.org", people["ala"], wlkp, "pending")
    with app.app_context(), tenant_context(wlkp):
        assert services.cancel("meeting_reminder", **MEETING) == 1
        db.session.commit()
    assert rows(app)[0].status == "cancelled"
    _schedule(app, wlkp, "meeting_reminder", "ala@example.org", slot="1d",
              due_at=clock.now + timedelta(days=2), context={"title": "Nowy termin"}, **MEETING)
    [row] = rows(app)
    assert row.status == "pending"
    assert row.due_at == clock.now + timedelta(days=2)
    assert row.context == {"title": "Nowy termin"}


def test_unknown_kind_is_refused(app, tenants, people):
    with pytest.raises(UnknownKind):
        _schedule(app, tenants["wielkopolskie"], "no_such_kind", "ala@example.org")


def test_time_travel_sends_when_due_in_the_recipients_language(app, tenants, people, clock, smtp):
    wlkp = tenants["wielkopolskie"]
    starts = datetime(2026, 3, 9, 9, 0)  # 10:00 in Warsaw
    for email in ("ala@example.org", "bob@example.org"):
        _schedule(app, wlkp, "meeting_reminder", email, slot="7d", due_at=clock.now + timedelta(days=1),
                  context={"title": "Posiedzenie RKRES", "starts_at": starts, "place": "Poznań",
                           "url": "https://sieci.example.org/wielkopolskie/"}, **MEETING)
    assert _send(app) == {}
    assert smtp.messages == []
    clock.advance(hours=23, minutes=59)
    assert _send(app) == {}
    clock.advance(minutes=1)
    assert _send(app) == {"sent": 2}
    by_to = {m["to"][0]: m["message"] for m in smtp.messages}
    pl, en = by_to["ala@example.org"], by_to["bob@example.org"]
    assert subject(pl) == "Przypomnienie: Posiedzenie RKRES"
    assert subject(en) == "Reminder: Posiedzenie RKRES"
    body_pl = pl.get_payload(0).get_payload(decode=True).decode()
    assert body_pl.splitlines()[0] == "Dzień dobry," and "Ala Nowak" not in body_pl  # no full name
    assert "9 marca 2026, 10:00" in body_pl
    assert "Poznań" in body_pl
    body_en = en.get_payload(0).get_payload(decode=True).decode()
    assert "Hello Bob Smith" in body_en and "9 March 2026, 10:00" in body_en
    # optional kind: unsubscribe link in the text and in the List-Unsubscribe header
    assert "/powiadomienia/wypisz/" in body_pl and pl["List-Unsubscribe"].strip().startswith(
        "<https://sieci.example.org/powiadomienia/wypisz/")
    sent = rows(app)
    assert {r.status for r in sent} == {"sent"}
    assert {r.message_id for r in sent} == set(message_ids(smtp))
    assert all(r.sent_at == clock.now and r.attempts == 1 for r in sent)
    # nothing is sent twice, however often the job runs
    clock.advance(days=3)
    assert _send(app) == {}
    assert len(smtp.messages) == 2


def test_html_part_escapes_values(app, tenants, people, clock, smtp):
    _schedule(app, tenants["wielkopolskie"], "meeting_invitation", "ala@example.org",
              context={"title": "<script>alert(1)</script>"}, **MEETING)
    assert _send(app) == {"sent": 1}
    msg = smtp.messages[0]["message"]
    html = msg.get_payload(1).get_payload(decode=True).decode()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert msg["List-Unsubscribe"] is None  # mandatory kind: no unsubscribe link
    assert "wypisz" not in html


def test_reschedule_moves_pending_rows(app, tenants, people, clock, smtp):
    wlkp = tenants["wielkopolskie"]
    _schedule(app, wlkp, "meeting_reminder", "ala@example.org", slot="1d",
              due_at=clock.now + timedelta(hours=1), context={"title": "A"}, **MEETING)
    with app.app_context(), tenant_context(wlkp):
        assert services.reschedule("meeting_reminder", **MEETING, slot="1d",
                                   due_at=clock.now + timedelta(days=2)) == 1
        db.session.commit()
    clock.advance(hours=2)
    assert _send(app) == {}
    clock.advance(days=2)
    assert _send(app) == {"sent": 1}


def test_transient_failures_back_off_then_fail_visibly(app, tenants, people, clock, picky_smtp):
    _schedule(app, tenants["wielkopolskie"], "announcement", "tempfail@example.org",
              context={"title": "Komunikat"})
    delays = []
    for attempt in range(1, 6):
        assert _send(app) == {"retry" if attempt < 5 else "failed": 1}
        [row] = rows(app)
        assert row.attempts == attempt
        assert "451" in row.last_error
        if attempt < 5:
            assert row.status == "pending"
            delays.append(row.next_attempt_at - clock.now)
            assert _send(app) == {}  # not before the backoff
            clock.now = row.next_attempt_at
    assert delays == [timedelta(seconds=60 * 2 ** i) for i in range(4)]
    assert row.status == "failed"
    assert picky_smtp.messages == []
    # a coordinator retries it: queued again with a fresh attempt count
    with app.app_context():
        services.retry(db.session.get(Notification, row.id), actor=None)
    [row] = rows(app)
    assert (row.status, row.attempts) == ("pending", 0)


def test_permanent_rejection_fails_at_once(app, tenants, people, clock, picky_smtp):
    _schedule(app, tenants["wielkopolskie"], "announcement", "nouser@example.org",
              context={"title": "Komunikat"})
    _schedule(app, tenants["wielkopolskie"], "announcement", "ala@example.org",
              context={"title": "Komunikat"})
    assert _send(app) == {"failed": 1, "sent": 1}
    failed = rows(app, status="failed")
    assert failed[0].recipient == "nouser@example.org" and "550" in failed[0].last_error
    assert len(picky_smtp.messages) == 1


def test_before_send_check_can_skip_obsolete_rows(app, tenants, people, clock, smtp):
    answered = {"ala@example.org"}

    @before_send("survey_reminder")
    def _only_non_respondents(row):
        return None if row.recipient in answered else row.context

    try:
        for email in ("ala@example.org", "bob@example.org"):
            _schedule(app, tenants["wielkopolskie"], "survey_reminder", email, slot="r1",
                      object_type="campaign", object_id=3, context={"title": "Ankieta 2026"})
        assert _send(app) == {"sent": 1, "skipped": 1}
    finally:
        from coordination.notifications.kinds import CHECKS

        CHECKS.pop("survey_reminder", None)
    assert [m["to"] for m in smtp.messages] == [["bob@example.org"]]
    assert rows(app, recipient="ala@example.org")[0].skip_reason == "obsolete"


def test_abandoned_claim_is_reclaimed_after_the_lease(app, tenants, people, clock, smtp):
    """A worker died after claiming (before SMTP): another sends it once the lease expires."""
    _schedule(app, tenants["wielkopolskie"], "announcement", "ala@example.org",
              context={"title": "Komunikat"})
    with app.app_context():
        assert len(services.claim_due("dead-worker:1", limit=10, now=clock.now)) == 1
    assert _send(app) == {}  # still leased to the dead worker
    clock.advance(seconds=601)
    assert _send(app, worker="live:2") == {"sent": 1}
    [row] = rows(app)
    assert (row.claimed_by, row.status, row.attempts) == ("live:2", "sent", 1)


def test_crash_during_smtp_resends_with_the_same_message_id(app, tenants, people, clock, smtp):
    """The documented window: SMTP started, outcome unknown -> resent with the same Message-ID."""
    _schedule(app, tenants["wielkopolskie"], "announcement", "ala@example.org",
              context={"title": "Komunikat"})
    assert _send(app) == {"sent": 1}
    first = smtp.messages[0]["message"]["Message-ID"]
    with app.app_context():  # pretend the sender died before recording "sent"
        db.session.execute(update(Notification).values(
            status="sending", sent_at=None, claimed_by="dead:1", claimed_at=clock.now,
            smtp_started_at=clock.now))
        db.session.commit()
    clock.advance(minutes=11)
    assert _send(app) == {"sent": 1}
    assert message_ids(smtp) == {first: 2}  # a detectable duplicate, never a lost message


def test_lost_lease_is_not_sent(app, tenants, people, clock, smtp):
    _schedule(app, tenants["wielkopolskie"], "announcement", "ala@example.org",
              context={"title": "Komunikat"})
    with app.app_context():
        ids = services.claim_due("slow:1", limit=10, now=clock.now)
        clock.advance(minutes=11)
        services.claim_due("fast:2", limit=10, now=clock.now)  # takes the expired lease
        outcome = services.deliver_claimed(ids, "slow:1")
        db.session.remove()
    assert dict(outcome) == {}  # the slow worker no longer owns the row
    assert smtp.messages == []


def test_stop_releases_the_rest_of_the_batch(app, tenants, people, clock, smtp):
    for i in range(3):
        _schedule(app, tenants["wielkopolskie"], "announcement", "ala@example.org",
                  object_type="demo", object_id=i, context={"title": f"K{i}"})
    calls = iter([False, True])
    with app.app_context():
        ids = services.claim_due("w:1", limit=10, now=clock.now)
        out = services.deliver_claimed(ids, "w:1", stop=lambda: next(calls, True))
        db.session.remove()
    assert dict(out) == {"sent": 1}
    assert sorted(r.status for r in rows(app)) == ["pending", "pending", "sent"]
    assert all(r.claimed_by is None for r in rows(app, status="pending"))


def test_send_due_query_count_does_not_grow_with_rows(app, tenants, people, clock, smtp,
                                                      count_queries):
    def batch(n, offset):
        for i in range(n):
            _schedule(app, tenants["wielkopolskie"], "announcement", "ala@example.org",
                      object_type="q", object_id=offset + i, context={"title": "Q"})
        with count_queries() as q:
            assert _send(app, batch_size=50) == {"sent": n}
        return q.count

    small, large = batch(2, 0), batch(12, 100)
    # a fixed number of queries per batch + two commits per message ("started", "sent"), each
    # one write
    assert large - small == (12 - 2) * 2
