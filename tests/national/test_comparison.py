"""Comparison: medians and completeness against hand-computed values, query counts, optional
survey/OWES sections, XLSX exports re-read with python-calamine."""

from __future__ import annotations

import io
import re
import sys
import types
from datetime import date, timedelta

import pytest
from python_calamine import CalamineWorkbook

from coordination.extensions import db
from coordination.tenancy import tenant_context
from national import services
from national.queries import comparison as cq
from tests.conftest import count_statements
from tests.national.conftest import make_signed, utcnow


def _r(need, state, priority="M", evidence=None):
    return {"need": need, "state": state, "priority": priority, "evidence": evidence}


@pytest.fixture
def three_regions(app, tenants, template):
    """Hand-made data: three regions with signed diagnoses, one outdated, one with two versions."""
    i1, c1 = template["I.1"], template["III.1"]
    now = utcnow()
    with app.app_context():
        # wielkopolskie: v1 (old) then v2 (current) -> only v2 counts
        make_signed(tenants["wielkopolskie"], 1, {i1: _r(0, 5), c1: _r(0, 5, "L")}, now - timedelta(days=900))
        make_signed(tenants["wielkopolskie"], 2, {i1: _r(1, 4), c1: _r(3, 1, "H", "Brak klauzul w JST")},
                    now - timedelta(days=30))
        # lodzkie: current
        make_signed(tenants["lodzkie"], 1, {i1: _r(2, 3), c1: _r(2, 2, "H", "Pojedyncze klauzule")},
                    now - timedelta(days=60))
        # lubuskie: outdated (> 12 months), III.1 not rated
        make_signed(tenants["lubuskie"], 1, {i1: _r(3, 1, "H"), c1: {}}, now - timedelta(days=400))
        # slaskie: only a draft -> counts as missing
        with tenant_context(tenants["slaskie"]):
            services.start_diagnosis(actor=None)
        with tenant_context(tenants["lodzkie"]):
            services.save_support_entry(None, {"held_on": date(2019, 4, 1), "form": "workshop",
                                               "topic": "Warsztat klauzule", "hours": 6,
                                               "rops_staff": "Anna Nowak\nJan Mazur\nEwa Król"},
                                        [c1], actor=None)
        db.session.remove()
    return {"I.1": i1, "III.1": c1}


def test_matrix_median_and_completeness(ctx, tenants, three_regions):
    data = cq.comparison()
    i1, c1 = three_regions["I.1"], three_regions["III.1"]
    # I.1 need: 1 (wlkp v2), 2 (lodz), 3 (lubuskie) -> median 2; state 4, 3, 1 -> 3
    assert data["median"]["need"][i1] == 2
    assert data["median"]["state"][i1] == 3
    # III.1 need: 3, 2 (lubuskie unrated) -> 2.5; state 1, 2 -> 1.5
    assert data["median"]["need"][c1] == 2.5
    assert data["median"]["state"][c1] == 1.5
    assert data["cells"][tenants["wielkopolskie"]][c1].need == 3  # latest signed version only
    comp = data["completeness"]
    assert {t.slug for t in comp["missing"]} == set(tenants) - {"wielkopolskie", "lodzkie", "lubuskie"}
    assert [t.slug for t, _d in comp["outdated"]] == ["lubuskie"]
    assert comp["current"] == 2
    # priority filter keeps only ratings with that priority; items without any drop out
    high = cq.comparison(priority="H")
    assert set(high["cells"][tenants["wielkopolskie"]]) == {c1}
    assert set(high["cells"][tenants["lubuskie"]]) == {i1}
    assert {i.code for i, _a in high["items"]} == {"I.1", "III.1"}
    assert {i.code for i, _a in cq.comparison(area="III")["items"]} == {"III.1", "III.2", "III.3", "III.4"}


def test_which_regions_lack_an_item(ctx, tenants, three_regions):
    rows = cq.item_regions(three_regions["III.1"])
    assert [r["tenant"].slug for r in rows[:3]] == ["wielkopolskie", "lodzkie", "lubuskie"]
    assert rows[0]["rating"].evidence == "Brak klauzul w JST"
    assert rows[1]["support"].entries == 1 and float(rows[1]["support"].hours) == 6
    assert rows[0]["support"] is None
    assert all(r["rating"] is None for r in rows[3:])


