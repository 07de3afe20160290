"""Demo data: real documents on the agenda of seeded meetings (a DOCX and a PDF work plan in
two versions) that open in real readers; seeding again adds nothing."""

from __future__ import annotations

import io

from docx import Document
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from coordination.auth.models import User
from coordination.extensions import db
from coordination.tenancy import tenant_context
from workgroups import demo
from workgroups.models import Group, MeetingDocument, MeetingDocumentVersion


def test_seeded_documents_open_and_seeding_is_idempotent(app, tenants):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.test_request_context(), tenant_context(tenants["wielkopolskie"]):
        documents = db.session.scalars(select(MeetingDocument)).all()
        assert len(documents) >= 5 and any(d.current_version == 2 for d in documents)
        versions = db.session.scalars(select(MeetingDocumentVersion).options(
            undefer(MeetingDocumentVersion.data))).all()
        pdf = next(v for v in versions if v.filename == "projekt-planu-pracy-v2.pdf")
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
        assert "Projekt planu pracy" in text and "żółta karta" in text and "Uwzględniono uwagi OWES" in text
        docx = next(v for v in versions if v.filename.endswith(".docx"))
        paragraphs = [p.text for p in Document(io.BytesIO(docx.data)).paragraphs]
        assert any(p.startswith("Materiał do punktu") for p in paragraphs)
        count = db.session.scalar(select(func.count(MeetingDocument.id)))
        coordinator = db.session.scalar(select(User).where(User.email == demo.COORDINATOR["wielkopolskie"]))
        for index, group in enumerate(db.session.scalars(select(Group).order_by(Group.id))):
            demo._seed_documents(group, index, coordinator)
        assert db.session.scalar(select(func.count(MeetingDocument.id))) == count


def test_demo_draft_goes_out_with_attachments_and_personal_links(app, tenants, smtp):
    """The demo's draft under comment is queued like in the product: when the scheduler sends
    it, each attendee gets the DOCX and PDF, contacts without an account a personal link that
    the coordinator sees listed; a contact's comment is signed with the person's name."""
    from coordination.notifications import services as notify
    from workgroups.models import Minutes, MinutesComment, MinutesLink
    from workgroups.queries.minutes import links

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.test_request_context():
        with tenant_context(None):
            notify.send_due()
        with tenant_context(tenants["wielkopolskie"]):
            minutes = db.session.scalar(select(Minutes).where(Minutes.status == "consultation"))
            sent = links(minutes.id)
            assert sent and all(link.revoked_at is None for link, _name in sent)
            assert db.session.scalar(select(func.count(MinutesLink.id))) == len(sent)
            assert db.session.scalar(select(MinutesComment.member_id).where(MinutesComment.minutes_id == minutes.id))
    drafts = [m["message"] for m in smtp.messages
              if m["message"]["X-Sieci-Notification"] == "minutes_comments_open"]
    assert drafts and all({p.get_filename().rsplit(".", 1)[1] for p in d.walk() if p.get_filename()} == {"docx", "pdf"}
                          for d in drafts)
