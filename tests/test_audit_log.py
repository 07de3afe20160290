"""The audit log in Polish words: descriptions, objects with links, readable details, Warsaw
time, filters; the export keeps the codes and UTC."""

from __future__ import annotations

import io
import re
from datetime import datetime

from python_calamine import CalamineWorkbook

from coordination import audit
from coordination.audit import AuditLog
from coordination.audit_labels import describe, details, read_filters, when_label
from coordination.auth.models import User
from coordination.extensions import db
from coordination.tenancy import tenant_context

HX = {"HX-Request": "true"}


def _write(app, pinned_clock, at: datetime, action: str, *, tenant_id=None, actor_id=None,
           obj=None, summary=None) -> None:
    pinned_clock.set(at)
    with app.app_context(), tenant_context(tenant_id):
        actor = db.session.get(User, actor_id) if actor_id else None
        if obj is not None:
            obj = db.session.get(*obj)
        audit.record(action, actor=actor, obj=obj, summary=summary, tenant_id=tenant_id)
        db.session.commit()
        db.session.remove()


def test_details_read_as_polish_key_value(app):
    with app.test_request_context():
        got = details("minutes.adopt", {"mode": "meeting", "on": "2025-07-02", "meeting_id": 2})
        assert got == [("Tryb przyjęcia", "na kolejnym posiedzeniu"), ("Data", "2 lipca 2025"),
                       ("Numer posiedzenia", "2")]
        assert details("user.platform", {"is_national": [False, True], "active": [True, False]}) == [
            ("Konsultant krajowy", "nie → tak"), ("Konto aktywne", "tak → nie")]
        assert details("user.invite", {"role": "coordinator", "hours": 2.5}) == [
            ("Rola", "Koordynator"), ("Godziny", "2,5")]


def test_times_are_warsaw_in_polish_form(app):
    with app.test_request_context():
        assert when_label(datetime(2026, 12, 4, 9, 0)) == "4 grudnia 2026, 10:00"  # CET
        assert when_label(datetime(2026, 7, 1, 8, 30)) == "1 lipca 2026, 10:30"  # CEST
        assert when_label(datetime(2026, 12, 31, 23, 30)) == "1 stycznia 2027, 00:30"  # New Year


def test_date_filters_are_warsaw_days(app):
    with app.test_request_context():
        form, filters, errors = read_filters({"od": "2026-12-04", "do": "2026-12-04"})
        assert filters["since"] == datetime(2026, 12, 3, 23, 0)
        assert filters["until"] == datetime(2026, 12, 4, 23, 0)
        _form, filters, errors = read_filters({"od": "4.12.2026", "do": "2026-12-01", "actor": "x"})
        assert "since" not in filters and "actor_id" not in filters
        assert errors == ["Od: prosimy podać datę, np. 2026-12-04."]
        _form, filters, errors = read_filters({"od": "2026-12-05", "do": "2026-12-01"})
        assert "until" not in filters and errors


def test_describe_names_objects_and_links_them(app, tenants, make_user, make_group, pinned_clock):
    admin_id = make_user("admin@example.org", admin=True, name="Anna Admińska")
    uid = make_user("osoba@example.org", name="Ewa Łęcka")
    gid = make_group("Grupa ds. promocji")
    from workgroups.models.groups import Group

    _write(app, pinned_clock, datetime(2026, 12, 4, 9, 0), "user.create", actor_id=admin_id,
           obj=(User, uid), summary={"email": "osoba@example.org"})
    _write(app, pinned_clock, datetime(2026, 12, 4, 9, 5), "group.update",
           tenant_id=tenants["wielkopolskie"], actor_id=admin_id, obj=(Group, gid),
           summary={"name": ["Grupa", "Grupa ds. promocji"]})
    with app.test_request_context():
        from flask_login import login_user

        login_user(db.session.get(User, admin_id))
        entries = db.session.scalars(audit.entries_query(None, {"actor_id": admin_id})).all()
        group_row, user_row = describe(entries)
    assert (user_row.when, user_row.who, user_row.action) == (
        "4 grudnia 2026, 10:00", "Anna Admińska", "Utworzenie konta")
    assert (user_row.object_label, user_row.object_name) == ("Konto", "Ewa Łęcka")
    assert user_row.object_url == f"/admin/uzytkownicy/{uid}"
    assert group_row.action == "Zmiana danych grupy" and group_row.object_label == "Grupa"
    assert group_row.object_url == f"/wielkopolskie/grupy/{gid}"
    assert group_row.details == [("Nazwa", "Grupa → Grupa ds. promocji")]


