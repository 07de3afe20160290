"""Demo data: the national core template and invented committee answers (marked as demo).

The calendar is relative to the clock (``coordination/clock.py``) and every campaign runs in the
year it evaluates: a campaign for year Y opens in the second half of November and closes on the
last working day before Christmas Eve of Y. Wielkopolskie and Łódzkie get the campaigns of the
two previous years (closed) and one for the current year that is open today, with people who
have not responded yet (its respondents are the members of the region's demo committee group
when there is one): it opened two weeks ago (not before 1 January) and closes in three weeks,
still before Christmas Eve — or, from Christmas Eve to New Year's Eve, when no campaign of the
year can be open and close before Christmas, on the last day of the year. A few other regions
get a closed campaign for the previous year so the national comparison has substance (Lubuskie
on purpose with too few responses to be shown). Every answer is generated from a fixed seed
that depends on the campaign's age, not on the date, so the figures are the same on any day;
nothing comes from real people. Idempotent: a region's campaign for a year is only created when
missing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select

from coordination import clock
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import tenant_context
from coordination.workdays import next_working_day, previous_working_day
from surveys import queries, services
from surveys.catalogue import CATEGORY_OPTIONS, LENGTH_OPTIONS
from surveys.models import DONT_KNOW, Campaign, Respondent
from surveys.services.responses import record_demo_response

FIRST = ("Anna", "Piotr", "Ewa", "Tomasz", "Joanna", "Michał", "Agnieszka", "Paweł", "Barbara",
         "Grzegorz", "Monika", "Jacek", "Dorota", "Rafał", "Iwona", "Marcin", "Beata", "Adam",
         "Halina", "Wojciech", "Elżbieta", "Krzysztof")
LAST = ("Nowacka", "Zieliński", "Wójcik", "Kamiński", "Lewandowska", "Dąbrowski", "Kozłowska",
        "Jankowski", "Mazur", "Krawczyk", "Piotrowska", "Grabowski", "Pawlak", "Michalski",
        "Król", "Wieczorek", "Jabłońska", "Wróbel", "Nowakowska", "Majewski", "Olszewska", "Stępień")

OPEN_ANSWERS = {
    "OTW-01": ("Dobra współpraca z OWES i szybka informacja o naborach.",
               "Spotkania grup roboczych są konkretne i dobrze przygotowane.",
               "Regionalna gala i promocja produktów PES.",
               "Dostęp do wyników monitoringu sektora."),
    "OTW-02": ("Materiały na posiedzenia przychodzą za późno.",
               "Za mało czasu na dyskusję, zbyt wiele prezentacji.",
               "Protokoły powinny być szybciej udostępniane.",
               "Więcej spotkań w subregionach, nie tylko w stolicy województwa."),
    "OTW-03": ("Klauzule społeczne w zamówieniach gmin.",
               "Nowy regionalny program rozwoju ekonomii społecznej.",
               "Współpraca przedsiębiorstw społecznych z biznesem.",
               "Usługi społeczne świadczone przez PES."),
    "OTW-04": ("Terminy posiedzeń kolidują z moimi obowiązkami.",
               "Brak możliwości udziału zdalnego.",
               "Długie dojazdy na posiedzenia."),
}

#: slug -> (base rating, yearly change, {age: (people on the list, responses)}); age 0 is the
#: current year's campaign, 1 the previous year's, and so on.
PLAN = {
    "wielkopolskie": (3.7, 0.2, {2: (20, 15), 1: (21, 17), 0: (22, 12)}),
    "lodzkie": (3.3, 0.15, {2: (18, 12), 1: (18, 14), 0: (19, 9)}),
    "mazowieckie": (3.5, 0.0, {1: (20, 14)}),
    "malopolskie": (3.9, 0.0, {1: (17, 12)}),
    "pomorskie": (3.4, 0.0, {1: (16, 10)}),
    "slaskie": (3.1, 0.0, {1: (19, 11)}),
    "lubuskie": (3.6, 0.0, {1: (12, 3)}),
}
OPEN_REGIONS = ("wielkopolskie", "lodzkie")
#: the regions' own questions (regional section, codes R-…), added before anyone answers:
#: Wielkopolska's own brand is asked only there, never in the national core.
REGIONAL_QUESTIONS = {
    "wielkopolskie": ({"code": "R-WLKP-01", "kind": "likert", "required": False,
                       "text": "Znak „Zakup Prospołeczny” pomaga promować produkty i usługi "
                               "podmiotów ekonomii społecznej w Wielkopolsce."},),
}


def open_year() -> int:
    """The year the demo's open campaigns evaluate: the current one."""
    return clock.today().year


def comparison_year() -> int:
    """The latest year whose demo campaigns have all closed (the national comparison's year)."""
    return open_year() - 1


def _last_working_day_between(first: date, last: date) -> date | None:
    day = previous_working_day(last)
    return day if day >= first else None


