"""Forms of the notification pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from coordination.forms import Form
from coordination.notifications.queries import MODE_LABELS

FIELD_PREFIX = "kind_"


def choosable(kinds) -> list:
    """Kinds the recipient can actually choose for (more than one mode)."""
    return [k for k in kinds if len(k.modes) > 1]


def preferences_form(kinds, current: dict[str, str]) -> Form:
    """One select per choosable kind, named ``kind_<name>``, preset to the stored mode."""

    class PreferencesForm(Form):
        pass

    for kind in choosable(kinds):
        hint = _l("Required: cannot be turned off.") if kind.mandatory else None
        setattr(PreferencesForm, FIELD_PREFIX + kind.name, SelectField(
            kind.label, choices=[SelectChoice(m, MODE_LABELS[m]) for m in kind.modes],
            default=current.get(kind.name, "immediate"), description=hint,
        ))
    return PreferencesForm()


def chosen(form) -> dict[str, str]:
    """``{kind: mode}`` from a submitted preferences form."""
    return {name[len(FIELD_PREFIX):]: field.data for name, field in form._fields.items()
            if name.startswith(FIELD_PREFIX)}