def _count_queries(client, url) -> tuple[int, object]:
    with count_statements(client.application) as log:
        resp = client.get(url)
    return log.count, resp


def test_comparison_query_count_is_constant(app, tenants, template, people, login):
    client = login(app.test_client(), people["consultant"])
    items = list(template.values())
    with app.app_context():
        make_signed(tenants["wielkopolskie"], 1, {i: _r(1, 3) for i in items}, utcnow())
        db.session.remove()
    small, resp = _count_queries(client, "/kraj/porownanie")
    assert resp.status_code == 200
    small_item, _ = _count_queries(client, f"/kraj/porownanie/pozycja/{template['III.1']}")
    with app.app_context():
        for n, tid in enumerate(tenants.values()):
            for version in range(1, 11):
                if tid == tenants["wielkopolskie"] and version == 1:
                    continue
                make_signed(tid, version, {i: _r((n + version) % 4, 1 + (n + version) % 5) for i in items},
                            utcnow() - timedelta(days=10 * (11 - version)))
        db.session.remove()
    big, resp = _count_queries(client, "/kraj/porownanie")
    assert resp.status_code == 200
    assert resp.get_data(as_text=True).count('class="num heat heat-need-') == 16 * 18
    big_item, _ = _count_queries(client, f"/kraj/porownanie/pozycja/{template['III.1']}")
    assert big == small, (small, big)
    assert big_item == small_item
    assert big <= 12


def test_optional_survey_and_owes_sections(app, tenants, template, people, login, monkeypatch):
    client = login(app.test_client(), people["consultant"])
    body = client.get("/kraj/porownanie").get_data(as_text=True)
    assert "Mean score per survey dimension" not in body and "Średnia ocena" not in body
    fake_surveys = types.ModuleType("surveys.queries")
    fake_surveys.region_dimension_scores = lambda year=None: {
        tenants["lodzkie"]: {"D1": (4.25, 12), "D2": None}, tenants["wielkopolskie"]: {"D1": (3.5, 8)}}
    fake_surveys.dimension_names = lambda: {"D1": "Sieciowanie"}
    fake_owes = types.ModuleType("owes.queries")
    fake_owes.region_indicator_achievement = lambda: {tenants["lodzkie"]: {"RES-01": 87.5, "RES-02": None}}
    fake_owes.indicator_names = lambda: {"RES-01": "Miejsca pracy w PES"}
    monkeypatch.setitem(sys.modules, "surveys.queries", fake_surveys)
    monkeypatch.setitem(sys.modules, "owes.queries", fake_owes)
    page = client.get("/kraj/porownanie").get_data(as_text=True)
    assert 'hx-get="/kraj/porownanie/ankiety"' in page and 'hx-get="/kraj/porownanie/owes"' in page
    resp = client.get("/kraj/porownanie/ankiety")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    # decimal commas, dimension names (the code where the module names none)
    assert "4,25" in body and "(n = 12)" in body and "3,50" in body and "(n = 8)" in body
    assert ">Sieciowanie<" in body and ">D2<" in body and ">D1<" not in body
    body = client.get("/kraj/porownanie/owes").get_data(as_text=True)
    assert "87,5%" in body and ">RES-01<" in body and "<dd>Miejsca pracy w PES</dd>" in body
    # a module without the function offers no section
    monkeypatch.setitem(sys.modules, "surveys.queries", types.ModuleType("surveys.queries"))
    assert "/kraj/porownanie/ankiety" not in client.get("/kraj/porownanie").get_data(as_text=True)


