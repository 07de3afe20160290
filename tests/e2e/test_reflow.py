"""Reflow and accessibility at 320 px (WCAG 1.4.10, 2.1.1): the main pages of each role scroll
only vertically (wide tables scroll inside their focusable region), with 0 axe violations
(including "scrollable-region-focusable")."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

#: role → (account or None, pages: a path, or (list path, regex of the first link to follow)).
ROLES = {
    "anonymous": (None, ["/", "/login", "/deklaracja-dostepnosci"]),
    "coordinator": ("koordynator.wielkopolskie@example.org", [
        "/wielkopolskie/", "/wielkopolskie/grupy/", ("/wielkopolskie/grupy/", r"/wielkopolskie/grupy/\d+$"),
        "/wielkopolskie/grupy/posiedzenia",
        ("/wielkopolskie/grupy/posiedzenia", r"/wielkopolskie/grupy/posiedzenia/\d+$"),
        ("/wielkopolskie/ankiety/", r"/wielkopolskie/ankiety/\d+/wyniki$"),
        "/wielkopolskie/dziennik", "/wielkopolskie/uzytkownicy"]),
    "member": ("czlonek.lodzkie@example.org", ["/lodzkie/", "/lodzkie/grupy/", "/konto/powiadomienia"]),
    "owes": ("owes.lodzkie@example.org", ["/lodzkie/owes/", ("/lodzkie/owes/", r"/lodzkie/owes/\d+$")]),
    "national": ("krajowy@example.org", ["/kraj/", "/kraj/porownanie", "/kraj/porownanie/ankiety",
                                         "/kraj/ankiety"]),
    "admin": ("admin@example.org", ["/admin/uzytkownicy", "/admin/dziennik", "/admin/powiadomienia"]),
}

OVERFLOW = """() => { const e = document.scrollingElement;
  return {scroll: e.scrollWidth, client: e.clientWidth,
          wide: [...document.querySelectorAll('body *')].filter(n => n.getBoundingClientRect().right > e.clientWidth + 1
                 && !(n.parentElement && n.parentElement.closest('.table-wrap'))).slice(0, 5).map(n => n.tagName + '.' + n.className + '#' + n.id + ':' + Math.round(n.getBoundingClientRect().right))}; }"""


def _first_link(page, pattern: str) -> str:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    found = [h for h in hrefs if re.search(pattern, h.split("?")[0])]
    assert found, f"no link matching {pattern} on {page.url}"
    return found[0]


@pytest.mark.parametrize("role", list(ROLES))
def test_main_pages_reflow_at_320_px(role, mobile_page, log_in, check_axe):
    email, pages = ROLES[role]
    if email:
        log_in(mobile_page, email)
    for entry in pages:
        if isinstance(entry, tuple):
            mobile_page.goto(entry[0])
            entry = _first_link(mobile_page, entry[1])
        response = mobile_page.goto(entry)
        assert response.ok, f"{entry}: {response.status}"
        width = mobile_page.evaluate(OVERFLOW)
        assert width["scroll"] <= width["client"], f"{entry} scrolls sideways at 320 px: {width}"
        check_axe(mobile_page)
