"""The isolation world, importable by other test packages (tests/perf reuses it).

Routes are classified by the manifests (``routes``: endpoint -> access level), collected by
:func:`all_routes`. ``build_world`` creates the users of the own region, a coordinator in the
foreign one and, via ``tests/isolation/shell.py`` and each module's ``tests/<module>/isolation.py``
(``build_objects``), one object of each kind the URLs take in both regions. ``build_url`` fills a
``url_map`` rule with those objects.
"""

from __future__ import annotations

import importlib
import re

from coordination.extensions import db
from coordination.modules import MODULES, manifests
from coordination.tenancy import tenant_context

OWN, FOREIGN = "wielkopolskie", "lodzkie"
MARKER = "ZNACZNIK-OBCY-REGION"


def object_builders():
    """The shell's builder, then ``tests.<module>.isolation`` of every module that has one
    (``coordination.notifications`` -> ``tests.notifications.isolation``)."""
    yield importlib.import_module("tests.isolation.shell")
    for package in MODULES:
        name = f"tests.{package.rsplit('.', 1)[-1]}.isolation"
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def all_routes() -> dict:
    """endpoint -> access level, from every manifest (a route classified twice fails)."""
    routes: dict = {}
    for manifest in manifests():
        overlap = set(routes) & set(manifest.routes)
        assert not overlap, f"classified twice: {overlap}"
        routes.update(manifest.routes)
    return routes


def build_world(app, tenants, make_user) -> tuple[dict, dict]:
    """``(users, objects)``: role -> user id; slug -> {url parameter -> value}."""
    users = {
        "member": make_user("m@example.org", "member", OWN),
        "coordinator": make_user("k@example.org", "coordinator", OWN),
        "owes": make_user("o@example.org", "owes", OWN),
        "national": make_user("n@example.org", national=True),
        "admin": make_user("a@example.org", admin=True),
    }
    users["foreign_coordinator"] = make_user("obcy@example.org", "coordinator", FOREIGN,
                                             name=f"{MARKER} Koordynator")
    objects: dict = {OWN: {}, FOREIGN: {}}
    with app.app_context():
        for slug in (OWN, FOREIGN):
            marker = MARKER if slug == FOREIGN else ""
            for module in object_builders():
                with tenant_context(tenants[slug]):
                    objects[slug].update(module.build_objects(slug, marker, users))
                    db.session.commit()
        db.session.remove()
    return users, objects


def build_url(rule, slug: str, objects_for_ids: dict) -> str:
    """The path of ``rule`` in region ``slug`` with the object ids of ``objects_for_ids``."""
    values = {}
    for arg in rule.arguments:
        if arg == "tenant":
            values[arg] = slug
        else:
            values[arg] = objects_for_ids[arg]
    path = rule.rule
    for key, value in values.items():
        path = re.sub(rf"<(?:[^:<>]+:)?{key}>", str(value), path)
    return path
