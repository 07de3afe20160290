"""Minutes: generate the draft, edit (optimistic locking with a conflict page), send for
comments, comment per section, resolve comments, adopt, correct, compare versions, export."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination.errors import DomainError
from coordination.extensions import db
from coordination.formats import format_day
from coordination.htmx import (
    attach_error,
    form_invalid,
    form_round_trip,
    hx_redirect,
    is_htmx,
    render_page_or_block,
)
from coordination.permissions import can, require
from workgroups import exports
from workgroups.forms import (
    AdoptForm,
    CloseCommentsForm,
    CommentForm,
    ConfirmForm,
    CorrectionForm,
    MinutesEditForm,
    ResolveCommentForm,
    SendForCommentsForm,
)
from workgroups.models import Group, Meeting, Minutes, MinutesComment
from workgroups.queries import meetings as meeting_queries
from workgroups.queries import minutes as queries
from workgroups.queries.meetings import MeetingRow
from workgroups.services import minutes as services
from workgroups.views import bp
from workgroups.views.common import meeting_and_group, meeting_row_or_404


def _minutes_url(meeting) -> str:
    return url_for("tenant.workgroups.minutes_view", meeting_id=meeting.id)


def _load_row(meeting_id: int, *, open_comments: bool = False) -> MeetingRow:
    """The meeting with its group and minutes (404 without minutes); see
    :func:`workgroups.views.common.meeting_row_or_404`."""
    row = meeting_row_or_404(meeting_id, minutes=True, open_comments=open_comments)
    if row.minutes is None:
        abort(404)
    return row


def _load(meeting_id: int) -> tuple[Meeting, Group, Minutes]:
    """``(meeting, group, minutes)`` of the current region, or 404."""
    row = _load_row(meeting_id)
    return row.meeting, row.group, row.minutes


def comment_form(minutes: Minutes) -> CommentForm:
    """The comment form with the draft's sections to choose from (in-app and personal link)."""
    form = CommentForm()
    form.section.choices = [SelectChoice(s) for s in queries.sections(minutes.body)] or [SelectChoice("—", _("Whole text"))]
    return form


def _view_page(meeting, group, minutes, comment_form, status=200):
    versions = queries.versions(minutes.id)
    render = form_invalid if status == 422 else render_page_or_block
    manager = can("minutes.manage", minutes)
    return render("workgroups/minutes.html", "content", meeting=meeting, group=group, minutes=minutes,
                  html=queries.render_markdown(minutes.body), versions=versions,
                  comments=queries.comments(minutes.id), comment_form=comment_form,
                  links=queries.links(minutes.id) if manager else [],
                  comments_open=services.comments_open(minutes),
                  can_comment=services.comments_open(minutes) and can("minutes.comment", minutes))


@bp.route("/posiedzenia/<int:meeting_id>/protokol/utworz", methods=["POST"])
def minutes_create(meeting_id: int):
    meeting, group = meeting_and_group(meeting_id)
    require("minutes.manage", group)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.create_draft(meeting, group, actor=current_user)
    except DomainError as exc:
        flash(exc.message, "error")
        return hx_redirect(url_for("tenant.workgroups.meeting_detail", meeting_id=meeting.id))
    flash(_("The draft minutes were generated from the agenda and the attendance."), "success")
    return hx_redirect(url_for("tenant.workgroups.minutes_edit", meeting_id=meeting.id))


@bp.route("/posiedzenia/<int:meeting_id>/protokol")
def minutes_view(meeting_id: int):
    require("meeting.view")
    meeting, group, minutes = _load(meeting_id)
    return _view_page(meeting, group, minutes, comment_form(minutes))


