"""Preferences and digests: honoured at send time, grouped by region and item, exactly once."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from coordination.errors import DomainError
from coordination.extensions import db
from coordination.notifications import services
from coordination.notifications.rendering import read_unsubscribe_token, unsubscribe_token
from coordination.tenancy import tenant_context
from tests.notifications.conftest import rows, subject


def _schedule(app, tenant_id, kind, email, **kwargs):
    with app.app_context(), tenant_context(tenant_id):
        services.schedule(kind, email, **kwargs)
        db.session.commit()


def _prefs(app, email, **choices):
    with app.app_context():
        services.set_preferences(email, choices)


def _run(app):
    """One scheduler pass: send what is due, compose digests, send them."""
    with app.app_context():
        first = services.send_due()
        composed = services.compose_digests()
        second = services.send_due()
        db.session.remove()
    return first, composed, second


def _text(msg) -> str:
    return msg.get_payload(0).get_payload(decode=True).decode()


def test_mandatory_kinds_cannot_be_turned_off_and_instant_kinds_cannot_be_digested(app):
    with app.app_context():
        with pytest.raises(DomainError):
            services.set_preferences("a@example.org", {"meeting_invitation": "off"})
        with pytest.raises(DomainError):
            services.set_preferences("a@example.org", {"meeting_reminder": "daily"})
        with pytest.raises(DomainError):
            services.set_preferences("a@example.org", {"digest": "off"})
        assert services.set_preferences("a@example.org", {"meeting_invitation": "weekly",
                                                          "meeting_reminder": "off"}) == {
            "meeting_invitation": ["immediate", "weekly"], "meeting_reminder": ["immediate", "off"]}


def test_turned_off_kind_is_skipped_but_mandatory_one_arrives(app, tenants, clock, smtp):
    wlkp = tenants["wielkopolskie"]
    _prefs(app, "ala@example.org", meeting_reminder="off")
    _schedule(app, wlkp, "meeting_reminder", "ala@example.org", object_type="meeting", object_id=1,
              context={"title": "Posiedzenie"})
    _schedule(app, wlkp, "meeting_invitation", "ala@example.org", object_type="meeting", object_id=1,
              context={"title": "Posiedzenie"})
    first, _composed, _second = _run(app)
    assert first == {"skipped": 1, "sent": 1}
    assert [m["message"]["X-Sieci-Notification"] for m in smtp.messages] == ["meeting_invitation"]
    [skipped] = rows(app, status="skipped")
    assert (skipped.kind, skipped.skip_reason) == ("meeting_reminder", "off")


def test_daily_digest_groups_by_region_and_item_and_is_sent_once(app, tenants, clock, smtp):
    wlkp, lodz = tenants["wielkopolskie"], tenants["lodzkie"]
    _prefs(app, "ala@example.org", meeting_invitation="daily", action_overdue="daily")
    starts = datetime(2026, 3, 10, 9, 0)
    _schedule(app, wlkp, "meeting_invitation", "ala@example.org", object_type="meeting",
              object_id=1, context={"title": "Komitet – marzec", "starts_at": starts,
                                    "url": "https://sieci.example.org/wielkopolskie/spotkania/1"})
    _schedule(app, wlkp, "action_overdue", "ala@example.org", object_type="meeting", object_id=1,
              slot="a5", context={"title": "Komitet – marzec"})
    _schedule(app, wlkp, "meeting_invitation", "ala@example.org", object_type="meeting",
              object_id=2, context={"title": "Grupa ds. promocji"})
    _schedule(app, lodz, "meeting_invitation", "ala@example.org", object_type="meeting",
              object_id=3, context={"title": "Sieć OWES"})
    _schedule(app, wlkp, "meeting_invitation", "bob@example.org", object_type="meeting",
              object_id=1, context={"title": "Komitet – marzec"})  # bob: immediately
    # Monday 10:00 Warsaw: due after today's 7:00 digest, so they wait for Tuesday 7:00
    assert _run(app) == ({"digest": 4, "sent": 1}, 0, {})
    clock.advance(hours=20)  # Tuesday 6:00
    assert _run(app) == ({}, 0, {})
    clock.advance(hours=1, minutes=5)  # Tuesday 7:05
    assert _run(app) == ({}, 1, {"sent": 1})
    assert len(smtp.messages) == 2
    digest = next(m["message"] for m in smtp.messages if m["to"] == ["ala@example.org"])
    assert subject(digest) == "Zestawienie powiadomień Sieci ES"
    text = _text(digest)
    assert "Zestawienie dzienne: 4 wiadomości." in text
    # grouped: region, then item, then the lines of that item
    assert text.index("== Województwo łódzkie ==") < text.index("== Województwo wielkopolskie ==")
    wlkp_part = text[text.index("== Województwo wielkopolskie =="):]
    assert wlkp_part.index("Komitet – marzec – https://sieci.example.org/wielkopolskie/spotkania/1") \
        < wlkp_part.index("  * Zaproszenie: Komitet – marzec") \
        < wlkp_part.index("  * Zadanie po terminie: Komitet – marzec") \
        < wlkp_part.index("Grupa ds. promocji")
    assert {r.status for r in rows(app, recipient="ala@example.org")} == {"sent"}
    # the same boundary never produces a second digest; the next one has nothing left
    assert _run(app) == ({}, 0, {})
    clock.advance(days=1)
    assert _run(app) == ({}, 0, {})
    assert len(smtp.messages) == 2


def test_digest_waits_for_its_hour_and_weekly_for_monday(app, tenants, clock, smtp):
    wlkp = tenants["wielkopolskie"]
    _prefs(app, "ala@example.org", announcement="daily")
    _prefs(app, "bob@example.org", announcement="weekly")
    with app.app_context():
        # Monday 10:00 Warsaw; last daily boundary is today 7:00 = 06:00 UTC
        assert services.last_boundary("daily", clock.now) == datetime(2026, 3, 2, 6, 0)
        assert services.last_boundary("weekly", clock.now) == datetime(2026, 3, 2, 6, 0)
        # Sunday 23:00 UTC -> previous Monday for weekly, Sunday 7:00 for daily
        sunday = datetime(2026, 3, 8, 23, 0)
        assert services.last_boundary("daily", sunday) == datetime(2026, 3, 8, 6, 0)
        assert services.last_boundary("weekly", sunday) == datetime(2026, 3, 2, 6, 0)
    for email in ("ala@example.org", "bob@example.org"):
        _schedule(app, wlkp, "announcement", email, object_type="x", object_id=1,
                  context={"title": "Drugi"})
    assert _run(app) == ({"digest": 2}, 0, {})
    clock.advance(hours=20)  # Tuesday 6:00 Warsaw: not yet
    assert _run(app) == ({}, 0, {})
    clock.advance(hours=1, minutes=5)  # Tuesday 7:05 Warsaw: daily digest for ala
    assert _run(app) == ({}, 1, {"sent": 1})
    assert [m["to"] for m in smtp.messages] == [["ala@example.org"]]
    clock.advance(minutes=1)  # due after the digest went out: waits for Wednesday
    _schedule(app, wlkp, "announcement", "ala@example.org", object_type="x", object_id=2,
              context={"title": "Trzeci"})
    assert _run(app) == ({"digest": 1}, 0, {})
    clock.advance(days=1)
    assert _run(app) == ({}, 1, {"sent": 1})
    assert "Trzeci" in _text(smtp.messages[-1]["message"])
    clock.advance(days=5)  # next Monday 7:06: weekly digest for bob
    assert _run(app) == ({}, 1, {"sent": 1})
    assert [m["to"] for m in smtp.messages][-1] == ["bob@example.org"]
    assert "Zestawienie tygodniowe: 1 wiadomość." in _text(smtp.messages[-1]["message"])

def test_cancelled_member_is_left_out_of_the_digest(app, tenants, clock, smtp):
    wlkp = tenants["wielkopolskie"]
    clock.now = datetime(2026, 3, 2, 5, 0)  # 6:00 Warsaw, before the daily digest
    _prefs(app, "ala@example.org", meeting_update="daily")
    for oid in (1, 2):
        _schedule(app, wlkp, "meeting_update", "ala@example.org", object_type="meeting",
                  object_id=oid, context={"title": f"Spotkanie {oid}"})
    _run(app)
    with app.app_context(), tenant_context(wlkp):
        assert services.cancel("meeting_update", object_type="meeting", object_id=2) == 1
        db.session.commit()
    clock.advance(hours=1, minutes=1)
    assert _run(app) == ({}, 1, {"sent": 1})
    text = _text(smtp.messages[0]["message"])
    assert "Spotkanie 1" in text and "Spotkanie 2" not in text


def test_unsubscribe_token_round_trip(app):
    with app.app_context():
        token = unsubscribe_token("ala@example.org", "survey_reminder")
        assert read_unsubscribe_token(token) == ("ala@example.org", "survey_reminder")
        assert read_unsubscribe_token(token[:-2] + "xx") is None
        assert services.unsubscribe("ala@example.org", "survey_reminder") is True
        assert services.unsubscribe("ala@example.org", "survey_invitation") is False  # mandatory
    assert rows(app) == []


def test_unsubscribed_recipient_is_skipped(app, tenants, clock, smtp):
    with app.app_context():
        services.unsubscribe("ala@example.org", "survey_reminder")
    _schedule(app, tenants["wielkopolskie"], "survey_reminder", "ala@example.org",
              object_type="campaign", object_id=1, slot="r1", context={"title": "Ankieta"})
    assert _run(app)[0] == {"skipped": 1}
    assert smtp.messages == []


def test_preferences_are_read_in_one_query_per_batch(app, tenants, clock, smtp, count_queries):
    for i in range(6):
        email = f"p{i}@example.org"
        _prefs(app, email, announcement="off" if i % 2 else "immediate")
        _schedule(app, tenants["wielkopolskie"], "announcement", email, object_type="x",
                  object_id=i, context={"title": "T"})
    with count_queries() as q, app.app_context():
        assert services.send_due(now=clock.now + timedelta(seconds=1)) == {"skipped": 3, "sent": 3}
    # claim (2) + load rows, prefs, users, tenants (4) + per row: skip (1) or start+sent (2);
    # every committing write adds the page-cache generation bump (claim, skip, start, sent)
    assert q.count <= 6 + 1 + 3 * 1 * 2 + 3 * 2 * 2 + 4
