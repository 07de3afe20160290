"""Views: pages with and without htmx, 422 re-renders, region isolation, consultant notes, exports."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from coordination.extensions import db
from coordination.tenancy import tenant_context
from national import services
from national.models import AdvocacyIssue, Diagnosis, DiagnosisItem, SupportEntry
from tests.national.conftest import fill, full_rating, user

HX = {"HX-Request": "true"}


@pytest.fixture
def draft(app, tenants, template, people):
    """A draft in wielkopolskie with a hidden consultant note on III.1; returns its id."""
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        d = services.start_diagnosis(actor=user(people["consultant"]))
        services.save_rating(d, template["III.1"], full_rating(
            need=3, evidence="Brak klauzul", consultant_notes="POUFNA-NOTATKA"),
            actor=user(people["consultant"]), consultant=True)
        did = d.id
        db.session.remove()
    return did


class Client:
    """A logged-in test client whose POSTs carry the session's CSRF token (as htmx does)."""

    def __init__(self, client):
        self.c = client
        page = client.get("/").get_data(as_text=True)
        self.token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)

    def get(self, *a, **kw):
        return self.c.get(*a, **kw)

    def post(self, url, data=None, headers=None):
        return self.c.post(url, data={**(data or {}), "csrf_token": self.token}, headers=headers or {})


def _client(app, login, uid):
    return Client(login(app.test_client(), uid))


def test_region_pages_full_and_partial(app, login, people, draft, template):
    c = _client(app, login, people["coordinator"])
    full = c.get("/wielkopolskie/diagnoza/")
    assert full.status_code == 200 and "<html" in full.get_data(as_text=True)
    assert "Kontynuuj wersję roboczą" in full.get_data(as_text=True)
    part = c.get("/wielkopolskie/diagnoza/", headers=HX)
    assert part.status_code == 200 and "<html" not in part.get_data(as_text=True)
    assert "HX-Request" in part.headers.get("Vary", "")
    detail = c.get(f"/wielkopolskie/diagnoza/{draft}").get_data(as_text=True)
    assert "Brak klauzul" in detail and 'scope="row"' in detail and "<caption>" in detail


def test_coordinator_never_sees_another_region(app, login, people, draft):
    c = _client(app, login, people["coordinator_lodz"])
    assert c.get(f"/wielkopolskie/diagnoza/{draft}").status_code == 404
    assert c.get(f"/lodzkie/diagnoza/{draft}").status_code == 404
    assert c.get("/wielkopolskie/diagnoza/wsparcie").status_code == 404
    assert c.get("/kraj/porownanie").status_code == 404
    member = _client(app, login, people["member"])
    assert member.get("/wielkopolskie/diagnoza/").status_code == 403
    assert member.get(f"/wielkopolskie/diagnoza/{draft}").status_code == 403


def test_consultant_notes_hidden_until_released(app, login, people, draft, template):
    coord = _client(app, login, people["coordinator"])
    url = f"/wielkopolskie/diagnoza/{draft}"
    assert "POUFNA-NOTATKA" not in coord.get(url).get_data(as_text=True)
    rate_url = f"{url}/pozycja/{template['III.1']}"
    form = coord.get(rate_url).get_data(as_text=True)
    assert "POUFNA-NOTATKA" not in form and "consultant_notes" not in form
    assert "POUFNA-NOTATKA" not in coord.get(f"{rate_url}/historia").get_data(as_text=True)
    doc = Document(io.BytesIO(coord.get(f"{url}/raport.docx").data))
    assert "POUFNA-NOTATKA" not in str([c.text for t in doc.tables for r in t.rows for c in r.cells])
    xlsx = coord.get(f"{url}/diagnoza.xlsx").data
    wb = CalamineWorkbook.from_filelike(io.BytesIO(xlsx))
    assert "POUFNA-NOTATKA" not in str(wb.get_sheet_by_name(wb.sheet_names[0]).to_python())
    consultant = _client(app, login, people["consultant"])
    assert "POUFNA-NOTATKA" in consultant.get(url).get_data(as_text=True)
    resp = consultant.post(rate_url, data={"state": "1", "need": "3", "priority": "H", "evidence": "Brak klauzul",
                                           "consultant_notes": "POUFNA-NOTATKA",
                                           "consultant_notes_released": "y"}, headers=HX)
    assert resp.status_code == 204 and resp.headers["HX-Redirect"].startswith(url)
    assert "POUFNA-NOTATKA" in coord.get(url).get_data(as_text=True)


def test_coordinator_co_edits_own_region(app, login, people, draft, template):
    c = _client(app, login, people["coordinator"])
    url = f"/wielkopolskie/diagnoza/{draft}/pozycja/{template['I.1']}"
    resp = c.post(url, data={"state": "2", "need": "2", "priority": "M", "evidence": "Rozmowy",
                             "support_forms": ["advice", "workshop"], "target_groups": ["planners"],
                             "consultant_notes": "próba podmiany"})
    assert resp.status_code == 303
    body = c.get(f"/wielkopolskie/diagnoza/{draft}").get_data(as_text=True)
    assert "Rozmowy" in body and "warsztat" in body and "próba podmiany" not in body


