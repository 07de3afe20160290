"""The domain modules the application is assembled from.

Each entry is a package path. A module package provides:

* ``<pkg>.manifest.MANIFEST`` — a :class:`coordination.manifest.Manifest`: its blueprints
  (nested under ``/<tenant>`` or at the root), permission rules, menu entries, home panels,
  notification kinds, translation catalogue, the access level of each route (isolation test)
  and the benchmark's key pages;
* ``<pkg>.models`` — imported so its tables join the metadata (and migrations);
* ``<pkg>.demo.seed(tenants)`` — idempotent demo data; ``tenants`` maps slug -> Tenant;
* ``<pkg>.synthetic.generate(...)`` — benchmark data (see :mod:`coordination.synthetic`);
* ``<pkg>.jobs`` — functions the scheduler imports by dotted path.

Adding a module = its folder (plus ``templates/<pkg>/``, ``translations/<pkg>/`` and
``tests/<pkg>/``) and one line here.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coordination.manifest import Manifest

MODULES: tuple[str, ...] = (
    "workgroups",
    "surveys",
    "national",
    "owes",
    "privacy",
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


@cache
def manifests() -> tuple[Manifest, ...]:
    """The application shell's manifest, then every module's, in :data:`MODULES` order."""
    from coordination.shell import MANIFEST as shell

    found = [shell]
    for package in MODULES:
        module = submodule(package, "manifest")
        if module is None:
            raise LookupError(f"module {package!r} has no manifest.py")
        found.append(module.MANIFEST)
    return tuple(found)


def merged(attribute: str, what: str) -> dict:
    """One dict of every manifest's ``attribute`` (a dict), in manifest order; a key declared by
    two manifests raises ``ValueError`` naming ``what`` ("permissions", "audit actions", …)."""
    found: dict = {}
    for manifest in manifests():
        declared = getattr(manifest, attribute)
        clash = set(found) & set(declared)
        if clash:
            raise ValueError(f"{manifest.name} redefines {what} {sorted(clash)}")
        found.update(declared)
    return found
