"""What an OWES is judged against belongs to the coordinator (issue 16, item 5): the
representative cannot change targets, the accreditation or the partnership directly — in the
services, the permissions and the pages — but proposes a change with a reason, which the
coordinator accepts (applied, audited, the proposer notified) or rejects with a comment."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from coordination.audit import AuditLog
from coordination.auth.models import User
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.notifications.models import Notification
from coordination.tenancy import tenant_context
from owes.models import ActionPlan, ChangeProposal, Indicator, Owes, OwesOperator, PlanTarget
from owes.services import plans, proposals, registry

from .conftest import REGION, client_for

pytestmark = pytest.mark.usefixtures("csrf_off")

BASE = f"/{REGION}/owes"
HX = {"HX-Request": "true"}


def _ind(code):
    return db.session.scalar(select(Indicator).where(Indicator.code == code))


@pytest.fixture
def svc(app, world):
    with app.test_request_context(), tenant_context(world.tenant_id):
        people = {k: db.session.get(User, v) for k, v in world.users.items()}
        owes, plan = db.session.get(Owes, world.owes_id), db.session.get(ActionPlan, world.plan_id)
        plans.set_target(plan, _ind("RES-01"), "absolute", Decimal(114), actor=people["coordinator"])
        yield owes, plan, people
        db.session.remove()


def _login_as(app, user):
    """Services read the permissions of the logged-in user of the request context."""
    from flask_login import login_user

    login_user(user)


def test_representative_cannot_change_what_the_owes_is_judged_against(app, svc):
    owes, plan, people = svc
    _login_as(app, people["owes"])
    rep = people["owes"]
    with pytest.raises(DomainError):
        plans.set_target(plan, _ind("RES-01"), "absolute", Decimal(10), actor=rep)
    target = db.session.scalar(select(PlanTarget))
    with pytest.raises(DomainError):
        registry.remove_child(target, "owes.target_remove", actor=rep)
    with pytest.raises(DomainError):
        registry.save_owes(owes, {"accreditation_number": "X/1", "accredited_to": date(2030, 1, 1)},
                           actor=rep)
    with pytest.raises(DomainError):
        registry.add_operator(owes, "Fundacja", "partner", None, actor=rep)
    db.session.rollback()
    assert db.session.scalar(select(PlanTarget.value)) == Decimal(114)
    assert db.session.get(Owes, owes.id).accreditation_number is None
    # the contact data stays theirs
    registry.save_owes(owes, {"contact_phone": "61 000 00 00"}, actor=rep)
    assert db.session.get(Owes, owes.id).contact_phone == "61 000 00 00"


def test_target_proposal_accepted_is_applied_audited_and_notified(app, svc):
    owes, plan, people = svc
    _login_as(app, people["owes"])
    with pytest.raises(DomainError):  # a reason is required
        proposals.propose(owes, "target", {"indicator_id": _ind("RES-01").id, "value": "100"}, " ",
                          actor=people["owes"], plan=plan)
    with pytest.raises(DomainError):  # the same value is no change
        proposals.propose(owes, "target", {"indicator_id": _ind("RES-01").id, "value": "114"},
                          "bez zmian", actor=people["owes"], plan=plan)
    row = proposals.propose(owes, "target", {"indicator_id": _ind("RES-01").id, "value": "100,5".replace(",", ".")},
                            "Mniejszy nabór w 2020 r.", actor=people["owes"], plan=plan)
    assert row.status == "pending" and row.payload["before"]["value"] == "114.00"
    assert db.session.scalar(select(PlanTarget.value)) == Decimal(114)  # nothing changes yet
    notes = db.session.scalars(select(Notification).where(Notification.kind == "owes_proposal")).all()
    assert [n.user_id for n in notes] == [people["coordinator"].id]
    with pytest.raises(DomainError):  # the representative cannot decide
        proposals.decide(row, True, None, actor=people["owes"])
    _login_as(app, people["coordinator"])
    proposals.decide(row, True, None, actor=people["coordinator"])
    assert db.session.scalar(select(PlanTarget.value)) == Decimal("100.5")
    assert row.status == "accepted" and row.decided_by_id == people["coordinator"].id
    actions = set(db.session.scalars(select(AuditLog.action)))
    assert {"owes.proposal_create", "owes.proposal_accept", "owes.target_set"} <= actions
    decided = db.session.scalar(select(Notification).where(Notification.kind == "owes_proposal_decided"))
    assert decided.user_id == people["owes"].id and decided.context["status"] == "accepted"
    from flask import render_template

    common = {"recipient_name": "Ola Owes", "tenant_name": "wielkopolskie", "kind_label": "x",
              "preferences_url": "https://example.org/p", "unsubscribe_url": None}
    for name, note, expected in (("notify_owes_proposal", notes[0], "proponuje zmianę celów"),
                                 ("notify_owes_proposal_decided", decided, "przyjął propozycję")):
        for ext in ("txt", "html"):
            body = render_template(f"email/{name}.{ext}", **{**common, **note.context})
            assert expected in body and "OWES Pierwszy" in body and "/propozycje/" in body
    with pytest.raises(DomainError):  # decided once
        proposals.decide(row, False, "jednak nie", actor=people["coordinator"])


def test_rejection_needs_a_comment_and_changes_nothing(app, svc):
    owes, plan, people = svc
    _login_as(app, people["owes"])
    row = proposals.propose(owes, "target_remove", {"indicator_id": _ind("RES-01").id},
                            "Wskaźnik nie dotyczy naszego subregionu.", actor=people["owes"], plan=plan)
    _login_as(app, people["coordinator"])
    with pytest.raises(DomainError):
        proposals.decide(row, False, "", actor=people["coordinator"])
    proposals.decide(row, False, "Cel wynika z umowy o dofinansowanie.", actor=people["coordinator"])
    assert row.status == "rejected" and db.session.scalar(select(PlanTarget.value)) == Decimal(114)
    assert "owes.proposal_reject" in set(db.session.scalars(select(AuditLog.action)))


def test_accreditation_and_operator_proposals(app, svc):
    owes, plan, people = svc
    _login_as(app, people["coordinator"])
    op = registry.add_operator(owes, "Fundacja Partnerska", "partner", None, actor=people["coordinator"])
    _login_as(app, people["owes"])
    with pytest.raises(DomainError):  # the end before the start
        proposals.propose(owes, "accreditation", {"accredited_from": date(2026, 1, 1),
                                                  "accredited_to": date(2025, 1, 1)}, "x",
                          actor=people["owes"])
    acc = proposals.propose(owes, "accreditation", {"accreditation_number": "OWES/7/2026",
                                                    "accredited_from": date(2026, 1, 1),
                                                    "accredited_to": date(2028, 12, 31)},
                            "Nowa decyzja ministra.", actor=people["owes"])
    rem = proposals.propose(owes, "operator_remove", {"operator_id": op.id},
                            "Partner wystąpił z partnerstwa.", actor=people["owes"])
    _login_as(app, people["coordinator"])
    proposals.decide(acc, True, None, actor=people["coordinator"])
    proposals.decide(rem, True, "Zgodnie z aneksem.", actor=people["coordinator"])
    fresh = db.session.get(Owes, owes.id)
    assert (fresh.accreditation_number, fresh.accredited_to) == ("OWES/7/2026", date(2028, 12, 31))
    assert db.session.get(OwesOperator, op.id) is None


def test_only_the_bound_representative_proposes(app, svc):
    owes, plan, people = svc
    for who in ("other_owes", "coordinator", "member"):
        _login_as(app, people[who])
        with pytest.raises(DomainError):
            proposals.propose(owes, "target", {"indicator_id": _ind("RES-01").id, "value": "1"},
                              "x", actor=people[who], plan=plan)


def test_views_propose_and_decide(app, login, world, pinned_clock):
    pinned_clock.set(datetime(2021, 9, 1, 9, 0))
    with app.app_context(), tenant_context(world.tenant_id):
        plan = db.session.get(ActionPlan, world.plan_id)
        plans.set_target(plan, _ind("RES-01"), "absolute", Decimal(114), actor=None)
        res01 = _ind("RES-01").id
        db.session.remove()
    rep = client_for(app, login, world, "owes")
    plan_page = rep.get(f"{BASE}/{world.owes_id}/plany/{world.plan_id}").get_data(as_text=True)
    assert "/cele/" not in plan_page and "rodzaj=target" in plan_page  # no remove, a proposal
    assert rep.get(f"{BASE}/{world.owes_id}/plany/{world.plan_id}/cele").status_code == 403
    url = f"{BASE}/{world.owes_id}/propozycje/nowa?rodzaj=target&plan={world.plan_id}&wskaznik={res01}"
    form = rep.get(url).get_data(as_text=True)
    assert "Uzasadnienie zmiany" in form
    data = {"kind": "target", "plan_id": world.plan_id, "indicator_id": res01, "value": "100,5",
            "operator_id": 0, "reason": ""}
    r = rep.post(url, data=data, headers=HX)
    assert r.status_code == 422 and "<html" not in r.get_data(as_text=True)
    assert "Prosimy podać uzasadnienie zmiany." in r.get_data(as_text=True)
    r = rep.post(url, data=data)
    assert r.status_code == 422 and "<html" in r.get_data(as_text=True)
    r = rep.post(url, data={**data, "reason": "Mniejszy nabór."}, headers=HX)
    assert r.status_code == 204 and r.headers["HX-Redirect"].endswith("/owes/moj")
    home = rep.get(f"{BASE}/moj").get_data(as_text=True)
    assert "Mój OWES" in home and "oczekuje na decyzję" in home and "100,5" in home
    with app.app_context(), tenant_context(world.tenant_id):
        pid = db.session.scalar(select(ChangeProposal.id))
    detail = f"{BASE}/{world.owes_id}/propozycje/{pid}"
    assert rep.post(detail, data={"accept": "1"}).status_code == 403
    assert client_for(app, login, world, "other_owes").get(detail).status_code == 403
    coord = client_for(app, login, world, "coordinator")
    listing = coord.get(f"{BASE}/propozycje", headers=HX).get_data(as_text=True)
    assert "OWES Pierwszy" in listing and "<html" not in listing
    assert rep.get(f"{BASE}/propozycje").status_code == 403
    r = coord.post(detail, data={"reject": "1", "comment": ""}, headers=HX)
    assert r.status_code == 422 and "Prosimy podać powód odrzucenia propozycji." in r.get_data(as_text=True)
    r = coord.post(detail, data={"accept": "1", "comment": ""})
    assert r.status_code == 303
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.scalar(select(PlanTarget.value)) == Decimal("100.5")


def test_my_owes_home(app, login, world, pinned_clock):
    pinned_clock.set(datetime(2021, 9, 1, 9, 0))  # 2021-H1 has ended: it is due
    with app.app_context(), tenant_context(world.tenant_id):
        plan = db.session.get(ActionPlan, world.plan_id)
        plans.set_target(plan, _ind("SZK-01"), "absolute", Decimal(34), actor=None)
        db.session.remove()
    rep = client_for(app, login, world, "owes")
    for headers in ({}, HX):
        r = rep.get(f"{BASE}/moj", headers=headers)
        body = r.get_data(as_text=True)
        assert r.status_code == 200 and ("<html" in body) is (not headers)
        assert "Plan 2018–2021" in body and "SZK-01" in body and "2021, 1. półrocze" in body
    pinned_clock.set(datetime(2026, 12, 4, 9, 0))  # the plan has ended
    body = rep.get(f"{BASE}/moj").get_data(as_text=True)
    assert "Żaden plan działania nie jest obecnie realizowany" in body
    member = client_for(app, login, world, "member").get(f"{BASE}/moj").get_data(as_text=True)
    assert "nie jest przypisane do żadnego OWES" in member


def test_accreditation_proposal_pages_show_the_proposed_dates(app, login, world, pinned_clock):
    """The payload keeps dates as ISO text (JSON): the pages show them in Polish (it answered
    500 on every page listing the proposal)."""
    pinned_clock.set(datetime(2021, 9, 1, 9, 0))
    with app.app_context(), tenant_context(world.tenant_id):  # the form's selects, as a browser sends them
        plans.set_target(db.session.get(ActionPlan, world.plan_id), _ind("RES-01"), "absolute", Decimal(114),
                         actor=None)
        res01 = _ind("RES-01").id
        db.session.remove()
    rep = client_for(app, login, world, "owes")
    url = f"{BASE}/{world.owes_id}/propozycje/nowa?rodzaj=accreditation"
    r = rep.post(url, data={"kind": "accreditation", "accreditation_number": "AKSES/OWES/10/2016",
                            "accredited_from": "2016-01-01", "accredited_to": "2028-02-02",
                            "reason": "Przedłużenie akredytacji.", "plan_id": world.plan_id,
                            "indicator_id": res01, "operator_id": 0, "value": ""})
    assert r.status_code == 303, [line for line in r.get_data(as_text=True).splitlines() if "error" in line]
    with app.app_context(), tenant_context(world.tenant_id):
        pid = db.session.scalar(select(ChangeProposal.id))
    coord = client_for(app, login, world, "coordinator")
    for client, page in ((rep, f"{BASE}/moj"), (coord, f"{BASE}/propozycje"),
                         (coord, f"{BASE}/{world.owes_id}/propozycje/{pid}")):
        response = client.get(page)
        assert response.status_code == 200, page
        assert "2 lutego 2028" in response.get_data(as_text=True)
