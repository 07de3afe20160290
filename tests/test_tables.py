"""Every table in a page template sits in a focusable, named scroll region (the one macro
``scroll_region``), so keyboard users can scroll it (axe "scrollable-region-focusable")."""

from __future__ import annotations

import re
from pathlib import Path

from flask import render_template_string

ROOT = Path(__file__).resolve().parents[1]
#: print templates (PDF, DOCX) do not scroll; the bench page is not part of the product.
NOT_SCREEN = ("/pdf/", "_bench/", "national/report.html", "national/briefing.html")


def test_every_table_is_in_a_scroll_region():
    missing = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        rel = path.relative_to(ROOT / "templates").as_posix()
        if any(part in f"/{rel}" for part in NOT_SCREEN):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if re.search(r"<table[\s>]", line):
                before = "\n".join(lines[max(0, i - 2):i + 1])
                if "scroll_region(" not in before:
                    missing.append(f"{rel}:{i + 1}")
    assert not missing, "tables outside scroll_region(...):\n" + "\n".join(missing)


def test_scroll_region_renders_a_named_focusable_region(app):
    with app.test_request_context():
        out = render_template_string(
            '<div {{ scroll_region("Posiedzenia") }}></div><div {{ scroll_region(labelledby="h") }}></div>')
    assert 'class="table-wrap" tabindex="0" role="region" aria-label="Posiedzenia"' in out
    assert 'tabindex="0" role="region" aria-labelledby="h"' in out
