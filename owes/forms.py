"""OWES forms (Flask-WTF). Numbers accept a decimal comma."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coordination.forms import Form
from owes.labels import LABELS
from owes.models import (
    AGGREGATIONS,
    ANSWERS,
    CRITERIA,
    DISAGGREGATIONS,
    DOCUMENT_KINDS,
    OPERATOR_ROLES,
    PARTICIPANTS,
    PRIORITIES,
    PROPOSAL_KINDS,
    RECOMMENDATION_STATUSES,
    STUDY_KINDS,
    UNITS,
)


def _required(message):
    return DataRequired(message=message)


class NumberField(StringField):
    """A decimal number typed with a comma or a point ("12,5"); empty -> None."""

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip().replace(" ", "").replace(",", ".")
        if raw:
            try:
                self.data = Decimal(raw)
            except InvalidOperation:
                self.data = None
                raise ValueError(str(_l("Enter a number, e.g. 12 or 12,5."))) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data).replace(".", ",")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OwesForm(Form):
    name = StringField(_l("OWES name"), validators=[_required(_l("Enter the name.")), Length(max=200)])
    subregion = TextAreaField(_l("Subregion (powiaty)"), validators=[Optional(), Length(max=4000)],
                              description=_l("One powiat per line or separated by commas."))
    accreditation_number = StringField(_l("Accreditation decision number"),
                                       validators=[Optional(), Length(max=100)])
    accredited_from = DateField(_l("Accredited from"), validators=[Optional()])
    accredited_to = DateField(_l("Accredited until"), validators=[Optional()])
    contact_email = EmailField(_l("Contact e-mail"), validators=[
        Optional(), Email(message=_l("Enter a valid e-mail address."), check_deliverability=False),
        Length(max=200)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=60)])
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=1000)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])


class OperatorForm(Form):
    name = StringField(_l("Organisation"), validators=[_required(_l("Enter the organisation.")),
                                                        Length(max=200)])
    role = SelectField(_l("Role in the partnership"), choices=lambda: LABELS["operator_role"].choices(OPERATOR_ROLES))
    responsibility = StringField(_l("Responsible for"), validators=[Optional(), Length(max=300)],
                                 description=_l("e.g. new PES: animation, advisory, incubation"))


class ProjectForm(Form):
    name = StringField(_l("Project title"), validators=[_required(_l("Enter the title.")),
                                                        Length(max=300)])
    programme = StringField(_l("Programme"), validators=[Optional(), Length(max=200)])
    start_date = DateField(_l("Start"), validators=[Optional()])
    end_date = DateField(_l("End"), validators=[Optional()])
    budget = NumberField(_l("Budget (PLN)"), validators=[Optional()])


class BindForm(Form):
    membership_id = SelectField(_l("OWES representative"), coerce=int, choices=[])


class PlanForm(Form):
    title = StringField(_l("Title"), validators=[_required(_l("Enter the title.")), Length(max=200)])
    start_year = IntegerField(_l("First year"), validators=[
        InputRequired(message=_l("Enter a year.")),
        NumberRange(2000, 2100, message=_l("Enter a year between 2000 and 2100."))])
    end_year = IntegerField(_l("Last year"), validators=[
        InputRequired(message=_l("Enter a year.")),
        NumberRange(2000, 2100, message=_l("Enter a year between 2000 and 2100."))])
    goals = TextAreaField(_l("Goals"), validators=[Optional(), Length(max=10000)])
    services = TextAreaField(_l("Services"), validators=[Optional(), Length(max=10000)],
                             description=_l("Advisory by type, animation, trainings, incubation, grants."))


class StaffForm(Form):
    role = StringField(_l("Staff role"), validators=[_required(_l("Enter the role.")), Length(max=200)])
    fte = NumberField(_l("FTE"), validators=[InputRequired(message=_l("Enter the FTE, e.g. 1,5."))])


class TargetForm(Form):
    indicator_id = SelectField(_l("Indicator"), coerce=int, choices=[])
    mode = RadioField(_l("Kind of target"), choices=lambda: LABELS["target_mode"].choices(("absolute", "percent")),
                      default="absolute")
    value = NumberField(_l("Target"), validators=[InputRequired(message=_l("Enter the target."))])
    base_indicator_id = SelectField(_l("Percentage of"), coerce=int, choices=[],
                                    description=_l("Only for percentage targets; default: the indicator's base."))


class ValueForm(Form):
    indicator_id = SelectField(_l("Indicator"), coerce=int, choices=[])
    period = SelectField(_l("Period"), choices=[])
    value = NumberField(_l("Value"), validators=[InputRequired(message=_l("Enter the value."))])
    evidence = TextAreaField(_l("Evidence note"), validators=[Optional(), Length(max=4000)],
                             description=_l("Where the number comes from (lists, reports, documents kept by the OWES)."))
    evidence_file = FileField(_l("Evidence file (optional)"),
                              description=_l("PDF, DOCX, ODT or XLSX. A new file replaces the previous one."))
    remove_evidence_file = BooleanField(_l("Remove the attached evidence file"))
    women = NumberField(_l("of which women"), validators=[Optional()])
    men = NumberField(_l("of which men"), validators=[Optional()])
    disability = NumberField(_l("of which persons with disabilities"), validators=[Optional()])
    powiaty = TextAreaField(_l("Per powiat"), validators=[Optional(), Length(max=4000)],
                            description=_l("One line per powiat: name: number, e.g. zgierski: 5."))


class ReviewForm(Form):
    comment = TextAreaField(_l("Comment for the OWES"), validators=[Optional(), Length(max=4000)],
                            description=_l("Required when returning the value."))
    verify = SubmitField(_l("Verify"))
    send_back = SubmitField(_l("Return for correction"))


class ProposalForm(Form):
    """A representative's proposed change; only the fields of the chosen kind are used."""

    kind = RadioField(_l("What do you propose?"),
                      choices=lambda: LABELS["proposal_kind"].choices(PROPOSAL_KINDS),
                      validators=[_required(_l("Choose what you propose."))])
    plan_id = SelectField(_l("Plan"), coerce=int, choices=[],
                          description=_l("For a target: the plan it belongs to."))
    indicator_id = SelectField(_l("Indicator"), coerce=int, choices=[])
    value = NumberField(_l("Proposed target"), validators=[Optional()],
                        description=_l("For a target change: the new value."))
    accreditation_number = StringField(_l("Accreditation decision number"),
                                       validators=[Optional(), Length(max=100)])
    accredited_from = DateField(_l("Accredited from"), validators=[Optional()])
    accredited_to = DateField(_l("Accredited until"), validators=[Optional()])
    operator_id = SelectField(_l("Operator to remove"), coerce=int, choices=[])
    reason = TextAreaField(_l("Reason for the change"), validators=[
        _required(_l("Please give the reason for the change.")), Length(max=4000)])


