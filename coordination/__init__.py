"""Sieć ES application factory."""

from __future__ import annotations

from functools import cache

from flask import (
    Blueprint,
    Flask,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlalchemy import event
from sqlalchemy.engine import Engine

from coordination.config import check_secret_key, load_config
from coordination.extensions import babel, csrf, db, htmx_ext, limiter, login_manager, mail, migrate
from coordination.htmx import add_vary, is_htmx
from coordination.permissions import Unauthenticated
from coordination.tenancy import clear_request_tenant

#: CSP: no inline scripts or styles anywhere; everything from our own origin.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: WAL with ``synchronous=FULL`` (an acknowledged commit survives a crash or power
    loss, see tests/test_crash.py), enforced foreign keys, sane busy timeout, erased content
    overwritten (``secure_delete``: e.g. survey drafts, see
    ``surveys.services.responses.scrub_erased``)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA secure_delete=ON")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()


def _select_locale() -> str:
    if not has_request_context():
        return "pl"
    lang = session.get("lang")
    if lang in ("pl", "en"):
        return lang
    if current_user and current_user.is_authenticated:
        return current_user.locale or "pl"
    return "pl"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, CLI."""
    root = __import__("pathlib").Path(__file__).resolve().parent.parent
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
    )
    load_config(app, test_config)
    check_secret_key(app)
    _trust_proxies(app)
    from coordination.i18n import translation_directories

    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", translation_directories())

    db.init_app(app)
    migrate.init_app(app, db, directory=str(root / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    from coordination.i18n import install_template_gettext

    install_template_gettext(app)
    from coordination import formats, places

    formats.register_filters(app)
    places.register_filters(app)
    limiter.init_app(app)
    mail.init_app(app)
    htmx_ext.init_app(app)

    from coordination import inputs

    inputs.init_app(app)
    _import_models()
    _register_blueprints(app)
    _import_jobs()
    _register_hooks(app)
    _register_errors(app)
    if app.config["BENCH"]:
        from coordination.benchmode import init_bench

        init_bench(app)
    from coordination.cli import register_cli

    register_cli(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind ``PROXY_HOPS`` reverse proxies, take the client address and scheme from their
    ``X-Forwarded-For``/``-Proto`` headers; with 0 (the default) those headers are ignored, so a
    client cannot choose its own address (login throttling keys on it)."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _import_models() -> None:
    """Import every models module so metadata (and migrations) see all tables."""
    import coordination.audit  # noqa: F401
    import coordination.auth.models  # noqa: F401
    import tenants.models  # noqa: F401
    from coordination.modules import MODULES, submodule

    for package in MODULES:
        submodule(package, "models")


def _import_jobs() -> None:
    """Import every ``jobs`` module: they register the send-time hooks of their notification
    kinds (checks, attachments), which the sender needs in the web and scheduler processes."""
    import coordination.auth.jobs  # noqa: F401
    from coordination.modules import MODULES, submodule
    from coordination.notifications.kinds import check_hooks

    for package in MODULES:
        submodule(package, "jobs")
    check_hooks()


@cache
def _tenant_blueprint() -> Blueprint:
    """The ``/<tenant>`` blueprint with every manifest's tenant blueprints nested in it.

    Nesting happens once per process: a blueprint accepts no more setup once an application
    has registered it, and every application registers the same nested set.
    """
    from coordination.modules import manifests
    from tenants.views import bp as tenant_bp

    for manifest in manifests():
        for nested in manifest.tenant_blueprints:
            tenant_bp.register_blueprint(nested)
    return tenant_bp


def _register_blueprints(app: Flask) -> None:
    """Every manifest's root blueprints (the shell's first), then the tenant blueprint."""
    from coordination.modules import manifests

    for manifest in manifests():
        for blueprint in manifest.blueprints:
            app.register_blueprint(blueprint)
    app.register_blueprint(_tenant_blueprint())


def _register_hooks(app: Flask) -> None:
    from coordination.auth.services import load_user_from_session_id

    login_manager.user_loader(load_user_from_session_id)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    @login_manager.unauthorized_handler
    def _unauthorized():
        raise Unauthenticated()

    app.teardown_request(clear_request_tenant)
    app.after_request(add_vary)

    @app.after_request
    def _security_headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.endpoint != "static" and response.mimetype == "text/html":
            h.setdefault("Cache-Control", "no-store")
        return response

    from coordination.labels import LABELS
    from coordination.nav import page_url, row_url

    app.jinja_env.globals["labels"] = LABELS
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["row_url"] = row_url
    # a global (not a context value): also in macros of imported templates and htmx blocks
    app.jinja_env.globals["scroll_region"] = _scroll_region

    @app.context_processor
    def _globals():
        from coordination.i18n import template_i18n
        from coordination.nav import nav_context
        from coordination.permissions import can

        return {"can": can, "csrf_token_value": generate_csrf, **_form_macros(app), **nav_context(),
                **template_i18n()}


def _scroll_region(*args, **kwargs):
    """The ``scroll_region`` macro of ``_macros/tables.html`` (Jinja caches the module)."""
    from flask import current_app

    return current_app.jinja_env.get_template("_macros/tables.html").module.scroll_region(*args, **kwargs)


def _form_macros(app: Flask) -> dict:
    """The form macros, available in every template and in htmx blocks rendered alone
    (jinja2-fragments does not run a template's top-level ``{% from ... import %}``)."""
    module = app.extensions.get("sieci_form_macros")
    if module is None or app.debug:
        module = app.jinja_env.get_template("_macros/forms.html").module
        app.extensions["sieci_form_macros"] = module
    return {name: getattr(module, name) for name in ("field", "error_summary", "pager", "search_form")}


def _register_errors(app: Flask) -> None:
    def _page(code: int, title: str, message: str):
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(Unauthenticated)
    def _login_needed(_e):
        target = url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None)
        if is_htmx():
            resp = app.response_class("", 204)
            resp.headers["HX-Redirect"] = target
            return resp
        return redirect(target)

    @app.errorhandler(CSRFError)
    def _csrf(_e):
        if is_htmx():
            resp = app.response_class("", 400)
            resp.headers["HX-Refresh"] = "true"
            return resp
        return _page(400, _("Session expired"),
                     _("The form has expired or was sent from another page. Go back, reload the page and try again."))

    @app.errorhandler(400)
    def _bad_request(_e):
        return _page(400, _("Bad request"),
                     _("The request could not be understood. Go back, reload the page and try again."))

    @app.errorhandler(403)
    def _forbidden(_e):
        return _page(403, _("Access denied"), _("You do not have permission to do this."))

    @app.errorhandler(404)
    def _not_found(_e):
        return _page(404, _("Page not found"),
                     _("The page does not exist or you do not have access to it."))

    @app.errorhandler(405)
    def _method(_e):
        return _page(405, _("Method not allowed"), _("This address does not accept this kind of request."))

    @app.errorhandler(413)
    def _too_large(_e):
        mb = (app.config.get("MAX_CONTENT_LENGTH") or 0) // 2**20
        message = _("The request is larger than %(mb)d MB. Choose a smaller file and try again.", mb=mb)
        if is_htmx():  # htmx does not swap 4xx answers: reload the page, which shows the message
            from flask import flash

            flash(message, "error")
            resp = app.response_class("", 413)
            resp.headers["HX-Refresh"] = "true"
            return resp
        return _page(413, _("The file is too large"), message)

    @app.errorhandler(429)
    def _too_many(_e):
        return _page(429, _("Too many attempts"),
                     _("Too many login attempts. Wait a minute and try again."))

    @app.errorhandler(500)
    def _server_error(_e):
        db.session.rollback()
        return _page(500, _("Server error"),
                     _("Something went wrong on our side. Please try again later."))
