"""Modules own their wiring: every manifest is complete, every domain package has the same shape.

A module is its folder plus one line in ``coordination/modules.py``; these tests make sure the
manifest declares everything the shell collects from it, and that nothing outside the manifest
is needed.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

from coordination.manifest import COMMON_PARTS, STANDARD_PARTS, Manifest
from coordination.modules import MODULES, manifests
from coordination.permissions import rules
from tests.isolation.levels import LEVELS

ROOT = Path(__file__).resolve().parent.parent
BY_NAME = {m.name: m for m in manifests()}
DOMAIN = [(package, m) for package, m in zip(MODULES, manifests()[1:], strict=True) if m.domain]


def _owner(endpoint: str) -> Manifest:
    """The manifest whose blueprint serves ``endpoint`` (the shell owns ``static`` and the
    tenant blueprint's own pages)."""
    best, length = BY_NAME["foundation"], 0
    for manifest in manifests():
        prefixes = [f"{bp.name}." for bp in manifest.blueprints]
        prefixes += [f"tenant.{bp.name}." for bp in manifest.tenant_blueprints]
        for prefix in prefixes:
            if endpoint.startswith(prefix) and len(prefix) > length:
                best, length = manifest, len(prefix)
    return best


def test_every_module_has_a_manifest():
    assert len(manifests()) == len(MODULES) + 1
    for package, manifest in zip(MODULES, manifests()[1:], strict=True):
        assert isinstance(manifest, Manifest), package
        assert importlib.import_module(f"{package}.manifest").MANIFEST is manifest
    assert len(BY_NAME) == len(manifests()), "manifest names must be unique"


def test_every_route_is_classified_by_the_manifest_that_serves_it(app):
    wrong = []
    for rule in app.url_map.iter_rules():
        owner = _owner(rule.endpoint)
        if rule.endpoint not in owner.routes:
            wrong.append(f"{rule.endpoint}: classify it in {owner.name}'s manifest")
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    for manifest in manifests():
        for endpoint, level in manifest.routes.items():
            if endpoint not in endpoints:
                wrong.append(f"{manifest.name}: {endpoint} is not a route")
            elif _owner(endpoint) is not manifest:
                wrong.append(f"{manifest.name}: {endpoint} belongs to {_owner(endpoint).name}")
            if level not in LEVELS:
                wrong.append(f"{manifest.name}: {endpoint} has an unknown level {level!r}")
    assert not wrong, "\n".join(wrong)


def test_every_blueprint_comes_from_a_manifest(app):
    declared = {"tenant"}
    for manifest in manifests():
        declared |= {bp.name for bp in manifest.blueprints}
        declared |= {f"tenant.{bp.name}" for bp in manifest.tenant_blueprints}
    assert set(app.blueprints) == declared


def test_menus_home_panels_and_bench_pages_point_at_real_things(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    actions = rules()
    for manifest in manifests():
        for entry in (*manifest.tenant_nav, *manifest.national_nav):
            assert entry.endpoint in endpoints, (manifest.name, entry)
            assert entry.action in actions, (manifest.name, entry)
            assert str(entry.label)
        for page in manifest.bench_pages:
            assert page.endpoint in endpoints, (manifest.name, page)
            assert page.role in ("coordinator", "member", "national")
        assert all(callable(panel) for panel in manifest.home_panels)


def test_permissions_and_tenant_prefixes():
    seen: dict[str, str] = {}
    for manifest in manifests():
        for action, rule in manifest.rules.items():
            assert action not in seen, f"{action} in {seen.get(action)} and {manifest.name}"
            assert callable(rule)
            seen[action] = manifest.name
        own_prefixes = {action.split(".")[0] for action in manifest.rules}
        assert set(manifest.tenant_prefixes) <= own_prefixes, manifest.name
    assert set(rules()) == set(seen)


def test_notification_kinds_have_templates():
    from coordination.notifications.kinds import load

    kinds = load()
    declared = [k for m in manifests() for k in m.notification_kinds]
    assert [k.name for k in declared if k.name in kinds] == [k.name for k in declared]
    assert len({k.name for k in declared}) == len(declared) == len(kinds)
    for kind in declared:
        for suffix in (".txt", ".html"):
            assert (ROOT / "templates" / "email" / f"{kind.template}{suffix}").exists(), kind.name


def test_catalogues_exist_and_are_unique():
    names = [m.catalogue.name for m in manifests() if m.catalogue is not None]
    assert len(names) == len(set(names))
    for manifest in manifests():
        if manifest.catalogue is None:
            continue
        assert (ROOT / "translations" / manifest.catalogue.name / "pl" / "LC_MESSAGES").is_dir()
        for path in manifest.catalogue.paths:
            matches = list(ROOT.glob(path)) if "*" in path else [ROOT / path]
            assert any(p.exists() for p in matches), (manifest.name, path)


def _parts(package: str) -> set[str]:
    module = importlib.import_module(package)
    return {info.name for info in pkgutil.iter_modules(module.__path__)}


@pytest.mark.parametrize(("package", "manifest"), DOMAIN, ids=[p for p, _m in DOMAIN])
def test_domain_package_has_the_standard_shape(package, manifest):
    parts = _parts(package)
    missing = set(STANDARD_PARTS) - parts
    assert not missing, f"{package} lacks {sorted(missing)} (a module or a package of that name)"
    odd = parts - set(STANDARD_PARTS) - set(COMMON_PARTS) - set(manifest.extras)
    assert not odd, f"{package}: move {sorted(odd)} into the standard parts or declare them in extras"
    assert set(manifest.extras) <= parts, f"{package}: extras that do not exist"
    assert all(reason.strip() for reason in manifest.extras.values())
    assert "manifest" in parts


@pytest.mark.parametrize(("package", "manifest"), DOMAIN, ids=[p for p, _m in DOMAIN])
def test_domain_package_names(package, manifest):
    """``catalogue`` (not ``catalog``), ``common`` (not ``_common``), at every level."""
    folder = Path(importlib.import_module(package).__file__).parent
    names = {p.stem for p in folder.rglob("*.py")}
    assert "catalog" not in names and "_common" not in names, package


def test_extras_are_justified_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for _package, manifest in DOMAIN:
        for extra in manifest.extras:
            assert f"`{manifest.name}/{extra}`" in readme, f"justify {manifest.name}/{extra} in README's How it is built"
