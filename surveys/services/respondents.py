"""Respondents of a campaign: the list (by hand or from XLSX/CSV), tokens, invitations, reminders.

Tokens are long random strings that only ever appear in the e-mail; the database keeps their
SHA-256. Sending a reminder issues a fresh token (the previous link stops working), which is
why reminders and invitations are sent here, one function per kind. The scheduler issue will
queue them later; until then coordinators send them by hand.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from coordination import audit, mailer
from coordination.auth.services import absolute_url
from coordination.extensions import db
from coordination.tenancy import all_tenants
from surveys.models import Campaign, Respondent, campaign_status
from surveys.services.campaigns import SurveyError

#: header names accepted in imports (lower-case, without diacritics handling beyond these).
NAME_HEADERS = {"imię i nazwisko", "imie i nazwisko", "nazwisko", "name", "full name", "osoba"}
EMAIL_HEADERS = {"e-mail", "email", "adres e-mail", "adres email", "mail"}
MAX_IMPORT_ROWS = 2000


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(respondent: Respondent) -> str:
    """Give the respondent a fresh token; return it (the only time it exists in clear)."""
    token = secrets.token_urlsafe(32)
    respondent.token_hash = hash_token(token)
    return token


def find_by_token(token: str) -> Respondent | None:
    """The respondent holding ``token`` in any region (token links carry no region), or None.

    Revoked tokens are not found: an invalid or revoked link looks the same.
    """
    if not token or len(token) > 100:
        return None
    with all_tenants():
        return db.session.scalar(select(Respondent).where(
            Respondent.token_hash == hash_token(token), Respondent.revoked.is_(False)))


def normalise_email(value: str) -> str:
    """A valid e-mail address in lower case, or :class:`SurveyError`."""
    try:
        return validate_email((value or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise SurveyError(_("Enter a valid e-mail address, e.g. jan.kowalski@example.org.")) from exc


def _existing_emails(campaign: Campaign) -> set[str]:
    return set(db.session.scalars(select(Respondent.email).where(Respondent.campaign_id == campaign.id)))


def add_respondent(campaign: Campaign, full_name: str, email: str, *, actor=None,
                   is_demo: bool = False) -> Respondent:
    """Add one person to the campaign (not yet invited)."""
    email = normalise_email(email)
    full_name = (full_name or "").strip()
    if not full_name:
        raise SurveyError(_("Enter the person's name."))
    if email in _existing_emails(campaign):
        raise SurveyError(_("%(email)s is already on the list.", email=email))
    respondent = Respondent(campaign_id=campaign.id, full_name=full_name[:200], email=email,
                            is_demo=is_demo)
    db.session.add(respondent)
    db.session.flush()
    audit.record("survey.respondent.add", actor=actor, obj=respondent, summary={"email": email})
    db.session.commit()
    return respondent


@dataclass
class ImportResult:
    """Outcome of an import: rows added, rows skipped (already listed) or errors (nothing saved)."""

    added: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _read_rows(filename: str, data: bytes) -> tuple[str | None, list[list[str]]]:
    """(sheet name or None for CSV, rows of cell texts)."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any broken file is the user's input
            raise SurveyError(_("The file could not be read as an XLSX workbook.")) from exc
        ws = wb.worksheets[0]
        rows = [["" if v is None else str(v).strip() for v in row]
                for row in ws.iter_rows(values_only=True, max_row=MAX_IMPORT_ROWS + 1)]
        name = ws.title
        wb.close()
        return name, rows
    if filename.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1250", errors="replace")
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t")
        except csv.Error:
            dialect = csv.excel
        return None, [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    raise SurveyError(_("Upload an .xlsx or .csv file."))


def import_respondents(campaign: Campaign, filename: str, data: bytes, *, actor=None) -> ImportResult:
    """Add people from the first sheet of an XLSX file or a CSV file.

    The first row names the columns ("Imię i nazwisko", "E-mail"). Every problem is reported
    with its sheet, row and column; when there is any, nothing is saved. People already on
    the list are skipped.
    """
    sheet, rows = _read_rows(filename, data)
    result = ImportResult()

    def where(row_no: int, col: int | None = None, label: str | None = None) -> str:
        parts = [_("sheet “%(name)s”", name=sheet)] if sheet else []
        parts.append(_("row %(n)d", n=row_no))
        if col is not None:
            parts.append(_("column %(col)s (%(label)s)", col=_column_letter(col), label=label))
        return ", ".join(parts)

    rows = [r for r in rows]
    if not rows or not any(rows[0]):
        result.errors.append(_("The file is empty: the first row must name the columns "
                               "“Imię i nazwisko” and “E-mail”."))
        return result
    header = [h.strip().lower() for h in rows[0]]
    name_col = next((i for i, h in enumerate(header) if h in NAME_HEADERS), None)
    email_col = next((i for i, h in enumerate(header) if h in EMAIL_HEADERS), None)
    if name_col is None:
        result.errors.append(where(1) + ": " + _("no column “Imię i nazwisko”."))
    if email_col is None:
        result.errors.append(where(1) + ": " + _("no column “E-mail”."))
    if result.errors:
        return result
    if len(rows) > MAX_IMPORT_ROWS:
        result.errors.append(_("The file has more than %(max)d rows.", max=MAX_IMPORT_ROWS))
        return result
    existing = _existing_emails(campaign)
    seen: dict[str, int] = {}
    new: list[tuple[str, str]] = []
    for row_no, row in enumerate(rows[1:], start=2):
        cells = row + [""] * (max(name_col, email_col) + 1 - len(row))
        name, email = cells[name_col], cells[email_col]
        if not name and not email:
            continue
        if not name:
            result.errors.append(where(row_no, name_col, rows[0][name_col]) + ": " + _("the name is missing."))
        try:
            email = normalise_email(email)
        except SurveyError:
            result.errors.append(where(row_no, email_col, rows[0][email_col]) + ": "
                                 + _("“%(value)s” is not a valid e-mail address.", value=email))
            continue
        if email in seen:
            result.errors.append(where(row_no, email_col, rows[0][email_col]) + ": "
                                 + _("%(email)s repeats row %(first)d.", email=email, first=seen[email]))
            continue
        seen[email] = row_no
        if email in existing:
            result.skipped += 1
        elif name:
            new.append((name[:200], email))
    if result.errors:
        return result
    for name, email in new:
        db.session.add(Respondent(campaign_id=campaign.id, full_name=name, email=email))
    result.added = len(new)
    audit.record("survey.respondent.import", actor=actor, obj=campaign,
                 summary={"added": result.added, "skipped": result.skipped, "file": filename})
    db.session.commit()
    return result


def revoke_respondent(respondent: Respondent, *, actor=None) -> None:
    """Stop the respondent's link from working (e.g. sent to a wrong address)."""
    respondent.revoked = True
    respondent.draft = None
    audit.record("survey.respondent.revoke", actor=actor, obj=respondent, summary={"email": respondent.email})
    db.session.commit()


def remove_respondent(respondent: Respondent, *, actor=None) -> None:
    """Delete a respondent who has not completed the survey (completed ones stay counted)."""
    if respondent.completed:
        raise SurveyError(_("This person has already responded and stays counted in the response rate."))
    audit.record("survey.respondent.remove", actor=actor, obj=respondent, summary={"email": respondent.email})
    db.session.delete(respondent)
    db.session.commit()


def _mail(campaign: Campaign, respondent: Respondent, kind: str, subject: str) -> None:
    token = new_token(respondent)
    from tenants.models import Tenant

    tenant = db.session.get(Tenant, campaign.tenant_id)
    mailer.send_templated(
        respondent.email, subject, f"survey_{kind}", "pl",
        respondent=respondent, campaign=campaign, tenant=tenant,
        link=absolute_url("survey.fill", survey_token=token),
    )


def _require_open_or_planned(campaign: Campaign) -> None:
    if campaign_status(campaign) == "closed":
        raise SurveyError(_("The campaign is closed; no more e-mails can be sent."))


def send_invitations(campaign: Campaign, *, actor=None) -> int:
    """E-mail a personal link to every respondent not invited yet; returns how many."""
    _require_open_or_planned(campaign)
    people = db.session.scalars(select(Respondent).where(
        Respondent.campaign_id == campaign.id, Respondent.invited_at.is_(None),
        Respondent.revoked.is_(False)).order_by(Respondent.id)).all()
    with force_locale("pl"):
        subject = _("Survey: %(title)s", title=campaign.title)
    for person in people:
        _mail(campaign, person, "invitation", subject)
        person.invited_at = _now()
        db.session.commit()
    if people:
        audit.record("survey.invitations", actor=actor, obj=campaign, summary={"sent": len(people)})
        db.session.commit()
    return len(people)


def send_reminders(campaign: Campaign, *, actor=None) -> int:
    """E-mail a reminder (with a fresh link) to invited people who have not responded."""
    _require_open_or_planned(campaign)
    people = db.session.scalars(select(Respondent).where(
        Respondent.campaign_id == campaign.id, Respondent.invited_at.is_not(None),
        Respondent.completed.is_(False), Respondent.revoked.is_(False)).order_by(Respondent.id)).all()
    with force_locale("pl"):
        subject = _("Reminder – survey: %(title)s", title=campaign.title)
    for person in people:
        _mail(campaign, person, "reminder", subject)
        person.reminded_at = _now()
        person.reminders += 1
        db.session.commit()
    if people:
        audit.record("survey.reminders", actor=actor, obj=campaign, summary={"sent": len(people)})
        db.session.commit()
    return len(people)
