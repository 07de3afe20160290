"""Helpers shared by the working-group views: loading objects from URLs, form errors."""

from __future__ import annotations

from flask import abort, flash
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination.extensions import db
from coordination.htmx import form_invalid, hx_redirect, render_page_or_block
from workgroups.queries.access import remember_roles_in_group
from workgroups.queries.groups import group_row
from workgroups.queries.meetings import meeting_row
from workgroups.services.common import ServiceError


def get_or_404(model, object_id: int):
    """The object of the current region, or 404 (other regions' objects are invisible)."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def group_or_404(group_id: int, **extra):
    """The group of the current region (404 otherwise); the same query reads the user's roles in
    it for the permission checks. With ``extra`` (see :func:`workgroups.queries.groups.group_row`)
    the answer is ``(group, ...extra values)``."""
    row = group_row(group_id, _user_id(), **extra)
    if row is None:
        abort(404)
    remember_roles_in_group(current_user, row[0].id, row[1])
    return (row[0], *row[2:]) if extra else row[0]


def meeting_and_group(meeting_id: int, **extra) -> tuple:
    """``(meeting, group, ...)`` of the current region in one query (see
    :func:`workgroups.queries.meetings.meeting_row` for ``extra``), or 404; the query also reads
    the user's roles in the group for the permission checks."""
    row = meeting_row(meeting_id, _user_id(), **extra)
    if row is None:
        abort(404)
    meeting, group, roles, *rest = row
    remember_roles_in_group(current_user, group.id, roles)
    return (meeting, group, *rest)


def attach_error(form, error: ServiceError) -> None:
    """Show a service's refusal on the field it names (or on the form as a whole)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors or []) + [error.message]
    else:
        form.form_errors.append(error.message)


def member_choices(members, empty_label) -> list[SelectChoice]:
    return [SelectChoice("", empty_label)] + [SelectChoice(m.id, m.full_name) for m in members]


def form_view(form, template: str, save, done, message: str, **context):
    """The usual form round trip: on a valid POST call ``save()`` (a service), flash
    ``message`` and redirect to ``done(result)``; a refusal or invalid input re-renders the
    form with 422; a GET renders it."""
    if form.validate_on_submit():
        try:
            result = save()
        except ServiceError as exc:
            attach_error(form, exc)
        else:
            flash(message, "success")
            return hx_redirect(done(result))
    if form.errors:
        return form_invalid(template, "content", form=form, **context)
    return render_page_or_block(template, "content", form=form, **context)
