"""``flask --app wsgi surveys seed-core | rebuild-tallies``: registered through ``root_bp.cli``
(group "surveys")."""

from __future__ import annotations

import click
from flask_babel import ngettext

from coordination.extensions import db
from surveys.services import ensure_core_template, rebuild_tallies
from surveys.services.templates import template_question_count
from surveys.views import root_bp


@root_bp.cli.command("seed-core")
def seed_core():
    """Create the national core template of the committee survey (idempotent)."""
    template, created = ensure_core_template()
    state = "created" if created else "already present"
    click.echo(f"{template.code}: {state} ({template_question_count(template.id)} questions)")


@root_bp.cli.command("rebuild-tallies")
def rebuild_tallies_command():
    """Recompute every campaign's answer tallies from the stored answers (idempotent), and the
    stored dimension scores of the closed campaigns from them."""
    from surveys.services.tally import store_closed_scores

    rows = rebuild_tallies()
    store_closed_scores()
    db.session.commit()
    click.echo(ngettext("Answer tallies rebuilt: %(num)d row.", "Answer tallies rebuilt: %(num)d rows.", rows))
