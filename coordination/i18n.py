"""Translation catalogs, one per module, so modules never edit each other's ``.po`` files.

Each manifest declares its catalogue (name and the paths its msgids are extracted from).

``translations/<catalog>/<locale>/LC_MESSAGES/messages.po``; Flask-Babel merges all catalogs
(``BABEL_TRANSLATION_DIRECTORIES``). msgids are English; Polish is the default UI language.

CLI: ``flask --app wsgi i18n update`` (extract + merge into pl/en), ``compile``, ``check``.
"""

from __future__ import annotations

from fnmatch import fnmatch
from functools import cache
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask import g, has_app_context
from flask_babel import get_locale, get_translations

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("pl", "en")


@cache
def catalogs() -> dict[str, tuple[str, ...]]:
    """catalog -> paths (files, folders or globs, relative to the project root) it extracts
    from, as the manifests declare them (in manifest order)."""
    from coordination.modules import manifests

    found: dict[str, tuple[str, ...]] = {}
    for manifest in manifests():
        catalogue = manifest.catalogue
        if catalogue is None:
            continue
        if catalogue.name in found:
            raise ValueError(f"{manifest.name} declares catalogue {catalogue.name!r} again")
        found[catalogue.name] = catalogue.paths
    return found

METHODS = [("**.py", "python"), ("**.html", "jinja2"), ("**.txt", "jinja2")]
OPTIONS = {"**.html": {"extensions": "jinja2.ext.do"}, "**.txt": {"extensions": "jinja2.ext.do"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}


def _request_translations():
    """The Translations of the active locale, looked up once per app context and locale.

    Flask-Babel resolves context, locale and catalog on every ``_()`` in a template (three
    context-local lookups per string); a 50-row table calls it hundreds of times. Keyed by the
    locale object, so ``force_locale`` (e-mails in the recipient's language) still switches.
    """
    if not has_app_context():
        return get_translations()
    locale = get_locale()
    known = g.setdefault("sieci_translations", {})
    translations = known.get(locale)
    if translations is None:
        translations = known[locale] = get_translations()
    return translations


def install_template_gettext(app) -> None:
    """Replace Flask-Babel's template gettext callables by ones using the per-request cache."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _request_translations().ugettext(s),
        ngettext=lambda s, p, n: _request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def template_i18n() -> dict:
    """Per render (a context processor): ``gettext`` & co. bound to the render's Translations and
    ``labels`` as plain strings of the render's locale.

    A template resolves ``_()`` from its context before the environment's globals, so a page
    looks the locale up once instead of once per string (Flask-Babel's ``get_locale`` is three
    context-local lookups); a locale switch (``force_locale`` for an e-mail) happens between
    renders, never inside one. Imported macros without context keep the globals (same text)."""
    from jinja2.ext import (
        _make_new_gettext,
        _make_new_ngettext,
        _make_new_npgettext,
        _make_new_pgettext,
    )

    translations = _request_translations()
    return {
        "gettext": _make_new_gettext(translations.ugettext),
        "ngettext": _make_new_ngettext(translations.ungettext),
        "pgettext": _make_new_pgettext(translations.upgettext),
        "npgettext": _make_new_npgettext(translations.unpgettext),
        "labels": TemplateLabels(str(get_locale() or "pl")),
    }


class TemplateLabels(dict):
    """``labels.<module>.<name>[code]`` for templates: the registered labels
    (:mod:`coordination.labels`) as strings of one locale, so a table cell costs a dict lookup
    instead of a lazy string's translation."""

    def __init__(self, locale: str) -> None:
        super().__init__()
        self.locale = locale

    def __missing__(self, module: str) -> dict:
        value = self[module] = _translated_labels(self.locale, module)
        return value


@cache
def _translated_labels(locale: str, module: str) -> dict:
    """name -> {code: text} of one module's labels in ``locale`` (the codes and the compiled
    catalogues do not change while the process runs)."""
    from flask_babel import force_locale

    from coordination.labels import LABELS, PerRequest

    with force_locale(locale):
        return {name: {code: text if isinstance(text, PerRequest) else str(text)
                       for code, text in enumeration.items()}
                for name, enumeration in LABELS[module].items()}


def catalog_dir(name: str) -> Path:
    return ROOT / "translations" / name


def translation_directories() -> str:
    """Value for ``BABEL_TRANSLATION_DIRECTORIES``: every catalog that exists."""
    dirs = [str(catalog_dir(n)) for n in catalogs() if catalog_dir(n).exists()]
    return ";".join(dirs) or str(ROOT / "translations")


def _method_for(path: Path) -> str | None:
    return {".py": "python", ".html": "jinja2", ".txt": "jinja2"}.get(path.suffix)


def _claimed_by_other(name: str, rel_file: str) -> bool:
    """A glob entry of another catalog (e.g. ``templates/email/notify_*``) owns this file."""
    return any(other != name and "*" in pattern and fnmatch(rel_file, pattern)
               for other, patterns in catalogs().items() for pattern in patterns)


def _file_results(rel: Path):
    path = ROOT / rel
    return (
        (rel, lineno, msg, comments, ctx)
        for lineno, msg, comments, ctx in extract_from_file(
            _method_for(path), path, KEYWORDS, options={"extensions": "jinja2.ext.do"})
    )


def extract(name: str) -> Catalog:
    """Collect the msgids of one catalog from its sources.

    Entries are files, folders, or globs; a file matched by another catalog's glob belongs to
    that catalog only (so a module can own ``templates/email/<prefix>_*`` inside the shared
    e-mail folder).
    """
    template = Catalog(project="sieci-es", charset="utf-8")
    for rel in catalogs()[name]:
        path = ROOT / rel
        if "*" in rel:
            files = sorted(p.relative_to(ROOT) for p in ROOT.glob(rel) if _method_for(p))
            results = (r for f in files for r in _file_results(f))
        elif path.is_dir():
            results = (
                (Path(rel) / fn, lineno, msg, comments, ctx)
                for fn, lineno, msg, comments, ctx in extract_from_dir(
                    path, METHODS, OPTIONS, KEYWORDS,
                    directory_filter=lambda d: not Path(d).name.startswith((".", "__pycache__")))
                if not _claimed_by_other(name, str(Path(rel) / fn))
            )
        elif path.is_file() and _method_for(path):
            results = _file_results(Path(rel))
        else:
            continue
        for fn, lineno, msg, comments, ctx in results:
            template.add(msg, None, [(str(fn), lineno)], auto_comments=comments, context=ctx)
    return template


def _po_path(name: str, locale: str) -> Path:
    return catalog_dir(name) / locale / "LC_MESSAGES" / "messages.po"


def update(name: str) -> dict[str, int]:
    """Extract and merge into each locale's ``.po`` (keeping existing translations)."""
    template = extract(name)
    counts = {}
    if not len(template):
        return counts
    for locale in LOCALES:
        po = _po_path(name, locale)
        if po.exists():
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=locale)
        else:
            po.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=locale, project="sieci-es", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False
        if locale == "en":  # English msgids are the English text
            for msg in catalog:
                if msg.id and not msg.string:
                    msg.string = msg.id
        with po.open("wb") as fh:
            write_po(fh, catalog, width=100, omit_header=False, ignore_obsolete=True)
        counts[locale] = len(catalog)
    return counts


