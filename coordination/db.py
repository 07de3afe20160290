"""Declarative base, the ``TenantScoped`` mixin and the one tenant filter.

Tenancy is enforced here and only here:

* ``do_orm_execute`` adds ``with_loader_criteria(TenantScoped, tenant_id == current)`` to every
  ORM SELECT, UPDATE and DELETE that touches a tenant-owned entity, and raises
  :class:`TenantContextMissing` when there is no tenant and no ``all_tenants()`` block;
* ``before_flush`` stamps ``tenant_id`` on new rows and refuses writes to another tenant's rows;
* :class:`TenantSession` re-checks objects that ``Session.get`` returns from the identity map
  (that path emits no SQL, so the criteria above cannot see it);
* children reference parents by a composite foreign key ``(tenant_id, parent_id)``.
"""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import (
    ForeignKey,
    ForeignKeyConstraint,
    MetaData,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)
from sqlalchemy.sql import visitors

from coordination.tenancy import (
    TenantContextMissing,
    TenantViolation,
    all_tenants_mode,
    current_tenant_id,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations are deterministic."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TenantScoped:
    """Mixin for every tenant-owned table.

    Subclasses may declare ``__tenant_parents__ = {"group_id": "work_group"}``: each entry
    becomes a composite foreign key ``(tenant_id, group_id) -> work_group(tenant_id, id)``,
    so a child can never point at another tenant's parent. Deleting the parent deletes the
    child (ON DELETE CASCADE): the child is part of its parent.

    ``__tenant_references__ = {"chair_id": "group_member"}`` declares an optional reference
    to another row of the same tenant that the row is *not* part of: the same composite
    foreign key, but ON DELETE NO ACTION, so deleting the referenced row is refused while
    anything still points at it (services clear the reference first). SET NULL is not an
    option for a composite key: it would null ``tenant_id`` too (NOT NULL), and setting only
    one column (``SET NULL (col)``) exists in PostgreSQL 15 but not in SQLite. NO ACTION
    (not RESTRICT) is checked at the end of the statement, so a cascade that removes both the
    referencing and the referenced rows (e.g. a whole group) still succeeds.

    Extra table arguments go in ``__extra_table_args__``.
    """

    #: owning tenant (voivodeship); set automatically from the tenant context on insert.
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenant.id", ondelete="RESTRICT"), index=True, nullable=False
    )

    @declared_attr.directive
    def __table_args__(cls) -> tuple:  # noqa: N805
        args: list[Any] = [UniqueConstraint("tenant_id", "id")]
        for column, parent in getattr(cls, "__tenant_parents__", {}).items():
            args.append(
                ForeignKeyConstraint(
                    ["tenant_id", column],
                    [f"{parent}.tenant_id", f"{parent}.id"],
                    ondelete="CASCADE",
                )
            )
        for column, parent in getattr(cls, "__tenant_references__", {}).items():
            args.append(
                ForeignKeyConstraint(
                    ["tenant_id", column],
                    [f"{parent}.tenant_id", f"{parent}.id"],
                )
            )
        args.extend(getattr(cls, "__extra_table_args__", ()))
        return tuple(args)


def _tenant_of_object_allowed(obj: Any) -> bool:
    if not isinstance(obj, TenantScoped) or all_tenants_mode.get():
        return True
    tid = current_tenant_id.get()
    if tid is None:
        raise TenantContextMissing(f"{type(obj).__name__} read without a tenant context")
    return obj.tenant_id == tid


class TenantSession(FlaskSession):
    """Session whose ``get`` never returns another tenant's object from the identity map."""

    def get(self, entity, ident, **kwargs):  # type: ignore[override]
        obj = super().get(entity, ident, **kwargs)
        if obj is not None and not _tenant_of_object_allowed(obj):
            return None
        return obj

    def get_one(self, entity, ident, **kwargs):  # type: ignore[override]
        obj = self.get(entity, ident, **kwargs)
        if obj is None:
            raise NoResultFound("No row was found when one was required")
        return obj


def _is_tenant_mapper(mapper) -> bool:
    return issubclass(mapper.class_, TenantScoped)


def _touches_tenant_tables(state: ORMExecuteState) -> bool:
    """True when the statement involves a tenant-owned entity anywhere, subqueries included.

    ``all_mappers`` only sees top-level entities; ``select(func.count()).select_from(subq)``
    hides them, so fall back to walking the statement for ORM-annotated elements.
    """
    if any(_is_tenant_mapper(m) for m in state.all_mappers):
        return True
    for element in visitors.iterate(state.statement):
        entity = getattr(element, "_annotations", {}).get("parententity")
        if entity is not None and _is_tenant_mapper(entity.mapper):
            return True
    return False


def _criteria_for(tid: int):
    """The loader criteria of tenant ``tid``, built once per tenant (statement building is per
    request hot path; ``tid`` is a tracked closure variable, so it becomes a bound parameter and
    every tenant's statements share one entry of SQLAlchemy's compiled cache)."""
    option = _CRITERIA.get(tid)
    if option is None:
        option = _CRITERIA[tid] = with_loader_criteria(
            TenantScoped, lambda cls: cls.tenant_id == tid, include_aliases=True
        )
    return option


_CRITERIA: dict[int, Any] = {}


@event.listens_for(TenantSession, "do_orm_execute")
def _tenant_criteria(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load:
        return
    if all_tenants_mode.get() or state.execution_options.get("all_tenants"):
        return
    tid = current_tenant_id.get()
    if tid is None:
        if _touches_tenant_tables(state):
            raise TenantContextMissing("tenant-owned table queried without a tenant context")
        return
    # With a tenant context the criteria go on every statement: they only bind tenant-owned
    # entities (a statement of other tables compiles as before), and no per-statement walk of
    # the expression tree is needed to find them (subqueries included).
    state.statement = state.statement.options(_criteria_for(tid))


@event.listens_for(TenantSession, "before_flush")
def _tenant_guard(session, _flush_context, _instances) -> None:
    cross = all_tenants_mode.get()
    tid = current_tenant_id.get()
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if obj.tenant_id is None:
            if tid is None:
                raise TenantContextMissing(f"new {type(obj).__name__} without a tenant context")
            obj.tenant_id = tid
        elif not cross and obj.tenant_id != tid:
            raise TenantViolation(f"new {type(obj).__name__} for another tenant")
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScoped) or cross:
            continue
        history = inspect(obj).attrs.tenant_id.history
        if history.has_changes() or obj.tenant_id != tid:
            raise TenantViolation(f"{type(obj).__name__} of another tenant changed")
