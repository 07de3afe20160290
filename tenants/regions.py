"""The 16 voivodeships: TERYT code, URL slug, Polish name, default operator (DOMAIN.md)."""

REGIONS: tuple[tuple[str, str, str, str], ...] = (
    ("02", "dolnoslaskie", "dolnośląskie", "Dolnośląski Ośrodek Polityki Społecznej, Wrocław"),
    ("04", "kujawsko-pomorskie", "kujawsko-pomorskie", "ROPS w Toruniu"),
    ("06", "lubelskie", "lubelskie", "ROPS w Lublinie"),
    ("08", "lubuskie", "lubuskie", "ROPS w Zielonej Górze"),
    ("10", "lodzkie", "łódzkie", "Regionalne Centrum Polityki Społecznej w Łodzi"),
    ("12", "malopolskie", "małopolskie", "ROPS w Krakowie"),
    ("14", "mazowieckie", "mazowieckie", "Mazowieckie Centrum Polityki Społecznej, Warszawa"),
    ("16", "opolskie", "opolskie", "ROPS w Opolu"),
    ("18", "podkarpackie", "podkarpackie", "ROPS w Rzeszowie"),
    ("20", "podlaskie", "podlaskie", "ROPS w Białymstoku"),
    ("22", "pomorskie", "pomorskie", "ROPS, Gdańsk"),
    ("24", "slaskie", "śląskie", "ROPS Województwa Śląskiego, Katowice"),
    ("26", "swietokrzyskie", "świętokrzyskie", "ROPS, Kielce"),
    ("28", "warminsko-mazurskie", "warmińsko-mazurskie", "ROPS, Olsztyn"),
    ("30", "wielkopolskie", "wielkopolskie", "ROPS w Poznaniu"),
    ("32", "zachodniopomorskie", "zachodniopomorskie", "ROPS, Szczecin"),
)
