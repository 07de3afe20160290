"""State changes of the SIRES module (the only code that writes; no ``flask.request`` here).

Split by subject: :mod:`.template` (national template and its seed), :mod:`.diagnosis`
(versions, ratings, sign-off), :mod:`.support` (support log), :mod:`.advocacy`.
"""

from __future__ import annotations

from coordination.errors import DomainError


class DiagnosisLocked(DomainError):
    """A signed diagnosis version was about to change: signed versions are immutable."""


from national.services.advocacy import add_step, save_issue  # noqa: E402
from national.services.diagnosis import (  # noqa: E402
    discard_draft,
    save_rating,
    sign,
    start_diagnosis,
)
from national.services.support import (  # noqa: E402
    delete_support_entry,
    save_support_entry,
)
from national.services.template import (  # noqa: E402
    add_item,
    ensure_template,
    update_item,
)

__all__ = [
    "DiagnosisLocked", "add_item", "add_step", "delete_support_entry",
    "discard_draft", "ensure_template", "save_issue", "save_rating", "save_support_entry",
    "sign", "start_diagnosis", "update_item",
]
