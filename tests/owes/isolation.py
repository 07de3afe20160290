"""Isolation-test objects of the OWES module (its routes are classified in its manifest)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from coordination import clock
from coordination.auth.models import Membership, User
from coordination.extensions import db
from owes.catalogue import ensure_catalogue
from owes.models import (
    ChangeProposal,
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
    proposal = ChangeProposal(owes_id=owes.id, plan_id=plan.id, kind="target", reason=f"{marker} powód",
                              payload={"indicator_id": res01.id, "code": "RES-01", "mode": "absolute",
                                       "value": "12", "base_id": None, "before": None},
                              status="pending", proposed_by_id=users["owes"])
    db.session.add_all([value, batch, proposal])
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
        "indicator_id": res01.id, "report_format": "docx", "proposal_id": proposal.id,
    }
