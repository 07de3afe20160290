"""The 16 voivodeships: TERYT code, URL slug, Polish name, default operator (DOMAIN.md).

The operator is not always a "ROPS": Łódzkie has the Regionalne Centrum Polityki Społecznej
(RCPS), Mazowieckie the Mazowieckie Centrum Polityki Społecznej (MCPS), Dolnośląskie the
Dolnośląski Ośrodek Polityki Społecznej (DOPS). :data:`OPERATORS` holds each region's full and
short name in the cases texts need; tenant settings start from these defaults.

Declension style (applied to every region alike):

* full names decline their head words, the rest stays: "Regionalnego Ośrodka Polityki
  Społecznej w Toruniu", "w Regionalnym Centrum Polityki Społecznej w Łodzi";
* an abbreviation whose head noun is masculine ("Ośrodek": ROPS, DOPS) declines with a hyphen,
  as the Polish Language Council recommends: ROPS-u, ROPS-owi, ROPS-em, w ROPS-ie;
* an abbreviation whose head noun is "Centrum" (RCPS, MCPS) does not decline, as "centrum"
  does not in the singular: "przez RCPS", "w MCPS";
* the accusative equals the nominative for all of them (inanimate masculine, neuter).
"""

from __future__ import annotations

#: grammatical cases kept for operator names (the accusative equals the nominative).
CASES: tuple[str, ...] = ("nom", "gen", "dat", "ins", "loc")

#: declined head words of the full names (nominative, genitive, dative, instrumental, locative).
_HEADS: dict[str, tuple[str, ...]] = {
    "ROPS": ("Regionalny Ośrodek", "Regionalnego Ośrodka", "Regionalnemu Ośrodkowi",
             "Regionalnym Ośrodkiem", "Regionalnym Ośrodku"),
    "DOPS": ("Dolnośląski Ośrodek", "Dolnośląskiego Ośrodka", "Dolnośląskiemu Ośrodkowi",
             "Dolnośląskim Ośrodkiem", "Dolnośląskim Ośrodku"),
    "RCPS": ("Regionalne Centrum", "Regionalnego Centrum", "Regionalnemu Centrum",
             "Regionalnym Centrum", "Regionalnym Centrum"),
    "MCPS": ("Mazowieckie Centrum", "Mazowieckiego Centrum", "Mazowieckiemu Centrum",
             "Mazowieckim Centrum", "Mazowieckim Centrum"),
}
#: abbreviations declined with a hyphen (masculine head noun "Ośrodek").
_SUFFIXES = ("", "-u", "-owi", "-em", "-ie")


def _operator(abbr: str, tail: str, short_tail: str = "") -> dict[str, dict[str, str]]:
    """Full and short name of an operator in :data:`CASES`."""
    declines = abbr in ("ROPS", "DOPS")
    full = {case: f"{head} {tail}" for case, head in zip(CASES, _HEADS[abbr], strict=True)}
    short = {case: f"{abbr}{suffix if declines else ''}{short_tail}"
             for case, suffix in zip(CASES, _SUFFIXES, strict=True)}
    return {"full": full, "short": short}


#: slug -> {"full": {case: name}, "short": {case: name}} (see the module docstring).
OPERATORS: dict[str, dict[str, dict[str, str]]] = {
    "dolnoslaskie": _operator("DOPS", "Polityki Społecznej we Wrocławiu"),
    "kujawsko-pomorskie": _operator("ROPS", "Polityki Społecznej w Toruniu"),
    "lubelskie": _operator("ROPS", "Polityki Społecznej w Lublinie"),
    "lubuskie": _operator("ROPS", "Polityki Społecznej w Zielonej Górze"),
    "lodzkie": _operator("RCPS", "Polityki Społecznej w Łodzi"),
    "malopolskie": _operator("ROPS", "Polityki Społecznej w Krakowie"),
    "mazowieckie": _operator("MCPS", "Polityki Społecznej w Warszawie"),
    "opolskie": _operator("ROPS", "Polityki Społecznej w Opolu"),
    "podkarpackie": _operator("ROPS", "Polityki Społecznej w Rzeszowie"),
    "podlaskie": _operator("ROPS", "Polityki Społecznej w Białymstoku"),
    "pomorskie": _operator("ROPS", "Polityki Społecznej w Gdańsku"),
    "slaskie": _operator("ROPS", "Polityki Społecznej Województwa Śląskiego",
                         " Województwa Śląskiego"),
    "swietokrzyskie": _operator("ROPS", "Polityki Społecznej w Kielcach"),
    "warminsko-mazurskie": _operator("ROPS", "Polityki Społecznej w Olsztynie"),
    "wielkopolskie": _operator("ROPS", "Polityki Społecznej w Poznaniu"),
    "zachodniopomorskie": _operator("ROPS", "Polityki Społecznej w Szczecinie"),
}

_NAMES: tuple[tuple[str, str, str], ...] = (
    ("02", "dolnoslaskie", "dolnośląskie"),
    ("04", "kujawsko-pomorskie", "kujawsko-pomorskie"),
    ("06", "lubelskie", "lubelskie"),
    ("08", "lubuskie", "lubuskie"),
    ("10", "lodzkie", "łódzkie"),
    ("12", "malopolskie", "małopolskie"),
    ("14", "mazowieckie", "mazowieckie"),
    ("16", "opolskie", "opolskie"),
    ("18", "podkarpackie", "podkarpackie"),
    ("20", "podlaskie", "podlaskie"),
    ("22", "pomorskie", "pomorskie"),
    ("24", "slaskie", "śląskie"),
    ("26", "swietokrzyskie", "świętokrzyskie"),
    ("28", "warminsko-mazurskie", "warmińsko-mazurskie"),
    ("30", "wielkopolskie", "wielkopolskie"),
    ("32", "zachodniopomorskie", "zachodniopomorskie"),
)

#: (TERYT, slug, Polish name, operator's full name in the nominative).
REGIONS: tuple[tuple[str, str, str, str], ...] = tuple(
    (teryt, slug, name, OPERATORS[slug]["full"]["nom"]) for teryt, slug, name in _NAMES)


def default_operator_forms(slug: str) -> dict[str, dict[str, str]]:
    """The declined forms stored with a tenant (without the nominatives, kept in columns)."""
    names = OPERATORS[slug]
    return {kind: {case: names[kind][case] for case in CASES[1:]} for kind in ("full", "short")}
