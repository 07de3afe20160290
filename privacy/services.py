"""The only code of the privacy module that changes state: erasure (RODO art. 17), the
erasure register and its re-application after a restore, retention settings and the purge.

Erasure keeps what the law requires and removes the rest:

* the account: name -> "Osoba usunięta #n", address -> a unique invalid one, password, reset
  link and sessions gone, deactivated; its memberships in regions, calendar feeds, exports,
  notification preferences deleted;
* group memberships (contacts): name -> pseudonym, e-mail removed; the rows stay, so attendance
  lists and quorum counts of past meetings still add up;
* authorship: comments and audit entries show the pseudonym;
* survey invitations: name and address replaced, token revoked. Responses are anonymous and are
  not touched; a response given under the named mode gets the pseudonym;
* uploaded files: each table holding files says in its module's manifest (``uploaded_files``)
  whether they are *personal* — about the person (their own exports): deleted — or a *record*
  of the body — documents of meetings, evaluation reports, the evidence of an OWES's reported
  values: kept, the uploader being the pseudonymised account;
* kept as they are: adopted (frozen) minutes — public documents, the name written in them
  stays.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, delete, select, update

from coordination import audit, clock
from coordination.audit import AuditLog
from coordination.clock import utcnow
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import all_tenants
from privacy import queries
from privacy.models import ErasureRecord, RetentionSetting

#: the name left in place of an erased person.
PSEUDONYM = "Osoba usunięta #{n}"
#: columns that hold the name of the author of a row linked by ``<column>_id``.
AUTHOR_NAME_COLUMNS = {("minutes_comment", "author_id"): "author_name",
                       ("owes_comment", "author_id"): "author_name"}


class AlreadyErased(DomainError):
    """The person was erased before (the register has the entry)."""


def pseudonym(n: int) -> str:
    return PSEUDONYM.format(n=n)


def _pseudo_email(n: int, suffix: object = "") -> str:
    return f"usunieta-{n}{'-' if suffix != '' else ''}{suffix}@usunieto.invalid"


def register_path() -> str:
    """The erasure register file (JSON lines), kept outside the database and its backups."""
    return current_app.config.get("PRIVACY_REGISTER_PATH") or os.path.join(
        current_app.instance_path, "rejestr-usuniec.jsonl")


def _append_register(record: ErasureRecord) -> None:
    line = json.dumps({"id": record.id, "at": record.at.isoformat(), "tenant_id": record.tenant_id,
                       "user_id": record.user_id, "member_ids": record.member_ids,
                       "email_hashes": record.email_hashes})
    path = register_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _table(name: str):
    return db.metadata.tables[name]


def _scoped(stmt, table, tenant_id):
    if tenant_id is not None and "tenant_id" in table.c:
        stmt = stmt.where(table.c.tenant_id == tenant_id)
    return stmt


def _apply(record: ErasureRecord) -> None:
    """Pseudonymise and delete what ``record`` names (idempotent: a second run changes nothing
    that the first did not)."""
    n, tenant_id, uid = record.id, record.tenant_id, record.user_id
    name, hashes = pseudonym(n), set(record.email_hashes or [])
    ex = db.session.execute
    members = _table("group_member")
    if record.member_ids:
        ex(_scoped(update(members).where(members.c.id.in_(record.member_ids)), members, tenant_id)
           .values(full_name=name, email=None))
    if uid is not None:
        users = _table("user_account")
        old = ex(select(users.c.email, users.c.full_name).where(users.c.id == uid)).first()
        if old is not None:
            hashes.add(queries.email_hash(old.email))
            ex(update(users).where(users.c.id == uid).values(
                full_name=name, email=_pseudo_email(n), password_hash=None, reset_nonce=None,
                active=False, session_version=users.c.session_version + 1))
            for table in ("membership", "calendar_feed"):
                t = _table(table)
                ex(delete(t).where(t.c.user_id == uid))
            for (table, column), name_column in AUTHOR_NAME_COLUMNS.items():
                t = _table(table)
                ex(update(t).where(t.c[column] == uid).values({name_column: name}))
            ex(update(AuditLog.__table__).where(AuditLog.actor_id == uid)
               .values(actor_email=name))
            if old.email and not old.email.endswith("@usunieto.invalid"):
                _scrub_audit_summaries([old.email, old.full_name], name)
    _delete_personal_files(record)
    _erase_addresses(hashes, n, tenant_id)


def _delete_personal_files(record: ErasureRecord) -> None:
    """Delete the rows holding files about the person (``uploaded_files`` "personal"); the
    files that are records of the body stay (see the module docstring)."""
    personal = {name for name, fate in queries.file_tables().items() if fate == queries.PERSONAL}
    values = {"user": [record.user_id] if record.user_id is not None else [],
              "member": list(record.member_ids or [])}
    for table, column, kind in queries.file_links():
        if table.name in personal and values.get(kind):
            db.session.execute(_scoped(delete(table).where(table.c[column].in_(values[kind])),
                                       table, record.tenant_id))


def _erase_addresses(hashes: set[str], n: int, tenant_id: int | None) -> None:
    """Survey invitations, messages and preferences sent to the erased addresses."""
    if not hashes:
        return
    ex = db.session.execute
    name = pseudonym(n)
    respondents = _table("survey_respondent")
    for row in ex(_scoped(select(respondents.c.id, respondents.c.email), respondents, tenant_id)):
        if queries.email_hash(row.email) in hashes:
            ex(update(respondents).where(respondents.c.id == row.id).values(
                full_name=name, email=_pseudo_email(n, row.id), token_hash=None, draft=None,
                revoked=True))
    outbox = _table("notification")
    for row in ex(_scoped(select(outbox.c.id, outbox.c.recipient), outbox, tenant_id)):
        if queries.email_hash(row.recipient) in hashes:
            ex(update(outbox).where(outbox.c.id == row.id).values(
                recipient=_pseudo_email(n, f"n{row.id}"), context=None))
    prefs = _table("notification_preference")
    if tenant_id is None:
        ids = [r.id for r in ex(select(prefs.c.id, prefs.c.email))
               if queries.email_hash(r.email) in hashes]
        if ids:
            ex(delete(prefs).where(prefs.c.id.in_(ids)))


def _scrub_audit_summaries(needles: list[str], name: str) -> None:
    """Replace the person's address and name inside audit details (the entries stay)."""
    table = AuditLog.__table__
    for needle in [s for s in needles if s and len(s) > 2]:
        for row in db.session.execute(select(table.c.id, table.c.summary).where(
                cast(table.c.summary, String).contains(needle))):
            text = json.dumps(row.summary, ensure_ascii=False).replace(
                json.dumps(needle, ensure_ascii=False)[1:-1], name)
            db.session.execute(update(table).where(table.c.id == row.id)
                               .values(summary=json.loads(text)))


