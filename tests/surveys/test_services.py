"""Campaign, question and respondent services."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from coordination import clock
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import tenant_context
from surveys import queries, services
from surveys.catalogue import SECTIONS
from surveys.models import Campaign, CampaignQuestion, Respondent, Response, TemplateQuestion
from tests.surveys.conftest import campaign_and_questions, full_draft


def _xlsx(rows, title="Członkowie") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_core_template_is_idempotent_and_complete(ctx):
    template, created = services.ensure_core_template()
    again, created_again = services.ensure_core_template()
    assert created and not created_again and template.id == again.id
    codes = db.session.scalars(select(TemplateQuestion.code)).all()
    likert = db.session.scalar(select(func.count(TemplateQuestion.id)).where(TemplateQuestion.kind == "likert"))
    texts = db.session.scalar(select(func.count(TemplateQuestion.id)).where(TemplateQuestion.kind == "long_text"))
    assert len(codes) == len(set(codes)) == sum(len(s["questions"]) for s in SECTIONS)
    assert 18 <= likert <= 22 and texts == 4
    assert {"PROF-KAT", "PROF-STAZ", "KOM-01", "OGOL-01", "OTW-04"} <= set(codes)


def test_campaign_is_a_snapshot_of_the_template(ctx, tenants, make_campaign):
    cid = make_campaign()
    template, _ = services.ensure_core_template()
    question = db.session.scalar(select(TemplateQuestion).where(TemplateQuestion.code == "KOM-01"))
    services.update_template_question(question, {"text": "Nowe brzmienie"}, actor=None)
    with tenant_context(tenants["wielkopolskie"]):
        copied = db.session.scalar(select(CampaignQuestion).where(CampaignQuestion.campaign_id == cid,
                                                                 CampaignQuestion.code == "KOM-01"))
        assert copied.text != "Nowe brzmienie" and copied.dimension == "KOM"
        assert len(queries.sections_and_questions(cid)) == len(SECTIONS)
        with pytest.raises(DomainError):
            services.create_campaign(template, 2025, date(2025, 1, 1), date(2025, 2, 1))
        with pytest.raises(DomainError):
            services.create_campaign(template, 2026, date(2025, 2, 1), date(2025, 1, 1))


def test_regional_questions(ctx, tenants, make_campaign, add_responses):
    cid = make_campaign()
    with tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, cid)
        q = services.add_regional_question(campaign, code="wlkp-01", kind="multi", text="Które grupy?",
                                           options_text="Promocja\nReintegracja\n", allow_other=True)
        assert q.code == "R-WLKP-01" and [o["code"] for o in q.options] == ["O1", "O2"] and q.regional
        m = services.add_regional_question(campaign, code="R-WLKP-02", kind="matrix", text="Oceń",
                                           options_text="Portal\nGala")
        assert [i["code"] for i in m.items] == ["R-WLKP-02-1", "R-WLKP-02-2"]
        for bad in ({"code": "WLKP-01", "kind": "likert"}, {"code": "R-WLKP-01", "kind": "likert"},
                    {"code": "zły kod", "kind": "likert"},
                    {"code": "WLKP-03", "kind": "single", "options_text": "tylko jedna"}):
            with pytest.raises(DomainError):
                services.add_regional_question(campaign, text="?", **bad)
        core_q = db.session.scalar(select(CampaignQuestion).where(CampaignQuestion.code == "KOM-01"))
        with pytest.raises(DomainError):
            services.remove_regional_question(core_q)
        db.session.remove()
    add_responses(cid, 1)
    with tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, cid)
        with pytest.raises(DomainError):
            services.add_regional_question(campaign, code="WLKP-09", kind="likert", text="?")


def test_anonymous_to_named_refused_once_responses_exist(ctx, tenants, make_campaign, add_responses):
    cid = make_campaign()
    with tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, cid)
        services.set_anonymity(campaign, False)  # no responses yet: allowed
        services.set_anonymity(campaign, True)
        db.session.remove()
    add_responses(cid, 1)
    with tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, cid)
        with pytest.raises(DomainError):
            services.set_anonymity(campaign, False)
        assert db.session.get(Campaign, cid).anonymous is True


def test_anonymous_to_named_refused_once_someone_saved_answers(ctx, tenants, make_campaign, make_respondent):
    """A saved draft was written under the promise of anonymity: no switch to named either;
    a submitted or revoked respondent's erased draft does not count."""
    cid = make_campaign()
    rid, _token = make_respondent(cid, "ala@example.org")
    make_respondent(cid, "ola@example.org")
    with tenant_context(tenants["wielkopolskie"]):
        person = db.session.get(Respondent, rid)
        services.save_draft(person, {"PROF-KAT": {"choice": "OWES", "other": ""}}, ["PROF-KAT"])
        assert services.drafts_in_progress(cid) == 1
        with pytest.raises(DomainError, match="anonimow"):
            services.set_anonymity(db.session.get(Campaign, cid), False)
        services.revoke_respondent(db.session.get(Respondent, rid))
        assert services.drafts_in_progress(cid) == 0
        # links were issued under the promise of anonymity: the mode stays locked
        with pytest.raises(DomainError, match="anonimow"):
            services.set_anonymity(db.session.get(Campaign, cid), False)
        assert db.session.get(Campaign, cid).anonymous is True


