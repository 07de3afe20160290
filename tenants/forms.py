"""Tenant settings form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from coordination.forms import Form


class TenantSettingsForm(Form):
    operator_name = StringField(
        _l("Operator (ROPS) name"),
        validators=[DataRequired(message=_l("Enter the operator's name.")), Length(max=200)],
    )
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
