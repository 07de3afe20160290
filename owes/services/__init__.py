"""OWES state changes. The only code that writes OWES data; nothing here reads ``flask.request``.

Split by subject: :mod:`.registry` (OWES, operators, projects, catalogue), :mod:`.plans`
(plans, staffing, targets), :mod:`.values` (reported values and their workflow),
:mod:`.imports` (XLSX import: preview and apply), :mod:`.evaluation` (studies, documents,
consultation rounds, recommendations).
"""



def save_audited(obj, model, fields: dict, *, actor, action: str, created: dict | None = None,
                 tenant_id: int | None = None, **parents):
    """Create ``model(**parents, **fields)`` when ``obj`` is None, else apply ``fields`` to it.

    Records ``<action>_create`` (with ``created`` as summary) or ``<action>_update`` (with the
    diff) in the audit log and commits; an update that changes nothing writes nothing.
    """
    from coordination import audit
    from coordination.extensions import db

    if obj is None:
        obj = model(**parents, **fields)
        db.session.add(obj)
        db.session.flush()
        audit.record(f"{action}_create", actor=actor, obj=obj, summary=created,
                     tenant_id=tenant_id)
    else:
        diff = audit.changes(obj, fields)
        if not diff:
            return obj
        audit.record(f"{action}_update", actor=actor, obj=obj, summary=diff, tenant_id=tenant_id)
    db.session.commit()
    return obj
