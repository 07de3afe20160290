"""The national core template "Ocena działań koordynacyjnych {op_gen} przez członków Komitetu".

Data only (Polish wording, as respondents read it). The operator is not always a ROPS: texts
name it through placeholders (``{op}``, ``{op_gen}``, ``{op_full_gen}`` … see
:mod:`tenants.operator`) that a campaign fills with its region's names, declined, when it is
created (:func:`surveys.services.campaigns.create_campaign`); the campaign keeps the filled
text, so past campaigns stay as they were asked. The core is national: regional brands (e.g.
Wielkopolska's "Zakup Prospołeczny") belong in a region's own questions. Codes are stable: change the wording in
the application, never the codes, so years and regions stay comparable. Seeded by
:func:`surveys.services.templates.ensure_core_template` (idempotent).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CORE_CODE = "RKRES-CORE"
#: prefix of every region's own question code (never used by the core): "R-WLKP-01".
REGIONAL_PREFIX = "R-"
CORE_TITLE = "Ocena działań koordynacyjnych {op_gen} przez członków Komitetu"
#: says nothing of how to come back: the questionnaire tells each respondent (the e-mail link,
#: or the region's Surveys page for who started from the app).
CORE_INTRO = (
    "Dziękujemy za udział w corocznej ocenie działań koordynacyjnych {op_full_gen}. Ankieta jest anonimowa: odpowiedzi nie są łączone z Pani/Pana "
    "danymi, a wyniki dla grup mniejszych niż 5 osób nie są pokazywane. Wypełnienie zajmuje "
    "około 5 minut; odpowiedzi można zapisać i dokończyć później."
)

#: rating dimensions (code -> name in the active language: Polish "Rozwiązania regionalne",
#: English "Regional solutions"), in the order they appear.
DIMENSIONS: dict[str, str] = {
    "REG": _l("Regional solutions"),
    "SIEC": _l("Networking"),
    "REPR": _l("Representation"),
    "PROM": _l("Promotion"),
    "WIED": _l("Knowledge and monitoring"),
    "KOM": _l("Committee support"),
    "OGOL": _l("Overall rating"),
    "ZAAN": _l("Own involvement"),
}

CATEGORY_OPTIONS = [
    {"code": "SAM", "label": "samorząd województwa"},
    {"code": "JST", "label": "samorząd gminny lub powiatowy"},
    {"code": "OWES", "label": "ośrodek wsparcia ekonomii społecznej (OWES)"},
    {"code": "PES", "label": "podmiot ekonomii społecznej"},
    {"code": "NGO", "label": "organizacja pozarządowa"},
    {"code": "RYN", "label": "urząd pracy lub administracja rządowa"},
    {"code": "NAU", "label": "uczelnia lub instytucja naukowa"},
    {"code": "BIZ", "label": "przedsiębiorcy lub ich organizacje"},
]
LENGTH_OPTIONS = [
    {"code": "LT1", "label": "krócej niż rok"},
    {"code": "Y13", "label": "od roku do 3 lat"},
    {"code": "GT3", "label": "dłużej niż 3 lata"},
]


def _likert(code: str, text: str, help: str | None = None) -> dict:
    return {"code": code, "kind": "likert", "text": text, "help": help, "required": True,
            "dimension": code.split("-")[0]}


def _open(code: str, text: str) -> dict:
    return {"code": code, "kind": "long_text", "text": text, "max_length": 2000}


#: sections (pages) with their questions.
SECTIONS: list[dict] = [
    {
        "title": "O Pani/Panu",
        "description": "Tylko dwa pytania, potrzebne do porównań. Wyniki grup mniejszych niż "
                       "5 osób nie są pokazywane.",
        "questions": [
            {"code": "PROF-KAT", "kind": "single", "required": True, "allow_other": True,
             "text": "Kogo reprezentuje Pani/Pan w Komitecie?", "options": CATEGORY_OPTIONS},
            {"code": "PROF-STAZ", "kind": "single", "required": True,
             "text": "Jak długo jest Pani/Pan członkiem Komitetu?", "options": LENGTH_OPTIONS},
        ],
    },
    {
        "title": "Rozwiązania regionalne i sieciowanie",
        "description": "Na ile zgadza się Pani/Pan z poniższymi stwierdzeniami o działaniach "
                       "{op_gen} w minionym roku?",
        "questions": [
            _likert("REG-01", "{op} skutecznie koordynuje realizację regionalnego programu "
                              "rozwoju ekonomii społecznej."),
            _likert("REG-02", "Opinie i rekomendacje Komitetu są wykorzystywane przez {op_acc} "
                              "w planowaniu działań."),
            _likert("REG-03", "{op} dba o spójność działań ośrodków wsparcia ekonomii "
                              "społecznej (OWES) w regionie."),
            _likert("SIEC-01", "Grupy robocze działające przy {op_loc} są użyteczne dla mnie "
                               "i mojej instytucji."),
            _likert("SIEC-02", "{op} ułatwia nawiązywanie współpracy między podmiotami "
                               "ekonomii społecznej, samorządami i biznesem."),
            _likert("SIEC-03", "Sieć OWES koordynowana przez {op_acc} działa sprawnie."),
        ],
    },
    {
        "title": "Reprezentacja, promocja i wiedza",
        "description": "Na ile zgadza się Pani/Pan z poniższymi stwierdzeniami?",
        "questions": [
            _likert("REPR-01", "{op} skutecznie reprezentuje ekonomię społeczną regionu na "
                               "poziomie krajowym."),
            _likert("REPR-02", "{op} przekazuje Komitetowi informacje o ustaleniach na "
                               "poziomie krajowym."),
            _likert("PROM-01", "Regionalny portal ekonomii społecznej dostarcza aktualnych "
                               "i przydatnych informacji."),
            _likert("PROM-02", "Działania {op_gen} w mediach społecznościowych zwiększają "
                               "widoczność ekonomii społecznej."),
            _likert("WIED-01", "{op} dostarcza rzetelnych danych z monitoringu sektora "
                               "ekonomii społecznej."),
            _likert("WIED-02", "Diagnozy lokalne i wyniki badań przygotowane przez {op_acc} są "
                               "przydatne w mojej pracy."),
            _likert("WIED-03", "Weryfikacja przedsiębiorstw społecznych jest prowadzona "
                               "sprawnie i przejrzyście."),
        ],
    },
    {
        "title": "Posiedzenia Komitetu i ocena ogólna",
        "description": "Na ile zgadza się Pani/Pan z poniższymi stwierdzeniami?",
        "questions": [
            _likert("KOM-01", "Materiały na posiedzenia otrzymuję co najmniej 7 dni przed "
                              "posiedzeniem."),
            _likert("KOM-02", "Podczas posiedzeń jest wystarczająco dużo czasu na dyskusję."),
            _likert("KOM-03", "Protokoły z posiedzeń są sporządzane i przekazywane terminowo."),
            _likert("KOM-04", "Częstotliwość i forma posiedzeń (stacjonarna lub zdalna) są "
                              "odpowiednie."),
            _likert("OGOL-01", "Ogólnie dobrze oceniam działania koordynacyjne {op_gen} "
                               "w minionym roku."),
            _likert("ZAAN-01", "Mam możliwość aktywnego udziału w pracach Komitetu."),
            _likert("ZAAN-02", "Angażuję się w prace Komitetu w takim stopniu, w jakim "
                               "chcę."),
        ],
    },
    {
        "title": "Pytania otwarte",
        "description": "Odpowiedzi nie są obowiązkowe. Prosimy nie podawać danych, po których "
                       "można Panią/Pana rozpoznać.",
        "questions": [
            _open("OTW-01", "Co w działaniach koordynacyjnych {op_gen} działa najlepiej?"),
            _open("OTW-02", "Co należałoby zmienić lub poprawić?"),
            _open("OTW-03", "Jakimi tematami powinien zająć się Komitet w przyszłym roku?"),
            _open("OTW-04", "Co utrudnia Pani/Panu udział w pracach Komitetu?"),
        ],
    },
]
