"""National templates: seeding the core and editing its wording (admin / national only)."""

from __future__ import annotations

from sqlalchemy import func, select

from coordination import audit
from coordination.extensions import db
from surveys import catalogue
from surveys.models import SurveyTemplate, TemplateQuestion, TemplateSection

#: template question fields a national editor may change (codes and kinds never change).
EDITABLE_FIELDS = ("text", "help", "required")


def ensure_core_template() -> tuple[SurveyTemplate, bool]:
    """Create the national core template unless it exists; ``(template, created)``.

    Idempotent: an existing template is left as it is (its wording may have been edited in
    the application); missing sections or questions are *not* re-added.
    """
    template = db.session.scalar(select(SurveyTemplate).where(SurveyTemplate.code == catalogue.CORE_CODE))
    if template is not None:
        return template, False
    template = SurveyTemplate(code=catalogue.CORE_CODE, title=catalogue.CORE_TITLE, intro=catalogue.CORE_INTRO)
    db.session.add(template)
    db.session.flush()
    for s_pos, section in enumerate(catalogue.SECTIONS, start=1):
        sec = TemplateSection(template_id=template.id, position=s_pos, title=section["title"],
                              description=section.get("description"))
        db.session.add(sec)
        db.session.flush()
        for q_pos, spec in enumerate(section["questions"], start=1):
            db.session.add(TemplateQuestion(template_id=template.id, section_id=sec.id,
                                            position=q_pos, **spec))
    audit.record("survey_template.seed", obj=template, summary={"code": template.code})
    db.session.commit()
    return template, True


def template_question_count(template_id: int) -> int:
    return db.session.scalar(select(func.count(TemplateQuestion.id))
                             .where(TemplateQuestion.template_id == template_id)) or 0


def update_template_question(question: TemplateQuestion, fields: dict, *, actor) -> dict:
    """Change the wording of a national question (its code stays); returns the diff."""
    diff = audit.changes(question, {k: fields[k] for k in EDITABLE_FIELDS if k in fields})
    if diff:
        audit.record("survey_template.question", actor=actor, obj=question,
                     summary={"code": question.code, **diff})
        db.session.commit()
    return diff
