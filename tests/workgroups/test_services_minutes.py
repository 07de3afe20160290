"""Minutes lifecycle: generated draft, optimistic locking, consultation, comments, adoption,
frozen versions, corrections and diffs."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from coordination import clock
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import tenant_context
from workgroups.models import FrozenVersionChanged, Minutes, MinutesVersion
from workgroups.queries.minutes import diff_rows, render_markdown, sections
from workgroups.services import minutes as services

from .conftest import actor, deliver, group_of, held_meeting


def _draft(world):
    meeting = held_meeting(world, {world.member_ids[3]: "substitute"})
    return meeting, services.create_draft(meeting, group_of(world), actor=actor(world))


def test_draft_generated_from_agenda_and_attendance(region):
    meeting, minutes = _draft(region)
    body = minutes.body
    assert body.startswith(f"# Protokół nr {meeting.label} z posiedzenia Grupy ds. promocji\n")
    assert "## Ad. 1 Otwarcie posiedzenia i stwierdzenie kworum" in body and "## Ad. 4 Sprawy różne" in body
    assert "| 5 | Zofia Żółkiewska | ROPS w Poznaniu | obecność |" in body
    assert "Jan Zastępca (w zastępstwie: Piotr Gęślą)" in body and "Stwierdzono kworum" in body
    assert "Ad. 3 Plan promocji na 2026 r." in sections(body)
    with pytest.raises(DomainError):
        services.create_draft(meeting, group_of(region), actor=actor(region))


def test_markdown_rendering_is_sanitised(region):
    html = str(render_markdown("# Tytuł\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) **ok** "
                               "<img src=x onerror=alert(1)> [dobry](https://example.org)"))
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert '<a href="https://example.org" rel="noopener noreferrer">dobry</a>' in html
    assert "<h2>Tytuł</h2>" in html and "<strong>ok</strong>" in html


def test_optimistic_lock_conflict_keeps_both_texts(region):
    _meeting, minutes = _draft(region)
    v = minutes.lock_version
    services.save_draft(minutes, minutes.body + "\nPierwsza zmiana\n", v, actor=actor(region))
    assert minutes.lock_version == v + 1
    with pytest.raises(services.EditConflict) as err:
        services.save_draft(minutes, "Druga osoba nadpisuje", v, actor=actor(region))
    assert "Pierwsza zmiana" in err.value.theirs and err.value.version == v + 1
    assert "Pierwsza zmiana" in db.session.get(Minutes, minutes.id).body


def test_concurrent_saves_in_two_sessions(app, region):
    """Two editors load version n in separate sessions; the slower one gets a conflict even if
    both pass the version check before either commits (the UPDATE checks lock_version)."""
    _meeting, minutes = _draft(region)
    minutes_id, version = minutes.id, minutes.lock_version
    db.session.commit()
    db.session.remove()
    barrier = threading.Barrier(2, timeout=20)
    results: dict[str, str] = {}

    def editor(name: str, delay: bool):
        with app.test_request_context(), tenant_context(region.tenant_id):
            m = db.session.get(Minutes, minutes_id)
            barrier.wait()
            if delay:
                # let the other editor commit first
                import time
                time.sleep(0.5)
            try:
                services.save_draft(m, f"Tekst od {name}\n", version, actor=None)
                results[name] = "saved"
            except services.EditConflict as exc:
                results[name] = "conflict:" + exc.theirs
            finally:
                db.session.remove()

    threads = [threading.Thread(target=editor, args=("A", False)), threading.Thread(target=editor, args=("B", True))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results["A"] == "saved"
    assert results["B"] == "conflict:Tekst od A\n"
    assert db.session.get(Minutes, minutes_id).body == "Tekst od A\n"


def test_consultation_comments_and_adoption(region, smtp):
    meeting, minutes = _draft(region)
    group = group_of(region)
    with pytest.raises(DomainError):
        services.send_for_comments(minutes, meeting, group, clock.today(), actor=actor(region))
    sent = services.send_for_comments(minutes, meeting, group, clock.today() + timedelta(days=7), actor=actor(region))
    # present with e-mail: Zofia, Łucja, Marek (Piotr substituted but has no e-mail)
    assert sent == 3 and smtp.messages == []  # queued; the scheduler sends them
    assert deliver() == {"sent": 3}
    assert any("uwag" in b for b in smtp.bodies())
    author = actor(region, "member")
    section = next(s for s in sections(minutes.body) if s.startswith("Ad. 2 "))
    comment = services.add_comment(minutes, section, "Proszę dopisać termin gali.", author=author)
    with pytest.raises(DomainError):
        services.add_comment(minutes, "Ad. 2", "  ", author=author)
    later = held_meeting(region, day=clock.today())
    with pytest.raises(DomainError) as err:
        services.adopt(minutes, meeting, "meeting", None, later.id, actor=actor(region))
    assert "1" in err.value.message
    with pytest.raises(DomainError):
        services.resolve_comment(comment, minutes, "rejected", "", actor=actor(region))
    services.resolve_comment(comment, minutes, "accepted", "Dopisano.", actor=actor(region))
    with pytest.raises(DomainError):
        services.adopt(minutes, meeting, "meeting", None, meeting.id, actor=actor(region))
    with pytest.raises(DomainError, match="do .* Protokół można przyjąć po tym dniu"):
        services.adopt(minutes, meeting, "meeting", None, later.id, actor=actor(region))  # comments open
    services.close_comments(minutes, "Posiedzenie przyjmujące protokół odbyło się wcześniej.", actor=actor(region))
    version = services.adopt(minutes, meeting, "meeting", None, later.id, actor=actor(region))
    assert minutes.status == "adopted" and minutes.adopted_on == later.day and version.number == 1
    assert version.body == minutes.body and version.reason == f"Przyjęto na posiedzeniu {later.label}"
    with pytest.raises(DomainError):
        services.save_draft(minutes, "zmiana", minutes.lock_version, actor=actor(region))
    with pytest.raises(DomainError):
        services.add_comment(minutes, "Ad. 1", "za późno", author=author)


def test_adoption_by_circulation_and_frozen_versions(region):
    meeting, minutes = _draft(region)
    with pytest.raises(DomainError):
        services.adopt(minutes, meeting, "circulation", clock.today() + timedelta(days=1), None, actor=actor(region))
    services.adopt(minutes, meeting, "circulation", clock.today(), None, actor=actor(region))
    original = minutes.body
    with pytest.raises(DomainError):
        services.correct(minutes, original + "x", "", minutes.lock_version, actor=actor(region))
    with pytest.raises(DomainError):
        services.correct(minutes, original, "bez zmian", minutes.lock_version, actor=actor(region))
    v2 = services.correct(minutes, original.replace("Sprawy różne", "Wolne wnioski"), "Błąd w nazwie punktu",
                          minutes.lock_version, actor=actor(region))
    assert v2.number == 2 and minutes.body == v2.body
    v1 = db.session.scalar(select(MinutesVersion).where(MinutesVersion.number == 1))
    assert v1.body == original
    rows = diff_rows(v1.body, v2.body)
    changed = [r for r in rows if r.kind != "equal"]
    assert changed and all("Sprawy różne" in (r.old or "") or "Wolne wnioski" in (r.new or "") for r in changed)
    v1.body = "podmiana"
    with pytest.raises(FrozenVersionChanged):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(MinutesVersion, v1.id))
    with pytest.raises(FrozenVersionChanged):
        db.session.flush()
    db.session.rollback()
