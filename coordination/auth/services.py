"""Accounts: password checks, sessions, reset links, invitations, memberships.

State changes live here only; nothing reads ``flask.request``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from coordination import audit
from coordination.auth.models import TENANT_ROLES, Membership, User
from coordination.auth.queries import only_coordinator
from coordination.clock import utcnow
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import all_tenants


def hash_password(password: str) -> str:
    """The password's hash with the configured method (``PASSWORD_HASH_METHOD``)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A hash to compare against when the e-mail is unknown, so timing does not reveal
    accounts: made with the same method as real hashes, so it costs the same."""
    return generate_password_hash("not-a-real-password", method=method)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def load_user_from_session_id(session_id: str) -> User | None:
    """Flask-Login loader: ``"<id>.<session_version>"``; stale versions are rejected."""
    try:
        uid, version = (int(part) for part in session_id.split(".", 1))
    except (ValueError, AttributeError):
        return None
    from coordination.auth.queries import remember_memberships

    with all_tenants():  # the account and all its memberships: one statement
        rows = db.session.execute(
            select(User, Membership.tenant_id, Membership.role, Membership.owes_id)
            .outerjoin(Membership, Membership.user_id == User.id).where(User.id == uid)).all()
    user = rows[0][0] if rows else None
    if user is None or user.session_version != version or not user.active:
        return None
    remember_memberships(user.id, [tuple(row)[1:4] for row in rows])
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user if e-mail and password match an active account with a password."""
    user = find_user(email)
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        return None
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    audit.record("auth.login", actor=user, obj=user, tenant_id=None)
    db.session.commit()


def logout_everywhere(user: User) -> None:
    """Bump the session version: every cookie issued so far stops working."""
    user.session_version += 1
    audit.record("auth.logout", actor=user, obj=user, tenant_id=None)
    db.session.commit()


def set_password(user: User, password: str, *, actor: User | None = None, reason: str = "change") -> None:
    """Set a new password and invalidate all existing sessions."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.reset_nonce = None  # any reset or invitation link stops working
    audit.record(f"auth.password_{reason}", actor=actor or user, obj=user, tenant_id=None)
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"] and user.locale != locale:
        user.locale = locale
        db.session.commit()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def new_reset_link(user: User) -> None:
    """Start a new password-setting link for ``user`` (reset or invitation): a fresh random
    nonce bound into the link, so every earlier link stops working. The caller commits."""
    user.reset_nonce = secrets.token_urlsafe(16)


def reset_slot(user: User) -> str:
    """Notification slot of the user's current link: a digest of the nonce, not the nonce."""
    return hashlib.sha256((user.reset_nonce or "").encode()).hexdigest()[:20]


def make_reset_token(user: User) -> str:
    """A signed token for the user's current link (see :func:`new_reset_link`): it works once
    and only until a newer link is issued."""
    if not user.reset_nonce:
        raise ValueError("no password link was issued for this account")
    return _serializer().dumps({"u": user.id, "n": user.reset_nonce})


