"""What the SIRES module wires into the application (see coordination/manifest.py)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from coordination.audit_labels import AuditObject
from coordination.manifest import Access, BenchPage, Catalogue, Manifest, NavEntry
from coordination.notifications.kinds import kind
from coordination.permissions import is_national, tenant_roles
from national.catalogue import (
    PRIORITY_LABELS,
    SUPPORT_FORM_LABELS,
    TARGET_GROUP_LABELS,
    operator_staff_participants,
)
from national.views import bp, root_bp
from national.views.region import home_panel


def _advisor(user) -> bool:
    """National consultants and the region's coordinator."""
    return is_national(user) or "coordinator" in tenant_roles(user)


RULES = {
    "national.edit": lambda u, o: is_national(u),
    "diagnosis.view": lambda u, o: _advisor(u),
    "diagnosis.edit": lambda u, o: _advisor(u) and (o is None or o.status == "draft"),
    "diagnosis.consultant": lambda u, o: is_national(u),
    "diagnosis.sign": lambda u, o: _advisor(u) and (o is None or o.status == "draft"),
    "diagnosis.support": lambda u, o: _advisor(u),
}

ROUTES: dict[str, str] = {
    "national.overview": Access.NATIONAL,
    "national.comparison": Access.NATIONAL,
    "national.comparison_section": Access.NATIONAL,
    "national.comparison_xlsx": Access.NATIONAL,
    "national.item_regions": Access.NATIONAL,
    "national.item_regions_xlsx": Access.NATIONAL,
    "national.item_briefing_pdf": Access.NATIONAL,
    "national.item_briefing_docx": Access.NATIONAL,
    "national.profiles": Access.NATIONAL,
    "national.support": Access.NATIONAL,
    "national.template": Access.NATIONAL,
    "national.item_edit": Access.NATIONAL,
    "national.item_new": Access.NATIONAL,
    "national.advocacy": Access.NATIONAL,
    "national.advocacy_detail": Access.NATIONAL,
    "national.advocacy_step": Access.POST_ONLY,
    "national.advocacy_new": Access.NATIONAL,
    "national.advocacy_edit": Access.NATIONAL,
    "tenant.diagnosis.index": Access.TENANT_ADVISORY,
    "tenant.diagnosis.start": Access.TENANT_ADVISORY,
    "tenant.diagnosis.detail": Access.TENANT_ADVISORY,
    "tenant.diagnosis.rate": Access.TENANT_ADVISORY,
    "tenant.diagnosis.sign": Access.TENANT_ADVISORY,
    "tenant.diagnosis.discard": Access.TENANT_ADVISORY,
    "tenant.diagnosis.history": Access.TENANT_ADVISORY,
    "tenant.diagnosis.export_xlsx": Access.TENANT_ADVISORY,
    "tenant.diagnosis.export_pdf": Access.TENANT_ADVISORY,
    "tenant.diagnosis.export_docx": Access.TENANT_ADVISORY,
    "tenant.diagnosis.support_list": Access.TENANT_ADVISORY,
    "tenant.diagnosis.support_new": Access.TENANT_ADVISORY,
    "tenant.diagnosis.support_edit": Access.TENANT_ADVISORY,
    "tenant.diagnosis.support_delete": Access.TENANT_ADVISORY,
}


#: what the module's audit codes, objects and summary keys mean (the audit log page).
AUDIT_ACTIONS = {
    "diagnosis.start": _l("SIRES diagnosis started"),
    "diagnosis.rating": _l("Diagnosis rating saved"),
    "diagnosis.sign": _l("Diagnosis signed"),
    "diagnosis.discard": _l("Draft diagnosis discarded"),
    "diagnosis_item.add": _l("Diagnosis item added"),
    "diagnosis_item.update": _l("Diagnosis item changed"),
    "support.add": _l("Support entry added"),
    "support.update": _l("Support entry changed"),
    "support.delete": _l("Support entry removed"),
    "advocacy.add": _l("Advocacy issue added"),
    "advocacy.update": _l("Advocacy issue changed"),
    "advocacy.step": _l("Advocacy step recorded"),
}
AUDIT_OBJECTS = {
    "Diagnosis": AuditObject(_l("SIRES diagnosis"), "tenant.diagnosis.detail", "diagnosis_id", permission="diagnosis.view"),
    "DiagnosisItem": AuditObject(_l("Diagnosis item")),
    "SupportEntry": AuditObject(_l("Support entry")),
    "AdvocacyIssue": AuditObject(_l("Advocacy issue"), "national.advocacy_detail", "advocacy_issue_id", permission="national.view"),
}
AUDIT_FIELDS = {
    "item_id": _l("Item number"),
    "state": _l("State"),
    "need": _l("Need"),
    "evidence": _l("Evidence"),
    "held_on": _l("Held on"),
    "topic": _l("Topic"),
    "hours": _l("Hours"),
    "follow_up": _l("Follow-up"),
    "taken_on": _l("Taken on"),
    "item_ids": _l("Diagnosis items"),
    "region_slugs": _l("Regions"),
    "priority": (_l("Priority"), PRIORITY_LABELS),
    "form": (_l("Form of support"), SUPPORT_FORM_LABELS),
    "support_forms": (_l("Preferred forms of support"), SUPPORT_FORM_LABELS),
    "target_groups": (_l("Target groups"), TARGET_GROUP_LABELS),
    "actions": _l("Agreed actions"),
    "notes": _l("Notes"),
    "consultant_notes": _l("Consultant's notes"),
    "consultant_notes_released": _l("Consultant's notes shared with the region"),
    "rops_staff": LazyString(operator_staff_participants),
    "committee_members": _l("Participants: committee members"),
    "planners": _l("Participants: marshal-office planners"),
    "participants": _l("Participants in total"),
}


TABLE_LABELS = {
    "diagnosis": _l("SIRES diagnoses"),
    "support_entry": _l("Support log entries"),
    "advocacy_step": _l("Steps in advocacy issues"),
}


MANIFEST = Manifest(
    name="national",
    tenant_blueprints=(bp,),
    blueprints=(root_bp,),
    rules=RULES,
    tenant_prefixes=("diagnosis",),
    tenant_nav=(NavEntry("tenant.diagnosis.index", _l("SIRES diagnosis"), "diagnosis.view"),),
    national_nav=(
        NavEntry("national.comparison", _l("Comparison"), "national.view"),
        NavEntry("national.support", _l("Support totals"), "national.view"),
        NavEntry("national.advocacy", _l("Advocacy"), "national.view"),
        NavEntry("national.template", _l("Diagnosis template"), "national.view"),
    ),
    home_panels=(home_panel,),
    notification_kinds=(
        kind("diagnosis_outdated", template="notify_diagnosis_outdated", mandatory=False,
             digestible=True, label=_l("Outdated diagnoses"),
             subject=_l("Diagnosis older than 12 months: %(title)s")),
    ),
    catalogue=Catalogue("national", ("national", "templates/national")),
    routes=ROUTES,
    bench_pages=(
        BenchPage("national overview", "national.overview", role="national"),
        BenchPage("national heatmap", "national.comparison", role="national"),
    ),
    audit_actions=AUDIT_ACTIONS,
    audit_objects=AUDIT_OBJECTS,
    audit_fields=AUDIT_FIELDS,
    table_labels=TABLE_LABELS,
)
