"""Polish place names in the cases the product needs (DESIGN.md: place names declined from a
table, never ``w {nominative}``).

One table of the towns the product names (the 16 voivodeship capitals and the demo towns) and
the 16 voivodeships (adjective forms). :func:`place_forms` answers the forms of one name;
:func:`in_place` builds the locative phrase with the right preposition ("w Lesznie",
"we Wrocławiu", "w województwie łódzkim"). Templates use the filters ``genitive``, ``locative``
and ``in_place`` (registered by :func:`register_filters`).

A name not in the table is returned unchanged in every case (better an undeclined name than a
wrongly declined one); ``tests/test_places.py`` checks that every town the demo data and the
region table mention is in it.
"""

from __future__ import annotations

from typing import NamedTuple


class PlaceForms(NamedTuple):
    """A place name in the nominative ("Leszno"), genitive ("Leszna") and locative ("Lesznie")."""

    nominative: str
    genitive: str
    locative: str

    @property
    def in_place(self) -> str:
        """The locative phrase: "w Lesznie", "we Wrocławiu", "w województwie łódzkim"."""
        return f"{preposition_w(self.locative)} {self.locative}"


#: towns: nominative → (genitive, locative).
TOWNS: dict[str, tuple[str, str]] = {
    # the 16 voivodeship capitals (seats of the voivode or of the regional assembly)
    "Białystok": ("Białegostoku", "Białymstoku"),
    "Bydgoszcz": ("Bydgoszczy", "Bydgoszczy"),
    "Gdańsk": ("Gdańska", "Gdańsku"),
    "Gorzów Wielkopolski": ("Gorzowa Wielkopolskiego", "Gorzowie Wielkopolskim"),
    "Katowice": ("Katowic", "Katowicach"),
    "Kielce": ("Kielc", "Kielcach"),
    "Kraków": ("Krakowa", "Krakowie"),
    "Lublin": ("Lublina", "Lublinie"),
    "Łódź": ("Łodzi", "Łodzi"),
    "Olsztyn": ("Olsztyna", "Olsztynie"),
    "Opole": ("Opola", "Opolu"),
    "Poznań": ("Poznania", "Poznaniu"),
    "Rzeszów": ("Rzeszowa", "Rzeszowie"),
    "Szczecin": ("Szczecina", "Szczecinie"),
    "Toruń": ("Torunia", "Toruniu"),
    "Warszawa": ("Warszawy", "Warszawie"),
    "Wrocław": ("Wrocławia", "Wrocławiu"),
    "Zielona Góra": ("Zielonej Góry", "Zielonej Górze"),
    # the demo towns (seeds: subregions of Wielkopolskie and Łódzkie)
    "Kalisz": ("Kalisza", "Kaliszu"),
    "Konin": ("Konina", "Koninie"),
    "Leszno": ("Leszna", "Lesznie"),
    "Piła": ("Piły", "Pile"),
    "Sieradz": ("Sieradza", "Sieradzu"),
    "Skierniewice": ("Skierniewic", "Skierniewicach"),
    "Piotrków Trybunalski": ("Piotrkowa Trybunalskiego", "Piotrkowie Trybunalskim"),
    "Kutno": ("Kutna", "Kutnie"),
}

#: the 16 voivodeships' adjectives (nominative, neuter: "łódzkie"), as ``tenants.regions``.
VOIVODESHIPS: tuple[str, ...] = (
    "dolnośląskie", "kujawsko-pomorskie", "lubelskie", "lubuskie", "łódzkie", "małopolskie",
    "mazowieckie", "opolskie", "podkarpackie", "podlaskie", "pomorskie", "śląskie",
    "świętokrzyskie", "warmińsko-mazurskie", "wielkopolskie", "zachodniopomorskie",
)


def _adjective(nominative: str) -> tuple[str, str]:
    """Genitive and locative of a neuter adjective in -ie ("łódzkie" → "łódzkiego", "łódzkim")."""
    stem = nominative[:-1]  # "łódzki"
    return stem + "ego", stem + "m"


#: every voivodeship as a place: "województwo łódzkie" → "województwa łódzkiego",
#: "województwie łódzkim"; the adjective alone ("łódzkie") declines the same way.
VOIVODESHIP_FORMS: dict[str, PlaceForms] = {
    adjective: PlaceForms(f"województwo {adjective}", f"województwa {_adjective(adjective)[0]}",
                          f"województwie {_adjective(adjective)[1]}")
    for adjective in VOIVODESHIPS
}

PLACES: dict[str, PlaceForms] = {
    **{name: PlaceForms(name, gen, loc) for name, (gen, loc) in TOWNS.items()},
    **{forms.nominative: forms for forms in VOIVODESHIP_FORMS.values()},
}


def preposition_w(following: str) -> str:
    """"we" before a word starting with w/f + consonant ("we Wrocławiu", "we Włocławku"),
    otherwise "w"."""
    word = following.casefold()
    if len(word) > 1 and word[0] in "wf" and word[1] not in "aąeęioóuy":
        return "we"
    return "w"


def place_forms(name: str) -> PlaceForms:
    """The forms of ``name``: a town from the table, a voivodeship ("łódzkie" or "województwo
    łódzkie"); an unknown name stays as given in every case."""
    name = (name or "").strip()
    if name in PLACES:
        return PLACES[name]
    if name in VOIVODESHIP_FORMS:
        return VOIVODESHIP_FORMS[name]
    return PlaceForms(name, name, name)


def genitive(name: str) -> str:
    return place_forms(name).genitive


def locative(name: str) -> str:
    return place_forms(name).locative


def in_place(name: str) -> str:
    """"w Lesznie", "we Wrocławiu", "w województwie łódzkim"."""
    return place_forms(name).in_place


def register_filters(app) -> None:
    """Jinja filters ``genitive``, ``locative``, ``in_place``."""
    app.jinja_env.filters.update(genitive=genitive, locative=locative, in_place=in_place)