def test_named_to_anonymous_erases_names(ctx, tenants, make_campaign, add_responses):
    cid = make_campaign(anonymous=False)
    add_responses(cid, 2)
    with tenant_context(tenants["wielkopolskie"]):
        assert db.session.scalars(select(Response.respondent_name)).all().count(None) == 0
        services.set_anonymity(db.session.get(Campaign, cid), True)
        assert set(db.session.scalars(select(Response.respondent_name)).all()) == {None}


def test_closing_date_enforced(ctx, tenants, make_campaign, make_respondent):
    cid = make_campaign(state="closed")
    rid, _token = make_respondent(cid, "a@example.org")
    with tenant_context(tenants["wielkopolskie"]):
        campaign, questions = campaign_and_questions(cid)
        with pytest.raises(DomainError):
            services.submit(db.session.get(Respondent, rid), campaign, questions, full_draft(questions))
        assert db.session.scalar(select(func.count(Response.id))) == 0
    cid2 = make_campaign(year=2024)
    rid2, _ = make_respondent(cid2, "b@example.org")
    with tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, cid2)
        services.close_campaign(campaign, today=clock.today())
        questions = queries.flat_questions(queries.sections_and_questions(cid2))
        with pytest.raises(DomainError):
            services.submit(db.session.get(Respondent, rid2), campaign, questions, full_draft(questions))


def test_one_response_per_token(ctx, tenants, make_campaign, make_respondent):
    cid = make_campaign()
    rid, _ = make_respondent(cid, "a@example.org")
    with tenant_context(tenants["wielkopolskie"]):
        campaign, questions = campaign_and_questions(cid)
        person = db.session.get(Respondent, rid)
        services.submit(person, campaign, questions, full_draft(questions))
        with pytest.raises(services.AlreadySubmitted):
            services.submit(db.session.get(Respondent, rid), campaign, questions, full_draft(questions))
        assert db.session.scalar(select(func.count(Response.id))) == 1


def test_submit_refuses_missing_required(ctx, tenants, make_campaign, make_respondent):
    cid = make_campaign()
    rid, _ = make_respondent(cid, "a@example.org")
    with tenant_context(tenants["wielkopolskie"]):
        campaign, questions = campaign_and_questions(cid)
        draft = full_draft(questions)
        del draft["KOM-02"]
        with pytest.raises(DomainError):
            services.submit(db.session.get(Respondent, rid), campaign, questions, draft)
        assert db.session.get(Respondent, rid).completed is False


def test_import_xlsx_reports_rows_and_saves_nothing_on_error(ctx, tenants, make_campaign):
    cid = make_campaign()
    data = _xlsx([["Imię i nazwisko", "E-mail"], ["Jan Nowak", "jan@example.org"],
                  ["", "pusta@example.org"], ["Ewa Zła", "to-nie-adres"], ["Jan Bis", "JAN@example.org"]])
    with tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, cid)
        result = services.import_respondents(campaign, "lista.xlsx", data)
        assert result.added == 0
        joined = "\n".join(result.errors)
        assert "arkusz „Członkowie”, wiersz 3, kolumna A (Imię i nazwisko)" in joined
        assert "wiersz 4, kolumna B (E-mail)" in joined and "to-nie-adres" in joined
        assert "wiersz 5" in joined and "powtarza wiersz 2" in joined
        assert db.session.scalar(select(func.count(Respondent.id))) == 0


def test_import_csv_skips_people_already_listed(ctx, tenants, make_campaign):
    cid = make_campaign()
    with tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, cid)
        services.add_respondent(campaign, "Jan Nowak", "jan@example.org")
        data = "E-mail;Imię i nazwisko\njan@example.org;Jan Nowak\newa@example.org;Ewa Wiśniewska\n".encode()
        result = services.import_respondents(campaign, "lista.csv", data)
        assert (result.added, result.skipped, result.errors) == (1, 1, [])
        assert sorted(db.session.scalars(select(Respondent.email))) == ["ewa@example.org", "jan@example.org"]
        missing = services.import_respondents(campaign, "lista.csv", b"Nazwa;Adres\nx;y\n")
        assert missing.errors and "wiersz 1" in missing.errors[0]
        with pytest.raises(DomainError):
            services.import_respondents(campaign, "lista.pdf", b"%PDF")



def test_import_csv_with_a_giant_cell_or_control_characters(ctx, tenants, make_campaign):
    cid = make_campaign()
    with tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, cid)
        giant = ("Imię i nazwisko;E-mail\n" + "N" * 200_000 + ";a@example.org\n").encode()
        with pytest.raises(DomainError, match="od wiersza 2"):
            services.import_respondents(campaign, "lista.csv", giant)
        dirty = b"Imi\xc4\x99 i nazwisko;E-mail\nA\x00B\x0bC\tD;nul@example.org\n"
        result = services.import_respondents(campaign, "lista.csv", dirty)
        assert (result.added, result.errors) == (1, [])
        assert db.session.scalar(select(Respondent.full_name).where(Respondent.email == "nul@example.org")) == "ABC D"


def test_removing_completed_respondent_refused(ctx, tenants, make_campaign, add_responses):
    cid = make_campaign()
    add_responses(cid, 1)
    with tenant_context(tenants["wielkopolskie"]):
        person = db.session.scalar(select(Respondent))
        with pytest.raises(DomainError):
            services.remove_respondent(person)
