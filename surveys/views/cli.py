"""``flask --app wsgi surveys seed-core``: registered through ``root_bp.cli`` (group "surveys")."""

from __future__ import annotations

import click

from surveys.services import ensure_core_template
from surveys.services.templates import template_question_count
from surveys.views import root_bp


@root_bp.cli.command("seed-core")
def seed_core():
    """Create the national core template of the committee survey (idempotent)."""
    template, created = ensure_core_template()
    state = "created" if created else "already present"
    click.echo(f"{template.code}: {state} ({template_question_count(template.id)} questions)")
