"""Notification services: the only code that changes notification state.

The public API for modules::

    from coordination.notifications import services as notify
    notify.schedule("meeting_reminder", user, due_at=..., object_type="meeting",
                    object_id=meeting.id, slot="1d", context={...})
    notify.cancel("meeting_reminder", object_type="meeting", object_id=meeting.id)
    notify.reschedule("meeting_reminder", object_type="meeting", object_id=meeting.id,
                      slot="1d", due_at=...)
"""

from coordination.notifications.rendering import link
from coordination.notifications.services.delivery import (
    claim_due,
    deliver_claimed,
    send_due,
    worker_id,
    write_transaction,
)
from coordination.notifications.services.digests import compose_digests, last_boundary
from coordination.notifications.services.preferences import (
    set_preferences,
    unsubscribe,
)
from coordination.notifications.services.scheduling import (
    cancel,
    reschedule,
    retry,
    schedule,
    schedule_many,
    send_test,
)

__all__ = [
    "cancel", "claim_due", "compose_digests", "deliver_claimed",
    "last_boundary", "link", "reschedule", "retry", "schedule", "schedule_many", "send_due",
    "send_test", "set_preferences", "unsubscribe", "worker_id", "write_transaction",
]
