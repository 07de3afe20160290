"""View tests: pages with and without htmx, 422 on bad input, the permission matrix of OWES
users, constant query counts of progress pages, documents, and the consultation lifecycle."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import docx
import pypdf
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from coordination import clock
from coordination.auth.models import User
from coordination.extensions import db
from coordination.notifications import services as notify
from coordination.tenancy import tenant_context
from owes.models import (
    ActionPlan,
    ConsultationComment,
    ConsultationRound,
    Indicator,
    Owes,
    ReportedValue,
    Study,
    StudyDocument,
)
from owes.services import evaluation, plans, registry
from tests.owes.conftest import HEADER, REGION, client_for, xlsx

HX = {"HX-Request": "true"}
BASE = f"/{REGION}/owes"
pytestmark = pytest.mark.usefixtures("csrf_off")


def _value(app, world, code="AL-09", period="2018", status="submitted", value=5):
    with app.app_context(), tenant_context(world.tenant_id):
        ind = db.session.scalar(select(Indicator).where(Indicator.code == code))
        row = ReportedValue(owes_id=world.owes_id, indicator_id=ind.id, period=period,
                            year=int(period[:4]), value=Decimal(value), status=status)
        db.session.add(row)
        db.session.commit()
        rid = row.id
        db.session.remove()
    return rid


def test_registry_pages_full_and_partial(app, login, world):
    c = client_for(app, login, world, "member")
    full = c.get(f"{BASE}/")
    assert full.status_code == 200 and "<html" in full.get_data(as_text=True)
    assert "OWES Pierwszy" in full.get_data(as_text=True)
    part = c.get(f"{BASE}/", headers=HX)
    body = part.get_data(as_text=True)
    assert part.status_code == 200 and "<html" not in body and "OWES Pierwszy" in body
    assert "HX-Request" in part.headers.get("Vary", "")


def test_empty_states(app, login, tenants, make_user):
    uid = make_user("k2@example.org", "coordinator", "opolskie")
    c = app.test_client()
    login(c, uid)
    for path, text in (("/", "nie zarejestrowano jeszcze żadnego OWES"), ("/postep", "nie zarejestrowano jeszcze żadnego OWES"),
                       ("/ewaluacje", "Brak badań ewaluacyjnych"), ("/rekomendacje", "Brak otwartych rekomendacji"),
                       ("/do-weryfikacji", "Nic nie czeka")):
        r = c.get(f"/opolskie/owes{path}")
        assert r.status_code == 200 and text in r.get_data(as_text=True), path


def test_create_owes_422_then_htmx_redirect(app, login, world):
    c = client_for(app, login, world, "coordinator")
    r = c.post(f"{BASE}/nowy", data={"name": "", "accredited_from": "2025-01-01",
                                      "accredited_to": "2024-01-01"}, headers=HX)
    assert r.status_code == 422 and "Prosimy wpisać nazwę." in r.get_data(as_text=True)
    r = c.post(f"{BASE}/nowy", data={"name": "OWES Trzeci", "accredited_from": "2025-01-01",
                                      "accredited_to": "2024-01-01"})
    assert r.status_code == 422 and "nie może kończyć się przed rozpoczęciem" in r.get_data(as_text=True)
    r = c.post(f"{BASE}/nowy", data={"name": "OWES Trzeci", "subregion": "kaliski, ostrowski",
                                      "accredited_to": (clock.today() + timedelta(days=30)).isoformat()},
               headers=HX)
    assert r.status_code == 204 and "/owes/" in r.headers["HX-Redirect"]
    page = c.get(f"{BASE}/").get_data(as_text=True)
    assert "OWES Trzeci" in page and "wygasa w ciągu 90 dni" in page
    r = c.post(f"{BASE}/nowy", data={"name": "OWES Czwarty"})
    assert r.status_code == 303


@pytest.mark.parametrize("role, own, other", [
    ("owes", 200, 403), ("other_owes", 403, 200), ("coordinator", 200, 200),
    ("member", 403, 403), ("national", 403, 403)])
def test_owes_user_edits_only_their_owes(app, login, world, role, own, other):
    c = client_for(app, login, world, role)
    assert c.get(f"{BASE}/{world.owes_id}/edycja").status_code == own
    assert c.get(f"{BASE}/{world.other_owes_id}/edycja").status_code == other
    assert c.get(f"{BASE}/{world.owes_id}/plany/{world.plan_id}/wartosci/nowa").status_code == own
    r = c.post(f"{BASE}/{world.owes_id}/edycja", data={"name": "Zmieniona nazwa"})
    assert r.status_code == (303 if own == 200 else 403)
    assert c.get(f"{BASE}/{world.owes_id}").status_code == 200  # everyone in the region reads


def test_owes_user_cannot_verify_or_manage(app, login, world):
    rid = _value(app, world)
    c = client_for(app, login, world, "owes")
    assert c.get(f"{BASE}/{world.owes_id}/wartosci/{rid}/weryfikacja").status_code == 403
    assert c.post(f"{BASE}/{world.owes_id}/wartosci/{rid}/weryfikacja", data={"verify": "1"}).status_code == 403
    assert c.get(f"{BASE}/nowy").status_code == 403
    assert c.get(f"{BASE}/do-weryfikacji").status_code == 403
    assert c.get(f"{BASE}/{world.owes_id}/usun").status_code == 403


def test_report_submit_verify_return_through_views(app, login, world, smtp):
    owes_c = client_for(app, login, world, "owes")
    with app.app_context():
        al09 = db.session.scalar(select(Indicator.id).where(Indicator.code == "AL-09"))
    url = f"{BASE}/{world.owes_id}/plany/{world.plan_id}/wartosci/nowa"
    bad = owes_c.post(url, data={"indicator_id": al09, "period": "2018", "value": "-2"}, headers=HX)
    assert bad.status_code == 422 and "nie może być ujemna" in bad.get_data(as_text=True)
    bad = owes_c.post(url, data={"indicator_id": al09, "period": "2018", "value": "abc"})
    assert bad.status_code == 422 and "Prosimy wpisać liczbę" in bad.get_data(as_text=True)
    ok = owes_c.post(url, data={"indicator_id": al09, "period": "2018", "value": "12,5",
                                "evidence": "listy"}, headers=HX)
    assert ok.status_code == 204
    submit = owes_c.post(f"{BASE}/{world.owes_id}/plany/{world.plan_id}/przekaz", headers=HX)
    assert submit.status_code == 204
    with app.app_context(), tenant_context(world.tenant_id):
        row = db.session.scalar(select(ReportedValue))
        assert (row.value, row.status) == (Decimal("12.5"), "submitted")
        rid = row.id
    coord = client_for(app, login, world, "coordinator")
    queue = coord.get(f"{BASE}/do-weryfikacji").get_data(as_text=True)
    assert "OWES Pierwszy" in queue and "AL-09" in queue
    review = f"{BASE}/{world.owes_id}/wartosci/{rid}/weryfikacja"
    r = coord.post(review, data={"send_back": "1", "comment": ""}, headers=HX)
    assert r.status_code == 422 and "Prosimy napisać, co trzeba poprawić" in r.get_data(as_text=True)
    r = coord.post(review, data={"send_back": "1", "comment": "Popraw"}, headers=HX)
    assert r.status_code == 204
    page = owes_c.get(f"{BASE}/{world.owes_id}/wartosci/{rid}").get_data(as_text=True)
    assert "Popraw" in page
    owes_c.post(f"{BASE}/{world.owes_id}/plany/{world.plan_id}/przekaz")
    r = coord.post(review, data={"verify": "1"})
    assert r.status_code == 303
    locked = owes_c.get(f"{BASE}/{world.owes_id}/wartosci/{rid}")
    assert locked.status_code == 200 and "zablokowana" in locked.get_data(as_text=True)
    r = owes_c.post(f"{BASE}/{world.owes_id}/wartosci/{rid}", data={"indicator_id": al09, "period": "2018", "value": "1"})
    assert r.status_code == 200  # the locked page; nothing changed
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.get(ReportedValue, rid).value == Decimal("12.5")
    reopen = f"{BASE}/{world.owes_id}/wartosci/{rid}/otworz"
    assert coord.post(reopen, data={"reason": ""}, headers=HX).status_code == 422
    assert coord.post(reopen, data={"reason": "Korekta"}, headers=HX).status_code == 204


def test_import_through_views(app, login, world):
    c = client_for(app, login, world, "owes")
    url = f"{BASE}/{world.owes_id}/plany/{world.plan_id}/import"
    assert c.get(url).status_code == 200
    bad = xlsx([HEADER, ["RES-01", "", "", None, "dużo"]])
    r = c.post(url, data={"file": (io.BytesIO(bad), "zly.xlsx")}, headers=HX,
               content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "Nic nie zaimportowano" in body and "<td>E</td>" in body
    r = c.post(url, data={}, content_type="multipart/form-data")
    assert r.status_code == 422 and "Prosimy wybrać plik." in r.get_data(as_text=True)
    with_target = xlsx([HEADER, ["RES-01", "", "", 114, 10, 20]])
    r = c.post(url, data={"file": (io.BytesIO(with_target), "cel.xlsx")}, headers=HX,
               content_type="multipart/form-data")
    body = r.get_data(as_text=True)  # targets are the coordinator's: the representative proposes
    assert r.status_code == 422 and "cele ustala koordynator" in body and "RES-01" in body
    good = xlsx([HEADER, ["RES-01", "", "", None, 10, 20]])
    r = c.post(url, data={"file": (io.BytesIO(good), "dobry.xlsx")}, headers=HX,
               content_type="multipart/form-data")
    assert r.status_code == 204
    preview_url = r.headers["HX-Redirect"]
    preview = c.get(preview_url).get_data(as_text=True)
    assert "nowe – 2" in preview and "RES-01" in preview
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.scalar(select(db.func.count(ReportedValue.id))) == 0
    assert c.post(preview_url, data={"confirm": "1"}).status_code == 303
    assert c.get(preview_url).status_code == 404  # a preview is used once
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.scalar(select(db.func.count(ReportedValue.id))) == 2
    export = c.get(f"{BASE}/{world.owes_id}/plany/{world.plan_id}/eksport.xlsx")
    assert export.status_code == 200 and export.mimetype.endswith("spreadsheetml.sheet")
    template = c.get(f"{BASE}/{world.owes_id}/plany/{world.plan_id}/szablon.xlsx")
    for download in (export, template):  # personal files: never stored by a browser or proxy
        assert "no-store" in download.headers["Cache-Control"], download.headers["Cache-Control"]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.data)).get_sheet_by_index(0).to_python()
    assert next(r for r in rows if r[0] == "RES-01")[4:6] == [10, 20]
    # the other OWES's user cannot open this OWES's preview or import
    other = client_for(app, login, world, "other_owes")
    assert other.get(url).status_code == 403


def test_oversized_plan_import_and_evidence_are_refused(app, login, world):
    c = client_for(app, login, world, "owes")
    url = f"{BASE}/{world.owes_id}/plany/{world.plan_id}/import"
    # over the import's own 10 MB limit, under the request limit: a form error, read while streaming
    big = b"PK\x03\x04" + b"0" * (10 * 2**20 + 10)
    r = c.post(url, data={"file": (io.BytesIO(big), "duzy.xlsx")}, content_type="multipart/form-data")
    assert r.status_code == 422 and "Plik jest większy niż 10 MB." in r.get_data(as_text=True)
    # over the request limit: 413 with a Polish page, before the body is read
    app.config["MAX_CONTENT_LENGTH"], saved = 2**20, app.config["MAX_CONTENT_LENGTH"]
    try:
        huge = b"PK\x03\x04" + b"0" * (2 * 2**20)
        r = c.post(url, data={"file": (io.BytesIO(huge), "duzy.xlsx")}, content_type="multipart/form-data")
        assert r.status_code == 413 and "Plik jest za duży" in r.get_data(as_text=True)
        evidence = f"{BASE}/{world.owes_id}/plany/{world.plan_id}/wartosci/nowa"
        r = c.post(evidence, data={"evidence_file": (io.BytesIO(huge), "dowod.pdf")},
                   content_type="multipart/form-data")
        assert r.status_code == 413
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved


def _grow(app, world, n_owes: int, n_targets: int):
    """Add OWES with plans, targets and verified values to the world's region."""
    with app.app_context(), tenant_context(world.tenant_id):
        inds = db.session.scalars(select(Indicator).order_by(Indicator.position)).all()[:n_targets]
        for k in range(n_owes):
            owes = registry.save_owes(None, {"name": f"OWES {k:03d}"}, actor=None)
            plan = plans.save_plan(owes, None, {"title": "P", "start_year": 2018, "end_year": 2021},
                                   actor=None)
            for ind in inds:
                plans.set_target(plan, ind, "absolute", Decimal(10), actor=None, commit=False)
                db.session.add(ReportedValue(owes_id=owes.id, indicator_id=ind.id, period="2018",
                                             year=2018, value=Decimal(3), status="verified"))
            db.session.commit()
        db.session.remove()


