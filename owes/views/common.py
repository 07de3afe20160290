"""Small helpers shared by the OWES views."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, request
from flask_babel import gettext as _

from coordination import clock
from coordination.extensions import db
from coordination.htmx import hx_redirect, render_page_or_block
from owes.models import ActionPlan, Owes


def child_or_404(model, ident, **parents):
    """An object that must also belong to the given parents (e.g. ``owes_id=owes.id``)."""
    obj = db.get_or_404(model, ident)
    if any(getattr(obj, k) != v for k, v in parents.items()):
        abort(404)
    return obj


def owes_plan(owes_id: int, plan_id: int) -> tuple[Owes, ActionPlan]:
    """The OWES and its plan from the URL (one query), or 404."""
    from owes.queries import owes_and_plan

    found = owes_and_plan(owes_id, plan_id)
    if found is None:
        abort(404)
    return found


def as_of() -> date:
    """The reference date of progress pages: ``?as_of=YYYY-MM-DD`` or today."""
    raw = request.args.get("as_of", "")
    try:
        return date.fromisoformat(raw) if raw else clock.today()
    except ValueError:
        return clock.today()



def page(template: str, **context):
    return render_page_or_block(template, "content", **context)


def confirm_remove(obj, what: str, audit_action: str, *, action: str, back: str):
    """GET: "Remove …?" page; POST (confirmed): remove ``obj`` (audited) and go ``back``."""
    from flask_login import current_user

    from coordination.auth.forms import ConfirmForm
    from owes.services.registry import remove_child

    form = ConfirmForm()
    if form.validate_on_submit():
        remove_child(obj, audit_action, actor=current_user)
        flash(_("Removed."), "success")
        return hx_redirect(back)
    return page("owes/confirm.html", form=form, title=_("Remove"), question=_("Remove %(what)s?", what=what),
                action=action, back=back, button=_("Yes, remove"))