def user_from_reset_token(token: str) -> User | None:
    """The user the token was issued for, if it is valid, unexpired, unused and the newest."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("n"), str):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or not user.reset_nonce:
        return None
    if not hmac.compare_digest(user.reset_nonce.encode(), data["n"].encode()):
        return None
    return user


def absolute_url(endpoint: str, **values) -> str:
    """Link for e-mails, built on the configured ``BASE_URL`` (never the Host header).

    Works inside a request and outside one (scheduler jobs, CLI)."""
    if has_request_context():
        path = url_for(endpoint, **values, _external=False)
    else:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def send_password_reset(email: str) -> None:
    """Queue a reset link if an active account has this address; silently do nothing otherwise.

    Nothing is sent inside the request: the message goes through the notification queue (the
    link is signed when it is sent, see :mod:`coordination.auth.jobs`), so an unreachable SMTP
    server cannot fail the request and the answer is the same whether or not the account exists.
    Issuing a link ends every earlier one.
    """
    from coordination.notifications import services as notify

    user = find_user(email)
    if user is None or not user.active:
        return
    new_reset_link(user)
    notify.schedule("password_reset", user, object_type="user", object_id=user.id,
                    slot=reset_slot(user), tenant_id=None)
    audit.record("auth.reset_requested", actor=None, obj=user, tenant_id=None)
    db.session.commit()



def invite(tenant, email: str, full_name: str, role: str, *, actor: User) -> Membership:
    """Give ``email`` a role in ``tenant``; create the account if needed and queue an
    invitation (with a link to set the password when the account has none yet)."""
    from coordination.notifications import services as notify

    if role not in TENANT_ROLES:
        raise DomainError(_("Unknown role."))
    email = normalize_email(email)
    user = find_user(email)
    created = user is None
    if created:
        user = User(email=email, full_name=full_name.strip(), locale="pl")
        db.session.add(user)
        db.session.flush()
    existing = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    if existing is not None:
        raise DomainError(_("This person already has a role in this region."))
    membership = Membership(user_id=user.id, role=role, tenant_id=tenant.id)
    db.session.add(membership)
    db.session.flush()
    if not user.has_password:
        new_reset_link(user)
    notify.schedule("invitation", user, object_type="membership", object_id=membership.id,
                    tenant_id=tenant.id, context={"role": role})
    audit.record("user.invite", actor=actor, obj=membership,
                 summary={"email": email, "role": role, "new_account": created})
    db.session.commit()
    return membership


def change_role(membership: Membership, role: str, *, actor: User) -> None:
    if role not in TENANT_ROLES:
        raise DomainError(_("Unknown role."))
    diff = audit.changes(membership, {"role": role})
    if diff:
        audit.record("user.role", actor=actor, obj=membership, summary=diff)
        db.session.commit()


def remove_membership(membership: Membership, *, actor: User) -> None:
    """Remove a person's access to a region. The region's last coordinator is kept unless a
    platform administrator removes it (as with taking the role away, only the administrator,
    who can manage any region, may leave one without a coordinator)."""
    if only_coordinator(membership) and not (actor is not None and actor.is_admin):
        raise DomainError(_("This is the only coordinator of the region. Give the coordinator role "
                            "to another person first; a region cannot be left without a coordinator."))
    audit.record("user.remove", actor=actor, obj=membership,
                 summary={"user_id": membership.user_id, "role": membership.role})
    db.session.delete(membership)
    db.session.commit()


def create_user(email: str, full_name: str, password: str | None, *, is_admin=False,
                is_national=False, memberships: dict | None = None, update=False) -> User:
    """Create (or with ``update`` refresh) an account with platform flags and tenant roles.

    ``memberships`` maps a tenant object to a role. Used by the CLI and the demo seed.
    """
    user = find_user(email)
    if user is None:
        user = User(email=normalize_email(email), full_name=full_name)
        db.session.add(user)
    elif not update:
        raise DomainError(_("An account with this e-mail already exists."))
    user.full_name = full_name
    user.is_admin = is_admin
    user.is_national = is_national
    if password:
        user.password_hash = hash_password(password)
    db.session.flush()
    with all_tenants():
        for tenant, role in (memberships or {}).items():
            m = db.session.scalar(select(Membership).where(
                Membership.user_id == user.id, Membership.tenant_id == tenant.id))
            if m is None:
                db.session.add(Membership(user_id=user.id, tenant_id=tenant.id, role=role))
            else:
                m.role = role
        audit.record("user.create", actor=None, obj=user, tenant_id=None,
                     summary={"email": user.email})
        db.session.commit()
    return user


def set_platform_flags(user: User, *, actor: User, is_admin: bool | None = None,
                       is_national: bool | None = None, active: bool | None = None) -> None:
    """Change the account's platform roles and status (None: leave as is); audited.

    Refuses to take the acting administrator's own rights or account away, and to leave the
    platform without an active administrator. Deactivating ends the person's sessions.
    """
    wanted = {name: value for name, value in
              (("is_admin", is_admin), ("is_national", is_national), ("active", active))
              if value is not None}
    losing_admin = user.is_admin and user.active and (
        wanted.get("is_admin") is False or wanted.get("active") is False)
    if losing_admin and user.id == getattr(actor, "id", None):
        raise DomainError(_("You cannot remove your own administrator rights or deactivate "
                            "your own account."), field="is_admin")
    if losing_admin and count_admins() <= 1:
        raise DomainError(_("The platform must keep at least one active administrator."),
                          field="is_admin")
    diff = audit.changes(user, wanted)
    if diff:
        if "active" in diff and not user.active:
            user.session_version += 1
        audit.record("user.platform", actor=actor, obj=user, tenant_id=None, summary=diff)
        db.session.commit()


def create_account(email: str, full_name: str, *, actor: User) -> User:
    """Create an account (administrator) and queue its activation e-mail, with a link to set
    the password. An address that already has an account is refused; nothing is written then.
    """
    from sqlalchemy.exc import IntegrityError

    from coordination.notifications import services as notify

    email = normalize_email(email)
    duplicate = DomainError(_("An account with this e-mail address already exists."), field="email")
    if find_user(email) is not None:
        raise duplicate
    user = User(email=email, full_name=full_name.strip(), locale="pl")
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # created by someone else meanwhile
        db.session.rollback()
        raise duplicate from None
    new_reset_link(user)
    notify.schedule("account_invitation", user, object_type="user", object_id=user.id,
                    slot=reset_slot(user), tenant_id=None)
    audit.record("user.create", actor=actor, obj=user, tenant_id=None,
                 summary={"email": email, "full_name": user.full_name})
    db.session.commit()
    return user


def grant_role(user: User, tenant, role: str, *, actor: User) -> Membership:
    """Give ``user`` ``role`` in ``tenant`` (administrator): a new membership (the person is
    told by e-mail, through the queue) or a changed role of the existing one."""
    from coordination.notifications import services as notify
    from coordination.tenancy import tenant_context

    if role not in TENANT_ROLES:
        raise DomainError(_("Unknown role."), field="role")
    with tenant_context(tenant.id):
        membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
        if membership is not None:
            if membership.role == role:
                raise DomainError(_("This person already has this role in this region."),
                                  field="tenant")
            change_role(membership, role, actor=actor)
            return membership
        membership = Membership(user_id=user.id, role=role, tenant_id=tenant.id)
        db.session.add(membership)
        db.session.flush()
        if not user.has_password and not user.reset_nonce:
            new_reset_link(user)
        notify.schedule("invitation", user, object_type="membership", object_id=membership.id,
                        tenant_id=tenant.id, context={"role": role})
        audit.record("user.grant", actor=actor, obj=membership,
                     summary={"email": user.email, "role": role})
        db.session.commit()
    return membership


def revoke_role(membership: Membership, *, actor: User) -> None:
    """Take a role in a region away (administrator, after confirmation); audited."""
    from coordination.tenancy import tenant_context

    with tenant_context(membership.tenant_id):
        remove_membership(membership, actor=actor)


def count_admins() -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.is_admin.is_(True), User.active.is_(True)))