def test_progress_pages_query_count_is_constant(app, login, world, count_queries):
    c = client_for(app, login, world, "coordinator")
    pages = [f"{BASE}/postep?as_of=2019-12-31", f"{BASE}/{world.owes_id}/plany/{world.plan_id}",
             "/kraj/owes/"]
    national = client_for(app, login, world, "national")
    _grow(app, world, 2, 2)

    def measure():
        out = []
        for path in pages:
            client = national if path.startswith("/kraj") else c
            with count_queries() as n:
                assert client.get(path).status_code == 200
            out.append(n.count)
        return out

    small = measure()
    _grow(app, world, 20, 20)
    with app.app_context(), tenant_context(world.tenant_id):
        plan = db.session.get(ActionPlan, world.plan_id)
        for ind in db.session.scalars(select(Indicator).limit(20)):
            plans.set_target(plan, ind, "absolute", Decimal(5), actor=None, commit=False)
        db.session.commit()
    large = measure()
    assert large == small, (small, large)
    body = c.get(f"{BASE}/postep?as_of=2019-12-31").get_data(as_text=True)
    # OWES are columns: at most 8 side by side per page, the rest on the next pages
    assert "OWES 000" in body and "OWES 008" not in body and "opóźnienie" in body
    assert "page=2" in body
    body = c.get(f"{BASE}/postep?as_of=2019-12-31&page=3").get_data(as_text=True)
    assert "OWES 019" in body and "OWES 000" not in body


