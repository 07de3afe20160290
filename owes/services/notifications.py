"""E-mails of the OWES module, through the notification queue (:mod:`coordination.notifications`).

The services call these *inside* their transaction, so a message exists if and only if the
change that causes it is committed; the scheduler sends the rows when they fall due. What a
message says is checked again when it is sent (hooks in :mod:`owes.jobs`).

Keys (kind, object type, object id, address, slot):

* ``consultation_opened`` — about ``"owes_consultation"``, to the round's participants, due at
  8:00 (Warsaw) on the opening day (at once if the round is already open);
* ``consultation_closing`` — same object and people, 8:00 :data:`CLOSING_NOTICE_DAYS` days
  before the last day (not scheduled when that moment is not after the opening);
* ``consultation_outcome`` — same object, to every commenter, when the round is closed (the
  pending "opened"/"closing" rows are cancelled then);
* ``accreditation_expiring`` — about ``"owes"``, to the region's coordinators and the users
  bound to the OWES, queued by the daily job :func:`queue_expiring_accreditations`; slot
  ``<threshold>d:<end date>`` (a renewed accreditation gets its own notices).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, or_, select

from coordination import clock
from coordination.auth.models import Membership, User
from coordination.clock import WARSAW
from coordination.extensions import db
from coordination.notifications import services as notify
from coordination.tenancy import all_tenants
from owes.models import ConsultationComment, ConsultationRound, Owes, Study
from owes.services.registry import EXPIRY_WARNING_DAYS

MORNING = time(8, 0)
#: the "closes soon" notice goes this many days before the round's last day.
CLOSING_NOTICE_DAYS = 3
#: accreditation notices: this many days before the accreditation ends (the nearest applies);
#: the first one matches the "expiring soon" flag of the registry.
ACCREDITATION_NOTICE_DAYS = (EXPIRY_WARNING_DAYS, 30)
ROUND = "owes_consultation"
ROUND_KINDS = ("consultation_opened", "consultation_closing")


def _morning(day: date) -> datetime:
    return datetime.combine(day, MORNING, tzinfo=WARSAW)


def _tenant_slug(tenant_id: int) -> str:
    from tenants.models import Tenant

    return db.session.get(Tenant, tenant_id).slug


def round_url(rnd: ConsultationRound) -> str:
    """Absolute link to the round page (works in jobs)."""
    return notify.link("tenant.owes.round_detail", tenant=_tenant_slug(rnd.tenant_id), round_id=rnd.id)


def _active_users(*conditions) -> list[User]:
    """Active users with a membership in the current region matching any of ``conditions``."""
    if not conditions:
        return []
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(User.active.is_(True), or_(*conditions)).order_by(User.id).distinct()))


def round_participants(rnd: ConsultationRound, study: Study) -> list[User]:
    """People with an account who take part in the round, by its participant groups.

    ``rops``: the region's coordinators; ``owes``: users bound to the evaluated OWES (every
    OWES user of the region for a system-wide study); ``monitoring_group``: the current members
    of the Regional Committee who have an account. ``invited`` is free text (names, no
    addresses), so nobody is e-mailed for it.
    """
    groups = set(rnd.participants or ())
    conditions = []
    if "rops" in groups:
        conditions.append(Membership.role == "coordinator")
    if "owes" in groups:
        conditions.append(and_(Membership.role == "owes", Membership.owes_id == study.owes_id)
                          if study.owes_id else Membership.role == "owes")
    people = {u.id: u for u in _active_users(*conditions)}
    if "monitoring_group" in groups:
        from workgroups.models import Group, GroupMember

        day = clock.today()
        people.update({u.id: u for u in db.session.scalars(
            select(User).join(GroupMember, GroupMember.user_id == User.id)
            .join(Group, Group.id == GroupMember.group_id)
            .where(Group.kind == "committee", User.active.is_(True), GroupMember.date_from <= day,
                   or_(GroupMember.date_to.is_(None), GroupMember.date_to >= day)))})
    return [people[k] for k in sorted(people)]


def schedule_round(rnd: ConsultationRound, study: Study) -> int:
    """Queue "opened" and "closes soon" for the participants of a newly opened round.

    Nothing is queued for a round whose last day has passed (e.g. entered afterwards).
    Returns the number of participants notified.
    """
    if rnd.closes_on < clock.today():
        return 0
    people = round_participants(rnd, study)
    context = {"title": study.title, "url": round_url(rnd), "opens_on": rnd.opens_on,
               "closes_on": rnd.closes_on}
    common = {"object_type": ROUND, "object_id": rnd.id, "context": context}
    closing_day = rnd.closes_on - timedelta(days=CLOSING_NOTICE_DAYS)
    for person in people:
        notify.schedule("consultation_opened", person, due_at=_morning(rnd.opens_on), **common)
        if closing_day > rnd.opens_on:
            notify.schedule("consultation_closing", person, due_at=_morning(closing_day), **common)
    return len(people)


def schedule_outcome(rnd: ConsultationRound, study: Study) -> int:
    """On closing: cancel unsent round notices, queue the outcome to every commenter (now)."""
    notify.cancel(ROUND_KINDS, object_type=ROUND, object_id=rnd.id)
    authors = list(db.session.scalars(
        select(User).where(User.active.is_(True), User.id.in_(
            select(ConsultationComment.author_id).where(ConsultationComment.round_id == rnd.id)))
        .order_by(User.id)))
    context = {"title": study.title, "url": round_url(rnd), "closes_on": rnd.closes_on}
    for user in authors:
        notify.schedule("consultation_outcome", user, object_type=ROUND, object_id=rnd.id,
                        context=context)
    return len(authors)


def accreditation_slot(expires_on: date, day: date) -> str | None:
    """The notice due on ``day`` for an accreditation ending on ``expires_on`` (None: none)."""
    left = (expires_on - day).days
    if left < 0:
        return None
    due = [t for t in ACCREDITATION_NOTICE_DAYS if left <= t]
    return f"{min(due)}d:{expires_on.isoformat()}" if due else None


def queue_expiring_accreditations() -> int:
    """Queue ``accreditation_expiring`` for every OWES whose accreditation ends soon (all regions).

    Idempotent: a second run the same day (or any day within the same threshold) queues nothing
    new. Returns the number of (OWES, person) pairs considered.
    """
    day = clock.today()
    horizon = day + timedelta(days=max(ACCREDITATION_NOTICE_DAYS))
    queued = 0
    with all_tenants():
        expiring = db.session.scalars(select(Owes).where(
            Owes.accredited_to.is_not(None), Owes.accredited_to >= day,
            Owes.accredited_to <= horizon).order_by(Owes.tenant_id, Owes.id)).all()
        tenant_ids = {o.tenant_id for o in expiring}
        people = db.session.execute(
            select(Membership.tenant_id, Membership.role, Membership.owes_id, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.tenant_id.in_(tenant_ids), User.active.is_(True),
                   Membership.role.in_(("coordinator", "owes")))
            .order_by(User.id)).all() if tenant_ids else []
        for owes in expiring:
            slot = accreditation_slot(owes.accredited_to, day)
            context = {"title": owes.name, "expires_on": owes.accredited_to,
                       "url": notify.link("tenant.owes.owes_detail",
                                          tenant=_tenant_slug(owes.tenant_id), owes_id=owes.id)}
            for tenant_id, role, owes_id, user in people:
                if tenant_id == owes.tenant_id and (role == "coordinator" or owes_id == owes.id):
                    notify.schedule("accreditation_expiring", user, object_type="owes",
                                    object_id=owes.id, slot=slot, context=context,
                                    tenant_id=tenant_id)
                    queued += 1
    db.session.commit()
    return queued
