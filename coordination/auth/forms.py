"""Account forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from coordination.forms import Form

MIN_PASSWORD = 10


def role_choices():
    return [
        SelectChoice("member", _l("Member (working group / committee)")),
        SelectChoice("coordinator", _l("Coordinator (ROPS)")),
        SelectChoice("owes", _l("OWES representative")),
    ]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _email_field():
    return EmailField(
        _l("E-mail"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Email(message=_l("Enter a valid e-mail address, e.g. jan.kowalski@example.org."),
                  check_deliverability=False),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )


def _new_password_fields():
    new = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(message=_l("Enter a new password.")),
            Length(min=MIN_PASSWORD, max=200,
                   message=_l("The password must have at least %(min)d characters.", min=MIN_PASSWORD)),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(message=_l("Repeat the new password.")),
            EqualTo("new_password", message=_l("The passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return new, confirm


class LoginForm(Form):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )


class ResetRequestForm(Form):
    email = _email_field()


class ResetForm(Form):
    new_password, confirm = _new_password_fields()


class PasswordChangeForm(Form):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password, confirm = _new_password_fields()


class InviteForm(Form):
    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(message=_l("Enter the person's name.")), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )
    email = _email_field()
    role = SelectField(_l("Role"), choices=role_choices, default="member")


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=role_choices)


class PlatformUserForm(Form):
    is_admin = BooleanField(_l("Platform administrator"))
    is_national = BooleanField(_l("National consultant (SIRES)"))
    active = BooleanField(_l("Account active"))


class ConfirmForm(Form):
    """An empty form: only the CSRF token, for confirmations."""


class AccountForm(Form):
    """The administrator creates an account (the person sets the password from the e-mail)."""

    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(message=_l("Enter the person's name.")), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )
    email = _email_field()


class GrantRoleForm(Form):
    """A role in a region, given by the administrator (choices: the regions, Polish order)."""

    tenant = SelectField(_l("Region"), validators=[DataRequired(message=_l("Choose a region."))])
    role = SelectField(_l("Role"), choices=role_choices, default="member")
