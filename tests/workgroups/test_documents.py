"""Documents attached to agenda items: services (versions, refusals that store nothing,
deletion, agenda edits keep them) and views (upload with and without htmx, 422 on a bad file,
downloads only for the group's members and coordinators, confirmation before deletion)."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from coordination.audit import AuditLog
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import tenant_context
from tests.conftest import csrf_token
from workgroups.models import AgendaItem, Meeting, MeetingDocument, MeetingDocumentVersion
from workgroups.services import documents as services
from workgroups.services import meetings as meeting_services

from .conftest import REGION, actor, group_of, make_meeting

HX = {"HX-Request": "true"}
BASE = f"/{REGION}/grupy"
PDF = b"%PDF-1.4\n% Plan promocji \xc5\xbc\xc3\xb3\xc5\x82ty\n%%EOF\n"
PDF2 = b"%PDF-1.4\n% wersja 2\n%%EOF\n"


def _docx() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Projekt stanowiska – zażółć gęślą jaźń")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                                   .order_by(AgendaItem.position)))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_upload_and_new_version_keep_older_versions(region):
    meeting = make_meeting(region)
    item = _items(meeting)[1]
    doc = services.upload_document(meeting, group_of(region), item.id, "", "Plan promocji 2026.pdf", PDF,
                                   actor=actor(region))
    assert doc.title == "Plan promocji 2026" and doc.current_version == 1 and doc.group_id == region.group_id
    version = services.add_version(doc, "plan-v2.docx", _docx(), actor=actor(region))
    assert version.number == 2 and doc.current_version == 2
    assert version.content_type.endswith("wordprocessingml.document")
    from workgroups.queries.documents import (
        agenda_with_documents,
        version_for_download,
        versions_of,
    )

    assert [v.number for v in versions_of(doc.id)] == [2, 1]
    assert version_for_download(doc.id, 1).data == PDF
    agenda, documents = agenda_with_documents(meeting.id)
    assert [a.id for a in agenda] == [a.id for a in _items(meeting)]
    (listed, current), = documents[item.id]
    assert listed.id == doc.id and current.number == 2 and current.filename == "plan-v2.docx"
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "MeetingDocument")).all()
    assert sorted(actions) == ["meeting_document.upload", "meeting_document.version"]


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("pusty.pdf", b"", "Plik jest pusty."),
    ("program.exe", b"MZ\x90\x00", "Przyjmujemy tylko pliki PDF, DOCX, ODT i XLSX."),
    ("udawany.pdf", b"PK\x03\x04 not a pdf", "Zawartość pliku nie pasuje do rozszerzenia .pdf."),
])
def test_bad_files_are_refused_and_nothing_is_stored(region, filename, data, message):
    meeting = make_meeting(region)
    with pytest.raises(DomainError) as err:
        services.upload_document(meeting, group_of(region), _items(meeting)[0].id, "Tytuł", filename, data,
                                 actor=actor(region))
    assert message in err.value.message and err.value.field == "file"
    assert _count(MeetingDocument) == 0 and _count(MeetingDocumentVersion) == 0


def test_oversized_file_and_wrong_agenda_item_are_refused(region, monkeypatch):
    from coordination import uploads

    meeting, other = make_meeting(region), make_meeting(region)
    monkeypatch.setattr(uploads, "MAX_DOCUMENT_BYTES", 10)
    monkeypatch.setattr(uploads.check_document, "__kwdefaults__", {"max_bytes": 10})
    with pytest.raises(DomainError, match="większy niż"):
        services.upload_document(meeting, group_of(region), _items(meeting)[0].id, "", "a.pdf", PDF,
                                 actor=actor(region))
    with pytest.raises(DomainError) as err:
        services.upload_document(meeting, group_of(region), _items(other)[0].id, "", "a.pdf", b"%PDF-1",
                                 actor=actor(region))
    assert err.value.field == "agenda_item_id"
    assert _count(MeetingDocument) == 0


def test_cancelled_meeting_takes_no_documents(region):
    meeting = make_meeting(region)
    meeting_services.cancel_meeting(meeting, group_of(region), actor=actor(region))
    with pytest.raises(DomainError):
        services.upload_document(meeting, group_of(region), _items(meeting)[0].id, "", "a.pdf", PDF,
                                 actor=actor(region))


def test_delete_removes_every_version(region):
    meeting = make_meeting(region)
    doc = services.upload_document(meeting, group_of(region), _items(meeting)[0].id, "Notatka", "n.pdf", PDF,
                                   actor=actor(region))
    services.add_version(doc, "n2.pdf", PDF2, actor=actor(region))
    doc_id = doc.id
    services.delete_document(doc, actor=actor(region))
    assert _count(MeetingDocument) == 0 and _count(MeetingDocumentVersion) == 0
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "meeting_document.delete"))
    assert entry.object_id == doc_id and entry.summary["versions"] == 2


def _form_rows(meeting: Meeting) -> list[dict]:
    return [dict(a, position=i) for i, a in enumerate(meeting_services.agenda_of(meeting.id, with_ids=True), start=1)]


def test_editing_the_agenda_keeps_documents_and_refuses_removing_their_item(region):
    meeting = make_meeting(region)
    group = group_of(region)
    first, second, _third = _items(meeting)
    services.upload_document(meeting, group, second.id, "Plan", "plan.pdf", PDF, actor=actor(region))
    rows = _form_rows(meeting)
    rows[1]["title"] = "Plan promocji na 2026 r. (poprawiony)"
    rows[0]["position"], rows[1]["position"] = 2, 1           # swap the first two items
    data = {k: getattr(meeting, k) for k in meeting_services.MEETING_FIELDS}
    diff = meeting_services.update_meeting(meeting, group, data, rows, actor=actor(region))
    assert "agenda" in diff
    items = _items(meeting)
    assert items[0].id == second.id and items[0].title.endswith("(poprawiony)") and items[1].id == first.id
    assert db.session.scalar(select(MeetingDocument.agenda_item_id)) == second.id
    rows = [r for r in _form_rows(meeting) if r["item_id"] != second.id]
    with pytest.raises(DomainError, match="dołączono dokumenty"):
        meeting_services.update_meeting(meeting, group, data, rows, actor=actor(region))
    assert len(_items(meeting)) == 3 and _count(MeetingDocument) == 1


def test_meeting_based_on_another_does_not_copy_documents(region):
    meeting = make_meeting(region)
    services.upload_document(meeting, group_of(region), _items(meeting)[0].id, "Plan", "plan.pdf", PDF,
                             actor=actor(region))
    copied = meeting_services.agenda_of(meeting.id)
    assert all("item_id" not in row for row in copied)
    new = meeting_services.create_meeting(group_of(region), {k: getattr(meeting, k) for k in
                                                             meeting_services.MEETING_FIELDS}, copied,
                                          actor=actor(region))[0]
    assert [a.title for a in _items(new)] == [a.title for a in _items(meeting)]
    assert db.session.scalar(select(func.count()).select_from(MeetingDocument)
                             .where(MeetingDocument.meeting_id == new.id)) == 0


# --- views -------------------------------------------------------------------------------------

def _meeting(app, world):
    with app.test_request_context(), tenant_context(world.tenant_id):
        meeting = make_meeting(world)
        ids = (meeting.id, [a.id for a in _items(meeting)])
        db.session.remove()
    return ids


def _upload(client, url, token, filename, data, headers=None, **fields):
    return client.post(url, data={"csrf_token": token, "file": (io.BytesIO(data), filename), **fields},
                       content_type="multipart/form-data", headers=headers or {})


def test_upload_views_with_and_without_htmx(app, world, login):
    meeting_id, items = _meeting(app, world)
    c = login(app.test_client(), world.coordinator_id)
    url = f"{BASE}/posiedzenia/{meeting_id}/dokumenty/nowy"
    page = c.get(url + f"?punkt={items[1]}")
    assert page.status_code == 200 and "Dodaj dokument" in page.get_data(as_text=True)
    assert f'<option selected value="{items[1]}">' in page.get_data(as_text=True)
    token = csrf_token(c, url)
    bad = _upload(c, url, token, "program.exe", b"MZ\x90", HX, agenda_item_id=str(items[1]))
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Przyjmujemy tylko pliki PDF, DOCX, ODT i XLSX." in text
    assert "<html" not in text and 'aria-invalid="true"' in text
    plain_bad = _upload(c, url, token, "udawany.docx", PDF, agenda_item_id=str(items[1]))
    assert plain_bad.status_code == 422 and "Zawartość pliku nie pasuje do rozszerzenia .docx." in \
        plain_bad.get_data(as_text=True)
    missing = _upload(c, url, token, "", b"", HX, agenda_item_id=str(items[1]))
    assert missing.status_code == 422
    ok = _upload(c, url, token, "Plan promocji.pdf", PDF, HX, agenda_item_id=str(items[1]), title="Plan promocji")
    assert ok.status_code == 204 and ok.headers["HX-Redirect"].endswith(f"/posiedzenia/{meeting_id}#porzadek")
    plain = _upload(c, url, token, "Stanowisko.docx", _docx(), agenda_item_id=str(items[0]))
    assert plain.status_code == 303
    meeting_page = c.get(f"{BASE}/posiedzenia/{meeting_id}").get_data(as_text=True)
    assert "Plan promocji" in meeting_page and "Stanowisko" in meeting_page and "Dołącz dokument" in meeting_page


def test_downloads_for_group_members_only_and_versions(app, world, login):
    meeting_id, items = _meeting(app, world)
    with app.test_request_context(), tenant_context(world.tenant_id):
        meeting = db.session.get(Meeting, meeting_id)
        doc = services.upload_document(meeting, group_of(world), items[0], "Plan", "Plan żółty.pdf", PDF,
                                       actor=actor(world))
        services.add_version(doc, "plan-2.pdf", PDF2, actor=actor(world))
        doc_id = doc.id
        db.session.remove()
    member = login(app.test_client(), world.member_user_id)       # a member of the group
    first = member.get(f"{BASE}/dokumenty/{doc_id}/wersje/1")
    assert first.status_code == 200 and first.data == PDF
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert first.headers["Content-Disposition"].startswith("attachment;") and "Plan%20%C5%BCó" not in \
        first.headers["Content-Disposition"] and "Plan%20%C5%BC%C3%B3%C5%82ty.pdf" in first.headers["Content-Disposition"]
    assert member.get(f"{BASE}/dokumenty/{doc_id}/wersje/2").data == PDF2
    assert member.get(f"{BASE}/dokumenty/{doc_id}/wersje/3").status_code == 404
    detail = member.get(f"{BASE}/dokumenty/{doc_id}").get_data(as_text=True)
    assert "plan-2.pdf" in detail and "Plan żółty.pdf" in detail and "Wgraj nową wersję" not in detail
    assert member.get(f"{BASE}/dokumenty/{doc_id}/nowa-wersja").status_code == 403
    assert member.get(f"{BASE}/dokumenty/{doc_id}/usun").status_code == 403
    group_page = member.get(f"{BASE}/{world.group_id}").get_data(as_text=True)
    assert "Wszystkie dokumenty grupy (1)" in group_page and f"/{world.group_id}/dokumenty" in group_page
    outsider = login(app.test_client(), world.outsider_id)        # sees the region, not in the group
    assert outsider.get(f"{BASE}/dokumenty/{doc_id}/wersje/1").status_code == 403
    assert outsider.get(f"{BASE}/{world.group_id}/dokumenty").status_code == 403
    page = outsider.get(f"{BASE}/posiedzenia/{meeting_id}").get_data(as_text=True)
    assert f"/dokumenty/{doc_id}" not in page and "dostępny dla członków grupy" in page


def test_new_version_and_delete_with_confirmation(app, world, login):
    meeting_id, items = _meeting(app, world)
    with app.test_request_context(), tenant_context(world.tenant_id):
        doc = services.upload_document(db.session.get(Meeting, meeting_id), group_of(world), items[0], "Plan",
                                       "plan.pdf", PDF, actor=actor(world))
        doc_id = doc.id
        db.session.remove()
    c = login(app.test_client(), world.coordinator_id)
    url = f"{BASE}/dokumenty/{doc_id}/nowa-wersja"
    token = csrf_token(c, url)
    bad = _upload(c, url, token, "plan.pdf", b"", HX)
    assert bad.status_code == 422 and "Plik jest pusty." in bad.get_data(as_text=True)
    ok = _upload(c, url, token, "plan-2.pdf", PDF2, HX)
    assert ok.status_code == 204 and ok.headers["HX-Redirect"].endswith(f"/dokumenty/{doc_id}")
    listing = c.get(f"{BASE}/{world.group_id}/dokumenty")
    assert listing.status_code == 200 and "plan-2.pdf" in listing.get_data(as_text=True)
    confirm = c.get(f"{BASE}/dokumenty/{doc_id}/usun")
    assert confirm.status_code == 200 and "Czy na pewno" in confirm.get_data(as_text=True)
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.get(MeetingDocument, doc_id) is not None    # GET changed nothing
    done = c.post(f"{BASE}/dokumenty/{doc_id}/usun", data={"csrf_token": token}, headers=HX)
    assert done.status_code == 204
    assert c.get(f"{BASE}/dokumenty/{doc_id}").status_code == 404
    empty = c.get(f"{BASE}/{world.group_id}/dokumenty").get_data(as_text=True)
    assert "Nie ma jeszcze dokumentów" in empty


def test_draft_minutes_list_the_documents_as_annexes(region):
    from workgroups.services import minutes as minutes_services

    from .conftest import held_meeting

    meeting = held_meeting(region)
    services.upload_document(meeting, group_of(region), _items(meeting)[1].id, "Plan promocji – żółta karta",
                             "plan.pdf", PDF, actor=actor(region))
    body = minutes_services.create_draft(meeting, group_of(region), actor=actor(region)).body
    annexes = body.split("## Załączniki", 1)[1]
    assert "1. Plan promocji – żółta karta (do punktu 3 porządku obrad, plik plan.pdf)" in annexes


def test_meeting_edit_form_keeps_item_ids_and_refuses_dropping_an_item_with_documents(app, world, login):
    meeting_id, items = _meeting(app, world)
    with app.test_request_context(), tenant_context(world.tenant_id):
        services.upload_document(db.session.get(Meeting, meeting_id), group_of(world), items[0], "Plan", "plan.pdf",
                                 PDF, actor=actor(world))
        db.session.remove()
    c = login(app.test_client(), world.coordinator_id)
    url = f"{BASE}/posiedzenia/{meeting_id}/edycja"
    html = c.get(url).get_data(as_text=True)
    assert f'name="agenda-0-item_id" type="hidden" value="{items[0]}"' in html
    fields = dict(re.findall(r'name="([^"]+)"[^>]*?value="([^"]*)"', html))
    fields.update({"mode": "hybrid", "agenda-0-title": "", "reminder_days": "7,1"})
    bad = c.post(url, data=fields, headers=HX)
    assert bad.status_code == 422 and "dołączono dokumenty" in bad.get_data(as_text=True)
    fields["agenda-0-title"] = "Otwarcie posiedzenia (zmienione)"
    assert c.post(url, data=fields, headers=HX).status_code == 204
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.get(AgendaItem, items[0]).title == "Otwarcie posiedzenia (zmienione)"
        assert db.session.scalar(select(MeetingDocument.agenda_item_id)) == items[0]


def test_oversized_upload_is_refused_with_422(app, world, login):
    from coordination.uploads import MAX_DOCUMENT_BYTES

    meeting_id, items = _meeting(app, world)
    c = login(app.test_client(), world.coordinator_id)
    url = f"{BASE}/posiedzenia/{meeting_id}/dokumenty/nowy"
    token = csrf_token(c, url)
    big = b"%PDF-1.4\n" + b"0" * MAX_DOCUMENT_BYTES
    bad = _upload(c, url, token, "duzy.pdf", big, HX, agenda_item_id=str(items[0]))
    assert bad.status_code == 422 and "Plik jest większy niż 15 MB." in bad.get_data(as_text=True)
    with app.app_context(), tenant_context(world.tenant_id):
        assert _count(MeetingDocument) == 0
