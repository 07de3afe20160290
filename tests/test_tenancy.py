"""The tenant filter and its known bypasses (service level)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from coordination.extensions import db
from coordination.tenancy import (
    TenantContextMissing,
    TenantViolation,
    all_tenants,
    tenant_context,
)
from workgroups.models import Group


@pytest.fixture
def two_groups(make_group):
    return make_group("Grupa A", "wielkopolskie"), make_group("Grupa B", "lodzkie")


def test_select_is_filtered_to_current_tenant(ctx, tenants, two_groups):
    with tenant_context(tenants["wielkopolskie"]):
        names = db.session.scalars(select(Group.name)).all()
    assert names == ["Grupa A"]


def test_query_without_tenant_context_raises(ctx, two_groups):
    with pytest.raises(TenantContextMissing):
        db.session.scalars(select(Group)).all()


def test_all_tenants_is_explicit(ctx, two_groups):
    with all_tenants():
        assert db.session.scalar(select(func.count(Group.id))) == 2


def test_identity_map_get_does_not_leak(ctx, tenants, two_groups):
    a_id, b_id = two_groups
    with all_tenants():
        b = db.session.get(Group, b_id)  # now in the identity map
        assert b is not None
    with tenant_context(tenants["wielkopolskie"]):
        assert db.session.get(Group, b_id) is None
        assert db.session.get(Group, a_id).name == "Grupa A"


def test_get_or_404_answers_404_for_foreign_and_unknown_objects(ctx, tenants, two_groups):
    from werkzeug.exceptions import NotFound

    a_id, b_id = two_groups
    with all_tenants():
        db.session.get(Group, b_id)  # in the identity map: the filter must still hide it
    with tenant_context(tenants["wielkopolskie"]):
        assert db.get_or_404(Group, a_id).name == "Grupa A"
        for ident in (b_id, 999_999):
            with pytest.raises(NotFound):
                db.get_or_404(Group, ident)


def test_orm_update_cannot_touch_other_tenant(ctx, tenants, two_groups):
    with tenant_context(tenants["wielkopolskie"]):
        db.session.execute(update(Group).values(name="zmienione"))
        db.session.commit()
    with all_tenants():
        names = sorted(db.session.scalars(select(Group.name)).all())
    assert names == ["Grupa B", "zmienione"]


def test_orm_delete_cannot_touch_other_tenant(ctx, tenants, two_groups):
    from sqlalchemy import delete

    with tenant_context(tenants["lodzkie"]):
        db.session.execute(delete(Group))
        db.session.commit()
    with all_tenants():
        assert db.session.scalars(select(Group.name)).all() == ["Grupa A"]


def test_insert_gets_tenant_from_context(ctx, tenants):
    with tenant_context(tenants["lodzkie"]):
        g = Group(name="Nowa", kind="custom")
        db.session.add(g)
        db.session.commit()
        assert g.tenant_id == tenants["lodzkie"]


def test_insert_without_context_raises(ctx):
    db.session.add(Group(name="Bez", kind="custom"))
    with pytest.raises(TenantContextMissing):
        db.session.flush()
    db.session.rollback()


def test_insert_for_other_tenant_raises(ctx, tenants):
    with tenant_context(tenants["wielkopolskie"]):
        db.session.add(Group(name="Obca", kind="custom", tenant_id=tenants["lodzkie"]))
        with pytest.raises(TenantViolation):
            db.session.flush()
        db.session.rollback()


def test_moving_a_row_to_another_tenant_raises(ctx, tenants, two_groups):
    with tenant_context(tenants["wielkopolskie"]):
        g = db.session.get(Group, two_groups[0])
        g.tenant_id = tenants["lodzkie"]
        with pytest.raises(TenantViolation):
            db.session.flush()
        db.session.rollback()


def test_composite_foreign_key_exists_for_children(app):
    """Children of tenant rows reference (tenant_id, parent_id); parents expose (tenant_id, id)."""
    from coordination.db import TenantScoped

    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        if issubclass(cls, TenantScoped):
            uniques = [tuple(c.name for c in u.columns) for u in mapper.local_table.constraints
                       if u.__class__.__name__ == "UniqueConstraint"]
            assert ("tenant_id", "id") in uniques, cls


def test_count_over_subquery_is_filtered(ctx, tenants, two_groups):
    stmt = select(Group).where(Group.kind == "promotion")
    count = select(func.count()).select_from(stmt.subquery())
    with tenant_context(tenants["wielkopolskie"]):
        assert db.session.scalar(count) == 1
    with pytest.raises(TenantContextMissing):
        db.session.scalar(count)


def test_scalar_subquery_in_where_is_filtered(ctx, tenants, two_groups):
    from tenants.models import Tenant

    has_groups = select(Group.tenant_id).scalar_subquery()
    with tenant_context(tenants["lodzkie"]):
        slugs = db.session.scalars(select(Tenant.slug).where(Tenant.id.in_(has_groups))).all()
    assert slugs == ["lodzkie"]


def test_joined_tenant_entity_is_filtered_even_when_not_selected(ctx, tenants, make_user):
    """select(User).join(Membership): the joined tenant table is filtered too."""
    from coordination.auth.models import Membership, User

    make_user("w@example.org", "member", "wielkopolskie")
    make_user("l@example.org", "member", "lodzkie")
    stmt = select(User.email).join(Membership, Membership.user_id == User.id).order_by(User.email)
    with tenant_context(tenants["wielkopolskie"]):
        assert db.session.scalars(stmt).all() == ["w@example.org"]
    with pytest.raises(TenantContextMissing):
        db.session.scalars(stmt).all()
