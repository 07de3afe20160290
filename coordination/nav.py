"""Navigation context for base.html: current tenant, region switcher, language, the main menu
(exactly one entry marked as the current page) and breadcrumbs.

Breadcrumbs: a page template sets ``{% set breadcrumbs = [...] %}`` at its top level, a list
of ``(label, url)`` pairs from the root to the current page (the last one's url is None); use
:func:`region_crumbs` to start them at the region's home. base.html renders them (an accessible
``nav`` named "Breadcrumb", the last item ``aria-current="page"``), and the menu entry whose
address is the deepest breadcrumb is the one marked current."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flask import g, has_request_context, request, url_for
from flask_babel import get_locale
from flask_login import current_user


@cache
def tenant_nav() -> tuple:
    """Region menu entries ``(endpoint, lazy label, permission action)``, in manifest order
    (each module declares its ``tenant_nav``)."""
    from coordination.modules import manifests

    return tuple(entry for manifest in manifests() for entry in manifest.tenant_nav)


@cache
def national_nav() -> tuple:
    """National menu entries (under /kraj), same shape; shown to who passes the permission."""
    from coordination.modules import manifests

    return tuple(entry for manifest in manifests() for entry in manifest.national_nav)


def switcher_tenants():
    """Regions offered in the switcher: all for national/admin, own memberships otherwise."""
    if not current_user.is_authenticated:
        return []
    from coordination.auth.queries import roles_by_tenant
    from tenants.queries import all_regions

    regions = sorted(all_regions(), key=lambda t: t.name)
    if current_user.is_admin or current_user.is_national:
        return regions
    mine = roles_by_tenant(current_user)
    return [t for t in regions if t.id in mine]


def page_url(number: int) -> str:
    """The current page's URL with ``page=number`` (other query arguments kept)."""
    args = request.args.to_dict()
    args["page"] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)


#: stands for a row's id while a row URL pattern is built (an int: ``<int:...>`` converters).
_ROW_ID = 987654321987


def row_url(endpoint: str, param: str, **values):
    """``url_for`` built once for a whole table: returns ``fn(id) -> URL`` of ``endpoint`` with
    ``param`` = id and the other ``values`` fixed. A table of 50 rows calls ``url_for`` once per
    link column instead of once per cell (routing, URL defaults and quoting each time):

        {% set edit_url = row_url('tenant.user_edit', 'membership_id') %}
        … <a href="{{ edit_url(m.id) }}"> …
    """
    head, found, tail = url_for(endpoint, **values, **{param: _ROW_ID}).partition(str(_ROW_ID))
    if not found:  # the id is not in the URL as given (never for an <int:> rule): build per row
        return lambda value: url_for(endpoint, **values, **{param: value})
    return lambda value: f"{head}{int(value)}{tail}"


@dataclass(frozen=True)
class MenuItem:
    url: str
    label: object
    #: the menu entry is the current page (``aria-current="page"``); at most one is.
    current: bool = False


def _entries() -> list[tuple[str, object, str | None]]:
    """The menu entries the user may see: ``(url, label, endpoint prefix that also makes the
    entry current)``, in menu order."""
    from flask_babel import gettext as _

    from coordination.permissions import can

    tenant = g.get("tenant")
    entries: list[tuple[str, object, str | None]] = [(url_for("core.index"), _("Regions"), None)]
    if tenant is not None and can("tenant.view"):
        entries.append((url_for("tenant.home", tenant=tenant.slug), _("Region home"), None))
        entries += [(url_for(endpoint, tenant=tenant.slug), label, endpoint.rsplit(".", 1)[0] + ".")
                    for endpoint, label, action in tenant_nav() if can(action)]
        if can("tenant.users"):
            entries += [(url_for("tenant.users", tenant=tenant.slug), _("Users"), "tenant.user"),
                        (url_for("tenant.settings", tenant=tenant.slug), _("Settings"), None),
                        (url_for("tenant.audit_log", tenant=tenant.slug), _("Audit log"), None)]
    if can("national.view"):
        entries.append((url_for("national.overview"), _("National view"), None))
        entries += [(url_for(endpoint), label, None) for endpoint, label, action in national_nav()
                    if can(action)]
    if can("platform.users"):
        entries.append((url_for("admin.users"), _("Administration"), "admin."))
    return entries


def current_menu_url(urls: list[str], prefixes: list[str | None], breadcrumbs=()) -> str | None:
    """Which one menu address is the current page: the page itself, else the deepest
    breadcrumb that is a menu entry, else the first entry whose endpoint prefix the page's
    endpoint starts with (a module's pages without breadcrumbs); None when nothing fits."""
    here = request.script_root + request.path
    if here in urls:
        return here
    for _label, url in reversed(list(breadcrumbs or ())):
        if url in urls:
            return url
    endpoint = request.endpoint or ""
    for url, prefix in zip(urls, prefixes, strict=True):
        if prefix and endpoint.startswith(prefix):
            return url
    return None


def main_menu(breadcrumbs=()) -> list[MenuItem]:
    """The main menu for the current user and page, with exactly one entry (at most) current."""
    entries = _entries()
    urls = [url for url, _label, _prefix in entries]
    current = current_menu_url(urls, [prefix for _u, _l, prefix in entries], breadcrumbs)
    return [MenuItem(url, label, url == current) for url, label, _prefix in entries]


def region_crumbs(*items) -> list[tuple]:
    """Breadcrumbs starting at the current region's home: ``items`` are ``(label, url)`` pairs,
    the last one (the current page) with url None."""
    from flask_babel import gettext as _

    tenant = g.get("tenant")
    head = [(_("Region home"), url_for("tenant.home", tenant=tenant.slug))] if tenant is not None else []
    return head + [tuple(item) for item in items]


def nav_context() -> dict:
    if not has_request_context():
        return {}
    return {
        "current_tenant": g.get("tenant"),
        "tenant_nav": tenant_nav(),
        "national_nav": national_nav(),
        "main_menu": main_menu,
        "region_crumbs": region_crumbs,
        "switcher_tenants": switcher_tenants,
        "current_locale": str(get_locale() or "pl"),
        "current_path": request.full_path.rstrip("?") if request else "/",
    }
