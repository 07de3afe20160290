"""``python -m coordination.demo_run``: the whole product on one machine (``make run``).

Starts, in demo mode (``SIECES_DEMO=true``):

* the demo mail sink (:mod:`coordination.demo_mail`, an SMTP server on 127.0.0.1 in this
  process) that keeps every message in ``instance/demo-mail/``;
* ``flask --app wsgi db upgrade`` and ``seed-demo`` (idempotent; prints the demo logins);
* the scheduler (``flask --app wsgi scheduler run``), which sends the queued e-mail to the sink;
* the web server (``flask --app wsgi run``).

Ctrl+C (SIGINT) or SIGTERM stops everything: both child processes get SIGTERM (the scheduler
finishes the message in flight), then the sink stops. If a child exits on its own, the others
are stopped too and the exit code is non-zero. Production runs differently: gunicorn, one
``flask scheduler run`` and a real SMTP server (see the README).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: seconds a child gets to stop after SIGTERM before it is killed.
STOP_TIMEOUT = 20


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _flask(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", *args]


def demo_environment(host: str, port: int, smtp_port: int, mail_dir: Path) -> dict[str, str]:
    """The environment of the children: demo mode, mail to the sink, links to this server."""
    env = dict(os.environ)
    env.update({
        "SIECES_DEMO": "true",
        "SIECES_DEMO_MAIL_DIR": str(mail_dir),
        "SIECES_MAIL_SERVER": "127.0.0.1",
        "SIECES_MAIL_PORT": str(smtp_port),
        "SIECES_MAIL_USE_TLS": "false",
        "SIECES_MAIL_USE_SSL": "false",
        "SIECES_MAIL_BACKEND": "smtp",
        "SIECES_BASE_URL": f"http://{host}:{port}",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def health(base: str) -> dict | None:
    """``/healthz`` as a dict, or None while the server does not answer."""
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=2) as resp:  # noqa: S310 - loopback
            return json.loads(resp.read())
    except (OSError, ValueError, http.client.HTTPException):
        return None


class Launcher:
    """The mail sink, the scheduler and the web server, started and stopped together."""

    def __init__(self, *, host: str, port: int, smtp_port: int, mail_dir: Path, setup: bool = True):
        self.host, self.port, self.smtp_port = host, port, smtp_port or free_port()
        self.mail_dir = mail_dir
        self.setup = setup
        self.env = demo_environment(host, port, self.smtp_port, mail_dir)
        self.sink = None
        self.children: dict[str, subprocess.Popen] = {}
        self.stop_requested = threading.Event()

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _spawn(self, name: str, args: list[str]) -> None:
        # a session of its own: Ctrl+C reaches only the launcher, which stops the children in
        # order (the scheduler gets SIGTERM once, not a second SIGINT from the terminal).
        self.children[name] = subprocess.Popen(args, cwd=ROOT, env=self.env, start_new_session=True)

    def start(self) -> None:
        from coordination.demo_mail import start_sink

        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.sink = start_sink(self.mail_dir, self.smtp_port)
        if self.setup:
            for args in (("db", "upgrade"), ("seed-demo",)):
                subprocess.run(_flask(*args), cwd=ROOT, env=self.env, check=True)
        self._spawn("scheduler", _flask("scheduler", "run"))
        self._spawn("web", _flask("run", "--host", self.host, "--port", str(self.port), "--no-reload"))

    def wait_until_healthy(self, timeout: float = 60) -> dict | None:
        """Wait for ``/healthz`` to report the scheduler "ok"; return the last answer."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline and not self.stop_requested.is_set() and not self.exited():
            last = health(self.base)
            if last and last.get("scheduler") == "ok":
                return last
            time.sleep(0.5)
        return last

    def exited(self) -> str | None:
        """Name of a child that has exited, if any."""
        for name, proc in self.children.items():
            if proc.poll() is not None:
                return name
        return None

    def stop(self) -> None:
        """SIGTERM to every child (its whole process group), wait, kill stragglers; stop the sink."""
        for proc in self.children.values():
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + STOP_TIMEOUT
        for proc in self.children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if self.sink is not None:
            self.sink.stop()
            self.sink = None

    def run(self) -> int:
        """Start everything, wait for Ctrl+C/SIGTERM or a child's exit, stop everything."""
        previous = {sig: signal.signal(sig, lambda *_: self.stop_requested.set())
                    for sig in (signal.SIGINT, signal.SIGTERM)}
        code = 0
        try:
            self.start()
            state = self.wait_until_healthy()
            if not self.stop_requested.is_set() and not self.exited():
                print("", flush=True)
                print(f"Sieć ES is running on {self.base}  (Ctrl+C stops the web server, "
                      "the scheduler and the mail sink)", flush=True)
                print(f"  /healthz: {json.dumps(state)}", flush=True)
                print(f"  e-mail is kept in {self.mail_dir} and shown to administrators at "
                      f"{self.base}/admin/poczta-demo", flush=True)
            while not self.stop_requested.wait(0.5):
                gone = self.exited()
                if gone:
                    print(f"The {gone} process exited (code {self.children[gone].returncode}); "
                          "stopping the others.", file=sys.stderr, flush=True)
                    code = 1
                    break
        except subprocess.CalledProcessError as exc:
            if not self.stop_requested.is_set():  # not just Ctrl+C during the set-up
                print(f"Setting up the demo failed: {' '.join(exc.cmd)}", file=sys.stderr, flush=True)
                code = 1
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coordination.demo_run", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--smtp-port", type=int, default=0, help="port of the mail sink (0: any free port)")
    parser.add_argument("--mail-dir", type=Path,
                        default=Path(os.environ.get("SIECES_DEMO_MAIL_DIR") or ROOT / "instance" / "demo-mail"))
    parser.add_argument("--no-setup", action="store_true", help="skip db upgrade and seed-demo")
    args = parser.parse_args(argv)
    launcher = Launcher(host=args.host, port=args.port, smtp_port=args.smtp_port,
                        mail_dir=args.mail_dir.resolve(), setup=not args.no_setup)
    return launcher.run()


if __name__ == "__main__":
    sys.exit(main())
