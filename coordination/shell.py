"""The application shell's own manifest: accounts, platform administration, regions.

The tenant blueprint (``tenants.views.bp``) is not listed here: :func:`coordination.create_app`
nests the modules' tenant blueprints into it and registers it last.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordination.admin_views import bp as admin_bp
from coordination.auth.views import bp as auth_bp
from coordination.core_views import bp as core_bp
from coordination.manifest import Access, BenchPage, Catalogue, Manifest
from coordination.notifications.kinds import kind
from coordination.permissions import SHELL_RULES

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
        "coordination/exports/views*", "coordination/exports/audit*", "templates/exports/*",
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
        BenchPage("users list (50 rows)", "tenant.users"),
        BenchPage("audit log (50 rows)", "tenant.audit_log"),
    ),
    # account e-mails go through the notification queue like every other message
    notification_kinds=(
        kind("password_reset", template="password_reset", mandatory=True, digestible=False,
             internal=True, label=_l("Password reset"), subject=_l("Password reset – Sieć ES")),
        kind("invitation", template="invitation", mandatory=True, digestible=False, internal=True,
             label=_l("Invitation to a region"), subject=_l("Invitation to Sieć ES – %(region)s")),
    ),
)