class DecisionForm(Form):
    comment = TextAreaField(_l("Comment for the representative"),
                            validators=[Optional(), Length(max=4000)],
                            description=_l("Required when rejecting the proposal."))
    accept = SubmitField(_l("Accept and apply"))
    reject = SubmitField(_l("Reject"))


class ReasonForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[_required(_l("Give the reason.")), Length(max=4000)])


class ImportForm(Form):
    file = FileField(_l("XLSX file"), validators=[FileRequired(message=_l("Choose a file."))])


class IndicatorForm(Form):
    code = StringField(_l("Code"), validators=[_required(_l("Enter the code.")), Length(max=20)],
                       description=_l("e.g. AL-10"))
    name = StringField(_l("Name (Polish)"), validators=[_required(_l("Enter the name.")), Length(max=300)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=300)])
    unit = SelectField(_l("Unit"), choices=lambda: LABELS["unit"].choices(UNITS))
    aggregation = SelectField(_l("Aggregation rule"), choices=lambda: LABELS["aggregation"].choices(AGGREGATIONS))
    base_id = SelectField(_l("Percentage of"), coerce=int, choices=[])
    disaggregation = MultiCheckboxField(_l("Disaggregation"),
                                        choices=lambda: LABELS["disaggregation"].choices(DISAGGREGATIONS))
    definition = TextAreaField(_l("Definition"), validators=[Optional(), Length(max=4000)])
    position = IntegerField(_l("Position"), validators=[Optional()])
    active = BooleanField(_l("Active (offered for new targets)"), default=True)


