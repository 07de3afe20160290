"""Survey forms (coordinators and national editors). The questionnaire itself is dynamic and
read by :mod:`surveys.engine`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FloatField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from coordination.forms import Form
from surveys.engine import KIND_LABELS


class CampaignEditForm(Form):
    """Title, introduction and dates of a campaign."""

    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter a title.")), Length(max=300)])
    intro = TextAreaField(_l("Introduction for respondents"), validators=[Optional(), Length(max=4000)])
    opens_on = DateField(_l("Opens on"), validators=[DataRequired(message=_l("Enter a date, e.g. 2025-03-01."))])
    closes_on = DateField(_l("Closes on (last day)"),
                          validators=[DataRequired(message=_l("Enter a date, e.g. 2025-03-31."))])
    reminder_count = IntegerField(_l("Automatic reminders"), default=2, validators=[
        Optional(), NumberRange(min=0, max=5, message=_l("Enter a number from 0 to 5."))],
        description=_l("Sent only to people who have not answered yet; 0 = none."))
    reminder_spacing_days = IntegerField(_l("Days between reminders"), default=7, validators=[
        Optional(), NumberRange(min=1, max=60, message=_l("Enter a number of days from 1 to 60."))])

    def reminders(self) -> tuple[int, int]:
        """``(count, spacing in days)`` of the automatic reminders (defaults when left empty)."""
        count, spacing = self.reminder_count.data, self.reminder_spacing_days.data
        return (2 if count is None else count, spacing or 7)

    def validate_closes_on(self, field) -> None:
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The closing date cannot be earlier than the opening date."))


class CampaignForm(CampaignEditForm):
    """A new yearly campaign."""

    year = IntegerField(_l("Year evaluated"), validators=[
        DataRequired(message=_l("Enter the year, e.g. 2025.")),
        NumberRange(min=2015, max=2100, message=_l("Enter a year between 2015 and 2100."))])
    anonymous = BooleanField(_l("Anonymous survey (recommended)"), default=True)
    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)],
                        description=_l("Leave empty to use the national title."))


class RegionalQuestionForm(Form):
    """The region's own question."""

    code = StringField(_l("Code"), validators=[DataRequired(message=_l("Enter a code.")), Length(max=30)],
                       description=_l("Stable code used to compare years, e.g. R-WLKP-01 (the prefix R- is added "
                                                   "when missing)."))
    kind = SelectField(_l("Type"), choices=[SelectChoice(k, label) for k, label in KIND_LABELS.items()])
    text = TextAreaField(_l("Question"), validators=[DataRequired(message=_l("Enter the question.")),
                                                     Length(max=1000)])
    help = StringField(_l("Explanation (optional)"), validators=[Optional(), Length(max=500)])
    required = BooleanField(_l("Answer required"))
    options_text = TextAreaField(_l("Options or rows (one per line)"), validators=[Optional(), Length(max=4000)],
                                 description=_l("Choice questions: the options. Matrix: the statements to rate."))
    allow_other = BooleanField(_l("Offer “other, please specify”"))
    min_value = FloatField(_l("Smallest number"), validators=[Optional()])
    max_value = FloatField(_l("Largest number"), validators=[Optional()])


class RegionalQuestionEditForm(RegionalQuestionForm):
    """Changing the region's own question: its code and type stay."""

    code = None
    kind = None


class RespondentForm(Form):
    """One person added by hand."""

    full_name = StringField(_l("Name"), validators=[DataRequired(message=_l("Enter the person's name.")),
                                                    Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(message=_l("Enter an e-mail address.")),
        Email(message=_l("Enter a valid e-mail address, e.g. jan.kowalski@example.org."),
              check_deliverability=False), Length(max=254)])


class ImportForm(Form):
    """Upload of a respondent list."""

    file = FileField(_l("File (XLSX or CSV)"), validators=[
        FileRequired(message=_l("Choose a file.")),
        FileAllowed(["xlsx", "csv"], message=_l("Upload an .xlsx or .csv file."))],
        description=_l("First row: “Imię i nazwisko”, “E-mail”."))


class TemplateQuestionForm(Form):
    """Wording of a national core question (the code never changes)."""

    text = TextAreaField(_l("Question"), validators=[DataRequired(message=_l("Enter the question.")),
                                                     Length(max=1000)])
    help = StringField(_l("Explanation (optional)"), validators=[Optional(), Length(max=500)])
    required = BooleanField(_l("Answer required"))
