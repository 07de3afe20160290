"""Groups and their members (membership history is kept: ending a membership sets ``date_to``)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from coordination import audit, clock
from coordination.auth.models import Membership, User
from coordination.errors import DomainError
from coordination.extensions import db
from workgroups.models import CONTACT_LOCALES, GROUP_KINDS, TITLE_FORMS, Group, GroupMember

GROUP_FIELDS = ("name", "kind", "description", "status", "term_start", "term_end", "quorum_percent")
MEMBER_FIELDS = ("user_id", "full_name", "email", "institution", "category", "role",
                 "substitute_for_id", "date_from", "date_to", "locale", "title_form")
COMMITTEE_TERM_YEARS = 3


def ensure_group(name: str, kind: str, description: str | None = None, *, actor=None, **extra) -> Group:
    """Create the group ``name`` in the current tenant unless it exists (idempotent)."""
    if kind not in GROUP_KINDS:
        raise ValueError(f"unknown group kind {kind!r}")
    group = db.session.scalar(select(Group).where(Group.name == name))
    if group is None:
        group = Group(name=name, kind=kind, description=description, **extra)
        db.session.add(group)
        db.session.flush()
        audit.record("group.create", actor=actor, obj=group, summary={"name": name, "kind": kind})
        db.session.commit()
    return group


def committee_term_end(start: date) -> date:
    """Last day of a 3-year committee term starting on ``start``."""
    try:
        end = start.replace(year=start.year + COMMITTEE_TERM_YEARS)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + COMMITTEE_TERM_YEARS, day=28)
    return end - timedelta(days=1)


def _clean_group(data: dict, group: Group | None) -> dict:
    clean = {k: data.get(k) for k in GROUP_FIELDS}
    clean["name"] = (clean["name"] or "").strip()
    clean["description"] = (clean["description"] or "").strip() or None
    clean["status"] = clean["status"] or "active"
    clean["quorum_percent"] = clean["quorum_percent"] or 50
    if clean["kind"] not in GROUP_KINDS:
        raise DomainError(_("Choose the kind of group."), "kind")
    if clean["kind"] == "committee":
        others = select(Group.id).where(Group.kind == "committee")
        if group is not None:
            others = others.where(Group.id != group.id)
        if db.session.scalar(others) is not None:
            raise DomainError(_("This region already has a Regional Committee. "
                                 "A region can have only one."), "kind")
        if clean["term_start"] and not clean["term_end"]:
            clean["term_end"] = committee_term_end(clean["term_start"])
    if clean["term_start"] and clean["term_end"] and clean["term_end"] < clean["term_start"]:
        raise DomainError(_("The end of the term must not be before its start."), "term_end")
    duplicate = select(Group.id).where(Group.name == clean["name"])
    if group is not None:
        duplicate = duplicate.where(Group.id != group.id)
    if db.session.scalar(duplicate) is not None:
        raise DomainError(_("A group with this name already exists in the region."), "name")
    return clean


def create_group(data: dict, *, actor) -> Group:
    """Create a group; a committee gets a 3-year term when only its start is given."""
    clean = _clean_group(data, None)
    group = Group(**clean)
    db.session.add(group)
    db.session.flush()
    audit.record("group.create", actor=actor, obj=group, summary={"name": group.name, "kind": group.kind})
    db.session.commit()
    return group


def update_group(group: Group, data: dict, *, actor) -> dict:
    """Edit name, kind, description, term, status and quorum rule; audit the diff."""
    diff = audit.changes(group, _clean_group(data, group))
    if diff:
        audit.record("group.update", actor=actor, obj=group, summary=diff)
        db.session.commit()
    return diff


def tenant_account(user_id: int) -> User | None:
    """An account that belongs to the current region (has a membership in it)."""
    # Membership is the primary entity so the tenant filter applies (it does not reach
    # tenant tables that only appear in a JOIN of a non-tenant entity).
    if db.session.scalar(select(Membership.id).where(Membership.user_id == user_id)) is None:
        return None
    return db.session.get(User, user_id)


def _clean_member(group: Group, data: dict, member: GroupMember | None) -> dict:
    clean = {k: data.get(k) for k in MEMBER_FIELDS}
    clean["locale"] = clean["locale"] or (member.locale if member else "pl")
    if clean["locale"] not in CONTACT_LOCALES:
        raise DomainError(_("Choose the language of e-mails."), "locale")
    clean["title_form"] = clean["title_form"] or ""
    if clean["title_form"] not in TITLE_FORMS:
        raise DomainError(_("Choose the form of the role titles."), "title_form")
    for key in ("full_name", "email", "institution"):
        clean[key] = (clean[key] or "").strip() or None
    if clean["user_id"]:
        user = tenant_account(clean["user_id"])
        if user is None:
            raise DomainError(_("Choose an account of this region."), "user_id")
        clean["full_name"] = clean["full_name"] or user.full_name
        clean["email"] = clean["email"] or user.email
    else:
        clean["user_id"] = None
    if not clean["full_name"]:
        raise DomainError(_("Choose an account or enter the person's name."), "full_name")
    clean["date_from"] = clean["date_from"] or clock.today()
    if clean["date_to"] and clean["date_to"] < clean["date_from"]:
        raise DomainError(_("The membership cannot end before it starts."), "date_to")
    if clean["role"] == "substitute":
        if not clean["substitute_for_id"]:
            raise DomainError(_("Choose the member this person substitutes for."), "substitute_for_id")
        other = db.session.get(GroupMember, clean["substitute_for_id"])
        if other is None or other.group_id != group.id or (member and other.id == member.id):
            raise DomainError(_("Choose a member of this group."), "substitute_for_id")
    else:
        clean["substitute_for_id"] = None
    if clean["user_id"]:
        overlap = select(GroupMember.id).where(
            GroupMember.group_id == group.id, GroupMember.user_id == clean["user_id"],
            (GroupMember.date_to.is_(None)) | (GroupMember.date_to >= clean["date_from"]))
        if clean["date_to"]:
            overlap = overlap.where(GroupMember.date_from <= clean["date_to"])
        if member is not None:
            overlap = overlap.where(GroupMember.id != member.id)
        if db.session.scalar(overlap) is not None:
            raise DomainError(_("This person is already a member of the group in this period."), "user_id")
    return clean


def add_member(group: Group, data: dict, *, actor) -> GroupMember:
    """Add a person (account or contact) to the group from ``date_from``."""
    member = GroupMember(group_id=group.id, **_clean_member(group, data, None))
    db.session.add(member)
    db.session.flush()
    audit.record("group.member_add", actor=actor, obj=member,
                 summary={"group_id": group.id, "name": member.full_name, "role": member.role})
    db.session.commit()
    return member


def update_member(member: GroupMember, group: Group, data: dict, *, actor) -> dict:
    """Change a membership (role, institution, dates…); audit the diff."""
    diff = audit.changes(member, _clean_member(group, data, member))
    if diff:
        audit.record("group.member_update", actor=actor, obj=member, summary=diff)
        db.session.commit()
    return diff


def end_member(member: GroupMember, on: date, *, actor, commit: bool = True) -> None:
    """End a membership on ``on`` (the row stays for the history). ``commit=False``: part of a
    larger change (an erasure) that commits once."""
    if on < member.date_from:
        raise DomainError(_("The membership cannot end before it starts."), "date_to")
    diff = audit.changes(member, {"date_to": on})
    audit.record("group.member_end", actor=actor, obj=member, summary=diff)
    if commit:
        db.session.commit()
