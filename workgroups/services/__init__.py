"""Working-group state changes (the only code that writes). Split by topic:

* :mod:`.groups` — groups and memberships;
* :mod:`.meetings` — meetings, agenda, series, RSVP, attendance, calendar feeds;
* :mod:`.minutes` — the minutes lifecycle (draft, consultation, comments, adoption, versions);
* :mod:`.records` — resolutions and action items;
* :mod:`.mail` — invitation, update, cancellation and consultation e-mails.
"""

from workgroups.services.groups import ensure_group

__all__ = ["ensure_group"]
