"""Demo data drawn from the seed documents (fictional people). Idempotent."""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select

from coordination.auth import services as auth_services
from coordination.extensions import db
from coordination.modules import MODULES, submodule
from coordination.tenancy import tenant_context
from tenants import services as tenant_services
from tenants.models import Tenant
from workgroups import services as group_services

#: (email, full name, admin, national, {slug: role}) — fictional people.
DEMO_USERS = (
    ("admin@example.org", "Anna Administratorska", True, False, {}),
    ("krajowy@example.org", "Krzysztof Krajowy", False, True, {}),
    ("koordynator.wielkopolskie@example.org", "Katarzyna Wielkopolska", False, False,
     {"wielkopolskie": "coordinator"}),
    ("koordynator.lodzkie@example.org", "Łukasz Łódzki", False, False, {"lodzkie": "coordinator"}),
    ("czlonek.wielkopolskie@example.org", "Marek Członkowski", False, False, {"wielkopolskie": "member"}),
    ("czlonek.lodzkie@example.org", "Magdalena Członkowska", False, False, {"lodzkie": "member"}),
    ("owes.lodzkie@example.org", "Olga Owesowa", False, False, {"lodzkie": "owes"}),
    # one person in two regions (the administrator's user page shows the roles per region)
    ("ekspertka.regiony@example.org", "Ewa Ekspercka", False, False,
     {"wielkopolskie": "member", "lodzkie": "member"}),
)

#: groups per region, from seed 002 (Wielkopolskie tasks) and 000/001 (Łódzkie).
DEMO_GROUPS = {
    "wielkopolskie": (
        ("Regionalny Komitet Rozwoju Ekonomii Społecznej Województwa Wielkopolskiego", "committee",
         "Komitet opiniuje realizację Regionalnego Programu Rozwoju Ekonomii Społecznej i co roku "
         "ocenia działania koordynacyjne ROPS w ankiecie.", date(2023, 1, 1), date(2025, 12, 31)),
        ("Grupa robocza ds. promocji", "promotion",
         "Dostosowywanie i formułowanie komunikatów o ekonomii społecznej, planowanie wspólnych "
         "przedsięwzięć, gala znaku „Zakup Prospołeczny” i portal wielkopolskaes.pl.", None, None),
        ("Grupa robocza ds. reintegracji", "reintegration",
         "Sieciowanie specjalistów OWES ds. reintegracji oraz podmiotów reintegracyjnych "
         "(CIS, KIS, WTZ, ZAZ).", None, None),
        ("Grupa ds. edukacji i animacji", "education",
         "Wymiana doświadczeń i wypracowywanie wspólnych rozwiązań w obszarze animacji i edukacji.",
         None, None),
        ("Grupa ds. sieciowania, finansowania i współpracy z biznesem", "business",
         "Budowanie potencjału PES/PS, ich finansowanie i współpraca z biznesem; "
         "„Wielkopolska Marka Społecznie Odpowiedzialnego Designu”.", None, None),
    ),
    "lodzkie": (
        ("Regionalny Komitet Rozwoju Ekonomii Społecznej w Łodzi", "committee",
         "Komitet przy Regionalnym Centrum Polityki Społecznej w Łodzi.", date(2023, 1, 1),
         date(2025, 12, 31)),
        ("Sieć OWES województwa łódzkiego", "custom",
         "Spotkania partnerstwa „Łódzki Ośrodek Wsparcia Ekonomii Społecznej” (Centrum OPUS, SWS „Ja–Ty–My”, Fundacja INSPRO) "
         "i pozostałych OWES regionu.", None, None),
        ("Grupa robocza ds. reintegracji", "reintegration",
         "Współpraca OWES z CIS, KIS, WTZ i ZAZ w regionie łódzkim.", None, None),
    ),
}


def seed_demo() -> list[tuple[str, str]]:
    """Create regions, demo accounts and groups; return (email, role description) for printing."""
    tenant_services.ensure_regions()
    password = current_app.config["DEMO_PASSWORD"]
    tenants = {t.slug: t for t in db.session.scalars(select(Tenant))}
    printed = []
    for email, name, is_admin, is_national, roles in DEMO_USERS:
        auth_services.create_user(
            email, name, password, is_admin=is_admin, is_national=is_national,
            memberships={tenants[slug]: role for slug, role in roles.items()}, update=True,
        )
        what = "admin" if is_admin else "national" if is_national else ", ".join(
            f"{role} @ {slug}" for slug, role in roles.items())
        printed.append((email, what))
    for slug, groups in DEMO_GROUPS.items():
        with tenant_context(tenants[slug].id):
            for name, kind, description, start, end in groups:
                group_services.ensure_group(name, kind, description, term_start=start, term_end=end)
    for package in MODULES:
        demo = submodule(package, "demo")
        if demo is not None:
            demo.seed(tenants)
    return printed
