"""Privacy services: the export walk, erasure, the register after a restore, retention."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from coordination.audit import AuditLog
from coordination.auth.models import Membership, User
from coordination.errors import DomainError
from coordination.exports.models import ExportJob
from coordination.extensions import db
from coordination.notifications.models import Notification
from coordination.tenancy import all_tenants, tenant_context
from privacy import queries, services
from privacy.exports import write_person_zip
from privacy.models import ErasureRecord
from surveys.models import Respondent, Response
from workgroups.models import GroupMember, MinutesComment, MinutesVersion, RsvpLink


def _zip(tenant_id, params) -> zipfile.ZipFile:
    buf = io.BytesIO()
    write_person_zip(buf, tenant_id, params)
    buf.seek(0)
    return zipfile.ZipFile(buf)


def test_export_walk_covers_every_table_linked_to_a_person(app, world):
    """Walk the schema independently: every table with a foreign key to an account or a
    group membership has its JSON file in the export (new modules join automatically)."""
    with app.app_context():
        expected = set()
        for table in db.metadata.sorted_tables:
            for fk in table.foreign_keys:
                if fk.column.table.name in ("user_account", "group_member"):
                    expected.add(table.name)
        expected -= {"group_member"}  # the person table itself is always there
        archive = _zip(None, {"user_id": world.anna})
        names = {n.removesuffix(".json") for n in archive.namelist() if n.endswith(".json")}
    missing = expected - names
    assert not missing, f"tables linked to a person missing from the export: {sorted(missing)}"
    assert {"user_account", "group_member", "audit_log", "survey_respondent"} <= names
    assert len(expected) >= 20  # 23 when written (the figure in the note)


def test_export_contains_the_persons_rows_and_no_secrets(app, world):
    with app.app_context():
        archive = _zip(None, {"user_id": world.anna})
        account = json.loads(archive.read("user_account.json"))
        assert account[0]["email"] == "anna.nowak@example.org"
        assert "password_hash" not in account[0]
        assert [m["full_name"] for m in json.loads(archive.read("group_member.json"))] == ["Anna Nowak"]
        attendance = json.loads(archive.read("attendance.json"))
        assert [a["status"] for a in attendance] == ["present"]  # not Bogdan's
        assert json.loads(archive.read("minutes_comment.json"))[0]["body"] == "Uwaga Anny"
        respondents = json.loads(archive.read("survey_respondent.json"))
        assert respondents[0]["email"] == "anna.nowak@example.org" and "token_hash" not in respondents[0]
        # whoever downloads the copy (the coordinator) must not learn whether or how she answered
        assert not {"completed", "completed_on", "completion_shown", "draft", "reminders",
                    "reminded_at"} & set(respondents[0])
        assert "survey_reminder" not in {n["kind"] for n in json.loads(archive.read("notification.json"))}
        assert json.loads(archive.read("audit_log.json"))[0]["action"] == "test.change"
        sheets = CalamineWorkbook.from_filelike(io.BytesIO(archive.read("dane.xlsx"))).sheet_names
        assert "Konto użytkownika" in sheets and "Obecność na posiedzeniach" in sheets


def test_contact_export_is_limited_to_the_region(app, world, tenants):
    with app.app_context():
        with tenant_context(tenants["lodzkie"]):
            assert queries.person_for_member(world.m_bogdan, tenants["lodzkie"]) is None
        archive = _zip(world.tenant, {"member_id": world.m_bogdan})
        assert json.loads(archive.read("notification.json"))[0]["recipient"] == "bogdan@example.org"
        assert json.loads(archive.read("user_account.json")) == []


def _erase_anna(app, world, reason="Wniosek z dnia 1 grudnia 2026, znak DO.1.2026"):
    with app.app_context():
        record = services.erase(queries.person_for_user(world.anna), reason=reason,
                                actor=db.session.get(User, world.admin))
        n = record.id
        db.session.remove()
    return n


def test_erasure_pseudonymises_and_keeps_what_the_law_requires(app, world):
    n = _erase_anna(app, world)
    name = f"Osoba usunięta #{n}"
    with app.app_context(), all_tenants():
        user = db.session.get(User, world.anna)
        assert (user.full_name, user.active, user.password_hash) == (name, False, None)
        assert "anna" not in user.email
        assert db.session.scalars(select(Membership).where(Membership.user_id == world.anna)).all() == []
        member = db.session.get(GroupMember, world.m_anna)
        assert (member.full_name, member.email) == (name, None)
        assert db.session.get(GroupMember, world.m_bogdan).full_name == "Bogdan Wiśniewski"
        assert db.session.scalar(select(MinutesComment.author_name)) == name
        # adopted minutes are a public document: the name in the protocol stays
        assert "Anna Nowak" in db.session.scalar(select(MinutesVersion.body))
        respondent = db.session.scalar(select(Respondent))
        assert respondent.full_name == name and respondent.token_hash is None and respondent.revoked
        assert db.session.scalar(select(Response.anonymous)) is True  # untouched
        entries = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
        own = next(e for e in entries if e.action == "test.change")
        assert own.actor_email == name
        assert "anna.nowak@example.org" not in json.dumps(own.summary)
        assert not any("anna.nowak@example.org" in json.dumps(e.summary or {}) for e in entries)
        erase_entry = entries[-1]
        assert erase_entry.action == "privacy.erase"
        assert erase_entry.summary["reason"].startswith("Wniosek")
    with open(app.config["PRIVACY_REGISTER_PATH"], encoding="utf-8") as fh:
        line = json.loads(fh.readline())
    assert line["user_id"] == world.anna and "anna" not in json.dumps(line)


def test_erasure_needs_a_reason_and_never_the_own_account(app, world):
    with app.app_context():
        admin = db.session.get(User, world.admin)
        with pytest.raises(DomainError):
            services.erase(queries.person_for_user(world.anna), reason="  ", actor=admin)
        with pytest.raises(DomainError):
            services.erase(queries.person_for_user(world.admin), reason="test", actor=admin)
        assert db.session.scalar(select(ErasureRecord.id)) is None


def test_contact_erasure_by_coordinator_stays_in_the_region(app, world):
    with app.app_context(), tenant_context(world.tenant):
        person = queries.person_for_member(world.m_bogdan, world.tenant)
        record = services.erase(person, reason="Wniosek", actor=db.session.get(User, world.coordinator))
        with all_tenants():
            assert db.session.get(GroupMember, world.m_bogdan).email is None
            recipient = db.session.scalar(select(Notification.recipient).where(Notification.kind == "meeting_invitation"))
            assert recipient.endswith("@usunieto.invalid")
            assert db.session.get(ErasureRecord, record.id).tenant_id == world.tenant


def test_register_is_reapplied_after_restoring_an_older_state(app, world):
    """Simulate the restore of a backup taken before the erasure: the rows come back with the
    old values and without the register entry; re-applying the file erases them again."""
    n = _erase_anna(app, world)
    with app.app_context(), all_tenants():
        users = db.metadata.tables["user_account"]
        members = db.metadata.tables["group_member"]
        db.session.execute(db.delete(db.metadata.tables["privacy_erasure"]))
        db.session.execute(users.update().where(users.c.id == world.anna)
                           .values(full_name="Anna Nowak", email="anna.nowak@example.org", active=True))
        db.session.execute(members.update().where(members.c.id == world.m_anna)
                           .values(full_name="Anna Nowak", email="anna.nowak@example.org"))
        db.session.commit()
        assert services.reapply_register() == 1
        assert db.session.get(User, world.anna).full_name == f"Osoba usunięta #{n}"
        assert db.session.get(GroupMember, world.m_anna).email is None
        assert db.session.get(ErasureRecord, n) is not None
        # idempotent
        assert services.reapply_register() == 1


def test_retention_purges_only_what_is_past_its_time(app, world, pinned_clock):
    with app.app_context():
        with tenant_context(world.tenant):
            db.session.add(RsvpLink(meeting_id=world.meeting, member_id=world.m_bogdan,
                                    token_hash="b" * 64))
            db.session.add(ExportJob(user_id=world.anna, kind="person_data", filename="x.zip",
                                     content_type="application/zip", status="done",
                                     finished_at=pinned_clock()))
            db.session.commit()
        services.set_retention({"rsvp_links": 30, "export_files": 7}, actor=db.session.get(User, world.admin),
                               confirmed=True)
        with pytest.raises(DomainError):
            services.set_retention({"rsvp_links": 0}, actor=None)
        assert services.purge_expired() == {"rsvp_links": 0, "export_files": 0, "notifications": 0,
                                            "audit_entries": 0}
        pinned_clock.advance(days=8)
        assert services.purge_expired()["export_files"] == 1
        pinned_clock.advance(days=30)
        deleted = services.purge_expired()
        assert deleted["rsvp_links"] == 1 and deleted["export_files"] == 0
        with all_tenants():
            assert db.session.scalar(select(RsvpLink.id)) is None
            actions = db.session.scalars(select(AuditLog.action)).all()
        assert "privacy.retention" in actions and actions.count("privacy.purge") == 2
