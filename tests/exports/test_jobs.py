"""Background exports: the audit log as XLSX, inline when small, as a job with progress when large."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from coordination import audit
from coordination.auth.models import User
from coordination.exports import services
from coordination.exports.models import ExportJob
from coordination.extensions import db
from coordination.tenancy import tenant_context


@pytest.fixture
def small_inline(app, monkeypatch):
    """Exports above 3 rows go to the background."""
    monkeypatch.setitem(app.config, "EXPORT_INLINE_ROWS", 3)


def _entries(app, tenant_id: int, n: int, action: str = "group.update") -> None:
    with app.app_context(), tenant_context(tenant_id):
        for i in range(n):
            audit.record(action, summary={"name": [f"Grupa {i}", f"Grupa łódzka {i}"]},
                         tenant_id=tenant_id)
        db.session.commit()
        db.session.remove()


def _queued(app, uid: int, tenant_id: int) -> int:
    with app.app_context():
        job_id = services.request_export("audit_log", user=db.session.get(User, uid),
                                         tenant_id=tenant_id).id
        db.session.remove()
    return job_id


def _rows(data: bytes) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python()


def _job(app, job_id: int) -> dict:
    with app.app_context():
        job = db.session.get(ExportJob, job_id)
        out = {"status": job.status, "done": job.done_rows, "total": job.total_rows,
               "attempts": job.attempts, "size": job.size}
        db.session.remove()
    return out


def _run(app) -> int:
    with app.app_context():
        n = services.run_pending()
        db.session.remove()
    return n


def test_small_log_downloads_at_once(app, tenants, make_user, login, csrf_off):
    uid = make_user("k@example.org", "coordinator")
    _entries(app, tenants["wielkopolskie"], 3, action="=HYPERLINK(\"http://x\")")
    client = login(app.test_client(), uid)
    r = client.post("/wielkopolskie/dziennik/eksport")
    assert r.status_code == 200
    assert r.headers["Content-Disposition"].startswith("attachment")
    rows = _rows(r.data)
    assert len(rows) == 4 and rows[0][0] == "Kiedy (UTC)"
    assert all(row[2].startswith("'=") for row in rows[1:])  # never a formula cell
    assert "Grupa łódzka 0" in rows[-1][5] or "Grupa łódzka 0" in "".join(r[5] for r in rows)
    with app.app_context():
        assert db.session.scalar(select(ExportJob.id)) is None


def test_large_log_becomes_a_job_with_progress(app, tenants, make_user, login, csrf_off,
                                               small_inline, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    uid = make_user("k@example.org", "coordinator")
    _entries(app, tenants["wielkopolskie"], 7)
    _entries(app, tenants["lodzkie"], 5)  # another region's log is not exported
    client = login(app.test_client(), uid)
    r = client.post("/wielkopolskie/dziennik/eksport")
    assert r.status_code == 303
    page = client.get(r.headers["Location"])
    body = page.get_data(as_text=True)
    assert "Czeka w kolejce" in body and "7 wierszy" in body and 'hx-trigger="every 2s"' in body
    job_id = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    poll = client.get(f"/eksporty/{job_id}?poll=1", headers={"HX-Request": "true"})
    assert poll.status_code == 200 and "<html" not in poll.get_data(as_text=True)
    assert client.get(f"/eksporty/{job_id}/plik").status_code == 404  # not ready yet

    progress: list[int] = []
    real = services._set_progress
    monkeypatch.setattr(services, "_set_progress",
                        lambda jid, n: (real(jid, n), progress.append(_job(app, jid)["done"])))
    assert _run(app) == 1
    assert progress == [2, 4, 6]  # visible to other connections while the export runs
    state = _job(app, job_id)
    assert state["status"] == "done" and state["done"] == 7 and state["size"] > 0

    poll = client.get(f"/eksporty/{job_id}?poll=1", headers={"HX-Request": "true"})
    assert poll.status_code == 286  # htmx stops polling
    assert f"/eksporty/{job_id}/plik" in poll.get_data(as_text=True)
    download = client.get(f"/eksporty/{job_id}/plik")
    assert download.status_code == 200
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert len(_rows(download.data)) == 8
    listing = client.get("/eksporty/").get_data(as_text=True)
    assert "dziennik-zmian-" in listing and "Gotowy" in listing


def test_only_the_requester_sees_the_job(app, tenants, make_user, login, csrf_off, small_inline):
    owner = make_user("k@example.org", "coordinator")
    colleague = make_user("k2@example.org", "coordinator")
    admin = make_user("a@example.org", admin=True)
    _entries(app, tenants["wielkopolskie"], 5)
    r = login(app.test_client(), owner).post("/wielkopolskie/dziennik/eksport")
    job_id = int(r.headers["Location"].rsplit("/", 1)[-1])
    _run(app)
    for other in (colleague, admin):
        client = login(app.test_client(), other)
        assert client.get(f"/eksporty/{job_id}").status_code == 404
        assert client.get(f"/eksporty/{job_id}/plik").status_code == 404
        assert "dziennik-zmian" not in client.get("/eksporty/").get_data(as_text=True)


def test_download_rechecks_the_right_to_the_data(app, tenants, make_user, login, csrf_off,
                                                 small_inline):
    owner = make_user("k@example.org", "coordinator")
    _entries(app, tenants["wielkopolskie"], 5)
    client = login(app.test_client(), owner)
    job_id = int(client.post("/wielkopolskie/dziennik/eksport").headers["Location"].rsplit("/", 1)[-1])
    _run(app)
    make_user("k@example.org", "member")  # demoted meanwhile
    assert client.get(f"/eksporty/{job_id}/plik").status_code == 403


def test_members_cannot_request_the_export(app, tenants, make_user, login, csrf_off):
    member = make_user("m@example.org", "member")
    assert login(app.test_client(), member).post("/wielkopolskie/dziennik/eksport").status_code == 403


def test_platform_log_for_administrators(app, tenants, make_user, login, csrf_off, small_inline):
    admin = make_user("a@example.org", admin=True)
    _entries(app, tenants["wielkopolskie"], 2)
    _entries(app, tenants["lodzkie"], 2)
    client = login(app.test_client(), admin)
    r = client.post("/admin/dziennik/eksport")
    assert r.status_code == 303
    _run(app)
    job_id = int(r.headers["Location"].rsplit("/", 1)[-1])
    rows = _rows(client.get(f"/eksporty/{job_id}/plik").data)
    assert len(rows) - 1 >= 4 and {row[6] for row in rows[1:]} >= {tenants["wielkopolskie"], tenants["lodzkie"]}


def test_claim_is_exclusive_and_crashed_runs_are_retried_then_given_up(app, tenants, make_user, clock):
    uid = make_user("k@example.org", "coordinator")
    _entries(app, tenants["wielkopolskie"], 2)
    job_id = _queued(app, uid, tenants["wielkopolskie"])
    with app.app_context():
        assert services.claim(job_id) is True
        assert services.claim(job_id) is False  # a second scheduler does not get it
        db.session.remove()
    # the process died: after the stale period the job is taken again, until MAX_ATTEMPTS
    for attempt in range(2, services.MAX_ATTEMPTS + 1):
        clock.now += services.STALE_AFTER + timedelta(minutes=1)
        with app.app_context():
            assert services.claim(job_id) is True
            db.session.remove()
        assert _job(app, job_id)["attempts"] == attempt
    clock.now += services.STALE_AFTER + timedelta(minutes=1)
    assert _run(app) == 0
    assert _job(app, job_id)["status"] == "failed"


def test_failed_export_is_recorded(app, tenants, make_user, login, csrf_off, small_inline,
                                   monkeypatch):
    from coordination.exports import audit as audit_export

    uid = make_user("k@example.org", "coordinator")
    _entries(app, tenants["wielkopolskie"], 5)
    client = login(app.test_client(), uid)
    job_id = int(client.post("/wielkopolskie/dziennik/eksport").headers["Location"].rsplit("/", 1)[-1])

    def broken(tenant_id):
        raise RuntimeError("database went away")
        yield  # pragma: no cover

    monkeypatch.setattr(audit_export, "_rows", broken)
    assert _run(app) == 1
    assert _job(app, job_id)["status"] == "failed"
    body = client.get(f"/eksporty/{job_id}").get_data(as_text=True)
    assert "Nie udało się przygotować eksportu" in body


def test_finished_exports_expire(app, tenants, make_user, clock):
    uid = make_user("k@example.org", "coordinator")
    _entries(app, tenants["wielkopolskie"], 1)
    job_id = _queued(app, uid, tenants["wielkopolskie"])
    _run(app)
    clock.now += timedelta(days=app.config["EXPORT_KEEP_DAYS"] - 1)
    with app.app_context():
        assert services.expire_old() == 0
    clock.now += timedelta(days=2)
    with app.app_context():
        assert services.expire_old() == 1
        assert db.session.get(ExportJob, job_id) is None
        db.session.remove()


def test_empty_list_says_what_to_do(app, make_user, login):
    client = login(app.test_client(), make_user("k@example.org", "coordinator"))
    body = client.get("/eksporty/").get_data(as_text=True)
    assert "Nie zlecono jeszcze żadnego dużego eksportu" in body
