"""SIRES demo data: signed diagnoses for eight regions, an update in progress, a support log and
the four advocacy issues with steps. All ratings are INVENTED for the demo and say so.

Idempotent: a region that already has a diagnosis (or support entries) is left alone.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from coordination import clock
from coordination.auth import services as auth_services
from coordination.auth.models import User
from coordination.clock import utcnow
from coordination.extensions import db
from coordination.tenancy import tenant_context
from national import services
from national.models import (
    PRIORITIES,
    AdvocacyIssue,
    AdvocacyStep,
    Diagnosis,
    DiagnosisItem,
    SupportEntry,
)

CONSULTANT = ("krajowy@example.org", "Krzysztof Krajowy")
#: slug -> (coordinator e-mail, fictional name, months since baseline sign-off, versions)
REGIONS = {
    "wielkopolskie": ("koordynator.wielkopolskie@example.org", "Katarzyna Wielkopolska", 30, 2),
    "lodzkie": ("koordynator.lodzkie@example.org", "Łukasz Łódzki", 26, 2),
    "mazowieckie": ("koordynator.mazowieckie@example.org", "Maria Mazowiecka", 8, 1),
    "lubuskie": ("koordynator.lubuskie@example.org", "Leon Lubuski", 16, 1),
    "pomorskie": ("koordynator.pomorskie@example.org", "Paulina Pomorska", 5, 1),
    "malopolskie": ("koordynator.malopolskie@example.org", "Michał Małopolski", 10, 1),
    "slaskie": ("koordynator.slaskie@example.org", "Stanisława Śląska", 20, 1),
    "podlaskie": ("koordynator.podlaskie@example.org", "Piotr Podlaski", 3, 1),
}
#: region whose update is in progress (a draft on top of its signed baseline).
DRAFT_UPDATE = "mazowieckie"
DEMO_NOTE = "Dane demonstracyjne: ocena wymyślona na potrzeby prezentacji, nie pochodzi z prawdziwej diagnozy."

EVIDENCE = {
    "I": "Przegląd dokumentów programowych regionu i rozmowa z zespołem ROPS.",
    "II": "Spotkanie z przedstawicielami biznesu i OWES; wyniki badania stanu ES.",
    "III": "Analiza zamówień publicznych JST i programów współpracy z NGO.",
    "IV": "Wywiady z kadrą OWES działających w regionie.",
    "V": "Obserwacja posiedzenia komitetu i grup roboczych.",
}


def _ratings(slug: str, version: int, items: list[DiagnosisItem]) -> dict[int, dict]:
    rnd = random.Random(f"sires-{slug}-{version}")
    out = {}
    for item in items:
        need = rnd.choice((0, 1, 1, 2, 2, 3, 3))
        if item.code == "III.1" and slug in ("lodzkie", "lubuskie", "podlaskie", "slaskie"):
            need = 3  # the demo story: social clauses are a common gap
        need = max(0, need - (version - 1))  # updates show progress
        state = max(1, min(5, 5 - need - rnd.choice((0, 1))))
        area = item.code.split(".")[0]
        out[item.id] = {
            "state": state, "need": need, "priority": PRIORITIES[min(2, 3 - need)] if need else "L",
            "evidence": f"{EVIDENCE.get(area, '')} {DEMO_NOTE}".strip(),
            "support_forms": rnd.sample(["advice", "workshop", "training", "study_visit", "exchange"], 2),
            "target_groups": rnd.sample(["rops_staff", "committee_members", "planners"], 2),
            "actions": "Doradztwo indywidualne i warsztat dla zespołu ROPS." if need >= 2 else None,
            "notes": DEMO_NOTE,
            "consultant_notes": "Uwaga konsultanta (demo): warto wrócić do tematu po naborze OWES."
            if need == 3 else None,
            "consultant_notes_released": version > 1,
        }
    return out


def _user(email: str, name: str, slug: str | None, tenants) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = auth_services.create_user(
            email, name, current_app.config["DEMO_PASSWORD"], is_national=slug is None,
            memberships={tenants[slug]: "coordinator"} if slug else {}, update=True)
    return user


def _diagnose(slug, items, consultant, coordinator, signed_at, version):
    reason = None if version == 1 else "Aktualizacja po zmianie RPRES i nowym naborze OWES (demo)."
    d = services.start_diagnosis(actor=consultant, reason=reason, now=(signed_at or utcnow()) - timedelta(days=30))
    for item_id, data in _ratings(slug, version, items).items():
        services.save_rating(d, item_id, data, actor=consultant, consultant=True)
    if signed_at is not None:
        services.sign(d, "consultant", actor=consultant, now=signed_at - timedelta(days=1))
        services.sign(d, "coordinator", actor=coordinator, now=signed_at)
    return d


def _support(slug: str, items: list[DiagnosisItem], consultant: User, base: datetime) -> None:
    codes = {i.code: i.id for i in items}
    rnd = random.Random(f"support-{slug}")
    plan = (
        ("advice", "Konsultacja zapisów RPRES (demo)", ["I.2"], 4, (3, 0, 1)),
        ("workshop", "Warsztat: klauzule społeczne w zamówieniach JST (demo)", ["III.1"], 6, (2, 6, 2)),
        ("training", "Szkolenie z pracy z grupą dla zespołu ROPS (demo)", ["V.1", "V.2"], 12, (5, 2, 0)),
        ("study_visit", "Wizyta studyjna: marka regionalna produktów PES (demo)", ["II.5"], 16, (2, 4, 1)),
        ("exchange", "Wymiana doświadczeń z innym regionem: sieć OWES (demo)", ["IV.1", "IV.3"], 5, (3, 3, 1)),
    )
    # the same people come back to several sessions: the targets count them once
    pools = {"rops_staff": _people(rnd, 8), "committee_members": _people(rnd, 12), "planners": _people(rnd, 4)}
    for n, (form, topic, item_codes, hours, (rops, committee, planners)) in enumerate(plan):
        if rnd.random() < 0.25:
            continue
        services.save_support_entry(None, {
            # after the baseline, never in the future: the last sessions are recent
            "held_on": min((base + timedelta(days=20 + 45 * n)).date(),
                           clock.today() - timedelta(days=12 * (len(plan) - n))), "form": form, "topic": topic,
            "hours": hours, **{group: rnd.sample(pools[group], k) for group, k in
                               (("rops_staff", rops), ("committee_members", committee), ("planners", planners))},
            "follow_up": "Materiały przesłane uczestnikom; kolejne spotkanie za kwartał (demo).",
        }, [codes[c] for c in item_codes if c in codes], actor=consultant)


#: demo participants' names: first names and surnames that do not change with gender.
FIRST_NAMES = ("Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Joanna", "Magdalena",
               "Piotr", "Krzysztof", "Tomasz", "Paweł", "Marcin", "Michał", "Jan", "Andrzej")
SURNAMES = ("Nowak", "Wójcik", "Kowalczyk", "Woźniak", "Mazur", "Krawczyk", "Kaczmarek", "Zając", "Król",
            "Wieczorek", "Wróbel", "Dudek", "Stępień", "Pawlak", "Walczak", "Sikora", "Baran", "Michalak")


def _people(rnd: random.Random, n: int) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        name = f"{rnd.choice(FIRST_NAMES)} {rnd.choice(SURNAMES)}"
        if name not in names:
            names.append(name)
    return names


ADVOCACY_STEPS = {
    "A.1": (["lodzkie", "wielkopolskie", "lubuskie"], [
        (date(2017, 9, 12), "Zebranie rozbieżnych interpretacji CT9 z regionów (demo).", "submitted"),
        (date(2018, 2, 20), "Spotkanie robocze z MR i MRPiPS (demo).", "in_dialogue"),
    ]),
    "A.2": (["lodzkie", "slaskie", "podlaskie"], [
        (date(2018, 1, 15), "Projekt wzoru przekazany do UZP (demo).", "submitted"),
    ]),
    "A.3": (["mazowieckie"], []),
    "A.4": (["wielkopolskie", "pomorskie", "malopolskie"], [
        (date(2017, 11, 5), "Uwagi regionów do projektu ustawy przekazane MRPiPS (demo).", "submitted"),
        (date(2018, 6, 1), "Konsultacje projektu z udziałem ROPS (demo).", "in_dialogue"),
        (date(2022, 8, 5), "Ustawa o ekonomii społecznej uchwalona (demo).", "resolved"),
    ]),
}


def _advocacy(consultant: User) -> None:
    for code, (slugs, steps) in ADVOCACY_STEPS.items():
        issue = db.session.scalar(select(AdvocacyIssue).where(AdvocacyIssue.code == code))
        if issue is None or db.session.scalar(select(func.count(AdvocacyStep.id))
                                              .where(AdvocacyStep.issue_id == issue.id)):
            continue
        services.save_issue(issue, {"title": issue.title, "description": issue.description,
                                    "addressee": issue.addressee, "notes": "Przykładowe kroki (demo).",
                                    "region_slugs": slugs}, actor=consultant)
        for taken_on, text, status in steps:
            services.add_step(issue, taken_on, text, status, actor=consultant)


def seed(tenants) -> None:
    """Demo SIRES data (idempotent)."""
    services.ensure_template()
    consultant = _user(*CONSULTANT, None, tenants)
    items = db.session.scalars(select(DiagnosisItem).where(DiagnosisItem.active.is_(True))
                               .order_by(DiagnosisItem.id)).all()
    now = utcnow()
    for slug, (email, name, months, versions) in REGIONS.items():
        coordinator = _user(email, name, slug, tenants)
        with tenant_context(tenants[slug].id):
            if db.session.scalar(select(func.count(Diagnosis.id))):
                continue
            base = now - timedelta(days=30 * months)
            _diagnose(slug, items, consultant, coordinator, base, 1)
            if versions > 1:
                _diagnose(slug, items, consultant, coordinator, now - timedelta(days=30 * (months // 6)), 2)
            if slug == DRAFT_UPDATE:
                _diagnose(slug, items, consultant, coordinator, None, 2)
            if not db.session.scalar(select(func.count(SupportEntry.id))):
                _support(slug, items, consultant, base)
    _advocacy(consultant)
