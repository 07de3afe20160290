"""Meetings: list with filters, create (also from a previous one / as a series), page, edit,
cancel, invitations, attendance register, signature list, calendar files and the feed page."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from coordination import clock
from coordination.auth.services import absolute_url
from coordination.errors import DomainError
from coordination.forms import Form
from coordination.htmx import (
    form_invalid,
    form_round_trip,
    is_htmx,
    render_page_or_block,
    safe_local_path,
)
from coordination.inputs import int_arg
from coordination.pagination import paginate
from coordination.permissions import require
from workgroups import exports
from workgroups.forms import ConfirmForm, MeetingForm, RsvpForm
from workgroups.models import ATTENDANCE_STATUSES, MEETING_PHASES, Group
from workgroups.queries import groups as group_queries
from workgroups.queries import meetings as queries
from workgroups.queries.labels import ATTENDANCE_LABELS, RSVP_LABELS
from workgroups.services import meetings as services
from workgroups.views import bp
from workgroups.views.common import (
    group_or_404,
    meeting_and_group,
    meeting_row_or_404,
    member_choices,
)

BLANK_AGENDA_ROWS = 3


def _meeting_url(meeting) -> str:
    return url_for("tenant.workgroups.meeting_detail", meeting_id=meeting.id)


def _int_arg(name: str) -> int | None:
    return int_arg(name, minimum=0)


@bp.route("/posiedzenia")
def meeting_list():
    require("meeting.view")
    group_id, year = _int_arg("grupa"), _int_arg("rok")
    status = request.args.get("status") if request.args.get("status") in MEETING_PHASES else None
    page = paginate(queries.meetings_page, group_id=group_id, year=year, status=status)
    return render_page_or_block("workgroups/meeting_list.html", "content", page=page,
                                groups=queries.group_choices(), years=queries.meeting_years(),
                                filters={"grupa": group_id, "rok": year, "status": status},
                                statuses=MEETING_PHASES)


def _meeting_form(group: Group, meeting=None, copy_from=None) -> MeetingForm:
    data = None
    if request.method == "GET":
        source = meeting or copy_from
        agenda = services.agenda_of(source.id, with_ids=meeting is not None) if source else []
        if meeting is not None:
            agenda = [dict(a, position=i) for i, a in enumerate(agenda, start=1)]
        data = {"agenda": agenda}
        if source is not None:
            data.update({k: getattr(source, k) for k in ("title", "start_time", "end_time", "mode", "place",
                                                         "online_url", "chair_id", "minute_taker_id", "reminder_days")})
        if meeting is not None:
            data.update(day=meeting.day, number=meeting.number)
    form = MeetingForm(data=data) if data is not None else MeetingForm()
    if meeting is not None:
        form.accepted_day = meeting.day
    if request.method == "GET":
        if form.agenda.entries and not form.agenda.entries[0].form.title.data:
            form.agenda.entries = []
            form.agenda.last_index = -1
        for _i in range(BLANK_AGENDA_ROWS):
            form.agenda.append_entry()
    choices = member_choices(group_queries.all_members(group.id, clock.today() if meeting is None else meeting.day),
                             _("— not chosen —"))
    form.chair_id.choices = choices
    form.minute_taker_id.choices = choices
    return form


def _with_added_row(form: MeetingForm, **context):
    """"Add another item" (a submit button, so it works without JavaScript): the form comes back
    with what was typed and one more empty agenda row; nothing is saved. None for other POSTs."""
    if request.method != "POST" or "add_row" not in request.form:
        return None
    if len(form.agenda.entries) < form.agenda.max_entries:
        form.agenda.append_entry()
    return render_page_or_block("workgroups/meeting_form.html", "content", form=form, added_row=True, **context)


@bp.route("/<int:group_id>/posiedzenia/nowe", methods=["GET", "POST"])
def meeting_new(group_id: int):
    group = group_or_404(group_id)
    require("meeting.manage", group)
    copy_from = None
    if _int_arg("z"):
        copy_from, source_group = meeting_and_group(_int_arg("z"))
        if source_group.id != group.id:
            abort(404)
    form = _meeting_form(group, copy_from=copy_from)
    added = _with_added_row(form, group=group, meeting=None, copy_from=copy_from)
    if added is not None:
        return added

    def save():
        return services.create_meeting(group, form.data, form.agenda_data(), actor=current_user,
                                       number=form.number.data, repeat=form.repeat.data or 1,
                                       interval_weeks=form.interval_weeks.data or 0)

    return form_round_trip(form, "workgroups/meeting_form.html", save, lambda made: _meeting_url(made[0]),
                     _("Meeting created."), group=group, meeting=None, copy_from=copy_from)


@bp.route("/posiedzenia/<int:meeting_id>")
def meeting_detail(meeting_id: int):
    require("meeting.view")
    row = meeting_row_or_404(meeting_id, minutes=True)
    meeting, group, minutes = row.meeting, row.group, row.minutes
    data = queries.meeting_page(meeting, group, minutes)
    # the answer box for a member of the group (row.roles: the user's roles in it, read along)
    mine = queries.my_rsvp_row(meeting.id, current_user.id) if meeting.status == "planned" and row.roles else None
    return render_page_or_block("workgroups/meeting.html", "content", meeting=meeting, group=group,
                                data=data, today=clock.today(), mine=mine, now=clock.local_now())


@bp.route("/moje-posiedzenia")
def my_meetings():
    """The signed-in person's upcoming meetings (all their groups and the committee) with
    their answers, each changeable with one click."""
    require("meeting.view")
    page = paginate(queries.my_meetings_page, user_id=current_user.id)
    return render_page_or_block("workgroups/my_meetings.html", "content", page=page,
                                now=clock.local_now())


@bp.route("/posiedzenia/<int:meeting_id>/moja-odpowiedz", methods=["POST"])
def my_rsvp(meeting_id: int):
    """The signed-in member answers the invitation (the same service as the e-mail link).
    htmx: the answer box is swapped and its status region announces the result (422 when
    refused); without JavaScript: a message and back to the page the form was on."""
    require("meeting.view")
    meeting, group = meeting_and_group(meeting_id)
    row = queries.my_rsvp_row(meeting.id, current_user.id)
    if row is None:
        abort(403)
    member, current = row
    form = RsvpForm()
    error = None
    if request.form.get("substitute") and not (form.substitute_name.data or "").strip():
        error = _("Enter the name of the substitute.")  # the substitute form sent without a name
    elif form.validate():
        try:
            current = services.record_rsvp(meeting, member, form.answer.data, form.substitute_name.data,
                                           actor=current_user)
        except DomainError as exc:
            error = exc.message
    else:
        error = (_("Choose an answer.") if "answer" in form.errors
                 else next(iter(e for errors in form.errors.values() for e in errors)))
    message = error or _("Your answer to “%(title)s” was saved: %(answer)s.", title=meeting.title,
                         answer=RSVP_LABELS[current.answer])
    if not is_htmx():
        flash(message, "error" if error else "success")
        back = safe_local_path(request.form.get("next"), url_for("tenant.workgroups.meeting_detail",
                                                                 meeting_id=meeting.id))
        return redirect(f"{back}#my-rsvp-{meeting.id}", 303)
    html = render_template("workgroups/_my_rsvp_swap.html", meeting=meeting, member=member, current=current,
                           next_url=safe_local_path(request.form.get("next"), ""), now=clock.local_now(),
                           message=message, error=bool(error))
    return html, 422 if error else 200


@bp.route("/posiedzenia/<int:meeting_id>/edycja", methods=["GET", "POST"])
def meeting_edit(meeting_id: int):
    meeting, group = meeting_and_group(meeting_id)
    require("meeting.manage", group)
    form = _meeting_form(group, meeting=meeting)
    added = _with_added_row(form, group=group, meeting=meeting, copy_from=None)
    if added is not None:
        return added
    message = (_("Meeting saved. The invited members received the update.")
               if meeting.invitations_sent_at else _("Meeting saved."))
    return form_round_trip(form, "workgroups/meeting_form.html",
                     lambda: services.update_meeting(meeting, group, form.data, form.agenda_data(),
                                                     actor=current_user),
                     lambda _r: _meeting_url(meeting), message, group=group, meeting=meeting, copy_from=None)


@bp.route("/posiedzenia/<int:meeting_id>/odwolaj", methods=["GET", "POST"])
def meeting_cancel(meeting_id: int):
    meeting, group = meeting_and_group(meeting_id)
    require("meeting.manage", group)
    form = ConfirmForm()
    return form_round_trip(form, "workgroups/meeting_confirm.html",
                     lambda: services.cancel_meeting(meeting, group, actor=current_user),
                     lambda _r: _meeting_url(meeting), _("Meeting cancelled."),
                     meeting=meeting, group=group, action="cancel")


@bp.route("/posiedzenia/<int:meeting_id>/zaproszenia", methods=["GET", "POST"])
def meeting_invite(meeting_id: int):
    meeting, group = meeting_and_group(meeting_id)
    require("meeting.manage", group)
    form = ConfirmForm()
    return form_round_trip(form, "workgroups/meeting_confirm.html",
                     lambda: services.send_invitations(meeting, group, actor=current_user),
                     lambda _r: _meeting_url(meeting),
                     _("Invitations are queued: members receive them within a minute. The outbox shows each delivery."),
                     meeting=meeting, group=group, action="invite", invitees=services.invitees(meeting))


@bp.route("/posiedzenia/<int:meeting_id>/posiedzenie.ics")
def meeting_ics(meeting_id: int):
    require("meeting.view")
    meeting, group = meeting_and_group(meeting_id)
    return exports.meeting_ics(meeting, group, absolute_url("tenant.workgroups.meeting_detail",
                                                            tenant=g.tenant.slug, meeting_id=meeting.id))


#: what an answer to the invitation suggests for the register (``maybe`` suggests nothing).
RSVP_SUGGESTIONS = {"yes": "present", "no": "excused"}


def rsvp_suggestion(answer: str | None, rsvp_sub: str | None) -> str:
    """The attendance an RSVP answer suggests ("" when it suggests nothing)."""
    if answer == "no" and rsvp_sub:
        return "substitute"
    return RSVP_SUGGESTIONS.get(answer or "", "")


def _attendance_form(register, *, suggest: bool = False):
    """A form with a status (nothing preselected: the coordinator records what happened) and a
    substitute field per member on the meeting day. ``suggest`` fills the members still without
    a status from their answers to the invitation (the page says these are suggestions)."""

    class AttendanceForm(Form):
        pass

    choices = [SelectChoice("", _("— choose —"))] + [SelectChoice(s, ATTENDANCE_LABELS[s])
                                                      for s in ATTENDANCE_STATUSES]
    for member, _answer, rsvp_sub, status, sub_name in register:
        setattr(AttendanceForm, f"status-{member.id}", SelectField(member.full_name, choices=choices,
                                                                  default=status or ""))
        setattr(AttendanceForm, f"sub-{member.id}", StringField(
            _("Substitute for %(name)s", name=member.full_name), default=sub_name or rsvp_sub,
            validators=[Optional(), Length(max=200)]))
    form = AttendanceForm()
    if suggest:
        for member, answer, rsvp_sub, _status, _sub in register:
            field = form[f"status-{member.id}"]
            if not field.data:
                field.data = rsvp_suggestion(answer, rsvp_sub)
    return form


@bp.route("/posiedzenia/<int:meeting_id>/obecnosc", methods=["GET", "POST"])
def attendance(meeting_id: int):
    meeting, group = meeting_and_group(meeting_id)
    require("meeting.manage", group)
    register = queries.register_rows(meeting)
    suggest = request.method == "POST" and "suggest" in request.form
    form = _attendance_form(register, suggest=suggest)
    context = {"meeting": meeting, "group": group, "register": register,
               "quorum": queries.attendance_quorum(meeting, group), "suggested": suggest}
    if suggest:
        # a re-rendered form (nothing is saved): focus goes to the note saying what was filled
        return render_page_or_block("workgroups/attendance.html", "content", form=form, **context)

    def save():
        rows = {m.id: (form[f"status-{m.id}"].data, form[f"sub-{m.id}"].data) for m, *_rest in register}
        return services.record_attendance(meeting, rows, actor=current_user)

    return form_round_trip(form, "workgroups/attendance.html", save, lambda _r: _meeting_url(meeting),
                     _("Attendance saved."), **context)


@bp.route("/posiedzenia/<int:meeting_id>/lista-podpisow.pdf")
def signature_list(meeting_id: int):
    require("meeting.view")
    meeting, group = meeting_and_group(meeting_id)
    return exports.signature_list_pdf(meeting, group, queries.register_rows(meeting))


@bp.route("/posiedzenia/<int:meeting_id>/obecnosc.xlsx")
def attendance_xlsx(meeting_id: int):
    require("meeting.view")
    meeting, group = meeting_and_group(meeting_id)
    return exports.attendance_xlsx(meeting, group, queries.register_rows(meeting))


@bp.route("/kalendarz", methods=["GET", "POST"])
def calendar():
    require("meeting.feed")
    form = ConfirmForm()
    has_feed = queries.feed_of(current_user.id) is not None
    if form.validate_on_submit():
        # the address is shown on this answer only: just its hash is stored
        token = services.new_feed_token(current_user._get_current_object())
        return render_page_or_block("workgroups/calendar.html", "content", form=ConfirmForm(formdata=None),
                                    has_feed=True,
                                    feed_url=absolute_url("workgroups_public.feed", feed_token=token))
    if form.errors:
        return form_invalid("workgroups/calendar.html", "content", form=form, has_feed=has_feed, feed_url=None)
    return render_page_or_block("workgroups/calendar.html", "content", form=form, has_feed=has_feed,
                                feed_url=None)
