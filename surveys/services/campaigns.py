"""Yearly campaigns: creation from a template snapshot, dates, anonymity, own questions."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from coordination import audit, clock
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.notifications import services as notify
from coordination.tenancy import current_tenant_id
from surveys.catalogue import REGIONAL_PREFIX
from surveys.engine import CODE_RE
from surveys.models import (
    Answer,
    AnswerTally,
    Campaign,
    CampaignQuestion,
    CampaignSection,
    QuestionFields,
    Respondent,
    Response,
    SurveyTemplate,
    TemplateQuestion,
    TemplateSection,
    campaign_status,
)
from tenants import operator
from tenants.models import Tenant

#: columns copied from template questions into campaign questions.
QUESTION_COLUMNS = tuple(QuestionFields.__annotations__)


#: notification kinds about a campaign (cancelled together when it closes).
SURVEY_KINDS = ("survey_invitation", "survey_reminder", "survey_closing")



def region_question(fields: dict, tenant: Tenant) -> dict:
    """Question ``fields`` with the operator placeholders filled for ``tenant`` (text, help,
    option and item labels), as a campaign stores them."""
    out = dict(fields)
    out["text"] = operator.fill(out.get("text"), tenant)
    out["help"] = operator.fill(out.get("help"), tenant)
    for key in ("options", "items"):
        if out.get(key):
            out[key] = [{**o, "label": operator.fill(o["label"], tenant)} for o in out[key]]
    return out


def response_count(campaign_id: int) -> int:
    return db.session.scalar(select(func.count(Response.id)).where(Response.campaign_id == campaign_id)) or 0


def drafts_in_progress(campaign_id: int) -> int:
    """People who saved answers without submitting yet (they started under the campaign's
    promise of anonymity). Read in Python: an erased draft may be SQL NULL or JSON null."""
    drafts = db.session.scalars(select(Respondent.draft).where(
        Respondent.campaign_id == campaign_id, Respondent.completed.is_(False), Respondent.revoked.is_(False)))
    return sum(1 for draft in drafts if draft)


def mode_locked(campaign_id: int) -> bool:
    """The anonymity mode can no longer become named: an invitation has been sent (or a link
    issued) — from then on people may open the survey under the promise of anonymity."""
    return db.session.scalar(select(Respondent.id).where(
        Respondent.campaign_id == campaign_id,
        Respondent.invited_at.is_not(None) | Respondent.token_hash.is_not(None)).limit(1)) is not None


def _check_dates(opens_on: date, closes_on: date) -> None:
    if closes_on < opens_on:
        raise DomainError(_("The closing date cannot be earlier than the opening date."))


def create_campaign(template: SurveyTemplate, year: int, opens_on: date, closes_on: date, *,
                    title: str | None = None, intro: str | None = None, anonymous: bool = True,
                    actor=None, is_demo: bool = False, reminders: tuple[int, int] = (2, 7)) -> Campaign:
    """Create the current region's campaign for ``year`` as a snapshot of ``template``.

    Later wording changes of the template do not touch this campaign; codes stay the same.
    The operator placeholders of the template (``{op_gen}`` …) are filled with the region's
    names here, so the campaign keeps the text as it was asked.
    """
    tenant = db.session.get(Tenant, current_tenant_id.get())
    _check_dates(opens_on, closes_on)
    if db.session.scalar(select(Campaign.id).where(Campaign.year == year)) is not None:
        raise DomainError(_("The region already has a campaign for %(year)d.", year=year))
    campaign = Campaign(template_id=template.id, year=year,
                        title=operator.fill(title or template.title, tenant),
                        intro=operator.fill(intro or template.intro, tenant), opens_on=opens_on, closes_on=closes_on,
                        anonymous=anonymous, is_demo=is_demo, reminder_count=reminders[0],
                        reminder_spacing_days=reminders[1])
    db.session.add(campaign)
    db.session.flush()
    sections = db.session.scalars(select(TemplateSection).where(TemplateSection.template_id == template.id)
                                  .order_by(TemplateSection.position)).all()
    questions = db.session.scalars(select(TemplateQuestion).where(TemplateQuestion.template_id == template.id)
                                   .order_by(TemplateQuestion.position)).all()
    by_section: dict[int, list[TemplateQuestion]] = {}
    for q in questions:
        by_section.setdefault(q.section_id, []).append(q)
    for sec in sections:
        copy = CampaignSection(campaign_id=campaign.id, position=sec.position,
                               title=operator.fill(sec.title, tenant),
                               description=operator.fill(sec.description, tenant))
        db.session.add(copy)
        db.session.flush()
        for q in by_section.get(sec.id, []):
            db.session.add(CampaignQuestion(campaign_id=campaign.id, section_id=copy.id, **region_question(
                {c: getattr(q, c) for c in QUESTION_COLUMNS}, tenant)))
    audit.record("survey.campaign.create", actor=actor, obj=campaign,
                 summary={"year": year, "template": template.code, "anonymous": anonymous})
    db.session.commit()
    return campaign


def update_campaign(campaign: Campaign, *, title: str, intro: str | None, opens_on: date,
                    closes_on: date, actor=None, reminders: tuple[int, int] | None = None) -> dict:
    """Change title, introduction, dates (e.g. extend the closing date) and the automatic
    reminders ``(count, spacing in days)``; queued reminders follow the new dates."""
    from surveys.services.respondents import sync_reminders

    _check_dates(opens_on, closes_on)
    if (campaign_status(campaign) == "closed" and closes_on >= clock.today()
            and response_count(campaign.id)):
        # once closed, the responses can be exported row by row: answers added after a
        # reopening would show as the difference between two exports
        raise DomainError(_("A closed campaign with responses cannot be reopened: answers added "
                            "later could be told apart in the responses export."))
    fields = {"title": title, "intro": intro, "opens_on": opens_on, "closes_on": closes_on}
    if reminders is not None:
        fields.update(reminder_count=reminders[0], reminder_spacing_days=reminders[1])
    diff = audit.changes(campaign, fields)
    if diff:
        audit.record("survey.campaign.update", actor=actor, obj=campaign, summary=diff)
        sync_reminders(campaign)
        db.session.commit()
    return diff


def set_anonymity(campaign: Campaign, anonymous: bool, *, actor=None) -> None:
    """Switch between anonymous and named.

    Anonymous -> named is refused once the first invitation has been sent (the mode is locked:
    whoever opens the link from then on was promised anonymity), and once a response or a
    saved draft exists. Named -> anonymous is always allowed (it only adds protection) and
    erases the names already stored with responses.
    """
    if campaign.anonymous == anonymous:
        return
    if not anonymous and mode_locked(campaign.id):
        raise DomainError(_("Invitations have already been sent with the promise of anonymity; "
                            "the survey cannot become named."))
    if not anonymous and response_count(campaign.id):
        raise DomainError(_("The campaign already has responses given anonymously; "
                            "it cannot become named."))
    if not anonymous and drafts_in_progress(campaign.id):
        raise DomainError(_("People have already started answering under the promise of anonymity "
                            "(saved answers); the campaign cannot become named."))
    campaign.anonymous = anonymous
    if anonymous:
        db.session.execute(update(Response).where(Response.campaign_id == campaign.id)
                           .values(respondent_name=None))
    audit.record("survey.campaign.anonymity", actor=actor, obj=campaign,
                 summary={"anonymous": anonymous})
    db.session.commit()


def close_campaign(campaign: Campaign, *, actor=None, today: date | None = None) -> None:
    """Stop accepting answers now (before the planned closing date)."""
    if campaign.closed_early_on is not None:
        return
    campaign.closed_early_on = today or clock.today()
    audit.record("survey.campaign.close", actor=actor, obj=campaign,
                 summary={"closed_on": campaign.closed_early_on})
    notify.cancel(SURVEY_KINDS, object_type="campaign", object_id=campaign.id)
    db.session.commit()


def _regional_section(campaign: Campaign) -> CampaignSection:
    section = db.session.scalar(select(CampaignSection).where(
        CampaignSection.campaign_id == campaign.id, CampaignSection.regional.is_(True)))
    if section is None:
        last = db.session.scalar(select(func.max(CampaignSection.position))
                                 .where(CampaignSection.campaign_id == campaign.id)) or 0
        section = CampaignSection(campaign_id=campaign.id, position=last + 1, regional=True,
                                  title="Pytania regionalne",
                                  description="Pytania dodane przez region do krajowego rdzenia ankiety.")
        db.session.add(section)
        db.session.flush()
    return section


def _lines_to_options(text: str, prefix: str) -> list[dict[str, str]]:
    labels = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [{"code": f"{prefix}{i}", "label": label} for i, label in enumerate(labels, start=1)]


def regional_code(raw: str) -> str:
    """The namespaced code of a region's own question: upper case, prefixed with ``R-`` (added
    when missing), so it can never collide with a national core code (those never start with
    ``R-``) and is left out of national comparisons."""
    code = (raw or "").strip().upper()
    if not code.startswith(REGIONAL_PREFIX):
        code = REGIONAL_PREFIX + code
    if not CODE_RE.match(code) or len(code) > 30:
        raise DomainError(_("Use a code of capital letters and digits, e.g. R-WLKP-01."))
    return code


def _kind_fields(code: str, kind: str, options_text: str, allow_other: bool,
                 min_value: float | None, max_value: float | None) -> dict:
    """Options, matrix rows and number range of a regional question, validated."""
    fields: dict = {"options": None, "items": None}
    if kind in ("single", "multi"):
        fields["options"] = _lines_to_options(options_text, "O")
        if len(fields["options"]) < 2:
            raise DomainError(_("Give at least two options, one per line."))
    elif kind == "matrix":
        fields["items"] = [{"code": f"{code}-{o['code'][1:]}", "label": o["label"]}
                           for o in _lines_to_options(options_text, "O")]
        if not fields["items"]:
            raise DomainError(_("Give at least one row to rate, one per line."))
    if kind == "number" and min_value is not None and max_value is not None and min_value > max_value:
        raise DomainError(_("The minimum cannot be greater than the maximum."))
    fields.update(allow_other=allow_other and kind in ("single", "multi"),
                  min_value=min_value if kind == "number" else None,
                  max_value=max_value if kind == "number" else None)
    return fields


def _check_open_for_changes(campaign_id: int) -> None:
    if response_count(campaign_id):
        raise DomainError(_("The campaign already has responses; its questions cannot change."))


def add_regional_question(campaign: Campaign, *, code: str, kind: str, text: str,
                          help: str | None = None, required: bool = False,
                          options_text: str = "", allow_other: bool = False,
                          min_value: float | None = None, max_value: float | None = None,
                          actor=None) -> CampaignQuestion:
    """Add the region's own question (own code, see :func:`regional_code`) to the campaign's
    regional page.

    Refused once responses exist (the questionnaire is then frozen). ``options_text`` holds
    one option (choice questions) or one rating item (matrix) per line.
    """
    _check_open_for_changes(campaign.id)
    code = regional_code(code)
    if db.session.scalar(select(CampaignQuestion.id).where(CampaignQuestion.campaign_id == campaign.id,
                                                           CampaignQuestion.code == code)):
        raise DomainError(_("The code %(code)s is already used in this survey.", code=code))
    fields = _kind_fields(code, kind, options_text, allow_other, min_value, max_value)
    section = _regional_section(campaign)
    last = db.session.scalar(select(func.max(CampaignQuestion.position))
                             .where(CampaignQuestion.section_id == section.id)) or 0
    question = CampaignQuestion(
        campaign_id=campaign.id, section_id=section.id, position=last + 1, regional=True,
        code=code, kind=kind, text=text, help=help or None, required=required, **fields)
    db.session.add(question)
    db.session.flush()
    audit.record("survey.question.add", actor=actor, obj=question, summary={"code": code, "kind": kind})
    db.session.commit()
    return question


def regional_options_text(question: CampaignQuestion) -> str:
    """The options (or matrix rows) of a regional question, one per line, as the form edits them."""
    return "\n".join(o["label"] for o in (question.items if question.kind == "matrix" else question.options) or ())


def update_regional_question(question: CampaignQuestion, *, text: str, help: str | None = None,
                             required: bool = False, options_text: str = "", allow_other: bool = False,
                             min_value: float | None = None, max_value: float | None = None,
                             actor=None) -> dict:
    """Change one of the region's own questions (its code and type stay); only before any
    response exists. Returns the audited diff."""
    if not question.regional:
        raise DomainError(_("Questions of the national core cannot be changed by the region."))
    _check_open_for_changes(question.campaign_id)
    fields = _kind_fields(question.code, question.kind, options_text, allow_other, min_value, max_value)
    diff = audit.changes(question, {"text": text, "help": help or None, "required": required, **fields})
    if diff:
        audit.record("survey.question.update", actor=actor, obj=question,
                     summary={"code": question.code, **diff})
        db.session.commit()
    return diff


def remove_regional_question(question: CampaignQuestion, *, actor=None) -> None:
    """Remove one of the region's own questions (only before any response exists)."""
    if not question.regional:
        raise DomainError(_("Questions of the national core cannot be removed."))
    _check_open_for_changes(question.campaign_id)
    audit.record("survey.question.remove", actor=actor, obj=question, summary={"code": question.code})
    db.session.execute(delete(AnswerTally).where(AnswerTally.question_id == question.id))
    db.session.execute(delete(Answer).where(Answer.question_id == question.id))
    db.session.delete(question)
    db.session.commit()
