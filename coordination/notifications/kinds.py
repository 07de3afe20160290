"""The registry of notification kinds.

A kind says which e-mail template renders it, whether the recipient may turn it off
(``mandatory``), whether it may wait for a daily/weekly digest (``digestible``), its label on
the preferences page and its subject line. Modules may attach a check that runs right before
sending (:func:`before_send`): it returns fresh template values, or None when the message is
no longer wanted (e.g. the respondent has answered the survey meanwhile), and a builder of
attachments generated at send time from the object (:func:`build_attachments`, e.g. the
``.ics`` of a meeting invitation) — nothing but the key and the template values is stored.

Each module declares its kinds in its manifest (``notification_kinds``, built with
:func:`kind`); they are registered from the manifests on first use, in manifest order (this
service's own kinds first). A module then only calls
:func:`coordination.notifications.services.schedule`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from coordination.notifications.models import MODES


class UnknownKind(KeyError):
    """A notification kind that was never registered."""


@dataclass(frozen=True)
class Kind:
    """One registered kind of notification."""

    name: str
    #: e-mail template base name: templates/email/<template>.txt and .html.
    template: str
    #: the recipient cannot turn it off (may still get it in a digest if digestible).
    mandatory: bool
    #: may be delivered in a daily or weekly digest.
    digestible: bool
    #: label on the preferences page and in the outbox.
    label: Any
    #: subject line; ``%(title)s`` and other context keys are filled in.
    subject: Any
    #: internal kinds (digest, test message) are not offered on the preferences page.
    internal: bool = False
    #: who gets it tells something the region must not see (e.g. survey reminders go only to
    #: those who have not answered): not listed in the region's outbox, only counted.
    private: bool = False

    @property
    def modes(self) -> tuple[str, ...]:
        """The delivery modes a recipient may choose for this kind."""
        return tuple(
            m for m in MODES
            if not (m == "off" and self.mandatory)
            and not (m in ("daily", "weekly") and not self.digestible)
        )

    def effective_mode(self, chosen: str | None) -> str:
        """The mode used for delivery, given the recipient's stored choice (None = default)."""
        if self.internal or chosen not in self.modes:
            return "immediate"
        return chosen


KINDS: dict[str, Kind] = {}
#: kind name -> callable(row snapshot) -> dict of template values, or None to skip.
CHECKS: dict[str, Callable[[Any], dict | None]] = {}
#: kind name -> callable(row snapshot, values) -> list of MIME parts to attach.
ATTACHMENTS: dict[str, Callable[[Any, dict], list]] = {}


def kind(name: str, *, template: str, mandatory: bool, digestible: bool, label,
         subject=None, internal: bool = False, private: bool = False) -> Kind:
    """A kind for a manifest's ``notification_kinds`` (the subject defaults to the label)."""
    return Kind(name, template, mandatory, digestible, label, subject or label, internal, private)


def register_kind(name: str, *, template: str, mandatory: bool, digestible: bool, label,
                  subject=None, internal: bool = False) -> Kind:
    """Register a kind (idempotent for identical definitions; a conflicting one raises)."""
    return _register(kind(name, template=template, mandatory=mandatory, digestible=digestible,
                          label=label, subject=subject, internal=internal))


def _register(kind: Kind) -> Kind:
    name = kind.name
    existing = KINDS.get(name)
    if existing is not None and existing != kind:
        raise ValueError(f"notification kind {name!r} is already registered differently")
    KINDS[name] = kind
    return kind


@cache
def load() -> dict[str, Kind]:
    """Register the kinds every manifest declares (once; this service's own kinds first)."""
    from coordination.modules import manifests

    own = [m for m in manifests() if m.name == "notifications"]
    for manifest in own + [m for m in manifests() if m.name != "notifications"]:
        for declared in manifest.notification_kinds:
            _register(declared)
    return KINDS


def check_hooks() -> None:
    """Every :func:`before_send` / :func:`build_attachments` hook names a declared kind
    (create_app calls this once the ``jobs`` modules are imported)."""
    hooked = (set(CHECKS) | set(ATTACHMENTS)) - set(load())
    if hooked:
        raise UnknownKind(f"send-time hooks for kinds no manifest declares: {sorted(hooked)}")


def get_kind(name: str) -> Kind:
    load()
    try:
        return KINDS[name]
    except KeyError as exc:
        raise UnknownKind(name) from exc


def before_send(name: str):
    """Decorator: ``fn(row) -> dict | None`` runs just before a row of ``name`` is sent.

    Return the template values to use (usually ``{**row.context, ...}``), or None to skip the
    row as obsolete. Runs inside the scheduler's app context, without a tenant context
    (use ``tenant_context(row.tenant_id)`` to read tenant tables).
    """
    def register(fn):
        CHECKS[name] = fn
        return fn

    return register


def build_attachments(name: str):
    """Decorator: ``fn(row, values) -> list[MIMEBase]`` builds the attachments of a row.

    Runs right after the :func:`before_send` check (``values`` are what it returned), at every
    delivery attempt, so the attachment reflects the object as it is when the message leaves
    (e.g. the meeting's current iCalendar SEQUENCE). Attachments are never stored. When the
    row is delivered in a digest, the digest carries its members' attachments.
    """
    def register(fn):
        ATTACHMENTS[name] = fn
        return fn

    return register


def private_kinds() -> list[str]:
    """Names of the kinds whose recipients the region's outbox does not list."""
    return [k.name for k in load().values() if k.private]


def user_kinds() -> list[Kind]:
    """Kinds offered on the preferences page, in registration order."""
    return [k for k in load().values() if not k.internal]
