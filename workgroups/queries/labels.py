"""Human labels of the module's codes (lazy, so they follow the active locale)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from coordination.labels import Labels, register
from tenants.operator import lazy_short

KIND_LABELS = Labels({
    "promotion": _l("Promotion"),
    "reintegration": _l("Reintegration"),
    "education": _l("Education and animation"),
    "business": _l("Business and networking"),
    "committee": _l("Regional Committee"),
    "custom": _l("Other group"),
})
GROUP_STATUS_LABELS = Labels({"active": lazy_pgettext("group status", "active"),
                       "closed": lazy_pgettext("group status", "closed"),
                       "term_ended": lazy_pgettext("group status", "term ended")})
CATEGORY_LABELS = Labels({
    "rops": lazy_short(),  # the region's operator: ROPS, RCPS, MCPS, DOPS …
    "owes": _l("OWES"),
    "pes": _l("Social economy entity (PES)"),
    "jst": _l("Local government (JST)"),
    "labour_office": _l("Labour office"),
    "lgd": _l("Local action group (LGD)"),
    "university": _l("University"),
    "business": _l("Business"),
    "other": _l("Other"),
})
ROLE_LABELS = Labels({
    "chair": _l("Chair"),
    "deputy": _l("Deputy chair"),
    "secretary": _l("Secretary"),
    "member": _l("Member"),
    "observer": _l("Observer"),
    "substitute": _l("Substitute member"),
})
MODE_LABELS = Labels({"in_person": _l("In person"), "online": _l("Online"), "hybrid": _l("Hybrid")})
#: stored statuses and the phases derived from them (Meeting.phase).
MEETING_STATUS_LABELS = Labels({"planned": _l("planned"), "held": _l("held"), "cancelled": _l("cancelled"),
                                "in_progress": lazy_pgettext("meeting status", "in progress"),
                                "unrecorded": _l("ended – attendance not recorded")})
RSVP_LABELS = Labels({"yes": _l("Yes, I will attend"), "no": _l("No, I will not attend"), "maybe": _l("Maybe")})
ATTENDANCE_LABELS = Labels({"present": _l("present"), "absent": _l("absent"), "excused": _l("excused"),
                     "substitute": _l("represented by a substitute")})
MINUTES_STATUS_LABELS = Labels({"draft": lazy_pgettext("minutes status", "draft"), "consultation": _l("sent for comments"),
                         "adopted": _l("adopted")})
ADOPTION_LABELS = Labels({"meeting": _l("at a later meeting"), "circulation": _l("by circulation")})
COMMENT_STATUS_LABELS = Labels({"open": _l("open"), "accepted": _l("accepted"), "rejected": _l("rejected")})
OUTCOME_LABELS = Labels({"adopted": lazy_pgettext("resolution outcome", "adopted"),
                        "rejected": lazy_pgettext("resolution outcome", "rejected")})
ACTION_STATUS_LABELS = Labels({"open": _l("open"), "in_progress": _l("in progress"), "done": _l("done"),
                        "dropped": _l("dropped")})

RESOLUTION_FIELD_LABELS = Labels({"number": _l("Number"), "subject": _l("On (w sprawie …)"), "body": _l("Text"),
                           "votes_for": _l("Votes for"), "votes_against": _l("Votes against"),
                           "votes_abstain": _l("Abstentions"), "outcome": _l("Outcome")})
LOCALE_LABELS = Labels({"pl": _l("Polish"), "en": _l("English")})


#: the module's enumerations for templates: ``labels.workgroups.<name>``.
LABELS = register(
    "workgroups",
    kind=KIND_LABELS, group_status=GROUP_STATUS_LABELS, category=CATEGORY_LABELS,
    role=ROLE_LABELS, mode=MODE_LABELS, meeting_status=MEETING_STATUS_LABELS,
    rsvp=RSVP_LABELS, attendance=ATTENDANCE_LABELS, minutes_status=MINUTES_STATUS_LABELS,
    adoption=ADOPTION_LABELS, comment_status=COMMENT_STATUS_LABELS, outcome=OUTCOME_LABELS,
    action_status=ACTION_STATUS_LABELS, resolution_field=RESOLUTION_FIELD_LABELS,
    locale=LOCALE_LABELS,
)


#: leading words of group names and their genitive, longest first ("z posiedzenia Grupy roboczej
#: ds. promocji", "Regionalnego Komitetu Rozwoju Ekonomii Społecznej …").
_GENITIVE = (("Regionalny Komitet", "Regionalnego Komitetu"), ("Komitet", "Komitetu"),
             ("Grupa robocza", "Grupy roboczej"), ("Grupa", "Grupy"), ("Zespół roboczy", "Zespołu roboczego"),
             ("Zespół", "Zespołu"), ("Rada", "Rady"), ("Forum", "Forum"))


def group_genitive(name: str) -> str | None:
    """The Polish genitive of a group's name when it starts with a known word, else None (the
    caller then quotes the name after a noun: "grupy „…”")."""
    for nominative, genitive in _GENITIVE:
        if name == nominative or name.startswith(nominative + " "):
            return genitive + name[len(nominative):]
    return None
