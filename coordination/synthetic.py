"""Synthetic data for benchmarks and query-count tests: ``flask --app wsgi seed-synthetic --scale N``.

Scale 1 is a realistic national installation; scale 10 is ten times every count. The data is
deterministic (seeded :class:`random.Random`) and written with bulk inserts, so scale 10 takes
well under a few minutes.

The core (this file) writes the people: per region coordinators, working-group members,
committee members and OWES representatives, plus national consultants and platform audit
entries. Then, for each package of :data:`coordination.modules.MODULES` (in that order) that has
a ``synthetic`` module, it calls::

    <pkg>.synthetic.generate(tenants, scale, rng)

``tenants`` maps slug -> Tenant, ``scale`` is the float scale, ``rng`` a ``random.Random``
seeded from the run's seed and the package name (adding a module never changes the data of
another). ``generate`` runs inside :func:`~coordination.tenancy.all_tenants`, writes with
:func:`bulk_insert`, uses :func:`count` for every number it scales, finds the core's people with
:func:`people` and may return ``{label: rows written}`` for the summary. See docs/bench.md.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import insert, select, text
from sqlalchemy import inspect as sa_inspect

from coordination.audit import AuditLog
from coordination.auth.models import Membership, User
from coordination.extensions import db
from coordination.modules import MODULES, submodule
from coordination.tenancy import all_tenants

#: password of every synthetic account (the bench logs in with it).
SYNTHETIC_PASSWORD = "synt-haslo-sieci"
#: every synthetic e-mail ends with this domain and starts with "syn.".
DOMAIN = "synthetic.example.org"
#: rows per INSERT batch.
BATCH = 2000
#: default seed of ``seed-synthetic``.
DEFAULT_SEED = 2024

#: people per region at scale 1 (kind -> (tenant role, count)). 60 members = 5 groups × 12.
PEOPLE_PER_TENANT: dict[str, tuple[str, int]] = {
    "coordinator": ("coordinator", 2),
    "member": ("member", 60),
    "committee": ("member", 40),
    "owes": ("owes", 8),
}
#: national consultants at scale 1 (and one administrator, never scaled).
NATIONAL_PEOPLE = 4
#: audit entries per region, and platform-level ones, at scale 1.
AUDIT_PER_TENANT = 400
AUDIT_PLATFORM = 200
#: the synthetic calendar: five years ending at this date (never "now": runs stay identical).
EPOCH_END = datetime(2025, 12, 31, 17, 0)
YEARS = 5

FIRST_NAMES = ("Anna", "Piotr", "Katarzyna", "Tomasz", "Magdalena", "Paweł", "Agnieszka", "Marcin",
               "Joanna", "Michał", "Ewa", "Krzysztof", "Barbara", "Łukasz", "Zofia", "Jan",
               "Małgorzata", "Grzegorz", "Aleksandra", "Wojciech")
LAST_NAMES = ("Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kamińska", "Lewandowski", "Zielińska",
              "Szymański", "Woźniak", "Dąbrowska", "Kozłowski", "Jankowska", "Mazur", "Kwiatkowska",
              "Krawczyk", "Piotrowska", "Grabowski", "Nowakowska", "Pawłowski", "Michalska")
AUDIT_ACTIONS = ("group.create", "group.update", "user.invite", "membership.role", "tenant.settings",
                 "meeting.create", "minutes.adopt", "survey.open", "owes.indicators")


def count(base: int, scale: float) -> int:
    """``base`` at scale 1, scaled; at least 1 so every kind of object exists at tiny scales."""
    return max(1, round(base * scale))


def email(kind: str, index: int, slug: str | None = None) -> str:
    """Deterministic e-mail of a synthetic person, e.g. ``syn.member.7.lodzkie@…``."""
    where = f".{slug}" if slug else ""
    return f"syn.{kind}.{index}{where}@{DOMAIN}"


def timestamp(rng: random.Random) -> datetime:
    """A moment in the synthetic five years (office hours are not modelled)."""
    return EPOCH_END - timedelta(minutes=rng.randrange(YEARS * 365 * 24 * 60))


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def bulk_insert(model, rows: Iterable[dict], *, returning=None) -> list:
    """Insert ``rows`` in batches of :data:`BATCH`; with ``returning`` (a column) return its
    values in row order. Set ``tenant_id`` in every row of a tenant-owned model, and give every
    row the same keys (a None is written as NULL, not as the column's default)."""
    out: list = []
    batch: list[dict] = []
    # render_nulls: a None is sent as NULL instead of leaving the column out, so rows with
    # different None patterns still share one executemany (else the ORM splits the batch)
    stmt = insert(model).execution_options(render_nulls=True)

    def flush() -> None:
        if not batch:
            return
        if returning is None:
            if not _copy(model, batch):
                db.session.execute(stmt, batch)
        else:
            out.extend(db.session.scalars(stmt.returning(returning, sort_by_parameter_order=True),
                                          batch).all())
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            flush()
    flush()
    return out


def _copy(model, rows: list[dict]) -> bool:
    """PostgreSQL: write ``rows`` with ``COPY … FROM STDIN`` in the session's transaction and
    return True (psycopg sends an executemany as one INSERT per row; COPY is several times
    faster). Values go through the columns' SQLAlchemy bind processors (JSON, enums, type
    decorators) and Python-side defaults fill the columns the rows leave out, as an INSERT
    would. False (nothing written) elsewhere, or when a left-out column has a SQL default."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return False
    mapper = sa_inspect(model)
    columns = [mapper.columns[key] for key in rows[0]]
    given = {c.name for c in columns}
    defaults = []
    for column in model.__table__.columns:
        if column.name in given or column.default is None:
            continue
        if not (column.default.is_scalar or column.default.is_callable):
            return False
        defaults.append(column)
    dialect = connection.dialect
    processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns + defaults]

    def default(column):
        return column.default.arg if column.default.is_scalar else column.default.arg(None)

    names = ", ".join(dialect.identifier_preparer.quote(c.name) for c in columns + defaults)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {model.__table__.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            values = [*row.values(), *(default(c) for c in defaults)]
            copy.write_row([v if p is None or v is None else p(v) for v, p in zip(values, processors,
                                                                                strict=True)])
    return True


def people(tenant, kind: str) -> list[int]:
    """User ids of the core's synthetic people of ``kind`` in ``tenant`` (a Tenant), in creation
    order. Kinds: ``coordinator``, ``member`` (working groups: 12 per group), ``committee``
    (the Regional Committee), ``owes`` (one per OWES)."""
    pattern = f"syn.{kind}.%.{tenant.slug}@{DOMAIN}"
    return list(db.session.scalars(
        select(User.id).join(Membership, Membership.user_id == User.id)
        .where(Membership.tenant_id == tenant.id, User.email.like(pattern)).order_by(User.id)
    ))


def first_id(model, tenant_slug: str, *where) -> int | None:
    """Id of the first row of ``model`` (in region ``tenant_slug`` when tenant-owned) matching
    ``where`` (functions of the model class): URL values of the benchmark's key pages."""
    from tenants.models import Tenant

    stmt = select(model.id).order_by(model.id).limit(1)
    for condition in where:
        stmt = stmt.where(condition(model))
    if hasattr(model, "tenant_id"):
        stmt = stmt.where(model.tenant_id == select(Tenant.id).where(Tenant.slug == tenant_slug)
                          .scalar_subquery())
    return db.session.scalar(stmt)


def _password_hash() -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(SYNTHETIC_PASSWORD)


def _core(tenants: Mapping[str, object], scale: float, rng: random.Random) -> dict[str, int]:
    pw = _password_hash()

    def account(kind: str, index: int, slug: str | None = None, **flags) -> dict:
        return {"email": email(kind, index, slug), "full_name": person_name(rng), "password_hash": pw,
                "is_admin": False, "is_national": False, "active": True, "locale": "pl",
                "session_version": 1, **flags}

    accounts = [account("admin", 1, is_admin=True)]
    accounts += [account("national", i, is_national=True)
                 for i in range(1, count(NATIONAL_PEOPLE, scale) + 1)]
    roles: list[tuple[int, str]] = []  # (tenant id, role) for each regional account, in order
    for tenant in tenants.values():
        for kind, (role, base) in PEOPLE_PER_TENANT.items():
            for i in range(1, count(base, scale) + 1):
                accounts.append(account(kind, i, tenant.slug))
                roles.append((tenant.id, role))
    ids = bulk_insert(User, accounts, returning=User.id)
    regional = ids[len(accounts) - len(roles):]
    bulk_insert(Membership, ({"tenant_id": tid, "user_id": uid, "role": role}
                             for uid, (tid, role) in zip(regional, roles, strict=True)))
    coordinators = {tid: uid for uid, (tid, role) in zip(regional, roles, strict=True)
                    if role == "coordinator"}

    def entry(tenant_id: int | None, actor_id: int) -> dict:
        action = rng.choice(AUDIT_ACTIONS)
        return {"at": timestamp(rng), "actor_id": actor_id, "tenant_id": tenant_id,
                "actor_email": None, "action": action, "object_type": action.split(".")[0].title(),
                "object_id": rng.randrange(1, 10_000), "summary": {"name": [None, person_name(rng)]}}

    audits = [entry(t.id, coordinators[t.id]) for t in tenants.values()
              for _ in range(count(AUDIT_PER_TENANT, scale))]
    audits += [entry(None, ids[0]) for _ in range(count(AUDIT_PLATFORM, scale))]
    bulk_insert(AuditLog, audits)
    return {"accounts": len(accounts), "memberships": len(roles), "audit entries": len(audits)}


class AlreadySeeded(RuntimeError):
    """The database already holds synthetic data."""


def seed(scale: float = 1.0, seed_value: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the synthetic installation at ``scale``; return ``{label: rows}``."""
    from tenants.models import Tenant
    from tenants.services import ensure_regions

    if scale <= 0:
        raise ValueError("scale must be positive")
    ensure_regions()
    with all_tenants():
        if db.session.scalar(select(User.id).where(User.email.like(f"syn.%@{DOMAIN}")).limit(1)):
            raise AlreadySeeded("synthetic data already present: use a fresh database")
        tenants = {t.slug: t for t in db.session.scalars(select(Tenant).order_by(Tenant.teryt))}
        summary = _core(tenants, scale, random.Random(f"{seed_value}:core"))
        for package in MODULES:
            module = submodule(package, "synthetic")
            if module is None:
                continue
            written = module.generate(tenants, scale, random.Random(f"{seed_value}:{package}"))
            for label, rows in (written or {}).items():
                summary[f"{package}: {label}"] = rows
        db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        # planner statistics for the freshly loaded tables, as after any bulk load (autovacuum
        # would get there within minutes; the bench starts measuring at once)
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return summary


@click.command("seed-synthetic")
@with_appcontext
@click.option("--scale", type=float, default=1.0, show_default=True,
              help="1 = a realistic national installation, 10 = ten times every count")
@click.option("--seed", "seed_value", type=int, default=DEFAULT_SEED, show_default=True)
def seed_synthetic(scale: float, seed_value: int) -> None:
    """Fill a fresh database with deterministic synthetic data (benchmarks)."""
    started = time.perf_counter()
    try:
        summary = seed(scale, seed_value)
    except AlreadySeeded as exc:
        raise click.ClickException(str(exc)) from exc
    for label, rows in summary.items():
        click.echo(f"  {label:40} {rows:>9}")
    click.echo(f"synthetic data at scale {scale:g} written in {time.perf_counter() - started:.1f} s "
               f"(password of every account: {SYNTHETIC_PASSWORD})")
