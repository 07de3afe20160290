"""Scrollable tables of the OWES and national pages are keyboard-reachable named regions."""

from __future__ import annotations

import re
from pathlib import Path

from tests.owes.conftest import REGION

ROOT = Path(__file__).resolve().parents[2]


def test_every_table_wrap_goes_through_the_shared_macro():
    raw = [f"{p.relative_to(ROOT)}:{n}" for folder in ("templates/owes", "templates/national")
           for p in sorted((ROOT / folder).rglob("*.html"))
           for n, line in enumerate(p.read_text().splitlines(), start=1)
           if 'class="table-wrap' in line]
    assert raw == [], "use scroll_region() from _macros/tables.html"


def test_rendered_table_wrap_is_focusable_region_with_the_caption_as_name(app, login, world):
    client = app.test_client()
    login(client, world.users["member"])
    html = client.get(f"/{REGION}/owes/").get_data(as_text=True)
    wraps = re.findall(r"<div ([^>]*table-wrap[^>]*)>", html)
    assert wraps, "the registry lists two OWES in a table"
    for attrs in wraps:
        assert 'tabindex="0"' in attrs and 'role="region"' in attrs
    label = re.search(r'aria-label="([^"]+)"', wraps[0]).group(1)
    caption = re.search(r"<caption[^>]*>([^<]+)</caption>", html).group(1)
    assert label == caption
