"""Survey state changes (the only code that writes survey tables), split by subject."""

from surveys.services.campaigns import (
    add_regional_question,
    close_campaign,
    create_campaign,
    drafts_in_progress,
    mode_locked,
    regional_code,
    regional_options_text,
    remove_regional_question,
    response_count,
    set_anonymity,
    update_campaign,
    update_regional_question,
)
from surveys.services.committee import import_committee
from surveys.services.respondents import (
    ImportResult,
    add_respondent,
    find_by_token,
    import_respondents,
    invitation_of_account,
    remove_respondent,
    revoke_respondent,
    send_invitations,
    send_reminders,
)
from surveys.services.responses import AlreadySubmitted, save_draft, submit
from surveys.services.tally import rebuild as rebuild_tallies
from surveys.services.templates import ensure_core_template, update_template_question

__all__ = [
    "AlreadySubmitted", "ImportResult", "add_regional_question", "add_respondent",
    "close_campaign", "create_campaign", "drafts_in_progress", "ensure_core_template", "find_by_token",
    "import_committee", "import_respondents", "invitation_of_account", "mode_locked", "rebuild_tallies", "regional_code", "regional_options_text", "remove_regional_question", "remove_respondent", "response_count",
    "revoke_respondent", "save_draft", "send_invitations", "send_reminders", "set_anonymity",
    "submit", "update_campaign", "update_regional_question", "update_template_question",
]
