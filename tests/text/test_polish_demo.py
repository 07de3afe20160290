"""The Polish-text checker (tests/text/polish.py) over the demo: every GET page each demo role
reaches by following links (Polish UI, single process), the exports and downloads those pages
link to, and the e-mails the demo queues. A finding fails the test with its page and context."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from email.header import decode_header, make_header
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from sqlalchemy import select

from coordination import clock
from coordination.auth.models import User
from coordination.extensions import db
from coordination.notifications.services.delivery import send_due
from coordination.tenancy import all_tenants
from tenants.models import Tenant
from tenants.regions import REGIONS
from tests.text.polish import export_text, problems, visible_text

DEMO_ACCOUNTS = ("admin@example.org", "krajowy@example.org", "koordynator.wielkopolskie@example.org",
                 "koordynator.lodzkie@example.org", "czlonek.wielkopolskie@example.org",
                 "czlonek.lodzkie@example.org", "owes.lodzkie@example.org")
START = ("/", "/konto/powiadomienia")
#: pages of the same shape (ids replaced) visited per role; keeps the crawl within seconds.
PER_SHAPE = 1
MAX_PAGES = 260
SKIP = ("/logout", "/static/", "/healthz", "/konto/jezyk")
#: not fetched: the survey report PDF renders the results page's blocks (checked there) and
#: takes WeasyPrint several seconds.
SKIP_SHAPES = ("/T/ankiety/N/eksport/raport.pdf?",)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


_SLUGS = "|".join(slug for _t, slug, _n, _o in REGIONS)
_DOWNLOAD = re.compile(r"\.(pdf|docx|xlsx|ics|csv)$")


def _shape(url: str) -> str:
    """The page's shape: ids and the region replaced ("/T/grupy/N"), query parameter names."""
    parts = urlsplit(url)
    query = "&".join(sorted(p.split("=")[0] for p in parts.query.split("&") if p))
    path = re.sub(rf"^/({_SLUGS})/", "/T/", parts.path)
    return re.sub(r"\d+", "N", path) + "?" + query


def crawl(client, findings: dict, seen_shapes: Counter, visited: set, downloads: Counter) -> int:
    """Follow the links of ``client``'s pages breadth-first; record findings by page."""
    queue = list(START)
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.pop(0)
        if url in visited or url.startswith(SKIP):
            continue
        shape = _shape(url)
        if shape in SKIP_SHAPES:
            continue
        # a page shape a few times per role; a file (PDF, DOCX, …) once in the whole crawl
        seen = downloads if _DOWNLOAD.search(urlsplit(url).path) else seen_shapes
        if seen[shape] >= (1 if seen is downloads else PER_SHAPE):
            continue
        seen[shape] += 1
        visited.add(url)
        response = client.get(url)
        pages += 1
        if response.status_code != 200:
            continue
        content_type = response.content_type or ""
        if content_type.startswith("text/html"):
            html = response.get_data(as_text=True)
            for line in problems(visible_text(html)):
                findings.setdefault(line, url)
            for href in _links(html):
                href, _ = urldefrag(href)
                parts = urlsplit(href)
                if href and not parts.netloc and href.startswith("/") and href not in visited:
                    queue.append(href)
        else:
            text = export_text(content_type, response.get_data())
            if text is not None:
                for line in problems(text):
                    findings.setdefault(line, url)
    return pages


@pytest.fixture
def demo(app):
    from coordination.demo import seed_demo

    with app.app_context():
        seed_demo()
        users = {u.email: u.id for u in db.session.scalars(select(User))}
        db.session.remove()
    return users


def _result_sections(app, demo, login, findings: dict) -> int:
    """The sections of every survey's results in the coordinator's region, whether or not the
    crawl met a campaign with results first (it reads one page of each shape): each section
    as a page and as the fragment htmx loads. Returns the number of pages read."""
    from surveys.models import Campaign

    client = app.test_client()
    login(client, demo["koordynator.wielkopolskie@example.org"])
    with app.app_context(), all_tenants():
        campaigns = db.session.scalars(select(Campaign.id).join(Tenant).where(Tenant.slug == "wielkopolskie")).all()
        db.session.remove()
    read = 0
    shown = set()
    for cid in campaigns:
        for key in ("kategorie", "lata", "pytania"):
            for headers in ({}, {"HX-Request": "true"}):
                url = f"/wielkopolskie/ankiety/{cid}/wyniki/{key}"
                html = client.get(url, headers=headers).get_data(as_text=True)
                read += 1
                if "<table" in html:
                    shown.add(key)
                for line in problems(visible_text(html)):
                    findings.setdefault(line, url)
    assert shown == {"kategorie", "lata", "pytania"}, f"no demo survey shows its {shown} sections"
    return read


def _mail_texts(smtp) -> list[tuple[str, str]]:
    """(recipient and subject, visible text) of every part of every received message."""
    out = []
    for m in smtp.messages:
        message = m["message"]
        where = f"mail to {m['to'][0]}: {message['Subject']}"
        out.append((where, str(make_header(decode_header(message["Subject"] or "")))))
        for part in message.walk():
            kind = part.get_content_type()
            if kind.startswith("text/"):
                body = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
                text = visible_text(body) if kind == "text/html" else export_text(kind, body.encode())
                out.append((where, text or ""))
    return out


def test_demo_pages_and_mails_read_as_polish(app, demo, login, smtp):
    findings: dict[str, str] = {}
    total = 0
    downloads: Counter = Counter()
    for email in (None, *DEMO_ACCOUNTS):
        client = app.test_client()
        if email:
            login(client, demo[email])
        # each role crawls its own pages (shapes are per role: a member sees other pages)
        total += crawl(client, findings, Counter(), set(), downloads)
    assert total > 100, f"the crawl reached only {total} pages"
    total += _result_sections(app, demo, login, findings)
    # the e-mails the demo queued (invitations, reminders, digests), sent as the scheduler would
    with app.app_context():
        sent = send_due(now=clock.now() + timedelta(days=45))
        db.session.remove()
    texts = _mail_texts(smtp)
    assert len(texts) > 5, sent
    for where, text in texts:
        for line in problems(text):
            findings.setdefault(line, where)
    assert not findings, f"{len(findings)} finding(s) in {total} pages:\n" + "\n".join(
        f"{url}: {line}" for line, url in sorted(findings.items(), key=lambda kv: kv[1]))
