"""Page weight: which subresources a page loads, their gzip sizes, and external references.

Shared by the bench (over HTTP) and tests/perf/test_page_weight.py (Flask test client).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

#: attributes through which HTML refers to another URL.
URL_ATTRIBUTES = frozenset({"src", "href", "action", "formaction", "srcset", "poster", "data",
                            "cite", "background", "manifest"})
#: hosts that are "this server" for the bench and the tests.
LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1"})


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        for name, value in attributes.items():
            if name in URL_ATTRIBUTES and value.strip():
                urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" \
                    else [value.strip()]
                self.refs.extend((tag, name, url, attributes) for url in urls)


def references(html: str) -> list[tuple[str, str, str, dict]]:
    """Every URL the page mentions: ``(tag, attribute, url, all attributes)``."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.refs


def is_external(url: str, own_hosts: Iterable[str] = LOCAL_HOSTS) -> bool:
    """True for an absolute http(s) or protocol-relative URL to a host that is not ours."""
    parts = urlsplit(url)
    if url.startswith("//") or parts.scheme in ("http", "https"):
        return (parts.hostname or "") not in set(own_hosts) | LOCAL_HOSTS
    return False


def external_references(html: str, own_hosts: Iterable[str] = LOCAL_HOSTS) -> list[str]:
    """``tag[attribute]=url`` for every reference to another host."""
    hosts = set(own_hosts)
    return [f"{tag}[{attr}]={url}" for tag, attr, url, _a in references(html) if is_external(url, hosts)]


_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.IGNORECASE)


def css_external_urls(css: str, own_hosts: Iterable[str] = LOCAL_HOSTS) -> list[str]:
    """URLs to other hosts in a stylesheet (``url(...)``, ``@import``)."""
    return [url for url in _CSS_URL.findall(css) if is_external(url, own_hosts)]


def subresources(html: str) -> list[tuple[str, str]]:
    """``(kind, url)`` of what a browser loads with the page: css, js, icon, img."""
    found: list[tuple[str, str]] = []
    for tag, attr, url, attributes in references(html):
        rel = set(attributes.get("rel", "").lower().split())
        if tag == "link" and attr == "href" and "stylesheet" in rel:
            found.append(("css", url))
        elif tag == "link" and attr == "href" and "icon" in rel:
            found.append(("icon", url))
        elif tag == "script" and attr == "src":
            found.append(("js", url))
        elif tag == "img" and attr in ("src", "srcset"):
            found.append(("img", url))
    return list(dict.fromkeys(found))


def gzip_size(data: bytes) -> int:
    """Bytes on the wire with gzip at the usual server level (6)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


@dataclass
class Weight:
    """Cold load of one page: HTML plus every subresource, raw and gzip-compressed."""

    html_bytes: int
    html_gzip: int
    assets: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # url -> (kind, raw, gz)

    def gzip_of(self, kind: str) -> int:
        return sum(gz for k, _raw, gz in self.assets.values() if k == kind)

    @property
    def total_gzip(self) -> int:
        return self.html_gzip + sum(gz for _k, _raw, gz in self.assets.values())

    @property
    def total_bytes(self) -> int:
        return self.html_bytes + sum(raw for _k, raw, _gz in self.assets.values())

    def as_dict(self) -> dict:
        return {"html_bytes": self.html_bytes, "html_gzip": self.html_gzip,
                "js_gzip": self.gzip_of("js"), "css_gzip": self.gzip_of("css"),
                "cold_bytes": self.total_bytes, "cold_gzip": self.total_gzip,
                "assets": {url: {"kind": k, "bytes": raw, "gzip": gz}
                           for url, (k, raw, gz) in self.assets.items()}}


def page_weight(html: bytes, fetch: Callable[[str], bytes]) -> Weight:
    """Weigh a page; ``fetch(url) -> body`` loads each same-origin subresource."""
    weight = Weight(len(html), gzip_size(html))
    for kind, url in subresources(html.decode("utf-8", "replace")):
        if is_external(url):
            continue  # reported by external_references; never fetched
        body = fetch(url)
        weight.assets[url] = (kind, len(body), gzip_size(body))
    return weight
