"""htmx glue: partial detection, page-or-block rendering, redirects, Vary.

Rules (DESIGN.md): a request is *partial* when it has ``HX-Request`` and is neither boosted nor
a history restore. Partial responses carry ``Vary: HX-Request``. After a successful htmx POST we
answer ``HX-Redirect`` (never a 302, which htmx would follow and swap). Validation errors answer
422 with the re-rendered form; htmx is configured (meta ``htmx-config``) to swap 422.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

from flask import Response, flash, g, redirect, render_template, request
from jinja2_fragments.flask import render_block
from werkzeug.urls import iri_to_uri

from coordination.errors import DomainError


def is_htmx() -> bool:
    """Any request made by htmx."""
    return bool(getattr(request, "htmx", False))


def is_partial() -> bool:
    """An htmx request that wants a fragment rather than a whole page."""
    hx = getattr(request, "htmx", None)
    if not hx:
        return False
    return not hx.boosted and not hx.history_restore_request


def render_page_or_block(template: str, block: str, status: int = 200, **context) -> Response | tuple:
    """Render the whole page, or only ``block`` of it for a partial request."""
    if is_partial():
        g.vary_hx = True
        return render_block(template, block, **context), status
    g.vary_hx = True
    return render_template(template, **context), status


def hx_redirect(location: str) -> Response:
    """Redirect after a successful POST: ``HX-Redirect`` for htmx, 303 otherwise.

    When the target is the page the form was sent from (e.g. a comment that leads back to
    ``…#uwagi``), the browser would treat ``HX-Redirect`` as a jump to an anchor and not load
    anything: the new content and the confirmation would not show and the typed text would
    stay. Such an answer is ``HX-Refresh`` (the page reloads where it is)."""
    if is_htmx():
        resp = Response("", 204)
        if _same_document(request.headers.get("HX-Current-URL"), location):
            resp.headers["HX-Refresh"] = "true"
        else:
            resp.headers["HX-Redirect"] = iri_to_uri(location)  # headers are Latin-1: %-encode
        return resp
    return redirect(location, code=303)


def _same_document(current: str | None, location: str) -> bool:
    """Whether ``location`` (relative or absolute) is ``current`` up to the fragment."""
    if not current:
        return False
    here, there = urlsplit(current), urlsplit(urljoin(current, location))
    return (here.scheme, here.netloc, here.path, here.query) == (
        there.scheme, there.netloc, there.path, there.query)


def safe_local_path(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site (no scheme, host or ``//``, no control
    characters: a line break cannot go into a Location header), else ``default``."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable()):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return default


def form_invalid(template: str, block: str, **context):
    """Re-render a form with its errors: 422 for everyone (htmx swaps it, browsers show it)."""
    return render_page_or_block(template, block, status=422, **context)


def attach_error(form, error: DomainError, field: str | None = None) -> None:
    """Show a domain refusal on the field it names (else on ``field``), or in the form's summary."""
    name = error.field or field
    if name and name in form:
        form[name].errors = [*form[name].errors, str(error)]
    else:
        form.form_errors.append(str(error))


def form_round_trip(form, template: str, save: Callable[[], Any],
                    done: str | Callable[[Any], str] = str,
                    message: str | Callable[[Any], str] | None = None, *,
                    field: str | None = None, block: str = "content", **context):
    """The one form round trip of every module.

    On a valid POST call ``save()`` (a service call). On success flash ``message`` (a string, or
    a function of the result) and redirect to ``done`` (a URL, or a function of the result; by
    default ``save()`` returns the URL itself). A :class:`DomainError` goes on the field it names
    (or ``field``, else the form summary) and, like invalid input, re-renders the form with 422;
    a GET renders the page (or its ``block`` for htmx).
    """
    if form.validate_on_submit():
        try:
            result = save()
        except DomainError as exc:
            attach_error(form, exc, field)
        else:
            if message:
                flash(message(result) if callable(message) else message, "success")
            return hx_redirect(done(result) if callable(done) else done)
    render = form_invalid if (form.errors or form.form_errors) else render_page_or_block
    return render(template, block, form=form, **context)


def add_vary(response: Response) -> Response:
    """after_request hook: partial-capable responses vary on ``HX-Request``."""
    if g.get("vary_hx"):
        response.vary.add("HX-Request")
    return response
