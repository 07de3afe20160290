"""The domain modules the application is assembled from.

Each entry is a package path. A module package may provide:

* ``<pkg>.models`` — imported so its tables join the metadata (and migrations);
* ``<pkg>.views.bp`` — a blueprint nested under ``/<tenant>`` (inherits tenant loading and the
  access guard of :mod:`tenants.views`);
* ``<pkg>.views.root_bp`` — a blueprint mounted at the root (e.g. ``/kraj/...`` national views
  or token links that work without an account);
* ``<pkg>.demo.seed(tenants)`` — idempotent demo data; ``tenants`` maps slug -> Tenant;
* ``<pkg>.jobs`` — functions the scheduler imports by dotted path.

Adding a module = one line here.
"""

from __future__ import annotations

import importlib
from types import ModuleType

MODULES: tuple[str, ...] = (
    "workgroups",
    "surveys",
    "national",
    "owes",
    "coordination.notifications",
    "coordination.exports",
)


def submodule(package: str, name: str) -> ModuleType | None:
    """Import ``package.name`` if that file exists (ModuleNotFoundError of *other* names propagates)."""
    full = f"{package}.{name}"
    try:
        return importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name == full:
            return None
        raise
