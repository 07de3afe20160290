"""Codes (kinds, roles, statuses) and the Warsaw time zone (from the one clock)."""

from __future__ import annotations

#: group kinds: the four thematic groups, the committee (RKRES) and custom groups.
GROUP_KINDS = ("promotion", "reintegration", "education", "business", "committee", "custom")
GROUP_STATUSES = ("active", "closed")
#: institution categories of members (DOMAIN.md "Working groups and meetings").
MEMBER_CATEGORIES = ("rops", "owes", "pes", "jst", "labour_office", "lgd", "university",
                     "business", "other")
#: roles in a group; observers and substitutes do not count towards the quorum.
MEMBER_ROLES = ("chair", "deputy", "secretary", "member", "observer", "substitute")
#: roles that manage the group's meetings and minutes (besides the region's coordinators).
OFFICER_ROLES = ("chair", "deputy", "secretary")
VOTING_ROLES = ("chair", "deputy", "secretary", "member")
#: the grammatical form of a member's role titles, set by the coordinator: feminine
#: ("Przewodnicząca"), masculine ("Przewodniczący"); "" (the default) is neutral wording
#: ("Przewodniczenie", "Osoba przewodnicząca posiedzeniu") — the product never guesses it from a name.
TITLE_FORMS = ("", "f", "m")
MEETING_MODES = ("in_person", "online", "hybrid")
MEETING_STATUSES = ("planned", "held", "cancelled")
#: what a meeting is *now*, derived from its stored status and the clock (see Meeting.phase):
#: planned (not started), in progress (started, not ended), unrecorded (ended, no attendance
#: register yet), held (started and its attendance recorded), cancelled.
MEETING_PHASES = ("planned", "in_progress", "unrecorded", "held", "cancelled")
RSVP_ANSWERS = ("yes", "no", "maybe")
ATTENDANCE_STATUSES = ("present", "absent", "excused", "substitute")
MINUTES_STATUSES = ("draft", "consultation", "adopted")
ADOPTION_MODES = ("meeting", "circulation")
COMMENT_STATUSES = ("open", "accepted", "rejected")
RESOLUTION_OUTCOMES = ("adopted", "rejected")
ACTION_STATUSES = ("open", "in_progress", "done", "dropped")
OPEN_ACTION_STATUSES = ("open", "in_progress")
#: reminder settings of a meeting: days before the start, comma-separated ("" = no reminders).
MEETING_REMINDERS = ("7,1", "7", "1", "")
DEFAULT_MEETING_REMINDERS = "7,1"
#: languages of e-mails to contacts without an account.
CONTACT_LOCALES = ("pl", "en")
#: RSVP links keep working this many days after the meeting ended.
RSVP_GRACE_DAYS = 7
#: personal links to draft minutes keep working (read-only) this many days after the comment
#: deadline, while the minutes are not adopted.
MINUTES_LINK_GRACE_DAYS = 14
