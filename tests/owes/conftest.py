"""OWES fixtures: the catalogue, a region with two OWES and their people, XLSX builders."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from coordination.auth.models import Membership, User
from coordination.extensions import db
from coordination.tenancy import tenant_context
from owes.catalogue import ensure_catalogue
from owes.models import Indicator
from owes.services import plans, registry

REGION = "wielkopolskie"


@dataclass
class World:
    tenant_id: int
    owes_id: int
    other_owes_id: int
    plan_id: int
    users: dict


@pytest.fixture
def catalogue(app):
    with app.app_context():
        ensure_catalogue()
        codes = dict(db.session.execute(select(Indicator.code, Indicator.id)).all())
        db.session.remove()
    return codes


def client_for(app, login, world, role):
    """A test client logged in as one of the world's people."""
    client = app.test_client()
    login(client, world.users[role])
    return client


def bind(app, tenant_id: int, user_id: int, owes_id: int) -> None:
    with app.app_context(), tenant_context(tenant_id):
        m = db.session.scalar(select(Membership).where(Membership.user_id == user_id))
        m.owes_id = owes_id
        db.session.commit()
        db.session.remove()


@pytest.fixture
def world(app, tenants, make_user, catalogue) -> World:
    """Two OWES in wielkopolskie, a 2018–2021 plan for the first, and people:
    coordinator, member, national, owes (bound to the first OWES), other_owes (bound to the second)."""
    users = {
        "coordinator": make_user("koord@example.org", "coordinator", REGION, name="Kasia Koordynator"),
        "member": make_user("czlonek@example.org", "member", REGION),
        "owes": make_user("owes1@example.org", "owes", REGION, name="Ola Owes"),
        "other_owes": make_user("owes2@example.org", "owes", REGION),
        "national": make_user("kraj@example.org", national=True),
    }
    tid = tenants[REGION]
    with app.app_context(), tenant_context(tid):
        actor = db.session.get(User, users["coordinator"])
        first = registry.save_owes(None, {"name": "OWES Pierwszy", "subregion": "gnieźnieński"}, actor=actor)
        second = registry.save_owes(None, {"name": "OWES Drugi"}, actor=actor)
        plan = plans.save_plan(first, None, {"title": "Plan 2018–2021", "start_year": 2018,
                                             "end_year": 2021}, actor=actor)
        ids = (first.id, second.id, plan.id)
        db.session.remove()
    bind(app, tid, users["owes"], ids[0])
    bind(app, tid, users["other_owes"], ids[1])
    return World(tid, ids[0], ids[1], ids[2], users)


def xlsx(rows: list[list], *, sheet: str = "Wartości", merge: str | None = None,
         number_formats: dict | None = None) -> bytes:
    """A workbook with ``rows`` on the first sheet (optionally a merged range / cell formats)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    for ref, fmt in (number_formats or {}).items():
        ws[ref].number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEADER = ["Kod", "Wskaźnik", "Jednostka", "Cel", "2018", "2019", "2020", "2021"]


def dec(x) -> Decimal:
    return Decimal(str(x))
