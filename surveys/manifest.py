"""What the survey module wires into the application (see coordination/manifest.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordination.audit_labels import AuditObject
from coordination.manifest import Access, BenchPage, Catalogue, Manifest, NavEntry
from coordination.notifications.kinds import kind
from coordination.permissions import is_coordinator, is_national, sees_tenant
from surveys import synthetic
from surveys.views import bp, root_bp
from surveys.views.campaigns import home_panel, my_surveys_panel

RULES = {
    "survey.view": lambda u, o: sees_tenant(u),
    "survey.manage": lambda u, o: is_coordinator(u),
    "survey.export_responses": lambda u, o: is_coordinator(u),
    "survey_core.edit": lambda u, o: is_national(u),
}

#: private: reminders and closing notices go only to those who have not answered, and a
#: message is skipped once its recipient has answered; listing them by recipient in the
#: region's outbox would show the coordinator who has answered.
KINDS = (
    kind("survey_invitation", template="notify_survey_invitation", mandatory=True,
         digestible=True, label=_l("Survey invitations"), subject=_l("Survey: %(title)s"),
         private=True),
    kind("survey_reminder", template="notify_survey_reminder", mandatory=False, digestible=False,
         label=_l("Survey reminders"), subject=_l("Reminder – survey: %(title)s"), private=True),
    kind("survey_closing", template="notify_survey_closing", mandatory=False, digestible=False,
         label=_l("Surveys closing"), subject=_l("Survey closes soon: %(title)s"), private=True),
)

_MANAGE = ("campaign_new", "campaign_detail", "campaign_edit", "campaign_anonymity", "campaign_close",
           "send_invitations", "send_reminders", "questions", "question_edit", "question_remove", "preview", "respondents",
           "respondents_import", "respondents_committee", "respondent_revoke", "respondent_remove",
           "export_responses")
_VIEW = ("campaign_list", "results", "results_section", "export_results", "export_pdf")

ROUTES: dict[str, str] = {
    **{f"tenant.surveys.{name}": Access.TENANT_MANAGE for name in _MANAGE},
    **{f"tenant.surveys.{name}": Access.TENANT_VIEW for name in _VIEW},
    "tenant.surveys.fill_in_app": Access.POST_ONLY,
    "survey.fill": Access.TOKEN_EXCHANGE,
    "survey.respond": Access.TOKEN_SESSION,
    "survey.national_comparison": Access.NATIONAL,
    "survey.core_template": Access.NATIONAL,
    "survey.core_question_edit": Access.NATIONAL,
}


#: what the module's audit codes, objects and summary keys mean (the audit log page).
AUDIT_ACTIONS = {
    "survey.campaign.create": _l("Survey campaign created"),
    "survey.campaign.update": _l("Survey campaign changed"),
    "survey.campaign.anonymity": _l("Survey anonymity mode set"),
    "survey.campaign.close": _l("Survey campaign closed"),
    "survey.question.add": _l("Question added to the survey"),
    "survey.question.remove": _l("Question removed from the survey"),
    "survey.question.update": _l("Regional question of the survey changed"),
    "survey.invitations": _l("Survey invitations sent"),
    "survey.reminders": _l("Survey reminders sent"),
    "survey.respondent.add": _l("Respondent added"),
    "survey.respondent.import": _l("Respondents imported"),
    "survey.respondent.committee_import": _l("Committee members added as respondents"),
    "survey.respondent.remove": _l("Respondent removed"),
    "survey.respondent.revoke": _l("Respondent's link revoked"),
    "survey_template.question": _l("Survey template question changed"),
    "survey_template.seed": _l("Survey template loaded"),
}
AUDIT_OBJECTS = {
    "Campaign": AuditObject(_l("Survey campaign"), "tenant.surveys.campaign_detail", "campaign_id", permission="survey.view"),
    "Respondent": AuditObject(_l("Respondent")),
    "CampaignQuestion": AuditObject(_l("Survey question")),
    "SurveyTemplate": AuditObject(_l("Survey template")),
    "TemplateQuestion": AuditObject(_l("Template question")),
}
AUDIT_FIELDS = {
    "anonymous": _l("Anonymous"),
    "template": _l("Template"),
}


TABLE_LABELS = {
    "survey_respondent": _l("Survey invitations"),
}


MANIFEST = Manifest(
    name="surveys",
    tenant_blueprints=(bp,),
    blueprints=(root_bp,),
    rules=RULES,
    tenant_prefixes=("survey",),
    tenant_nav=(NavEntry("tenant.surveys.campaign_list", _l("Surveys"), "survey.view"),),
    national_nav=(NavEntry("survey.national_comparison", _l("Committee surveys"), "national.view"),),
    home_panels=(my_surveys_panel, home_panel),
    notification_kinds=KINDS,
    catalogue=Catalogue("surveys", ("surveys", "templates/surveys")),
    routes=ROUTES,
    bench_pages=(
        BenchPage("survey results", "tenant.surveys.results", params=synthetic.bench_campaign),
        BenchPage("survey national comparison", "survey.national_comparison", role="national"),
    ),
    extras={
        "engine": "the questionnaire engine: pure functions (read answers from a form, validate, "
                  "visibility, answer rows) shared by forms, services, views and exports",
        "charts": "server-side SVG charts drawn for both the result pages and the PDF report",
    },
    audit_actions=AUDIT_ACTIONS,
    audit_objects=AUDIT_OBJECTS,
    audit_fields=AUDIT_FIELDS,
    table_labels=TABLE_LABELS,
)
