"""Token links that work without logging in: the RSVP page from the invitation e-mail, the
personal link to draft minutes (attendees without an account) and the per-user calendar feed. Each finds its region from the token (an explicit cross-tenant read)
and then works inside that region only."""

from __future__ import annotations

from flask import Response, abort, g, render_template, url_for
from flask_babel import gettext as _

from coordination.htmx import form_round_trip
from coordination.tenancy import set_request_tenant
from tenants.models import Tenant
from tenants.queries import all_regions
from workgroups import exports
from workgroups.forms import RsvpForm
from workgroups.queries import meetings as queries
from workgroups.services import mail
from workgroups.services import meetings as services
from workgroups.views import root_bp


def _enter_tenant(tenant_id: int) -> Tenant:
    tenant = next((t for t in all_regions() if t.id == tenant_id), None)
    if tenant is None:
        abort(404)
    g.tenant = tenant
    set_request_tenant(tenant.id)
    return tenant


def _link_not_valid():
    """The same page (404) for a wrong, foreign, expired or cancelled link: it does not tell
    whether the link ever existed (not even the region's name in the header)."""
    g.pop("tenant", None)
    return render_template("workgroups/rsvp_invalid.html"), 404


@root_bp.route("/odpowiedz/<rsvp_token>", methods=["GET", "POST"])
def rsvp(rsvp_token: str):
    ids = mail.read_rsvp_token(rsvp_token)
    if ids is None or next((t for t in all_regions() if t.id == ids[0]), None) is None:
        return _link_not_valid()
    tenant_id, meeting_id, member_id = ids
    _enter_tenant(tenant_id)
    row = queries.rsvp_row(meeting_id, member_id)
    if row is None or not mail.rsvp_link_valid(row[0]):
        return _link_not_valid()
    meeting, group, member, current = row
    form = RsvpForm(obj=current)
    return form_round_trip(form, "workgroups/rsvp.html",
                     lambda: services.record_rsvp(meeting, member, form.answer.data, form.substitute_name.data),
                     lambda _r: url_for("workgroups_public.rsvp", rsvp_token=rsvp_token),
                     _("Thank you, your answer was saved."),
                     meeting=meeting, group=group, member=member, current=current, rsvp_token=rsvp_token)


@root_bp.route("/projekt-protokolu/<minutes_token>", methods=["GET", "POST"])
def minutes_draft(minutes_token: str):
    """The draft minutes for an attendee without an account: read it (accessible HTML), see the
    comments, comment until the deadline (then read-only). Comments are the person's own."""
    from workgroups.queries import minutes as minutes_queries
    from workgroups.services import minutes as minutes_services
    from workgroups.views.minutes import comment_form

    ids = mail.read_minutes_token(minutes_token)
    if ids is None or next((t for t in all_regions() if t.id == ids[0]), None) is None:
        return _link_not_valid()
    _enter_tenant(ids[0])
    row = minutes_queries.token_row(ids[1])
    if row is None or not mail.minutes_link_valid(row[0], row[1]):
        return _link_not_valid()
    _link, minutes, meeting, group, member = row
    form = comment_form(minutes)
    url = url_for("workgroups_public.minutes_draft", minutes_token=minutes_token)
    return form_round_trip(
        form, "workgroups/minutes_public.html",
        lambda: minutes_services.add_comment(minutes, form.section.data, form.body.data, member=member),
        # a new address (not only a new fragment): htmx then loads it and the browser moves the
        # focus to the new comment (an HX-Refresh of the same page would lose the fragment)
        lambda comment: f"{url}?uwaga={comment.id}#uwaga-{comment.id}", _("Thank you, your comment was saved."),
        meeting=meeting, group=group, minutes=minutes, member=member, comment_form=form, post_url=url,
        html=minutes_queries.render_markdown(minutes.body), comments=minutes_queries.comments(minutes.id),
        comments_open=minutes_services.comments_open(minutes),
        title=minutes_services.minutes_title(meeting, group))


@root_bp.route("/kalendarz/<feed_token>.ics")
def feed(feed_token: str):
    row = queries.feed_by_token(feed_token)  # checks the account and its membership every time
    if row is None:
        abort(404)
    tenant = _enter_tenant(row.tenant_id)
    meetings = queries.feed_meetings(row.user_id)
    body = exports.feed_ics(meetings, tenant)
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, no-store"})

