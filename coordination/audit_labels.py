"""The audit log in words: what each action code means, what the changed object is (with a
link to its page), the change as readable key/value pairs and the time in Europe/Warsaw.

Each module declares its own codes, objects and summary keys in its manifest
(``audit_actions``, ``audit_objects``, ``audit_fields``); this module only collects them. The
log itself keeps the codes (:mod:`coordination.audit`), and so does the export.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from flask import request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import String, cast, literal, select, union_all
from werkzeug.routing import BuildError

from coordination.extensions import db
from coordination.formats import format_day, format_moment
from coordination.nav import row_url
from coordination.permissions import can

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class AuditObject:
    """How the log names an audited object type and links to it."""

    #: the object's name (lazy translated), e.g. "Minutes of a meeting".
    label: Any
    #: endpoint of its page (None: no page shows it).
    endpoint: str | None = None
    #: URL parameter that takes the object's id (or the value ``resolve`` maps it to).
    param: str | None = None
    #: ``fn(ids) -> {object id: URL parameter value}`` for pages addressed by another id
    #: (e.g. the minutes by their meeting); runs across all regions.
    resolve: Callable[[list[int]], dict] | None = None
    #: ``fn(ids) -> {object id: name}`` shown next to the label (e.g. a person's name).
    names: Callable[[list[int]], dict] | None = None
    #: permission the reader needs for the link (checked with :func:`permissions.can`).
    permission: str | None = None


@dataclass
class Row:
    """One audit entry as the log page shows it."""

    entry: Any
    when: str
    who: str
    action: str
    object_label: str = ""
    object_name: str = ""
    object_url: str | None = None
    details: list[tuple[str, str]] = field(default_factory=list)


@cache
def _registry() -> tuple[dict, dict, dict]:
    from coordination.modules import manifests, merged

    objects: dict[str, AuditObject] = {}
    fields: dict[str, Any] = {}
    for manifest in manifests():
        objects.update(manifest.audit_objects)
        fields.update(manifest.audit_fields)
    return merged("audit_actions", "audit actions"), objects, fields


def actions() -> dict[str, Any]:
    """Every declared action code -> its description."""
    return _registry()[0]


def action_label(code: str) -> str:
    """The description of ``code`` (the code itself when no module declares it)."""
    label = actions().get(code)
    return str(label) if label is not None else code


def action_choices() -> list[tuple[str, str]]:
    """``(code, description)`` pairs for a filter, in Polish alphabetical order."""
    from flask_babel import get_locale

    return list(_action_choices(str(get_locale() or "pl")))


@cache
def _action_choices(locale: str) -> tuple[tuple[str, str], ...]:
    """The sorted choices of one locale: the declared codes and the compiled catalogues do not
    change while the process runs (a few hundred collation keys per request otherwise)."""
    from coordination.collation import sorted_pl

    return tuple(sorted_pl(((code, str(label)) for code, label in actions().items()),
                           key=lambda pair: pair[1]))


def when_label(at: datetime) -> str:
    """A stored UTC time as the reader's local date and time ("4 grudnia 2026, 10:00"; the
    product's one format, 24-hour clock in every language)."""
    return format_moment(at)


@cache
def _texts(locale: str) -> dict:
    """The log's words in ``locale``, as strings: action code -> description, summary key ->
    (label, value labels or None), and "yes"/"no". Called in that locale; the declared codes and
    the compiled catalogues do not change while the process runs, and a 50-row page would
    otherwise translate a few hundred lazy strings one by one."""
    _actions, _objects, fields = _registry()
    described = {}
    for key, spec in fields.items():
        label, values = spec if isinstance(spec, tuple) else (spec, None)
        described[key] = (str(label) if label is not None else None,
                          {code: str(text) for code, text in values.items()} if values is not None else None)
    return {"actions": dict(_action_choices(locale)), "fields": described,
            "yes": _("yes"), "no": _("no")}


def _locale_texts() -> dict:
    from flask_babel import get_locale

    return _texts(str(get_locale() or "pl"))


def _value(value: Any, values: dict | None, texts: dict | None = None) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        texts = texts or _locale_texts()
        return texts["yes"] if value else texts["no"]
    if isinstance(value, int):
        return str(value)  # years and numbers of things: no grouping ("2025", not "2 025")
    if isinstance(value, float):
        return format_decimal(value)
    if isinstance(value, str):
        if values is not None and value in values:
            return str(values[value])
        if _ISO_DATE.match(value):
            try:
                return format_day(date.fromisoformat(value))
            except ValueError:
                return value
        return value
    if isinstance(value, list):
        return ", ".join(_value(v, values, texts) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_value(v, values, texts)}" for k, v in value.items())
    return str(value)


