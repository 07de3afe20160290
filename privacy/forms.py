"""Forms of the privacy module: the erasure confirmation and the keeping times."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import TextInput

from coordination.forms import Form
from privacy.services import KINDS, MAX_DAYS, MIN_DAYS


class EraseForm(Form):
    """Erasure needs a reason (kept in the register) and an explicit confirmation."""

    reason = TextAreaField(_l("Reason for the erasure (e.g. the request's reference number)"),
                           validators=[DataRequired(_l("Please give the reason for the erasure.")),
                                       Length(max=2000)])
    confirm = BooleanField(_l("I confirm the erasure, which cannot be undone"),
                           validators=[DataRequired(_l("Please confirm the erasure."))])


def _days_field(label):
    # a text box (numeric keyboard): a number box would show nothing of a mistyped "abc"
    return IntegerField(label, widget=TextInput(), render_kw={"inputmode": "numeric"}, validators=[
        InputRequired(_l("Enter a number of days.")),
        NumberRange(MIN_DAYS, MAX_DAYS, _l("Enter a number of days from %(min)s to %(max)s."))])


#: kinds of data with a keeping time (see :data:`privacy.services.KINDS`).
KIND_LABELS = {
    "rsvp_links": _l("Answer links of meeting invitations"),
    "export_files": _l("Files of background exports"),
    "notifications": _l("Sent and skipped e-mail messages (outbox)"),
    "audit_entries": _l("Audit log entries"),
}
assert set(KIND_LABELS) == set(KINDS)


class RetentionForm(Form):
    """Keeping time in days per kind of data (fields named after :data:`KINDS`); shortening
    one is confirmed with ``confirm_shorter`` (shown when the service asks for it)."""

    confirm_shorter = BooleanField(_l("I confirm the shorter keeping times"))


for _kind, _label in KIND_LABELS.items():
    setattr(RetentionForm, _kind, _days_field(_label))
