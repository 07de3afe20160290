"""Survey pages: coordinators (with and without htmx), the token questionnaire, national pages."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from coordination.extensions import db
from coordination.notifications import services as notify
from coordination.tenancy import all_tenants, tenant_context
from surveys import queries
from surveys.models import Campaign, CampaignQuestion, Respondent, Response, TemplateQuestion
from tests.surveys.conftest import closed

HX = {"HX-Request": "true"}


def _count(app, model, tenant_id):
    with app.app_context(), tenant_context(tenant_id):
        return db.session.scalar(select(func.count(model.id)))


@pytest.mark.parametrize("headers", [{}, HX])
def test_create_campaign(app, tenants, coordinator, headers):
    r = coordinator.get("/wielkopolskie/ankiety/nowa", headers=headers)
    assert r.status_code == 200 and ("<html" in r.get_data(as_text=True)) == (not headers)
    bad = coordinator.post("/wielkopolskie/ankiety/nowa", headers=headers,
                           data={"year": "1999", "opens_on": "2025-02-01", "closes_on": "2025-01-01"})
    assert bad.status_code == 422 and "2015" in bad.get_data(as_text=True)
    dates = coordinator.post("/wielkopolskie/ankiety/nowa", headers=headers,
                             data={"year": "2025", "opens_on": "2025-02-01", "closes_on": "2025-01-01"})
    assert dates.status_code == 422 and 'value="2025"' in dates.get_data(as_text=True)
    ok = coordinator.post("/wielkopolskie/ankiety/nowa", headers=headers,
                          data={"year": "2025", "opens_on": "2025-01-01", "closes_on": "2025-02-01",
                                "anonymous": "y"})
    if headers:
        assert ok.status_code == 204 and "/ankiety/" in ok.headers["HX-Redirect"]
    else:
        assert ok.status_code == 303
    assert _count(app, Campaign, tenants["wielkopolskie"]) == 1
    assert coordinator.post("/wielkopolskie/ankiety/nowa", data={
        "year": "2025", "opens_on": "2025-01-01", "closes_on": "2025-02-01"}).status_code == 422


def test_member_sees_results_but_cannot_manage(app, tenants, make_user, login, make_campaign):
    cid = make_campaign()
    client = app.test_client()
    login(client, make_user("m@example.org", "member"))
    assert client.get("/wielkopolskie/ankiety/").status_code == 200
    assert client.get(f"/wielkopolskie/ankiety/{cid}/wyniki").status_code == 200
    assert client.get(f"/wielkopolskie/ankiety/{cid}").status_code == 403
    assert client.get(f"/wielkopolskie/ankiety/{cid}/respondenci").status_code == 403
    assert client.get(f"/wielkopolskie/ankiety/{cid}/eksport/odpowiedzi.xlsx").status_code == 403


def test_respondents_add_and_import(app, tenants, coordinator, make_campaign):
    cid = make_campaign()
    url = f"/wielkopolskie/ankiety/{cid}/respondenci"
    bad = coordinator.post(url, data={"full_name": "Jan", "email": "nie-adres"}, headers=HX)
    assert bad.status_code == 422 and 'value="Jan"' in bad.get_data(as_text=True)
    assert coordinator.post(url, data={"full_name": "Jan Nowak", "email": "jan@example.org"},
                            headers=HX).status_code == 204
    assert coordinator.post(url, data={"full_name": "Jan Nowak", "email": "JAN@example.org"}).status_code == 422
    wb = Workbook()
    wb.active.append(["Imię i nazwisko", "E-mail"])
    wb.active.append(["Ewa", "zly-adres"])
    buf = io.BytesIO()
    wb.save(buf)
    r = coordinator.post(url + "/import", data={"file": (io.BytesIO(buf.getvalue()), "lista.xlsx")},
                         content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "wiersz 2, kolumna B (E-mail)" in body
    good = "Imię i nazwisko,E-mail\nEwa Nowa,ewa@example.org\n".encode()
    r = coordinator.post(url + "/import", data={"file": (io.BytesIO(good), "lista.csv")},
                         content_type="multipart/form-data")
    assert r.status_code == 303
    listing = coordinator.get(url).get_data(as_text=True)
    assert "ewa@example.org" in listing and "zaproszenie jeszcze niewysłane" in listing
    assert coordinator.post(url + "/import", data={"file": (io.BytesIO(b"x"), "lista.pdf")},
                            content_type="multipart/form-data").status_code == 422


def test_confirmation_pages_do_not_change_state_on_get(app, tenants, coordinator, make_campaign, smtp):
    cid = make_campaign()
    coordinator.post(f"/wielkopolskie/ankiety/{cid}/respondenci",
                     data={"full_name": "Jan Nowak", "email": "jan@example.org"})
    for path in ("zaproszenia", "przypomnienia", "zamknij", "anonimowosc"):
        assert coordinator.get(f"/wielkopolskie/ankiety/{cid}/{path}").status_code == 200
    assert smtp.messages == []
    r = coordinator.post(f"/wielkopolskie/ankiety/{cid}/zaproszenia", headers=HX)
    assert r.status_code == 204 and smtp.messages == []  # queued for the scheduler
    with app.app_context():
        assert notify.send_due() == {"sent": 1}
    assert len(smtp.messages) == 1
    # the invitation has gone out with the promise of anonymity: the mode is locked
    page = coordinator.get(f"/wielkopolskie/ankiety/{cid}/anonimowosc").get_data(as_text=True)
    assert "zaproszenia zostały wysłane z obietnicą anonimowości" in page
    r = coordinator.post(f"/wielkopolskie/ankiety/{cid}/anonimowosc")
    assert r.status_code == 422 and "nie może stać się imienna" in r.get_data(as_text=True)
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        assert db.session.get(Campaign, cid).anonymous is True


def test_anonymity_switch_refused_in_view(app, tenants, coordinator, make_campaign, add_responses):
    cid = make_campaign()
    add_responses(cid, 1)
    page = coordinator.get(f"/wielkopolskie/ankiety/{cid}/anonimowosc").get_data(as_text=True)
    assert "To już niemożliwe" in page
    r = coordinator.post(f"/wielkopolskie/ankiety/{cid}/anonimowosc", headers=HX)
    assert r.status_code == 422 and "nie może stać się imienna" in r.get_data(as_text=True)


def test_regional_question_view(app, tenants, coordinator, make_campaign):
    cid = make_campaign()
    url = f"/wielkopolskie/ankiety/{cid}/pytania"
    r = coordinator.post(url, data={"code": "WLKP-01", "kind": "likert", "text": "Pytanie regionu"})
    assert r.status_code == 303
    assert "R-WLKP-01" in coordinator.get(url).get_data(as_text=True)
    r = coordinator.post(url, data={"code": "R-WLKP-01", "kind": "likert", "text": "Duplikat"}, headers=HX)
    assert r.status_code == 422 and "jest już użyty" in r.get_data(as_text=True)
    # a core code typed by the region is namespaced: it cannot collide with the core's KOM-01
    r = coordinator.post(url, data={"code": "KOM-01", "kind": "likert", "text": "Inne"}, headers=HX)
    assert r.status_code == 204
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        codes = db.session.scalars(select(CampaignQuestion.code).where(CampaignQuestion.campaign_id == cid)).all()
    assert codes.count("KOM-01") == 1 and "R-KOM-01" in codes


def _token_link(app, make_campaign, make_respondent, **kw):
    cid = make_campaign(**kw)
    _rid, token = make_respondent(cid, "ala@example.org")
    return cid, f"/ankieta/{token}"


def _open(client, link):
    """Open the link from the e-mail: the token is exchanged for the session and the browser
    goes on to a URL without it; returns that URL."""
    r = client.get(link)
    assert r.status_code == 303 and r.headers["Location"] == "/ankieta"
    return r.headers["Location"]


def _page(client, url, n, data, headers=None):
    return client.post(f"{url}?strona={n}", data=data, headers=headers or {})


LIKERT_PAGE_2 = {f"q-{c}": "4" for c in ("REG-01", "REG-02", "REG-03", "SIEC-01", "SIEC-02", "SIEC-03")}
LIKERT_PAGE_3 = {f"q-{c}": "5" for c in ("REPR-01", "REPR-02", "PROM-01", "PROM-02", "PROM-03",
                                         "WIED-01", "WIED-02", "WIED-03")}
LIKERT_PAGE_4 = {f"q-{c}": "dk" for c in ("KOM-01", "KOM-02", "KOM-03", "KOM-04", "OGOL-01",
                                          "ZAAN-01", "ZAAN-02")}


def test_token_questionnaire_journey(app, tenants, csrf_off, make_campaign, make_respondent):
    cid, link = _token_link(app, make_campaign, make_respondent)
    client = app.test_client()
    url = _open(client, link)
    intro = client.get(url)
    assert intro.status_code == 200 and "Rozpocznij ankietę" in intro.get_data(as_text=True)
    page1 = client.get(url + "?strona=1").get_data(as_text=True)
    assert "<fieldset" in page1 and "<legend>" in page1 and "Strona 1 z 5" in page1
    missing = _page(client, url, 1, {"action": "next", "q-PROF-KAT": "OWES"}, HX)
    body = missing.get_data(as_text=True)
    assert missing.status_code == 422 and "Prosimy odpowiedzieć na to pytanie." in body
    assert re.search(r'value="OWES"\s+checked', body)  # the answer is kept
    assert _page(client, url, 1, {"action": "next", "q-PROF-KAT": "OWES", "q-PROF-STAZ": "GT3"},
                 HX).headers["HX-Redirect"].endswith("strona=2")
    saved = _page(client, url, 2, {"action": "save", "q-REG-01": "4"})
    assert saved.status_code == 200 and "Odpowiedzi zostały zapisane" in saved.get_data(as_text=True)
    # resume later: the saved answer is there
    assert re.search(r'value="4"\s+checked', client.get(url + "?strona=2").get_data(as_text=True))
    assert _page(client, url, 2, {"action": "next", **LIKERT_PAGE_2}).status_code == 303
    assert _page(client, url, 3, {"action": "prev", **LIKERT_PAGE_3}).headers["Location"].endswith("strona=2")
    assert _page(client, url, 3, {"action": "next", **LIKERT_PAGE_3}).status_code == 303
    assert _page(client, url, 4, {"action": "next", **LIKERT_PAGE_4}).status_code == 303
    too_long = _page(client, url, 5, {"action": "submit", "q-OTW-01": "x" * 2001})
    assert too_long.status_code == 422 and "najwyżej 2000" in too_long.get_data(as_text=True)
    done = _page(client, url, 5, {"action": "submit", "q-OTW-01": "<script>alert(1)</script> Dobrze"}, HX)
    assert done.status_code == 204 and done.headers["HX-Redirect"].endswith(url)
    thanks = client.get(url).get_data(as_text=True)
    assert "Dziękujemy" in thanks
    again = _page(client, url, 5, {"action": "submit", "q-OTW-01": "drugi raz"})
    assert again.status_code == 200 and "tylko raz" in again.get_data(as_text=True)
    assert _count(app, Response, tenants["wielkopolskie"]) == 1
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        assert queries.results(db.session.get(Campaign, cid))["total"] == 1


def test_submit_jumps_to_the_page_with_a_missing_answer(app, tenants, csrf_off, make_campaign, make_respondent):
    _cid, link = _token_link(app, make_campaign, make_respondent)
    client = app.test_client()
    r = _page(client, _open(client, link), 5, {"action": "submit"})
    assert r.status_code == 422 and "Strona 1 z 5" in r.get_data(as_text=True)


def test_submit_with_a_missing_answer_elsewhere_moves_the_url_to_the_page_shown(
        app, tenants, csrf_off, make_campaign, make_respondent):
    """"Submit" on page 5 with page 2 incomplete shows page 2: the address says page 2 too
    (htmx pushes it) and the form sends page 2's answers to page 2."""
    _cid, link = _token_link(app, make_campaign, make_respondent)
    client = app.test_client()
    url = _open(client, link)
    _page(client, url, 1, {"action": "next", "q-PROF-KAT": "OWES", "q-PROF-STAZ": "GT3"})
    for n, page in ((3, LIKERT_PAGE_3), (4, LIKERT_PAGE_4)):
        _page(client, url, n, {"action": "next", **page})
    r = _page(client, url, 5, {"action": "submit", "q-OTW-01": "Dobrze"}, HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "Strona 2 z 5" in body
    assert r.headers["HX-Push-Url"] == "/ankieta?strona=2"
    assert 'action="/ankieta?strona=2"' in body
    r = _page(client, url, 5, {"action": "submit", "q-OTW-01": "Dobrze"})
    assert r.status_code == 422 and 'action="/ankieta?strona=2"' in r.get_data(as_text=True)
    assert "HX-Push-Url" not in r.headers


def test_answers_of_a_page_with_errors_are_saved(app, tenants, csrf_off, make_campaign, make_respondent):
    """"Next page" with a required answer missing still keeps the answers given on that page
    (the tester lost them on reload); so does "submit" with answers missing elsewhere."""
    _cid, link = _token_link(app, make_campaign, make_respondent)
    client = app.test_client()
    url = _open(client, link)
    r = _page(client, url, 1, {"action": "next", "q-PROF-KAT": "OWES"}, HX)
    assert r.status_code == 422 and "Prosimy odpowiedzieć na to pytanie." in r.get_data(as_text=True)
    assert re.search(r'value="OWES"\s+checked', client.get(url + "?strona=1").get_data(as_text=True))
    r = _page(client, url, 1, {"action": "next", "q-PROF-KAT": "OWES"})  # without htmx
    assert r.status_code == 422
    r = _page(client, url, 2, {"action": "next", "q-REG-01": "4"})
    assert r.status_code == 422
    assert re.search(r'value="4"\s+checked', client.get(url + "?strona=2").get_data(as_text=True))
    r = _page(client, url, 5, {"action": "submit", "q-OTW-01": "Dobrze"})
    assert r.status_code == 422 and "Strona 1 z 5" in r.get_data(as_text=True)
    assert "Dobrze" in client.get(url + "?strona=5").get_data(as_text=True)
    # an invalid answer is not saved, the valid ones next to it are
    r = _page(client, url, 5, {"action": "submit", "q-OTW-01": "x" * 2001})
    assert r.status_code == 422
    assert "Dobrze" in client.get(url + "?strona=5").get_data(as_text=True)


def test_invalid_foreign_and_revoked_tokens(app, tenants, csrf_off, make_campaign, make_respondent,
                                            make_user, login, coordinator):
    cid, link = _token_link(app, make_campaign, make_respondent)
    url = link
    client = app.test_client()
    invalid = client.get("/ankieta/to-nie-jest-token")
    assert invalid.status_code == 404 and "nie działa" in invalid.get_data(as_text=True)
    with app.app_context(), all_tenants():
        rid = db.session.scalar(select(Respondent.id))
    url = _open(client, url)
    coordinator.post(f"/wielkopolskie/ankiety/{cid}/respondenci/{rid}/wycofaj")
    revoked = client.get(url)  # the session ends with the link
    assert revoked.status_code == 404
    revoked = client.get(link)
    def content(resp):
        body = resp.get_data(as_text=True)
        return body[body.index('<div id="content">'):body.index("</main>")]

    assert revoked.status_code == 404 and content(revoked) == content(invalid)


@pytest.mark.parametrize("state,text", [("closed", "jest zamknięta"), ("planned", "zostanie otwarta")])
def test_closed_and_planned_campaign_pages(app, tenants, csrf_off, make_campaign, make_respondent, state, text):
    _cid, link = _token_link(app, make_campaign, make_respondent, state=state)
    client = app.test_client()
    url = _open(client, link)
    assert text in client.get(url).get_data(as_text=True)
    r = _page(client, url, 5, {"action": "submit"})
    assert text in r.get_data(as_text=True)
    assert _count(app, Response, tenants["wielkopolskie"]) == 0


def test_results_page_hides_small_groups_and_escapes_text(app, tenants, coordinator, make_campaign,
                                                          add_responses):
    cid = make_campaign()
    add_responses(cid, 3)
    with closed(app, tenants["wielkopolskie"], (cid,)):
        page = coordinator.get(f"/wielkopolskie/ankiety/{cid}/wyniki").get_data(as_text=True)
    assert "Za mało odpowiedzi" in page
    add_responses(cid, 2, text="<b>pogrubione</b>")
    # open: no results for anybody, no results download (two downloads would isolate an answer)
    page = coordinator.get(f"/wielkopolskie/ankiety/{cid}/wyniki").get_data(as_text=True)
    assert "Wyniki zostaną pokazane po zamknięciu ankiety" in page and "pogrubione" not in page
    assert "eksport/wyniki.xlsx" not in page and "eksport/raport.pdf" not in page
    for export in ("wyniki.xlsx", "raport.pdf"):
        refused = coordinator.get(f"/wielkopolskie/ankiety/{cid}/eksport/{export}")
        assert refused.status_code == 303 and refused.headers["Location"].endswith(f"/ankiety/{cid}/wyniki")
    with closed(app, tenants["wielkopolskie"], (cid,)):
        page = coordinator.get(f"/wielkopolskie/ankiety/{cid}/wyniki/pytania", headers=HX).get_data(as_text=True)
        assert "&lt;b&gt;pogrubione&lt;/b&gt;" in page and "<svg" in page and "<table" in page
        assert coordinator.get(f"/wielkopolskie/ankiety/{cid}/eksport/raport.pdf").data.startswith(b"%PDF")


def test_national_pages(app, tenants, make_user, login, csrf_off, make_campaign, add_responses):
    cid = make_campaign()
    add_responses(cid, 5)
    client = app.test_client()
    login(client, make_user("n@example.org", national=True))
    assert "Mediana krajowa" not in client.get("/kraj/ankiety").get_data(as_text=True)  # still open
    with closed(app, tenants["wielkopolskie"], [cid]):
        page = client.get("/kraj/ankiety").get_data(as_text=True)
    assert "wielkopolskie" in page and "Mediana krajowa" in page
    assert "KOM-01" in client.get("/kraj/ankiety/szablon").get_data(as_text=True)
    with app.app_context():
        qid = db.session.scalar(select(TemplateQuestion.id).where(TemplateQuestion.code == "KOM-01"))
    url = f"/kraj/ankiety/szablon/{qid}"
    assert client.post(url, data={"text": ""}, headers=HX).status_code == 422
    assert client.post(url, data={"text": "Materiały otrzymuję na czas."}, headers=HX).status_code == 204
    with app.app_context():
        assert db.session.get(TemplateQuestion, qid).text == "Materiały otrzymuję na czas."
    member = app.test_client()
    login(member, make_user("m@example.org", "member"))
    assert member.get("/kraj/ankiety").status_code == 404
    assert member.post(url, data={"text": "x"}).status_code == 404


def test_results_list_the_first_open_answers_and_all_on_request(app, tenants, coordinator, make_campaign,
                                                                  add_responses):
    """The results page stays the same size however many open answers there are: 20 per question,
    and every answer of one question behind its "show all" link."""
    import re

    cid = make_campaign()
    add_responses(cid, 25, text="Zdanie otwarte")
    url = f"/wielkopolskie/ankiety/{cid}/wyniki/pytania"
    with closed(app, tenants["wielkopolskie"], (cid,)):
        page = coordinator.get(url).get_data(as_text=True)
        links = re.findall(r'href="(/wielkopolskie/ankiety/\d+/wyniki/pytania\?pokaz=[^"#]+)#res-[^"]+">Pokaż wszystkie '
                           r'odpowiedzi \(25\)', page)
        assert links, "a show-all link per open question"
        collapsed = page.count("<li>Zdanie otwarte</li>")
        assert collapsed == 20 * len(links)
        expanded = coordinator.get(links[0].replace("&amp;", "&"), headers=HX).get_data(as_text=True)
        assert expanded.count("<li>Zdanie otwarte</li>") == collapsed + 5


def _selected_years(page: str) -> list[str]:
    return re.findall(r'<option value="(\d+)" selected>', page)


def test_national_pages_show_the_latest_year_with_results(app, tenants, make_user, login, make_campaign,
                                                          add_responses):
    """A year whose campaigns are all still open has no results yet (anonymity): /kraj/ankiety
    and the survey section of /kraj/porownanie show the latest year with a closed campaign,
    name it, keep the questionnaire's order of dimensions and say "too few responses" alike."""
    from flask_babel import force_locale

    from surveys.catalogue import DIMENSIONS

    big = make_campaign(year=2025)
    add_responses(big, 5)
    small = make_campaign(tenant="lubuskie", year=2025)
    add_responses(small, 2, tenant="lubuskie")
    make_campaign(tenant="lodzkie", year=2026)  # open: its results are not shown yet
    client = login(app.test_client(), make_user("n@example.org", national=True))
    with closed(app, tenants["wielkopolskie"], [big]), closed(app, tenants["lubuskie"], [small]):
        for headers in ({}, HX):
            page = client.get("/kraj/ankiety", headers=headers).get_data(as_text=True)
            assert ("<html" in page) is not bool(headers)
            assert _selected_years(page) == ["2025"] and "Regiony według wymiarów, 2025" in page
            lubuskie = page.split('<th scope="row">lubuskie</th>')[1].split("</tr>")[0]
            assert lubuskie.count("za mało odpowiedzi") == len(DIMENSIONS)
        page = client.get("/kraj/ankiety?rok=2026").get_data(as_text=True)
        assert _selected_years(page) == ["2026"]
        assert ("Wyniki za ten rok pojawią się po zamknięciu ankiet: w żadnym regionie ankieta za ten rok"
                " nie jest jeszcze zamknięta.") in page
        page = client.get("/kraj/ankiety?rok=1999", headers=HX).get_data(as_text=True)
        assert _selected_years(page) == ["1999"] and "Żaden region nie przeprowadził ankiety za rok 1999." in page
        page = client.get("/kraj/ankiety?rok=abc").get_data(as_text=True)
        assert _selected_years(page) == ["2025"] and "„abc” nie jest rokiem. Prezentujemy wyniki za rok 2025." in page
        for headers in ({}, HX):
            section = client.get("/kraj/porownanie/ankiety", headers=headers).get_data(as_text=True)
            assert ("<html" in section) is not bool(headers)
            assert "Wyniki ankiet zamkniętych za rok 2025" in section
            assert "Średnia ocena w każdym wymiarze ankiety za rok 2025" in section
            header = section.split("<thead>")[1].split("</thead>")[0]
            with app.test_request_context(), force_locale("pl"):
                names = [str(name) for name in DIMENSIONS.values()]
            assert [header.index(name) for name in names] == sorted(header.index(name) for name in names)
            lubuskie = section.split('<th scope="row">lubuskie</th>')[1].split("</tr>")[0]
            assert lubuskie.count('<span class="suppressed">za mało odpowiedzi</span>') == len(DIMENSIONS)
            assert "–" not in lubuskie
            lodzkie = section.split('<th scope="row">łódzkie</th>')[1].split("</tr>")[0]
            assert "Brak zamkniętej ankiety za rok 2025." in lodzkie