@pytest.mark.parametrize("hx", [False, True])
def test_invalid_rating_is_422_and_keeps_input(app, login, people, draft, template, hx):
    c = _client(app, login, people["consultant"])
    url = f"/wielkopolskie/diagnoza/{draft}/pozycja/{template['I.1']}"
    resp = c.post(url, data={"state": "9", "need": "2", "evidence": "Zachowany tekst"}, headers=HX if hx else {})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Zachowany tekst" in body and 'aria-invalid="true"' in body
    assert ("<html" in body) is (not hx)


def test_sign_off_through_the_views(app, login, people, tenants, draft, template):
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        fill(db.session.get(Diagnosis, draft), user(people["consultant"]))
        db.session.remove()
    consultant = _client(app, login, people["consultant"])
    url = f"/wielkopolskie/diagnoza/{draft}/podpis"
    page = consultant.get(url).get_data(as_text=True)
    assert "Konsultant krajowy (SIRES)" in page and "Koordynator regionu" not in page
    assert consultant.post(url, data={}, headers=HX).status_code == 422  # no role chosen
    assert consultant.post(url, data={"role": "coordinator"}).status_code == 422  # not theirs
    resp = consultant.post(url, data={"role": "consultant"}, headers=HX)
    assert resp.status_code == 204
    coord = _client(app, login, people["coordinator"])
    assert coord.post(url, data={"role": "coordinator"}).status_code == 303
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        assert db.session.get(Diagnosis, draft).status == "signed"
        db.session.remove()
    # signed: no more sign-off or discard, the rate page redirects to the history
    assert coord.get(url).status_code == 403
    assert coord.post(f"/wielkopolskie/diagnoza/{draft}/odrzuc", data={}).status_code == 403
    resp = coord.get(f"/wielkopolskie/diagnoza/{draft}/pozycja/{template['I.1']}")
    assert resp.status_code == 303 and "/historia" in resp.headers["Location"]


def test_start_update_requires_reason(app, login, people, tenants, template):
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        d = services.start_diagnosis(actor=user(people["consultant"]))
        fill(d, user(people["consultant"]))
        services.sign(d, "consultant", actor=user(people["consultant"]))
        services.sign(d, "coordinator", actor=user(people["coordinator"]))
        db.session.remove()
    c = _client(app, login, people["coordinator"])
    resp = c.post("/wielkopolskie/diagnoza/nowa", data={"reason": ""}, headers=HX)
    assert resp.status_code == 422 and "Prosimy podać powód aktualizacji." in resp.get_data(as_text=True)
    resp = c.post("/wielkopolskie/diagnoza/nowa", data={"reason": "Nowy RPRES"})
    assert resp.status_code == 303
    assert c.get(resp.headers["Location"]).status_code == 200


def test_discard_needs_confirmation(app, login, people, draft, tenants):
    c = _client(app, login, people["coordinator"])
    url = f"/wielkopolskie/diagnoza/{draft}/odrzuc"
    assert "Czy na pewno" in c.get(url).get_data(as_text=True)
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        assert db.session.get(Diagnosis, draft) is not None
    assert c.post(url, data={}, headers=HX).headers["HX-Redirect"].endswith("/wielkopolskie/diagnoza/")
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        assert db.session.get(Diagnosis, draft) is None


def test_support_log_views(app, login, people, tenants, template):
    c = _client(app, login, people["coordinator"])
    empty = c.get("/wielkopolskie/diagnoza/wsparcie").get_data(as_text=True)
    assert "Nie zapisano jeszcze wsparcia" in empty
    bad = c.post("/wielkopolskie/diagnoza/wsparcie/nowy", data={"held_on": "jutro", "form": "workshop",
                                                                "topic": "Klauzule", "hours": "-1",
                                                                "rops_staff": "1", "committee_members": "0",
                                                                "planners": "0"}, headers=HX)
    assert bad.status_code == 422
    body = bad.get_data(as_text=True)
    assert "Prosimy wpisać liczbę godzin od 0 do 1000." in body and 'value="Klauzule"' in body
    ok = c.post("/wielkopolskie/diagnoza/wsparcie/nowy", data={
        "held_on": "2019-05-06", "form": "workshop", "topic": "Klauzule", "hours": "6",
        "rops_staff": "Anna Nowak\nJan Mazur\nEwa Król\nPiotr Baran",
        "committee_members": "Ewa Sikora", "planners": "", "item_ids": [str(template["III.1"])]})
    assert ok.status_code == 303
    listing = c.get("/wielkopolskie/diagnoza/wsparcie").get_data(as_text=True)
    assert "Klauzule" in listing and "III.1" in listing and "4 / 60" in listing
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        entry_id = db.session.scalar(select(SupportEntry.id))
    other = _client(app, login, people["coordinator_lodz"])
    assert other.get(f"/lodzkie/diagnoza/wsparcie/{entry_id}").status_code == 404
    delete = f"/wielkopolskie/diagnoza/wsparcie/{entry_id}/usun"
    assert "Czy na pewno" in c.get(delete).get_data(as_text=True)
    assert c.post(delete, data={}).status_code == 303
    assert "Nie zapisano jeszcze wsparcia" in c.get("/wielkopolskie/diagnoza/wsparcie").get_data(as_text=True)


