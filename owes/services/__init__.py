"""OWES state changes. The only code that writes OWES data; nothing here reads ``flask.request``.

Split by subject: :mod:`.registry` (OWES, operators, projects, catalogue), :mod:`.plans`
(plans, staffing, targets), :mod:`.values` (reported values and their workflow),
:mod:`.imports` (XLSX import: preview and apply), :mod:`.evaluation` (studies, documents,
consultation rounds, recommendations), :mod:`.proposals` (a representative proposes a change
to what the OWES is judged against; the coordinator accepts or rejects it).
"""

#: audit actions of removals that only a coordinator may perform (see :func:`require_coordinator`).
GOVERNED_REMOVALS = ("owes.target_remove", "owes.operator_remove")
#: OWES fields only a coordinator may change (an OWES representative proposes the change).
GOVERNED_OWES_FIELDS = ("accreditation_number", "accredited_from", "accredited_to")


def require_coordinator(actor) -> None:
    """What an OWES is judged against — its targets, accreditation and partnership operators —
    belongs to the coordinator: anybody else gets a DomainError (the representative may propose
    the change instead). ``actor`` None is the system itself (demo seeding, imports of seeds)."""
    if actor is None:
        return
    from flask_babel import gettext as _

    from coordination.errors import DomainError
    from coordination.permissions import is_coordinator

    if not is_coordinator(actor):
        raise DomainError(_("Only the coordinator can change this. Please propose the change "
                            "to the coordinator instead."))



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
