"""OWES demo data from the seeds (idempotent): Łódzkie and Lubuskie as the documents give them;
an evaluation study with an open consultation and a closed one with recommendations (invented,
fictional people).

Łódzkie has **two** OWES, as seed 001 describes two projects (never merged):

* *OWES – wsparcie ekonomii społecznej* — powiaty poddębicki, zgierski, łęczycki, kutnowski,
  skierniewicki, łowicki, brzeziński and the city of Skierniewice; its 2016–2017 goal is new
  jobs for at least 49 persons (RES-04); its 2017 results are items a)–k) of the first project;
  the 2018–2021 plan of seed 000 (project „OWES Ja–Ty–My”) continues it.
* *Łódzki Ośrodek Wsparcia Ekonomii Społecznej* — Łódź, a partnership of Centrum OPUS,
  Stowarzyszenie „Ja–Ty–My” and Fundacja INSPRO; its 2016–2017 goal is 43 persons (14 % with
  disabilities); in 2017: 47 jobs maintained (14 + 24 + 9).

Each figure is reported under the indicator that means what the document says, with the parts
the document gives (``breakdown["components"]``): legal advice 106.5 h (for PES without paid
activity) + 64.5 h (development advice) = DOR-03 171 h; 8 trainings (5 + 3) on 12 training days
(SZK-03); 59 jobs maintained (13 + 46); 17 PES given development advice (DOR-10, not "PES
supported"); 50 advisory meetings (DOR-09); 27 group and 71 individual animation meetings
(AL-10, AL-11) beside the 99 meetings with legal persons (AL-09); the study visit's 15
participants and 6 entities (INK-04, INK-05); specialist services: 7 PES, 1 PES, 33 h (USL-01..03).
Lubuskie 2016 (seed 004): 94 PES, 293 persons, 6 jobs from 2 grants, 4 partnerships of which 3
funded (PAR-03); 5 local centres and 120 seminar guests are in the description and goals.
``tests/owes/seed_figures.csv`` lists every figure; a test checks the seeded demo against it.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from coordination import clock
from coordination.auth.models import Membership, User
from coordination.extensions import db
from coordination.tenancy import tenant_context
from owes.catalogue import ensure_catalogue
from owes.models import (
    ActionPlan,
    Indicator,
    Owes,
    OwesOperator,
    PlanStaff,
    Recommendation,
    ReportedValue,
    Study,
)
from owes.services import evaluation, notifications, plans, registry

POWIAT_OWES = "OWES – wsparcie ekonomii społecznej"
LODZ_OWES = "Łódzki Ośrodek Wsparcia Ekonomii Społecznej"
POWIATY = ["poddębicki", "zgierski", "łęczycki", "kutnowski", "skierniewicki", "łowicki",
           "brzeziński", "m. Skierniewice"]
GOALS_2018 = (
    "a) wzmocnienie roli podmiotów ekonomii społecznej,\n"
    "b) powstanie i utrzymanie miejsc pracy w przedsiębiorstwach społecznych,\n"
    "c) wzrost kompetencji w obszarze ekonomii społecznej,\n"
    "d) rozwój partnerstw lokalnych i współpracy międzysektorowej,\n"
    "e) poszukiwanie źródeł długookresowego finansowania dla PES, szerzenie idei ES."
)
SERVICES_2018 = (
    "Doradztwo (kluczowe, biznesowe, specjalistyczne: księgowe, prawne, marketingowe, "
    "informatyczne; zamówienia publiczne; tworzenie podmiotów reintegracyjnych), animacja "
    "lokalna, wsparcie grup nieformalnych (pakiety rozwojowe, coaching, wizyty studyjne), "
    "szkolenia jednodniowe, dotacje i wsparcie pomostowe, informacja i promocja PES."
)
#: plan 2018–2021 targets (seed 000): code -> (mode, value); AL-01 19 = AL-02 11 + AL-03 8.
TARGETS_2018 = {
    "RES-01": ("absolute", 114), "RES-02": ("absolute", 130), "PS-01": ("absolute", 44),
    "PS-02": ("absolute", 5), "AL-01": ("absolute", 19), "AL-02": ("absolute", 11),
    "AL-03": ("absolute", 8), "AL-04": ("absolute", 20), "AL-05": ("percent", 30),
    "AL-06": ("absolute", 150), "AL-07": ("percent", 10), "INK-01": ("absolute", 21),
    "INK-02": ("absolute", 21), "INK-03": ("absolute", 5), "SZK-01": ("absolute", 34),
}
STAFF_2018 = (("doradcy kluczowi", "3"), ("doradcy kluczowi biznesowi", "1.5"),
              ("doradca ds. zamówień publicznych", "1"),
              ("doradca ds. tworzenia podmiotów reintegracyjnych", "0.5"))
_NO_PAID = "PES bez działalności odpłatnej i gospodarczej oraz osoby fizyczne"
_DEVELOPMENT = "doradztwo rozwojowe dla PES prowadzących działalność odpłatną lub gospodarczą"
#: 2017, first project (seed 001, items a–k): code -> value or (value, components).
RESULTS_POWIAT_2017 = {
    "AL-08": "386", "AL-04": "82", "AL-09": "99", "AL-10": "27", "AL-11": "71",
    "DOR-09": "50", "AL-02": "2",
    "DOR-03": ("171", {_NO_PAID: "106.5", _DEVELOPMENT: "64.5"}),
    "DOR-02": "93.5", "DOR-06": "61.5", "DOR-04": "114", "DOR-05": "111.5", "DOR-10": "17",
    "SZK-01": ("8", {"szkolenia dla PES bez działalności odpłatnej i gospodarczej "
                     "(4 dwudniowe, 1 jednodniowe)": "5",
                     "szkolenia jednodniowe dla PES prowadzących działalność odpłatną lub "
                     "gospodarczą": "3"}),
    "SZK-03": "12",
    "PS-03": ("59", {"w istniejących PS": "13", "w nowopowstałych PS i PES przekształcających "
                                                 "się w PS": "46"}),
    "PAR-01": "20", "PAR-02": "22", "INK-03": "1", "INK-04": "15", "INK-05": "6",
    "USL-01": "7", "USL-02": "1", "USL-03": "33",
}
#: 2017, second project (the Łódź partnership, part of „Ja–Ty–My”).
RESULTS_LODZ_2017 = {
    "PS-03": ("47", {"w istniejących PS": "14", "w nowopowstałych PS": "24",
                     "w PES przekształcających się w PS": "9"}),
}
#: LOWES 2016 (seed 004): 94 PES, 293 persons, 4 partnerships (3 funded), 6 jobs from 2 grants.
RESULTS_LUBUSKIE_2016 = {"RES-02": "94", "AL-08": "293", "PAR-02": "4", "PAR-03": "3",
                         "RES-01": "6", "FIN-01": "2"}


def _admin():
    return db.session.scalar(select(User).where(User.is_admin.is_(True)).order_by(User.id))


def _owes(name: str, **fields) -> Owes:
    owes = db.session.scalar(select(Owes).where(Owes.name == name))
    return owes or registry.save_owes(None, {"name": name, **fields}, actor=None)


def _verified_values(owes: Owes, period: str, values: dict, codes: dict, evidence: str, actor) -> None:
    have = set(db.session.scalars(select(ReportedValue.indicator_id).where(
        ReportedValue.owes_id == owes.id, ReportedValue.period == period)))
    for code, value in values.items():
        if codes[code] in have:
            continue
        value, parts = value if isinstance(value, tuple) else (value, None)
        breakdown = {"components": {k: float(v) for k, v in parts.items()}} if parts else None
        db.session.add(ReportedValue(
            owes_id=owes.id, indicator_id=codes[code], period=period, year=int(period[:4]),
            value=Decimal(value), breakdown=breakdown, status="verified", evidence=evidence,
            updated_by_id=getattr(actor, "id", None)))
    db.session.commit()


def _plan(owes: Owes, title: str, start: int, end: int, **fields) -> tuple[ActionPlan, bool]:
    plan = db.session.scalar(select(ActionPlan).where(
        ActionPlan.owes_id == owes.id, ActionPlan.start_year == start, ActionPlan.end_year == end))
    if plan is not None:
        return plan, False
    return plans.save_plan(owes, None, {"title": title, "start_year": start, "end_year": end,
                                        **fields}, actor=None), True


def _early_plan(owes: Owes, persons: int, goals: str, codes: dict, actor) -> None:
    early, created = _plan(owes, "Plan działania OWES 2016–2017", 2016, 2017, goals=goals)
    if created:
        plans.set_target(early, db.session.get(Indicator, codes["RES-04"]), "absolute",
                         Decimal(persons), actor=actor)


def _lodzkie(codes: dict, actor) -> None:
    owes = _owes(POWIAT_OWES, subregion=POWIATY, accreditation_number="AKSES/OWES/10/2016",
                 accredited_from=date(2016, 1, 1), accredited_to=clock.today() + timedelta(days=60),
                 contact_email="owes@example.org", contact_phone="42 000 00 00",
                 description="OWES dla powiatów poddębickiego, zgierskiego, łęczyckiego, "
                             "kutnowskiego, skierniewickiego, łowickiego, brzezińskiego "
                             "i miasta Skierniewice.")
    if not db.session.scalar(select(OwesOperator.id).where(OwesOperator.owes_id == owes.id)):
        registry.add_operator(owes, "Stowarzyszenie Wsparcie Społeczne „Ja–Ty–My”", "lead",
                              "animacja, doradztwo, szkolenia, dotacje i wsparcie pomostowe",
                              actor=actor)
        for name, start, end in (
            ("OWES – wsparcie ekonomii społecznej", date(2016, 1, 1), date(2017, 12, 31)),
            ("OWES Ja–Ty–My", date(2018, 1, 1), date(2021, 12, 31)),
        ):
            registry.add_project(owes, {"name": name, "programme": "RPO WŁ 2014–2020",
                                        "start_date": start, "end_date": end}, actor=actor)
    _early_plan(owes, 49, "Nowe i trwałe miejsca pracy w sektorze ES dla min. 49 osób "
                          "zagrożonych ubóstwem lub wykluczeniem społecznym.", codes, actor)
    plan, created = _plan(owes, "Plan działania OWES 2018–2021", 2018, 2021, goals=GOALS_2018,
                          services=SERVICES_2018)
    if created:
        for code, (mode, value) in TARGETS_2018.items():
            plans.set_target(plan, db.session.get(Indicator, codes[code]), mode, Decimal(value),
                             actor=actor, commit=False)
        for role, fte in STAFF_2018:
            db.session.add(PlanStaff(plan_id=plan.id, role=role, fte=Decimal(fte)))
        db.session.commit()
    _verified_values(owes, "2017", RESULTS_POWIAT_2017, codes,
                     "Sprawozdanie z działań zrealizowanych w 2017 r., projekt „OWES – wsparcie "
                     "ekonomii społecznej”.", actor)

    lodz = _owes(LODZ_OWES, subregion=["Łódź"],
                 description="Partnerstwo trzech organizacji prowadzące OWES dla Łodzi.")
    if not db.session.scalar(select(OwesOperator.id).where(OwesOperator.owes_id == lodz.id)):
        for name, role, resp in (
            ("Centrum OPUS", "partner", "tworzenie nowych PES: animacja, doradztwo, szkolenia, inkubacja"),
            ("Stowarzyszenie Wsparcie Społeczne „Ja–Ty–My”", "lead", "wsparcie finansowe: dotacje na miejsca pracy w PS"),
            ("Fundacja INSPRO", "partner", "usługi dla istniejących PES: doradztwo, szkolenia, wizyty studyjne"),
        ):
            registry.add_operator(lodz, name, role, resp, actor=actor)
        registry.add_project(lodz, {"name": LODZ_OWES, "programme": "RPO WŁ 2014–2020",
                                    "start_date": date(2016, 1, 1), "end_date": date(2017, 12, 31)},
                             actor=actor)
    _early_plan(lodz, 43, "Nowe i trwałe miejsca pracy w sektorze ES dla 43 osób zagrożonych "
                          "ubóstwem lub wykluczeniem społecznym, w tym 14 % osób "
                          "z niepełnosprawnościami.", codes, actor)
    _verified_values(lodz, "2017", RESULTS_LODZ_2017, codes,
                     "Sprawozdanie z działań zrealizowanych w 2017 r., projekt „Łódzki Ośrodek "
                     "Wsparcia Ekonomii Społecznej” (część Stowarzyszenia „Ja–Ty–My”).", actor)
    user = db.session.scalar(select(User).where(User.email == "owes.lodzkie@example.org"))
    if user is not None:
        membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
        if membership is not None and membership.owes_id is None:
            membership.owes_id = owes.id
            db.session.commit()
    _studies(owes, actor)


def _studies(owes: Owes, actor) -> None:
    if db.session.scalar(select(Study.id).limit(1)):
        return
    mid = evaluation.save_study(None, {
        "owes_id": owes.id, "kind": "midterm", "title": "Ewaluacja mid-term OWES – wsparcie ekonomii społecznej",
        "evaluator": "Pracownia Ewaluacji (przykład)", "period_start": date(2018, 1, 1),
        "period_end": date(2019, 12, 31), "criteria": ["relevance", "effectiveness", "standards"],
        "description": "Przykładowe badanie (dane demonstracyjne)."}, actor=actor)
    doc = evaluation.add_document(mid, "draft", "raport-wstepny.pdf",
                                  b"%PDF-1.4\n% demo draft report\n", actor=actor)
    rnd = evaluation.open_round(mid, {"opens_on": clock.today() - timedelta(days=3),
                                      "closes_on": clock.today() + timedelta(days=14),
                                      "participants": ["rops", "owes", "monitoring_group"],
                                      "document_id": doc.id}, actor=actor)
    evaluation.add_comment(rnd, {"section": "3.2 Animacja lokalna", "page": "14",
                                 "comment": "Brak danych o środowiskach z powiatu łęczyckiego.",
                                 "justification": "Dane są w sprawozdaniu za 2019 r.",
                                 "proposal": "Uzupełnić tabelę 5 o powiat łęczycki.",
                                 "author_name": "RCPS w Łodzi"}, actor=actor)
    system = evaluation.save_study(None, {
        "kind": "system", "title": "Ewaluacja systemu wsparcia ES w województwie łódzkim",
        "evaluator": "Zespół badawczy (przykład)", "period_start": date(2016, 1, 1),
        "period_end": date(2018, 12, 31),
        "criteria": ["relevance", "effectiveness", "efficiency", "utility", "sustainability"],
        "description": "Przykładowe badanie systemowe ROPS (dane demonstracyjne)."}, actor=actor)
    closed = evaluation.open_round(system, {"opens_on": date(2019, 3, 1), "closes_on": date(2019, 3, 20),
                                            "participants": ["rops", "owes", "monitoring_group"]},
                                   actor=actor)
    c = evaluation.add_comment(closed, {"section": "Rekomendacje", "page": "41",
                                        "comment": "Rekomendacja nr 2 nie wskazuje adresata.",
                                        "author_name": "OWES – wsparcie ekonomii społecznej"},
                               actor=actor, today=date(2019, 3, 10))
    evaluation.answer_comment(c, closed, "accepted", "", actor=actor)
    closed.status = "closed"
    db.session.commit()
    for finding, rec, addressee, priority, _status in (
        ("Niska rozpoznawalność znaku „Zakup Prospołeczny” wśród JST.",
         "Kampania informacyjna o klauzulach społecznych dla gmin.", "RCPS w Łodzi", "high", "in_progress"),
        ("Grupy inicjatywne rzadko kończą ścieżkę założeniem PES.",
         "Wydłużyć wsparcie coachingowe dla grup inicjatywnych.", "OWES", "medium", "planned"),
    ):
        evaluation.save_recommendation(system, None, {
            "finding": finding, "recommendation": rec, "addressee": addressee,
            "priority": priority, "deadline": date(2026, 12, 31)}, actor=actor)
    for r in db.session.scalars(select(Recommendation)):
        if r.recommendation.startswith("Kampania"):
            evaluation.update_recommendation_status(r, 2025, "in_progress",
                                                    "Dwa spotkania z gminami.", actor=actor)


def _lubuskie(codes: dict, actor) -> None:
    owes = _owes("Lubuski Ośrodek Wsparcia Ekonomii Społecznej (LOWES)",
                 subregion=["gorzowski", "strzelecko-drezdenecki", "świebodziński", "nowosolski"],
                 description="Lokalne Ośrodki Ekonomizacji i Inkubacji Społecznej w Kostrzynie, "
                             "Świebodzinie, Kożuchowie, Dobiegniewie i Gorzowie Wlkp.")
    _plan(owes, "Plan działania LOWES 2016–2018", 2016, 2018,
          goals="Rekrutacja i wsparcie PES, ekonomizacja NGO, partnerstwa na rzecz ES, "
                "Seminarium Sieciujące „Lubuski pakt na rzecz ES” (120 gości).")
    _verified_values(owes, "2016", RESULTS_LUBUSKIE_2016, codes, "Sprawozdanie LOWES za 2016 r.", actor)


def seed(tenants: dict) -> None:
    """Idempotent: creates what is missing, never duplicates."""
    ensure_catalogue()
    codes = dict(db.session.execute(select(Indicator.code, Indicator.id)).all())
    actor = _admin()
    if "lodzkie" in tenants:
        with tenant_context(tenants["lodzkie"].id):
            _lodzkie(codes, actor)
    if "lubuskie" in tenants:
        with tenant_context(tenants["lubuskie"].id):
            _lubuskie(codes, actor)
    # the powiat OWES accreditation ends in 60 days: its notice shows in the region's outbox
    notifications.queue_expiring_accreditations()
