"""Configuration: defaults here, overridden by ``SIECES_*`` environment variables."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path


class DefaultConfig:
    """Defaults for a local installation. Every key can be overridden by ``SIECES_<KEY>``."""

    SECRET_KEY = "dev-only-change-me"
    #: Database URL; None means SQLite file in the instance folder.
    DATABASE_URL: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    #: Public base URL used in emails (never derived from the Host header).
    BASE_URL = "http://127.0.0.1:5000"
    BABEL_DEFAULT_LOCALE = "pl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Warsaw"
    LANGUAGES = ("pl", "en")
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    #: Login attempts allowed per client address and per email.
    LOGIN_RATE_LIMIT = "10 per minute"
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
    PER_PAGE = 25
    BENCH = False
    #: Exports with more rows than this run in the background (scheduler process) with progress.
    EXPORT_INLINE_ROWS = 5000
    #: Days a finished background export stays downloadable.
    EXPORT_KEEP_DAYS = 7


def load_config(app, test_config: dict | None) -> None:
    """Fill ``app.config`` from defaults, then the environment, then ``test_config``."""
    app.config.from_object(DefaultConfig)
    app.config.from_prefixed_env("SIECES")
    if test_config:
        app.config.update(test_config)
    if app.config.get("CLOCK_START") and not app.config.get("CLOCK"):
        from coordination.clock import running_from

        app.config["CLOCK"] = running_from(datetime.fromisoformat(str(app.config["CLOCK_START"])))
    url = app.config.get("DATABASE_URL")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = "sqlite:///" + os.path.join(app.instance_path, "sieci.sqlite")
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        opts = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        opts.setdefault("connect_args", {}).setdefault("timeout", 30)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = opts
