"""'Moje ankiety': a signed-in person fills their survey in the app. The app finds the person's
invitation by the account's e-mail and continues in the token questionnaire pages, so the
response is exactly as unlinked from the person as one answered through the e-mail link."""

from __future__ import annotations

from sqlalchemy import select

from coordination.audit import AuditLog
from coordination.clock import utcnow
from coordination.extensions import db
from coordination.tenancy import all_tenants, tenant_context
from surveys import queries, services
from surveys.models import Answer, Campaign, Respondent, Response
from tests.surveys.conftest import campaign_and_questions, full_draft

HX = {"HX-Request": "true"}
EMAIL = "marek.czlonek@example.org"


def _invite(app, tenants, campaign_id, email=EMAIL, *, invited=True, token=True):
    """A person on the list: invited (the e-mail went out, or is queued) with or without a token."""
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, campaign_id)
        person = services.add_respondent(campaign, "Marek Członek", email)
        clear = services.respondents.new_token(person) if token else None
        if invited:
            person.invited_at = utcnow()
        db.session.commit()
        rid = person.id
        db.session.remove()
    return rid, clear


def _state(app, tenants, email=EMAIL):
    with app.test_request_context(), tenant_context(tenants["wielkopolskie"]):
        return [(s.campaign.year, s.state, s.answered, s.total) for s in queries.my_open_surveys(email)]


def test_my_open_surveys_and_progress(app, tenants, make_campaign):
    open_id = make_campaign(year=2025)
    planned_id = make_campaign(year=2026, state="planned")
    closed_id = make_campaign(year=2024, state="closed")
    rid, _token = _invite(app, tenants, open_id, email="Marek.Czlonek@Example.org")
    for cid in (planned_id, closed_id):
        _invite(app, tenants, cid)
    _invite(app, tenants, open_id, "nie.zaproszony@example.org", invited=False)
    assert _state(app, tenants, "nie.zaproszony@example.org") == []
    assert _state(app, tenants, "inny@example.org") == []
    ((year, state, answered, total),) = _state(app, tenants)
    assert (year, state, answered) == (2025, "not_started", 0) and total > 20
    with app.test_request_context(), tenant_context(tenants["wielkopolskie"]):
        _campaign, questions = campaign_and_questions(open_id)
        person = db.session.get(Respondent, rid)
        services.save_draft(person, {"PROF-KAT": {"choice": "OWES", "other": ""}, "REG-01": "4"},
                            ["PROF-KAT", "REG-01"])
        db.session.remove()
    assert _state(app, tenants)[0][1:3] == ("in_progress", 2)
    with app.test_request_context(), tenant_context(tenants["wielkopolskie"]):
        campaign, questions = campaign_and_questions(open_id)
        services.submit(db.session.get(Respondent, rid), campaign, questions, full_draft(questions))
        db.session.remove()
    assert _state(app, tenants)[0][1] == "submitted"
    with app.test_request_context(), tenant_context(tenants["wielkopolskie"]):
        services.revoke_respondent(db.session.get(Respondent, rid))
        db.session.remove()
    assert _state(app, tenants) == []


def _member(app, make_user, login, email=EMAIL, role="member", tenant="wielkopolskie"):
    client = app.test_client()
    login(client, make_user(email, role, tenant, name="Marek Członek"))
    return client


def test_fill_in_the_app_keeps_the_anonymity_of_the_token_flow(app, tenants, make_user, login, csrf_off,
                                                              make_campaign):
    cid = make_campaign()
    rid, token = _invite(app, tenants, cid)
    client = _member(app, make_user, login)
    home = client.get("/wielkopolskie/").get_data(as_text=True)
    assert "Moje ankiety" in home and "Jeszcze nierozpoczęta." in home and "Wypełnij ankietę" in home
    listing = client.get("/wielkopolskie/ankiety/").get_data(as_text=True)
    assert "Moje ankiety" in listing and f"/wielkopolskie/ankiety/{cid}/wypelnij" in listing
    assert client.get(f"/wielkopolskie/ankiety/{cid}/wypelnij").status_code == 405
    entered = client.post(f"/wielkopolskie/ankiety/{cid}/wypelnij")
    assert entered.status_code == 303 and entered.headers["Location"] == "/ankieta"  # no token, no id
    intro = client.get("/ankieta")
    assert intro.status_code == 200 and "Rozpocznij ankietę" in intro.get_data(as_text=True)
    saved = client.post("/ankieta?strona=1", data={"action": "save", "q-PROF-KAT": "OWES", "q-PROF-STAZ": "GT3"})
    assert saved.status_code == 200
    assert "W toku: udzielono odpowiedzi na 2 z" in client.get("/wielkopolskie/").get_data(as_text=True)
    # the e-mail link still works (the app did not replace it) and sees the same draft
    with app.test_request_context(), all_tenants():
        assert services.find_by_token(token).id == rid
    with app.test_request_context(), tenant_context(tenants["wielkopolskie"]):
        _campaign, questions = campaign_and_questions(cid)
        draft = {**full_draft(questions), **db.session.get(Respondent, rid).draft}
        services.save_draft(db.session.get(Respondent, rid), draft, [q.code for q in questions])
        db.session.remove()
    done = client.post("/ankieta?strona=5", data={"action": "submit", "q-OTW-01": "Dobra współpraca"}, headers=HX)
    assert done.status_code == 204 and done.headers["HX-Redirect"] == "/ankieta"
    thanks = client.get("/ankieta").get_data(as_text=True)
    assert "Dziękujemy" in thanks and 'href="/wielkopolskie/"' in thanks  # back to the app
    home = client.get("/wielkopolskie/").get_data(as_text=True)
    assert "Odpowiedzi wysłane – dziękujemy." in home and f"/ankiety/{cid}/wypelnij" not in home
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        response = db.session.scalar(select(Response))
        assert response.respondent_name is None and response.anonymous
        stored = " ".join(f"{a.item} {a.num} {a.choice} {a.text}" for a in db.session.scalars(select(Answer)))
        assert "Dobra współpraca" in stored and EMAIL not in stored and "Marek" not in stored
        # nothing records that the account took part through the app
        entries = db.session.scalars(select(AuditLog)).all()
        assert not [e for e in entries if "survey" in e.action and e.actor_id is not None
                    and e.action != "survey.respondent.add"], [e.action for e in entries]
    again = client.post(f"/wielkopolskie/ankiety/{cid}/wypelnij")
    assert again.status_code == 303  # submitted: the questionnaire says so (answered only once)
    assert "Dziękujemy" in client.get("/ankieta").get_data(as_text=True)