def details(action: str, summary: dict | None, texts: dict | None = None) -> list[tuple[str, str]]:
    """The summary as ``(label, text)`` pairs; a change ``[old, new]`` reads "old → new".
    ``texts``: :func:`_texts` of the reader's locale (looked up when not given)."""
    texts = texts or _locale_texts()
    fields = texts["fields"]
    out = []
    for key, value in (summary or {}).items():
        label, values = fields.get(f"{action}:{key}") or fields.get(key) or (None, None)
        label = label if label is not None else key.replace("_", " ")
        if isinstance(value, list) and len(value) == 2:  # a change written by audit.changes
            text = f"{_value(value[0], values, texts)} → {_value(value[1], values, texts)}"
        else:
            text = _value(value, values, texts)
        out.append((label, text))
    return out


def _names_of_actors(ids: Iterable[int]) -> dict[int, str]:
    from coordination.auth.models import User

    ids = sorted({i for i in ids if i})
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def _slugs() -> dict[int, str]:
    from tenants.queries import all_regions

    return {t.id: t.slug for t in all_regions()}


def _per_type(entries, objects) -> dict[str, tuple[dict, dict]]:
    """For each object type on the page: (URL values, names) of its objects (one query for all)."""
    from coordination.tenancy import all_tenants

    ids: dict[str, list[int]] = {}
    for e in entries:
        if e.object_type in objects and e.object_id:
            ids.setdefault(e.object_type, []).append(e.object_id)
    values: dict[tuple[str, int], dict] = {}  # (object type, 0 = URL value / 1 = name) -> {id: value}
    parts = []  # ((object type, slot), SELECT id, value): read together in one UNION ALL
    with all_tenants():
        for object_type, found in ids.items():
            spec = objects[object_type]
            for slot, fetch in ((0, spec.resolve), (1, spec.names)):
                if fetch is None:
                    continue
                statement = getattr(fetch, "statement", None)
                if statement is None:  # a lookup of another shape runs its own query
                    values[(object_type, slot)] = fetch(found)
                else:
                    values[(object_type, slot)] = {}
                    parts.append(((object_type, slot), statement(found)))
        if parts:
            union = union_all(*(select(literal(n).label("part"), sq.c.id, cast(sq.c.value, String).label("value"))
                                for n, sq in enumerate(stmt.subquery() for _key, stmt in parts)))
            for part, oid, value in db.session.execute(union):
                values[parts[part][0]][oid] = value
    # without a resolver an object's page takes the object's own id
    return {t: (values.get((t, 0), {i: i for i in found}), values.get((t, 1), {})) for t, found in ids.items()}


def _link(spec: AuditObject, entry, param_value, slugs, memo: dict | None = None) -> str | None:
    """The object's page, if the reader may open it. ``memo`` (one per page) keeps each
    permission answer and each endpoint's URL pattern, so a row costs no routing."""
    if not spec.endpoint or param_value is None:
        return None
    memo = {} if memo is None else memo
    if spec.permission:
        allowed = memo.get(("can", spec.permission))
        if allowed is None:
            allowed = memo[("can", spec.permission)] = can(spec.permission)
        if not allowed:
            return None
    values = {}
    if spec.endpoint.startswith("tenant."):
        slug = slugs.get(entry.tenant_id)
        if slug is None:
            return None
        values["tenant"] = slug
    try:
        if isinstance(param_value, int) and not isinstance(param_value, bool):
            key = ("url", spec.endpoint, spec.param, values.get("tenant"))
            pattern = memo.get(key)
            if pattern is None:
                pattern = memo[key] = row_url(spec.endpoint, spec.param, **values)
            return pattern(param_value)
        return url_for(spec.endpoint, **values, **{spec.param: param_value})
    except BuildError:
        return None


