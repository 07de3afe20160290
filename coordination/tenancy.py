"""The tenant context: who the current tenant is, and the escape hatch for national reads.

The tenant is carried in a context variable so that the ORM filter in :mod:`coordination.db`
can read it without touching Flask. The tenant blueprint's URL preprocessor sets it from the
``<tenant>`` slug; jobs and national views declare cross-tenant reads with :func:`all_tenants`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

#: id of the tenant the current request or job works in; None when there is none.
current_tenant_id: ContextVar[int | None] = ContextVar("current_tenant_id", default=None)
#: True inside an explicit ``all_tenants()`` block.
all_tenants_mode: ContextVar[bool] = ContextVar("all_tenants_mode", default=False)


class TenantContextMissing(RuntimeError):
    """A tenant-owned table was queried or written with no tenant context."""


class TenantViolation(RuntimeError):
    """A write tried to touch a row of another tenant."""


@contextlib.contextmanager
def tenant_context(tenant_id: int | None) -> Iterator[None]:
    """Run a block as tenant ``tenant_id`` (services, jobs, CLI and tests)."""
    token = current_tenant_id.set(tenant_id)
    try:
        yield
    finally:
        current_tenant_id.reset(token)


@contextlib.contextmanager
def all_tenants() -> Iterator[None]:
    """Explicitly read (or write, for jobs and seeds) across all tenants.

    Every use is a deliberate cross-tenant access: national views, scheduler jobs,
    the user's own memberships, seeding. grep for it when reviewing.
    """
    token = all_tenants_mode.set(True)
    try:
        yield
    finally:
        all_tenants_mode.reset(token)


def set_request_tenant(tenant_id: int | None) -> None:
    """Set the tenant for the rest of this request (reset by :func:`clear_request_tenant`)."""
    current_tenant_id.set(tenant_id)


def clear_request_tenant(_exc=None) -> None:
    """Forget the request's tenant so a reused worker thread starts clean."""
    current_tenant_id.set(None)
    all_tenants_mode.set(False)