def test_fill_in_the_app_with_htmx_and_without_a_token_yet(app, tenants, make_user, login, csrf_off, make_campaign):
    cid = make_campaign()
    rid, _none = _invite(app, tenants, cid, token=False)  # invitation queued, e-mail not sent yet
    client = _member(app, make_user, login)
    r = client.post(f"/wielkopolskie/ankiety/{cid}/wypelnij", headers=HX)
    assert r.status_code == 204 and r.headers["HX-Redirect"] == "/ankieta"
    assert client.get("/ankieta?strona=1").status_code == 200
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        assert db.session.get(Respondent, rid).token_hash  # only the hash, as for every link


def test_save_for_later_points_an_app_respondent_to_the_surveys_page(app, tenants, make_user, login,
                                                                   csrf_off, make_campaign):
    """Who started from their account is told to continue from the region's "Ankiety" page, not
    from an e-mail link they may never have opened; the token link keeps the e-mail wording."""
    cid = make_campaign()
    _rid, token = _invite(app, tenants, cid)
    client = _member(app, make_user, login)
    client.post(f"/wielkopolskie/ankiety/{cid}/wypelnij")
    intro = client.get("/ankieta").get_data(as_text=True)
    assert "tym samym linkiem" not in intro and "„Ankiety”" in intro
    saved = client.post("/ankieta?strona=1", data={"action": "save", "q-PROF-KAT": "OWES"},
                        headers=HX).get_data(as_text=True)
    assert "Odpowiedzi zostały zapisane" in saved and "link z wiadomości e-mail" not in saved
    assert "„Kontynuuj ankietę”" in saved and 'href="/wielkopolskie/ankiety/"' in saved
    # the same person opening the link from the e-mail reads the e-mail wording again
    client.get(f"/ankieta/{token}")
    assert "tym samym linkiem" in client.get("/ankieta").get_data(as_text=True)
    saved = client.post("/ankieta?strona=1", data={"action": "save", "q-PROF-KAT": "OWES"}).get_data(as_text=True)
    assert "link z wiadomości e-mail" in saved and "„Kontynuuj ankietę”" not in saved


def test_people_not_invited_get_no_survey(app, tenants, make_user, login, csrf_off, make_campaign):
    cid = make_campaign()
    _invite(app, tenants, cid, "ktos.inny@example.org")
    member = _member(app, make_user, login)
    assert member.post(f"/wielkopolskie/ankiety/{cid}/wypelnij").status_code == 404
    assert member.post("/wielkopolskie/ankiety/999/wypelnij").status_code == 404
    assert member.get("/ankieta").status_code == 404
    home = member.get("/wielkopolskie/").get_data(as_text=True)
    assert "Moje ankiety" in home and "Brak otwartych ankiet oczekujących na odpowiedź." in home
    listing = member.get("/wielkopolskie/ankiety/").get_data(as_text=True)
    assert 'id="my-surveys-h"' not in listing
    coordinator = _member(app, make_user, login, "k@example.org", "coordinator")
    assert 'id="my-surveys-h"' not in coordinator.get("/wielkopolskie/").get_data(as_text=True)
    # another region's member invited here does not reach it
    foreign = _member(app, make_user, login, "obcy@example.org", "member", "lodzkie")
    _invite(app, tenants, cid, "obcy@example.org")
    assert foreign.post(f"/wielkopolskie/ankiety/{cid}/wypelnij").status_code in (403, 404)