def describe(entries: list, actor_names: dict[int, str] | None = None) -> list[Row]:
    """The page's entries in words, with links the reader may follow (a few queries per page,
    not per row). ``actor_names`` (id -> name, e.g. the log's filter list) saves the query for
    the authors' names."""
    objects = _registry()[1]
    actors = actor_names if actor_names is not None else _names_of_actors(e.actor_id for e in entries)
    per_type = _per_type(entries, objects)
    slugs = _slugs()
    texts = _locale_texts()
    labels, system = texts["actions"], _("system")
    memo: dict = {}
    rows = []
    for e in entries:
        who = actors.get(e.actor_id) or e.actor_email or system
        row = Row(e, when_label(e.at), who, labels.get(e.action, e.action),
                  details=details(e.action, e.summary, texts))
        spec = objects.get(e.object_type or "")
        if spec is not None:
            params, names = per_type.get(e.object_type, ({}, {}))
            label = memo.get(("label", e.object_type))
            if label is None:
                label = memo[("label", e.object_type)] = str(spec.label)
            row.object_label = label
            row.object_name = names.get(e.object_id, "")
            row.object_url = _link(spec, e, params.get(e.object_id), slugs, memo)
        elif e.object_type:
            row.object_label = e.object_type
        rows.append(row)
    return rows


def lookup(model: str, column: str) -> Callable[[list[int]], dict]:
    """``fn(ids) -> {id: value of column}`` for ``"package.module:Model"`` (imported on use,
    so manifests can name models without importing them)."""
    def statement(ids: list[int]):
        import importlib

        module, name = model.split(":")
        cls = getattr(importlib.import_module(module), name)
        return select(cls.id.label("id"), getattr(cls, column).label("value")).where(cls.id.in_(ids))

    def fetch(ids: list[int]) -> dict:
        return dict(db.session.execute(statement(ids)).all())

    fetch.statement = statement  # the log reads every type's lookups in one UNION ALL
    return fetch


def read_filters(args) -> tuple[dict, dict, list[str]]:
    """The log's filters from a query string: ``(values for the form, filters for
    :func:`coordination.audit.entries_query`, messages about values that were ignored)``.

    Dates are calendar days in Europe/Warsaw, both inclusive.
    """
    from coordination.clock import WARSAW, to_naive_utc
    from coordination.inputs import parse_int

    form = {key: (args.get(key) or "").strip() for key in ("action", "actor", "od", "do")}
    filters: dict[str, Any] = {}
    errors: list[str] = []
    if form["action"] in actions():
        filters["action"] = form["action"]
    elif form["action"]:
        filters["action"] = form["action"][:60]  # a code no module describes (kept in the log)
    actor_id = parse_int(form["actor"], None, minimum=1)
    if actor_id:
        filters["actor_id"] = actor_id
    days = {}
    for key, label in (("od", _("From")), ("do", _("To"))):
        if not form[key]:
            continue
        try:
            days[key] = date.fromisoformat(form[key])
        except ValueError:
            errors.append(_("%(field)s: enter a date such as 2026-12-04.", field=label))
            form[key] = ""
    if "od" in days and "do" in days and days["od"] > days["do"]:
        errors.append(_("The start date is later than the end date."))
        days.pop("do")
        form["do"] = ""
    if "od" in days:
        filters["since"] = to_naive_utc(datetime.combine(days["od"], datetime.min.time(), WARSAW))
    if "do" in days:
        following = days["do"].toordinal() + 1
        filters["until"] = to_naive_utc(datetime.combine(date.fromordinal(following),
                                                         datetime.min.time(), WARSAW))
    return form, filters, errors


def export_params(args) -> dict:
    """The filters of the log page, kept for its export (plain strings: a job stores them)."""
    return {key: (args.get(key) or "").strip()[:60] for key in ("action", "actor", "od", "do")
            if args.get(key)}


def log_page(tenant_id: int | None, scope: str | None, export_url: str):
    """The audit log page (all regions, or one region's): filters, the entries in words and
    the export of what is filtered. Called by the views after their permission check."""
    from coordination import audit
    from coordination.auth.forms import ConfirmForm
    from coordination.htmx import render_page_or_block
    from coordination.pagination import paginate

    form, filters, errors = read_filters(request.args)
    page = paginate(audit.entries_page, tenant_id=tenant_id, filters=filters)
    actors = audit.actors(tenant_id)  # every author of the log: the filter and the rows' names
    return render_page_or_block(
        "core/audit.html", "content", page=page, rows=describe(page.items, dict(actors)), scope=scope,
        export_url=export_url, filters=form, filter_errors=errors, actions=action_choices(),
        actors=actors, form=ConfirmForm())
