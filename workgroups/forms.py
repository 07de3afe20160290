"""Forms of the working-group module (Flask-WTF)."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)

from coordination.forms import Form, SubForm
from coordination.workdays import holiday_in_sentence
from workgroups.models import (
    ACTION_STATUSES,
    ADOPTION_MODES,
    DEFAULT_MEETING_REMINDERS,
    GROUP_KINDS,
    GROUP_STATUSES,
    MEETING_MODES,
    MEMBER_CATEGORIES,
    MEMBER_ROLES,
    RSVP_ANSWERS,
    TITLE_FORMS,
)
from workgroups.queries.labels import (
    ACTION_STATUS_LABELS,
    ADOPTION_LABELS,
    CATEGORY_LABELS,
    GROUP_STATUS_LABELS,
    KIND_LABELS,
    MODE_LABELS,
    ROLE_LABELS,
    RSVP_LABELS,
    TITLE_FORM_LABELS,
)

DATE_MSG = _l("Enter a date in the form YYYY-MM-DD.")
NO_SUCH_DATE_MSG = _l("This date does not exist. Please check the day and the month.")
DATE_REQUIRED_MSG = _l("Please enter the date.")
TIME_MSG = _l("Enter a time in the form HH:MM.")
#: a date typed in the right form (the day or the month may still be out of range).
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")


class DayField(DateField):
    """The date field of the module (RRRR-MM-DD) with one message per problem: an empty field
    is left to :func:`_date_required` ("Please enter the date."), a wrong form asks for RRRR-MM-DD,
    and a date in the right form that does not exist (2026-02-30) says so."""

    def process_formdata(self, valuelist):
        text = " ".join(valuelist or ()).strip()
        self.data = None
        if not text:
            return
        if not _DATE_SHAPE.fullmatch(text):
            raise ValueError(DATE_MSG)
        try:
            self.data = date(*(int(part) for part in text.split("-")))
        except ValueError:
            raise ValueError(NO_SUCH_DATE_MSG) from None


def _date_required(form, field):
    """An empty required date: "Please enter the date." (a date that could not be read already has its
    own message)."""
    if field.data is None:
        if field.process_errors:
            raise StopValidation()
        raise StopValidation(DATE_REQUIRED_MSG)


#: the form marks the field as required ("*" and the ``required`` attribute), as DataRequired does
_date_required.field_flags = {"required": True}


def _required_date(label, **kw):
    return DayField(label, validators=[_date_required], **kw)


def _coerce_optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def _optional_date(label, **kw):
    return DayField(label, validators=[Optional()], **kw)


class GroupForm(Form):
    name = StringField(_l("Group name"), validators=[DataRequired(message=_l("Enter the name of the group.")),
                                               Length(max=200)])
    kind = SelectField(_l("Kind"), choices=KIND_LABELS.choices(GROUP_KINDS))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    status = SelectField(_l("Status"), choices=GROUP_STATUS_LABELS.choices(GROUP_STATUSES))
    term_start = _optional_date(_l("Term start"), description=_l("The committee's term lasts 3 years; "
                                                                   "the end is filled in if you leave it empty."))
    term_end = _optional_date(_l("Term end"))
    quorum_percent = IntegerField(
        _l("Quorum (% of voting members present)"), default=50,
        validators=[InputRequired(message=_l("Enter the quorum.")),
                    NumberRange(min=1, max=100, message=_l("Enter a number from 1 to 100."))])


class MemberForm(Form):
    user_id = SelectField(_l("Account"), coerce=_coerce_optional_int, validate_choice=False,
                          description=_l("Choose an account of the region, or leave empty and enter the "
                                         "details of a person without an account."))
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[
        Optional(), Email(message=_l("Enter a valid e-mail address, e.g. jan.kowalski@example.org."),
                          check_deliverability=False), Length(max=254)])
    institution = StringField(_l("Institution"), validators=[Optional(), Length(max=250)])
    #: no category is preselected (a preselected first one was saved by accident): one must be chosen.
    category = SelectField(_l("Category"), choices=[SelectChoice("", _l("— Please choose —"))]
                           + CATEGORY_LABELS.choices(MEMBER_CATEGORIES), default="",
                           validators=[DataRequired(message=_l("Choose the category of the member."))])
    #: an ordinary member by default, so that a second chair is never created by accident.
    role = SelectField(_l("Role in the group"), choices=ROLE_LABELS.choices(MEMBER_ROLES), default="member")
    substitute_for_id = SelectField(_l("Substitutes for"), coerce=_coerce_optional_int, validate_choice=False)
    date_from = _required_date(_l("Member from"))
    date_to = _optional_date(_l("Member until"))
    title_form = SelectField(_l("Form of the role titles"), choices=TITLE_FORM_LABELS.choices(TITLE_FORMS), default="")
    locale = SelectField(_l("Language of e-mails"), choices=[SelectChoice("pl", _l("Polish")), SelectChoice("en", _l("English"))],
                         default="pl")


class EndMemberForm(Form):
    date_to = _required_date(_l("Last day of membership"))


class AgendaRow(SubForm):
    position = IntegerField(_l("Order"), validators=[
        Optional(), NumberRange(min=1, max=99, message=_l("Enter a whole number from 1 to 99."))])
    title = StringField(_l("Agenda item"), validators=[Optional(), Length(max=300)])
    presenter = StringField(_l("Presenter"), validators=[Optional(), Length(max=200)])
    duration_minutes = IntegerField(_l("Duration (minutes)"), validators=[
        Optional(), NumberRange(min=1, max=600, message=_l("Enter from 1 to 600 minutes."))])
    follow_up = HiddenField()
    #: the existing item this row edits (keeps its documents); empty for a new item.
    item_id = HiddenField()


class MeetingForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter the title of the meeting.")),
                                                 Length(max=250)])
    number = IntegerField(_l("Number"), validators=[
        Optional(), NumberRange(min=1, max=999, message=_l("Enter a whole number from 1 to 999."))],
                          description=_l("Leave empty to number the meeting automatically within the year."))
    day = _required_date(_l("Date"))
    start_time = TimeField(_l("Start (Warsaw time)"), validators=[DataRequired(message=TIME_MSG)])
    end_time = TimeField(_l("End (Warsaw time)"), validators=[DataRequired(message=TIME_MSG)])
    mode = RadioField(_l("Form of the meeting"), choices=MODE_LABELS.choices(MEETING_MODES), default="in_person")
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    online_url = StringField(_l("Online meeting link"), validators=[
        Optional(), URL(message=_l("Enter a full address starting with https://.")), Length(max=500)])
    chair_id = SelectField(_l("Chair"), coerce=_coerce_optional_int, validate_choice=False)
    minute_taker_id = SelectField(_l("Minute-taker"), coerce=_coerce_optional_int, validate_choice=False)
    reminder_days = SelectField(_l("E-mail reminders"), default=DEFAULT_MEETING_REMINDERS, choices=[
        SelectChoice("7,1", _l("7 days and 1 day before")), SelectChoice("7", _l("7 days before")),
        SelectChoice("1", _l("1 day before")), SelectChoice("", _l("No reminders"))])
    #: shown with the warning about a day off (a weekend or a public holiday).
    confirm_day = BooleanField(_l("Yes, the meeting is to take place on this day"))
    agenda = FieldList(FormField(AgendaRow), min_entries=1, max_entries=40)
    repeat = IntegerField(_l("Number of meetings in the series"), default=1,
                          validators=[Optional(), NumberRange(min=1, max=24, message=_l("Enter from 1 to 24."))])
    interval_weeks = IntegerField(_l("Every how many weeks"), validators=[
        Optional(), NumberRange(min=1, max=52, message=_l("Enter from 1 to 52."))])

    #: the day already saved for the meeting (edit form): it is not questioned again.
    accepted_day = None
    day_is_off = False

    def day_off_warning(self) -> str | None:
        """The warning for a meeting on a Saturday, a Sunday or a public holiday (allowed, but
        rarely meant): what the day is, to confirm with :attr:`confirm_day`; None otherwise."""
        day = self.day.data
        if day is None or self.day.errors or day == self.accepted_day:
            return None
        weekend = day.weekday() >= 5
        holiday = holiday_in_sentence(day, str(get_locale() or "pl"))
        if not weekend and not holiday:
            return None
        names = {"day": format_date(day, "d MMMM y"), "weekday": format_date(day, "EEEE"), "holiday": holiday}
        if weekend and holiday:
            text = _("%(day)s is a %(weekday)s and a public holiday (%(holiday)s).", **names)
        elif weekend:
            text = _("%(day)s is a %(weekday)s.", **names)
        else:
            text = _("%(day)s (%(weekday)s) is a public holiday (%(holiday)s).", **names)
        return " ".join((text, _("If the meeting is to take place on this day, tick the box below the date "
                                 "and save again.")))

    def _cross_field_errors(self) -> list[tuple]:
        """(field, message) of the checks that look at more than one field (the services check
        them again): all are reported together with the errors of single fields."""
        found = []
        start, end, mode = self.start_time.data, self.end_time.data, self.mode.data
        if start and end and not self.start_time.errors and not self.end_time.errors and end <= start:
            found.append((self.end_time, _("The meeting must end after it starts.")))
        if mode in ("in_person", "hybrid") and not (self.place.data or "").strip() and not self.place.errors:
            found.append((self.place, _("Enter the place of the meeting.")))
        if mode in ("online", "hybrid") and not (self.online_url.data or "").strip() and not self.online_url.errors:
            found.append((self.online_url, _("Enter the link to the online meeting.")))
        warning = self.day_off_warning()
        #: the checkbox is shown while the date is a day off (also after it is ticked).
        self.day_is_off = warning is not None
        if warning and not self.confirm_day.data:
            found.append((self.day, warning))
        return found

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field, message in self._cross_field_errors():
            field.errors = [*field.errors, message]
            valid = False
        return valid

    def agenda_data(self) -> list[dict]:
        return [dict(row.data) for row in self.agenda]


class RsvpForm(Form):
    answer = RadioField(_l("Will you attend?"), choices=RSVP_LABELS.choices(RSVP_ANSWERS),
                        validators=[InputRequired(message=_l("Choose an answer."))])
    substitute_name = StringField(_l("Substitute (if someone attends for you)"),
                                  validators=[Optional(), Length(max=200)])


class MinutesEditForm(Form):
    body = TextAreaField(_l("Text of the minutes (Markdown)"),
                         validators=[DataRequired(message=_l("The minutes cannot be empty."))])
    lock_version = HiddenField()


class CorrectionForm(MinutesEditForm):
    reason = StringField(_l("Reason for the correction"), validators=[
        DataRequired(message=_l("Give the reason for the correction.")), Length(max=500)])


class SendForCommentsForm(Form):
    deadline = _required_date(_l("Comments until"))


class CommentForm(Form):
    section = SelectField(_l("Section"), validate_choice=False)
    body = TextAreaField(_l("Comment"), validators=[DataRequired(message=_l("Write your comment.")),
                                                    Length(max=5000)])


class CloseCommentsForm(Form):
    reason = TextAreaField(_l("Reason for closing the comments early"), validators=[
        DataRequired(message=_l("Give the reason for closing the comments before the deadline.")),
        Length(max=2000)])


class ResolveCommentForm(Form):
    status = RadioField(_l("Decision"), choices=[SelectChoice("accepted", _l("Accept")), SelectChoice("rejected", _l("Reject"))],
                        validators=[InputRequired(message=_l("Choose whether the comment is accepted or rejected."))])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)],
                           description=_l("Required when rejecting."))


class AdoptForm(Form):
    mode = RadioField(_l("Adopted"), choices=ADOPTION_LABELS.choices(ADOPTION_MODES), default="meeting")
    at_meeting_id = SelectField(_l("Meeting where adopted"), coerce=_coerce_optional_int, validate_choice=False)
    adopted_on = _optional_date(_l("Day of adoption by circulation"))


class ResolutionForm(Form):
    number = IntegerField(_l("Number"), validators=[
        Optional(), NumberRange(min=1, max=999, message=_l("Enter a whole number from 1 to 999."))],
                          description=_l("Leave empty to number automatically within the year."))
    subject = StringField(_l("On (w sprawie …)"), validators=[
        DataRequired(message=_l("Enter what the resolution is about.")), Length(max=400)])
    body = TextAreaField(_l("Text"), validators=[Optional(), Length(max=20000)])
    votes_for = IntegerField(_l("Votes for"), default=0, validators=[
        InputRequired(message=_l("Enter the number of votes.")),
        NumberRange(min=0, max=999, message=_l("Enter a whole number from 0 to 999."))])
    votes_against = IntegerField(_l("Votes against"), default=0, validators=[
        InputRequired(message=_l("Enter the number of votes.")),
        NumberRange(min=0, max=999, message=_l("Enter a whole number from 0 to 999."))])
    votes_abstain = IntegerField(_l("Abstentions"), default=0, validators=[
        InputRequired(message=_l("Enter the number of votes.")),
        NumberRange(min=0, max=999, message=_l("Enter a whole number from 0 to 999."))])


class ResolutionEditForm(ResolutionForm):
    reason = StringField(_l("Reason for the correction"), validators=[Optional(), Length(max=500)],
                         description=_l("Required once the minutes of the meeting are adopted."))


def _coerce_owner(value) -> str:
    return "" if value in (None, "", "None") else str(value)


class ActionForm(Form):
    description = StringField(_l("What is to be done"), validators=[
        DataRequired(message=_l("Describe what is to be done.")), Length(max=500)])
    #: a member of the group ("12") or of the ROPS staff ("u5": an account id).
    owner_id = SelectField(_l("Who"), coerce=_coerce_owner, validate_choice=False,
                           description=_l("A current member of the group or one of the staff of the centre coordinating the network in the region."))
    due_date = _optional_date(_l("By when"))
    status = SelectField(_l("Status"), choices=ACTION_STATUS_LABELS.choices(ACTION_STATUSES), default="open")
    note = TextAreaField(_l("Note on progress"), validators=[Optional(), Length(max=2000)])

    def owner_data(self) -> dict:
        """The chosen owner as the services take it: ``owner_id`` (a member) or
        ``owner_user_id`` (ROPS staff)."""
        value = self.owner_id.data or ""
        if value.startswith("u") and value[1:].isdigit():
            return {"owner_id": None, "owner_user_id": int(value[1:])}
        return {"owner_id": int(value) if value.isdigit() else None, "owner_user_id": None}

    def set_owner(self, action) -> None:
        """Show ``action``'s current owner in the choice."""
        self.owner_id.data = (f"u{action.owner_user_id}" if action.owner_user_id
                              else str(action.owner_id or ""))


class ActionStatusForm(Form):
    status = SelectField(_l("Status"), choices=ACTION_STATUS_LABELS.choices(ACTION_STATUSES))
    note = TextAreaField(_l("Note on progress"), validators=[Optional(), Length(max=2000)])


def _file_field():
    return FileField(_l("File (PDF, DOCX, ODT or XLSX)"), validators=[FileRequired(message=_l("Choose a file."))])


class DocumentForm(Form):
    agenda_item_id = SelectField(_l("Agenda item"), coerce=_coerce_optional_int, validate_choice=False)
    title = StringField(_l("Title of the document"), validators=[Optional(), Length(max=250)],
                        description=_l("Leave empty to use the file name."))
    file = _file_field()


class DocumentVersionForm(Form):
    file = _file_field()


class ConfirmForm(Form):
    """Just the CSRF token: confirmation pages."""

