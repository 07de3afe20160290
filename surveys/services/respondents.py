"""Respondents of a campaign: the list (by hand or from XLSX/CSV), tokens, invitations, reminders.

Tokens are long random strings that only ever appear in the e-mail; the database keeps their
SHA-256. E-mails go through the notification queue: the services schedule rows (invitation
due when the campaign opens, the campaign's automatic reminders, a "closes soon" notice) and
the scheduler sends them. The token is issued *when the message is sent* (:func:`issue_link`,
called by the send-time hook in :mod:`surveys.jobs`), so a clear token never touches the
database or the outbox; every e-mail carries a fresh link and the previous link stops working.
Reminders and the closing notice are skipped at send time for people who have answered.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select

from coordination import audit
from coordination.auth.services import absolute_url
from coordination.clock import WARSAW, to_naive_utc, utcnow
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.notifications import services as notify
from coordination.tenancy import all_tenants
from coordination.text import normalize_text
from surveys.models import Campaign, Respondent, campaign_status
from surveys.services.campaigns import SURVEY_KINDS

#: header names accepted in imports (lower-case, without diacritics handling beyond these).
NAME_HEADERS = {"imię i nazwisko", "imie i nazwisko", "nazwisko", "name", "full name", "osoba"}
EMAIL_HEADERS = {"e-mail", "email", "adres e-mail", "adres email", "mail"}
MAX_IMPORT_ROWS = 2000


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


def invitation_of_account(campaign: Campaign, email: str | None) -> Respondent | None:
    """The signed-in person's invitation to the open ``campaign`` (matched by the account's
    e-mail, the address the invitation goes to), for answering in the app through the same
    questionnaire pages as the e-mail link; None when there is none (not invited, revoked, or
    the campaign is not open).

    The person's current link keeps working. Someone whose invitation e-mail has not gone out
    yet gets a token now (only its hash is stored, as for every link); the e-mail, when sent,
    issues a fresh one. Nothing is recorded about the visit: the response stays as unlinked
    from the person as one answered through the e-mail link.
    """
    if not email or campaign_status(campaign) != "open":
        return None
    respondent = db.session.scalar(select(Respondent).where(
        Respondent.campaign_id == campaign.id, Respondent.email == email.strip().lower(),
        Respondent.revoked.is_(False), Respondent.invited_at.is_not(None)))
    if respondent is not None and respondent.token_hash is None:
        new_token(respondent)
        db.session.commit()
    return respondent


def normalise_email(value: str) -> str:
    """A valid e-mail address in lower case, or :class:`DomainError`."""
    try:
        return validate_email((value or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise DomainError(_("Enter a valid e-mail address, e.g. jan.kowalski@example.org.")) from exc


def _existing_emails(campaign: Campaign) -> set[str]:
    return set(db.session.scalars(select(Respondent.email).where(Respondent.campaign_id == campaign.id)))


def add_respondent(campaign: Campaign, full_name: str, email: str, *, actor=None,
                   is_demo: bool = False) -> Respondent:
    """Add one person to the campaign (not yet invited)."""
    email = normalise_email(email)
    full_name = (full_name or "").strip()
    if not full_name:
        raise DomainError(_("Enter the person's name."))
    if email in _existing_emails(campaign):
        raise DomainError(_("%(email)s is already on the list.", email=email))
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


def _cell(value: str) -> str:
    """A cell's text as a form would store it: no control characters (NUL included), line
    breaks and tabs inside a name or address read as spaces."""
    return " ".join(normalize_text(value).split())


def _read_rows(filename: str, data: bytes) -> tuple[str | None, list[list[str]]]:
    """(sheet name or None for CSV, rows of cell texts)."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any broken file is the user's input
            raise DomainError(_("The file could not be read as an XLSX workbook.")) from exc
        ws = wb.worksheets[0]
        rows = [["" if v is None else _cell(str(v)) for v in row]
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
        reader = csv.reader(io.StringIO(text), dialect)
        try:
            return None, [[_cell(c) for c in row] for row in reader]
        except csv.Error as exc:  # a cell over the csv module's limit, a broken quote
            raise DomainError(_("The file could not be read as CSV from row %(n)d on: a cell is too long "
                                "or its quotation marks are not closed.", n=reader.line_num)) from exc
    raise DomainError(_("Upload an .xlsx or .csv file."))


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
        except DomainError:
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


def _cancel_mail(respondent: Respondent) -> None:
    notify.cancel(SURVEY_KINDS, object_type="campaign", object_id=respondent.campaign_id,
                  recipient=respondent.email)


def revoke_respondent(respondent: Respondent, *, actor=None) -> None:
    """Stop the respondent's link from working (e.g. sent to a wrong address)."""
    from surveys.services.responses import scrub_erased

    respondent.revoked = True
    respondent.draft = None
    audit.record("survey.respondent.revoke", actor=actor, obj=respondent, summary={"email": respondent.email})
    _cancel_mail(respondent)
    db.session.commit()
    scrub_erased()


def remove_respondent(respondent: Respondent, *, actor=None) -> None:
    """Delete a respondent who has not been invited yet.

    Invited people cannot be removed (revoke their link instead), whether or not they have
    responded: refusing only those who responded would tell the coordinator who did.
    """
    if respondent.invited_at is not None or respondent.token_hash is not None:
        raise DomainError(_("An invited person cannot be removed from the list (they may have "
                            "responded already); revoke their link instead."))
    if respondent.completed:
        raise DomainError(_("This person has already responded and stays counted in the response rate."))
    audit.record("survey.respondent.remove", actor=actor, obj=respondent, summary={"email": respondent.email})
    _cancel_mail(respondent)
    db.session.delete(respondent)
    db.session.commit()


#: local time of day the survey e-mails go out (Europe/Warsaw).
SEND_AT = time(8, 0)
#: the "closes soon" notice goes out this many days before the last day.
CLOSING_NOTICE_DAYS = 2


def _local(day: date) -> datetime:
    """Naive UTC of ``day`` at :data:`SEND_AT` in Warsaw."""
    return to_naive_utc(datetime.combine(day, SEND_AT, tzinfo=WARSAW))


def _context(campaign: Campaign, respondent: Respondent) -> dict:
    """What the outbox stores: the respondent's id and the campaign's title and closing time —
    never a token and never anything about answers."""
    return {"respondent_id": respondent.id, "title": campaign.title,
            "closes_at": to_naive_utc(datetime.combine(campaign.closes_on, time(23, 59), tzinfo=WARSAW))}


def _schedule(kind: str, campaign: Campaign, respondent: Respondent, due_at: datetime | None,
              slot: str = "") -> None:
    notify.schedule(kind, respondent.email, due_at=due_at, object_type="campaign", object_id=campaign.id,
                    slot=slot, context=_context(campaign, respondent), tenant_id=campaign.tenant_id)


def _reminder_times(campaign: Campaign, start: datetime) -> list[datetime]:
    """The automatic reminders after ``start`` (the opening or the invitation), before closing."""
    last = _local(campaign.closes_on)
    step = timedelta(days=campaign.reminder_spacing_days or 7)
    # whole days on the Warsaw calendar: the same wall-clock time across a DST change
    local_start = start.replace(tzinfo=UTC).astimezone(WARSAW)
    times = [to_naive_utc(local_start + step * (i + 1)) for i in range(campaign.reminder_count or 0)]
    return [t for t in times if t <= last]


def sync_reminders(campaign: Campaign) -> None:
    """(Re)schedule the automatic reminders and the closing notice of every invited person.

    Stable slots (``r1``, ``r2``... and ``closing:<last day>``, so an extended campaign gets a
    new closing notice): pending rows are cancelled and the wanted
    ones scheduled again, which revives them with the new times; rows already sent stay sent.
    """
    notify.cancel(("survey_reminder", "survey_closing"), object_type="campaign", object_id=campaign.id)
    if campaign_status(campaign) == "closed":
        return
    now = utcnow()
    invited = db.session.scalars(select(Respondent).where(
        Respondent.campaign_id == campaign.id, Respondent.invited_at.is_not(None),
        Respondent.completed.is_(False), Respondent.revoked.is_(False)).order_by(Respondent.id)).all()
    closing = _local(campaign.closes_on - timedelta(days=CLOSING_NOTICE_DAYS))
    for person in invited:
        start = max(_local(campaign.opens_on), person.invited_at)
        for i, due in enumerate(_reminder_times(campaign, start), start=1):
            if due > now:
                _schedule("survey_reminder", campaign, person, due, f"r{i}")
        if closing > now and closing > start:
            _schedule("survey_closing", campaign, person, closing, f"closing:{campaign.closes_on.isoformat()}")


def issue_link(respondent: Respondent, kind: str) -> str:
    """A fresh personal link for an e-mail being sent now (the previous one stops working).

    Called at send time; commits the new token hash (and the reminder count) at once, before
    the message leaves, so the link in the e-mail always works.
    """
    token = new_token(respondent)
    if kind != "survey_invitation":
        respondent.reminded_at = utcnow()
        respondent.reminders += 1
    db.session.commit()
    return absolute_url("survey.fill", survey_token=token)


def _require_open_or_planned(campaign: Campaign) -> None:
    if campaign_status(campaign) == "closed":
        raise DomainError(_("The campaign is closed; no more e-mails can be sent."))


def send_invitations(campaign: Campaign, *, actor=None) -> int:
    """Queue a personal invitation to every respondent not invited yet; returns how many.

    Due at once for an open campaign, on the opening day (8:00) for a planned one; the
    campaign's automatic reminders and the closing notice are scheduled with them.
    """
    _require_open_or_planned(campaign)
    people = db.session.scalars(select(Respondent).where(
        Respondent.campaign_id == campaign.id, Respondent.invited_at.is_(None),
        Respondent.revoked.is_(False)).order_by(Respondent.id)).all()
    due = utcnow() if campaign_status(campaign) == "open" else _local(campaign.opens_on)
    for person in people:
        _schedule("survey_invitation", campaign, person, due)
        person.invited_at = utcnow()
    if people:
        audit.record("survey.invitations", actor=actor, obj=campaign, summary={"queued": len(people)})
        db.session.flush()
        sync_reminders(campaign)
    db.session.commit()
    return len(people)


def send_reminders(campaign: Campaign, *, actor=None) -> int:
    """Queue a reminder now (with a fresh link) to invited people who have not responded."""
    _require_open_or_planned(campaign)
    people = db.session.scalars(select(Respondent).where(
        Respondent.campaign_id == campaign.id, Respondent.invited_at.is_not(None),
        Respondent.completed.is_(False), Respondent.revoked.is_(False)).order_by(Respondent.id)).all()
    now = utcnow()
    for person in people:
        _schedule("survey_reminder", campaign, person, now, f"m{now.isoformat(timespec='seconds')}")
    if people:
        audit.record("survey.reminders", actor=actor, obj=campaign, summary={"queued": len(people)})
    db.session.commit()
    return len(people)
