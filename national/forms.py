"""Forms of the SIRES module (diagnosis, support log, template, advocacy)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coordination.forms import Form
from national.catalogue import (
    ADVOCACY_STATUS_LABELS,
    PRIORITY_LABELS,
    STATE_LABELS,
    SUPPORT_FORM_LABELS,
    TARGET_GROUP_LABELS,
    operator_staff_participants,
)
from national.models import SUPPORT_FORMS, TARGET_GROUPS

REQUIRED_DATE = _l("Enter a date, e.g. 2019-03-25.")


class CheckboxesField(SelectMultipleField):
    """Several checkboxes (rendered as a fieldset with a legend by the template)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _blank(label):
    return [SelectChoice("", label)]


class RatingForm(Form):
    """One item's rating in a draft diagnosis."""

    state = SelectField(_l("Current state (1–5)"), validators=[Optional()],
                        choices=_blank(_l("– not rated –")) + [SelectChoice(str(k), f"{k} – {v}") for k, v in STATE_LABELS.items()])
    need = SelectField(_l("Advisory need (0–3)"), validators=[Optional()],
                       choices=_blank(_l("– not rated –")) + [SelectChoice(str(k)) for k in range(4)],
                       description=_l("0 = no need, 3 = high need."))
    priority = SelectField(_l("Priority"), validators=[Optional()],
                           choices=_blank(_l("– not rated –")) + PRIORITY_LABELS.choices())
    evidence = TextAreaField(_l("Evidence"), validators=[Optional(), Length(max=5000)],
                             description=_l("What the rating rests on: documents, data, interviews."))
    support_forms = CheckboxesField(_l("Preferred forms of support"),
                                    choices=SUPPORT_FORM_LABELS.choices(SUPPORT_FORMS))
    target_groups = CheckboxesField(_l("Target groups"),
                                    choices=TARGET_GROUP_LABELS.choices(TARGET_GROUPS))
    actions = TextAreaField(_l("Agreed actions"), validators=[Optional(), Length(max=5000)])
    notes = TextAreaField(_l("Notes (visible to the region)"), validators=[Optional(), Length(max=5000)])
    consultant_notes = TextAreaField(_l("Consultant's notes"), validators=[Optional(), Length(max=5000)],
                                     description=_l("Hidden from the region until you release them."))
    consultant_notes_released = BooleanField(_l("Release the consultant's notes to the region"))


class StartForm(Form):
    """Start the baseline or an update."""

    reason = TextAreaField(_l("Reason for the update"), validators=[Optional(), Length(max=2000)],
                           description=_l("Required for an update, e.g. a new RPRES or a new OWES call."))


class SignForm(Form):
    """Sign a draft off in one of the roles the user holds."""

    role = RadioField(_l("Sign off as"), validators=[InputRequired(message=_l("Choose the role you sign in."))],
                      choices=[])


def _people_field(label) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=20000)])


class SupportForm(Form):
    """One support-log entry."""

    held_on = DateField(_l("Date"), validators=[InputRequired(message=REQUIRED_DATE)])
    form = SelectField(_l("Form of support"), choices=SUPPORT_FORM_LABELS.choices(SUPPORT_FORMS),
                       validators=[DataRequired(message=_l("Choose the form of support."))])
    topic = StringField(_l("Topic"), validators=[DataRequired(message=_l("Enter the topic.")), Length(max=300)])
    item_ids = CheckboxesField(_l("Diagnosis items addressed"), coerce=int, choices=[])
    hours = DecimalField(_l("Hours"), places=1, validators=[
        InputRequired(message=_l("Enter the hours as a number from 0 to 1000.")),
        NumberRange(min=0, max=1000, message=_l("Enter the hours as a number from 0 to 1000."))])
    rops_staff = _people_field(LazyString(operator_staff_participants))
    committee_members = _people_field(_l("Participants: committee members"))
    planners = _people_field(_l("Participants: marshal-office planners"))
    follow_up = TextAreaField(_l("Follow-up"), validators=[Optional(), Length(max=5000)])


class ItemForm(Form):
    """Wording of a template item (the code never changes)."""

    title = StringField(_l("Wording"), validators=[DataRequired(message=_l("Enter the wording.")),
                                                   Length(max=300)])
    description = TextAreaField(_l("Explanation"), validators=[Optional(), Length(max=5000)])
    active = BooleanField(_l("Active (rated in new versions)"))


class NewItemForm(Form):
    """A new template item with a new stable code."""

    area = SelectField(_l("Area"), choices=[], validators=[DataRequired(message=_l("Choose the area."))])
    code = StringField(_l("Code"), validators=[DataRequired(message=_l("Enter the code, e.g. III.5.")),
                                               Length(max=12)],
                       description=_l("Stable code: the area's numeral, a dot and a number, e.g. III.5."))
    title = StringField(_l("Wording"), validators=[DataRequired(message=_l("Enter the wording.")),
                                                   Length(max=300)])
    description = TextAreaField(_l("Explanation"), validators=[Optional(), Length(max=5000)])


class IssueForm(Form):
    """An advocacy issue (the code is set once, when it is created)."""

    code = StringField(_l("Code"), validators=[Optional(), Length(max=12)],
                       description=_l("Stable code, e.g. A.5."))
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter the title.")), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    addressee = StringField(_l("Addressee"), validators=[Optional(), Length(max=300)],
                            description=_l("Institution the issue is addressed to, e.g. MRPiPS."))
    region_slugs = CheckboxesField(_l("Regions that raised it"), choices=[])
    item_ids = CheckboxesField(_l("Diagnosis items it concerns"), coerce=int, choices=[])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class StepForm(Form):
    """A dated step of an advocacy issue."""

    taken_on = DateField(_l("Date"), validators=[InputRequired(message=REQUIRED_DATE)])
    description = TextAreaField(_l("What happened"), validators=[DataRequired(message=_l("Describe the step.")),
                                                                 Length(max=5000)])
    new_status = SelectField(_l("New status"), choices=[], validators=[Optional()])


def status_choices(statuses) -> list[SelectChoice]:
    return [SelectChoice("", _l("– no change –"))] + [SelectChoice(s, ADVOCACY_STATUS_LABELS[s]) for s in statuses]
