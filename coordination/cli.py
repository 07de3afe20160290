"""Command-line tools: ``flask --app wsgi <command>``."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.engine import make_url

from coordination.extensions import db


def register_cli(app) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(seed_regions)
    app.cli.add_command(create_user)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(repair_text)
    app.cli.add_command(fingerprint)
    from coordination.i18n import i18n_cli
    from coordination.scheduler import scheduler_cli
    from coordination.synthetic import seed_synthetic

    app.cli.add_command(i18n_cli)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(seed_synthetic)


@click.command("seed-regions")
@with_appcontext
def seed_regions():
    """Create the 16 voivodeships if missing (idempotent)."""
    from tenants.services import ensure_regions

    click.echo(f"regions created: {ensure_regions()}")


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Demo regions, accounts and groups drawn from the seeds (idempotent)."""
    from coordination.demo import seed_demo as run

    rows = run()
    password = current_app.config["DEMO_PASSWORD"]
    click.echo(f"Demo accounts (password: {password}):")
    for email, what in rows:
        click.echo(f"  {email:45} {what}")


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--admin", "is_admin", is_flag=True, help="platform administrator")
@click.option("--national", "is_national", is_flag=True, help="national consultant")
@click.option("--tenant", "tenant_slug", help="region slug for a membership")
@click.option("--role", type=click.Choice(["coordinator", "member", "owes"]), default="member")
def create_user(email, full_name, password, is_admin, is_national, tenant_slug, role):
    """Create an account (optionally with a role in one region)."""
    from coordination.auth.services import create_user as make
    from coordination.errors import DomainError
    from tenants.models import Tenant

    memberships = {}
    if tenant_slug:
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == tenant_slug))
        if tenant is None:
            raise click.ClickException(f"unknown region {tenant_slug!r}")
        memberships[tenant] = role
    try:
        user = make(email, full_name, password, is_admin=is_admin, is_national=is_national,
                    memberships=memberships)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created {user.email}")


def _db_url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _pg_args(url) -> tuple[list[str], dict]:
    import os

    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    args = []
    if url.host:
        args += ["-h", url.host]
    if url.port:
        args += ["-p", str(url.port)]
    if url.username:
        args += ["-U", url.username]
    return args, env


@click.command("backup")
@with_appcontext
@click.argument("target", type=click.Path(dir_okay=False))
def backup(target):
    """Back the database up to TARGET (SQLite online backup, or pg_dump -Fc)."""
    url = _db_url()
    if url.get_backend_name() == "sqlite":
        src = sqlite3.connect(url.database)
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.close()
        src.close()
    else:
        args, env = _pg_args(url)
        subprocess.run(["pg_dump", "-Fc", "-f", target, *args, url.database], check=True, env=env)
    click.echo(f"backup written to {target}")


@click.command("restore")
@with_appcontext
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
def restore(source, yes):
    """Replace the database with the backup SOURCE.

    A SQLite backup restores into PostgreSQL too (a region moving from the embedded default to
    a server): the target database must be empty; the schema is created by the migrations and
    every table is copied."""
    if not yes:
        click.confirm("This replaces ALL data in the database. Continue?", abort=True)
    url = _db_url()
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        src = sqlite3.connect(source)
        dst = sqlite3.connect(url.database)
        with dst:
            src.backup(dst)
        dst.close()
        src.close()
    elif _is_sqlite_file(source):
        _copy_sqlite_into_empty(source)
    else:
        if shutil.which("pg_restore") is None:
            raise click.ClickException("pg_restore not found: install the PostgreSQL client")
        args, env = _pg_args(url)
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "-d", url.database,
                        *args, source], check=True, env=env)
    from coordination.modules import manifests

    for manifest in manifests():
        for hook in manifest.after_restore:
            click.echo(f"{manifest.name} after restore: {hook()}")
    click.echo(f"database restored from {source}")


