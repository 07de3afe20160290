"""PDF from HTML with WeasyPrint: tagged (PDF/UA), document language from ``<html lang>``.

WeasyPrint needs Pango (Debian: ``libpango-1.0-0 libpangoft2-1.0-0``) and a font with Polish
glyphs (``fonts-dejavu-core``); tests/system_deps.sh installs them. Characters XML forbids
(control characters stored before input was normalised) are removed from the HTML first.
"""

from __future__ import annotations

from coordination.text import xml_text

MIME = "application/pdf"


def html_to_pdf(html: str, base_url: str | None = None, stylesheet: str | None = None) -> bytes:
    """Render an HTML document (with its own ``<style>``, or the CSS file ``stylesheet``) to PDF."""
    from weasyprint import CSS, HTML

    stylesheets = [CSS(filename=stylesheet)] if stylesheet else None
    return HTML(string=xml_text(html), base_url=base_url).write_pdf(
        stylesheets=stylesheets, pdf_tags=True, pdf_variant="pdf/ua-1")
