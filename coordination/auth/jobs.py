"""Send-time checks of the account messages (password reset, invitation to a region).

The links in these messages are signed when the message leaves, from the account as it is
then: nothing secret is stored in the queue, and a message whose link was replaced by a newer
one (or whose account was deactivated, or whose membership was removed) is skipped as
obsolete. Imported by :func:`coordination.create_app` in every process.
"""

from __future__ import annotations

from coordination.auth.models import Membership, User
from coordination.auth.services import make_reset_token, reset_slot
from coordination.extensions import db
from coordination.notifications.kinds import before_send
from coordination.notifications.rendering import link
from coordination.tenancy import tenant_context


@before_send("password_reset")
def password_reset_values(row) -> dict | None:
    """The reset link, if the account is active and this is still its newest link."""
    user = db.session.get(User, row.user_id) if row.user_id else None
    if user is None or not user.active or not user.reset_nonce or reset_slot(user) != row.slot:
        return None
    return {**(row.context or {}),
            "link": link("auth.reset_password", token=make_reset_token(user))}


@before_send("invitation")
def invitation_values(row) -> dict | None:
    """Region, role and link (set a password, or log in when the account already has one),
    while the membership still exists and the account is active."""
    from tenants.models import Tenant

    user = db.session.get(User, row.user_id) if row.user_id else None
    tenant = db.session.get(Tenant, row.tenant_id) if row.tenant_id else None
    if user is None or not user.active or tenant is None:
        return None
    with tenant_context(tenant.id):
        membership = db.session.get(Membership, row.object_id)
        if membership is None or membership.user_id != user.id:
            return None
        role = membership.role
    needs_password = not user.has_password and bool(user.reset_nonce)
    if needs_password:
        target = link("auth.reset_password", token=make_reset_token(user))
    else:
        target = link("tenant.home", tenant=tenant.slug)
    return {**(row.context or {}), "role": role, "region": tenant.name,
            "operator": tenant.operator_name, "link": target, "needs_password": needs_password}


@before_send("account_invitation")
def account_invitation_values(row) -> dict | None:
    """The link to set the first password, while the account is active and has none yet (the
    link is signed from the newest nonce, so a later invitation to a region does not end it)."""
    user = db.session.get(User, row.user_id) if row.user_id else None
    if user is None or not user.active or user.has_password or not user.reset_nonce:
        return None
    return {**(row.context or {}), "email": user.email,
            "link": link("auth.reset_password", token=make_reset_token(user))}
