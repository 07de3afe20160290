"""Working-group exports: meeting .ics and feed, minutes DOCX/PDF, signature list PDF,
attendance, members and resolutions XLSX. Built on :mod:`coordination.exports`."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from coordination.auth.services import absolute_url
from coordination.exports import docx, download, ics, pdf, xlsx
from coordination.extensions import db
from workgroups.models import Attendance, Group, GroupMember, Meeting, Minutes
from workgroups.queries.labels import (
    ATTENDANCE_LABELS,
    CATEGORY_LABELS,
    CHAIRING_SIGNATURE,
    MINUTES_SIGNATURE,
    MODE_LABELS,
    OUTCOME_LABELS,
    RSVP_LABELS,
    role_title,
)
from workgroups.queries.meetings import agenda_items, chairing
from workgroups.queries.minutes import render_markdown


def _sender_address() -> str:
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    return sender.split("<")[-1].rstrip(">").strip()


def _location(meeting: Meeting) -> str | None:
    parts = [p for p in (meeting.place, meeting.online_url) if p]
    return " / ".join(parts) or None


def meeting_event(meeting: Meeting, group: Group, agenda, link: str | None,
                  attendees: list[str] | None = None) -> ics.CalendarEvent:
    """The meeting as one calendar event (stable UID, current SEQUENCE, agenda in the text)."""
    lines = [_("%(group)s – meeting %(label)s", group=group.name, label=meeting.label),
             _("Form: %(mode)s", mode=MODE_LABELS[meeting.mode])]
    if meeting.online_url:
        lines.append(_("Online meeting link: %(url)s", url=meeting.online_url))
    if agenda:
        lines.append(_("Agenda") + ":")
        lines += [f"{a.position}. {a.title}" + (f" ({a.presenter})" if a.presenter else "") for a in agenda]
    if link:
        lines.append(link)
    return ics.CalendarEvent(
        uid=meeting.ical_uid, sequence=meeting.ical_sequence, start=meeting.starts_at, end=meeting.ends_at,
        summary=f"{meeting.title} ({group.name})", description="\n".join(lines), location=_location(meeting),
        url=link, cancelled=meeting.status == "cancelled", organizer=_sender_address(),
        attendees=attendees or [])


def meeting_ics(meeting: Meeting, group: Group, link: str):
    """One meeting as a downloadable ``.ics`` (METHOD:PUBLISH)."""
    body = ics.calendar([meeting_event(meeting, group, agenda_items(meeting.id), link)], method="PUBLISH")
    return download(body, f"posiedzenie-{meeting.number}-{meeting.year}.ics", "text/calendar")


def feed_ics(rows: list[tuple[Meeting, Group]], tenant) -> bytes:
    """The per-user calendar feed: every meeting of the user's groups (no METHOD)."""
    events = [meeting_event(m, g, [], absolute_url("tenant.workgroups.meeting_detail", tenant=tenant.slug,
                                                      meeting_id=m.id)) for m, g in rows]
    return ics.calendar(events, name=f"Sieć ES – {tenant.name}")


def members_xlsx(group: Group, members):
    header = [_("Full name"), _("E-mail"), _("Institution"), _("Category"), _("Role in the group"),
              _("Member from"), _("Member until")]
    rows = [(m.full_name, m.email, m.institution, str(CATEGORY_LABELS[m.category]), role_title(m),
             m.date_from, m.date_to) for m in members]
    return download(xlsx.workbook([(_("Members"), header, rows)]), f"czlonkowie-{group.id}.xlsx", xlsx.MIME)


def attendance_xlsx(meeting: Meeting, group: Group, register):
    header = [_("Full name"), _("Institution"), _("Role in the group"), _("Answer to the invitation"),
              _("Attendance"), _("Substitute")]
    rows = [(m.full_name, m.institution, role_title(m), str(RSVP_LABELS[answer]) if answer else "",
             str(ATTENDANCE_LABELS[status]) if status else "", sub or rsvp_sub or "")
            for m, answer, rsvp_sub, status, sub in register]
    return download(xlsx.workbook([(_("Attendance"), header, rows)]),
                    f"obecnosc-{meeting.number}-{meeting.year}.xlsx", xlsx.MIME)


def resolutions_xlsx(rows):
    header = [_("Number"), _("Group"), _("Meeting"), _("Date"), _("On (w sprawie …)"), _("Votes for"),
              _("Votes against"), _("Abstentions"), _("Outcome"), _("Last corrected")]
    data = [(r.label, group_name, m.label, m.day, r.subject, r.votes_for, r.votes_against, r.votes_abstain,
             str(OUTCOME_LABELS[r.outcome]), r.corrected_at.date() if r.corrected_at else None)
            for r, group_name, m in rows]
    return download(xlsx.workbook([(_("Resolutions"), header, data)]), "rejestr-uchwal.xlsx", xlsx.MIME)


