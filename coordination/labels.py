"""The one way to label enumerations (statuses, kinds, roles, …).

Each module keeps its enumerations' labels next to its codes as :class:`Labels` (code → lazy
translated label, so it follows the active locale) and registers them once under its name with
:func:`register`. Python code uses the :class:`Labels` objects directly (``KIND_LABELS[code]``,
``KIND_LABELS.choices()`` for form fields); templates use the one Jinja global ``labels``:
``{{ labels.workgroups.kind[group.kind] }}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from flask_babel import LazyString
from wtforms.fields.choices import SelectChoice


class PerRequest(LazyString):
    """A label that depends on the request, not only on the locale (e.g. named after the
    current region's operator): the per-locale caches of labels keep it lazy."""


class Labels(dict):
    """One enumeration: code → translated label."""

    def choices(self, codes: Iterable | None = None) -> list[SelectChoice]:
        """Choices of a form field, in the order of ``codes`` (default: all)."""
        return [SelectChoice(code, self[code]) for code in (self if codes is None else codes)]


class LabelSet(dict):
    """The labelled enumerations of one module by name (``labels.<module>.<name>``)."""


#: module name → its :class:`LabelSet`; the Jinja global ``labels``.
LABELS: dict[str, LabelSet] = {}


def register(module: str, **enumerations: Labels) -> LabelSet:
    """Make ``enumerations`` available to templates as ``labels.<module>.<name>``."""
    LABELS[module] = LabelSet(enumerations)
    return LABELS[module]


@cache
def table_labels() -> dict[str, Any]:
    """Table name -> its (lazy) label, from every manifest's ``table_labels``."""
    from coordination.modules import merged

    return merged("table_labels", "table labels")


def table_label(name: str) -> str:
    """What the rows of table ``name`` are, in the active language (the name when unlabelled)."""
    label = table_labels().get(name)
    return str(label) if label is not None else name
