"""What a module contributes to the application, declared in one place: ``<pkg>/manifest.py``.

Each package listed in :data:`coordination.modules.MODULES` exposes ``MANIFEST = Manifest(...)``;
the application shell declares its own in :mod:`coordination.shell`. Nothing else in the shell
names a module: :func:`coordination.create_app` registers the blueprints, and the permissions,
navigation, tenant home, notification kinds, translation catalogues, the isolation test and the
benchmark read what the manifests declare (:func:`coordination.modules.manifests`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: the standard parts of every domain package (a module ``x.py`` or a package ``x/``).
STANDARD_PARTS: tuple[str, ...] = (
    "models", "forms", "services", "queries", "views", "jobs", "exports", "demo", "synthetic",
)
#: names a domain package may have besides its standard parts.
COMMON_PARTS: tuple[str, ...] = ("manifest", "catalogue")


class Access:
    """Access levels that classify a module's routes for the isolation test
    (``tests/isolation`` checks every route against its level; see ``tests/isolation/levels.py``).
    """

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
    #: a secret link that is exchanged for the session and redirects (303) to a URL without
    #: the secret; invalid/foreign token -> 404.
    TOKEN_EXCHANGE = "token_exchange"
    #: the page a token was exchanged for: it answers only to the session holding that
    #: exchange (every role without it gets 404; the module's own tests cover the journey).
    TOKEN_SESSION = "token_session"
    #: editing an OWES's own data: coordinators, admins and the ``owes`` user bound to that OWES
    #: (Membership.owes_id); members and national readers get 403.
    OWES_EDIT = "owes_edit"
    #: taking part (e.g. commenting in a consultation): any role in the tenant and admins;
    #: national consultants only read (403).
    TENANT_PARTICIPATE = "tenant_participate"
    #: background exports: only the account that requested the job sees it; everybody else,
    #: administrators included, gets 404.
    REQUESTER = "requester"
    #: demo mode only (``make run``), then for admins: outside demo mode the page does not exist,
    #: so every role gets 404. The isolation app is not in demo mode; tests/test_demo_mail.py
    #: covers the roles with demo mode on.
    DEMO_ADMIN = "demo_admin"


@dataclass(frozen=True)
class NavEntry:
    """A menu entry: shown to users who pass ``action`` (a permission)."""

    endpoint: str
    label: Any
    action: str

    def __iter__(self):  # templates unpack ``(endpoint, label, action)``
        return iter((self.endpoint, self.label, self.action))


@dataclass(frozen=True)
class Catalogue:
    """A translation catalogue: ``translations/<name>/<locale>/LC_MESSAGES/messages.po``.

    ``paths`` (files, folders or globs relative to the project root) are where its msgids are
    extracted from; a file matched by another catalogue's glob belongs to that one only.
    """

    name: str
    paths: tuple[str, ...]


@dataclass(frozen=True)
class BenchPage:
    """A key page ``make bench`` measures (see docs/bench.md).

    ``params(tenant_slug)`` runs in an app context with ``all_tenants()`` and returns the URL
    values besides ``tenant`` (None in a value: "no data").
    """

    name: str
    endpoint: str
    #: who requests it: ``coordinator`` or ``member`` (of the bench region) or ``national``.
    role: str = "coordinator"
    params: Callable[[str], dict] | None = None
    #: a list page (a table of up to 50 rows): held to the higher throughput goal (issue 17).
    list_page: bool = False


@dataclass(frozen=True)
class Manifest:
    """Everything a module wires into the application."""

    #: short name (bench reports, error messages).
    name: str
    #: blueprints nested under ``/<tenant>`` (tenant loading and access guard of tenants.views).
    tenant_blueprints: tuple = ()
    #: blueprints mounted at the root (``/kraj/...``, token links, account pages).
    blueprints: tuple = ()
    #: permission action -> predicate(user, obj) (see :mod:`coordination.permissions`).
    rules: Mapping[str, Callable[[Any, Any], bool]] = field(default_factory=dict)
    #: action prefixes that only make sense inside a tenant (users who cannot see it get 404).
    tenant_prefixes: tuple[str, ...] = ()
    #: entries of the region menu and of the national (``/kraj``) menu.
    tenant_nav: tuple[NavEntry, ...] = ()
    national_nav: tuple[NavEntry, ...] = ()
    #: functions(tenant) -> panel dict or None, shown on the region's home page.
    home_panels: tuple[Callable, ...] = ()
    #: notification kinds (:class:`coordination.notifications.kinds.Kind`) the module sends.
    notification_kinds: tuple = ()
    #: the module's translation catalogue (None: its strings live in other catalogues).
    catalogue: Catalogue | None = None
    #: endpoint -> :class:`Access` level of every route of the module's blueprints.
    routes: Mapping[str, str] = field(default_factory=dict)
    #: key pages of the benchmark.
    bench_pages: tuple[BenchPage, ...] = ()
    #: a domain package has the standard shape (:data:`STANDARD_PARTS`); shared services do not.
    domain: bool = True
    #: functions run after ``flask restore`` (e.g. re-applying the erasure register).
    after_restore: tuple[Callable, ...] = ()
    #: names a domain package has besides the standard ones, each with the reason
    #: (also listed in the README's "How it is built").
    extras: Mapping[str, str] = field(default_factory=dict)
    #: audit action code -> what it means, as a (lazy) translated phrase, e.g.
    #: ``{"minutes.adopt": _l("Minutes adopted")}``; every code a service writes has one
    #: (tests/test_audit_labels.py checks the services' sources).
    audit_actions: Mapping[str, Any] = field(default_factory=dict)
    #: audited object type (class name) -> :class:`coordination.audit_labels.AuditObject`
    #: (its name and, where a page shows it, the route that links to it).
    audit_objects: Mapping[str, Any] = field(default_factory=dict)
    #: key of an audit summary -> label, or ``(label, Labels of its values)``; a key may be
    #: qualified by the action (``"minutes.adopt:mode"``) when its meaning depends on it.
    audit_fields: Mapping[str, Any] = field(default_factory=dict)
    #: table name -> what its rows are, as a (lazy) translated phrase, e.g.
    #: ``{"attendance": _l("Attendance at meetings")}``: the RODO pages and the sheets of a
    #: person's export show it instead of the table name (tests/privacy/test_table_labels.py
    #: checks that every table linked to a person has one).
    table_labels: Mapping[str, Any] = field(default_factory=dict)
    #: what an erasure (RODO art. 17) does with the uploaded files a table holds, for every
    #: table with a file column linked to a person: ``"personal"`` — about the person, deleted
    #: with their data — or ``"record"`` — a record of the body, kept, its uploader shown under
    #: the pseudonym (tests/privacy/test_files.py checks that every such table says which).
    uploaded_files: Mapping[str, str] = field(default_factory=dict)