def _end_memberships(member_ids: list[int], actor) -> None:
    """End the person's current (and future) group memberships today, through the groups
    service (audited), so the pseudonym is no longer offered as a member, chair or minute-taker;
    the rows stay, so past attendance keeps the pseudonym."""
    from workgroups.models import GroupMember
    from workgroups.services.groups import end_member

    if not member_ids:
        return
    today = clock.today()
    for member in db.session.scalars(select(GroupMember).where(
            GroupMember.id.in_(member_ids),
            GroupMember.date_to.is_(None) | (GroupMember.date_to > today))):
        end_member(member, max(today, member.date_from), actor=actor, commit=False)


def erase(person: queries.Person, *, reason: str, actor) -> ErasureRecord:
    """Erase ``person`` (RODO art. 17) and add the entry to the register (database and file).

    ``person.tenant_id`` None (an account, by an administrator) covers every region; a
    coordinator erases a contact of their region only.
    """
    reason = (reason or "").strip()
    if queries.erasure_of(person) is not None:
        raise AlreadyErased(_l("The data of this person have already been erased."))
    if not reason:
        raise DomainError(_l("Please give the reason for the erasure."), "reason")
    if person.user_id is not None and actor is not None and person.user_id == actor.id:
        raise DomainError(_l("You cannot erase your own account."))
    record = ErasureRecord(actor_id=getattr(actor, "id", None), tenant_id=person.tenant_id,
                           user_id=person.user_id, member_ids=list(person.member_ids),
                           email_hashes=sorted(queries.email_hash(e) for e in person.emails),
                           reason=reason[:2000])
    db.session.add(record)
    db.session.flush()
    with all_tenants():
        _end_memberships(person.member_ids, actor)
        _apply(record)
    audit.record("privacy.erase", actor=actor, obj=record, tenant_id=person.tenant_id,
                 summary={"reason": record.reason, "pseudonym": pseudonym(record.id),
                          "members": len(record.member_ids)})
    db.session.commit()
    _append_register(record)
    return record


def record_export(job, *, actor) -> None:
    """Audit an export of a person's data (RODO art. 15/20): who asked, for whom."""
    audit.record("privacy.export", actor=actor, obj=job, tenant_id=job.tenant_id,
                 summary=dict(job.params))
    db.session.commit()