def test_log_page_speaks_polish_and_filters(app, tenants, make_user, login, pinned_clock):
    admin_id = make_user("admin@example.org", admin=True, name="Anna Admińska")
    other_id = make_user("inna@example.org", admin=True, name="Beata Inna")
    _write(app, pinned_clock, datetime(2026, 12, 3, 22, 30), "minutes.adopt",
           tenant_id=tenants["wielkopolskie"], actor_id=admin_id,
           summary={"mode": "meeting", "on": "2026-12-03"})
    _write(app, pinned_clock, datetime(2026, 12, 4, 9, 0), "user.platform", actor_id=other_id,
           summary={"is_national": [False, True]})
    client = login(app.test_client(), admin_id)
    body = client.get("/admin/dziennik").get_data(as_text=True)
    assert "Przyjęcie protokołu" in body and "minutes.adopt" not in body.split("<tbody>")[1]
    assert "Tryb przyjęcia" in body and "na kolejnym posiedzeniu" in body and "mode:" not in body
    assert "3 grudnia 2026, 23:30" in body and "4 grudnia 2026, 10:00" in body
    assert "Konsultant krajowy" in body and "nie → tak" in body
    r = client.get("/admin/dziennik?action=minutes.adopt", headers=HX)
    part = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" not in part
    assert "Przyjęcie protokołu" in part and "nie → tak" not in part
    part = client.get(f"/admin/dziennik?actor={other_id}").get_data(as_text=True)
    assert "nie → tak" in part and "Przyjęcie protokołu" not in part.split("<tbody>")[1]
    # 22:30 UTC on 3 December is 23:30 in Warsaw: still 3 December there
    part = client.get("/admin/dziennik?od=2026-12-04&do=2026-12-04").get_data(as_text=True)
    assert "nie → tak" in part and "na kolejnym posiedzeniu" not in part
    part = client.get("/admin/dziennik?od=2026-12-03&do=2026-12-03").get_data(as_text=True)
    assert "na kolejnym posiedzeniu" in part and "nie → tak" not in part
    bad = client.get("/admin/dziennik?od=jutro").get_data(as_text=True)
    assert "prosimy podać datę" in bad and "nie → tak" in bad
    empty = client.get("/admin/dziennik?od=2020-01-01&do=2020-01-02").get_data(as_text=True)
    assert "Żaden wpis nie spełnia warunków filtru." in empty


def test_log_paginates(app, tenants, make_user, login, pinned_clock):
    admin_id = make_user("admin@example.org", admin=True)
    with app.app_context():
        for i in range(app.config["PER_PAGE"] + 1):
            audit.record("group.create", summary={"name": f"Grupa {i}"}, tenant_id=tenants["lodzkie"])
        db.session.commit()
    client = login(app.test_client(), admin_id)
    second = client.get("/admin/dziennik?page=2&action=group.create").get_data(as_text=True)
    assert "Strona 2 z 2" in second and "Grupa 0" in second


def test_coordinator_sees_own_region_without_admin_links(app, tenants, make_user, login,
                                                        pinned_clock):
    uid = make_user("osoba@example.org", "member", name="Ewa Łęcka")
    coordinator_id = make_user("k@example.org", "coordinator")
    client = login(app.test_client(), coordinator_id)
    from coordination.auth.models import Membership

    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        from sqlalchemy import select

        mid = db.session.scalar(select(Membership.id).where(Membership.user_id == uid))
    _write(app, pinned_clock, datetime(2026, 12, 4, 9, 0), "user.role",
           tenant_id=tenants["wielkopolskie"], actor_id=coordinator_id, obj=(Membership, mid),
           summary={"role": ["member", "coordinator"]})
    body = client.get("/wielkopolskie/dziennik").get_data(as_text=True)
    assert "Zmiana roli w regionie" in body and "Członek → Koordynator" in body
    assert "/admin/uzytkownicy" not in body and "Rola w regionie" in body


def test_export_keeps_codes_and_utc_with_iso_times(app, tenants, make_user, login, csrf_off,
                                                   pinned_clock):
    admin_id = make_user("admin@example.org", admin=True)
    _write(app, pinned_clock, datetime(2026, 12, 4, 9, 0), "minutes.adopt",
           tenant_id=tenants["wielkopolskie"], actor_id=admin_id, summary={"mode": "meeting"})
    _write(app, pinned_clock, datetime(2026, 12, 4, 9, 5), "user.platform", actor_id=admin_id)
    client = login(app.test_client(), admin_id)
    r = client.post("/admin/dziennik/eksport?action=minutes.adopt")
    assert r.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.data)).get_sheet_by_index(0).to_python()
    header, *data = rows
    assert header[0] == "Kiedy (UTC)" and header[2] == "Kod czynności"
    assert header[7] == "Kiedy (czas polski)" and header[8] == "Czynność"
    assert len(data) == 1  # the page's filter applies to the export
    [row] = data
    assert row[0] == "2026-12-04T09:00:00+00:00" and row[7] == "2026-12-04T10:00:00+01:00"
    assert row[2] == "minutes.adopt" and row[8] == "Przyjęcie protokołu"
    assert re.search(r'"mode": "meeting"', row[5])
    assert AuditLog.__tablename__ == "audit_log"
