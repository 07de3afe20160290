"""Pages of the privacy module (thin: load, check, call a service, render).

* ``root_bp`` (``/prywatnosc``): an account's data (export, erasure) and the data-protection
  page (keeping times, erasure register) — administrators;
* ``bp`` (``/<tenant>/ochrona-danych``): a contact of the region (a group member, with or
  without an account) — the region's coordinator; the export and erasure cover the region only.
"""

from __future__ import annotations

from flask import Blueprint, abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordination.auth.forms import ConfirmForm
from coordination.auth.models import User
from coordination.exports import services as export_services
from coordination.extensions import db
from coordination.htmx import form_round_trip, hx_redirect, is_htmx, render_page_or_block
from coordination.pagination import paginate
from coordination.permissions import require
from coordination.tenancy import current_tenant_id
from privacy import exports as person_exports
from privacy import queries, services
from privacy.forms import KIND_LABELS, EraseForm, RetentionForm

root_bp = Blueprint("privacy", __name__, url_prefix="/prywatnosc")
bp = Blueprint("privacy", __name__, url_prefix="/ochrona-danych")


def _user_or_404(user_id: int) -> User:
    require("platform.users")
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _start(params: dict, tenant_id: int | None):
    job = export_services.request_export(person_exports.PERSON_EXPORT.name, user=current_user,
                                         tenant_id=tenant_id, params=params)
    services.record_export(job, actor=current_user)
    return hx_redirect(url_for("exports.job_detail", export_job_id=job.id))


def _erase(form, person, page: str, done: str, **context):
    erased = queries.erasure_of(person)
    if erased is not None:  # an old link or a second tab: say so, never offer the form again
        status = 200 if request.method == "GET" else (422 if is_htmx() else 409)
        return render_page_or_block(page, "content", status=status, form=form, erased=erased,
                                    **context)
    return form_round_trip(
        form, page, lambda: services.erase(person, reason=form.reason.data, actor=current_user),
        done=lambda record: done,
        message=lambda record: _("The data were erased; the person is now shown as "
                                 "\u201e%(name)s\u201d.", name=services.pseudonym(record.id)),
        **context)


@root_bp.route("/konto/<int:user_id>")
def account(user_id: int):
    user = _user_or_404(user_id)
    person = queries.person_for_user(user.id)
    return render_page_or_block("privacy/person.html", "content", user=user, person=person,
                                counts=queries.row_counts(person), form=ConfirmForm())


@root_bp.route("/konto/<int:user_id>/eksport", methods=["POST"])
def account_export(user_id: int):
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _start({"user_id": user.id}, None)


@root_bp.route("/konto/<int:user_id>/usuniecie", methods=["GET", "POST"])
def account_erase(user_id: int):
    user = _user_or_404(user_id)
    person = queries.person_for_user(user.id)
    return _erase(EraseForm(), person, "privacy/erase.html",
                  url_for("privacy.account", user_id=user.id), user=user,
                  files=queries.files_of(person))


@root_bp.route("/", methods=["GET", "POST"])
def overview():
    require("platform.users")
    days = services.retention_days()
    form = RetentionForm(data=days)
    page = paginate(queries.erasures_page)
    return form_round_trip(
        form, "privacy/overview.html",
        lambda: services.set_retention({k: form[k].data for k in KIND_LABELS}, actor=current_user,
                                       confirmed=form.confirm_shorter.data),
        done=lambda _diff: url_for("privacy.overview"), message=_("Keeping times saved."),
        labels=KIND_LABELS, page=page, overdue=queries.overdue_counts(days), current=days)


def _contact_or_404(member_id: int) -> queries.Person:
    require("privacy.person")
    person = queries.person_for_member(member_id, current_tenant_id.get())
    if person is None:
        abort(404)
    return person


@bp.route("/kontakt/<int:member_id>")
def contact(member_id: int):
    person = _contact_or_404(member_id)
    return render_page_or_block("privacy/person.html", "content", person=person,
                                member=queries.member_summary(member_id),
                                counts=queries.row_counts(person), form=ConfirmForm())


@bp.route("/kontakt/<int:member_id>/eksport", methods=["POST"])
def contact_export(member_id: int):
    person = _contact_or_404(member_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _start({"member_id": member_id}, person.tenant_id)


@bp.route("/kontakt/<int:member_id>/usuniecie", methods=["GET", "POST"])
def contact_erase(member_id: int):
    person = _contact_or_404(member_id)
    return _erase(EraseForm(), person, "privacy/erase.html",
                  url_for("tenant.privacy.contact", member_id=member_id),
                  member=queries.member_summary(member_id), files=queries.files_of(person))
