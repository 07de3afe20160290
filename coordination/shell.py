"""The application shell's own manifest: accounts, platform administration, regions.

The tenant blueprint (``tenants.views.bp``) is not listed here: :func:`coordination.create_app`
nests the modules' tenant blueprints into it and registers it last.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from coordination.admin_views import bp as admin_bp
from coordination.audit_labels import AuditObject, lookup
from coordination.auth.models import ROLE_LABELS
from coordination.auth.views import bp as auth_bp
from coordination.core_views import bp as core_bp
from coordination.manifest import Access, BenchPage, Catalogue, Manifest
from coordination.notifications.kinds import kind
from coordination.permissions import SHELL_RULES

#: what the shell's audit codes, objects and summary keys mean (the audit log page); the
#: summary keys here serve every module (a module adds or qualifies its own).
AUDIT_ACTIONS = {
    "auth.login": _l("Signed in"),
    "auth.logout": _l("Signed out on all devices"),
    "auth.password_change": _l("Password changed"),
    "auth.password_reset": _l("Password set with a link"),
    "auth.reset_requested": _l("Password link requested"),
    "user.create": _l("Account created"),
    "user.invite": _l("Person invited to the region"),
    "user.role": _l("Role in the region changed"),
    "user.grant": _l("Role in a region granted"),
    "user.remove": _l("Role in the region removed"),
    "user.platform": _l("Platform roles or account status changed"),
    "tenant.settings": _l("Region settings changed"),
}
AUDIT_OBJECTS = {
    "User": AuditObject(_l("Account"), "admin.user_edit", "user_id",
                        names=lookup("coordination.auth.models:User", "full_name"),
                        permission="platform.users"),
    "Membership": AuditObject(_l("Role in the region"), "admin.user_edit", "user_id",
                              resolve=lookup("coordination.auth.models:Membership", "user_id"),
                              permission="platform.users"),
    "Tenant": AuditObject(_l("Region"), names=lookup("tenants.models:Tenant", "name")),
}
AUDIT_FIELDS = {
    "email": _l("E-mail"),
    "role": (_l("Role"), ROLE_LABELS),
    "new_account": _l("New account"),
    "is_admin": _l("Administrator"),
    "is_national": _l("National consultant"),
    "active": _l("Account active"),
    "user_id": _l("Account number"),
    "full_name": _l("Name"),
    "region": _l("Region"),
    "name": lazy_pgettext("audit field", "Name"),
    "title": _l("Title"),
    "status": _l("Status"),
    "comment": _l("Comment"),
    "reason": _l("Reason"),
    "note": _l("Note"),
    "notes": _l("Notes"),
    "description": _l("Description"),
    "number": _l("Number"),
    "file": _l("File"),
    "size": _l("Size (bytes)"),
    "version": _l("Version"),
    "year": _l("Year"),
    "kind": _l("Kind"),
    "id": _l("Record number"),
    "code": _l("Code"),
    "day": _l("Day"),
    "on": _l("Date"),
    "deadline": _l("Deadline"),
    "recipients": _l("Recipients"),
    "added": _l("Added"),
    "already": _l("Already on the list"),
    "no_email": _l("Without an e-mail address"),
    "section": _l("Section"),
}

TABLE_LABELS = {
    "user_account": _l("User account"),
    "membership": _l("Roles in regions"),
    "audit_log": _l("Audit log entries"),
}

MANIFEST = Manifest(
    name="foundation",
    domain=False,
    blueprints=(core_bp, auth_bp, admin_bp),
    rules=SHELL_RULES,
    tenant_prefixes=("tenant",),
    catalogue=Catalogue("core", (
        "coordination/__init__.py", "coordination/admin_views.py", "coordination/core_views.py",
        "coordination/nav.py", "coordination/permissions.py", "coordination/htmx.py", "coordination/uploads.py",
        "coordination/forms.py", "coordination/shell.py",
        "coordination/auth", "tenants",
        "templates/base.html", "templates/_macros", "templates/auth", "templates/core",
        "templates/tenants", "templates/admin", "templates/errors", "templates/email",
        "coordination/audit_labels.py", "coordination/exports/views*", "coordination/exports/audit*", "templates/exports/*",
    )),
    routes={
        "static": Access.PUBLIC,
        "core.index": Access.PUBLIC,
        "core.healthz": Access.PUBLIC,
        "core.accessibility": Access.PUBLIC,
        "core.switch_region": Access.REDIRECT,
        "core.set_language": Access.POST_ONLY,
        "auth.login": Access.ANON_FORM,
        "auth.logout": Access.POST_ONLY,
        "auth.account": Access.AUTH,
        "auth.change_password": Access.AUTH,
        "auth.request_reset": Access.PUBLIC,
        "auth.reset_password": Access.REDIRECT,
        "admin.users": Access.ADMIN,
        "admin.user_edit": Access.ADMIN,
        "admin.user_create": Access.ADMIN,
        "admin.user_role_add": Access.POST_ONLY,
        "admin.user_role_remove": Access.ADMIN,
        "admin.user_status": Access.ADMIN,
        "admin.audit_log": Access.ADMIN,
        "admin.audit_export": Access.POST_ONLY,
        "admin.demo_mail": Access.DEMO_ADMIN,
        "admin.demo_mail_message": Access.DEMO_ADMIN,
        "tenant.home": Access.TENANT_PUBLIC,
        "tenant.settings": Access.TENANT_MANAGE,
        "tenant.users": Access.TENANT_MANAGE,
        "tenant.user_edit": Access.TENANT_MANAGE,
        "tenant.user_remove": Access.TENANT_MANAGE,
        "tenant.audit_log": Access.TENANT_MANAGE,
        "tenant.audit_export": Access.POST_ONLY,
    },
    bench_pages=(
        BenchPage("tenant home", "tenant.home"),
        BenchPage("users list (50 rows)", "tenant.users", list_page=True),
        BenchPage("audit log (50 rows)", "tenant.audit_log", list_page=True),
    ),
    # account e-mails go through the notification queue like every other message
    notification_kinds=(
        kind("password_reset", template="password_reset", mandatory=True, digestible=False,
             internal=True, label=_l("Password reset"), subject=_l("Password reset – Sieć ES")),
        kind("invitation", template="invitation", mandatory=True, digestible=False, internal=True,
             label=_l("Invitation to a region"), subject=_l("Invitation to Sieć ES – %(region)s")),
        kind("account_invitation", template="account_invitation", mandatory=True, digestible=False,
             internal=True, label=_l("New account"), subject=_l("Your Sieć ES account")),
    ),
    audit_actions=AUDIT_ACTIONS,
    audit_objects=AUDIT_OBJECTS,
    audit_fields=AUDIT_FIELDS,
    table_labels=TABLE_LABELS,
)
