"""Each region is itself: the operator's own name in the questionnaire, the regional section
(own questions, codes R-…) left out of national comparisons (issue 16, items 1 and 2)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import tenant_context
from surveys import queries, services
from surveys.models import AnswerTally, Campaign, CampaignQuestion, CampaignSection
from tenants.models import Tenant
from tests.surveys.conftest import closed

HX = {"HX-Request": "true"}


def _question(code: str) -> CampaignQuestion:
    return db.session.scalar(select(CampaignQuestion).where(CampaignQuestion.code == code))


def test_campaign_names_the_regions_operator_and_keeps_it(app, tenants, make_campaign):
    lodz = make_campaign(tenant="lodzkie")
    wlkp = make_campaign(tenant="wielkopolskie")
    with app.app_context(), tenant_context(tenants["lodzkie"]):
        campaign = db.session.get(Campaign, lodz)
        assert campaign.title == "Ocena działań koordynacyjnych RCPS przez członków Komitetu"
        assert "Regionalnego Centrum Polityki Społecznej w Łodzi" in campaign.intro
        assert _question("REG-02").text.startswith("Opinie i rekomendacje Komitetu są wykorzystywane przez RCPS ")
        assert _question("SIEC-01").text.startswith("Grupy robocze działające przy RCPS ")
        texts = db.session.scalars(select(CampaignQuestion.text)).all() + db.session.scalars(
            select(CampaignSection.description)).all()
        assert not any("ROPS" in (t or "") or "{op" in (t or "") for t in texts)
        assert _question("PROM-03") is None  # the Wielkopolska brand is not in the core
        # a later change of the region's settings does not rewrite what was asked
        db.session.get(Tenant, tenants["lodzkie"]).operator_short = "XYZ"
        db.session.commit()
        assert db.session.get(Campaign, lodz).title.endswith("RCPS przez członków Komitetu")
        db.session.remove()
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        assert db.session.get(Campaign, wlkp).title == "Ocena działań koordynacyjnych ROPS-u przez członków Komitetu"
        assert _question("OGOL-01").text == "Ogólnie dobrze oceniam działania koordynacyjne ROPS-u w minionym roku."
        db.session.remove()


def test_regional_codes_are_namespaced_and_cannot_collide(ctx, tenants, make_campaign):
    cid = make_campaign()
    with tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, cid)
        assert services.regional_code(" wlkp-01 ") == "R-WLKP-01"
        assert services.regional_code("R-WLKP-01") == "R-WLKP-01"
        for bad in ("", "zły kod", "R-", "R-WLKP--1", "R-" + "X" * 40):
            with pytest.raises(DomainError):
                services.regional_code(bad)
        q = services.add_regional_question(campaign, code="KOM-01", kind="likert", text="Nasze posiedzenia?")
        assert q.code == "R-KOM-01" and q.dimension is None  # never the core's KOM-01
        core = db.session.scalars(select(CampaignQuestion).where(CampaignQuestion.regional.is_(False))).all()
        assert not any(c.code.startswith("R-") for c in core)
        with pytest.raises(DomainError, match="R-KOM-01"):
            services.add_regional_question(campaign, code="r-kom-01", kind="likert", text="Duplikat")


def test_regional_question_edited_until_the_first_response(app, tenants, make_campaign, add_responses):
    cid = make_campaign()
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, cid)
        q = services.add_regional_question(campaign, code="WLKP-01", kind="single", text="Który?",
                                           options_text="Portal\nGala")
        diff = services.update_regional_question(q, text="Które działanie?", help="Jedno.", required=True,
                                                 options_text="Portal\nGala\nTargi", allow_other=True)
        assert set(diff) >= {"text", "help", "required", "options", "allow_other"}
        q = _question("R-WLKP-01")
        assert q.text == "Które działanie?" and [o["label"] for o in q.options] == ["Portal", "Gala", "Targi"]
        assert services.regional_options_text(q) == "Portal\nGala\nTargi"
        with pytest.raises(DomainError):
            services.update_regional_question(q, text="?", options_text="tylko jedna")
        assert _question("R-WLKP-01").options[2]["label"] == "Targi"  # nothing half-written
        with pytest.raises(DomainError):
            services.update_regional_question(_question("KOM-01"), text="Zmiana rdzenia")
        db.session.remove()
    add_responses(cid, 1)
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        with pytest.raises(DomainError):
            services.update_regional_question(_question("R-WLKP-01"), text="Za późno", options_text="a\nb")
        db.session.remove()


def test_national_comparison_leaves_regional_questions_out(app, tenants, make_campaign, add_responses):
    cid = make_campaign()
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        services.add_regional_question(db.session.get(Campaign, cid), code="WLKP-01", kind="likert",
                                       text="Znak regionalny pomaga?")
        db.session.remove()
    add_responses(cid, 6, ratings=("5",))
    with closed(app, tenants["wielkopolskie"], [cid]), app.app_context():
        before = queries.region_dimension_scores(2025)
        with tenant_context(tenants["wielkopolskie"]):
            regional = _question("R-WLKP-01")
            # even a regional question tagged with a core dimension and rated 1 everywhere
            regional.dimension = "REG"
            db.session.execute(update(AnswerTally).where(AnswerTally.question_id == regional.id,
                                                         AnswerTally.has_num.is_(True)).values(num=1.0))
            db.session.commit()
        after = queries.region_dimension_scores(2025)
        assert after == before and after[tenants["wielkopolskie"]]["REG"] == (5.0, 6)
        with tenant_context(tenants["wielkopolskie"]):
            campaign = db.session.get(Campaign, cid)
            r = queries.results(campaign)
            assert r["dimensions"] == before[tenants["wielkopolskie"]]
            # … but the region's own results show it
            assert any(res.question.code == "R-WLKP-01" and res.n == 6 for res in r["questions"])
        db.session.remove()


def test_question_edit_and_preview_views(app, tenants, coordinator, make_campaign):
    cid = make_campaign(tenant="wielkopolskie")
    base = f"/wielkopolskie/ankiety/{cid}"
    assert coordinator.post(f"{base}/pytania", data={"code": "WLKP-01", "kind": "multi", "text": "Które grupy?",
                                                     "options_text": "Promocja\nReintegracja"}).status_code == 303
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        qid, core_id = _question("R-WLKP-01").id, _question("KOM-01").id
        db.session.remove()
    page = coordinator.get(f"{base}/pytania").get_data(as_text=True)
    assert f"{base}/pytania/{qid}/edycja" in page and f"{base}/podglad" in page
    edit = coordinator.get(f"{base}/pytania/{qid}/edycja")
    assert edit.status_code == 200 and "Promocja\nReintegracja" in edit.get_data(as_text=True)
    r = coordinator.post(f"{base}/pytania/{qid}/edycja", data={"text": "Które grupy?", "options_text": "Jedna"},
                         headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "Prosimy podać co najmniej dwie odpowiedzi" in body
    assert "Jedna" in body  # the input is kept
    r = coordinator.post(f"{base}/pytania/{qid}/edycja", data={"text": "Które grupy są przydatne?",
                                                               "options_text": "Promocja\nEdukacja"}, headers=HX)
    assert r.status_code == 204 and r.headers["HX-Redirect"] == f"{base}/pytania"
    r = coordinator.post(f"{base}/pytania/{qid}/edycja", data={"text": "Bez JS", "options_text": "A\nB"})
    assert r.status_code == 303
    assert coordinator.get(f"{base}/pytania/{core_id}/edycja").status_code == 404
    preview = coordinator.get(f"{base}/podglad").get_data(as_text=True)
    assert "Bez JS" in preview and "pytania regionalne" in preview and "przy ROPS-ie" in preview
    assert "{op" not in preview and "<form" not in preview.split('id="content"')[-1].split("</main>")[0]
    partial = coordinator.get(f"{base}/podglad", headers=HX)
    assert partial.status_code == 200 and "<html" not in partial.get_data(as_text=True)


def test_questions_with_responses_offer_no_edit_or_remove(app, tenants, coordinator, make_campaign, add_responses):
    """Once someone has answered, the questionnaire page offers no Edit/Remove (nor the form to
    add a question) and says why; an old link to the edit or remove page sends back with the
    reason instead of a form whose submit would be refused."""
    cid = make_campaign(tenant="wielkopolskie")
    base = f"/wielkopolskie/ankiety/{cid}"
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        qid = services.add_regional_question(db.session.get(Campaign, cid), code="WLKP-01", kind="likert",
                                             text="Gala jest potrzebna.").id
        db.session.remove()
    before = coordinator.get(f"{base}/pytania").get_data(as_text=True)
    assert f"{base}/pytania/{qid}/edycja" in before and f"{base}/pytania/{qid}/usun" in before
    add_responses(cid, 1)
    page = coordinator.get(f"{base}/pytania").get_data(as_text=True)
    assert f"{base}/pytania/{qid}/edycja" not in page and f"{base}/pytania/{qid}/usun" not in page
    assert "Ankieta ma już 1 odpowiedź, dlatego jej pytań nie można już zmieniać, usuwać ani dodawać" in page
    assert "pytanie ma już odpowiedzi – bez zmian" in page and "Dodaj pytanie" not in page
    reason = "Ankieta ma już odpowiedzi, dlatego jej pytań nie można już zmieniać ani usuwać"
    for path in ("edycja", "usun"):  # an old link shows the questionnaire with the reason
        r = coordinator.get(f"{base}/pytania/{qid}/{path}")
        body = r.get_data(as_text=True)
        assert r.status_code == 200 and reason in body and f'href="{base}/pytania/{qid}/edycja"' not in body
        r = coordinator.get(f"{base}/pytania/{qid}/{path}", headers=HX)
        assert r.status_code == 204 and r.headers["HX-Redirect"] == f"{base}/pytania"
        assert reason in coordinator.get(f"{base}/pytania").get_data(as_text=True)
        r = coordinator.post(f"{base}/pytania/{qid}/{path}", data={"text": "Zmiana", "confirm": "1"})
        assert r.status_code == 409 and reason in r.get_data(as_text=True)
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        assert _question("R-WLKP-01").text == "Gala jest potrzebna."
        db.session.remove()
