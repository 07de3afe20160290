"""A throwaway PostgreSQL cluster for the test lane.

Started once per test run by the main process (``pytest_configure`` in tests/conftest.py; each
pytest-xdist worker gets its own databases on it) in a temporary directory, on a free loopback
port, as the ``postgres`` system user when running as root (``initdb`` refuses root), and
removed at the end.
Set ``SIECES_TEST_DATABASE_URL`` to use an existing server instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time


def _bindir() -> str:
    found = shutil.which("initdb")
    if found:
        return os.path.dirname(found)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not candidates:
        raise RuntimeError(
            "PostgreSQL server binaries not found: install them (Debian: apt-get install postgresql) "
            "or set SIECES_TEST_DATABASE_URL"
        )
    return os.path.dirname(candidates[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self) -> None:
        self.bindir = _bindir()
        self.dir = tempfile.mkdtemp(prefix="sieci-pg-")
        self.port = _free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> str:
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        data = os.path.join(self.dir, "data")
        self._run(f"{self.bindir}/initdb", "-D", data, "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale=C.UTF-8")
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        self._run(f"{self.bindir}/pg_ctl", "-D", data, "-o", opts, "-l",
                  os.path.join(self.dir, "log"), "-w", "start")
        url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        for _ in range(50):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return url
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not start")

    def stop(self) -> None:
        try:
            self._run(f"{self.bindir}/pg_ctl", "-D", os.path.join(self.dir, "data"), "-m",
                      "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """Create (or recreate) database ``name`` on the server; return its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    conninfo = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(conninfo.replace("postgresql://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)
