"""Journey: a member sends a comment on draft minutes with htmx on a phone; the page reloads with
the comment listed, the box empty and the confirmation shown (the answer leads back to the same
page, which an ``HX-Redirect`` would only scroll)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.tenancy import all_tenants
from tests.e2e.conftest import _LIVE

pytestmark = pytest.mark.e2e


def _meeting_under_comment() -> int:
    from tenants.models import Tenant
    from workgroups.models import Minutes

    with _LIVE["app"].app_context(), all_tenants():
        meeting_id = db.session.scalar(
            select(Minutes.meeting_id).join(Tenant, Tenant.id == Minutes.tenant_id)
            .where(Tenant.slug == "wielkopolskie", Minutes.status == "consultation"))
        db.session.remove()
    assert meeting_id is not None, "the demo has a draft under comment in Wielkopolskie"
    return meeting_id


def test_member_comment_shows_after_saving(mobile_page, log_in, check_axe):
    meeting_id = _meeting_under_comment()
    page = mobile_page
    log_in(page, "czlonek.wielkopolskie@example.org")
    page.goto(f"/wielkopolskie/grupy/posiedzenia/{meeting_id}/protokol")
    check_axe(page)
    page.get_by_role("button", name="Wyślij uwagę").click()  # empty: a Polish error, nothing lost
    page.get_by_text("Wpisz swoją uwagę.").first.wait_for()
    text = "Proszę uzupełnić listę obecności o zastępców."
    page.get_by_label("Uwaga", exact=True).fill(text)
    page.get_by_role("button", name="Wyślij uwagę").click()
    page.get_by_text("Dziękujemy, uwaga została zapisana.").wait_for()
    assert page.locator("#uwagi").get_by_text(text).count() == 1
    assert page.get_by_label("Uwaga", exact=True).input_value() == ""
    check_axe(page)