def test_national_pages_and_empty_states(app, login, people, template):
    c = _client(app, login, people["consultant"])
    body = c.get("/kraj/porownanie").get_data(as_text=True)
    assert "Żaden region nie ma jeszcze podpisanej diagnozy" in body
    assert c.get("/kraj/porownanie", headers=HX).get_data(as_text=True).count("<html") == 0
    assert "Prosimy wybrać regiony powyżej" in c.get("/kraj/porownanie/profile").get_data(as_text=True)
    assert "III.1" in c.get("/kraj/szablon").get_data(as_text=True)
    assert c.get("/kraj/wsparcie").status_code == 200
    bad = c.post("/kraj/szablon/nowa", data={"area": "III", "code": "IV.7", "title": "X"}, headers=HX)
    assert bad.status_code == 422 and "Kod musi składać się" in bad.get_data(as_text=True)
    assert c.post("/kraj/szablon/nowa", data={"area": "III", "code": "III.5", "title": "Nowa"}).status_code == 303
    item_id = template["III.1"]
    assert c.post(f"/kraj/szablon/{item_id}", data={"title": ""}, headers=HX).status_code == 422
    assert c.post(f"/kraj/szablon/{item_id}", data={"title": "Klauzule", "active": "y"}).status_code == 303
    with app.app_context():
        assert db.session.get(DiagnosisItem, item_id).title == "Klauzule"
        issue_id = db.session.scalar(select(AdvocacyIssue.id).where(AdvocacyIssue.code == "A.2"))
    url = f"/kraj/rzecznictwo/{issue_id}"
    assert "Nie zapisano jeszcze żadnych kroków." in c.get(url).get_data(as_text=True)
    bad = c.post(f"{url}/krok", data={"taken_on": "", "description": ""}, headers=HX)
    assert bad.status_code == 422
    skip = c.post(f"{url}/krok", data={"taken_on": "2019-02-01", "description": "Skok",
                                       "new_status": "resolved"})
    assert skip.status_code == 422
    ok = c.post(f"{url}/krok", data={"taken_on": "2019-02-01", "description": "Wysłano do UZP",
                                     "new_status": "submitted"}, headers=HX)
    assert ok.status_code == 204
    page = c.get(url).get_data(as_text=True)
    assert "Wysłano do UZP" in page and 'aria-current="step"' in page
    assert c.post(f"{url}/edycja", data={"title": "A2", "region_slugs": ["lodzkie"]}).status_code == 303
    assert "łódzkie" in c.get("/kraj/rzecznictwo").get_data(as_text=True)
    coord = _client(app, login, people["coordinator"])
    assert coord.post(f"{url}/krok", data={"taken_on": "2019-02-01", "description": "x"}).status_code == 404


def test_region_report_exports(app, login, people, draft, tenants):
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        fill(db.session.get(Diagnosis, draft), user(people["consultant"]))
        db.session.remove()
    c = _client(app, login, people["coordinator"])
    base = f"/wielkopolskie/diagnoza/{draft}"
    xlsx = c.get(f"{base}/diagnoza.xlsx")
    assert xlsx.status_code == 200 and "diagnoza-wielkopolskie-v1.xlsx" in xlsx.headers["Content-Disposition"]
    wb = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.data))
    rows = wb.get_sheet_by_name("Diagnoza").to_python()
    assert rows[0][:4] == ["Kod", "Pozycja", "Stan (1–5)", "Potrzeba (0–3)"]
    assert len(rows) == 1 + 18 and rows[10][0] == "III.1"
    pdf = c.get(f"{base}/raport.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    docx = c.get(f"{base}/raport.docx")
    doc = Document(io.BytesIO(docx.data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Diagnoza potrzeb doradczych: wielkopolskie" in text
    cells = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    assert any(c.startswith("III.1 ") for c in cells)


def test_profiles_say_which_regions_beyond_the_limit_were_left_out(app, login, people, template):
    c = _client(app, login, people["consultant"])
    slugs = ["wielkopolskie", "lodzkie", "mazowieckie", "opolskie", "slaskie"]
    page = c.get("/kraj/porownanie/profile?" + "&".join(f"r={s}" for s in slugs))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Jednocześnie można porównać najwyżej 4 regiony. Pominięto: śląskie." in html
    # what was ticked stays ticked, the fifth too
    for s in slugs:
        assert re.search(rf'value="{s}" checked', html), s
    assert html.count('<th scope="col">') == 5  # the item column and four regions
    four = c.get("/kraj/porownanie/profile?" + "&".join(f"r={s}" for s in slugs[:4]))
    assert "Pominięto" not in four.get_data(as_text=True)