def _conflict(template, form, meeting, group, minutes, mine: str, theirs: str, version: int, **ctx):
    """The second save: show both texts and the differences; the form keeps *my* text and
    now carries the current version, so saving again is a deliberate overwrite/merge."""
    form.body.data = mine
    form.lock_version.data = str(version)
    status = 422 if is_htmx() else 409  # htmx swaps 422 only (responseHandling)
    return render_page_or_block(template, "content", status=status, form=form, meeting=meeting,
                                group=group, minutes=minutes, conflict={"theirs": theirs,
                                "rows": queries.diff_rows(theirs, mine)}, **ctx)


def _lock_version(form) -> int:
    try:
        return int(form.lock_version.data)
    except (TypeError, ValueError):
        return -1


@bp.route("/posiedzenia/<int:meeting_id>/protokol/edycja", methods=["GET", "POST"])
def minutes_edit(meeting_id: int):
    """Edit the draft; for adopted minutes the same page adds a correction (new version)."""
    meeting, group, minutes = _load(meeting_id)
    require("minutes.manage", minutes)
    correcting = minutes.status == "adopted"
    form_class = CorrectionForm if correcting else MinutesEditForm
    form = form_class(data={"body": minutes.body, "lock_version": minutes.lock_version})
    template = "workgroups/minutes_edit.html"
    if form.validate_on_submit():
        try:
            if correcting:
                services.correct(minutes, form.body.data, form.reason.data, _lock_version(form), actor=current_user)
            else:
                services.save_draft(minutes, form.body.data, _lock_version(form), actor=current_user)
        except services.EditConflict as exc:
            return _conflict(template, form, meeting, group, minutes, form.body.data, exc.theirs, exc.version)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            flash(_("The correction was saved as a new version.") if correcting else _("Minutes saved."), "success")
            return hx_redirect(_minutes_url(meeting))
    ctx = {"meeting": meeting, "group": group, "minutes": minutes, "conflict": None}
    if form.errors:
        return form_invalid(template, "content", form=form, **ctx)
    return render_page_or_block(template, "content", form=form, **ctx)


@bp.route("/posiedzenia/<int:meeting_id>/protokol/konsultacja", methods=["GET", "POST"])
def minutes_send(meeting_id: int):
    meeting, group, minutes = _load(meeting_id)
    require("minutes.manage", minutes)
    form = SendForCommentsForm(deadline=services.default_comment_deadline())
    return form_round_trip(form, "workgroups/minutes_send.html",
                     lambda: services.send_for_comments(minutes, meeting, group, form.deadline.data,
                                                        actor=current_user),
                     lambda _r: _minutes_url(meeting), _("The draft was sent to the attendees for comments."),
                     meeting=meeting, group=group, minutes=minutes,
                     recipients=services.attendee_members(meeting))


@bp.route("/posiedzenia/<int:meeting_id>/protokol/uwagi", methods=["POST"])
def minutes_comment(meeting_id: int):
    meeting, group, minutes = _load(meeting_id)
    require("minutes.comment", minutes)
    form = comment_form(minutes)
    if form.validate_on_submit():
        try:
            comment = services.add_comment(minutes, form.section.data, form.body.data, author=current_user)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            flash(_("Thank you, your comment was saved."), "success")
            return hx_redirect(_minutes_url(meeting) + f"#uwaga-{comment.id}")
    return _view_page(meeting, group, minutes, form, 422)


@bp.route("/posiedzenia/<int:meeting_id>/protokol/zamkniecie-uwag", methods=["GET", "POST"])
def minutes_close_comments(meeting_id: int):
    """Close the comments before the deadline, with a reason (shown on the minutes)."""
    meeting, group, minutes = _load(meeting_id)
    require("minutes.manage", minutes)
    form = CloseCommentsForm()
    return form_round_trip(form, "workgroups/minutes_close.html",
                           lambda: services.close_comments(minutes, form.reason.data, actor=current_user),
                           lambda _r: _minutes_url(meeting), _("The comments were closed."),
                           meeting=meeting, group=group, minutes=minutes)


