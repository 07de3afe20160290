"""Access levels used to classify routes in the isolation test (tests/isolation/routes_*.py)."""

PUBLIC = "public"                # anyone, 200
ANON_FORM = "anon_form"          # login form: anonymous 200, logged in redirect
AUTH = "auth"                    # any logged-in user
TENANT_PUBLIC = "tenant_public"  # tenant page readable by anyone, private parts hidden
TENANT_VIEW = "tenant_view"      # members of the tenant (any role), national, admin
TENANT_MANAGE = "tenant_manage"  # coordinator of the tenant, admin (others who see it: 403)
#: the region's coordinator together with national consultants and admins (SIRES diagnosis,
#: support log); members and OWES users who see the tenant get 403.
TENANT_ADVISORY = "tenant_advisory"
NATIONAL = "national"            # national consultants and admins (others: 404)
ADMIN = "admin"                  # admins (others: 404)
REDIRECT = "redirect"            # always redirects (switchers, invalid tokens)
POST_ONLY = "post_only"          # no GET; state changes covered by the CSRF test
TOKEN = "token"                  # reached by a secret token; invalid/foreign token -> 404
# OWES module: editing an OWES's own data is allowed to coordinators, admins and the ``owes``
# user bound to that OWES (Membership.owes_id); members and national readers get 403.
OWES_EDIT = "owes_edit"
# Taking part (e.g. commenting in a consultation): any role in the tenant and admins; national
# consultants only read (403).
TENANT_PARTICIPATE = "tenant_participate"
# Background exports: only the account that requested the job (the region's coordinator in the
# world) sees it; everybody else, administrators included, gets 404.
REQUESTER = "requester"
#: demo mode only (``make run``), then for admins: outside demo mode the page does not exist, so
#: every role gets 404. The isolation app is not in demo mode; tests/test_demo_mail.py covers
#: the roles with demo mode on.
DEMO_ADMIN = "demo_admin"

ROLES = ("anonymous", "member", "coordinator", "owes", "national", "admin")


def own_status(level: str, role: str) -> set[int]:
    anon = role == "anonymous"
    if level == DEMO_ADMIN:
        return {404}
    if level in (PUBLIC, TENANT_PUBLIC):
        return {200}
    if level == REDIRECT:
        return {302}
    if level == TOKEN:
        return {200}
    if level == ANON_FORM:
        return {200} if anon else {302}
    if anon:
        return {302}
    if level in (AUTH, TENANT_VIEW):
        return {200}
    if level == TENANT_MANAGE:
        return {200} if role in ("coordinator", "admin") else {403}
    if level == OWES_EDIT:
        return {200} if role in ("coordinator", "admin", "owes") else {403}
    if level == TENANT_PARTICIPATE:
        return {403} if role == "national" else {200}
    if level == TENANT_ADVISORY:
        return {200} if role in ("coordinator", "national", "admin") else {403}
    if level == NATIONAL:
        return {200} if role in ("national", "admin") else {404}
    if level == REQUESTER:
        return {200} if role == "coordinator" else {404}
    if level == ADMIN:
        return {200} if role == "admin" else {404}
    raise AssertionError(f"unknown level {level}")


def foreign_status(level: str, role: str) -> set[int]:
    """Status for the foreign region's URL with its own objects (no membership there)."""
    if role in ("national", "admin", "anonymous") or level == TOKEN:
        return own_status(level, role)
    if level in (TENANT_VIEW, TENANT_MANAGE, TENANT_ADVISORY, OWES_EDIT, TENANT_PARTICIPATE, REQUESTER):
        return {404}
    return own_status(level, role)


def mixed_status(level: str, role: str) -> set[int]:
    """Own region's slug with the foreign region's object ids."""
    if level == TOKEN:
        return {404}
    if role == "anonymous":
        return {302}
    if level == TENANT_MANAGE and role in ("member", "owes", "national"):
        return {403, 404}
    if level == TENANT_ADVISORY and role in ("member", "owes"):
        return {403, 404}
    return {404}