def _is_sqlite_file(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def _copy_sqlite_into_empty(source: str) -> None:
    """Create the schema in the (empty) server database and copy every table of the SQLite
    file ``source`` into it, parents first; then move the id sequences past the copied ids."""
    from flask_migrate import upgrade
    from sqlalchemy import create_engine, func, inspect, text

    if inspect(db.engine).get_table_names():
        raise click.ClickException("the target database is not empty: restore a SQLite backup "
                                   "into a new, empty database")
    upgrade(revision="heads")
    src = create_engine("sqlite:///" + source)
    from coordination.auth.counts import paused

    # the counts of memberships are copied as they are, not counted again by the triggers
    with src.connect() as reader, db.engine.begin() as writer, paused(writer):
        for table in reversed(db.metadata.sorted_tables):  # the migration's reference data
            writer.execute(table.delete())
        for table in db.metadata.sorted_tables:
            pk = list(table.primary_key.columns)
            rows = [dict(r) for r in reader.execute(select(table).order_by(*pk)).mappings()]
            # rows that refer to rows of their own table (a digest, a substitute): inserted
            # without the reference, which is set once all rows are in
            own = {c.parent.name for c in table.foreign_keys
                   if c.column.table is table and c.parent.name != "tenant_id"}
            later = [(r, {c: r[c] for c in own}) for r in rows if any(r[c] is not None for c in own)]
            for start in range(0, len(rows), 1000):
                batch = [{**r, **dict.fromkeys(own)} for r in rows[start:start + 1000]]
                writer.execute(table.insert(), batch)
            for row, refs in later:
                writer.execute(table.update().where(*[c == row[c.name] for c in pk]).values(refs))
            if len(pk) == 1 and pk[0].autoincrement in (True, "auto") \
                    and pk[0].type.python_type is int:
                top = writer.scalar(select(func.max(pk[0])))
                if top is not None:
                    writer.execute(text("SELECT setval(pg_get_serial_sequence(:t, :c), :v)"),
                                   {"t": table.name, "c": pk[0].name, "v": top})
    src.dispose()


@click.command("repair-text")
@click.option("--apply", "apply_", is_flag=True, help="write the repaired values (default: only count)")
@with_appcontext
def repair_text(apply_):
    """Remove control characters (other than tab and newline) from stored text; CR/LF -> LF."""
    from coordination.text_repair import repair_stored_text

    repairs = repair_stored_text(apply=apply_)
    for r in repairs:
        click.echo(f"{r.table}.{r.column}: {r.rows}")
    total = sum(r.rows for r in repairs)
    if apply_:
        click.echo(f"repaired {total} values")
    else:
        click.echo(f"{total} values to repair; run with --apply to repair them")


def fingerprints(connection) -> dict[str, tuple[int, str]]:
    """table -> (rows, sha256 of its rows in primary-key order), the same on SQLite and
    PostgreSQL for the same data: compare a database before a backup and after a restore."""
    import hashlib
    import json

    result = {}
    for table in db.metadata.sorted_tables:
        digest = hashlib.sha256()
        rows = 0
        stmt = select(table).order_by(*table.primary_key.columns)
        for row in connection.execute(stmt):
            rows += 1
            values = [hashlib.sha256(v).hexdigest() if isinstance(v, bytes | bytearray)
                      else v.isoformat() if hasattr(v, "isoformat") else v for v in row]
            digest.update(json.dumps(values, sort_keys=True, default=str).encode())
        result[table.name] = (rows, digest.hexdigest())
    return result


@click.command("fingerprint")
@with_appcontext
def fingerprint():
    """Print rows and a checksum per table (compare before a backup and after a restore)."""
    with db.engine.connect() as conn:
        prints = fingerprints(conn)
    for name, (rows, digest) in prints.items():
        click.echo(f"{name:40} {rows:8} {digest[:16]}")
    click.echo(f"{len(prints)} tables, {sum(r for r, _d in prints.values())} rows")