@bp.route("/posiedzenia/<int:meeting_id>/protokol/linki/<int:link_id>/uniewaznij", methods=["GET", "POST"])
def minutes_link_revoke(meeting_id: int, link_id: int):
    """Revoke one personal link to the draft (after a confirmation page)."""
    meeting, group, minutes = _load(meeting_id)
    require("minutes.manage", minutes)
    row = next((r for r in queries.links(minutes.id) if r[0].id == link_id), None)
    if row is None:
        abort(404)
    link, name = row
    form = ConfirmForm()
    return form_round_trip(form, "workgroups/minutes_link_revoke.html",
                           lambda: services.revoke_link(link, actor=current_user),
                           lambda _r: _minutes_url(meeting) + "#linki", _("The link was revoked."),
                           meeting=meeting, group=group, minutes=minutes, link=link, name=name)


@bp.route("/protokol-uwagi/<int:comment_id>", methods=["GET", "POST"])
def comment_resolve(comment_id: int):
    comment = db.get_or_404(MinutesComment, comment_id)
    minutes = db.get_or_404(Minutes, comment.minutes_id)
    meeting, group = meeting_and_group(minutes.meeting_id)
    require("minutes.manage", minutes)
    form = ResolveCommentForm(obj=comment if request.method == "GET" and comment.status != "open" else None)
    return form_round_trip(form, "workgroups/comment_resolve.html",
                     lambda: services.resolve_comment(comment, minutes, form.status.data, form.reason.data,
                                                      actor=current_user),
                     lambda _r: _minutes_url(meeting) + "#uwagi", _("Comment resolved."),
                     comment=comment, meeting=meeting, group=group, minutes=minutes)


@bp.route("/posiedzenia/<int:meeting_id>/protokol/przyjecie", methods=["GET", "POST"])
def minutes_adopt(meeting_id: int):
    row = _load_row(meeting_id, open_comments=True)
    meeting, group, minutes, open_comments = row.meeting, row.group, row.minutes, row.open_comments
    require("minutes.manage", minutes)
    form = AdoptForm()
    later = meeting_queries.later_meetings(meeting)
    form.at_meeting_id.choices = [SelectChoice("", _("— choose a meeting —"))] + [
        SelectChoice(m.id, f"{m.label} – {format_day(m.day)} – {m.title}") for m in later]
    return form_round_trip(form, "workgroups/minutes_adopt.html",
                     lambda: services.adopt(minutes, meeting, form.mode.data, form.adopted_on.data,
                                            form.at_meeting_id.data, actor=current_user),
                     lambda _r: _minutes_url(meeting), _("The minutes are adopted and frozen."),
                     meeting=meeting, group=group, minutes=minutes,
                     open_comments=open_comments, later=later,
                     consultation_over=services.consultation_over(minutes))


@bp.route("/posiedzenia/<int:meeting_id>/protokol/porownanie")
def minutes_diff(meeting_id: int):
    require("meeting.view")
    meeting, group, minutes = _load(meeting_id)
    versions = queries.versions(minutes.id)
    texts = {str(v.number): v.body for v in versions}
    texts["current"] = minutes.body
    a = request.args.get("a") if request.args.get("a") in texts else (str(versions[0].number) if versions else "current")
    b = request.args.get("b") if request.args.get("b") in texts else "current"
    return render_page_or_block("workgroups/minutes_diff.html", "content", meeting=meeting, group=group,
                                minutes=minutes, versions=versions, a=a, b=b,
                                rows=queries.diff_rows(texts[a], texts[b]))


@bp.route("/posiedzenia/<int:meeting_id>/protokol.docx")
def minutes_docx(meeting_id: int):
    require("meeting.view")
    meeting, group, minutes = _load(meeting_id)
    return exports.minutes_docx(meeting, group, minutes)


@bp.route("/posiedzenia/<int:meeting_id>/protokol.pdf")
def minutes_pdf(meeting_id: int):
    require("meeting.view")
    meeting, group, minutes = _load(meeting_id)
    return exports.minutes_pdf(meeting, group, minutes)