def compile_all() -> int:
    n = 0
    for name in catalogs():
        for locale in LOCALES:
            po = _po_path(name, locale)
            if not po.exists():
                continue
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=locale)
            with po.with_suffix(".mo").open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)
            n += 1
    return n


def problems(locale: str = "pl") -> list[str]:
    """Messages used in the code that have no (or a fuzzy) translation in ``locale``."""
    out = []
    for name in catalogs():
        template = extract(name)
        if not len(template):
            continue
        po = _po_path(name, locale)
        if not po.exists():
            out.append(f"{name}: no {locale} catalog ({po.relative_to(ROOT)})")
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        for msg in template:
            if not msg.id:
                continue
            have = catalog.get(msg.id, context=msg.context)
            strings = have.string if have is not None else None
            if isinstance(strings, (tuple, list)):
                missing = not all(strings) or len(strings) != catalog.num_plurals
            else:
                missing = not strings
            if have is None or missing or have.fuzzy:
                where = msg.locations[0] if msg.locations else ("?", 0)
                out.append(f"{name}: {msg.id!r} ({where[0]}:{where[1]})")
    return out


@click.group("i18n")
def i18n_cli():
    """Translation catalogs: update, compile, check."""


@i18n_cli.command("update")
@click.argument("names", nargs=-1)
def update_cmd(names):
    """Extract messages and merge them into the pl/en catalogs."""
    for name in names or catalogs():
        click.echo(f"{name}: {update(name)}")


@i18n_cli.command("compile")
def compile_cmd():
    """Compile every .po into .mo."""
    click.echo(f"compiled {compile_all()} catalogs")


@i18n_cli.command("check")
@click.option("--locale", default="pl")
def check_cmd(locale):
    """Fail when a message has no translation."""
    found = problems(locale)
    for line in found:
        click.echo(line)
    if found:
        raise SystemExit(f"{len(found)} untranslated message(s) in {locale}")
    click.echo(f"all messages translated in {locale}")
