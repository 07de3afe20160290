"""Action plan pages: create/edit, detail with progress (SVG + table), staffing, targets."""

from __future__ import annotations

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination.extensions import db
from coordination.htmx import form_round_trip
from coordination.permissions import require
from owes import queries
from owes.forms import PlanForm, StaffForm, TargetForm
from owes.models import Indicator, Owes, PlanStaff, PlanTarget
from owes.services import plans as services
from owes.views import bp
from owes.views.common import (
    as_of,
    child_or_404,
    confirm_remove,
    owes_plan,
    page,
)


def indicator_choices(blank: str | None = None, active_only: bool = True):
    locale = str(get_locale() or "pl")
    choices = [SelectChoice(i.id, f"{i.code} – {i.label(locale)}") for i in queries.indicators(active_only)]
    return ([SelectChoice(0, blank)] if blank else []) + choices


@bp.route("/<int:owes_id>/plany/nowy", methods=["GET", "POST"])
def plan_new(owes_id: int):
    owes = db.get_or_404(Owes, owes_id)
    require("owes.edit", owes)
    form = PlanForm()

    def save():
        plan = services.save_plan(owes, None, form.data, actor=current_user)
        return url_for(".plan_detail", owes_id=owes.id, plan_id=plan.id)

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."), title=_("New action plan of %(name)s", name=owes.name),
                     action=url_for(".plan_new", owes_id=owes.id),
                     back=url_for(".owes_detail", owes_id=owes.id))


@bp.route("/<int:owes_id>/plany/<int:plan_id>")
def plan_detail(owes_id: int, plan_id: int):
    owes, plan = owes_plan(owes_id, plan_id)
    require("owes.view")
    when = as_of()
    return page("owes/plan.html", owes=owes, plan=plan, as_of=when, **queries.plan_detail(plan, when))


@bp.route("/<int:owes_id>/plany/<int:plan_id>/edycja", methods=["GET", "POST"])
def plan_edit(owes_id: int, plan_id: int):
    owes, plan = owes_plan(owes_id, plan_id)
    require("owes.edit", owes)
    form = PlanForm(obj=plan)

    def save():
        services.save_plan(owes, plan, form.data, actor=current_user)
        return url_for(".plan_detail", owes_id=owes.id, plan_id=plan.id)

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."), title=_("Edit %(title)s", title=plan.title),
                     action=url_for(".plan_edit", owes_id=owes.id, plan_id=plan.id),
                     back=url_for(".plan_detail", owes_id=owes.id, plan_id=plan.id))


@bp.route("/<int:owes_id>/plany/<int:plan_id>/etaty", methods=["GET", "POST"])
def staff_add(owes_id: int, plan_id: int):
    owes, plan = owes_plan(owes_id, plan_id)
    require("owes.edit", owes)
    form = StaffForm()

    def save():
        services.add_staff(plan, form.role.data, form.fte.data, actor=current_user)
        return url_for(".plan_detail", owes_id=owes.id, plan_id=plan.id)

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."), title=_("Add staffing to %(title)s", title=plan.title),
                     action=url_for(".staff_add", owes_id=owes.id, plan_id=plan.id),
                     back=url_for(".plan_detail", owes_id=owes.id, plan_id=plan.id))


def _confirm_remove(owes, plan, obj, what, action_name, endpoint, **ids):
    return confirm_remove(obj, what, action_name,
                          action=url_for(endpoint, owes_id=owes.id, plan_id=plan.id, **ids),
                          back=url_for(".plan_detail", owes_id=owes.id, plan_id=plan.id))


@bp.route("/<int:owes_id>/plany/<int:plan_id>/etaty/<int:staff_id>/usun", methods=["GET", "POST"])
def staff_delete(owes_id: int, plan_id: int, staff_id: int):
    owes, plan = owes_plan(owes_id, plan_id)
    row = child_or_404(PlanStaff, staff_id, plan_id=plan.id)
    require("owes.edit", owes)
    return _confirm_remove(owes, plan, row, row.role, "owes.staff_remove", ".staff_delete", staff_id=row.id)


@bp.route("/<int:owes_id>/plany/<int:plan_id>/cele", methods=["GET", "POST"])
def target_set(owes_id: int, plan_id: int):
    owes, plan = owes_plan(owes_id, plan_id)
    require("owes.govern", owes)
    form = TargetForm()
    form.indicator_id.choices = indicator_choices()
    form.base_indicator_id.choices = indicator_choices(blank=_("— the indicator's base —"))

    def save():
        indicator = db.get_or_404(Indicator, form.indicator_id.data)
        services.set_target(plan, indicator, form.mode.data, form.value.data,
                            form.base_indicator_id.data or None, actor=current_user)
        return url_for(".plan_detail", owes_id=owes.id, plan_id=plan.id)

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."), title=_("Set a target in %(title)s", title=plan.title),
                     intro=_("Setting a target for an indicator that already has one replaces it. "
                             "A percentage target (e.g. AL-05 = 30 per cent of AL-04) applies to the actual "
                             "value of the other indicator."),
                     action=url_for(".target_set", owes_id=owes.id, plan_id=plan.id),
                     back=url_for(".plan_detail", owes_id=owes.id, plan_id=plan.id))


@bp.route("/<int:owes_id>/plany/<int:plan_id>/cele/<int:target_id>/usun", methods=["GET", "POST"])
def target_delete(owes_id: int, plan_id: int, target_id: int):
    owes, plan = owes_plan(owes_id, plan_id)
    target = child_or_404(PlanTarget, target_id, plan_id=plan.id)
    require("owes.govern", owes)
    indicator = db.get_or_404(Indicator, target.indicator_id)
    return _confirm_remove(owes, plan, target, _("the target of %(code)s", code=indicator.code),
                           "owes.target_remove", ".target_delete", target_id=target.id)
