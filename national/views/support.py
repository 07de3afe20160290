"""One region's support log (``/<tenant>/diagnoza/wsparcie...``)."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination.auth.forms import ConfirmForm
from coordination.extensions import db
from coordination.htmx import (
    form_round_trip,
    hx_redirect,
    render_page_or_block,
)
from coordination.inputs import int_arg
from coordination.pagination import paginate
from coordination.permissions import require
from national import services
from national.forms import SupportForm
from national.models import SupportEntry
from national.queries import region as rq
from national.views import bp


@bp.route("/wsparcie")
def support_list():
    require("diagnosis.support")
    item_id = int_arg("pozycja") or None
    page = paginate(rq.support_page, item_id=item_id)
    totals = rq.support_totals()
    return render_page_or_block("national/region/support_list.html", "content", page=page,
                                codes=rq.entry_item_codes([e.id for e in page.items]),
                                totals=totals, progress=rq.target_progress(totals["persons"]),
                                items=rq.item_choices(), item_id=item_id)


def _entry_form(entry: SupportEntry | None):
    form = SupportForm(obj=entry)
    form.item_ids.choices = [SelectChoice(i, label) for i, label in rq.item_choices()]
    if entry is not None and request.method == "GET":
        form.item_ids.data = rq.entry_item_ids(entry)
        for group, names in rq.entry_participants(entry).items():
            form[group].data = "\n".join(names)
    return form_round_trip(form, "national/region/support_form.html",
                           lambda: services.save_support_entry(entry, form.data, form.item_ids.data, actor=current_user),
                           url_for("tenant.diagnosis.support_list"), _("Support entry saved."), entry=entry)


@bp.route("/wsparcie/nowy", methods=["GET", "POST"])
def support_new():
    require("diagnosis.support")
    return _entry_form(None)


@bp.route("/wsparcie/<int:support_entry_id>", methods=["GET", "POST"])
def support_edit(support_entry_id: int):
    require("diagnosis.support")
    return _entry_form(db.get_or_404(SupportEntry, support_entry_id))


@bp.route("/wsparcie/<int:support_entry_id>/usun", methods=["GET", "POST"])
def support_delete(support_entry_id: int):
    require("diagnosis.support")
    entry = db.get_or_404(SupportEntry, support_entry_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_support_entry(entry, actor=current_user)
        flash(_("Support entry deleted."), "success")
        return hx_redirect(url_for("tenant.diagnosis.support_list"))
    return render_page_or_block("national/region/support_delete.html", "content", form=form, entry=entry)