def _sheets(data: bytes) -> dict[str, list[list]]:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def test_matrix_and_item_exports_reread(app, tenants, three_regions, people, login):
    client = login(app.test_client(), people["consultant"])
    resp = client.get("/kraj/porownanie.xlsx")
    assert resp.status_code == 200
    assert resp.mimetype.endswith("spreadsheetml.sheet")
    sheets = _sheets(resp.data)
    need = sheets["Potrzeba"]
    header = need[0]
    col = header.index("III.1")
    rows = {r[0]: r for r in need[1:]}
    assert rows["wielkopolskie"][col] == 3 and rows["wielkopolskie"][1] == 2
    assert rows["łódzkie"][col] == 2
    assert rows["Mediana krajowa"][col] == 2.5
    assert rows["dolnośląskie"][col] in ("", None)
    assert {r[0] for r in sheets["Kompletność"][1:]} >= {"lubuskie", "dolnośląskie"}
    resp = client.get(f"/kraj/porownanie/pozycja/{three_regions['III.1']}.xlsx")
    regions = _sheets(resp.data)["Regiony"]
    assert [r[0] for r in regions[1:4]] == ["wielkopolskie", "łódzkie", "lubuskie"]
    assert regions[1][4] == "Brak klauzul w JST"
    assert regions[2][8] == 1 and regions[2][9] == 6


def test_xlsx_never_contains_formulas(ctx):
    from openpyxl import load_workbook

    from national.exports import safe, xlsx

    assert safe("=SUM(A1)") == "'=SUM(A1)" and safe("+48") == "'+48" and safe("@x") == "'@x"
    data = xlsx([("S", ["a"], [["=1+1"], ["-2"], ["\tx"], ["ok"], [3]])])
    ws = load_workbook(io.BytesIO(data)).active
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert [r[0] for r in _sheets(data)["S"]] == ["a", "'=1+1", "'-2", "'\tx", "ok", 3]


def test_survey_and_owes_sections_load_into_the_comparison(app, make_user, login):
    """With demo data the comparison page links the two sections (htmx loads them; without
    JavaScript each is a page of its own) and each section shows the regions' figures."""
    app.test_cli_runner().invoke(args=["seed-demo"])
    client = login(app.test_client(), make_user("kraj@example.org", national=True))
    page = client.get("/kraj/porownanie").get_data(as_text=True)
    assert 'hx-get="/kraj/porownanie/ankiety"' in page and 'hx-get="/kraj/porownanie/owes"' in page
    surveys = client.get("/kraj/porownanie/ankiety", headers={"HX-Request": "true"})
    body = surveys.get_data(as_text=True)
    assert surveys.status_code == 200 and "<html" not in body
    assert "Wielkopolskie".lower() in body.lower() and "(n = " in body
    owes = client.get("/kraj/porownanie/owes").get_data(as_text=True)
    # every demo plan has ended (the seeds' plans run to 2021): no region shows a percentage,
    # Łódzkie reads "no current plan" instead of 0 %
    assert "<html" in owes and "łódzkie" in owes.lower() and "0 %" not in owes and "0\u00a0%" not in owes
    lodzkie_row = owes.split('<th scope="row">łódzkie</th>')[1].split("</tr>")[0]
    assert "brak bieżącego planu" in lodzkie_row
    assert client.get("/kraj/porownanie/inne").status_code == 404


