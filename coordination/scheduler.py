"""``flask --app wsgi scheduler ...``: the scheduler process (never inside web workers).

``scheduler run`` takes the **leader lock** — PostgreSQL ``pg_try_advisory_lock`` on a
dedicated connection held for the life of the process, or an ``fcntl`` lock on a file next to
the SQLite database — so only one scheduler runs jobs at a time. A second one waits for the
lock (default) or exits at once with ``--no-wait``. It then runs a BlockingScheduler
(APScheduler 3.11) with the jobs of every module, each job referenced by dotted path and run
inside ``app.app_context()``; every run is logged. SIGTERM/SIGINT stop it gracefully: the
sending job finishes the message in flight, gives back the rest of its batch, and the lock
is released. A heartbeat row tells ``/healthz`` whether a scheduler is alive.

``scheduler job <dotted.path>`` runs one job now, in this process, *without* the leader lock
(for operators, and to show that due-row claiming alone keeps deliveries exactly-once).
"""

from __future__ import annotations

import fcntl
import importlib
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from coordination import clock
from coordination.clock import utcnow
from coordination.extensions import db
from coordination.modules import MODULES, submodule

log = logging.getLogger("sieci.scheduler")

#: set when the process is asked to stop; jobs poll :func:`stopping` between work items.
_STOP = threading.Event()
#: the lock held by this process (checked by the heartbeat).
_LOCK: LeaderLock | None = None
#: arbitrary constant key of the PostgreSQL advisory lock ("sieci" in ASCII, as an integer).
ADVISORY_KEY = 0x7369656369
#: exit code of ``run --no-wait`` when another scheduler holds the lock.
EXIT_LOCKED = 3


def stopping() -> bool:
    """True once the scheduler has been asked to shut down."""
    return _STOP.is_set()


@dataclass(frozen=True)
class JobSpec:
    """A job: dotted path of a function, APScheduler trigger name and its arguments."""

    path: str
    trigger: str
    args: dict = field(default_factory=dict)


def registered_jobs(app: Flask) -> list[JobSpec]:
    """The heartbeat plus every ``SCHEDULE`` entry of the modules' ``jobs`` modules."""
    from coordination.notifications.settings import setting

    with app.app_context():
        beat = setting("SCHEDULER_HEARTBEAT_SECONDS")
    specs = [JobSpec("coordination.scheduler.heartbeat", "interval", {"seconds": beat})]
    for package in MODULES:
        jobs = submodule(package, "jobs")
        for path, trigger, args in getattr(jobs, "SCHEDULE", ()):
            specs.append(JobSpec(path, trigger, dict(args)))
    return specs


def resolve(path: str) -> Callable:
    """Import ``package.module.function`` and return the function."""
    module, _, name = path.rpartition(".")
    if not module:
        raise click.ClickException(f"not a dotted path: {path!r}")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise click.ClickException(f"cannot import job {path!r}: {exc}") from exc


_RUNNING = threading.Condition()
_running_jobs = 0


def run_job(app: Flask, path: str):
    """Run one job inside a fresh app context, log its outcome and duration."""
    global _running_jobs
    fn = resolve(path)
    started = time.monotonic()
    with _RUNNING:
        _running_jobs += 1
    try:
        with app.app_context():
            try:
                result = fn()
            except Exception:
                db.session.rollback()
                log.exception("job %s failed after %.2f s", path, time.monotonic() - started)
                raise
    finally:
        with _RUNNING:
            _running_jobs -= 1
            _RUNNING.notify_all()
    log.info("job %s done in %.2f s: %s", path, time.monotonic() - started, result)
    return result


def _wait_for_running_jobs(timeout: float) -> bool:
    with _RUNNING:
        return _RUNNING.wait_for(lambda: _running_jobs == 0, timeout)


# --- leader lock ---------------------------------------------------------------------------