def _document_parts(meeting: Meeting, group: Group, minutes: Minutes) -> dict:
    """What the minutes documents show besides the text (in Polish): the title, the region's
    letterhead (operator name and address from the tenant settings) and the signature lines of
    the chair and the minute-taker."""
    from tenants.models import Tenant
    from workgroups.services.minutes import minutes_title

    tenant = db.session.get(Tenant, meeting.tenant_id)
    status = dict(db.session.execute(select(Attendance.member_id, Attendance.status)
                                     .where(Attendance.meeting_id == meeting.id)).all())
    members = db.session.scalars(select(GroupMember).where(GroupMember.group_id == group.id)).all()
    who = chairing(meeting, [(m, status.get(m.id)) for m in members])
    with force_locale("pl"):
        return {
            "title": minutes_title(meeting, group),
            "letterhead": [tenant.operator_name, *(line.strip() for line in (tenant.address or "").splitlines()
                                                   if line.strip())],
            # an absent chair is never printed: the deputy who chaired, or a blank line
            "signatures": [(str(CHAIRING_SIGNATURE[who.chair.title_form if who.chair else ""]),
                            who.chair.full_name if who.chair else None),
                           (str(MINUTES_SIGNATURE[who.taker.title_form if who.taker else ""]),
                            who.taker.full_name if who.taker else None)],
            "draft_mark": _("DRAFT"),
            "adopted": (_("Adopted on %(day)s.", day=format_date(minutes.adopted_on, "long"))
                        if minutes.status == "adopted" and minutes.adopted_on else None),
        }


def minutes_pdf_bytes(meeting: Meeting, group: Group, minutes: Minutes) -> bytes:
    """The minutes as a tagged PDF (lang="pl", whatever the reader's interface language):
    letterhead, the text (attendance as a table), signature lines."""
    parts = _document_parts(meeting, group, minutes)
    with force_locale("pl"):
        html = render_template("workgroups/pdf/minutes.html", meeting=meeting, group=group, minutes=minutes,
                               body=render_markdown(minutes.body, shift_headings=0), **parts)
    return pdf.html_to_pdf(html)


def minutes_pdf(meeting: Meeting, group: Group, minutes: Minutes):
    """Minutes as PDF (tagged, lang="pl") from the same Markdown as the DOCX."""
    return download(minutes_pdf_bytes(meeting, group, minutes),
                    f"protokol-{meeting.number}-{meeting.year}.pdf", pdf.MIME)


def minutes_docx_bytes(meeting: Meeting, group: Group, minutes: Minutes) -> bytes:
    """The minutes as an editable DOCX (Polish proofing language): the letterhead in the page
    header, "PROJEKT" on a draft, the text (attendance as a table), signature lines."""
    parts = _document_parts(meeting, group, minutes)
    document = docx.new_document(parts["title"])
    header = document.sections[0].header.paragraphs[0]
    for n, line in enumerate(parts["letterhead"]):
        if n:
            header.add_run().add_break()
        header.add_run(docx.text(line)).bold = n == 0 or None
    if minutes.status != "adopted":
        document.add_paragraph().add_run(docx.text(parts["draft_mark"])).bold = True
    docx.add_markdown(document, minutes.body)
    if parts["adopted"]:
        document.add_paragraph(docx.text(parts["adopted"]))
    table = document.add_table(rows=3, cols=len(parts["signatures"]))
    for col, (role, name) in enumerate(parts["signatures"]):
        table.cell(0, col).text = "\n\n" + "." * 40
        table.cell(1, col).text = docx.text(role)
        table.cell(2, col).text = docx.text(name or "")
    return docx.to_bytes(document)


def minutes_docx(meeting: Meeting, group: Group, minutes: Minutes):
    """Minutes as an editable DOCX."""
    return download(minutes_docx_bytes(meeting, group, minutes),
                    f"protokol-{meeting.number}-{meeting.year}.docx", docx.MIME)


def signature_list_pdf(meeting: Meeting, group: Group, register):
    """Printable attendance list with a signature column."""
    html = render_template("workgroups/pdf/signature_list.html", meeting=meeting, group=group,
                           register=register, lang=str(get_locale() or "pl"))
    return download(pdf.html_to_pdf(html), f"lista-obecnosci-{meeting.number}-{meeting.year}.pdf", pdf.MIME)
