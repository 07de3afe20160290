"""Fixtures of the SIRES module tests: the template, people, diagnoses in a given state."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from coordination import clock
from coordination.auth.models import User
from coordination.extensions import db
from coordination.tenancy import tenant_context
from national import services
from national.models import Diagnosis, DiagnosisItem, DiagnosisRating


def utcnow() -> datetime:
    return clock.utcnow()


@pytest.fixture
def template(app):
    """The seeded template: item code -> id."""
    with app.app_context():
        services.ensure_template()
        codes = {i.code: i.id for i in db.session.scalars(select(DiagnosisItem))}
        db.session.remove()
    return codes


@pytest.fixture
def people(make_user):
    return {
        "consultant": make_user("konsultant@example.org", national=True, name="Konsultantka Krajowa"),
        "coordinator": make_user("koord@example.org", "coordinator", "wielkopolskie", name="Koordynatorka W"),
        "coordinator_lodz": make_user("koord.lodz@example.org", "coordinator", "lodzkie", name="Koordynator Ł"),
        "member": make_user("czlonek@example.org", "member", "wielkopolskie"),
        "admin": make_user("admin@example.org", admin=True),
    }


def user(uid: int) -> User:
    return db.session.get(User, uid)


def full_rating(need: int = 2, state: int = 3, priority: str = "M", **extra) -> dict:
    return {"state": state, "need": need, "priority": priority, "evidence": "Dowody", **extra}


def fill(diagnosis, actor, values: dict | None = None) -> None:
    """Rate every item of a draft (values: item id -> rating dict) through the service."""
    values = values or {}
    for rating in db.session.scalars(select(DiagnosisRating).where(
            DiagnosisRating.diagnosis_id == diagnosis.id)).all():
        services.save_rating(diagnosis, rating.item_id, values.get(rating.item_id, full_rating()),
                             actor=actor, consultant=True)


def make_signed(tenant_id: int, version: int, ratings: dict[int, dict], signed_at: datetime,
                item_ids: list[int] | None = None) -> int:
    """Fast path for big fixtures: a signed version with the given ratings (item id -> fields).

    Builds the draft and its ratings first and signs last, the same order the services use,
    so the immutability guard sees a normal draft -> signed transition.
    """
    with tenant_context(tenant_id):
        d = Diagnosis(version=version, kind="baseline" if version == 1 else "update", status="draft")
        db.session.add(d)
        db.session.flush()
        for item_id in item_ids or ratings:
            fields = {"support_forms": [], "target_groups": [], **ratings.get(item_id, {})}
            db.session.add(DiagnosisRating(diagnosis_id=d.id, item_id=item_id, **fields))
        db.session.flush()
        d.status = "signed"
        d.signed_at = signed_at
        db.session.commit()
        return d.id
