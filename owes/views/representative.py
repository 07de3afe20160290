"""The OWES representative's home ("Mój OWES") and change proposals: the representative
proposes a change to a target, the accreditation or the partnership; the coordinator decides."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination import clock
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.htmx import attach_error, form_invalid, form_round_trip, hx_redirect
from coordination.pagination import paginate
from coordination.permissions import bound_owes_id, require
from owes.forms import DecisionForm, ProposalForm
from owes.models import PROPOSAL_STATUSES, ActionPlan, ChangeProposal, Owes, OwesOperator
from owes.queries import representative as queries
from owes.services import proposals as services
from owes.views import bp
from owes.views.common import child_or_404, page
from owes.views.plans import indicator_choices
from owes.views.reporting import _period_label


@bp.route("/moj")
def my_owes():
    """The bound representative's home; anybody else who sees the region gets an explanation."""
    require("owes.view")
    owes_id = bound_owes_id(current_user)
    owes = db.session.get(Owes, owes_id) if owes_id else None
    if owes is None:
        return page("owes/my_owes.html", owes=None)
    return page("owes/my_owes.html", owes=owes, as_of=clock.today(), period_label=_period_label,
                **queries.home(owes, clock.today()))


def _kind_arg() -> str | None:
    kind = request.args.get("rodzaj")
    return kind if kind in ("target", "target_remove", "accreditation", "operator_remove") else None


@bp.route("/<int:owes_id>/propozycje/nowa", methods=["GET", "POST"])
def proposal_new(owes_id: int):
    owes = db.get_or_404(Owes, owes_id)
    require("owes.edit", owes)
    form = ProposalForm()
    plans = db.session.scalars(select_plans(owes)).all()
    form.plan_id.choices = [SelectChoice(p.id, f"{p.title} ({p.start_year}–{p.end_year})") for p in plans]
    form.indicator_id.choices = indicator_choices()
    operators = db.session.scalars(db.select(OwesOperator).where(OwesOperator.owes_id == owes.id)
                                   .order_by(OwesOperator.id)).all()
    form.operator_id.choices = [SelectChoice(0, "—")] + [SelectChoice(o.id, o.name) for o in operators]
    if not form.is_submitted():
        form.kind.data = _kind_arg() or "target"
        for arg, field in (("plan", form.plan_id), ("wskaznik", form.indicator_id),
                           ("operator", form.operator_id)):
            if request.args.get(arg, "").isdigit():
                field.data = int(request.args[arg])
        form.accreditation_number.data = owes.accreditation_number
        form.accredited_from.data, form.accredited_to.data = owes.accredited_from, owes.accredited_to

    def save():
        plan = db.session.get(ActionPlan, form.plan_id.data) if form.plan_id.data else None
        services.propose(owes, form.kind.data, form.data, form.reason.data, actor=current_user,
                         plan=plan)
        return url_for(".my_owes")

    return form_round_trip(
        form, "owes/form.html", save, title=_("Propose a change – %(name)s", name=owes.name),
        intro=_("Targets, the accreditation and the partnership operators are recorded by the "
                "coordinator. Please describe the change and its reason; the coordinator accepts "
                "or rejects it, and you will be notified."),
        message=_("The proposal has been sent to the coordinator."),
        action=request.full_path if request.args else request.path,
        back=url_for(".owes_detail", owes_id=owes.id))


def select_plans(owes: Owes):
    return db.select(ActionPlan).where(ActionPlan.owes_id == owes.id).order_by(ActionPlan.start_year.desc())


@bp.route("/propozycje")
def proposal_list():
    require("owes.govern")
    status = request.args.get("status", "pending")
    status = status if status in PROPOSAL_STATUSES else ""
    return page("owes/proposals.html", page=paginate(queries.proposals_page, status=status),
                status_filter=status, statuses=PROPOSAL_STATUSES)


@bp.route("/<int:owes_id>/propozycje/<int:proposal_id>", methods=["GET", "POST"])
def proposal_detail(owes_id: int, proposal_id: int):
    owes = db.get_or_404(Owes, owes_id)
    row = child_or_404(ChangeProposal, proposal_id, owes_id=owes.id)
    require("owes.edit", owes)
    plan = db.session.get(ActionPlan, row.plan_id) if row.plan_id else None
    form = DecisionForm()
    context = {"owes": owes, "row": row, "plan": plan, "form": form}
    if request.method == "POST":
        require("owes.govern")
        if form.validate_on_submit():
            try:
                services.decide(row, bool(form.accept.data), form.comment.data, actor=current_user)
            except DomainError as exc:
                attach_error(form, exc, "comment")
                return form_invalid("owes/proposal.html", "content", **context)
            flash(_("The proposal has been accepted and applied.") if row.status == "accepted"
                  else _("The proposal has been rejected."), "success")
            return hx_redirect(url_for(".proposal_list"))
        return form_invalid("owes/proposal.html", "content", **context)
    return page("owes/proposal.html", **context)
