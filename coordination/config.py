"""Configuration: defaults here, overridden by ``SIECES_*`` environment variables."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

#: the development value of SECRET_KEY; never valid outside debug, testing and demo mode.
DEFAULT_SECRET_KEY = "dev-only-change-me"


class InsecureConfiguration(RuntimeError):
    """The configuration is not safe to run with (e.g. the built-in SECRET_KEY)."""


class DefaultConfig:
    """Defaults for a local installation. Every key can be overridden by ``SIECES_<KEY>``."""

    #: signs sessions, CSRF tokens and e-mail links. The application refuses to start with this
    #: built-in value unless in debug, testing or demo mode (see :func:`check_secret_key`).
    SECRET_KEY = DEFAULT_SECRET_KEY
    #: demo mode (``make run``): the whole product on one machine. The built-in SECRET_KEY is
    #: accepted, e-mail goes to the local mail sink and the administrator reads it in the app.
    DEMO = False
    #: folder where the demo mail sink keeps messages (None: ``demo-mail`` in the instance folder).
    DEMO_MAIL_DIR: str | None = None
    #: Database URL; None means SQLite file in the instance folder.
    DATABASE_URL: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    #: Public base URL used in emails (never derived from the Host header).
    BASE_URL = "http://127.0.0.1:5000"
    BABEL_DEFAULT_LOCALE = "pl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Warsaw"
    LANGUAGES = ("pl", "en")
    #: CSRF tokens expire; None here means "the session's lifetime" (PERMANENT_SESSION_LIFETIME).
    WTF_CSRF_TIME_LIMIT: int | None = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    #: Failed login attempts allowed per (client address, account e-mail); successes do not count.
    LOGIN_RATE_LIMIT = "10 per minute"
    #: Failed login attempts allowed per client address, whatever the account.
    LOGIN_RATE_LIMIT_ADDRESS = "50 per minute"
    #: Reverse proxies in front of the app that set ``X-Forwarded-For``/``-Proto`` (0 = none:
    #: the socket address is the client; forwarded headers are ignored).
    PROXY_HOPS = 0
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "Sieć ES <no-reply@example.org>"
    MAIL_BACKEND = "smtp"
    #: Validity of password-reset and invitation links, seconds.
    PASSWORD_RESET_MAX_AGE = 60 * 60 * 24 * 3
    DEMO_PASSWORD = "demo-haslo-sieci"
    #: Werkzeug's password hashing method. Tests (``TESTING``) get :data:`TEST_PASSWORD_HASH_METHOD`
    #: unless they set this key themselves.
    PASSWORD_HASH_METHOD = "scrypt"
    PER_PAGE = 25
    #: Largest request body (uploads included), in MB: larger requests get 413 before their
    #: body is read. Above the largest single file (documents 15 MB, plan imports 10 MB).
    MAX_UPLOAD_MB = 20
    BENCH = False
    #: Exports with more rows than this run in the background (scheduler process) with progress.
    EXPORT_INLINE_ROWS = 5000
    #: Days a finished background export stays downloadable.
    EXPORT_KEEP_DAYS = 7


#: a deliberately cheap hash for the test suite (scrypt costs ~100 ms per user created); never
#: used outside ``TESTING``.
TEST_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"


def load_config(app, test_config: dict | None) -> None:
    """Fill ``app.config`` from defaults, then the environment, then ``test_config``."""
    app.config.from_object(DefaultConfig)
    app.config.from_prefixed_env("SIECES")
    if test_config:
        app.config.update(test_config)
    if app.config.get("WTF_CSRF_TIME_LIMIT") is None:  # Flask-WTF's None would mean "never"
        lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
        app.config["WTF_CSRF_TIME_LIMIT"] = int(getattr(lifetime, "total_seconds", lambda: lifetime)())
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = int(float(app.config["MAX_UPLOAD_MB"]) * 2**20)
    if app.config.get("CLOCK_START") and not app.config.get("CLOCK"):
        from coordination.clock import running_from

        app.config["CLOCK"] = running_from(datetime.fromisoformat(str(app.config["CLOCK_START"])))
    if app.config.get("TESTING") and "PASSWORD_HASH_METHOD" not in (test_config or {}) \
            and "SIECES_PASSWORD_HASH_METHOD" not in os.environ:
        app.config["PASSWORD_HASH_METHOD"] = TEST_PASSWORD_HASH_METHOD
    url = app.config.get("DATABASE_URL")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = "sqlite:///" + os.path.join(app.instance_path, "sieci.sqlite")
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if not app.config.get("DEMO_MAIL_DIR"):
        app.config["DEMO_MAIL_DIR"] = os.path.join(app.instance_path, "demo-mail")
    if url.startswith("sqlite"):
        opts = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        opts.setdefault("connect_args", {}).setdefault("timeout", 30)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = opts


def check_secret_key(app) -> None:
    """Refuse to run with the built-in (public) or an empty SECRET_KEY, except in debug,
    testing and demo mode: anyone who knows the key can forge sessions and e-mail links."""
    key = app.config.get("SECRET_KEY")
    if key and key != DEFAULT_SECRET_KEY:
        return
    if app.debug or app.testing or app.config.get("DEMO"):
        return
    raise InsecureConfiguration(
        "Sieć ES refuses to start: SECRET_KEY is "
        + ("empty" if not key else "the built-in development value")
        + ". Set SIECES_SECRET_KEY to a long random value, e.g. the output of "
        "`python3 -c 'import secrets; print(secrets.token_hex(32))'`, the same for the web "
        "server and the scheduler. For a local try-out use `make run` (demo mode)."
    )
