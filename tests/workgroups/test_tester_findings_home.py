"""Findings of an outside tester on the region home and the meeting pages: the overdue action
items had no total and no link (and a member did not see their own items), generated titles
lowercased acronyms, a meeting without attendance said "no quorum", and the meeting form did not
mark the date as required."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from coordination import clock
from coordination.extensions import db
from coordination.tenancy import tenant_context
from tests.conftest import count_statements
from workgroups.models import ActionItem, Resolution
from workgroups.queries.labels import lower_first
from workgroups.services import records

from .conftest import REGION, actor, group_of, held_meeting, make_meeting

HOME = f"/{REGION}/"
BASE = f"/{REGION}/grupy"


def _add_actions(world, count: int, *, owner_id=None, days_ago: int = 3) -> None:
    with tenant_context(world.tenant_id):  # a test client's request leaves the context it set
        group = group_of(world)
        for n in range(count):
            records.add_action(group, None, {"description": f"Zadanie {owner_id or 'x'}-{days_ago}-{n}",
                                             "owner_id": owner_id or world.member_ids[0],
                                             "due_date": clock.today() - timedelta(days=days_ago)},
                               actor=actor(world))


def _section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_home_gives_the_overdue_total_and_links_to_all_overdue_items(app, region, login):
    _add_actions(region, 10)
    _add_actions(region, 2, owner_id=region.own_member_id)
    _add_actions(region, 1, owner_id=region.own_member_id, days_ago=-5)  # open, not yet due
    c = login(app.test_client(), region.coordinator_id)
    html = c.get(HOME).get_data(as_text=True)
    overdue = _section(html, "overdue-h")
    assert overdue.count('<li class="overdue">') == 5
    assert f'href="{BASE}/zadania?status=overdue"' in overdue
    assert "Wszystkie zadania po terminie (12)" in overdue
    assert 'id="my-actions-h"' not in html  # the coordinator manages every item
    listed = c.get(f"{BASE}/zadania?status=overdue").get_data(as_text=True)
    assert listed.count('<tr class="overdue">') == 12
    assert re.search(r'<option value="overdue"\s+selected>po terminie', listed)
    assert f"Zadanie {region.own_member_id}--5-0" not in listed
    assert f"Zadanie {region.own_member_id}--5-0" in c.get(f"{BASE}/zadania").get_data(as_text=True)


def test_a_member_sees_their_own_open_items_first_at_a_constant_cost(app, region, login):
    c = login(app.test_client(), region.member_user_id)
    c.get(HOME)  # warm: the first request after writes reloads the region list
    with count_statements(app) as log:
        empty = c.get(HOME).get_data(as_text=True)
    before = log.count
    assert "Brak otwartych zadań przypisanych do tego konta." in _section(empty, "my-actions-h")
    _add_actions(region, 8)
    _add_actions(region, 6, owner_id=region.own_member_id)
    _add_actions(region, 1, owner_id=region.own_member_id, days_ago=-5)
    c.get(HOME)
    with count_statements(app) as log:
        html = c.get(HOME).get_data(as_text=True)
    assert log.count == before, "\n".join(s[:150] for s in log.statements)
    assert html.index('id="my-actions-h"') < html.index('id="groups-h"') < html.index('id="overdue-h"')
    mine = _section(html, "my-actions-h")
    assert "Otwarte zadania: 7." in mine
    assert f'href="{BASE}/moje-zadania"' in mine and "Wszystkie moje otwarte zadania (7)" in mine
    assert mine.count(f"Zadanie {region.own_member_id}-") == 5
    # the region's overdue items are one link away (the home costs a member what it did before)
    region_overdue = _section(html, "overdue-h")
    assert f'href="{BASE}/zadania?status=overdue"' in region_overdue
    assert "Zadania po terminie w całym regionie" in region_overdue and "Zadanie" not in region_overdue


def test_lower_first_keeps_acronyms():
    assert lower_first("Informacja o działaniach OWES w subregionach") == "informacja o działaniach OWES w subregionach"
    assert lower_first("Klauzule społeczne w zamówieniach JST") == "klauzule społeczne w zamówieniach JST"
    assert lower_first("OWES w subregionach") == "OWES w subregionach"
    assert lower_first("RPRES 2026") == "RPRES 2026"
    assert lower_first("A") == "A" and lower_first("") == ""


def test_seeded_titles_keep_acronyms(app, tenants):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.test_request_context(), tenant_context(tenants[REGION]):
        titles = db.session.scalars(select(ActionItem.description)).all()
        subjects = db.session.scalars(select(Resolution.subject)).all()
    generated = [t for t in titles + subjects if ": " in t]
    assert any("OWES w subregionach" in t for t in generated)
    assert any("zamówieniach JST" in t for t in generated)
    assert not [t for t in generated if re.search(r"\b(owes|jst|rops)\b", t)]
    assert any(t.startswith("Przygotować materiał: klauzule") for t in titles)


def test_quorum_is_not_stated_without_attendance(app, region, login):
    meeting = make_meeting(region, clock.today() - timedelta(days=2))
    meeting_id = meeting.id
    c = login(app.test_client(), region.coordinator_id)
    page = c.get(f"{BASE}/posiedzenia/{meeting_id}").get_data(as_text=True)
    quorum = page.split("Kworum", 1)[1].split("</p>", 1)[0]
    assert "nie można go stwierdzić przed wpisaniem listy obecności" in quorum
    assert "z prawem głosu: 4" in quorum
    # the resolution form and the generated draft say the same, not "no quorum: 0 of 4"
    form = c.get(f"{BASE}/posiedzenia/{meeting_id}/uchwaly/nowa").get_data(as_text=True)
    assert "Kworum nie można stwierdzić przed wpisaniem listy obecności" in form
    assert "Brak kworum" not in form
    from workgroups.services import minutes as minutes_services

    with tenant_context(region.tenant_id):
        draft = minutes_services.draft_text(db.session.get(type(meeting), meeting_id), group_of(region))
        assert "Kworum: do stwierdzenia na podstawie listy obecności" in draft
        assert "Nie stwierdzono kworum" not in draft
        held = held_meeting(region).id
    recorded = c.get(f"{BASE}/posiedzenia/{held}").get_data(as_text=True)
    assert "nie można go stwierdzić" not in recorded.split("Kworum", 1)[1].split("</p>", 1)[0]


def test_meeting_form_marks_the_date_required_and_the_place_conditionally(app, region, login):
    c = login(app.test_client(), region.coordinator_id)
    html = c.get(f"{BASE}/{region.group_id}/posiedzenia/nowe").get_data(as_text=True)
    day = re.search(r'<label for="day">Data</label> <span class="req" aria-hidden="true">\*</span>', html)
    assert day is not None
    assert re.search(r'<input[^>]*id="day"[^>]*required', html)
    assert "Wymagane przy posiedzeniu stacjonarnym lub hybrydowym." in html
    assert "Wymagany przy posiedzeniu online lub hybrydowym." in html
    place = re.search(r'<input[^>]*id="place"[^>]*>', html).group(0)
    assert "required" not in place
