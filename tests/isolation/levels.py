"""Expected answers per access level (the levels are :class:`coordination.manifest.Access`;
each module classifies its routes in its manifest)."""

from coordination.manifest import Access

PUBLIC = Access.PUBLIC
ANON_FORM = Access.ANON_FORM
AUTH = Access.AUTH
TENANT_PUBLIC = Access.TENANT_PUBLIC
TENANT_VIEW = Access.TENANT_VIEW
TENANT_MANAGE = Access.TENANT_MANAGE
TENANT_ADVISORY = Access.TENANT_ADVISORY
NATIONAL = Access.NATIONAL
ADMIN = Access.ADMIN
REDIRECT = Access.REDIRECT
POST_ONLY = Access.POST_ONLY
TOKEN = Access.TOKEN
TOKEN_EXCHANGE = Access.TOKEN_EXCHANGE
TOKEN_SESSION = Access.TOKEN_SESSION
OWES_EDIT = Access.OWES_EDIT
TENANT_PARTICIPATE = Access.TENANT_PARTICIPATE
REQUESTER = Access.REQUESTER
DEMO_ADMIN = Access.DEMO_ADMIN
#: every level, so a manifest cannot name one this test does not know.
LEVELS = frozenset(v for k, v in vars(Access).items() if k.isupper())

ROLES = ("anonymous", "member", "coordinator", "owes", "national", "admin")


def own_status(level: str, role: str) -> set[int]:
    anon = role == "anonymous"
    if level == DEMO_ADMIN:
        return {404}
    if level == TOKEN_SESSION:  # the same URL for everybody: 200 once this client exchanged a token
        return {200, 404}
    if level == TOKEN_EXCHANGE:
        return {303}
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
    if role in ("national", "admin", "anonymous") or level in (TOKEN, TOKEN_EXCHANGE):
        return own_status(level, role)
    if level in (TENANT_VIEW, TENANT_MANAGE, TENANT_ADVISORY, OWES_EDIT, TENANT_PARTICIPATE, REQUESTER):
        return {404}
    return own_status(level, role)


def mixed_status(level: str, role: str) -> set[int]:
    """Own region's slug with the foreign region's object ids."""
    if level in (TOKEN, TOKEN_EXCHANGE, TOKEN_SESSION):
        return {404}
    if role == "anonymous":
        return {302}
    if level == TENANT_MANAGE and role in ("member", "owes", "national"):
        return {403, 404}
    if level == TENANT_ADVISORY and role in ("member", "owes"):
        return {403, 404}
    return {404}