class StudyForm(Form):
    title = StringField(_l("Title"), validators=[_required(_l("Enter the title.")), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=lambda: LABELS["study_kind"].choices(STUDY_KINDS))
    owes_id = SelectField(_l("Evaluated OWES"), coerce=int, choices=[])
    evaluator = StringField(_l("Evaluator"), validators=[_required(_l("Enter the evaluator.")),
                                                         Length(max=200)])
    period_start = DateField(_l("Evaluated period from"), validators=[Optional()])
    period_end = DateField(_l("Evaluated period to"), validators=[Optional()])
    criteria = MultiCheckboxField(_l("Criteria"), choices=lambda: LABELS["criterion"].choices(CRITERIA))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)])


class DocumentForm(Form):
    kind = SelectField(_l("Document"), choices=lambda: LABELS["document_kind"].choices(DOCUMENT_KINDS))
    file = FileField(_l("File (PDF, DOCX, ODT or XLSX)"), validators=[FileRequired(message=_l("Choose a file."))])


class RoundForm(Form):
    document_id = SelectField(_l("Draft under consultation"), coerce=int, choices=[])
    opens_on = DateField(_l("Opens on"), validators=[InputRequired(message=_l("Enter a date."))])
    closes_on = DateField(_l("Closes on"), validators=[InputRequired(message=_l("Enter a date."))])
    participants = MultiCheckboxField(_l("Participants"), choices=lambda: LABELS["participant"].choices(PARTICIPANTS))
    invited = TextAreaField(_l("Other invited members"), validators=[Optional(), Length(max=4000)])


class CommentForm(Form):
    section = StringField(_l("Report section"), validators=[_required(_l("Enter the section.")), Length(max=200)])
    page = StringField(_l("Page"), validators=[Optional(), Length(max=20)])
    comment = TextAreaField(_l("Comment"), validators=[_required(_l("Enter the comment.")), Length(max=8000)])
    justification = TextAreaField(_l("Justification"), validators=[Optional(), Length(max=8000)])
    proposal = TextAreaField(_l("Proposed wording"), validators=[Optional(), Length(max=8000)])
    author_name = StringField(_l("Author and institution"), validators=[Optional(), Length(max=300)],
                              description=_l("As it should appear in the report; default: your name."))


class AnswerForm(Form):
    answer = RadioField(_l("Answer"), choices=lambda: LABELS["answer"].choices(ANSWERS),
                        validators=[InputRequired(message=_l("Choose an answer."))])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=8000)])


class RecommendationForm(Form):
    finding = TextAreaField(_l("Finding"), validators=[_required(_l("Enter the finding.")), Length(max=8000)])
    recommendation = TextAreaField(_l("Recommendation"), validators=[
        _required(_l("Enter the recommendation.")), Length(max=8000)])
    addressee = StringField(_l("Addressee"), validators=[_required(_l("Enter the addressee.")), Length(max=200)])
    how = TextAreaField(_l("How to implement"), validators=[Optional(), Length(max=8000)])
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    priority = SelectField(_l("Priority"), choices=lambda: LABELS["priority"].choices(PRIORITIES), default="medium")


class RecommendationStatusForm(Form):
    year = IntegerField(_l("Year"), validators=[
        InputRequired(message=_l("Enter a year.")),
        NumberRange(2000, 2100, message=_l("Enter a year between 2000 and 2100."))])
    status = SelectField(_l("Status"), choices=lambda: LABELS["recommendation_status"].choices(RECOMMENDATION_STATUSES))
    note = TextAreaField(_l("What was done"), validators=[Optional(), Length(max=8000)])
