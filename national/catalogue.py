"""The SIRES diagnosis template as seeded (seed 003) and the labels of the module's codes.

Item and issue wording is Polish content (data, editable by national consultants); the labels
of codes (priorities, forms, groups, statuses) are interface text and go through Flask-Babel.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from coordination.labels import Labels, PerRequest, register
from tenants import operator

#: (area code, area title, ((item code, item title), ...)) — wording from seed 003.
TEMPLATE: tuple = (
    ("I", "Zapewnienie spójności regionalnych działań planistycznych z polityką krajową", (
        ("I.1", "Aktualizacja RPO – przegląd zapisów RPO oraz PO WER i wsparcie w renegocjacjach"),
        ("I.2", "Aktualizacja RPRES (powiązana ze zmianami w KPRES)"),
        ("I.3", "Przygotowanie kolejnego projektu ROPS (zmiany w wytycznych CT9)"),
        ("I.4", "Przygotowanie do konkursu dla OWES"),
    )),
    ("II", "Budowanie powiązań między biznesem a ES", (
        ("II.1", "Diagnoza uwarunkowań współpracy PES z biznesem"),
        ("II.2", "Wybór i wdrożenie modelu wspierania współpracy PES z biznesem"),
        ("II.3", "Ścieżki współpracy z biznesem dla podmiotów reintegracyjnych (CIS, WTZ) "
                 "i przedsiębiorstw społecznych"),
        ("II.4", "Działania informacyjno-edukacyjne adresowane do JST, PES i biznesu"),
        ("II.5", "Urynkowanie produktów PES: marketing, promocja, marka regionalna"),
    )),
    ("III", "Współpraca z JST", (
        ("III.1", "Stosowanie klauzul społecznych przez samorządy lokalne"),
        ("III.2", "Zlecanie usług społecznych podmiotom ekonomii społecznej"),
        ("III.3", "Udostępnianie lokali podmiotom ekonomii społecznej"),
        ("III.4", "Zapisy dotyczące ES w programach współpracy z organizacjami pozarządowymi"),
    )),
    ("IV", "Sieciowanie OWES", (
        ("IV.1", "Funkcjonowanie sieci OWES w regionie"),
        ("IV.2", "Wsparcie OWES dla działających przedsiębiorstw społecznych, "
                 "nie tylko tworzenie miejsc pracy"),
        ("IV.3", "Wspólne narzędzia OWES"),
    )),
    ("V", "Koordynacja", (
        ("V.1", "Kompetencje miękkie: zarządzanie procesami grupowymi i praca z grupą"),
        ("V.2", "Funkcjonowanie komitetu (RKRES) i grup roboczych"),
    )),
)

#: (code, title, addressee) — the four common advocacy areas of seed 003.
ADVOCACY: tuple = (
    ("A.1", "Jednolita interpretacja wytycznych CT9 w zakresie ES, autoryzowana przez MR",
     "Ministerstwo Rozwoju (we współpracy z MRPiPS)"),
    ("A.2", "Wzór wdrażania społecznie odpowiedzialnych zamówień",
     "Urząd Zamówień Publicznych i Krajowa Rada RIO"),
    ("A.3", "Ogólnokrajowa baza franczyz i innowacji", "MRPiPS"),
    ("A.4", "Definicje prawne – zmiany w ustawie o spółdzielniach socjalnych oraz projekt ustawy "
            "o ekonomii społecznej i solidarnej", "MRPiPS"),
)

#: advocacy issue -> the diagnosis items it concerns (a national consultant may change them).
ADVOCACY_ITEMS: dict[str, tuple[str, ...]] = {
    "A.1": ("I.1", "I.3"),
    "A.2": ("III.1",),
    "A.3": ("II.2", "II.5"),
    "A.4": ("IV.2",),
}

PRIORITY_LABELS = Labels({"H": _l("high"), "M": _l("medium"), "L": _l("low")})

SUPPORT_FORM_LABELS = Labels({
    "advice": _l("advisory session"),
    "workshop": _l("workshop"),
    "training": _l("training"),
    "study_visit": _l("study visit"),
    "exchange": _l("experience exchange"),
    "expert_material": _l("expert material"),
    "advocacy": _l("advocacy"),
})

def operator_staff(tenant=None) -> str:
    """The first target group named after the region's operator ("pracownicy RCPS" in Łódzkie,
    "pracownicy MCPS" in Mazowieckie): ``tenant``'s, else the current region's; nationally,
    outside any region, the neutral "staff of the regional social policy centres"."""
    tenant = tenant if tenant is not None else operator.current_tenant()
    if tenant is None:
        return gettext("staff of the regional social policy centres")
    return gettext("%(operator)s staff", operator=operator.name(tenant, "gen"))


def operator_staff_participants() -> str:
    """The form label of the first target group, named after the current region's operator."""
    return gettext("Participants: %(group)s", group=operator_staff())


def group_label(code: str, tenant=None) -> str:
    """A target group's label as shown for ``tenant`` (the operator's own name for its staff)."""
    return operator_staff(tenant) if code == "rops_staff" else str(TARGET_GROUP_LABELS[code])


TARGET_GROUP_LABELS = Labels({
    "rops_staff": PerRequest(operator_staff),
    "committee_members": _l("committee members"),
    "planners": _l("marshal-office planners"),
})

STATUS_LABELS = Labels({"draft": _l("draft"), "signed": _l("signed")})
KIND_LABELS = Labels({"baseline": _l("baseline"), "update": _l("update")})

ADVOCACY_STATUS_LABELS = Labels({
    "identified": _l("identified"),
    "submitted": _l("submitted"),
    "in_dialogue": _l("in dialogue"),
    "resolved": _l("resolved"),
})

NEED_LABELS = Labels({0: _l("no need"), 1: _l("low need"), 2: _l("medium need"), 3: _l("high need")})
STATE_LABELS = Labels({1: _l("nothing in place"), 2: _l("early stage"), 3: _l("partly in place"),
                4: _l("mostly in place"), 5: _l("fully in place")})


#: the module's enumerations for templates: ``labels.national.<name>``.
LABELS = register(
    "national",
    priority=PRIORITY_LABELS, form=SUPPORT_FORM_LABELS, group=TARGET_GROUP_LABELS,
    status=STATUS_LABELS, kind=KIND_LABELS, advocacy=ADVOCACY_STATUS_LABELS,
    need=NEED_LABELS, state=STATE_LABELS,
)