class LeaderLock:
    """Exclusive right to run the scheduler's jobs; see :func:`leader_lock`."""

    description = "leader lock"

    def try_acquire(self) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def alive(self) -> bool:
        return True

    def release(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class PostgresLock(LeaderLock):
    """Session-level advisory lock on a connection kept open for the process lifetime."""

    def __init__(self, engine):
        self.engine = engine
        self.conn = None
        self.description = f"PostgreSQL advisory lock {ADVISORY_KEY}"

    def try_acquire(self) -> bool:
        if self.conn is None:
            self.conn = self.engine.connect()
        got = bool(self.conn.scalar(select(func.pg_try_advisory_lock(ADVISORY_KEY))))
        self.conn.commit()  # the lock is session-level: it outlives this transaction
        return got

    def alive(self) -> bool:
        try:
            self.conn.execute(text("SELECT 1"))
            self.conn.commit()
            return True
        except Exception:  # noqa: BLE001 - a dead connection means the lock is gone
            return False

    def release(self) -> None:
        if self.conn is None:
            return
        try:
            self.conn.scalar(select(func.pg_advisory_unlock(ADVISORY_KEY)))
            self.conn.commit()
        finally:
            self.conn.close()
            self.conn = None


class FileLock(LeaderLock):
    """``fcntl.flock`` on ``<database file>.scheduler.lock`` (released by the OS on exit)."""

    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None
        self.description = f"file lock {path}"

    def try_acquire(self) -> bool:
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        os.ftruncate(self.fd, 0)
        os.write(self.fd, f"{socket.gethostname()}:{os.getpid()}\n".encode())
        return True

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def leader_lock(app: Flask) -> LeaderLock:
    """The right lock for the configured database."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "postgresql":
        with app.app_context():
            return PostgresLock(db.engine)
    database = url.database or ""
    if database and database != ":memory:":
        path = Path(database + ".scheduler.lock")
    else:
        path = Path(app.instance_path) / "scheduler.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(path)


def acquire(lock: LeaderLock, *, wait: bool, poll: float) -> bool:
    """Take the lock; when ``wait``, retry every ``poll`` seconds until it is free or we stop."""
    announced = False
    while not _STOP.is_set():
        if lock.try_acquire():
            log.info("leader lock acquired (%s)", lock.description)
            return True
        if not wait:
            return False
        if not announced:
            log.info("another scheduler holds the %s; waiting for it", lock.description)
            announced = True
        _STOP.wait(poll)
    return False


# --- heartbeat and health ------------------------------------------------------------------

_STARTED_AT = None


def heartbeat() -> str:
    """Record that the leader is alive; stop the scheduler if its lock was lost."""
    from coordination.notifications.models import SchedulerHeartbeat

    global _STARTED_AT
    now = utcnow()
    _STARTED_AT = _STARTED_AT or now
    if _LOCK is not None and not _LOCK.alive():
        log.error("the leader lock was lost (database connection gone); stopping")
        _request_stop()
        return "lock lost"
    row = db.session.get(SchedulerHeartbeat, "scheduler")
    if row is None:
        row = SchedulerHeartbeat(name="scheduler")
        db.session.add(row)
    row.beat_at, row.started_at = now, _STARTED_AT
    row.pid, row.host = os.getpid(), socket.gethostname()[:120]
    db.session.commit()
    return "ok"


def health() -> str:
    """``"ok"`` when the scheduler's last heartbeat is recent, otherwise ``"stale"``."""
    from coordination.notifications.models import SchedulerHeartbeat
    from coordination.notifications.settings import setting

    row = db.session.get(SchedulerHeartbeat, "scheduler")
    if row is None:
        return "stale"
    limit = timedelta(seconds=setting("SCHEDULER_STALE_SECONDS"))
    return "ok" if utcnow() - row.beat_at <= limit else "stale"


# --- the process ---------------------------------------------------------------------------

_SCHEDULER = None


def _request_stop(*_args) -> None:
    """Signal handler: stop taking new work; :func:`serve` waits for the job in flight."""
    _STOP.set()
    sched = _SCHEDULER
    if sched is not None and sched.running:
        sched.shutdown(wait=False)


def _configure_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def serve(app: Flask, *, wait: bool = True, once: bool = False) -> int:
    """Take the leader lock and run the jobs (forever, or each once); return an exit code."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    from coordination.notifications.settings import setting

    global _LOCK, _SCHEDULER
    _STOP.clear()
    previous = {sig: signal.signal(sig, _request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    lock = leader_lock(app)
    try:
        with app.app_context():
            poll = setting("SCHEDULER_LOCK_POLL_SECONDS")
        if not acquire(lock, wait=wait, poll=poll):
            if _STOP.is_set():
                log.info("stopped while waiting for the leader lock")
                return 0
            click.echo(f"Another scheduler process is running (it holds the {lock.description}). "
                       "Exiting because of --no-wait; stop the other process or run without "
                       "--no-wait to take over when it stops.", err=True)
            return EXIT_LOCKED
        _LOCK = lock
        jobs = registered_jobs(app)
        if once:
            for spec in jobs:
                if _STOP.is_set():
                    break
                run_job(app, spec.path)
            return 0
        tz = app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Warsaw")
        sched = BlockingScheduler(timezone=tz, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
        for spec in jobs:
            sched.add_job(run_job, spec.trigger, args=[app, spec.path], id=spec.path,
                          name=spec.path, next_run_time=clock.wall_now(tz), **spec.args)
        _SCHEDULER = sched
        log.info("scheduler started with %d job(s): %s", len(jobs), ", ".join(s.path for s in jobs))
        if not _STOP.is_set():
            sched.start()
        log.info("stopping: waiting for running jobs to finish")
        if not _wait_for_running_jobs(timeout=120):
            log.warning("a job is still running after 120 s; exiting anyway")
        log.info("scheduler stopped")
        return 0
    finally:
        _SCHEDULER = None
        _LOCK = None
        lock.release()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@click.group("scheduler")
def scheduler_cli():
    """The scheduler process: timed jobs, notifications."""


@scheduler_cli.command("run")
@click.option("--wait/--no-wait", default=True,
              help="When another scheduler holds the leader lock: wait for it (default) or exit.")
@click.option("--once", is_flag=True, help="Run every job once, then exit.")
def run_cmd(wait: bool, once: bool):
    """Run the scheduler (one leader at a time; SIGTERM stops it gracefully)."""
    _configure_logging()
    sys.exit(serve(current_app._get_current_object(), wait=wait, once=once))


@scheduler_cli.command("job")
@click.argument("path")
def job_cmd(path: str):
    """Run the job PATH (dotted) once now, without the leader lock."""
    _configure_logging()
    signal.signal(signal.SIGTERM, _request_stop)
    result = run_job(current_app._get_current_object(), path)
    click.echo(f"{path}: {result}")


@scheduler_cli.command("jobs")
def jobs_cmd():
    """List the registered jobs and their triggers."""
    for spec in registered_jobs(current_app._get_current_object()):
        args = ", ".join(f"{k}={v}" for k, v in spec.args.items())
        click.echo(f"{spec.path}  {spec.trigger}({args})")
