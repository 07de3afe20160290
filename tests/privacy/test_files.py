"""Erasure and uploaded files: a file about the person is deleted, a document of the body is
kept with its uploader pseudonymised, and the confirmation page says which is which."""

from __future__ import annotations

from sqlalchemy import select

from coordination.auth.models import User
from coordination.exports.models import ExportJob
from coordination.extensions import db
from coordination.tenancy import all_tenants, tenant_context
from privacy import queries, services
from workgroups.models import AgendaItem, Group, Meeting, MeetingDocument, MeetingDocumentVersion
from workgroups.services import documents

PDF = b"%PDF-1.4\n% protokol\n"


def test_every_table_with_files_linked_to_a_person_says_what_erasure_does(app):
    with app.app_context():
        fates = queries.file_tables()
        tables = {table.name for table, _column, _kind in queries.file_links()}
        assert {"export_job", "meeting_document_version", "owes_study_document", "owes_value"} <= tables
        unclassified = sorted(tables - set(fates))
        assert not unclassified, f"tables with uploaded files and no uploaded_files entry: {unclassified}"
        assert set(fates.values()) <= {queries.PERSONAL, queries.RECORD}
        assert fates["export_job"] == queries.PERSONAL and fates["owes_value"] == queries.RECORD


def _files_of_anna(app, world):
    """Anna uploads a document for the meeting's agenda and has an export of her own."""
    with app.app_context(), tenant_context(world.tenant):
        anna = db.session.get(User, world.anna)
        meeting = db.session.get(Meeting, world.meeting)
        item = AgendaItem(meeting_id=meeting.id, position=1, title="Plan promocji")
        db.session.add(item)
        db.session.commit()
        document = documents.upload_document(meeting, db.session.get(Group, world.group), item.id,
                                             "Plan", "plan.pdf", PDF, actor=anna)
        db.session.add(ExportJob(user_id=world.anna, kind="person_data", filename="dane.zip",
                                 content_type="application/zip", status="done", data=b"PK\x03\x04",
                                 size=4))
        db.session.commit()
        ids = document.id
        db.session.remove()
    return ids


def test_erasure_deletes_personal_files_and_keeps_documents_of_the_body(app, world):
    document_id = _files_of_anna(app, world)
    with app.app_context():
        files = {f.table: (f.fate, f.count) for f in queries.files_of(queries.person_for_user(world.anna))}
        assert files == {"export_job": ("personal", 1), "meeting_document_version": ("record", 1)}
        record = services.erase(queries.person_for_user(world.anna), reason="Wniosek",
                                actor=db.session.get(User, world.admin))
        name = services.pseudonym(record.id)
        db.session.remove()
    with app.app_context(), all_tenants():
        # the export (a copy of her data) is gone from the storage, bytes and all
        assert db.session.scalars(select(ExportJob).where(ExportJob.user_id == world.anna)).all() == []
        # the meeting's document stays, whole, and its uploader reads as the pseudonym
        version = db.session.scalar(select(MeetingDocumentVersion).where(
            MeetingDocumentVersion.document_id == document_id))
        assert version.data == PDF and version.uploaded_by_id == world.anna
        assert db.session.get(MeetingDocument, document_id).created_by_id == world.anna
        assert db.session.get(User, world.anna).full_name == name
        assert queries.files_of(queries.person_for_user(world.anna)) == [
            queries.Files("meeting_document_version", "Pliki dokumentów posiedzeń", "record", 1)]


def test_erasure_page_says_what_is_deleted_and_what_kept(app, login, world, csrf_off):
    _files_of_anna(app, world)
    client = login(app.test_client(), world.admin)
    html = client.get(f"/prywatnosc/konto/{world.anna}/usuniecie").get_data(as_text=True)
    deleted, kept = html.index("Usunięte zostaną"), html.index("Zostaną zachowane")
    assert deleted < html.index("Eksporty danych: 1 plik") < kept
    assert kept < html.index("Pliki dokumentów posiedzeń: 1 plik")
    assert "pod pseudonimem" in html
    # a contact without files: the page says so
    coordinator = login(app.test_client(), world.coordinator)
    page = coordinator.get(f"/wielkopolskie/ochrona-danych/kontakt/{world.m_bogdan}/usuniecie")
    assert page.status_code == 200
    assert "Z tą osobą nie są powiązane żadne przesłane pliki." in page.get_data(as_text=True)
