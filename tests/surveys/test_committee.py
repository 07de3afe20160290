"""Respondents from the region's committee group: preview, import, dedupe, pages, demo data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from coordination import clock
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import all_tenants, tenant_context
from surveys import demo, queries, services
from surveys.models import Campaign, Respondent
from tenants.models import Tenant
from workgroups.models import GroupMember

HX = {"HX-Request": "true"}
LONG_AGO = date(2020, 1, 1)


def _member(group_id, name, email, *, user_id=None, category="owes", institution=None, **extra):
    db.session.add(GroupMember(group_id=group_id, full_name=name, email=email, user_id=user_id,
                               category=category, institution=institution, role=extra.pop("role", "member"),
                               date_from=extra.pop("date_from", LONG_AGO), **extra))


@pytest.fixture
def committee(app, tenants, make_group, make_user):
    """A Wielkopolskie committee: an account member (the account's e-mail counts), contacts
    (one in mixed case, one twice, one without e-mail), an ended and a future membership; a
    promotion group and Łódzkie's committee that must never be read."""
    account = make_user("Konto.Czlonka@Example.org", name="Konto Członka")
    gid = make_group("Komitet Wielkopolski", kind="committee")
    other = make_group("Grupa promocji")
    foreign = make_group("Komitet Łódzki", tenant="lodzkie", kind="committee")
    today = clock.today()
    with app.app_context():
        with tenant_context(tenants["wielkopolskie"]):
            _member(gid, "Konto Członka", "stary.adres@example.org", user_id=account,
                    category="rops", institution="ROPS Poznań")
            _member(gid, "Anna Kontakt", "Anna.Kontakt@Example.ORG", category="pes", institution="Spółdzielnia")
            _member(gid, "Anna Kontakt", "anna.kontakt@example.org", role="substitute")
            _member(gid, "Bez Adresu", None, institution="Urząd Miasta", category="jst")
            _member(gid, "Zły Adres", "to-nie-adres")
            _member(gid, "Była Członkini", "byla@example.org", date_to=today - timedelta(days=1))
            _member(gid, "Przyszły Członek", "przyszly@example.org", date_from=today + timedelta(days=5))
            _member(other, "Z Innej Grupy", "inna@example.org")
            db.session.commit()
        with tenant_context(tenants["lodzkie"]):
            _member(foreign, "Członek Łódzki", "lodz@example.org")
            db.session.commit()
        db.session.remove()
    return gid


def _preview(tenants, cid):
    with tenant_context(tenants["wielkopolskie"]):
        return queries.committee_preview(cid)


def test_preview_import_and_reimport(app, ctx, tenants, committee, make_campaign, make_respondent):
    cid = make_campaign()
    make_respondent(cid, "ANNA.kontakt@example.org", name="Anna (dodana ręcznie)")
    p = _preview(tenants, cid)
    assert p.group.name == "Komitet Wielkopolski"
    assert [(m.full_name, e) for m, e in p.to_add] == [("Konto Członka", "konto.czlonka@example.org")]
    assert [e for _m, e in p.already] == ["anna.kontakt@example.org"]
    assert sorted(m.full_name for m in p.no_email) == ["Bez Adresu", "Zły Adres"]
    with tenant_context(tenants["wielkopolskie"]):
        done = services.import_committee(db.session.get(Campaign, cid))
        assert len(done.to_add) == 1
        again = services.import_committee(db.session.get(Campaign, cid))
        assert again.to_add == [] and len(again.already) == 2
        people = {r.email: r for r in db.session.scalars(select(Respondent).where(Respondent.campaign_id == cid))}
    assert set(people) == {"anna.kontakt@example.org", "konto.czlonka@example.org"}
    imported = people["konto.czlonka@example.org"]
    assert (imported.full_name, imported.category, imported.institution) == ("Konto Członka", "rops", "ROPS Poznań")
    assert imported.invited_at is None and imported.token_hash is None
    with tenant_context(tenants["wielkopolskie"]):
        rates = {category: (listed, responded) for category, listed, responded in queries.category_rates(cid)}
    assert rates == {None: (1, 0), "rops": (1, 0)}


def test_without_committee_group(app, ctx, tenants, make_group, make_campaign):
    make_group("Grupa promocji")
    cid = make_campaign()
    with tenant_context(tenants["wielkopolskie"]):
        assert queries.committee_preview(cid).group is None
        with pytest.raises(DomainError, match="grupy Komitetu"):
            services.import_committee(db.session.get(Campaign, cid))
        assert db.session.scalar(select(func.count(Respondent.id))) == 0


def _listed(app, tenants, cid):
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        return sorted(db.session.scalars(select(Respondent.email).where(Respondent.campaign_id == cid)))


@pytest.mark.parametrize("headers", [{}, HX])
def test_committee_import_pages(app, tenants, committee, coordinator, make_campaign, headers):
    cid = make_campaign()
    url = f"/wielkopolskie/ankiety/{cid}/respondenci/komitet"
    page = coordinator.get(f"/wielkopolskie/ankiety/{cid}/respondenci", headers=headers)
    assert page.status_code == 200 and url in page.get_data(as_text=True)
    r = coordinator.get(url, headers=headers)
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and ("<html" in body) == (not headers)
    assert "Komitet Wielkopolski" in body and "konto.czlonka@example.org" in body and "Dodaj 2 osoby do listy" in body
    assert "Bez Adresu" in body and "Zły Adres" in body and "Członek Łódzki" not in body
    assert "Była Członkini" not in body and "Przyszły Członek" not in body and "Z Innej Grupy" not in body
    assert _listed(app, tenants, cid) == []  # GET changes nothing
    done = coordinator.post(url, headers=headers)
    if headers:
        assert done.status_code == 204 and done.headers["HX-Redirect"].endswith(f"/{cid}/respondenci")
    else:
        assert done.status_code == 303
    assert _listed(app, tenants, cid) == ["anna.kontakt@example.org", "konto.czlonka@example.org"]
    after = coordinator.get(f"/wielkopolskie/ankiety/{cid}/respondenci", headers=headers).get_data(as_text=True)
    assert "ROPS Poznań" in after and "Zwrotność według kategorii instytucji" in after
    again = coordinator.get(url, headers=headers).get_data(as_text=True)
    assert "konto.czlonka@example.org" in again and "Nie ma kogo dodać" in again and "do listy</button>" not in again
    coordinator.post(url, headers=headers)
    assert len(_listed(app, tenants, cid)) == 2


@pytest.mark.parametrize("headers", [{}, HX])
def test_committee_import_without_group(app, tenants, coordinator, make_campaign, headers):
    cid = make_campaign()
    url = f"/wielkopolskie/ankiety/{cid}/respondenci/komitet"
    body = coordinator.get(url, headers=headers).get_data(as_text=True)
    assert "nie ma grupy" in body and f"/{cid}/respondenci#import-h" in body
    r = coordinator.post(url, headers=headers)
    assert r.status_code == 422 and "Region nie ma grupy Komitetu" in r.get_data(as_text=True)


def test_committee_import_needs_the_manage_right(app, committee, make_user, login, make_campaign):
    cid = make_campaign()
    member = login(app.test_client(), make_user("m@example.org", "member"))
    assert member.get(f"/wielkopolskie/ankiety/{cid}/respondenci/komitet").status_code == 403


def test_demo_open_campaign_uses_the_committee(app, ctx, tenants, committee):
    regions = {t.slug: t for t in db.session.scalars(select(Tenant))}
    demo.seed({"wielkopolskie": regions["wielkopolskie"]})
    with all_tenants():
        by_year = {c.year: c.id for c in db.session.scalars(select(Campaign))}
        people = db.session.scalars(select(Respondent).where(Respondent.campaign_id == by_year[demo.open_year()])).all()
        older = db.session.scalars(select(Respondent.email).where(
            Respondent.campaign_id == by_year[demo.open_year() - 1])).all()
    assert {p.email for p in people} == {"anna.kontakt@example.org", "konto.czlonka@example.org"}
    assert all(p.invited_at is not None and p.is_demo for p in people)
    assert sum(p.completed for p in people) == 0  # 2 members - 3 kept as non-respondents
    assert len(older) == 21 and all(e.startswith("czlonek") for e in older)
