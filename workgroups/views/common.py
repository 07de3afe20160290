"""Helpers shared by the working-group views: loading objects from URLs, form errors."""

from __future__ import annotations

from flask import abort, flash

from coordination.extensions import db
from coordination.htmx import form_invalid, hx_redirect, render_page_or_block
from workgroups.models import Group, Meeting
from workgroups.services.common import ServiceError


def get_or_404(model, object_id: int):
    """The object of the current region, or 404 (other regions' objects are invisible)."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def meeting_and_group(meeting_id: int) -> tuple[Meeting, Group]:
    meeting = get_or_404(Meeting, meeting_id)
    return meeting, db.session.get(Group, meeting.group_id)


def attach_error(form, error: ServiceError) -> None:
    """Show a service's refusal on the field it names (or on the form as a whole)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors or []) + [error.message]
    else:
        form.form_errors.append(error.message)


def member_choices(members, empty_label) -> list[tuple]:
    return [("", empty_label)] + [(m.id, m.full_name) for m in members]


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
