"""Route classification and isolation objects of the OWES module."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from coordination import clock
from coordination.auth.models import Membership, User
from coordination.extensions import db
from owes.catalogue import ensure_catalogue
from owes.models import (
    ConsultationComment,
    ImportBatch,
    Indicator,
    OwesOperator,
    OwesProject,
    PlanStaff,
    PlanTarget,
    Recommendation,
    ReportedValue,
)
from owes.services import evaluation, plans, registry
from tests.isolation.levels import (
    NATIONAL,
    OWES_EDIT,
    POST_ONLY,
    TENANT_MANAGE,
    TENANT_PARTICIPATE,
    TENANT_VIEW,
)

_T = "tenant.owes."
ROUTES = {
    _T + "owes_list": TENANT_VIEW,
    _T + "owes_new": TENANT_MANAGE,
    _T + "owes_detail": TENANT_VIEW,
    _T + "owes_edit": OWES_EDIT,
    _T + "owes_delete": TENANT_MANAGE,
    _T + "operator_add": OWES_EDIT,
    _T + "operator_delete": OWES_EDIT,
    _T + "project_add": OWES_EDIT,
    _T + "project_delete": OWES_EDIT,
    _T + "owes_bind": TENANT_MANAGE,
    _T + "plan_new": OWES_EDIT,
    _T + "plan_detail": TENANT_VIEW,
    _T + "plan_edit": OWES_EDIT,
    _T + "staff_add": OWES_EDIT,
    _T + "staff_delete": OWES_EDIT,
    _T + "target_set": OWES_EDIT,
    _T + "target_delete": OWES_EDIT,
    _T + "value_list": TENANT_VIEW,
    _T + "value_new": OWES_EDIT,
    _T + "value_edit": OWES_EDIT,
    _T + "value_evidence": TENANT_VIEW,
    _T + "plan_submit": POST_ONLY,
    _T + "value_review": TENANT_MANAGE,
    _T + "value_reopen": TENANT_MANAGE,
    _T + "review_queue": TENANT_MANAGE,
    _T + "plan_template": TENANT_VIEW,
    _T + "plan_export": TENANT_VIEW,
    _T + "plan_import": OWES_EDIT,
    _T + "plan_import_preview": OWES_EDIT,
    _T + "tenant_progress": TENANT_VIEW,
    _T + "indicator_list": TENANT_VIEW,
    _T + "study_list": TENANT_VIEW,
    _T + "study_new": TENANT_MANAGE,
    _T + "study_detail": TENANT_VIEW,
    _T + "study_edit": TENANT_MANAGE,
    _T + "document_upload": TENANT_MANAGE,
    _T + "document_download": TENANT_VIEW,
    _T + "round_new": TENANT_MANAGE,
    _T + "round_detail": TENANT_VIEW,
    _T + "comment_add": TENANT_PARTICIPATE,
    _T + "comment_answer": TENANT_MANAGE,
    _T + "round_close": TENANT_MANAGE,
    _T + "round_report": TENANT_VIEW,
    _T + "recommendation_new": TENANT_MANAGE,
    _T + "recommendation_detail": TENANT_VIEW,
    _T + "recommendation_edit": TENANT_MANAGE,
    _T + "recommendation_status": TENANT_MANAGE,
    _T + "recommendation_list": TENANT_VIEW,
    "national_owes.progress": NATIONAL,
    "national_owes.catalogue": NATIONAL,
    "national_owes.indicator_new": NATIONAL,
    "national_owes.indicator_edit": NATIONAL,
}


def build_objects(slug: str, marker: str, users: dict) -> dict:
    """One object of each kind; the own region's ``owes`` user is bound to its OWES."""
    ensure_catalogue()
    admin = db.session.get(User, users["admin"])
    res01 = db.session.scalar(select(Indicator).where(Indicator.code == "RES-01"))
    owes = registry.save_owes(None, {"name": f"{marker} OWES testowy {slug}".strip(),
                                     "subregion": "zgierski"}, actor=admin)
    if not marker:
        membership = db.session.scalar(select(Membership).where(Membership.user_id == users["owes"]))
        membership.owes_id = owes.id
    op = registry.add_operator(owes, f"{marker} Operator", "lead", None, actor=admin)
    project = registry.add_project(owes, {"name": f"{marker} Projekt"}, actor=admin)
    plan = plans.save_plan(owes, None, {"title": f"{marker} Plan", "start_year": 2024,
                                        "end_year": 2027}, actor=admin)
    staff = plans.add_staff(plan, f"{marker} doradca", Decimal("1.5"), actor=admin)
    target = plans.set_target(plan, res01, "absolute", Decimal(10), actor=admin)
    value = ReportedValue(owes_id=owes.id, indicator_id=res01.id, period="2024", year=2024,
                          value=Decimal(3), status="submitted", evidence=f"{marker} lista",
                          evidence_filename="lista.pdf", evidence_content_type="application/pdf",
                          evidence_size=13, evidence_data=b"%PDF-1.4 lista")
    batch = ImportBatch(token=f"tok-{slug}", owes_id=owes.id, plan_id=plan.id, user_id=admin.id,
                        filename="a.xlsx", payload={"values": [], "targets": []},
                        summary={"rows": 0, "new_values": 0, "changed_values": 0,
                                 "unchanged_values": 0, "new_targets": 0, "changed_targets": 0,
                                 "unchanged_targets": 0})
    db.session.add_all([value, batch])
    db.session.flush()
    study = evaluation.save_study(None, {"owes_id": owes.id, "title": f"{marker} Ewaluacja",
                                         "kind": "midterm", "evaluator": "Ewaluator"}, actor=admin)
    doc = evaluation.add_document(study, "draft", "raport.pdf", b"%PDF-1.4 test", actor=admin)
    rnd = evaluation.open_round(study, {"opens_on": clock.today() - timedelta(days=1),
                                        "closes_on": clock.today() + timedelta(days=10),
                                        "participants": ["rops", "owes"], "document_id": doc.id},
                                actor=admin)
    comment = evaluation.add_comment(rnd, {"section": f"{marker} Rozdział 1", "comment": "Uwaga"},
                                     actor=admin)
    rec = evaluation.save_recommendation(study, None, {
        "finding": f"{marker} Wniosek", "recommendation": "Rekomendacja", "addressee": "ROPS",
        "priority": "high"}, actor=admin)
    assert isinstance(op, OwesOperator) and isinstance(project, OwesProject)
    assert isinstance(staff, PlanStaff) and isinstance(target, PlanTarget)
    assert isinstance(comment, ConsultationComment) and isinstance(rec, Recommendation)
    return {
        "owes_id": owes.id, "operator_id": op.id, "project_id": project.id, "plan_id": plan.id,
        "staff_id": staff.id, "target_id": target.id, "value_id": value.id,
        "import_token": batch.token, "study_id": study.id, "document_id": doc.id,
        "round_id": rnd.id, "consultation_comment_id": comment.id, "recommendation_id": rec.id,
        "indicator_id": res01.id, "report_format": "docx",
    }
