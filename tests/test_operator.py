"""The region's operator in texts: full and short names declined per region (issue 16, item 1)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from coordination.extensions import db
from surveys import catalogue
from tenants import operator
from tenants.models import Tenant
from tenants.regions import OPERATORS, REGIONS, default_operator_forms

#: regions whose operator is not a "ROPS".
NOT_ROPS = {"dolnoslaskie": "DOPS", "lodzkie": "RCPS", "mazowieckie": "MCPS"}


def _tenant(slug: str) -> SimpleNamespace:
    return SimpleNamespace(operator_name=OPERATORS[slug]["full"]["nom"],
                           operator_short=OPERATORS[slug]["short"]["nom"],
                           operator_forms=default_operator_forms(slug))


def _core_texts() -> list[str]:
    texts = [catalogue.CORE_TITLE, catalogue.CORE_INTRO]
    for section in catalogue.SECTIONS:
        texts += [section["title"], section.get("description") or ""]
        texts += [q["text"] for q in section["questions"]]
    return texts


def test_every_region_has_full_and_short_names_in_every_case():
    assert len(OPERATORS) == len(REGIONS) == 16
    for _teryt, slug, _name, full in REGIONS:
        names = OPERATORS[slug]
        assert names["full"]["nom"] == full and set(names["full"]) == set(names["short"]) == {
            "nom", "gen", "dat", "ins", "loc"}
        assert "ROPS" not in full  # the full name is written out


@pytest.mark.parametrize(("slug", "expected"), [
    ("wielkopolskie", {"gen": "ROPS-u", "dat": "ROPS-owi", "ins": "ROPS-em", "loc": "ROPS-ie",
                       "full_gen": "Regionalnego Ośrodka Polityki Społecznej w Poznaniu",
                       "full_loc": "Regionalnym Ośrodku Polityki Społecznej w Poznaniu"}),
    ("lodzkie", {"gen": "RCPS", "dat": "RCPS", "ins": "RCPS", "loc": "RCPS",
                 "full_gen": "Regionalnego Centrum Polityki Społecznej w Łodzi",
                 "full_ins": "Regionalnym Centrum Polityki Społecznej w Łodzi"}),
    ("mazowieckie", {"gen": "MCPS", "full_dat": "Mazowieckiemu Centrum Polityki Społecznej w Warszawie"}),
    ("dolnoslaskie", {"gen": "DOPS-u", "ins": "DOPS-em",
                      "full_gen": "Dolnośląskiego Ośrodka Polityki Społecznej we Wrocławiu"}),
    ("slaskie", {"nom": "ROPS Województwa Śląskiego", "gen": "ROPS-u Województwa Śląskiego",
                 "full_nom": "Regionalny Ośrodek Polityki Społecznej Województwa Śląskiego"}),
])
def test_names_are_declined_per_region(slug, expected):
    tenant = _tenant(slug)
    for key, value in expected.items():
        full = key.startswith("full_")
        case = key.removeprefix("full_")
        assert operator.name(tenant, case, full=full) == value
    assert operator.name(tenant, "acc") == operator.name(tenant, "nom")  # accusative = nominative


def test_fill_replaces_known_placeholders_only():
    tenant = _tenant("lodzkie")
    assert operator.fill("Opinie wykorzystywane przez {op_acc}; przy {op_loc}; {op_full_gen}; {inne} {op_xyz}",
                         tenant) == ("Opinie wykorzystywane przez RCPS; przy RCPS; Regionalnego Centrum Polityki "
                                     "Społecznej w Łodzi; {inne} {op_xyz}")
    assert operator.fill(None, tenant) is None
    # a form left empty in the settings falls back to the nominative, never to a placeholder
    tenant.operator_forms = {"short": {"gen": ""}}
    assert operator.fill("{op_gen}", tenant) == "RCPS"


def test_core_survey_texts_name_the_regions_own_operator_in_all_16_regions():
    texts = _core_texts()
    assert sum("{op" in t for t in texts) >= 15
    for _teryt, slug, _name, _full in REGIONS:
        tenant = _tenant(slug)
        filled = [operator.fill(t, tenant) for t in texts]
        joined = "\n".join(filled)
        assert "{" not in joined and "}" not in joined
        assert "(a)" not in joined and "(-a)" not in joined
        if slug in NOT_ROPS:
            assert "ROPS" not in joined, slug
            assert NOT_ROPS[slug] in joined
        assert "Zakup Prospołeczny" not in joined  # a Wielkopolska brand, not national
    lodz = {t: operator.fill(t, _tenant("lodzkie")) for t in texts}
    assert lodz[catalogue.CORE_TITLE] == "Ocena działań koordynacyjnych RCPS przez członków Komitetu"
    assert any("Grupy robocze działające przy RCPS" in t for t in lodz.values())
    assert "corocznej ocenie działań koordynacyjnych Regionalnego Centrum Polityki Społecznej w Łodzi." in \
        lodz[catalogue.CORE_INTRO]
    wlkp = "\n".join(operator.fill(t, _tenant("wielkopolskie")) for t in texts)
    assert "Grupy robocze działające przy ROPS-ie" in wlkp and "Działania ROPS-u w mediach" in wlkp
    assert "przez ROPS w planowaniu" in wlkp
    # no declined abbreviation is left undeclined after a preposition that needs another case
    assert not re.search(r"\b(przy|o) ROPS\b(?!-)", wlkp)


def test_core_codes_never_use_the_regional_namespace():
    codes = [q["code"] for s in catalogue.SECTIONS for q in s["questions"]]
    assert len(codes) == len(set(codes)) and not any(c.startswith(catalogue.REGIONAL_PREFIX) for c in codes)
    assert sum(q["kind"] == "likert" for s in catalogue.SECTIONS for q in s["questions"]) == 20


def test_regions_seeded_with_declined_names(app):
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "lodzkie"))
        assert tenant.operator_name == "Regionalne Centrum Polityki Społecznej w Łodzi"
        assert tenant.operator_short == "RCPS"
        assert operator.names(tenant)["op_full_loc"] == "Regionalnym Centrum Polityki Społecznej w Łodzi"
        db.session.remove()


@pytest.fixture
def coordinator(app, make_user, login):
    return login(app.test_client(), make_user("k@example.org", "coordinator", name="Kasia Koordynator"))


def test_settings_edit_the_short_name_and_its_forms(app, coordinator, csrf_off):
    client = coordinator
    page = client.get("/wielkopolskie/ustawienia").get_data(as_text=True)
    assert 'value="ROPS-u"' in page and "Odmiana nazwy operatora" in page
    data = {"operator_name": "Regionalny Ośrodek Polityki Społecznej w Poznaniu", "operator_short": "ROPS",
            "committee_name": "Regionalny Komitet Rozwoju Ekonomii Społecznej",
            "full_gen": "Regionalnego Ośrodka Polityki Społecznej w Poznaniu",
            "full_dat": "Regionalnemu Ośrodkowi Polityki Społecznej w Poznaniu",
            "full_ins": "Regionalnym Ośrodkiem Polityki Społecznej w Poznaniu",
            "full_loc": "Regionalnym Ośrodku Polityki Społecznej w Poznaniu",
            "short_gen": "ROPS", "short_dat": "ROPS", "short_ins": "ROPS", "short_loc": "ROPS"}
    r = client.post("/wielkopolskie/ustawienia", data=data, headers={"HX-Request": "true"})
    assert r.status_code == 204
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "wielkopolskie"))
        assert operator.fill("działania {op_gen}", tenant) == "działania ROPS"  # the region's own style
        db.session.remove()
    r = client.post("/wielkopolskie/ustawienia", data={**data, "short_gen": "", "operator_short": ""},
                    headers={"HX-Request": "true"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "Prosimy podać tę formę nazwy." in body
    assert "Prosimy podać skróconą nazwę operatora." in body


def test_labels_name_the_current_regions_operator(app, tenants):
    from flask import g

    from coordination.tenancy import tenant_context
    from owes.labels import LABELS as OWES
    from workgroups.queries.labels import CATEGORY_LABELS

    with app.test_request_context("/lodzkie/"):
        g.tenant = db.session.get(Tenant, tenants["lodzkie"])
        assert str(OWES["participant"]["rops"]) == "RCPS"
        assert str(OWES["study_kind"]["system"]) == "badanie systemowe (RCPS)"
        assert str(CATEGORY_LABELS["rops"]) == "RCPS"
        db.session.remove()
    with app.app_context(), tenant_context(tenants["mazowieckie"]):  # jobs: no request, a tenant context
        assert str(OWES["participant"]["rops"]) == "MCPS"
        db.session.remove()
    with app.app_context():  # outside any region
        assert str(OWES["participant"]["rops"]) == "ROPS"
