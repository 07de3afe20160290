"""National pages: the diagnosis template (areas and items with stable codes)."""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination.extensions import db
from coordination.htmx import (
    form_invalid,
    form_round_trip,
    hx_redirect,
    render_page_or_block,
)
from coordination.permissions import require
from national import services
from national.forms import ItemForm, NewItemForm
from national.models import DiagnosisArea, DiagnosisItem
from national.queries.region import template_tree
from national.views import root_bp


@root_bp.route("/szablon")
def template():
    require("national.view")
    return render_page_or_block("national/template.html", "content", tree=template_tree())


@root_bp.route("/szablon/<int:diagnosis_item_id>", methods=["GET", "POST"])
def item_edit(diagnosis_item_id: int):
    require("national.edit")
    item = db.session.get(DiagnosisItem, diagnosis_item_id)
    if item is None:
        abort(404)
    form = ItemForm(obj=item)
    if form.validate_on_submit():
        diff = services.update_item(item, form.data, actor=current_user)
        flash(_("Item %(code)s saved.", code=item.code) if diff else _("Nothing has changed."), "success")
        return hx_redirect(url_for("national.template"))
    render = form_invalid if form.errors else render_page_or_block
    return render("national/item_edit.html", "content", form=form, item=item)


@root_bp.route("/szablon/nowa", methods=["GET", "POST"])
def item_new():
    require("national.edit")
    form = NewItemForm()
    areas = {a.code: a for a in db.session.query(DiagnosisArea).order_by(DiagnosisArea.position)}
    form.area.choices = [SelectChoice(code, f"{code}. {a.title}") for code, a in areas.items()]
    return form_round_trip(form, "national/item_new.html",
                           lambda: services.add_item(areas[form.area.data], form.code.data, form.title.data,
                                                     form.description.data, actor=current_user),
                           url_for("national.template"), lambda item: _("Item %(code)s added.", code=item.code))
