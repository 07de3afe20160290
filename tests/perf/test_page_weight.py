"""Page weight and self-containment of every GET page (the issue's cold-load budget).

Every HTML page, as coordinator and as admin: no reference to another host (no CDN, no external
request), and the cold load — HTML plus every stylesheet, script and icon, gzip-compressed —
stays within the budget.
"""

from __future__ import annotations

from bench.weight import css_external_urls, external_references, page_weight
from tests.perf.conftest import own_urls

#: cold load of a page (HTML + CSS + JS + icons, gzip), bytes.
COLD_BUDGET = 150 * 1024
#: JavaScript of a page, gzip, bytes.
JS_BUDGET = 25 * 1024
#: hosts a page may name (ours; BASE_URL of the test app).
OWN_HOSTS = {"localhost", "sieci.example.org"}


def _fetch(client, failures):
    def fetch(url: str) -> bytes:
        response = client.get(url)
        assert response.status_code == 200, url
        data = response.get_data()
        response.close()
        if url.endswith(".css"):
            failures.extend(f"{url}: external {ref}" for ref in css_external_urls(data.decode()))
        return data

    return fetch


def test_pages_are_self_contained_and_light(app, world, login):
    users, objects = world
    failures, weighed = [], 0
    for role in ("coordinator", "admin"):
        client = login(app.test_client(), users[role])
        for endpoint, url in own_urls(app, objects):
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            html = response.get_data()
            for ref in external_references(html.decode(), OWN_HOSTS):
                failures.append(f"{endpoint} as {role}: external reference {ref}")
            weight = page_weight(html, _fetch(client, failures))
            weighed += 1
            assert weight.gzip_of("js") > 0 and weight.gzip_of("css") > 0, endpoint
            if weight.total_gzip > COLD_BUDGET:
                failures.append(f"{endpoint}: cold load {weight.total_gzip} B gzip > {COLD_BUDGET}")
            if weight.gzip_of("js") > JS_BUDGET:
                failures.append(f"{endpoint}: JS {weight.gzip_of('js')} B gzip > {JS_BUDGET}")
    assert weighed >= 10, "too few HTML pages weighed: the walk is broken"
    assert not failures, "\n".join(failures)


def test_external_reference_detection():
    """The detector itself: what counts as another host."""
    html = ('<link rel="stylesheet" href="https://cdn.example.com/x.css">'
            '<script src="//unpkg.com/htmx.org"></script><img srcset="/a.png 1x, http://x.org/b.png 2x">'
            '<a href="/grupy/">ok</a><form action="https://sieci.example.org/login"></form>'
            '<a href="mailto:rops@example.org">mail</a>')
    assert external_references(html, OWN_HOSTS) == [
        "link[href]=https://cdn.example.com/x.css", "script[src]=//unpkg.com/htmx.org",
        "img[srcset]=http://x.org/b.png"]
    css = "a{background:url('/static/a.png')} @import 'https://fonts.example.com/f.css'; b{x:url(//x.org/i)}"
    assert css_external_urls(css) == ["https://fonts.example.com/f.css", "//x.org/i"]
