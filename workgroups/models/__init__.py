"""Working groups, the Regional Committee (a group of kind ``committee``), their members,
meetings, agenda, RSVPs, attendance, minutes (with frozen versions and comments), resolutions
(with corrections), action items and documents attached to agenda items. Every table is
tenant-owned; children point at parents by composite keys."""

from workgroups.models.codes import *  # noqa: F403  (codes are part of the models' interface)
from workgroups.models.documents import (
           MeetingDocument,
           MeetingDocumentVersion,
           ResolutionCorrection,
)
from workgroups.models.groups import Group, GroupMember
from workgroups.models.meetings import AgendaItem, Attendance, CalendarFeed, Meeting, Rsvp, RsvpLink
from workgroups.models.minutes import (
           FrozenVersionChanged,
           Minutes,
           MinutesComment,
           MinutesLink,
           MinutesVersion,
)
from workgroups.models.records import ActionItem, Resolution

__all__ = ["ActionItem", "AgendaItem", "Attendance", "CalendarFeed", "FrozenVersionChanged", "Group",
           "GroupMember", "Meeting", "MeetingDocument", "MeetingDocumentVersion", "Minutes", "MinutesComment",
           "MinutesLink", "MinutesVersion", "Resolution", "ResolutionCorrection", "Rsvp", "RsvpLink"]
