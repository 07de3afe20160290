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
#: the form of a member's role titles (set by the coordinator; never guessed from a name).
TITLE_FORM_LABELS = Labels({"": _l("neutral wording (e.g. “Chairing: Anna Nowak”)"),
                            "f": _l("feminine (e.g. “Chairwoman”, “Member”)"),
                            "m": _l("masculine (e.g. “Chairman”, “Member”)")})
#: role titles that differ from the role's name by the person's title form ("f", "m", "");
#: the deputy's also by the chair's ("deputy", form, chair's form). Missing: the role's name.
_TITLES = {
    ("chair", "f"): lazy_pgettext("role title of a woman", "Chair"),
    ("chair", "m"): lazy_pgettext("role title of a man", "Chair"),
    ("chair", ""): lazy_pgettext("role title, neutral", "Chair"),
    ("deputy", "f"): lazy_pgettext("role title of a woman", "Deputy chair"),
    ("deputy", "f", "f"): lazy_pgettext("role title of a woman, deputy to a chairwoman", "Deputy chair"),
    ("deputy", "m", "f"): lazy_pgettext("role title, deputy to a chairwoman", "Deputy chair"),
    ("deputy", "", "f"): lazy_pgettext("role title, deputy to a chairwoman", "Deputy chair"),
    ("member", "f"): lazy_pgettext("role title of a woman", "Member"),
    ("observer", "f"): lazy_pgettext("role title of a woman", "Observer"),
    ("substitute", "f"): lazy_pgettext("role title of a woman", "Substitute member"),
}
_CHAIRING = _l("Chairing")
_TAKER = {"f": lazy_pgettext("role title of a woman", "Minute-taker"),
          "m": lazy_pgettext("role title of a man", "Minute-taker"), "": _l("Minutes taken by")}
#: who chaired / took the minutes, on the signature lines, by the person's title form.
CHAIRING_SIGNATURE = Labels({"f": lazy_pgettext("signature of a woman", "Chair of the meeting"),
                             "m": lazy_pgettext("signature of a man", "Chair of the meeting"),
                             "": _l("Person chairing the meeting")})
MINUTES_SIGNATURE = Labels({"f": lazy_pgettext("signature of a woman", "Minutes taken by"),
                            "m": lazy_pgettext("signature of a man", "Minutes taken by"),
                            "": _l("Person taking the minutes")})


def chairing_title(member) -> str:
    """The label before the name of who chairs: "Przewodnicząca" / "Przewodniczący" by the
    person's title form, neutral "Przewodnictwo" otherwise."""
    form = getattr(member, "title_form", "") or ""
    return str(_TITLES[("chair", form)]) if form else str(_CHAIRING)


def minutes_taker_title(member) -> str:
    """The label before the minute-taker's name: "Protokolantka" / "Protokolant" / neutral
    "Protokołowanie"."""
    form = getattr(member, "title_form", "") or ""
    return str(_TAKER[form])


def role_title(member, chair_form: str | None = None) -> str:
    """The member's role title agreeing with their grammatical form where the coordinator set
    it ("Przewodnicząca", "Członkini", "Zastępczyni przewodniczącej"), neutral wording where
    not ("Przewodniczenie"). ``chair_form``: the group chair's form, for a deputy's title."""
    form = getattr(member, "title_form", "") or ""
    if member.role == "deputy" and chair_form and (title := _TITLES.get(("deputy", form, chair_form))):
        return str(title)
    return str(_TITLES.get((member.role, form)) or ROLE_LABELS[member.role])


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
    locale=LOCALE_LABELS, title_form=TITLE_FORM_LABELS,
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


def lower_first(text: str) -> str:
    """``text`` to follow a colon in a generated title: its first letter in lower case unless the
    first word is an acronym ("OWES …", "JST …": a second letter in upper case) or a single
    capital; the rest is kept as written ("Informacja o działaniach OWES" → "informacja o
    działaniach OWES")."""
    first = text.split(" ", 1)[0]
    if len(first) < 2 or not first[0].isupper() or first[1].isupper():
        return text
    return text[0].lower() + text[1:]
