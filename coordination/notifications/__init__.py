"""Notifications: due rows sent exactly once by the scheduler, digests, preferences, outbox.

Modules schedule with :func:`coordination.notifications.services.schedule` (see
docs/notifications.md); kinds are declared in the manifests (:mod:`coordination.notifications.kinds`).
"""
