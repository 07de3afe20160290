"""Exports that can run in the background, by name.

An :class:`ExportSpec` knows how many rows an export will have (one COUNT query), how to stream
its sheets, the file name, and which permission its content needs. Small exports are written
while the user waits; above :data:`INLINE_ROWS` (``SIECES_EXPORT_INLINE_ROWS``) they become an
:class:`~coordination.exports.models.ExportJob` that the scheduler process writes, with progress
shown to the user (see docs/exports.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from coordination.exports.xlsx import Sheet


@dataclass(frozen=True)
class ExportSpec:
    """A named export."""

    #: registry key, stored on jobs.
    name: str
    #: permission action (``coordination.permissions.RULES``) on the tenant (or None: platform).
    permission: str
    #: ``count(tenant_id, params) -> rows`` (one query).
    count: Callable[[int | None, dict], int]
    #: ``sheets(tenant_id, params) -> sheets`` whose rows are generators (memory stays flat).
    sheets: Callable[[int | None, dict], Iterable[Sheet]]
    #: ``filename(tenant_id, params) -> download name``.
    filename: Callable[[int | None, dict], str]
    #: another file format: ``write(file, tenant_id, params, on_progress) -> rows`` writes the
    #: whole file (``sheets`` is then not used); ``content_type`` is its type.
    write: Callable[..., int] | None = None
    content_type: str | None = None


#: name -> spec; modules add theirs with :func:`register`.
EXPORTS: dict[str, ExportSpec] = {}


def register(spec: ExportSpec) -> ExportSpec:
    """Add ``spec`` to the registry (idempotent for the same name)."""
    EXPORTS[spec.name] = spec
    return spec


def spec(name: str) -> ExportSpec:
    """The registered export ``name`` (KeyError for unknown names)."""
    _load_builtin()
    return EXPORTS[name]


def _load_builtin() -> None:
    """Import the modules that register exports (idempotent)."""
    import coordination.exports.audit  # noqa: F401
