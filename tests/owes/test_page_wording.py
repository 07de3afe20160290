"""What an outside tester read on the OWES pages (Polish UI): accreditation without a number,
amounts in złoty, the unit and the plan's years printed once, closed plans' schedule column and
the count line of the progress page, which counts OWES (its columns), not rows."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from coordination.auth.models import User
from coordination.extensions import db
from coordination.tenancy import tenant_context
from owes.models import ActionPlan, Indicator, Owes
from owes.services import plans
from tests.owes.conftest import REGION, client_for

HX = {"HX-Request": "true"}
BASE = f"/{REGION}/owes"
NBSP = "\u00a0"


def _targets(app, world, targets: dict[str, Decimal], plan_id=None) -> None:
    with app.app_context(), tenant_context(world.tenant_id):
        plan = db.session.get(ActionPlan, plan_id or world.plan_id)
        actor = db.session.get(User, world.users["coordinator"])
        for code, value in targets.items():
            ind = db.session.scalar(select(Indicator).where(Indicator.code == code))
            plans.set_target(plan, ind, "absolute", value, actor=actor)
        db.session.remove()


def _text(html: str) -> str:
    """The page's text as read: tags removed, whitespace (not the no-break space) collapsed."""
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def _pages(client, url):
    """The full page and its htmx block."""
    for headers in ({}, HX):
        resp = client.get(url, headers=headers)
        assert resp.status_code == 200 and ("<html" in resp.get_data(as_text=True)) is (not headers)
        yield resp.get_data(as_text=True)


@pytest.mark.parametrize("number, shown", [
    (None, "Akredytacja 1 maja 2026 – 31 grudnia 2028"),
    ("AK/7/2026", "Akredytacja AK/7/2026, 1 maja 2026 – 31 grudnia 2028"),
])
def test_accreditation_shows_the_number_only_when_there_is_one(app, world, login, number, shown):
    with app.app_context(), tenant_context(world.tenant_id):
        owes = db.session.get(Owes, world.owes_id)
        owes.accreditation_number = number
        owes.accredited_from, owes.accredited_to = date(2026, 5, 1), date(2028, 12, 31)
        db.session.commit()
        db.session.remove()
    for body in _pages(client_for(app, login, world, "coordinator"), f"{BASE}/{world.owes_id}"):
        assert shown in _text(body)
        assert "Akredytacja ," not in _text(body)


def test_money_has_two_decimals_and_the_unit_and_years_are_printed_once(app, world, login):
    _targets(app, world, {"FIN-02": Decimal("1250000.50"), "PS-01": Decimal(12), "AL-04": Decimal(34)})
    for body in _pages(client_for(app, login, world, "coordinator"), f"{BASE}/{world.owes_id}/plany/{world.plan_id}"):
        text = _text(body)
        assert f"1{NBSP}250{NBSP}000,50" in text and f"1{NBSP}250{NBSP}000,5<" not in body
        assert "(zł)" in text
        # PS-01's name ends with "(etaty)": the unit is not appended again, nor capitalised
        assert "Liczba miejsc pracy we wspartych przedsiębiorstwach społecznych (etaty) " in text
        assert "(Etaty)" not in text and text.count("(etaty)") == 1
        assert "Liczba środowisk objętych wsparciem (liczba)" in text
        assert ">34<" in body and "34,00" not in text  # counts keep their plain form
        # the title "Plan 2018–2021" already names its years
        assert "<h1>Plan 2018–2021</h1>" in body and "(2018–2021)" not in text


def test_a_title_without_years_gets_them(app, world, login):
    with app.app_context(), tenant_context(world.tenant_id):
        owes = db.session.get(Owes, world.owes_id)
        plan = plans.save_plan(owes, None, {"title": "Plan działania", "start_year": 2024,
                                            "end_year": 2026}, actor=db.session.get(User, world.users["coordinator"]))
        plan_id = plan.id
        db.session.remove()
    client = client_for(app, login, world, "coordinator")
    assert "<h1>Plan działania (2024–2026)</h1>" in client.get(f"{BASE}/{world.owes_id}/plany/{plan_id}").get_data(as_text=True)
    detail = _text(client.get(f"{BASE}/{world.owes_id}").get_data(as_text=True))
    assert "Plan działania (2024–2026)" in detail and "Plan 2018–2021 (2018–2021)" not in detail


def test_achievement_keeps_the_percent_sign_with_its_number(app, world, login, pinned_clock):
    _targets(app, world, {"AL-04": Decimal(13)})
    from tests.owes.test_views import _value
    _value(app, world, code="AL-04", period="2018", status="verified", value=6)
    pinned_clock.set(datetime(2026, 12, 4, 13, 0, tzinfo=UTC))
    body = client_for(app, login, world, "coordinator").get(f"{BASE}/{world.owes_id}/plany/{world.plan_id}").get_data(as_text=True)
    assert f"46,2{NBSP}%" in body and "46,2 %" not in body


def test_closed_plan_schedule_does_not_apply(app, world, login, pinned_clock):
    _targets(app, world, {"SZK-01": Decimal(34), "AL-04": Decimal(10)})
    from tests.owes.test_views import _value
    _value(app, world, code="AL-04", period="2018", status="verified", value=6)
    pinned_clock.set(datetime(2026, 12, 4, 13, 0, tzinfo=UTC))
    for body in _pages(client_for(app, login, world, "coordinator"), f"{BASE}/{world.owes_id}/plany/{world.plan_id}"):
        rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", body, re.S)
        assert len(rows) == 2
        for row in rows:  # the last cell before the actions: the schedule column
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            assert _text(cells[4]).strip() == "nie dotyczy", row


def test_progress_counts_the_owes_it_compares(app, world, login):
    _targets(app, world, {"AL-04": Decimal(10), "SZK-01": Decimal(5), "RES-01": Decimal(3)})
    for body in _pages(client_for(app, login, world, "coordinator"), f"{BASE}/postep?as_of=2019-12-31"):
        text = _text(body)
        assert "Razem 2 OWES" in text and "pozycj" not in text