def campaign_dates(year: int, *, open_today: bool = False) -> tuple[date, date]:
    """The dates of a demo campaign evaluating ``year``, within that year: a closed one ran from
    the second half of November to the last working day before Christmas Eve; the open one
    opened two weeks ago (not before 1 January) and closes in three weeks, before Christmas Eve
    when it can, otherwise on the last day of the year."""
    christmas_eve = date(year, 12, 24)
    if not open_today:
        return next_working_day(date(year, 11, 16)), previous_working_day(christmas_eve - timedelta(days=1))
    today = clock.today()
    opens_on = max(date(year, 1, 1), today - timedelta(days=14))
    if next_working_day(opens_on) <= today:  # on 1 January it opens that very day
        opens_on = next_working_day(opens_on)
    closes_on = (_last_working_day_between(today, min(today + timedelta(days=21), christmas_eve - timedelta(days=1)))
                 or _last_working_day_between(today, date(year, 12, 31)) or date(year, 12, 31))
    return opens_on, closes_on


def _draft(rng: random.Random, questions, level: float, dims_bias: dict[str, float]) -> dict:
    draft: dict = {}
    for q in questions:
        if q.code == "PROF-KAT":
            weights = [3, 2, 5, 4, 3, 1, 1, 1]
            draft[q.code] = {"choice": rng.choices([o["code"] for o in CATEGORY_OPTIONS], weights)[0], "other": ""}
        elif q.code == "PROF-STAZ":
            draft[q.code] = {"choice": rng.choice([o["code"] for o in LENGTH_OPTIONS]), "other": ""}
        elif q.kind == "likert":
            if rng.random() < 0.06:
                draft[q.code] = DONT_KNOW
            else:
                value = round(rng.gauss(level + dims_bias.get(q.dimension or "", 0.0), 0.8))
                draft[q.code] = str(max(1, min(5, value)))
        elif q.code in OPEN_ANSWERS and rng.random() < 0.45:
            draft[q.code] = rng.choice(OPEN_ANSWERS[q.code])
    return draft


#: demo accounts on the committee (workgroups demo) -> leave a draft (in progress) in the open campaign.
DEMO_ACCOUNTS = {"czlonek.wielkopolskie@example.org": True, "czlonek.lodzkie@example.org": False}
#: people of the demo committee who have not answered the open campaign yet.
NOT_ANSWERED = 3


def _committee_people(campaign: Campaign, invited_at: datetime) -> list[Respondent]:
    """The current campaign's respondents taken from the region's demo committee group (the
    working-groups demo), marked as invited; [] when the region has no committee members."""
    try:
        services.import_committee(campaign, is_demo=True)
    except DomainError:
        return []
    people = list(db.session.scalars(select(Respondent).where(Respondent.campaign_id == campaign.id)
                                     .order_by(Respondent.full_name, Respondent.id)))
    for person in people:
        person.invited_at = invited_at
    return people


def _seed_campaign(template, slug: str, age: int, base: float, trend: float, listed: int, answered: int) -> None:
    year = open_year() - age
    if db.session.scalar(select(Campaign.id).where(Campaign.year == year)) is not None:
        return
    is_open = age == 0 and slug in OPEN_REGIONS
    opens_on, closes_on = campaign_dates(year, open_today=is_open)
    campaign = services.create_campaign(template, year, opens_on, closes_on, is_demo=True)
    for spec in REGIONAL_QUESTIONS.get(slug, ()):
        services.add_regional_question(campaign, **spec)
    rng = random.Random(f"{slug}-{age}")
    invited_at = datetime(opens_on.year, opens_on.month, opens_on.day, 9)
    people = _committee_people(campaign, invited_at) if is_open else []
    if people:  # the real committee: keep a few non-respondents, the demo accounts among them
        answered = min(answered, max(0, len(people) - NOT_ANSWERED))
        people.sort(key=lambda person: person.email in DEMO_ACCOUNTS)
    for i in range(0 if people else listed):
        name = f"{FIRST[(i + age) % len(FIRST)]} {LAST[(i * 7 + len(slug)) % len(LAST)]}"
        people.append(Respondent(campaign_id=campaign.id, full_name=name, is_demo=True,
                                 email=f"czlonek{i + 1}.{year}.{slug}@example.org", invited_at=invited_at))
    db.session.add_all(people)
    db.session.commit()
    questions = queries.flat_questions(queries.sections_and_questions(campaign.id))
    level = base + trend * (2 - age)
    dims_bias = {"KOM": rng.uniform(-0.6, 0.3), "PROM": rng.uniform(-0.3, 0.4), "REPR": rng.uniform(-0.5, 0.2),
                 "ZAAN": rng.uniform(-0.2, 0.4)}
    span = max(0, min((closes_on - opens_on).days, (clock.today() - opens_on).days))
    for person in people[:answered]:
        day = opens_on + timedelta(days=min(span, int(rng.expovariate(1 / 6))))
        record_demo_response(person, campaign, questions, _draft(rng, questions, level, dims_bias), day)
    for person in people[answered:]:
        if DEMO_ACCOUNTS.get(person.email):  # "My surveys" shows a survey in progress
            profile = [q for q in questions if q.code.startswith("PROF-")]
            person.draft = _draft(rng, profile, level, dims_bias)
    db.session.commit()


def seed(tenants) -> None:
    """Create the core template and the demo campaigns (idempotent)."""
    template, _created = services.ensure_core_template()
    for slug, (base, trend, years) in PLAN.items():
        tenant = tenants.get(slug)
        if tenant is None:
            continue
        with tenant_context(tenant.id):
            for age, (listed, answered) in sorted(years.items(), reverse=True):
                _seed_campaign(template, slug, age, base, trend, listed, answered)
    from surveys.services.tally import store_closed_scores

    store_closed_scores()  # what the daily job does for the closed demo campaigns
    db.session.commit()
