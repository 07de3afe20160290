"""Anonymity holds against the coordinator too (issue 14, items 1-3): the responses export,
the respondents page, the response-rate chart, the anonymity lock, the token link, drafts."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from coordination import clock
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import tenant_context
from surveys import exports, services
from surveys.models import Campaign, Respondent, Response
from surveys.queries.campaigns import respondent_overview
from tests.surveys.conftest import campaign_and_questions, full_draft

REGION = "wielkopolskie"
HIDDEN = "ukryte (mniej niż 5 osób)"


@pytest.fixture
def coordinator(app, make_user, login):
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    login(client, make_user("k@example.org", "coordinator"))
    yield client
    app.config["WTF_CSRF_ENABLED"] = True


def _book(data: bytes) -> tuple[list[list], list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python(), book.get_sheet_by_index(1).to_python()


def _export(tenant_id, cid) -> bytes:
    with tenant_context(tenant_id):
        return exports.responses_xlsx(db.session.get(Campaign, cid))


def _close(tenant_id, cid) -> None:
    with tenant_context(tenant_id):
        services.close_campaign(db.session.get(Campaign, cid))


def _answers(rows: list[list]) -> list[tuple]:
    """The rows of the responses sheet without the random identifier, comparable as a multiset."""
    return sorted(tuple(str(c) for c in r[1:]) for r in rows[2:])


# --- item 1: the responses export -------------------------------------------------------------

def test_the_export_before_and_after_one_more_person_isolates_nobody(app, ctx, tenants, make_campaign,
                                                                      add_responses):
    """The attack: export, let one more person answer, export again, compare."""
    tid = tenants[REGION]
    cid = make_campaign()
    add_responses(cid, 4, text="Pierwsze cztery")
    with pytest.raises(DomainError, match="po zamknięciu"):
        _export(tid, cid)  # under the threshold: nothing is exported
    add_responses(cid, 1, ratings=("1",), categories=("PES",), text="Piąta osoba pisze")
    with pytest.raises(DomainError, match="po zamknięciu"):
        _export(tid, cid)  # 5 responses but still open: the next answer would be the difference
    _close(tid, cid)
    first, second = _export(tid, cid), _export(tid, cid)
    rows, texts = _book(first)
    rows2, texts2 = _book(second)
    # category-free for small groups: 4 OWES + 1 PES -> the PES group (1) and, to make the
    # hidden group at least 5, the OWES group are both hidden
    kat = rows[0].index("PROF-KAT")
    assert {r[kat] for r in rows[2:]} == {HIDDEN}
    # open answers are on their own sheet, next to nothing
    assert "OTW-01" not in rows[0] and texts[0] == ["Kod", "Pytanie", "Odpowiedź"]
    assert sorted(r[2] for r in texts[1:] if r[0] == "OTW-01") == ["Pierwsze cztery"] * 4 + ["Piąta osoba pisze"]
    assert all(len(r) == 3 for r in texts)
    # random identifiers, new in every export; same content
    ids, ids2 = [r[0] for r in rows[2:]], [r[0] for r in rows2[2:]]
    assert len(set(ids)) == 5 and not set(ids) & set(ids2)
    assert all(re.fullmatch(r"[0-9A-F]{8}", i) for i in ids)
    assert _answers(rows) == _answers(rows2)
    # the campaign cannot be reopened to let one more person in between two exports
    with tenant_context(tid):
        campaign = db.session.get(Campaign, cid)
        with pytest.raises(DomainError, match="nie może zostać ponownie otwarta"):
            services.update_campaign(campaign, title=campaign.title, intro=None, opens_on=campaign.opens_on,
                                     closes_on=clock.today() + timedelta(days=7))


def test_rows_are_shuffled_in_every_export(app, ctx, tenants, make_campaign, add_responses):
    tid = tenants[REGION]
    cid = make_campaign()
    add_responses(cid, 12, ratings=("1", "2", "3", "4", "5", "dk"))
    _close(tid, cid)
    orders = set()
    for _ in range(5):
        rows, _texts = _book(_export(tid, cid))
        kom = rows[0].index("KOM-01")
        orders.add(tuple(str(r[kom]) for r in rows[2:]))
    assert len(orders) > 1  # 5 exports in the same order: chance 1 in (12!/2^6)^4


def test_profile_columns_show_only_groups_of_five(app, ctx, tenants, make_campaign, add_responses):
    tid = tenants[REGION]
    cid = make_campaign()
    add_responses(cid, 6, categories=("OWES",))
    add_responses(cid, 5, categories=("PES",))
    add_responses(cid, 1, categories=("JST",))
    _close(tid, cid)
    rows, _texts = _book(_export(tid, cid))
    kat = rows[0].index("PROF-KAT")
    values = sorted(str(r[kat]) for r in rows[2:])
    # JST (1) is hidden, and with it the smallest shown group (PES, 5): hidden 6, OWES 6
    assert values.count(HIDDEN) == 6
    assert values.count("ośrodek wsparcia ekonomii społecznej (OWES)") == 6
    assert not any("jednostka samorządu" in v for v in values)


def test_export_view_refuses_until_closed_with_five(app, tenants, coordinator, make_campaign, add_responses):
    cid = make_campaign()
    add_responses(cid, 5)
    url = f"/wielkopolskie/ankiety/{cid}/eksport/odpowiedzi.xlsx"
    r = coordinator.get(url)
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/ankiety/{cid}/wyniki")
    page = coordinator.get(r.headers["Location"]).get_data(as_text=True)
    assert "dopiero po zamknięciu" in page and url not in page
    with app.app_context():
        _close(tenants[REGION], cid)
        db.session.remove()
    assert url in coordinator.get(f"/wielkopolskie/ankiety/{cid}/wyniki").get_data(as_text=True)
    r = coordinator.get(url)
    assert r.status_code == 200 and r.data[:2] == b"PK"


# --- item 1: the respondents page and the response-rate chart ---------------------------------

def _statuses(client, cid) -> dict[str, str]:
    body = client.get(f"/wielkopolskie/ankiety/{cid}/respondenci").get_data(as_text=True)
    return dict(re.findall(r"<td>(\w+)</td><td>[^<]*</td>\s*<td>[^<]*</td>\s*<td>([^<]*)</td>", body))


def test_completions_are_shown_only_in_groups_of_five(app, tenants, coordinator, make_campaign,
                                                      make_respondent):
    tid = tenants[REGION]
    cid = make_campaign()
    people = [make_respondent(cid, f"osoba{i}@example.org", name=f"Osoba{i}") for i in range(7)]
    with app.app_context(), tenant_context(tid):
        for rid, _token in people:
            db.session.get(Respondent, rid).invited_at = clock.utcnow()
        db.session.commit()
    page = coordinator.get(f"/wielkopolskie/ankiety/{cid}/respondenci").get_data(as_text=True)
    assert ">Przypomnienia</th>" not in page  # the reminder count would tell who stopped getting them

    def answer(i):
        with app.app_context(), tenant_context(tid):
            campaign, questions = campaign_and_questions(cid)
            services.submit(db.session.get(Respondent, people[i][0]), campaign, questions, full_draft(questions))
            db.session.remove()

    for i in range(4):
        answer(i)
        assert set(_statuses(coordinator, cid).values()) == {"zaproszenie wysłane"}, i
    answer(4)
    statuses = _statuses(coordinator, cid)
    assert [statuses[f"Osoba{i}"] for i in range(7)] == ["odpowiedź udzielona"] * 5 + ["zaproszenie wysłane"] * 2
    answer(5)  # the sixth is not shown until four more have answered
    assert _statuses(coordinator, cid)["Osoba5"] == "zaproszenie wysłane"
    # an invited person cannot be removed, whether or not they answered (same refusal)
    for i in (5, 6):
        r = coordinator.post(f"/wielkopolskie/ankiety/{cid}/respondenci/{people[i][0]}/usun")
        assert r.status_code == 422 and "Nie można usunąć z listy osoby zaproszonej" in r.get_data(as_text=True)


def test_response_rate_by_week_and_hidden_under_five(app, ctx, tenants, make_campaign, add_responses,
                                                    pinned_clock):
    pinned_clock.set(datetime(2026, 11, 18, 9, tzinfo=UTC))  # a Wednesday
    tid = tenants[REGION]
    cid = make_campaign()
    add_responses(cid, 3)
    with tenant_context(tid):
        stats, timeline = respondent_overview(cid)
    assert stats["completed"] == 3 and timeline == []
    with clock.pinned(datetime(2026, 11, 20, 9, tzinfo=UTC)):  # Friday of the same week
        add_responses(cid, 2)
    with tenant_context(tid):
        stats, timeline = respondent_overview(cid)
        days = set(db.session.scalars(select(Respondent.completed_on)))
    assert days == {date(2026, 11, 16)}  # only the Monday of the week is stored
    assert timeline == [(date(2026, 11, 16), 5, 5)]
    # a sixth answer the next week stays out of the chart (its week, beside the four people not
    # yet marked on the respondents page, would narrow down who it was) until it joins a group
    with clock.pinned(datetime(2026, 11, 24, 9, tzinfo=UTC)):
        add_responses(cid, 1)
    with tenant_context(tid):
        stats, timeline = respondent_overview(cid)
    assert stats["completed"] == 6 and timeline == [(date(2026, 11, 16), 5, 5)]
    with clock.pinned(datetime(2026, 11, 27, 9, tzinfo=UTC)):  # four more make a group of five
        add_responses(cid, 4)
    with tenant_context(tid):
        stats, timeline = respondent_overview(cid)
    assert stats["completed"] == 10
    assert timeline == [(date(2026, 11, 16), 5, 5), (date(2026, 11, 23), 5, 10)]


# --- item 2: the anonymity mode ---------------------------------------------------------------

def test_mode_is_locked_when_the_first_invitation_is_sent(app, ctx, tenants, make_campaign):
    tid = tenants[REGION]
    cid = make_campaign()
    with tenant_context(tid):
        campaign = db.session.get(Campaign, cid)
        services.add_respondent(campaign, "Ala Kowalska", "ala@example.org")
        services.send_invitations(campaign)
        # nobody has answered or saved anything yet: still refused
        assert services.response_count(cid) == 0 and services.drafts_in_progress(cid) == 0
        with pytest.raises(DomainError, match="obietnicą anonimowości"):
            services.set_anonymity(campaign, False)
        assert db.session.get(Campaign, cid).anonymous is True


def test_response_stores_its_mode_and_never_a_name_when_anonymous(app, ctx, tenants, make_campaign,
                                                                 make_respondent):
    tid = tenants[REGION]
    anonymous, named = make_campaign(), make_campaign(year=2024, anonymous=False)
    ala = make_respondent(anonymous, "ala@example.org", name="Ala Kowalska")
    ola = make_respondent(named, "ola@example.org", name="Ola Nowak")
    with tenant_context(tid):
        # the race: Ala holds her link (opened as anonymous); the switch before her submit fails
        with pytest.raises(DomainError, match="obietnicą anonimowości"):
            services.set_anonymity(db.session.get(Campaign, anonymous), False)
        for cid, (rid, _token) in ((anonymous, ala), (named, ola)):
            campaign, questions = campaign_and_questions(cid)
            services.submit(db.session.get(Respondent, rid), campaign, questions, full_draft(questions))
        rows = {r.campaign_id: (r.anonymous, r.respondent_name) for r in db.session.scalars(select(Response))}
    assert rows == {anonymous: (True, None), named: (False, "Ola Nowak")}


# --- item 3: the token link, drafts -----------------------------------------------------------

def test_token_is_exchanged_for_the_session(app, tenants, make_campaign, make_respondent):
    cid = make_campaign()
    _rid, token = make_respondent(cid, "ala@example.org")
    client = app.test_client()
    r = client.get(f"/ankieta/{token}?strona=2")
    assert r.status_code == 303 and r.headers["Location"] == "/ankieta?strona=2"
    assert token not in r.get_data(as_text=True)
    intro = client.get("/ankieta")
    body = intro.get_data(as_text=True)
    assert intro.status_code == 200 and token not in body and 'href="/ankieta?strona=1"' in body
    assert "Co koordynator widzi, a czego nie widzi" in body
    page = client.get("/ankieta?strona=1").get_data(as_text=True)
    assert 'action="/ankieta?strona=1"' in page and token not in page
    # another browser without the link has no access
    assert app.test_client().get("/ankieta").status_code == 404


def _files(app) -> bytes:
    path = Path(db.engine.url.database)
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


@pytest.mark.parametrize("erase", ["submit", "revoke"])
def test_erased_drafts_are_not_left_in_the_database_files(app, ctx, tenants, make_campaign, make_respondent,
                                                          erase):
    tid = tenants[REGION]
    cid = make_campaign()
    rid, _token = make_respondent(cid, "ala@example.org")
    marker = "SZKIC-" + "7f3a9c" * 4
    with tenant_context(tid):
        campaign, questions = campaign_and_questions(cid)
        draft = full_draft(questions, text=marker)
        services.save_draft(db.session.get(Respondent, rid), draft, list(draft))
        if db.engine.dialect.name == "sqlite":
            assert marker.encode() in _files(app)  # the test can see a draft where it is
        draft = full_draft(questions, text="ostateczna odpowiedź")
        services.save_draft(db.session.get(Respondent, rid), draft, list(draft))
        person = db.session.get(Respondent, rid)
        if erase == "submit":
            services.submit(person, campaign, questions, person.draft)
        else:
            services.revoke_respondent(person)
        db.session.expire_all()
        assert db.session.get(Respondent, rid).draft is None
        if db.engine.dialect.name == "sqlite":
            # secure_delete overwrote the old row; the checkpoint emptied the write-ahead log
            assert marker.encode() not in _files(app)
            wal = Path(f"{db.engine.url.database}-wal")
            assert not wal.exists() or wal.stat().st_size == 0


# --- the outbox: messages to respondents are counted, never listed ------------------------------

def test_outbox_does_not_list_who_gets_survey_messages(app, ctx, tenants, coordinator, make_campaign):
    from coordination.notifications.models import Notification

    tid = tenants[REGION]
    cid = make_campaign()
    with tenant_context(tid):
        campaign = db.session.get(Campaign, cid)
        services.add_respondent(campaign, "Ala Kowalska", "ala.respondentka@example.org")
        services.send_invitations(campaign)
        row_id = db.session.scalar(select(Notification.id).where(Notification.kind == "survey_invitation"))
        db.session.commit()
        db.session.remove()
    page = coordinator.get(f"/{REGION}/powiadomienia/").get_data(as_text=True)
    assert "ala.respondentka@example.org" not in page
    # the invitation, and the reminder and closing notice scheduled with it
    assert "3 wiadomości do respondentów ankiety nie są tu wymienione" in page
    assert coordinator.get(f"/{REGION}/powiadomienia/{row_id}/ponow").status_code == 404