def reapply_register() -> int:
    """After a restore: apply every entry of the register file again (entries missing from the
    restored database are added back with the same number). Returns the entries applied."""
    path = register_path()
    if not os.path.exists(path):
        return 0
    applied = 0
    with open(path, encoding="utf-8") as fh:
        entries = [json.loads(line) for line in fh if line.strip()]
    with all_tenants():
        for entry in entries:
            record = db.session.get(ErasureRecord, entry["id"])
            if record is None:
                record = ErasureRecord(id=entry["id"], tenant_id=entry["tenant_id"],
                                       user_id=entry["user_id"], member_ids=entry["member_ids"],
                                       email_hashes=entry["email_hashes"],
                                       reason="(przywrócone z rejestru po odtworzeniu kopii)")
                db.session.add(record)
                db.session.flush()
            _apply(record)
            applied += 1
        if applied:
            audit.record("privacy.register_reapplied", summary={"entries": applied})
        db.session.commit()
    return applied


# --- retention -------------------------------------------------------------------------------

def _purge_rsvp_links(cutoff) -> int:
    t = _table("meeting_rsvp_link")
    return db.session.execute(delete(t).where(t.c.created_at < cutoff)).rowcount


def _purge_exports(cutoff) -> int:
    t = _table("export_job")
    return db.session.execute(delete(t).where(t.c.finished_at < cutoff)).rowcount


def _purge_outbox(cutoff) -> int:
    t = _table("notification")
    # digests first lose their members' link (SET NULL), finished rows only
    return db.session.execute(delete(t).where(t.c.created_at < cutoff,
                                              t.c.status.in_(("sent", "skipped", "failed")))).rowcount


def _purge_audit(cutoff) -> int:
    t = AuditLog.__table__
    return db.session.execute(delete(t).where(t.c.at < cutoff)).rowcount


#: kind -> (default days, purge(cutoff) -> rows deleted). Labels: privacy.views.KIND_LABELS.
KINDS = {
    "rsvp_links": (365, _purge_rsvp_links),
    "export_files": (7, _purge_exports),
    "notifications": (365, _purge_outbox),
    "audit_entries": (3650, _purge_audit),
}
#: the shortest and the longest keeping time an administrator may set.
MIN_DAYS, MAX_DAYS = 1, 36500


def retention_days() -> dict[str, int]:
    """kind -> days (stored setting or default)."""
    stored = dict(db.session.execute(select(RetentionSetting.kind, RetentionSetting.days)).all())
    return {kind: stored.get(kind, default) for kind, (default, _f) in KINDS.items()}


class ShorterKeepingTimes(DomainError):
    """A keeping time would become shorter than it is: rows are deleted for good at the next
    purge, so the administrator confirms first. ``shorter``: kind -> the new days."""

    def __init__(self, shorter: dict[str, int]):
        super().__init__(_l("Please confirm the shorter keeping times: the entries past them "
                            "are deleted for good."), "confirm_shorter")
        self.shorter = shorter


def set_retention(values: dict[str, int], *, actor, confirmed: bool = False) -> dict[str, list[int]]:
    """Store the keeping times; audit-logged with the changes. A keeping time shorter than the
    current one needs ``confirmed`` (else :class:`ShorterKeepingTimes`, nothing stored)."""
    current = retention_days()
    diff = {}
    for kind, days in values.items():
        if kind not in KINDS:
            raise DomainError(_l("Unknown kind of data."))
        if not MIN_DAYS <= days <= MAX_DAYS:
            raise DomainError(_l("Enter a number of days from %(low)d to %(high)d.", low=MIN_DAYS,
                                 high=MAX_DAYS), kind)
    shorter = {kind: days for kind, days in values.items() if days < current[kind]}
    if shorter and not confirmed:
        raise ShorterKeepingTimes(shorter)
    for kind, days in values.items():
        if current[kind] != days:
            diff[kind] = [current[kind], days]
            row = db.session.get(RetentionSetting, kind)
            if row is None:
                db.session.add(RetentionSetting(kind=kind, days=days))
            else:
                row.days = days
    if diff:
        audit.record("privacy.retention", actor=actor, summary=diff)
    db.session.commit()
    return diff


def purge_expired() -> dict[str, int]:
    """Delete what is past its keeping time (the scheduler's daily job); audit-logged."""
    now = utcnow()
    deleted = {}
    with all_tenants():
        for kind, days in retention_days().items():
            deleted[kind] = KINDS[kind][1](now - timedelta(days=days))
        if any(deleted.values()):
            audit.record("privacy.purge", summary=deleted)
        db.session.commit()
    return deleted
