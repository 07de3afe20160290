"""National pages under ``/kraj/owes``: the aggregate of all regions and the catalogue."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordination.extensions import db
from coordination.htmx import form_round_trip
from coordination.pagination import paginate
from coordination.permissions import require
from owes import queries
from owes.forms import IndicatorForm
from owes.models import Indicator
from owes.services import registry as services
from owes.views import root_bp
from owes.views.common import as_of, page
from owes.views.plans import indicator_choices


@root_bp.route("/")
def progress():
    require("national.owes")
    when = as_of()
    return page("owes/national.html", as_of=when, **queries.national_overview(when))


@root_bp.route("/wskazniki")
def catalogue():
    require("national.owes_catalogue")
    return page("owes/indicators.html", page=paginate(queries.indicators_page), manage=True)


def _indicator_form(indicator: Indicator | None):
    form = IndicatorForm(obj=indicator)
    form.base_id.choices = indicator_choices(blank=_("— none —"), active_only=False)
    if indicator is not None and not form.is_submitted():
        form.disaggregation.data = indicator.breakdowns
        form.base_id.data = indicator.base_id or 0

    def save():
        data = dict(form.data, base_id=form.base_id.data or None)
        services.save_indicator(indicator, data, actor=current_user)
        return url_for(".catalogue")

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."),
                     title=_("New indicator") if indicator is None else _("Edit %(code)s", code=indicator.code),
                     action=url_for(".indicator_edit", indicator_id=indicator.id) if indicator
                     else url_for(".indicator_new"), back=url_for(".catalogue"))


@root_bp.route("/wskazniki/nowy", methods=["GET", "POST"])
def indicator_new():
    require("national.owes_catalogue")
    return _indicator_form(None)


@root_bp.route("/wskazniki/<int:indicator_id>", methods=["GET", "POST"])
def indicator_edit(indicator_id: int):
    require("national.owes_catalogue")
    return _indicator_form(db.get_or_404(Indicator, indicator_id))