def test_ministry_briefing_pdf_and_docx(app, tenants, three_regions, people, login):
    """The briefing has the same figures as the "which regions lack X" page: regions ranked by
    need, distinct persons (not attendances) of the support on the item, advocacy issues that
    concern it (A.2 for social clauses), completeness, date and author; a tagged PDF in Polish."""
    from docx import Document
    from pypdf import PdfReader
    from sqlalchemy import select

    from national.models import AdvocacyIssue

    consultant = people["consultant"]
    with app.app_context():
        issue = db.session.scalar(select(AdvocacyIssue).where(AdvocacyIssue.code == "A.2"))
        services.save_issue(issue, {"title": issue.title, "region_slugs": ["lodzkie"],
                                    "item_ids": [three_regions["III.1"]]}, actor=None)
        with tenant_context(tenants["lodzkie"]):  # the same person twice: 1 person, 2 attendances
            services.save_support_entry(None, {"held_on": date(2019, 5, 1), "form": "advice", "topic": "Klauzule 2",
                                               "hours": 2, "rops_staff": "anna nowak"},
                                        [three_regions["III.1"]], actor=None)
        db.session.remove()
    client = login(app.test_client(), consultant)
    page = client.get(f"/kraj/porownanie/pozycja/{three_regions['III.1']}").get_data(as_text=True)
    # each region's row names its own operator's staff (Łódzkie: RCPS), never a generic "ROPS"
    lodzkie_row = page.split("łódzkie</a>")[1].split("</tr>")[0]
    assert "pracownicy RCPS: 3" in lodzkie_row and "A.2" in page and "informacja.pdf" in page
    assert "pracownicy ROPS:" not in page.split("łódzkie</a>")[1].split("</tr>")[0]
    pdf = client.get(f"/kraj/porownanie/pozycja/{three_regions['III.1']}/informacja.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    assert reader.trailer["/Root"]["/Lang"] == "pl" and "/StructTreeRoot" in reader.trailer["/Root"]
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "III.1" in text and "Stosowanie klauzul społecznych" in text
    ranked = text[text.index("Regiony według potrzeb"):]
    assert ranked.index("wielkopolskie") < ranked.index("łódzkie") < ranked.index("lubuskie")  # by need
    assert "A.2" in text and "Brak podpisanej diagnozy" in text
    assert "Opracowanie" in text and "Wygenerowano w systemie Sieć ES dnia 18 listopada 2026" in text
    assert text.count("Razem") == 1  # the total once, not at the foot of every page
    docx = client.get(f"/kraj/porownanie/pozycja/{three_regions['III.1']}/informacja.docx")
    document = Document(io.BytesIO(docx.data))
    assert document.core_properties.language == "pl-PL"
    table = document.tables[1]
    header = [c.text for c in table.rows[0].cells]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    staff = header.index("Osoby: pracownicy regionalnych ośrodków polityki społecznej")  # national: neutral
    assert rows["łódzkie"][staff] == "3" and rows["łódzkie"][header.index("Działania wsparcia")] == "2"
    assert any(p.text.startswith("A.2 ") for p in document.paragraphs)


def test_heatmap_gives_a_region_without_diagnosis_one_row(app, three_regions, people, login):
    client = login(app.test_client(), people["consultant"])
    body = client.get("/kraj/porownanie").get_data(as_text=True)
    assert body.count("Brak podpisanej diagnozy – nie ma jeszcze czego porównać.") == 13
    assert body.count('class="num heat heat-none"') <= 3 * 18  # only regions with a diagnosis have cells


def test_advocacy_issue_items_and_the_regions_page(app, tenants, template, people, login):
    from sqlalchemy import select

    from national.models import AdvocacyIssue
    from national.queries import issue_items, issues_for_item, issues_for_region

    with app.app_context():
        issue = db.session.scalar(select(AdvocacyIssue).where(AdvocacyIssue.code == "A.2"))
        # seeded from seed 003: A.2 (socially responsible procurement) concerns social clauses
        assert [code for _i, code, _t in issue_items([issue.id])[issue.id]] == ["III.1"]
        services.save_issue(issue, {"title": issue.title, "region_slugs": ["lodzkie"],
                                    "item_ids": [template["III.1"], template["III.2"]]}, actor=None)
        assert [i.code for i in issues_for_item(template["III.2"])] == ["A.2"]
        assert [i.code for i in issues_for_region("lodzkie")] == ["A.2"]
        with pytest.raises(services.DomainError):
            services.save_issue(issue, {"title": issue.title, "item_ids": [999999]}, actor=None)
        db.session.remove()
    coordinator = login(app.test_client(), people["coordinator_lodz"])
    page = coordinator.get("/lodzkie/diagnoza/").get_data(as_text=True)
    assert "Sprawy rzecznicze zgłoszone przez region" in page and "A.2" in page
    assert "/kraj/rzecznictwo/" not in page  # a coordinator has no national pages to link to
    other = login(app.test_client(), people["coordinator"])
    assert "A.2" not in other.get("/wielkopolskie/diagnoza/").get_data(as_text=True)


def test_support_target_group_is_named_after_the_regions_operator(app, people, login):
    """In a region the first target group is its operator's staff ("pracownicy RCPS" in
    Łódzkie, "pracownicy ROPS-u" where the operator is a ROPS); the national totals say
    "pracownicy regionalnych ośrodków polityki społecznej"."""
    lodz = login(app.test_client(), people["coordinator_lodz"])
    form = lodz.get("/lodzkie/diagnoza/wsparcie/nowy")
    assert form.status_code == 200
    body = form.get_data(as_text=True)
    assert "Uczestnicy: pracownicy RCPS" in body and "pracownicy ROPS" not in body
    wlkp = login(app.test_client(), people["coordinator"]).get("/wielkopolskie/diagnoza/wsparcie/nowy")
    assert "Uczestnicy: pracownicy ROPS-u" in wlkp.get_data(as_text=True)
    national = login(app.test_client(), people["consultant"]).get("/kraj/wsparcie").get_data(as_text=True)
    assert "pracownicy regionalnych ośrodków polityki społecznej" in national and "pracownicy ROPS" not in national


def test_operator_named_labels_follow_each_request(app, people, login):
    """Labels are translated once per locale and cached; one named after the region's operator
    is not: Łódzkie's "pracownicy RCPS" never reaches another region or the national pages."""
    lodz = login(app.test_client(), people["coordinator_lodz"])
    assert "pracownicy RCPS" in lodz.get("/lodzkie/diagnoza/wsparcie").get_data(as_text=True)
    national = login(app.test_client(), people["consultant"]).get("/kraj/wsparcie").get_data(as_text=True)
    assert "pracownicy regionalnych ośrodków polityki społecznej" in national and "RCPS" not in national
    wlkp = login(app.test_client(), people["coordinator"]).get("/wielkopolskie/diagnoza/wsparcie/nowy")
    assert "pracownicy RCPS" not in wlkp.get_data(as_text=True)


def test_briefing_lists_regions_without_a_diagnosis_in_polish_order(app, three_regions, people, login):
    """Ties of the ranking (regions without a diagnosis) in Polish alphabetical order:
    "śląskie, świętokrzyskie, warmińsko-mazurskie", never "…, zachodniopomorskie, świętokrzyskie"."""
    from docx import Document
    from sqlalchemy import select

    from coordination.collation import sorted_pl
    from national.models import AdvocacyIssue

    with app.app_context():
        issue = db.session.scalar(select(AdvocacyIssue).where(AdvocacyIssue.code == "A.2"))
        services.save_issue(issue, {"title": issue.title, "item_ids": [three_regions["III.1"]],
                                    "region_slugs": ["lodzkie", "lubelskie", "swietokrzyskie"]},
                            actor=None)
        db.session.remove()
    client = login(app.test_client(), people["consultant"])
    docx = client.get(f"/kraj/porownanie/pozycja/{three_regions['III.1']}/informacja.docx")
    document = Document(io.BytesIO(docx.data))
    assert any(p.text.startswith("A.2 ") and p.text.endswith("lubelskie, łódzkie, świętokrzyskie")
               for p in document.paragraphs)
    pdf = client.get(f"/kraj/porownanie/pozycja/{three_regions['III.1']}/informacja.pdf")
    assert pdf.status_code == 200
    table = document.tables[1]
    suffix = " (brak podpisanej diagnozy)"
    names = [r.cells[0].text[:-len(suffix)] for r in table.rows[1:] if r.cells[0].text.endswith(suffix)]
    assert len(names) == 13 and names == sorted_pl(names)
    assert names.index("świętokrzyskie") < names.index("warmińsko-mazurskie") < names.index("zachodniopomorskie")
    with app.app_context():
        ties = [row["tenant"].name for row in cq.item_regions(three_regions["III.1"]) if not row["diagnosis"]]
    assert ties == names


HX = {"HX-Request": "true"}


def test_priority_filter_tells_hidden_ratings_from_missing_ones(app, three_regions, people, login):
    """With a priority filter, a rating of another priority is a "·" cell read as "inny
    priorytet", not "brak danych"; the legend says so and that the median ignores the filter
    (its value is the same as without the filter)."""
    client = login(app.test_client(), people["consultant"])
    for headers in ({}, HX):
        body = client.get("/kraj/porownanie?priorytet=H", headers=headers).get_data(as_text=True)
        assert ("<html" in body) is not bool(headers)
        assert "Mediana krajowa obejmuje wszystkie oceny, bez względu na priorytet." in body
        assert "Kropka (·) oznacza, że region ocenił pozycję, ale nadał jej inny priorytet" in body
        rows = {name: body.split(f">{name}</a></th>")[1].split("</tr>")[0]
                for name in ("wielkopolskie", "łódzkie", "lubuskie")}
        # columns I.1, III.1: wielkopolskie rated I.1 "M" (hidden), III.1 "H" (shown)
        assert rows["wielkopolskie"].count("inny priorytet") == 1 and "brak danych" not in rows["wielkopolskie"]
        assert "<span class=\"sr-only\">inny priorytet</span>" in rows["łódzkie"]
        # lubuskie did not rate III.1 at all: that stays "no data"
        assert rows["lubuskie"].count("brak danych") == 1 and "inny priorytet" not in rows["lubuskie"]
        # I.1 over all three regions' needs 1, 2, 3 (with the filter alone it would be 3);
        # III.1 over 3 and 2
        medians = re.findall(r'<td class="num median">([^<]*)</td>', body.split("<tfoot>")[1])
        assert medians == ["2", "2,5"]
    unfiltered = client.get("/kraj/porownanie").get_data(as_text=True)
    assert "inny priorytet" not in unfiltered and "Mediana krajowa obejmuje" not in unfiltered


def test_unknown_area_means_all_areas(app, three_regions, people, login):
    client = login(app.test_client(), people["consultant"])
    everything = client.get("/kraj/porownanie").get_data(as_text=True)
    for headers in ({}, HX):
        body = client.get("/kraj/porownanie?obszar=zz&priorytet=X", headers=headers).get_data(as_text=True)
        assert "Żadna pozycja nie spełnia filtrów" not in body
        assert 'option value="zz"' not in body and " selected>" not in body.split('id="f-obszar"')[1].split("</select>")[0]
        assert body.split("<thead>")[1].split("</thead>")[0] == everything.split("<thead>")[1].split("</thead>")[0]
        assert 'href="/kraj/porownanie.xlsx?obszar=&amp;priorytet="' in body
    sheets = _sheets(client.get("/kraj/porownanie.xlsx?obszar=zz").data)
    assert sheets == _sheets(client.get("/kraj/porownanie.xlsx").data)
    assert "III.1" in sheets["Potrzeba"][0] and "I.1" in sheets["Potrzeba"][0]


def test_survey_section_names_its_year_and_keeps_the_modules_order(app, tenants, people, login, monkeypatch):
    """The survey section passes the module's latest year to its query, names that year and
    shows the codes in the order the module names them (OWES codes stay sorted by code)."""
    asked = []
    fake_surveys = types.ModuleType("surveys.queries")
    fake_surveys.latest_scored_year = lambda: 2025
    fake_surveys.region_dimension_scores = lambda year=None: asked.append(year) or {
        tenants["lodzkie"]: {"ZZ": (4.25, 12), "AA": None}}
    fake_surveys.dimension_names = lambda: {"ZZ": "Pierwszy wymiar", "AA": "Drugi wymiar"}
    fake_owes = types.ModuleType("owes.queries")
    fake_owes.region_indicator_achievement = lambda: {tenants["lodzkie"]: {"RES-02": 10.0, "RES-01": 87.5}}
    fake_owes.indicator_names = lambda: {"RES-02": "Drugi", "RES-01": "Pierwszy"}
    monkeypatch.setitem(sys.modules, "surveys.queries", fake_surveys)
    monkeypatch.setitem(sys.modules, "owes.queries", fake_owes)
    client = login(app.test_client(), people["consultant"])
    body = client.get("/kraj/porownanie/ankiety", headers=HX).get_data(as_text=True)
    assert asked == [2025] and "<html" not in body
    assert "Wyniki ankiet zamkniętych za rok 2025" in body and "wymiarze ankiety za rok 2025" in body
    assert body.index("Pierwszy wymiar") < body.index("Drugi wymiar")
    lodzkie = body.split('<th scope="row">łódzkie</th>')[1].split("</tr>")[0]
    assert '<span class="suppressed">za mało odpowiedzi</span>' in lodzkie and "–" not in lodzkie
    assert "Brak zamkniętej ankiety za rok 2025." in body.split('<th scope="row">lubuskie</th>')[1].split("</tr>")[0]
    owes = client.get("/kraj/porownanie/owes").get_data(as_text=True)
    assert owes.index("<dt>RES-01</dt>") < owes.index("<dt>RES-02</dt>")
