"""The registry of notification kinds.

A kind says which e-mail template renders it, whether the recipient may turn it off
(``mandatory``), whether it may wait for a daily/weekly digest (``digestible``), its label on
the preferences page and its subject line. Modules may attach a check that runs right before
sending (:func:`before_send`): it returns fresh template values, or None when the message is
no longer wanted (e.g. the respondent has answered the survey meanwhile), and a builder of
attachments generated at send time from the object (:func:`build_attachments`, e.g. the
``.ics`` of a meeting invitation) — nothing but the key and the template values is stored.

The kinds of every module are registered here, so templates, preferences and translations
exist before the modules that schedule them land; a module only calls
:func:`coordination.notifications.services.schedule`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

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


def register_kind(name: str, *, template: str, mandatory: bool, digestible: bool, label,
                  subject=None, internal: bool = False) -> Kind:
    """Register a kind (idempotent for identical definitions; a conflicting one raises)."""
    kind = Kind(name, template, mandatory, digestible, label, subject or label, internal)
    existing = KINDS.get(name)
    if existing is not None and existing != kind:
        raise ValueError(f"notification kind {name!r} is already registered differently")
    KINDS[name] = kind
    return kind


def get_kind(name: str) -> Kind:
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
    get_kind(name)

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
    get_kind(name)

    def register(fn):
        ATTACHMENTS[name] = fn
        return fn

    return register


def user_kinds() -> list[Kind]:
    """Kinds offered on the preferences page, in registration order."""
    return [k for k in KINDS.values() if not k.internal]


def _catalogue() -> None:
    """Kinds of the whole platform (templates: templates/email/notify_<name>.*)."""
    r = register_kind
    r("test", template="notify_test", mandatory=True, digestible=False, internal=True,
      label=_l("Test message"), subject=_l("Test message from Sieć ES"))
    r("digest", template="notify_digest", mandatory=True, digestible=False, internal=True,
      label=_l("Digest"), subject=_l("Your Sieć ES digest"))
    r("password_reset", template="password_reset", mandatory=True, digestible=False,
      internal=True, label=_l("Password reset"), subject=_l("Password reset – Sieć ES"))
    r("invitation", template="invitation", mandatory=True, digestible=False, internal=True,
      label=_l("Invitation to a region"), subject=_l("Invitation to Sieć ES – %(region)s"))
    r("announcement", template="notify_announcement", mandatory=False, digestible=True,
      label=_l("Announcements"), subject=_l("Announcement: %(title)s"))
    r("meeting_invitation", template="notify_meeting_invitation", mandatory=True,
      digestible=True, label=_l("Meeting invitations"), subject=_l("Invitation: %(title)s"))
    r("meeting_update", template="notify_meeting_update", mandatory=True, digestible=True,
      label=_l("Meeting changes"), subject=_l("Meeting changed: %(title)s"))
    r("meeting_cancellation", template="notify_meeting_cancellation", mandatory=True,
      digestible=False, label=_l("Meeting cancellations"),
      subject=_l("Meeting cancelled: %(title)s"))
    r("meeting_reminder", template="notify_meeting_reminder", mandatory=False, digestible=False,
      label=_l("Meeting reminders"), subject=_l("Reminder: %(title)s"))
    r("minutes_comments_open", template="notify_minutes_comments_open", mandatory=False,
      digestible=True, label=_l("Draft minutes open for comments"),
      subject=_l("Draft minutes for comments: %(title)s"))
    r("minutes_comments_deadline", template="notify_minutes_comments_deadline",
      mandatory=False, digestible=False, label=_l("Deadline for comments on minutes"),
      subject=_l("Comments on the minutes close soon: %(title)s"))
    r("action_due_soon", template="notify_action_due_soon", mandatory=False, digestible=True,
      label=_l("Action items due soon"), subject=_l("Action item due soon: %(title)s"))
    r("action_overdue", template="notify_action_overdue", mandatory=False, digestible=True,
      label=_l("Overdue action items"), subject=_l("Action item overdue: %(title)s"))
    r("survey_invitation", template="notify_survey_invitation", mandatory=True,
      digestible=True, label=_l("Survey invitations"), subject=_l("Survey: %(title)s"))
    r("survey_reminder", template="notify_survey_reminder", mandatory=False, digestible=False,
      label=_l("Survey reminders"), subject=_l("Reminder – survey: %(title)s"))
    r("survey_closing", template="notify_survey_closing", mandatory=False, digestible=False,
      label=_l("Surveys closing"), subject=_l("Survey closes soon: %(title)s"))
    r("consultation_opened", template="notify_consultation_opened", mandatory=False,
      digestible=True, label=_l("Consultation rounds opened"),
      subject=_l("Consultation opened: %(title)s"))
    r("consultation_closing", template="notify_consultation_closing", mandatory=False,
      digestible=False, label=_l("Consultation rounds closing"),
      subject=_l("Consultation closes soon: %(title)s"))
    r("consultation_outcome", template="notify_consultation_outcome", mandatory=False,
      digestible=True, label=_l("Consultation outcomes"),
      subject=_l("Consultation outcome: %(title)s"))
    r("accreditation_expiring", template="notify_accreditation_expiring", mandatory=True,
      digestible=True, label=_l("Accreditation expiring"),
      subject=_l("Accreditation expires soon: %(title)s"))
    r("diagnosis_outdated", template="notify_diagnosis_outdated", mandatory=False,
      digestible=True, label=_l("Outdated diagnoses"),
      subject=_l("Diagnosis older than 12 months: %(title)s"))


_catalogue()