def test_plan_page_shows_svg_and_table(app, login, world):
    _grow(app, world, 0, 0)
    with app.app_context(), tenant_context(world.tenant_id):
        plan = db.session.get(ActionPlan, world.plan_id)
        ind = db.session.scalar(select(Indicator).where(Indicator.code == "RES-01"))
        plans.set_target(plan, ind, "absolute", Decimal(100), actor=None)
    _value(app, world, "RES-01", "2018", "verified", 20)
    body = client_for(app, login, world, "member").get(
        f"{BASE}/{world.owes_id}/plany/{world.plan_id}?as_of=2019-12-31").get_data(as_text=True)
    assert "<svg" in body and 'role="img"' in body and "<table>" in body
    assert "opóźnienie" in body


def test_document_upload_checks_and_download(app, login, world):
    c = client_for(app, login, world, "coordinator")
    r = c.post(f"{BASE}/ewaluacje/nowe", data={"title": "Ewaluacja", "kind": "midterm",
                                               "owes_id": "0", "evaluator": "E"})
    assert r.status_code == 422 and "Prosimy wybrać oceniany OWES" in r.get_data(as_text=True)
    r = c.post(f"{BASE}/ewaluacje/nowe", data={"title": "Ewaluacja", "kind": "midterm",
                                               "owes_id": str(world.owes_id), "evaluator": "E",
                                               "criteria": ["relevance", "utility"]})
    assert r.status_code == 303
    with app.app_context(), tenant_context(world.tenant_id):
        study_id = db.session.scalar(select(Study.id))
    url = f"{BASE}/ewaluacje/{study_id}/dokumenty"
    for name, data, msg in (("a.exe", b"MZ...", "Przyjmujemy tylko pliki PDF"), ("a.pdf", b"<html>", "nie pasuje do rozszerzenia"),
                            ("a.pdf", b"", "Plik jest pusty")):
        r = c.post(url, data={"kind": "draft", "file": (io.BytesIO(data), name)},
                   content_type="multipart/form-data")
        assert r.status_code == 422 and msg in r.get_data(as_text=True), name
    for _v in range(2):
        r = c.post(url, data={"kind": "draft", "file": (io.BytesIO(b"%PDF-1.4 x"), "../raport zółć v1.pdf")},
                   content_type="multipart/form-data")
        assert r.status_code == 303, r.get_data(as_text=True)[-3000:]
    with app.app_context(), tenant_context(world.tenant_id):
        docs = db.session.scalars(select(StudyDocument).order_by(StudyDocument.version)).all()
        assert [d.version for d in docs] == [1, 2] and docs[0].filename == "raport zółć v1.pdf"
        doc_id = docs[1].id
    r = client_for(app, login, world, "member").get(f"{BASE}/ewaluacje/dokumenty/{doc_id}")
    assert r.status_code == 200 and r.data == b"%PDF-1.4 x" and r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"].startswith("attachment")


