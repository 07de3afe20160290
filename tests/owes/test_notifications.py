"""OWES notifications through the queue: consultation opened / closing / outcome and expiring
accreditations — real SMTP server, injectable clock (no sleeps), recipients, languages,
idempotence and preferences."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select, update

from coordination.auth.models import User
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.notifications import services as notify
from coordination.notifications.models import Notification
from coordination.tenancy import tenant_context
from owes.models import ConsultationComment, ConsultationRound, Owes
from owes.services import evaluation
from tests.notifications.conftest import subject
from tests.owes.conftest import REGION

COMMITTEE_EMAIL = "komitet@example.org"


@pytest.fixture
def people(app, world, make_user, make_group):
    """The OWES user speaks English; a committee member with an account; a former one."""
    from workgroups.models import GroupMember

    committee = make_group("Regionalny Komitet Rozwoju ES", kind="committee")
    ids = {"committee": make_user(COMMITTEE_EMAIL, "member", name="Zofia Komitet"),
           "former": make_user("byly@example.org", "member", name="Były Członek")}
    with app.app_context(), tenant_context(world.tenant_id):
        db.session.get(User, world.users["owes"]).locale = "en"
        db.session.add_all([
            GroupMember(group_id=committee, user_id=ids["committee"], full_name="Zofia Komitet",
                        email=COMMITTEE_EMAIL, date_from=date(2025, 1, 1)),
            GroupMember(group_id=committee, user_id=ids["former"], full_name="Były Członek",
                        email="byly@example.org", date_from=date(2020, 1, 1), date_to=date(2024, 12, 31)),
        ])
        db.session.commit()
        db.session.remove()
    return {**world.users, **ids}


def _send(app) -> dict:
    with app.app_context():
        out = notify.send_due()
        db.session.remove()
    return out


def _delivered(smtp, kind: str) -> dict[str, object]:
    """recipient -> message, for the messages of ``kind`` (each recipient at most once)."""
    found = [m for m in smtp.messages if m["message"]["X-Sieci-Notification"] == kind]
    by_rcpt = {m["to"][0]: m["message"] for m in found}
    assert len(by_rcpt) == len(found), "a recipient got the same notification twice"
    return by_rcpt


def _text(msg) -> str:
    part = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def _rows(app, kind: str) -> list[Notification]:
    with app.app_context():
        found = list(db.session.scalars(select(Notification).where(Notification.kind == kind)
                                        .order_by(Notification.id)))
        db.session.expunge_all()
        db.session.remove()
    return found


def _open_round(app, world, **dates) -> int:
    with app.test_request_context(), tenant_context(world.tenant_id):
        coord = db.session.get(User, world.users["coordinator"])
        study = evaluation.save_study(None, {"kind": "midterm", "owes_id": world.owes_id,
                                             "title": "Ewaluacja śródokresowa OWES",
                                             "evaluator": "Zespół"}, actor=coord)
        rnd = evaluation.open_round(study, {"opens_on": dates.get("opens_on", date(2026, 3, 4)),
                                            "closes_on": dates.get("closes_on", date(2026, 3, 13)),
                                            "participants": ["rops", "owes", "monitoring_group"]},
                                    actor=coord)
        rid = rnd.id
        db.session.remove()
    return rid


def _comment_and_close(app, world, rid: int) -> int:
    with app.test_request_context(), tenant_context(world.tenant_id):
        rnd = db.session.get(ConsultationRound, rid)
        day = date(2026, 3, 10)
        for who, text in (("member", "Brak danych o powiecie"), ("owes", "Zła liczba PES"),
                          ("owes", "Literówka w tabeli 3")):
            evaluation.add_comment(rnd, {"section": "Rozdział 2", "page": "7", "comment": text},
                                   actor=db.session.get(User, world.users[who]), today=day)
        coord = db.session.get(User, world.users["coordinator"])
        comments = db.session.scalars(select(ConsultationComment).order_by(ConsultationComment.id)).all()
        evaluation.answer_comment(comments[0], rnd, "partly", "Dane z 2019 r.", actor=coord)
        evaluation.answer_comment(comments[1], rnd, "rejected", "Liczba zgodna ze sprawozdaniem", actor=coord)
        evaluation.answer_comment(comments[2], rnd, "accepted", "", actor=coord)
        study = db.session.get(evaluation.Study, rnd.study_id)
        n = evaluation.close_round(rnd, study, actor=coord)
        db.session.remove()
    return n


def test_consultation_round_notifications_arrive_once_to_the_right_people(app, world, people, clock, smtp):
    rid = _open_round(app, world)
    # nothing before 8:00 (Warsaw) of the opening day
    assert _send(app) == {}
    clock.now = datetime(2026, 3, 4, 7, 1)
    assert _send(app) == {"sent": 3}
    opened = _delivered(smtp, "consultation_opened")
    # coordinators, the users bound to the evaluated OWES, current committee members — nobody else
    assert sorted(opened) == sorted(["koord@example.org", "owes1@example.org", COMMITTEE_EMAIL])
    assert subject(opened["koord@example.org"]) == "Otwarto konsultacje: Ewaluacja śródokresowa OWES"
    assert subject(opened["owes1@example.org"]) == "Consultation opened: Ewaluacja śródokresowa OWES"
    assert "13 marca 2026" in _text(opened["koord@example.org"])
    assert "13 March 2026" in _text(opened["owes1@example.org"])
    assert f"/{REGION}/owes/konsultacje/{rid}" in _text(opened[COMMITTEE_EMAIL])
    assert opened[COMMITTEE_EMAIL]["List-Unsubscribe"]  # an optional kind
    assert _send(app) == {}  # exactly once

    clock.now = datetime(2026, 3, 10, 7, 1)  # 8:00 three days before the last day
    assert _send(app) == {"sent": 3}
    closing = _delivered(smtp, "consultation_closing")
    assert sorted(closing) == sorted(opened)
    assert "Konsultacje wkrótce się kończą" in subject(closing["koord@example.org"])

    assert _comment_and_close(app, world, rid) == 2
    assert _send(app) == {"sent": 2}
    assert _send(app) == {}
    outcome = _delivered(smtp, "consultation_outcome")
    assert sorted(outcome) == ["czlonek@example.org", "owes1@example.org"]
    pl, en = _text(outcome["czlonek@example.org"]), _text(outcome["owes1@example.org"])
    assert "Brak danych o powiecie" in pl and "uwzględniona częściowo" in pl and "Dane z 2019 r." in pl
    assert "Zła liczba PES" not in pl  # only the recipient's own comments
    assert "Zła liczba PES" in en and "rejected" in en and "Liczba zgodna ze sprawozdaniem" in en
    assert "Literówka w tabeli 3" in en and "accepted" in en
    assert len(smtp.messages) == 8


def test_closing_early_cancels_the_pending_notices(app, world, people, clock, smtp):
    rid = _open_round(app, world, opens_on=date(2026, 3, 2), closes_on=date(2026, 3, 20))
    assert _send(app) == {"sent": 3}  # opened today: due at once
    _comment_and_close(app, world, rid)
    assert {r.status for r in _rows(app, "consultation_closing")} == {"cancelled"}
    clock.now = datetime(2026, 3, 17, 7, 1)
    assert _send(app) == {"sent": 2}  # only the outcome
    assert _delivered(smtp, "consultation_closing") == {}


def test_rounds_entered_after_the_fact_and_short_rounds(app, world, people, clock):
    _open_round(app, world, opens_on=date(2025, 3, 1), closes_on=date(2025, 3, 20))
    assert _rows(app, "consultation_opened") == []
    _open_round(app, world, opens_on=date(2026, 3, 4), closes_on=date(2026, 3, 6))
    assert len(_rows(app, "consultation_opened")) == 3
    assert _rows(app, "consultation_closing") == []  # "closes soon" would come before the opening


def _set_accreditation(app, world, ends: date) -> None:
    with app.app_context(), tenant_context(world.tenant_id):
        db.session.execute(update(Owes).where(Owes.id == world.owes_id).values(accredited_to=ends))
        db.session.commit()
        db.session.remove()


def _scan(app) -> int:
    with app.app_context():
        from owes import jobs

        n = jobs.scan_expiring_accreditations()
        db.session.remove()
    return n


def test_accreditation_expiring_job_is_idempotent_and_reaches_coordinators_and_bound_users(
        app, world, people, clock, smtp):
    _set_accreditation(app, world, date(2026, 6, 15))  # 105 days ahead
    assert _scan(app) == 0
    clock.advance(days=20)  # 85 days left: the 90-day notice
    assert _scan(app) == 2
    assert _scan(app) == 2  # the same rows: nothing new
    rows = _rows(app, "accreditation_expiring")
    assert sorted((r.recipient, r.slot) for r in rows) == [
        ("koord@example.org", "90d:2026-06-15"), ("owes1@example.org", "90d:2026-06-15")]
    assert _send(app) == {"sent": 2}
    sent = _delivered(smtp, "accreditation_expiring")
    assert subject(sent["koord@example.org"]) == "Akredytacja wkrótce wygasa: OWES Pierwszy"
    assert subject(sent["owes1@example.org"]) == "Accreditation expires soon: OWES Pierwszy"
    assert "15 czerwca 2026" in _text(sent["koord@example.org"])
    assert sent["koord@example.org"]["List-Unsubscribe"] is None  # mandatory: no unsubscribe link
    clock.advance(days=40)  # 45 days left: still the 90-day notice, already sent
    assert _scan(app) == 2
    assert _send(app) == {}
    clock.advance(days=20)  # 25 days left: the 30-day notice
    _scan(app)
    _scan(app)
    assert _send(app) == {"sent": 2}
    assert len(_rows(app, "accreditation_expiring")) == 4
    assert len(smtp.messages) == 4


def test_renewed_accreditation_drops_the_pending_notice(app, world, people, clock, smtp):
    _set_accreditation(app, world, date(2026, 4, 1))
    assert _scan(app) == 2
    _set_accreditation(app, world, date(2029, 12, 31))  # renewed before the scheduler ran
    assert _send(app) == {"skipped": 2}
    assert {r.skip_reason for r in _rows(app, "accreditation_expiring")} == {"obsolete"}
    assert smtp.messages == []


def test_preferences_are_honoured(app, world, people, clock, smtp):
    with app.app_context():
        notify.set_preferences("owes1@example.org", {"consultation_opened": "off"})
        notify.set_preferences("koord@example.org", {"accreditation_expiring": "daily"})
        with pytest.raises(DomainError):  # a mandatory kind cannot be turned off
            notify.set_preferences("koord@example.org", {"accreditation_expiring": "off"})
        db.session.commit()
        db.session.remove()
    _open_round(app, world, opens_on=date(2026, 3, 2))
    _set_accreditation(app, world, date(2026, 4, 1))
    _scan(app)
    out = _send(app)
    assert out == {"sent": 3, "skipped": 1, "digest": 1}
    assert sorted(_delivered(smtp, "consultation_opened")) == sorted(["koord@example.org", COMMITTEE_EMAIL])
    assert list(_delivered(smtp, "accreditation_expiring")) == ["owes1@example.org"]
    clock.now = datetime(2026, 3, 3, 6, 30)  # 7:30 in Warsaw: the daily digest is due
    with app.app_context():
        assert notify.compose_digests() == 1
        db.session.remove()
    _send(app)
    digest = _delivered(smtp, "digest")
    assert "OWES Pierwszy" in _text(digest["koord@example.org"])
