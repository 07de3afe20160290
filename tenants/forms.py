"""Tenant settings form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from coordination.forms import Form


def _form_field(label, max_length: int) -> StringField:
    return StringField(label, validators=[DataRequired(message=_l("Enter this form of the name.")),
                                          Length(max=max_length)])


class TenantSettingsForm(Form):
    operator_name = StringField(
        _l("Operator's full name"),
        validators=[DataRequired(message=_l("Enter the operator's name.")), Length(max=200)],
        description=_l("As in the letterhead, e.g. Regionalne Centrum Polityki Społecznej w Łodzi."),
    )
    operator_short = StringField(
        _l("Operator's short name"),
        validators=[DataRequired(message=_l("Enter the operator's short name.")), Length(max=80)],
        description=_l("E.g. ROPS, RCPS, MCPS, DOPS."),
    )
    #: declined forms (fieldset "How the name declines"); keys match ``tenants.regions.CASES``.
    full_gen = _form_field(_l("Full name – genitive (of whom?)"), 200)
    full_dat = _form_field(_l("Full name – dative (to whom?)"), 200)
    full_ins = _form_field(_l("Full name – instrumental (with whom?)"), 200)
    full_loc = _form_field(_l("Full name – locative (in whom?)"), 200)
    short_gen = _form_field(_l("Short name – genitive (of whom?)"), 80)
    short_dat = _form_field(_l("Short name – dative (to whom?)"), 80)
    short_ins = _form_field(_l("Short name – instrumental (with whom?)"), 80)
    short_loc = _form_field(_l("Short name – locative (in whom?)"), 80)
    committee_name = StringField(
        _l("Regional Committee name"),
        validators=[DataRequired(message=_l("Enter the committee's name.")), Length(max=200)],
    )
    contact_email = EmailField(
        _l("Contact e-mail"),
        validators=[Optional(), Email(message=_l("Enter a valid e-mail address, e.g. jan.kowalski@example.org."),
                                      check_deliverability=False), Length(max=200)],
    )
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=60)])
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=1000)])
    logo_text = StringField(
        _l("Logo text"),
        validators=[Optional(), Length(max=60)],
        description=_l("Short text shown in the header instead of a logo, e.g. ROPS Poznań."),
    )
