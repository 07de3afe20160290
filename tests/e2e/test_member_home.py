"""Journey, keyboard only: a committee member signs in, answers a meeting invitation from the
home panel "Moje posiedzenia" and from the meeting page (Tab, Enter, Space), names a substitute,
then continues the open survey from "Moje ankiety". After every answer the status region
announces the result and the focus stays on the control used; focus is always visible, Tab
always moves on (no trap); axe finds nothing; at 375 px nothing scrolls sideways."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

MEMBER = "czlonek.wielkopolskie@example.org"
#: one Tab press too many means a control is missing or focus is trapped.
MAX_TABS = 120


def _active(pg) -> dict:
    return pg.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {id: el.id || '', tag: el.tagName, href: el.getAttribute('href') || '',
                text: (el.innerText || el.value || '').trim(),
                visible: el.matches(':focus-visible') && (style.outlineStyle !== 'none' || style.boxShadow !== 'none')};
    }""")


def _tab_to(pg, matches, *, backwards: bool = False) -> dict:
    """Press Tab (Shift+Tab) until ``matches(active element)``; every stop has a visible focus
    indicator and the focus keeps moving (no trap)."""
    seen = []
    for _ in range(MAX_TABS):
        pg.keyboard.press("Shift+Tab" if backwards else "Tab")
        el = _active(pg)
        if el["tag"] != "BODY":
            assert el["visible"], f"focus not visible on {el}"
        if matches(el):
            return el
        seen.append((el["tag"], el["id"] or el["href"] or el["text"][:30]))
        assert len(seen) < 4 or len(set(seen[-4:])) > 1, f"focus trapped: {seen[-4:]}"
    raise AssertionError(f"not reached with the keyboard; visited {seen}")


def _no_sideways_scroll(pg) -> None:
    width = pg.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"horizontal scroll on {pg.url}: {width}"


def _answer_with(pg, key: str, button_id: str, meeting_id: str, label: str) -> None:
    pg.keyboard.press(key)
    status = pg.locator(f"#my-rsvp-{meeting_id}-status")
    status.get_by_text(re.compile(f"Zapisano odpowiedź.*{label}")).wait_for()
    assert status.get_attribute("role") == "status"  # a live region: screen readers announce it
    pg.locator(f"#{button_id}[aria-pressed='true']").wait_for()
    assert _active(pg)["id"] == button_id  # the focus stays on the button after the swap
    assert pg.locator(f"#my-rsvp-{meeting_id}").get_by_text(label, exact=True).count() >= 1


def test_member_answers_invitations_and_opens_the_survey_with_the_keyboard(page, live_server, check_axe):
    # sign in with the keyboard only
    page.goto("/login")
    _tab_to(page, lambda el: el["id"] == "email")
    page.keyboard.type(MEMBER)
    _tab_to(page, lambda el: el["id"] == "password")
    from tests.e2e.conftest import DEMO_PASSWORD

    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto("/wielkopolskie/")
    page.get_by_role("heading", name="Moje posiedzenia").wait_for()
    page.get_by_role("heading", name="Moje ankiety").wait_for()
    check_axe(page)

    # home panel: "Tak, będę" with Enter, then the next button with Space
    yes = _tab_to(page, lambda el: re.fullmatch(r"my-rsvp-\d+-yes", el["id"]) is not None)
    meeting_id = yes["id"].split("-")[2]
    _answer_with(page, "Enter", yes["id"], meeting_id, "Tak, będę")
    no = _tab_to(page, lambda el: el["id"] == f"my-rsvp-{meeting_id}-no")
    _answer_with(page, "Space", no["id"], meeting_id, "Nie, nie będę")
    check_axe(page)

    # on to the meeting page by its link (Shift+Tab back to it, Enter)
    _tab_to(page, lambda el: el["href"].endswith(f"/posiedzenia/{meeting_id}"), backwards=True)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/posiedzenia/{meeting_id}$"))
    page.get_by_role("heading", name="Moja odpowiedź na zaproszenie").wait_for()
    assert page.locator(f"#my-rsvp-{meeting_id}-no[aria-pressed='true']").count() == 1
    check_axe(page)
    maybe = _tab_to(page, lambda el: el["id"] == f"my-rsvp-{meeting_id}-maybe")
    _answer_with(page, "Enter", maybe["id"], meeting_id, "Może")

    # a substitute: open the disclosure, type the name, send with Enter
    _tab_to(page, lambda el: el["tag"] == "SUMMARY")
    page.keyboard.press("Enter")
    _tab_to(page, lambda el: el["id"] == f"my-rsvp-{meeting_id}-substitute")
    page.keyboard.type("Anna Zastępująca")
    page.keyboard.press("Enter")
    page.locator(f"#my-rsvp-{meeting_id}-status").get_by_text(re.compile("Zapisano odpowiedź.*Nie, nie będę")).wait_for()
    page.locator(f"#my-rsvp-{meeting_id}").get_by_text(re.compile("Anna Zastępująca")).wait_for()
    assert _active(page)["id"] == f"my-rsvp-{meeting_id}-substitute"
    _tab_to(page, lambda el: el["id"] == f"my-rsvp-{meeting_id}-send-substitute")  # Tab moves on
    check_axe(page)

    # 375 px: nothing scrolls sideways on the pages of the journey
    page.set_viewport_size({"width": 375, "height": 800})
    for url in ("/wielkopolskie/", f"/wielkopolskie/grupy/posiedzenia/{meeting_id}",
                "/wielkopolskie/grupy/moje-posiedzenia", "/wielkopolskie/ankiety/"):
        page.goto(url)
        _no_sideways_scroll(page)
        check_axe(page)

    # My surveys: the survey in progress continues in the questionnaire pages
    page.goto("/wielkopolskie/")
    page.get_by_text(re.compile("W toku: udzielono odpowiedzi na \\d+ z \\d+ pytań")).wait_for()
    _tab_to(page, lambda el: el["text"].startswith("Kontynuuj ankietę"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ankieta$"))
    page.get_by_role("link", name="Kontynuuj ankietę").wait_for()  # the saved draft is there
    _no_sideways_scroll(page)
    check_axe(page)
