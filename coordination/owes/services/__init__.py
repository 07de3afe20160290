"""OWES state changes. The only code that writes OWES data; nothing here reads ``flask.request``.

Split by subject: :mod:`.registry` (OWES, operators, projects, catalogue), :mod:`.plans`
(plans, staffing, targets), :mod:`.values` (reported values and their workflow),
:mod:`.imports` (XLSX import: preview and apply), :mod:`.evaluation` (studies, documents,
consultation rounds, recommendations).
"""


class OwesError(ValueError):
    """A change that cannot be made; the message is translated and shown to the user."""
