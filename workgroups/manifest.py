"""What the working-group module wires into the application (see coordination/manifest.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordination.audit_labels import AuditObject, lookup
from coordination.manifest import Access, BenchPage, Catalogue, Manifest, NavEntry
from coordination.notifications.kinds import kind
from coordination.permissions import is_authenticated, is_coordinator, sees_tenant
from workgroups import synthetic
from workgroups.queries import labels
from workgroups.queries.groups import home_panel
from workgroups.queries.meetings import my_meetings_panel
from workgroups.views import bp, root_bp


def _wg(check: str, user, obj) -> bool:
    """Group-level roles (chair/secretary/member) live in workgroups.queries.access."""
    from workgroups.queries import access

    return is_authenticated(user) and obj is not None and getattr(access, check)(user, obj)


#: group officers (chair, deputy, secretary) manage their group's meetings and minutes;
#: members comment on draft minutes and update their own action items; documents attached to
#: agenda items: group members read them, officers manage them.
RULES = {
    "group.view": lambda u, o: sees_tenant(u),
    "group.manage": lambda u, o: is_coordinator(u),
    "meeting.view": lambda u, o: sees_tenant(u),
    "meeting.manage": lambda u, o: is_coordinator(u) or _wg("is_officer", u, o),
    "meeting.feed": lambda u, o: is_authenticated(u) and sees_tenant(u),
    "minutes.manage": lambda u, o: is_coordinator(u) or _wg("is_officer", u, o),
    "minutes.comment": lambda u, o: is_coordinator(u) or _wg("is_member", u, o),
    "action.view": lambda u, o: sees_tenant(u),
    "action.manage": lambda u, o: is_coordinator(u) or _wg("is_officer", u, o),
    "action.update": lambda u, o: is_coordinator(u) or _wg("is_officer", u, o) or _wg("owns_action", u, o),
    "document.view": lambda u, o: is_coordinator(u) or _wg("is_member", u, o),
    "document.manage": lambda u, o: is_coordinator(u) or _wg("is_officer", u, o),
}

KINDS = (
    kind("meeting_invitation", template="notify_meeting_invitation", mandatory=True,
         digestible=True, label=_l("Meeting invitations"), subject=_l("Invitation: %(title)s")),
    kind("meeting_update", template="notify_meeting_update", mandatory=True, digestible=True,
         label=_l("Meeting changes"), subject=_l("Meeting changed: %(title)s")),
    kind("meeting_cancellation", template="notify_meeting_cancellation", mandatory=True,
         digestible=False, label=_l("Meeting cancellations"),
         subject=_l("Meeting cancelled: %(title)s")),
    kind("meeting_reminder", template="notify_meeting_reminder", mandatory=False, digestible=False,
         label=_l("Meeting reminders"), subject=_l("Reminder: %(title)s")),
    kind("minutes_comments_open", template="notify_minutes_comments_open", mandatory=False,
         digestible=True, label=_l("Draft minutes open for comments"),
         subject=_l("Draft minutes for comments: %(title)s")),
    kind("minutes_comments_deadline", template="notify_minutes_comments_deadline",
         mandatory=False, digestible=False, label=_l("Deadline for comments on minutes"),
         subject=_l("Comments on the minutes close soon: %(title)s")),
    kind("action_due_soon", template="notify_action_due_soon", mandatory=False, digestible=True,
         label=_l("Action items due soon"), subject=_l("Action item due soon: %(title)s")),
    kind("action_overdue", template="notify_action_overdue", mandatory=False, digestible=True,
         label=_l("Overdue action items"), subject=_l("Action item overdue: %(title)s")),
)

ROUTES: dict[str, str] = {
    "tenant.workgroups.group_list": Access.TENANT_VIEW,
    "tenant.workgroups.group_detail": Access.TENANT_VIEW,
    "tenant.workgroups.group_new": Access.TENANT_MANAGE,
    "tenant.workgroups.group_edit": Access.TENANT_MANAGE,
    "tenant.workgroups.member_new": Access.TENANT_MANAGE,
    "tenant.workgroups.member_edit": Access.TENANT_MANAGE,
    "tenant.workgroups.member_end": Access.TENANT_MANAGE,
    "tenant.workgroups.members_xlsx": Access.TENANT_VIEW,
    "tenant.workgroups.meeting_list": Access.TENANT_VIEW,
    "tenant.workgroups.meeting_new": Access.TENANT_MANAGE,
    "tenant.workgroups.meeting_detail": Access.TENANT_VIEW,
    "tenant.workgroups.meeting_edit": Access.TENANT_MANAGE,
    "tenant.workgroups.meeting_cancel": Access.TENANT_MANAGE,
    "tenant.workgroups.meeting_invite": Access.TENANT_MANAGE,
    "tenant.workgroups.meeting_ics": Access.TENANT_VIEW,
    "tenant.workgroups.my_rsvp": Access.POST_ONLY,
    "tenant.workgroups.my_meetings": Access.TENANT_VIEW,
    "tenant.workgroups.attendance": Access.TENANT_MANAGE,
    "tenant.workgroups.signature_list": Access.TENANT_VIEW,
    "tenant.workgroups.attendance_xlsx": Access.TENANT_VIEW,
    "tenant.workgroups.calendar": Access.TENANT_VIEW,
    "tenant.workgroups.minutes_create": Access.POST_ONLY,
    "tenant.workgroups.minutes_view": Access.TENANT_VIEW,
    "tenant.workgroups.minutes_edit": Access.TENANT_MANAGE,
    "tenant.workgroups.minutes_send": Access.TENANT_MANAGE,
    "tenant.workgroups.minutes_comment": Access.POST_ONLY,
    "tenant.workgroups.minutes_close_comments": Access.TENANT_MANAGE,
    "tenant.workgroups.minutes_link_revoke": Access.TENANT_MANAGE,
    "tenant.workgroups.comment_resolve": Access.TENANT_MANAGE,
    "tenant.workgroups.minutes_adopt": Access.TENANT_MANAGE,
    "tenant.workgroups.minutes_diff": Access.TENANT_VIEW,
    "tenant.workgroups.minutes_docx": Access.TENANT_VIEW,
    "tenant.workgroups.minutes_pdf": Access.TENANT_VIEW,
    "tenant.workgroups.resolution_new": Access.TENANT_MANAGE,
    "tenant.workgroups.resolution_list": Access.TENANT_VIEW,
    "tenant.workgroups.resolution_detail": Access.TENANT_VIEW,
    "tenant.workgroups.resolution_edit": Access.TENANT_MANAGE,
    "tenant.workgroups.resolutions_xlsx": Access.TENANT_VIEW,
    "tenant.workgroups.action_new": Access.TENANT_MANAGE,
    "tenant.workgroups.action_edit": Access.TENANT_MANAGE,
    "tenant.workgroups.my_actions": Access.TENANT_VIEW,
    "tenant.workgroups.action_list": Access.TENANT_VIEW,
    # documents: readable by the group's members and the coordinators; none of the test accounts
    # is a member of the test group, so these answer like managed routes (member/OWES/national 403).
    "tenant.workgroups.document_new": Access.TENANT_MANAGE,
    "tenant.workgroups.document_detail": Access.TENANT_MANAGE,
    "tenant.workgroups.document_version_new": Access.TENANT_MANAGE,
    "tenant.workgroups.document_download": Access.TENANT_MANAGE,
    "tenant.workgroups.document_delete": Access.TENANT_MANAGE,
    "tenant.workgroups.group_documents": Access.TENANT_MANAGE,
    "workgroups_public.rsvp": Access.TOKEN,
    "workgroups_public.minutes_draft": Access.TOKEN,
    "workgroups_public.feed": Access.TOKEN,
}


#: what the module's audit codes, objects and summary keys mean (the audit log page).
AUDIT_ACTIONS = {
    "action.create": _l("Action item added"),
    "action.update": _l("Action item changed"),
    "group.create": _l("Group created"),
    "group.update": _l("Group changed"),
    "group.member_add": _l("Member added to the group"),
    "group.member_update": _l("Group member's data changed"),
    "group.member_end": _l("Group membership ended"),
    "meeting.create": _l("Meeting scheduled"),
    "meeting.update": _l("Meeting changed"),
    "meeting.cancel": _l("Meeting cancelled"),
    "meeting.invite": _l("Meeting invitations sent"),
    "meeting.rsvp": _l("Attendance declared"),
    "meeting.attendance": _l("Attendance recorded"),
    "meeting.feed_create": _l("Calendar feed created"),
    "meeting.feed_regenerate": _l("Calendar feed address renewed"),
    "meeting_document.upload": _l("Meeting document added"),
    "meeting_document.version": _l("New version of a meeting document"),
    "meeting_document.delete": _l("Meeting document removed"),
    "minutes.create": _l("Draft minutes created"),
    "minutes.edit": _l("Draft minutes edited"),
    "minutes.consultation": _l("Draft minutes sent for comments"),
    "minutes.comment": _l("Comment on the minutes"),
    "minutes.comment_resolve": _l("Comment on the minutes resolved"),
    "minutes.adopt": _l("Minutes adopted"),
    "minutes.correct": _l("Adopted minutes corrected"),
    "minutes.comments_close": _l("Comments on the minutes closed before the deadline"),
    "minutes.link_revoke": _l("Personal link to draft minutes revoked"),
    "resolution.create": _l("Resolution recorded"),
    "resolution.update": _l("Resolution changed"),
    "resolution.correct": _l("Resolution corrected"),
}
AUDIT_OBJECTS = {
    "Group": AuditObject(_l("Group"), "tenant.workgroups.group_detail", "group_id", names=lookup("workgroups.models.groups:Group", "name"), permission="group.view"),
    "GroupMember": AuditObject(_l("Group membership"), "tenant.workgroups.group_detail", "group_id", resolve=lookup("workgroups.models.groups:GroupMember", "group_id"), names=lookup("workgroups.models.groups:GroupMember", "full_name"), permission="group.view"),
    "Meeting": AuditObject(_l("Meeting"), "tenant.workgroups.meeting_detail", "meeting_id", permission="meeting.view"),
    "Minutes": AuditObject(_l("Minutes"), "tenant.workgroups.minutes_view", "meeting_id", resolve=lookup("workgroups.models.minutes:Minutes", "meeting_id"), permission="meeting.view"),
    "MinutesComment": AuditObject(_l("Comment on the minutes")),
    "Resolution": AuditObject(_l("Resolution"), "tenant.workgroups.resolution_detail", "resolution_id", permission="group.view"),
    "ActionItem": AuditObject(_l("Action item")),
    "MeetingDocument": AuditObject(_l("Meeting document")),
    "Rsvp": AuditObject(_l("Attendance declaration")),
    "CalendarFeed": AuditObject(_l("Calendar feed")),
}
AUDIT_FIELDS = {
    "minutes.adopt:mode": (_l("Mode of adoption"), labels.ADOPTION_LABELS),
    "meeting.create:mode": (_l("Form of the meeting"), labels.MODE_LABELS),
    "meeting.update:mode": (_l("Form of the meeting"), labels.MODE_LABELS),
    "action.update:status": (_l("Status"), labels.ACTION_STATUS_LABELS),
    "action.create:status": (_l("Status"), labels.ACTION_STATUS_LABELS),
    "resolution.create:outcome": (_l("Outcome"), labels.OUTCOME_LABELS),
    "outcome": (_l("Outcome"), labels.OUTCOME_LABELS),
    "group.member_add:role": (_l("Role in the group"), labels.ROLE_LABELS),
    "group.member_update:role": (_l("Role in the group"), labels.ROLE_LABELS),
    "group.create:kind": (_l("Kind of group"), labels.KIND_LABELS),
    "meeting_id": _l("Meeting number"),
    "meeting": _l("Meeting"),
    "group_id": _l("Group number"),
    "votes": _l("Votes (for, against, abstaining)"),
    "present": _l("Present"),
    "absent": _l("Absent"),
    "excused": _l("Excused"),
    "substitute": _l("Substitutes"),
    "date_to": _l("Until"),
    "agenda_item": _l("Agenda item"),
}


TABLE_LABELS = {
    "group_member": _l("Group memberships"),
    "calendar_feed": _l("Calendar feed addresses"),
    "meeting": _l("Roles at meetings"),
    "action_item": _l("Action items"),
    "attendance": _l("Attendance at meetings"),
    "meeting_rsvp": _l("Replies to meeting invitations"),
    "meeting_rsvp_link": _l("Invitation reply links"),
    "minutes": _l("Minutes last edited"),
    "minutes_comment": _l("Comments on minutes"),
    "minutes_link": _l("Links to draft minutes"),
    "minutes_version": _l("Versions of minutes"),
    "meeting_document": _l("Meeting documents"),
    "meeting_document_version": _l("Meeting document files"),
    "resolution_correction": _l("Corrections of resolutions"),
}


MANIFEST = Manifest(
    name="workgroups",
    tenant_blueprints=(bp,),
    blueprints=(root_bp,),
    rules=RULES,
    tenant_prefixes=("group", "meeting", "minutes", "action", "document"),
    tenant_nav=(
        NavEntry("tenant.workgroups.group_list", _l("Groups"), "group.view"),
        NavEntry("tenant.workgroups.meeting_list", _l("Meetings"), "meeting.view"),
        NavEntry("tenant.workgroups.resolution_list", _l("Resolutions"), "meeting.view"),
        NavEntry("tenant.workgroups.my_actions", _l("My actions"), "action.view"),
    ),
    home_panels=(my_meetings_panel, home_panel),
    notification_kinds=KINDS,
    catalogue=Catalogue("workgroups", ("workgroups", "templates/workgroups", "coordination/exports")),
    routes=ROUTES,
    bench_pages=(
        BenchPage("group list", "tenant.workgroups.group_list", list_page=True),
        BenchPage("group page", "tenant.workgroups.group_detail", params=synthetic.bench_committee),
        BenchPage("meeting with minutes", "tenant.workgroups.meeting_detail",
                  params=synthetic.bench_meeting_with_minutes),
        BenchPage("my actions", "tenant.workgroups.my_actions", role="member", list_page=True),
    ),
    audit_actions=AUDIT_ACTIONS,
    audit_objects=AUDIT_OBJECTS,
    audit_fields=AUDIT_FIELDS,
    table_labels=TABLE_LABELS,
    # documents of a meeting's agenda are records of the body (kept; uploader pseudonymised)
    uploaded_files={"meeting_document_version": "record"},
)
