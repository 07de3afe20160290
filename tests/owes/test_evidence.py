"""Evidence files of reported values: shared upload checks, stored in the database, served as
attachments, locked with the value once verified (services and views, with and without htmx)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from sqlalchemy import select

from coordination.auth.models import User
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import tenant_context
from owes.models import ActionPlan, Indicator, Owes, ReportedValue
from owes.services import values as services
from tests.owes.conftest import REGION, client_for

PDF = b"%PDF-1.4\n% lista obecnosci\n"
BASE = f"/{REGION}/owes"
HX = {"HX-Request": "true"}
pytestmark = pytest.mark.usefixtures("csrf_off")


def _save(app, world, **kwargs):
    with app.test_request_context(), tenant_context(world.tenant_id):
        owes = db.session.get(Owes, world.owes_id)
        plan = db.session.get(ActionPlan, world.plan_id)
        ind = db.session.scalar(select(Indicator).where(Indicator.code == "AL-09"))
        existing = db.session.scalar(select(ReportedValue))
        row = services.save_value(owes, plan, ind, "2019", Decimal(4), evidence="Listy obecności",
                                  actor=db.session.get(User, world.users["owes"]),
                                  existing=existing, **kwargs)
        out = (row.id, row.evidence_filename, row.evidence_size)
        db.session.remove()
    return out


def _stored(app, world):
    with app.app_context(), tenant_context(world.tenant_id):
        row = db.session.scalar(select(ReportedValue))
        out = (row.evidence_filename, row.evidence_content_type, row.evidence_data, row.status)
        db.session.remove()
    return out


def test_service_attaches_replaces_removes_and_checks_files(app, world):
    _id, name, size = _save(app, world, evidence_file=("lista obecności.pdf", PDF))
    assert (name, size) == ("lista obecności.pdf", len(PDF))
    assert _stored(app, world)[:3] == ("lista obecności.pdf", "application/pdf", PDF)
    for bad, message in ((("skrypt.exe", b"MZ\x90\x00"), "Przyjmujemy tylko pliki PDF"),
                         (("udawany.pdf", b"PK\x03\x04 not a pdf"), "nie pasuje do rozszerzenia .pdf")):
        with pytest.raises(DomainError, match=message):
            _save(app, world, evidence_file=bad)
    assert _stored(app, world)[2] == PDF  # nothing half-written
    _save(app, world)  # no new file: the attachment stays
    assert _stored(app, world)[0] == "lista obecności.pdf"
    _save(app, world, remove_evidence_file=True)
    assert _stored(app, world)[:3] == (None, None, None)


def test_verified_value_locks_its_evidence_file(app, world):
    _save(app, world, evidence_file=("lista.pdf", PDF))
    with app.app_context(), tenant_context(world.tenant_id):
        db.session.scalar(select(ReportedValue)).status = "verified"
        db.session.commit()
    with pytest.raises(DomainError, match="zweryfikowana"):
        _save(app, world, evidence_file=("inna.pdf", PDF + b"x"))
    with pytest.raises(DomainError, match="zweryfikowana"):
        _save(app, world, remove_evidence_file=True)
    assert _stored(app, world)[:3] == ("lista.pdf", "application/pdf", PDF)


def test_upload_and_download_through_the_views(app, login, world):
    owes_c = client_for(app, login, world, "owes")
    with app.app_context():
        ind_id = db.session.scalar(select(Indicator.id).where(Indicator.code == "AL-09"))
    new_url = f"{BASE}/{world.owes_id}/plany/{world.plan_id}/wartosci/nowa"
    form = owes_c.get(new_url).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form and 'name="evidence_file"' in form
    assert 'name="remove_evidence_file"' not in form  # nothing to remove yet
    data = {"indicator_id": str(ind_id), "period": "2019", "value": "4", "evidence": "Listy"}
    r = owes_c.post(new_url, data={**data, "evidence_file": (io.BytesIO(b"GIF89a"), "zdjecie.gif")},
                    headers=HX, content_type="multipart/form-data")
    assert r.status_code == 422 and "Przyjmujemy tylko pliki PDF" in r.get_data(as_text=True)
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.scalar(select(ReportedValue.id)) is None
    r = owes_c.post(new_url, data={**data, "evidence_file": (io.BytesIO(PDF), "lista.pdf")},
                    content_type="multipart/form-data")
    assert r.status_code == 303
    with app.app_context(), tenant_context(world.tenant_id):
        value_id = db.session.scalar(select(ReportedValue.id))
    values_page = owes_c.get(f"{BASE}/{world.owes_id}/plany/{world.plan_id}/wartosci").get_data(as_text=True)
    download_url = f"{BASE}/{world.owes_id}/wartosci/{value_id}/dowod"
    assert download_url in values_page and "lista.pdf" in values_page
    r = client_for(app, login, world, "member").get(download_url)
    assert r.status_code == 200 and r.data == PDF and r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"].startswith("attachment")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    # another OWES's user cannot change it; the edit form offers removal to the bound user
    edit_url = f"{BASE}/{world.owes_id}/wartosci/{value_id}"
    assert client_for(app, login, world, "other_owes").get(edit_url).status_code == 403
    assert 'name="remove_evidence_file"' in owes_c.get(edit_url).get_data(as_text=True)
    # verified: the edit page is the locked page (with the file); a POST changes nothing
    with app.app_context(), tenant_context(world.tenant_id):
        db.session.get(ReportedValue, value_id).status = "verified"
        db.session.commit()
    r = owes_c.post(edit_url, data={**data, "remove_evidence_file": "y"}, content_type="multipart/form-data")
    assert "lista.pdf" in r.get_data(as_text=True)
    assert _stored(app, world)[:3] == ("lista.pdf", "application/pdf", PDF)
    # a value without a file has no download
    with app.app_context(), tenant_context(world.tenant_id):
        db.session.get(ReportedValue, value_id).evidence_filename = None
        db.session.commit()
    assert owes_c.get(download_url).status_code == 404
