"""What the notification service wires into the application (see coordination/manifest.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordination.audit_labels import AuditObject
from coordination.manifest import Access, Catalogue, Manifest, NavEntry
from coordination.notifications.kinds import kind
from coordination.notifications.views import bp, root_bp
from coordination.permissions import is_admin, is_coordinator

KINDS = (
    kind("test", template="notify_test", mandatory=True, digestible=False, internal=True,
         label=_l("Test message"), subject=_l("Test message from Sieć ES")),
    kind("digest", template="notify_digest", mandatory=True, digestible=False, internal=True,
         label=_l("Digest"), subject=_l("Your Sieć ES digest")),
    kind("announcement", template="notify_announcement", mandatory=False, digestible=True,
         label=_l("Announcements"), subject=_l("Announcement: %(title)s")),
)

ROUTES: dict[str, str] = {
    "tenant.notifications.outbox": Access.TENANT_MANAGE,
    "tenant.notifications.retry": Access.TENANT_MANAGE,
    "tenant.notifications.send_test": Access.POST_ONLY,
    "notify.admin_outbox": Access.ADMIN,
    "notify.admin_retry": Access.ADMIN,
    "notify.preferences": Access.AUTH,
    "notify.unsubscribe": Access.TOKEN,
}


#: what the module's audit codes, objects and summary keys mean (the audit log page).
AUDIT_ACTIONS = {
    "notification.preferences": _l("Notification preferences changed"),
    "notification.retry": _l("Message sent again"),
    "notification.test": _l("Test message sent"),
}
AUDIT_OBJECTS = {
    "Notification": AuditObject(_l("Message")),
}


TABLE_LABELS = {
    "notification": _l("E-mail messages"),
    "notification_preference": _l("Notification settings"),
}

MANIFEST = Manifest(
    name="notifications",
    domain=False,
    tenant_blueprints=(bp,),
    blueprints=(root_bp,),
    rules={
        "outbox.view": lambda u, o: is_coordinator(u),
        "outbox.retry": lambda u, o: is_coordinator(u),
        "platform.outbox": lambda u, o: is_admin(u),
    },
    tenant_prefixes=("outbox",),
    tenant_nav=(NavEntry("tenant.notifications.outbox", _l("Outbox"), "outbox.view"),),
    notification_kinds=KINDS,
    catalogue=Catalogue("scheduler", ("coordination/scheduler.py", "coordination/notifications",
                                      "templates/notifications", "templates/email/notify_*")),
    routes=ROUTES,
    audit_actions=AUDIT_ACTIONS,
    audit_objects=AUDIT_OBJECTS,
    table_labels=TABLE_LABELS,
)
