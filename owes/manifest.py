"""What the OWES module wires into the application (see coordination/manifest.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordination.audit_labels import AuditObject, lookup
from coordination.manifest import Access, BenchPage, Catalogue, Manifest, NavEntry
from coordination.notifications.kinds import kind
from coordination.permissions import (
    bound_owes_id,
    is_coordinator,
    is_national,
    sees_tenant,
    tenant_roles,
)
from owes import synthetic
from owes.labels import LABELS
from owes.views import bp, root_bp
from owes.views.registry import home_panel


def _owes_editor(user, owes) -> bool:
    """Coordinators edit every OWES of the tenant; an OWES user only the one they are bound to."""
    if is_coordinator(user):
        return True
    return owes is not None and bound_owes_id(user) == getattr(owes, "id", None)


#: read: everyone who sees the tenant; obj for owes.edit/owes.report is the Owes.
RULES = {
    "owes.view": lambda u, o: sees_tenant(u),
    "owes.manage": lambda u, o: is_coordinator(u),
    "owes.edit": lambda u, o: _owes_editor(u, o),
    "owes.report": lambda u, o: _owes_editor(u, o),
    "owes.verify": lambda u, o: is_coordinator(u),
    # what the OWES is judged against (targets, accreditation, operators): the coordinator
    # changes it; the representative bound to the OWES proposes (obj is the Owes).
    "owes.govern": lambda u, o: is_coordinator(u),
    "owes.represent": lambda u, o: bound_owes_id(u) is not None,
    "owes.propose": lambda u, o: o is not None and bound_owes_id(u) == getattr(o, "id", None),
    # consultation comments: people with a role in the tenant (not national readers); an OWES
    # user only on studies of their own OWES or system-wide ones (obj is the Study).
    "owes.comment": lambda u, o: is_coordinator(u) or "member" in tenant_roles(u) or (
        "owes" in tenant_roles(u) and o is not None
        and getattr(o, "owes_id", None) in (None, bound_owes_id(u))),
    "national.owes": lambda u, o: is_national(u),
    "national.owes_catalogue": lambda u, o: is_national(u),
}

KINDS = (
    kind("consultation_opened", template="notify_consultation_opened", mandatory=False,
         digestible=True, label=_l("Consultation rounds opened"),
         subject=_l("Consultation opened: %(title)s")),
    kind("consultation_closing", template="notify_consultation_closing", mandatory=False,
         digestible=False, label=_l("Consultation rounds closing"),
         subject=_l("Consultation closes soon: %(title)s")),
    kind("consultation_outcome", template="notify_consultation_outcome", mandatory=False,
         digestible=True, label=_l("Consultation outcomes"),
         subject=_l("Consultation outcome: %(title)s")),
    kind("accreditation_expiring", template="notify_accreditation_expiring", mandatory=True,
         digestible=True, label=_l("Accreditation expiring"),
         subject=_l("Accreditation expires soon: %(title)s")),
    kind("owes_proposal", template="notify_owes_proposal", mandatory=False, digestible=True,
         label=_l("Changes proposed by OWES representatives"),
         subject=_l("Proposed change: %(title)s")),
    kind("owes_proposal_decided", template="notify_owes_proposal_decided", mandatory=False,
         digestible=True, label=_l("Decisions on my proposed changes"),
         subject=_l("Decision on the proposed change: %(title)s")),
)

_T = "tenant.owes."
ROUTES: dict[str, str] = {
    _T + "owes_list": Access.TENANT_VIEW,
    _T + "owes_new": Access.TENANT_MANAGE,
    _T + "owes_detail": Access.TENANT_VIEW,
    _T + "owes_edit": Access.OWES_EDIT,
    _T + "owes_delete": Access.TENANT_MANAGE,
    _T + "operator_add": Access.TENANT_MANAGE,
    _T + "operator_delete": Access.TENANT_MANAGE,
    _T + "project_add": Access.OWES_EDIT,
    _T + "project_delete": Access.OWES_EDIT,
    _T + "owes_bind": Access.TENANT_MANAGE,
    _T + "plan_new": Access.OWES_EDIT,
    _T + "plan_detail": Access.TENANT_VIEW,
    _T + "plan_edit": Access.OWES_EDIT,
    _T + "staff_add": Access.OWES_EDIT,
    _T + "staff_delete": Access.OWES_EDIT,
    _T + "target_set": Access.TENANT_MANAGE,
    _T + "target_delete": Access.TENANT_MANAGE,
    _T + "value_list": Access.TENANT_VIEW,
    _T + "value_new": Access.OWES_EDIT,
    _T + "value_edit": Access.OWES_EDIT,
    _T + "value_evidence": Access.TENANT_VIEW,
    _T + "plan_submit": Access.POST_ONLY,
    _T + "value_review": Access.TENANT_MANAGE,
    _T + "value_reopen": Access.TENANT_MANAGE,
    _T + "review_queue": Access.TENANT_MANAGE,
    _T + "plan_template": Access.TENANT_VIEW,
    _T + "plan_export": Access.TENANT_VIEW,
    _T + "plan_import": Access.OWES_EDIT,
    _T + "plan_import_preview": Access.OWES_EDIT,
    _T + "tenant_progress": Access.TENANT_VIEW,
    _T + "my_owes": Access.TENANT_VIEW,
    _T + "proposal_new": Access.OWES_EDIT,
    _T + "proposal_list": Access.TENANT_MANAGE,
    _T + "proposal_detail": Access.OWES_EDIT,
    _T + "indicator_list": Access.TENANT_VIEW,
    _T + "study_list": Access.TENANT_VIEW,
    _T + "study_new": Access.TENANT_MANAGE,
    _T + "study_detail": Access.TENANT_VIEW,
    _T + "study_edit": Access.TENANT_MANAGE,
    _T + "document_upload": Access.TENANT_MANAGE,
    _T + "document_download": Access.TENANT_VIEW,
    _T + "round_new": Access.TENANT_MANAGE,
    _T + "round_detail": Access.TENANT_VIEW,
    _T + "comment_add": Access.TENANT_PARTICIPATE,
    _T + "comment_answer": Access.TENANT_MANAGE,
    _T + "round_close": Access.TENANT_MANAGE,
    _T + "round_report": Access.TENANT_VIEW,
    _T + "recommendation_new": Access.TENANT_MANAGE,
    _T + "recommendation_detail": Access.TENANT_VIEW,
    _T + "recommendation_edit": Access.TENANT_MANAGE,
    _T + "recommendation_status": Access.TENANT_MANAGE,
    _T + "recommendation_list": Access.TENANT_VIEW,
    "national_owes.progress": Access.NATIONAL,
    "national_owes.catalogue": Access.NATIONAL,
    "national_owes.indicator_new": Access.NATIONAL,
    "national_owes.indicator_edit": Access.NATIONAL,
}


#: what the module's audit codes, objects and summary keys mean (the audit log page).
AUDIT_ACTIONS = {
    "owes.owes_create": _l("OWES added to the registry"),
    "owes.owes_update": _l("OWES data changed"),
    "owes.delete": _l("OWES removed from the registry"),
    "owes.proposal_create": _l("Change proposed by the OWES"),
    "owes.proposal_accept": _l("OWES proposal accepted"),
    "owes.proposal_reject": _l("OWES proposal rejected"),
    "owes.bind_user": _l("Account bound to an OWES"),
    "owes.import": _l("OWES registry imported"),
    "owes.operator_add": _l("OWES partner added"),
    "owes.operator_remove": _l("OWES partner removed"),
    "owes.project_add": _l("OWES project added"),
    "owes.project_remove": _l("OWES project removed"),
    "owes.indicator_create": _l("Indicator added"),
    "owes.indicator_update": _l("Indicator changed"),
    "owes.plan_create": _l("Action plan created"),
    "owes.plan_update": _l("Action plan changed"),
    "owes.staff_add": _l("Staff position added to the plan"),
    "owes.staff_remove": _l("Staff position removed from the plan"),
    "owes.target_set": _l("Indicator target set"),
    "owes.target_remove": _l("Indicator target removed"),
    "owes.value_create": _l("Indicator value reported"),
    "owes.value_update": _l("Reported value changed"),
    "owes.value_submit": _l("Reported value submitted"),
    "owes.value_verify": _l("Reported value verified"),
    "owes.value_return": _l("Reported value returned for correction"),
    "owes.value_reopen": _l("Verified value reopened"),
    "owes.study_create": _l("Evaluation study added"),
    "owes.study_update": _l("Evaluation study changed"),
    "owes.document_add": _l("Evaluation document added"),
    "owes.round_open": _l("Consultation opened"),
    "owes.round_close": _l("Consultation closed"),
    "owes.comment_add": _l("Consultation comment added"),
    "owes.comment_answer": _l("Consultation comment answered"),
    "owes.recommendation_create": _l("Recommendation added"),
    "owes.recommendation_update": _l("Recommendation changed"),
    "owes.recommendation_status": _l("Recommendation progress recorded"),
}
AUDIT_OBJECTS = {
    "Owes": AuditObject(_l("OWES"), "tenant.owes.owes_detail", "owes_id", names=lookup("owes.models.registry:Owes", "name"), permission="owes.view"),
    "Study": AuditObject(_l("Evaluation study"), "tenant.owes.study_detail", "study_id", permission="owes.view"),
    "Recommendation": AuditObject(_l("Recommendation"), "tenant.owes.recommendation_detail", "recommendation_id", permission="owes.view"),
    "ConsultationRound": AuditObject(_l("Consultation"), "tenant.owes.round_detail", "round_id", permission="owes.view"),
    "ConsultationComment": AuditObject(_l("Consultation comment")),
    "ActionPlan": AuditObject(_l("Action plan")),
    "PlanTarget": AuditObject(_l("Indicator target")),
    "PlanStaff": AuditObject(_l("Staff position")),
    "ReportedValue": AuditObject(_l("Reported value")),
    "OwesOperator": AuditObject(_l("OWES partner")),
    "OwesProject": AuditObject(_l("OWES project")),
    "StudyDocument": AuditObject(_l("Evaluation document")),
    "Indicator": AuditObject(_l("Indicator")),
    "ImportBatch": AuditObject(_l("Import")),
}
AUDIT_FIELDS = {
    "owes.document_add:kind": (_l("Kind of document"), LABELS["document_kind"]),
    "owes.proposal_create:kind": (_l("Kind of change"), LABELS["proposal_kind"]),
    "owes.proposal_accept:kind": (_l("Kind of change"), LABELS["proposal_kind"]),
    "owes.proposal_reject:kind": (_l("Kind of change"), LABELS["proposal_kind"]),
    "owes": _l("OWES number"),
    "study": _l("Study number"),
    "round": _l("Consultation number"),
    "period": _l("Period"),
    "indicator": _l("Indicator"),
    "value": _l("Value"),
    "opens_on": _l("Opens on"),
    "closes_on": _l("Closes on"),
    "notified": _l("Notified"),
    "answer": _l("Answer"),
    "owes.target_set:mode": (_l("Kind of target"), LABELS["target_mode"]),
    "owes.recommendation_status:status": (_l("Status"), LABELS["recommendation_status"]),
    "owes.comment_answer:answer": (_l("Answer"), LABELS["answer"]),
    "owes.value_submit:status": (_l("Status"), LABELS["value_status"]),
    "owes.value_verify:status": (_l("Status"), LABELS["value_status"]),
    "owes.value_return:status": (_l("Status"), LABELS["value_status"]),
    "owes.value_reopen:status": (_l("Status"), LABELS["value_status"]),
}


TABLE_LABELS = {
    "owes_value": _l("Reported indicator values"),
    "owes_import": _l("Imports of OWES data"),
    "owes_proposal": _l("Proposed changes of OWES data"),
    "owes_study_document": _l("Evaluation study documents"),
    "owes_recommendation_update": _l("Updates on recommendations"),
    "owes_comment": _l("Comments in consultations"),
}


MANIFEST = Manifest(
    name="owes",
    tenant_blueprints=(bp,),
    blueprints=(root_bp,),
    rules=RULES,
    tenant_prefixes=("owes",),
    tenant_nav=(NavEntry("tenant.owes.owes_list", _l("OWES"), "owes.view"),
                NavEntry("tenant.owes.my_owes", _l("My OWES"), "owes.represent")),
    national_nav=(NavEntry("national_owes.progress", _l("OWES indicators"), "national.owes"),),
    home_panels=(home_panel,),
    notification_kinds=KINDS,
    catalogue=Catalogue("owes", ("owes", "templates/owes")),
    routes=ROUTES,
    bench_pages=(
        BenchPage("OWES plan progress", "tenant.owes.plan_detail", params=synthetic.bench_plan),
        BenchPage("OWES progress (all)", "tenant.owes.tenant_progress"),
    ),
    extras={
        "labels": "translated labels of the OWES enumerations, shared by forms, views and jobs",
    },
    audit_actions=AUDIT_ACTIONS,
    audit_objects=AUDIT_OBJECTS,
    audit_fields=AUDIT_FIELDS,
    table_labels=TABLE_LABELS,
    # evaluation reports and the evidence of reported values are documents of the OWES and the
    # region (kept; the uploader is pseudonymised)
    uploaded_files={"owes_study_document": "record", "owes_value": "record"},
)
