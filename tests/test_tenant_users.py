"""The region's list of people (outside tester's findings): a search term with control
characters is searched without them, and the region's last coordinator cannot be removed —
the confirmation page says so and the service refuses it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coordination.auth import services as auth_services
from coordination.auth.models import Membership, User
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import tenant_context

HX = {"HX-Request": "true"}
URL = "/wielkopolskie/uzytkownicy"
pytestmark = pytest.mark.usefixtures("csrf_off")


@pytest.fixture
def people(make_user):
    return {"coordinator": make_user("koord@example.org", "coordinator", name="Kasia Koordynator"),
            "member": make_user("czlonek@example.org", "member", name="Jan Członek"),
            "owes": make_user("owes@example.org", "owes", name="Ola Owes")}


def _membership_id(app, tenants, user_id) -> int:
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        mid = db.session.scalar(select(Membership.id).where(Membership.user_id == user_id))
        db.session.remove()
    return mid


@pytest.mark.parametrize("raw", ["%00zzz", "zz%00z", "%1bzzz%07", "%0bzzz"])
def test_search_ignores_control_characters(app, login, people, raw):
    client = login(app.test_client(), people["coordinator"])
    for headers in ({}, HX):
        resp = client.get(f"{URL}?q={raw}", headers=headers)
        body = resp.get_data(as_text=True)
        assert resp.status_code == 200
        assert "Nikt nie pasuje do „zzz”." in body
        assert "Jan Członek" not in body and "Ola Owes" not in body and "Razem" not in body
        assert 'value="zzz"' in body and "\x00" not in body and "\ufffd" not in body
    hit = client.get(f"{URL}?q=%00jan").get_data(as_text=True)
    assert "Jan Członek" in hit and "Ola Owes" not in hit


def test_the_last_coordinator_cannot_be_removed(app, login, tenants, people):
    mid = _membership_id(app, tenants, people["coordinator"])
    client = login(app.test_client(), people["coordinator"])
    for headers in ({}, HX):
        page = client.get(f"{URL}/{mid}/usun", headers=headers).get_data(as_text=True)
        assert "pełni jako jedyna osoba rolę koordynatora w tym regionie" in page
        assert "Tak, usuń dostęp" not in page
    resp = client.post(f"{URL}/{mid}/usun", headers=HX)
    assert resp.headers.get("HX-Redirect", "").endswith(URL)
    assert _membership_id(app, tenants, people["coordinator"]) == mid
    # the service refuses it whoever asks (an administrator, a script), not only this view
    with app.test_request_context(), tenant_context(tenants["wielkopolskie"]):
        membership = db.session.get(Membership, mid)
        with pytest.raises(DomainError, match="jedynym koordynatorem"):
            auth_services.remove_membership(membership, actor=db.session.get(User, people["coordinator"]))
        db.session.remove()
    assert _membership_id(app, tenants, people["coordinator"]) == mid


def test_a_coordinator_among_several_and_other_people_can_be_removed(app, login, tenants, people, make_user):
    second = make_user("koord2@example.org", "coordinator", name="Zofia Druga")
    client = login(app.test_client(), people["coordinator"])
    for uid in (people["member"], second):
        mid = _membership_id(app, tenants, uid)
        page = client.get(f"{URL}/{mid}/usun").get_data(as_text=True)
        assert "Tak, usuń dostęp" in page and "jedyna osoba" not in page
        resp = client.post(f"{URL}/{mid}/usun", headers=HX)
        assert resp.headers.get("HX-Redirect", "").endswith(URL)
        assert _membership_id(app, tenants, uid) is None
    # now the first coordinator is the last one again
    mid = _membership_id(app, tenants, people["coordinator"])
    assert "jedyna osoba" in client.get(f"{URL}/{mid}/usun").get_data(as_text=True)


def test_a_platform_administrator_may_still_take_the_last_coordinator_away(app, tenants, people, make_user):
    """The administrator manages every region (and may already take the role away): the rule
    guards the region's own people, not the platform operator."""
    admin = make_user("admin@example.org", admin=True)
    mid = _membership_id(app, tenants, people["coordinator"])
    with app.test_request_context(), tenant_context(tenants["wielkopolskie"]):
        auth_services.remove_membership(db.session.get(Membership, mid), actor=db.session.get(User, admin))
        db.session.remove()
    assert _membership_id(app, tenants, people["coordinator"]) is None
