"""Journeys: a member sends a comment on draft minutes with htmx on a phone; the page reloads with
the comment listed, the box empty and the confirmation shown (the answer leads back to the same
page, which an ``HX-Redirect`` would only scroll). An attendee without an account comments by
keyboard only through the personal link from the e-mail."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.tenancy import all_tenants, tenant_context
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
    page.get_by_text("Prosimy wpisać swoją uwagę.").first.wait_for()
    text = "Proszę uzupełnić listę obecności o zastępców."
    page.get_by_label("Uwaga", exact=True).fill(text)
    page.get_by_role("button", name="Wyślij uwagę").click()
    page.get_by_text("Dziękujemy, uwaga została zapisana.").wait_for()
    assert page.locator("#uwagi").get_by_text(text).count() == 1
    assert page.get_by_label("Uwaga", exact=True).input_value() == ""
    check_axe(page)


def _personal_link() -> tuple[str, str]:
    """A personal link to the demo draft for an attendee without an account (made as the
    scheduler makes it when the e-mail leaves) and the person's name."""
    from tenants.models import Tenant
    from workgroups.models import Meeting, Minutes
    from workgroups.services import mail
    from workgroups.services.minutes import attendee_members

    app = _LIVE["app"]
    with app.app_context(), all_tenants():
        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == "wielkopolskie"))
    with app.test_request_context(), tenant_context(tenant_id):
        minutes = db.session.scalar(select(Minutes).where(Minutes.status == "consultation"))
        member = next(m for m in attendee_members(db.session.get(Meeting, minutes.meeting_id)) if m.user_id is None)
        token, name = mail.minutes_token(minutes, member), member.full_name
        db.session.commit()
        db.session.remove()
    return f"/projekt-protokolu/{token}", name


def _focused(page) -> dict:
    return page.evaluate("""() => { const el = document.activeElement; const s = getComputedStyle(el);
        return {id: el.id, tag: el.tagName, text: (el.innerText || '').slice(0, 200),
                visible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 || s.boxShadow !== 'none'}; }""")


def _tab_to(page, element_id: str, limit: int = 80) -> list[str]:
    """Press Tab until ``element_id`` has the focus; every stop shows a visible focus."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        seen.append(focused["id"] or focused["tag"])
        assert focused["visible"], f"focus not visible on {focused}"
        if focused["id"] == element_id:
            return seen
    raise AssertionError(f"{element_id} not reached by Tab: {seen}")


def test_contact_comments_by_keyboard_through_the_personal_link(browser, live_server, check_axe):
    """Keyboard only, 375 px: an attendee without an account opens the personal link, chooses
    the section and writes a comment; after sending, the new comment has the focus and the
    confirmation is in the status region; nothing traps the focus; axe finds nothing."""
    from tests.e2e.conftest import _new_page

    url, name = _personal_link()
    context, page = _new_page(browser, live_server, viewport={"width": 375, "height": 740})
    try:
        page.goto(url)
        page.get_by_role("heading", name=re.compile("Projekt protokołu")).wait_for()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        check_axe(page)
        _tab_to(page, "section")
        page.keyboard.press("ArrowDown")  # the next section of the draft
        chosen = page.locator("#section").input_value()
        _tab_to(page, "body", limit=3)
        text = "Proszę uzupełnić punkt o terminy przekazania informacji."
        page.keyboard.type(text)
        page.keyboard.press("Tab")
        assert _focused(page)["tag"] == "BUTTON"
        page.keyboard.press("Enter")
        page.locator("#flash").get_by_text("Dziękujemy, uwaga została zapisana.").wait_for()
        page.wait_for_function("document.activeElement && document.activeElement.id.startsWith('uwaga-')")
        focused = _focused(page)
        assert text in focused["text"] and name in focused["text"] and chosen in focused["text"]
        assert focused["visible"]
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        check_axe(page)
        # no trap: Tab moves on from the new comment and reaches the form again
        _tab_to(page, "section")
    finally:
        context.close()
    assert not page.console_errors, f"browser console errors: {page.console_errors}"


def test_coordinator_sees_the_links_and_revokes_one(mobile_page, log_in, check_axe):
    """The coordinator sees who got a personal link, revokes one after a confirmation page, and
    the link then opens the one "link no longer valid" page."""
    url, name = _personal_link()
    meeting_id = _meeting_under_comment()
    page = mobile_page
    log_in(page, "koordynator.wielkopolskie@example.org")
    page.goto(f"/wielkopolskie/grupy/posiedzenia/{meeting_id}/protokol")
    table = page.get_by_role("region", name="Tabela wysłanych linków imiennych")
    table.get_by_text(name).first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_axe(page)
    table.get_by_role("link", name=re.compile(f"Unieważnij – {name}")).first.click()
    page.get_by_role("heading", name="Unieważnienie linku imiennego").wait_for()
    check_axe(page)
    page.get_by_role("button", name="Tak, unieważnij link").click()
    page.get_by_text("Link został unieważniony.").wait_for()
    page.goto(url)
    page.get_by_role("heading", name="Ten link jest już nieważny").wait_for()
    check_axe(page)
    # the invalid link answers 404 on purpose: not a console error to report
    page.console_errors[:] = [e for e in page.console_errors if "/projekt-protokolu/" not in e]
