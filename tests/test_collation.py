"""Polish alphabetical order (coordination/collation.py)."""

from __future__ import annotations

from coordination.collation import polish_key, sorted_pl

REGIONS = ["dolnośląskie", "kujawsko-pomorskie", "lubelskie", "lubuskie", "łódzkie", "małopolskie",
           "mazowieckie", "opolskie", "podkarpackie", "podlaskie", "pomorskie", "śląskie",
           "świętokrzyskie", "warmińsko-mazurskie", "wielkopolskie", "zachodniopomorskie"]


def test_the_16_regions_in_polish_order():
    assert sorted_pl(reversed(REGIONS)) == REGIONS
    assert sorted(REGIONS) != REGIONS  # code-point order is not Polish


def test_letters_with_diacritics_are_letters_of_their_own():
    assert sorted_pl(["ac", "ąb", "Ab", "zz", "źa", "ża", "ob", "óa"]) == ["Ab", "ac", "ąb", "ob", "óa", "zz", "źa", "ża"]
    assert polish_key("Lublin") < polish_key("Łódź") < polish_key("Małopolska")
    assert polish_key(None) == polish_key("")


def test_national_lists_follow_the_polish_alphabet(app, tenants):
    from national.queries import all_regions

    with app.app_context():
        names = [t.name for t in all_regions()]
    assert names == sorted_pl(names) and names.index("łódzkie") < names.index("małopolskie")


def test_group_choices_follow_the_polish_alphabet(app, tenants, make_group):
    from coordination.tenancy import tenant_context
    from workgroups.queries.meetings import group_choices

    for name in ("Zespół ds. promocji", "Łączenie sieci", "Lokalne partnerstwa", "Śląska grupa", "Sieć OWES"):
        make_group(name, kind="custom")
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        names = [name for _id, name in group_choices()]
    # code-point order would put "Łączenie" and "Śląska" after "Zespół"
    assert names == ["Lokalne partnerstwa", "Łączenie sieci", "Sieć OWES", "Śląska grupa", "Zespół ds. promocji"]
