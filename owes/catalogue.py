"""The national indicator catalogue as shipped (DOMAIN.md codes) and its idempotent seed.

Importable without the ORM (the migration reads :func:`catalogue_rows`).

Run by the migration ``0004_owes`` and by the demo seed; :func:`ensure_catalogue` adds the codes
that are missing and never overwrites what national consultants have edited since.
"""

from __future__ import annotations

from sqlalchemy import select

_ADVICE = (
    ("DOR-01", "kluczowego", "key advisory"),
    ("DOR-02", "biznesowego", "business advisory"),
    ("DOR-03", "prawnego", "legal advisory"),
    ("DOR-04", "księgowego", "accounting advisory"),
    ("DOR-05", "marketingowego", "marketing advisory"),
    ("DOR-06", "informatycznego (IT)", "IT advisory"),
    ("DOR-07", "w zakresie zamówień publicznych", "public procurement advisory"),
    ("DOR-08", "w zakresie tworzenia podmiotów reintegracyjnych", "reintegration entities advisory"),
)

#: (code, Polish name, English name, unit, aggregation, base code, disaggregation, definition)
CATALOGUE: tuple[tuple[str, str, str, str, str, str | None, str, str], ...] = (
    ("AL-01", "Liczba grup inicjatywnych objętych wsparciem", "Initiative groups supported",
     "count", "unique", None, "powiat",
     "Grupy inicjatywne (przyszli założyciele PES), którym OWES udzielił wsparcia; każda grupa "
     "liczona raz w okresie planu (wartość narastająco)."),
    ("AL-02", "Liczba grup inicjatywnych, które wypracowały założenia co do utworzenia PES",
     "Initiative groups that worked out PES assumptions", "count", "sum", None, "",
     "Grupy, które w wyniku działań OWES wypracowały założenia utworzenia podmiotu ekonomii "
     "społecznej."),
    ("AL-03", "Liczba grup inicjatywnych, które wypracowały założenia co do utworzenia podmiotu "
     "reintegracyjnego", "Initiative groups that worked out reintegration entity assumptions",
     "count", "sum", None, "", "Dotyczy CIS, KIS, WTZ i ZAZ."),
    ("AL-04", "Liczba środowisk objętych wsparciem", "Communities supported", "count", "unique",
     None, "powiat", "Środowiska lokalne objęte animacją; każde liczone raz (narastająco)."),
    ("AL-05", "Liczba środowisk, które przystąpiły do wspólnej realizacji przedsięwzięcia ES",
     "Communities joining a joint ES venture", "count", "percent_of", "AL-04", "",
     "Cel zwykle jako % środowisk objętych wsparciem (AL-04)."),
    ("AL-06", "Liczba organizacji pozarządowych objętych wsparciem", "NGOs supported", "count",
     "unique", None, "powiat", "Każda organizacja liczona raz (narastająco)."),
    ("AL-07", "Liczba NGO, które podjęły działalność odpłatną pożytku publicznego lub "
     "gospodarczą", "NGOs starting paid or business activity", "count", "percent_of", "AL-06", "",
     "Ekonomizacja; cel zwykle jako % organizacji objętych wsparciem (AL-06)."),
    ("AL-08", "Liczba osób objętych działaniami animacyjnymi", "Persons reached", "persons", "sum",
     None, "sex,disability", "Osoby fizyczne, z którymi pracowali animatorzy."),
    ("AL-09", "Liczba spotkań animacyjnych", "Animation meetings", "count", "sum", None, "",
     "Spotkania animatorów z osobami prawnymi (organizacjami, urzędami gmin, OPS)."),
    ("AL-10", "Liczba grupowych spotkań animacyjnych z udziałem animatorów",
     "Group animation meetings attended by animators", "count", "sum", None, "", ""),
    ("AL-11", "Liczba indywidualnych spotkań animacyjnych z udziałem animatorów",
     "Individual animation meetings attended by animators", "count", "sum", None, "", ""),
    ("RES-01", "Liczba miejsc pracy utworzonych dla osób zagrożonych wykluczeniem społecznym",
     "Jobs for people at risk of social exclusion", "count", "sum", None, "sex,disability,powiat",
     "Miejsca pracy utworzone w wyniku działalności OWES dla osób wskazanych w definicji "
     "przedsiębiorstwa społecznego."),
    ("RES-02", "Liczba podmiotów ekonomii społecznej objętych wsparciem", "PES supported", "count",
     "unique", None, "powiat", "Każdy PES liczony raz w okresie planu (narastająco)."),
    ("RES-03", "Liczba nowych PES/PS utworzonych w wyniku działalności OWES",
     "New PES/PS created", "count", "sum", None, "powiat", ""),
    ("RES-04", "Liczba osób zagrożonych ubóstwem lub wykluczeniem społecznym, które dzięki nowym "
     "miejscom pracy w sektorze ES weszły lub powróciły na rynek pracy",
     "Persons at risk of poverty or exclusion entering or returning to work in new ES jobs",
     "persons", "sum", None, "sex,disability", ""),
    ("PS-01", "Liczba miejsc pracy we wspartych przedsiębiorstwach społecznych (etaty)",
     "Jobs in supported social enterprises (FTE)", "fte", "sum", None, "",
     "W przeliczeniu na pełne etaty."),
    ("PS-02", "Wzrost obrotów wspartych przedsiębiorstw społecznych", "Turnover growth of "
     "supported social enterprises", "percent", "unique", None, "",
     "Wzrost obrotów w skali roku w %; liczy się ostatni raportowany okres."),
    ("PS-03", "Liczba miejsc pracy utrzymanych dzięki wsparciu pomostowemu",
     "Jobs maintained with bridging support", "count", "sum", None, "sex,disability,components",
     "Miejsca pracy utrzymane dzięki finansowemu wsparciu pomostowemu (w istniejących PS, "
     "nowopowstałych PS i PES przekształcających się w PS)."),
    *(
        (code, f"Liczba godzin doradztwa {pl}", f"Hours of {en}", "hours", "sum", None,
         "components", "")
        for code, pl, en in _ADVICE
    ),
    ("DOR-09", "Liczba spotkań doradczych (doradztwo kluczowe)", "Key advisory meetings", "count",
     "sum", None, "", "Spotkania doradcze z PES, JST, grupami nieformalnymi i osobami fizycznymi."),
    ("DOR-10", "Liczba PES objętych doradztwem rozwojowym", "PES given development advice",
     "count", "sum", None, "", "Doradztwo rozwojowe dla PES prowadzących działalność odpłatną lub "
     "gospodarczą."),
    ("SZK-01", "Liczba szkoleń", "Trainings", "count", "sum", None, "components",
     "Każde szkolenie liczone raz, niezależnie od liczby dni; dni szkoleniowe w SZK-03."),
    ("SZK-02", "Liczba uczestników szkoleń", "Training participants", "persons", "sum", None,
     "sex,disability", ""),
    ("SZK-03", "Liczba dni szkoleniowych", "Training days", "count", "sum", None, "",
     "Dzień szkoleniowy = 8 godzin szkoleniowych; szkolenie dwudniowe to 2 dni."),
    ("INK-01", "Liczba pakietów rozwojowych", "Development packages", "count", "sum", None, "", ""),
    ("INK-02", "Liczba podmiotów objętych coachingiem", "Entities coached", "count", "unique", None,
     "", "Grupy inicjatywne i NGO planujące ekonomizację; każdy podmiot liczony raz."),
    ("INK-03", "Liczba wizyt studyjnych", "Study visits", "count", "sum", None, "", ""),
    ("INK-04", "Liczba uczestników wizyt studyjnych", "Study visit participants", "persons",
     "sum", None, "", ""),
    ("INK-05", "Liczba podmiotów ES odwiedzonych podczas wizyt studyjnych",
     "ES entities visited on study visits", "count", "sum", None, "", ""),
    ("USL-01", "Liczba PES korzystających z usług księgowych", "PES using accounting services",
     "count", "sum", None, "", "Usługi specjalistyczne (obsługa księgowa)."),
    ("USL-02", "Liczba PES korzystających z usług prawnych", "PES using legal services", "count",
     "sum", None, "", "Usługi specjalistyczne (obsługa prawna)."),
    ("USL-03", "Liczba godzin usług księgowych", "Hours of accounting services", "hours", "sum",
     None, "", ""),
    ("FIN-01", "Liczba dotacji na tworzenie miejsc pracy", "Job-creation grants (count)", "count",
     "sum", None, "", ""),
    ("FIN-02", "Kwota dotacji na tworzenie miejsc pracy", "Job-creation grants (PLN)", "pln", "sum",
     None, "", ""),
    ("PAR-01", "Liczba spotkań partnerskich", "Partnership meetings", "count", "sum", None, "",
     "Spotkania formalne pomiędzy PES a NGO i JST."),
    ("PAR-02", "Liczba zawartych porozumień partnerskich", "Partnership agreements", "count", "sum",
     None, "", ""),
    ("PAR-03", "Liczba partnerstw, które otrzymały dofinansowanie", "Partnerships that received "
     "funding", "count", "sum", None, "", ""),
)


def catalogue_rows() -> list[dict]:
    """The catalogue as plain rows (``base`` is a code), in order."""
    return [
        {"code": code, "name": name, "name_en": name_en, "unit": unit, "aggregation": agg,
         "base": base, "disaggregation": dis, "definition": definition or None,
         "position": (i + 1) * 10}
        for i, (code, name, name_en, unit, agg, base, dis, definition) in enumerate(CATALOGUE)
    ]


def ensure_catalogue() -> int:
    """Insert the shipped codes that are missing (idempotent); return how many were added."""
    from coordination.extensions import db
    from owes.models import Indicator

    existing = {c: i for c, i in db.session.execute(select(Indicator.code, Indicator.id))}
    added = 0
    rows = catalogue_rows()
    for row in rows:
        if row["code"] in existing:
            continue
        ind = Indicator(**{k: v for k, v in row.items() if k != "base"}, active=True)
        db.session.add(ind)
        db.session.flush()
        existing[row["code"]] = ind.id
        added += 1
    for row in rows:
        if row["base"]:
            ind = db.session.get(Indicator, existing[row["code"]])
            if ind.base_id is None and ind.aggregation == "percent_of":
                ind.base_id = existing[row["base"]]
    db.session.commit()
    return added
