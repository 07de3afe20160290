"""Synthetic survey campaigns for ``seed-synthetic`` (contract: coordination/synthetic.py).

Per region: one campaign a year over the synthetic 5 years (years that already have a
campaign in the database are left alone), each a snapshot of the national core template
(written once from :mod:`surveys.catalogue` when missing, like the demo's
``ensure_core_template``), run in November–December of the year it evaluates. Its
respondents are the committee
people (``people(tenant, "committee")``, 40 at scale 1; at least 10, topped up with invited
guests, so tiny scales clear the small-group suppression) with a token hash; 55–90 % of them have
completed it. The responses follow the module's anonymity model: :class:`~surveys.models.Response`
and :class:`~surveys.models.Answer` rows carry no token, respondent or time (only the year) and
random ids; a respondent only knows *that* it answered. Every question is answered (Likert
ratings around a per-region level with a yearly trend and per-dimension biases, a few "don't
know"; the profile's single choices; open questions by some). The answer tallies of the new
campaigns are computed from the inserted answers in one statement.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from coordination.auth.models import User
from coordination.extensions import db
from coordination.synthetic import EPOCH_END, YEARS, bulk_insert, count, email, people, person_name
from surveys import catalogue
from surveys.models import (
    DONT_KNOW,
    Answer,
    Campaign,
    CampaignQuestion,
    CampaignSection,
    Respondent,
    Response,
    SurveyTemplate,
    TemplateQuestion,
    TemplateSection,
)
from surveys.queries import MIN_GROUP
from surveys.services import tally
from surveys.services.campaigns import QUESTION_COLUMNS, region_question
from tenants import operator

RESPONDENTS = 40
#: at tiny scales a campaign still gets this many respondents (invited guests beyond the
#: committee), so its results clear the small-group suppression (MIN_GROUP responses).
MIN_RESPONDENTS = 2 * MIN_GROUP
#: open answers drawn for the long-text questions.
OPEN_ANSWERS = ("Dobra współpraca z OWES i szybka informacja o naborach.",
                "Materiały na posiedzenia przychodzą za późno.",
                "Więcej spotkań w subregionach, nie tylko w stolicy województwa.",
                "Klauzule społeczne w zamówieniach gmin.",
                "Protokoły powinny być szybciej udostępniane.",
                "Brak możliwości udziału zdalnego.")
CATEGORY_WEIGHTS = (3, 2, 5, 4, 3, 1, 1, 1)
#: values of the template's not-null flags when a question spec leaves them out.
FLAG_DEFAULTS = {"required": False, "allow_other": False}


def _random_id(rng) -> str:
    return f"{rng.getrandbits(128):032x}"


def _monday(day: date) -> date:
    """Completions are kept by week (the Monday), as :func:`surveys.services.submit` does."""
    return day - timedelta(days=day.weekday())


def _hide_last_completions(respondents: list[dict]) -> None:
    """Completions are revealed in groups of MIN_GROUP: the last fewer than 5 of each campaign
    stay unmarked, as :func:`surveys.services.responses.reveal_completions` leaves them."""
    done: dict[int, list[dict]] = {}
    for r in respondents:
        if r["completed"]:
            done.setdefault(r["campaign_id"], []).append(r)
    for rows in done.values():
        for r in rows[len(rows) - len(rows) % MIN_GROUP:]:
            r["completion_shown"] = False


def _core_template() -> SurveyTemplate:
    """The national core template; written from :mod:`surveys.catalogue` when missing — the rows
    :func:`surveys.services.ensure_core_template` writes, without its audit entry (its time
    is "now", and synthetic data must be identical run after run)."""
    template = db.session.scalar(select(SurveyTemplate).where(SurveyTemplate.code == catalogue.CORE_CODE))
    if template is not None:
        return template
    template_id = bulk_insert(SurveyTemplate, [{"code": catalogue.CORE_CODE, "title": catalogue.CORE_TITLE,
                                                "intro": catalogue.CORE_INTRO}], returning=SurveyTemplate.id)[0]
    section_ids = bulk_insert(TemplateSection, [
        {"template_id": template_id, "position": pos, "title": section["title"],
         "description": section.get("description")} for pos, section in enumerate(catalogue.SECTIONS, 1)],
        returning=TemplateSection.id)
    bulk_insert(TemplateQuestion, [
        {"template_id": template_id, "section_id": section_id, "position": pos,
         **{col: spec.get(col, FLAG_DEFAULTS.get(col)) for col in QUESTION_COLUMNS if col != "position"}}
        for section_id, section in zip(section_ids, catalogue.SECTIONS, strict=True)
        for pos, spec in enumerate(section["questions"], 1)])
    return db.session.get(SurveyTemplate, template_id)


def _template():
    template = _core_template()
    sections = db.session.scalars(select(TemplateSection).where(TemplateSection.template_id == template.id)
                                  .order_by(TemplateSection.position)).all()
    questions = db.session.scalars(
        select(TemplateQuestion).join(TemplateSection, TemplateSection.id == TemplateQuestion.section_id)
        .where(TemplateQuestion.template_id == template.id)
        .order_by(TemplateSection.position, TemplateQuestion.position, TemplateQuestion.id)).all()
    return template, sections, questions


def _answers(rng, question: dict, level: float, bias: dict[str, float]) -> list[dict]:
    """Answer rows (without ids) of one response to ``question`` (a campaign question row)."""
    kind = question["kind"]
    if kind == "likert":
        if rng.random() < 0.06:
            return [{"item": "", "num": None, "choice": DONT_KNOW, "text": None}]
        value = round(rng.gauss(level + bias.get(question["dimension"] or "", 0.0), 0.8))
        return [{"item": "", "num": float(max(1, min(5, value))), "choice": None, "text": None}]
    if kind == "single":
        codes = [o["code"] for o in question["options"] or ()]
        weights = CATEGORY_WEIGHTS[:len(codes)] if len(codes) == len(CATEGORY_WEIGHTS) else None
        return [{"item": "", "num": None, "choice": rng.choices(codes, weights)[0], "text": None}]
    if kind in ("short_text", "long_text"):
        return ([{"item": "", "num": None, "choice": None, "text": rng.choice(OPEN_ANSWERS)}]
                if rng.random() < 0.45 else [])
    return []


def generate(tenants, scale, rng) -> dict[str, int]:
    """Campaigns (5 years per region), their questions, respondents, responses and answers."""
    template, t_sections, t_questions = _template()
    years = range(EPOCH_END.year - YEARS + 1, EPOCH_END.year + 1)
    taken = set(db.session.execute(select(Campaign.tenant_id, Campaign.year)).all())
    campaigns = []
    for tenant in tenants.values():
        for year in years:
            if (tenant.id, year) in taken:  # one campaign per region and year: keep what exists
                continue
            campaigns.append({
                "tenant_id": tenant.id, "template_id": template.id, "year": year,
                "title": operator.fill(template.title, tenant), "intro": operator.fill(template.intro, tenant), "opens_on": date(year, 11, 15), "closes_on": date(year, 12, 15),
                "anonymous": True, "reminder_count": 2, "reminder_spacing_days": 7,
                "closed_early_on": None, "is_demo": False,
                "created_at": datetime(year, 11, 2, 9, 0)})
    for row, cid in zip(campaigns, bulk_insert(Campaign, campaigns, returning=Campaign.id), strict=True):
        row["id"] = cid
    by_id = {t.id: t for t in tenants.values()}
    sections = [{"tenant_id": c["tenant_id"], "campaign_id": c["id"], "position": s.position,
                 "title": operator.fill(s.title, by_id[c["tenant_id"]]),
                 "description": operator.fill(s.description, by_id[c["tenant_id"]]), "regional": False}
                for c in campaigns for s in t_sections]
    section_ids = bulk_insert(CampaignSection, sections, returning=CampaignSection.id)
    section_of = {(row["campaign_id"], row["position"]): sid for row, sid in zip(sections, section_ids, strict=True)}
    position = {s.id: s.position for s in t_sections}
    questions = [{"tenant_id": c["tenant_id"], "campaign_id": c["id"], "regional": False,
                  "section_id": section_of[(c["id"], position[q.section_id])],
                  **region_question({col: getattr(q, col) for col in QUESTION_COLUMNS}, by_id[c["tenant_id"]])}
                 for c in campaigns for q in t_questions]
    for row, qid in zip(questions, bulk_insert(CampaignQuestion, questions, returning=CampaignQuestion.id),
                        strict=True):
        row["id"] = qid
    by_campaign: dict[int, list[dict]] = {}
    for q in questions:
        by_campaign.setdefault(q["campaign_id"], []).append(q)

    names = dict(db.session.execute(select(User.id, User.full_name).where(User.email.like("syn.%"))).all())
    emails = dict(db.session.execute(select(User.id, User.email).where(User.email.like("syn.%"))).all())
    respondents, responses, answers = [], [], []
    for tenant in tenants.values():
        wanted = max(count(RESPONDENTS, scale), MIN_RESPONDENTS)
        committee = [(names[u], emails[u]) for u in people(tenant, "committee")[:wanted]]
        committee += [(person_name(rng), email("respondent", n, tenant.slug))
                      for n in range(len(committee) + 1, wanted + 1)]
        base = rng.uniform(3.0, 4.1)
        trend = rng.uniform(-0.1, 0.2)
        for c in (c for c in campaigns if c["tenant_id"] == tenant.id):
            level = base + trend * (c["year"] - years[0])
            bias = {d: rng.uniform(-0.5, 0.4) for d in ("REG", "SIEC", "REPR", "PROM", "WIED", "KOM", "ZAAN")}
            rate = rng.uniform(0.55, 0.9)
            invited = datetime.combine(c["opens_on"], time(9, 0))
            for n, (full_name, address) in enumerate(committee):
                done = rng.random() < rate or n < MIN_GROUP  # every campaign clears suppression
                reminders = 0 if done and rng.random() < 0.6 else rng.choice((1, 2))
                respondents.append({
                    "tenant_id": tenant.id, "campaign_id": c["id"], "full_name": full_name,
                    "email": address, "invited_at": invited,
                    "token_hash": hashlib.sha256(f"syn:{tenant.slug}:{c['year']}:{n}".encode()).hexdigest(),
                    "reminded_at": invited + timedelta(days=7 * reminders) if reminders else None,
                    "reminders": reminders, "completed": done, "completion_shown": done, "revoked": False,
                    "draft": None,
                    "completed_on": _monday(c["opens_on"] + timedelta(days=min(30, int(rng.expovariate(1 / 6)))))
                    if done else None, "is_demo": False})
                if not done:
                    continue
                response_id = _random_id(rng)
                responses.append({"tenant_id": tenant.id, "id": response_id, "campaign_id": c["id"],
                                  "year": c["year"], "anonymous": True, "respondent_name": None,
                                  "is_demo": False})
                for q in by_campaign[c["id"]]:
                    for row in _answers(rng, q, level, bias):
                        answers.append({"tenant_id": tenant.id, "id": _random_id(rng), "response_id": response_id,
                                        "question_id": q["id"], "campaign_id": c["id"], **row})
    _hide_last_completions(respondents)
    bulk_insert(Respondent, respondents)
    rng.shuffle(responses)  # not even the physical order follows the respondents
    bulk_insert(Response, responses)
    bulk_insert(Answer, answers)
    tally.rebuild([c["id"] for c in campaigns])  # one INSERT … SELECT … GROUP BY for them all
    tally.store_closed_scores()  # what the daily job does once a campaign has closed
    return {"campaigns": len(campaigns), "campaign questions": len(questions),
            "respondents": len(respondents), "responses": len(responses), "answers": len(answers)}


def bench_campaign(tenant: str) -> dict:
    """URL values of the benchmark's results page: the region's campaign with the most
    responses (the newest of equals)."""
    from sqlalchemy import func

    from surveys.models import Campaign, Response
    from tenants.models import Tenant

    return {"campaign_id": db.session.scalar(
        select(Campaign.id).join(Response, Response.campaign_id == Campaign.id)
        .where(Campaign.tenant_id == select(Tenant.id).where(Tenant.slug == tenant).scalar_subquery())
        .group_by(Campaign.id, Campaign.year)
        .order_by(func.count(Response.id).desc(), Campaign.year.desc()).limit(1))}
