"""The base form of every module: text input is normalised once, here, not per field.

Every form class derives from :class:`Form` (a Flask-WTF ``FlaskForm``). Its ``Meta.bind_field``
gives each bound field a guard filter:

* text fields (``StringField`` and its subclasses: text areas, e-mail, hidden fields; not
  passwords) store :func:`coordination.text.normalize_text` of what was typed: CR/LF as LF, C0
  control characters other than tab and newline removed. A NUL character is refused with a
  validation message instead (it cannot be stored on PostgreSQL and means the input is not
  text);
* numbers (decimal, float and integer fields, and text fields whose data is a number) refuse
  ``NaN`` and infinities, and integers outside the 32-bit range every ``Integer`` column holds.

A refused value becomes ``None`` and stops the field's other validators (they would compare a
NaN or overflow a column), so the form answers with its message, never with a 500.
"""

from __future__ import annotations

import math
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form as BaseWTForm
from wtforms import PasswordField, StringField
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation

from coordination.inputs import INT_MAX, INT_MIN
from coordination.text import has_nul, normalize_text

NUL_MESSAGE = _l("The text contains a character that is not allowed (NUL). Please retype it.")
NOT_FINITE_MESSAGE = _l("Enter a number, e.g. 12 or 12,5.")
TOO_LARGE_MESSAGE = _l("This number is too large.")


def _guard(field):
    """The filter of ``field``: see the module docstring."""
    is_text = isinstance(field, StringField) and not isinstance(field, PasswordField)

    def refuse(message):
        field.process_errors.append(message)
        field.refused_input = True
        return None

    def guard(data):
        field.refused_input = False
        kind = type(data)
        if kind is str:
            if not is_text:
                return data
            if has_nul(data):
                return refuse(NUL_MESSAGE)
            return normalize_text(data)
        if kind is int:
            return data if INT_MIN <= data <= INT_MAX else refuse(TOO_LARGE_MESSAGE)
        if kind is float:
            return data if math.isfinite(data) else refuse(NOT_FINITE_MESSAGE)
        if kind is Decimal:
            if not data.is_finite():
                return refuse(NOT_FINITE_MESSAGE)
            if data.adjusted() > 15:
                return refuse(TOO_LARGE_MESSAGE)
        return data

    return guard


def _stop_if_refused(form, field):
    if getattr(field, "refused_input", False):
        raise StopValidation()


class GuardMeta(DefaultMeta):
    """Form ``Meta`` that guards every bound field (see the module docstring)."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        field.refused_input = False
        field.filters = (_guard(field), *field.filters)
        field.validators = [_stop_if_refused, *field.validators]
        return field


def _one_message_per_problem(form) -> None:
    """Where a value could not be read ("Not a valid integer value.") and a validator of the
    field then explains what is expected ("Enter from 1 to 600 minutes."), keep only the
    explanation: two sentences run together otherwise."""
    for field in form:
        errors = field.errors
        if isinstance(errors, list) and field.process_errors and len(errors) > len(field.process_errors):
            field.errors = [e for e in errors if e not in field.process_errors]


class Form(FlaskForm):
    """The base of every form (see the module docstring)."""

    class Meta(GuardMeta, FlaskForm.Meta):
        pass

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        _one_message_per_problem(self)
        return valid


class SubForm(BaseWTForm):
    """The base of sub-forms (``FormField`` rows): guarded the same way, no CSRF of its own,
    WTForms' own messages ("Not a valid integer value.") in the user's language like a
    :class:`Form`'s (Flask-WTF's translations)."""

    class Meta(GuardMeta):
        def get_translations(self, form):
            return FlaskForm.Meta.get_translations(self, form)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        _one_message_per_problem(self)
        return valid