def test_consultation_lifecycle_and_report(app, login, world, smtp):
    with app.test_request_context(), tenant_context(world.tenant_id):
        coord = db.session.get(User, world.users["coordinator"])
        study = evaluation.save_study(None, {"kind": "system", "title": "Badanie systemu",
                                             "evaluator": "E"}, actor=coord)
        study_id = study.id
        db.session.remove()
    coord_c = client_for(app, login, world, "coordinator")
    url = f"{BASE}/ewaluacje/{study_id}/konsultacje/nowa"
    today = clock.today()
    r = coord_c.post(url, data={"opens_on": today.isoformat(), "closes_on": (today - timedelta(days=1)).isoformat(),
                                "participants": ["rops"], "document_id": "0"})
    assert r.status_code == 422 and "nie mogą kończyć się przed rozpoczęciem" in r.get_data(as_text=True)
    r = coord_c.post(url, data={"opens_on": today.isoformat(), "closes_on": (today + timedelta(days=5)).isoformat(),
                                "participants": ["rops", "owes", "monitoring_group"], "document_id": "0"},
                     headers=HX)
    assert r.status_code == 204
    round_url = r.headers["HX-Redirect"]
    round_id = int(round_url.rstrip("/").split("/")[-1])
    member_c = client_for(app, login, world, "member")
    owes_c = client_for(app, login, world, "owes")
    national_c = client_for(app, login, world, "national")
    comment_url = f"{BASE}/konsultacje/{round_id}/uwagi"
    assert national_c.get(comment_url).status_code == 403
    r = member_c.post(comment_url, data={"section": "", "comment": ""}, headers=HX)
    assert r.status_code == 422
    for c, text in ((member_c, "Brak danych o powiecie"), (owes_c, "Zła liczba PES")):
        r = c.post(comment_url, data={"section": "Rozdział 2", "page": "7", "comment": text,
                                      "justification": "Uzasadnienie", "proposal": "Nowe brzmienie"})
        assert r.status_code == 303
    matrix = coord_c.get(round_url).get_data(as_text=True)
    assert "Brak danych o powiecie" in matrix and "Zła liczba PES" in matrix
    close_url = f"{BASE}/konsultacje/{round_id}/zamknij"
    r = coord_c.post(close_url)
    assert r.status_code == 422 and "odpowiedz na każdą uwagę" in r.get_data(as_text=True)
    with app.app_context(), tenant_context(world.tenant_id):
        ids = db.session.scalars(select(ConsultationComment.id).order_by(ConsultationComment.id)).all()
    r = coord_c.post(f"{BASE}/uwagi/{ids[0]}/odpowiedz", data={"answer": "rejected", "reason": ""})
    assert r.status_code == 422 and "Prosimy podać uzasadnienie" in r.get_data(as_text=True)
    assert coord_c.post(f"{BASE}/uwagi/{ids[0]}/odpowiedz", data={"answer": "accepted"}).status_code == 303
    assert coord_c.post(f"{BASE}/uwagi/{ids[1]}/odpowiedz",
                        data={"answer": "partly", "reason": "Dane z 2019 r."}).status_code == 303
    assert coord_c.get(close_url).status_code == 200  # the confirmation page changes nothing
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.get(ConsultationRound, round_id).status == "open"
    r = coord_c.post(close_url, headers=HX)
    assert r.status_code == 204
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.get(ConsultationRound, round_id).status == "closed"
    assert smtp.messages == []  # the request only queues; the scheduler sends
    with app.app_context():
        notify.send_due()
        db.session.remove()
    outcome = [m for m in smtp.messages if m["message"]["X-Sieci-Notification"] == "consultation_outcome"]
    assert sorted(m["to"][0] for m in outcome) == ["czlonek@example.org", "owes1@example.org"]
    assert any("Dane z 2019 r." in b and "uwzględniona częściowo" in b for b in smtp.bodies())
    assert member_c.post(comment_url, data={"section": "x", "comment": "za późno"}).status_code == 422
    report = member_c.get(f"{BASE}/konsultacje/{round_id}/raport.xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(report.data)).get_sheet_by_index(0).to_python()
    flat = [c for r in rows for c in r]
    assert "Brak danych o powiecie" in flat and "Dane z 2019 r." in flat
    page_html = member_c.get(round_url).get_data(as_text=True)
    for fmt in ("pdf", "docx", "xlsx"):
        assert f"/konsultacje/{round_id}/raport.{fmt}" in page_html
    # DOCX: same content, re-read with python-docx
    r = member_c.get(f"{BASE}/konsultacje/{round_id}/raport.docx")
    assert r.status_code == 200 and r.headers["Content-Disposition"].startswith("attachment")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    document = docx.Document(io.BytesIO(r.data))
    assert document.core_properties.language == "pl-PL"
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for row in t.rows for c in row.cells])
    for expected in ("Badanie systemu", "Brak danych o powiecie", "Zła liczba PES", "Uzasadnienie",
                     "Nowe brzmienie", "Rozdział 2", "uwzględniona częściowo", "Dane z 2019 r.",
                     "Ola Owes", "ROPS"):
        assert expected in text, expected
    # PDF: tagged, document language set, Polish diacritics survive text extraction
    r = member_c.get(f"{BASE}/konsultacje/{round_id}/raport.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(r.data))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "pl" and "/StructTreeRoot" in catalog
    text = " ".join(p.extract_text() for p in reader.pages)
    for expected in ("Badanie systemu", "Brak danych o powiecie", "Zła liczba PES",
                     "uwzględniona częściowo", "Dane z 2019 r.", "Rozdział 2"):
        assert expected in " ".join(text.split()), expected


def test_recommendations_yearly_updates(app, login, world):
    with app.test_request_context(), tenant_context(world.tenant_id):
        study = evaluation.save_study(None, {"kind": "final", "owes_id": world.owes_id, "title": "Końcowa",
                                             "evaluator": "E"}, actor=None)
        sid = study.id
        db.session.remove()
    c = client_for(app, login, world, "coordinator")
    r = c.post(f"{BASE}/ewaluacje/{sid}/rekomendacje/nowa", data={"finding": "", "priority": "high"})
    assert r.status_code == 422
    r = c.post(f"{BASE}/ewaluacje/{sid}/rekomendacje/nowa", data={
        "finding": "Mało PS", "recommendation": "Więcej doradztwa", "addressee": "OWES",
        "priority": "high", "deadline": "2026-12-31"})
    assert r.status_code == 303
    with app.app_context(), tenant_context(world.tenant_id):
        from owes.models import Recommendation

        rid = db.session.scalar(select(Recommendation.id))
    assert "Więcej doradztwa" in c.get(f"{BASE}/rekomendacje").get_data(as_text=True)
    for year, status in ((2024, "in_progress"), (2025, "implemented")):
        assert c.post(f"{BASE}/rekomendacje/{rid}/status",
                      data={"year": year, "status": status, "note": f"rok {year}"}).status_code == 303
    assert c.post(f"{BASE}/rekomendacje/{rid}/status", data={"year": "x", "status": "planned"}).status_code == 422
    detail = c.get(f"{BASE}/rekomendacje/{rid}").get_data(as_text=True)
    assert "rok 2024" in detail and "rok 2025" in detail
    assert "Więcej doradztwa" not in c.get(f"{BASE}/rekomendacje").get_data(as_text=True)  # implemented


def test_catalogue_read_by_region_edited_nationally(app, login, world):
    member = client_for(app, login, world, "member")
    assert "RES-01" in member.get(f"{BASE}/wskazniki").get_data(as_text=True)
    assert member.get("/kraj/owes/wskazniki").status_code == 404
    nat = client_for(app, login, world, "national")
    r = nat.post("/kraj/owes/wskazniki/nowy", data={"code": "", "name": "", "unit": "count",
                                                    "aggregation": "sum", "base_id": "0"})
    assert r.status_code == 422
    r = nat.post("/kraj/owes/wskazniki/nowy", data={"code": "PAR-09", "name": "Sieci współpracy",
                                                    "unit": "count", "aggregation": "sum", "base_id": "0",
                                                    "disaggregation": ["powiat"], "active": "y"}, headers=HX)
    assert r.status_code == 204
    assert "PAR-09" in member.get(f"{BASE}/wskazniki?page=2").get_data(as_text=True) + \
        member.get(f"{BASE}/wskazniki").get_data(as_text=True)
    assert Owes is not None


def test_remove_needs_confirmation_and_only_the_coordinator_manages_operators(app, login, world):
    owes_user = client_for(app, login, world, "owes")
    # the partnership is what the OWES is judged with: its representative cannot change it
    assert owes_user.get(f"{BASE}/{world.owes_id}/operatorzy").status_code == 403
    assert owes_user.post(f"{BASE}/{world.owes_id}/operatorzy",
                          data={"name": "Fundacja Testowa", "role": "lead"}).status_code == 403
    c = client_for(app, login, world, "coordinator")
    r = c.post(f"{BASE}/{world.owes_id}/operatorzy", data={"name": "", "role": "lead"}, headers=HX)
    assert r.status_code == 422
    r = c.post(f"{BASE}/{world.owes_id}/operatorzy", data={"name": "Fundacja Testowa", "role": "lead"})
    assert r.status_code == 303
    with app.app_context(), tenant_context(world.tenant_id):
        from owes.models import OwesOperator

        op_id = db.session.scalar(select(OwesOperator.id))
    url = f"{BASE}/{world.owes_id}/operatorzy/{op_id}/usun"
    assert "Fundacja Testowa" in c.get(url).get_data(as_text=True)  # GET only asks
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.get(OwesOperator, op_id) is not None
    assert owes_user.post(url).status_code == 403
    detail = owes_user.get(f"{BASE}/{world.owes_id}").get_data(as_text=True)
    assert f"/operatorzy/{op_id}/usun" not in detail and "rodzaj=operator_remove" in detail
    assert c.post(url, headers=HX).status_code == 204
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.get(OwesOperator, op_id) is None
    assert "Fundacja Testowa" not in c.get(f"{BASE}/{world.owes_id}").get_data(as_text=True)
