"""Defects an outside tester found in the working-group forms and pages: the defaults of the
new-member form, meetings on weekends and public holidays, all form errors at once, and one
agenda order on the meeting page and in the minutes."""

import re

from sqlalchemy import select

from coordination.extensions import db
from coordination.tenancy import tenant_context
from tests.conftest import csrf_token
from workgroups.models import GroupMember

from .conftest import REGION

HX = {"HX-Request": "true"}
BASE = f"/{REGION}/grupy"


def _selected(html: str, name: str) -> str | None:
    select_html = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    found = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected',
                      select_html)
    return None if found is None else (found.group(1) if found.group(1) is not None else found.group(2))


def test_new_member_form_defaults_to_an_ordinary_member_and_no_category(app, world, login):
    c = login(app.test_client(), world.coordinator_id)
    url = f"{BASE}/{world.group_id}/czlonkowie/nowy"
    page = c.get(url).get_data(as_text=True)
    assert _selected(page, "role") == "member"
    assert _selected(page, "category") in (None, "")
    assert "Prosimy wybrać" in page.split('name="category"', 1)[1].split("</select>", 1)[0]
    token = csrf_token(c, url)
    bad = c.post(url, data={"csrf_token": token, "full_name": "Nowa Osoba", "role": "member",
                            "date_from": "2026-01-05", "title_form": "", "locale": "pl"}, headers=HX)
    assert bad.status_code == 422
    assert "Prosimy wybrać kategorię członka." in bad.get_data(as_text=True)
    ok = c.post(url, data={"csrf_token": token, "full_name": "Nowa Osoba", "role": "member", "category": "pes",
                           "date_from": "2026-01-05", "title_form": "", "locale": "pl"}, headers=HX)
    assert ok.status_code == 204
    with app.app_context(), tenant_context(world.tenant_id):
        role, category = db.session.execute(select(GroupMember.role, GroupMember.category)
                                            .where(GroupMember.full_name == "Nowa Osoba")).one()
    assert (role, category) == ("member", "pes")
